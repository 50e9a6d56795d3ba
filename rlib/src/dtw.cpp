// Dynamic time warping distance, step pattern "symmetric2" with |a - b|
// local cost, normalised by N + M (as dtw(..., distance.only = TRUE)
// $normalizedDistance). Written in C++ because the O(N*M) recursion per pair
// is far too slow as interpreted R for hundreds of pairs.
#include <Rcpp.h>
#include <vector>
#include <cmath>
#include <algorithm>

static double dtw_sym2(const double* a, int n, const double* b, int m) {
  // g[i][j] = min(g[i-1][j-1] + 2c, g[i-1][j] + c, g[i][j-1] + c),
  // g[0][0] = c(0, 0); two rolling rows of length m.
  std::vector<double> prev(m), cur(m);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      double c = std::fabs(a[i] - b[j]);
      double best;
      if (i == 0 && j == 0) {
        best = c;
      } else {
        best = R_PosInf;
        if (i > 0 && j > 0) best = prev[j - 1] + 2.0 * c;
        if (i > 0) best = std::min(best, prev[j] + c);
        if (j > 0) best = std::min(best, cur[j - 1] + c);
      }
      cur[j] = best;
    }
    std::swap(prev, cur);
  }
  return prev[m - 1] / (n + m);
}

// Normalised DTW distance between every pair of columns of x (symmetric,
// zero diagonal).
// [[Rcpp::export]]
Rcpp::NumericMatrix dtw_columns(Rcpp::NumericMatrix x) {
  int n = x.nrow(), p = x.ncol();
  Rcpp::NumericMatrix d(p, p);
  for (int i = 0; i < p; ++i) {
    for (int j = i + 1; j < p; ++j) {
      double v = dtw_sym2(&x(0, i), n, &x(0, j), n);
      d(i, j) = v;
      d(j, i) = v;
    }
    Rcpp::checkUserInterrupt();
  }
  return d;
}

// Normalised DTW distance between two series.
// [[Rcpp::export]]
double dtw_distance(Rcpp::NumericVector a, Rcpp::NumericVector b) {
  if (a.size() == 0 || b.size() == 0) Rcpp::stop("empty series");
  return dtw_sym2(a.begin(), a.size(), b.begin(), b.size());
}
