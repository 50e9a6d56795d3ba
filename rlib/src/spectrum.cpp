// Laplacian eigenvalues without R-level copies: for a network of n nodes,
// eigen(L) in R copies the network (slice, -A, L, LAPACK's own copy) and
// checks it again; here L is written once into a work buffer, straight from
// network j of an n x n x N array, and handed to dsyevr with the arguments
// R's eigen(symmetric = TRUE, only.values = TRUE) uses, so the values are
// the same to the last bit.
#define USE_FC_LEN_T
#include <Rcpp.h>
#include <R_ext/Lapack.h>
#ifndef FCONE
#define FCONE
#endif
#include <cmath>
#include <vector>

// Ascending eigenvalues of L = D - A for network j (1-based) of the n x n x N
// array `nets` (a matrix is the case N = 1), with D the column sums and A's
// diagonal overwritten, as renette::laplacian_spectrum; `directed`: of the
// 2n x 2n bipartite embedding [[0, t(A)], [A, 0]]. NA in, error out.
// [[Rcpp::export]]
Rcpp::NumericVector laplacian_values(Rcpp::NumericVector nets, int n, int j, bool directed) {
  if (n < 1 || j < 1 || (R_xlen_t)j * n * n > nets.size()) Rcpp::stop("network index out of range");
  const double* a = nets.begin() + (R_xlen_t)(j - 1) * n * n;
  const int m = directed ? 2 * n : n;
  std::vector<double> L((size_t)m * m, 0.0);
  // L = -B off the diagonal, B = A or the bipartite embedding (zero diagonal blocks)
  for (int c = 0; c < n; ++c)
    for (int r = 0; r < n; ++r) {
      double v = a[r + (size_t)c * n];
      if (!std::isfinite(v)) Rcpp::stop("infinite or missing values in the network");
      if (directed) {
        L[(n + r) + (size_t)c * m] = -v;  // A in the lower-left block
        L[c + (size_t)(n + r) * m] = -v;  // t(A) in the upper-right block
      } else {
        L[r + (size_t)c * m] = -v;
      }
    }
  // diag(L) <- colSums(B): summed in order in long double, as R's colSums
  for (int c = 0; c < m; ++c) {
    long double s = 0;
    for (int r = 0; r < m; ++r) s += -L[r + (size_t)c * m];
    L[c + (size_t)c * m] = (double)s;
  }
  char jobz = 'N', range = 'A', uplo = 'L';
  double vl = 0, vu = 0, abstol = 0, wq = 0;
  int il = 1, iu = m, found = 0, ldz = m, lwork = -1, liwork = -1, iq = 0, info = 0;
  std::vector<int> isuppz(2 * (size_t)m);
  Rcpp::NumericVector w(m);
  F77_CALL(dsyevr)(&jobz, &range, &uplo, &m, L.data(), &m, &vl, &vu, &il, &iu, &abstol, &found,
                   w.begin(), nullptr, &ldz, isuppz.data(), &wq, &lwork, &iq, &liwork, &info
                   FCONE FCONE FCONE);
  if (info != 0) Rcpp::stop("dsyevr workspace query failed (info %d)", info);
  lwork = (int)wq;
  liwork = iq;
  std::vector<double> work(lwork);
  std::vector<int> iwork(liwork);
  F77_CALL(dsyevr)(&jobz, &range, &uplo, &m, L.data(), &m, &vl, &vu, &il, &iu, &abstol, &found,
                   w.begin(), nullptr, &ldz, isuppz.data(), work.data(), &lwork, iwork.data(),
                   &liwork, &info FCONE FCONE FCONE);
  if (info != 0) Rcpp::stop("dsyevr failed (info %d)", info);
  return w;
}
