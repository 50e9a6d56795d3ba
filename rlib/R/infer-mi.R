# ARACNE and CLR on the Gaussian mutual information of Spearman correlations
# (minet's estimator "spearman"), implemented from their definitions.

#' MI matrix m_ij = -1/2 log(1 - min(rho_s^2, 0.999999)), diagonal 0.
#' @noRd
mi_spearman <- function(x) {
  r2 <- pmin(fast_cor(x, "spearman")^2, 0.999999)
  m <- -0.5 * log(1 - r2)
  m[is.na(m)] <- 0   # a constant column (allowed with tol = 0) carries no information
  diag(m) <- 0
  m
}

# Divide by the global maximum (an all-zero matrix stays zero).
scale_by_max <- function(A) {
  mx <- max(A)
  if (mx > 0) A / mx else A
}

#' ARACNE: data-processing inequality with eps = 0.
#'
#' In every triangle (i, j, k) the edge strictly weaker than both others is
#' removed, judged on the original MI (removal order does not matter).
#' @noRd
infer_aracne <- function(x) {
  m <- mi_spearman(x)
  # strongest "indirect path" i-k-j: max over k of min(m_ik, m_kj)
  indirect <- matrix(0, nrow(m), ncol(m))
  for (k in seq_len(ncol(m))) {
    mk <- m[, k]
    indirect <- pmax(indirect, outer(mk, mk, pmin))
  }
  m[m < indirect] <- 0
  scale_by_max(m)
}

#' CLR: background-corrected MI z-scores.
#' @noRd
infer_clr <- function(x) {
  m <- mi_spearman(x)
  off <- m
  diag(off) <- NA
  mu <- rowMeans(off, na.rm = TRUE)
  s2 <- apply(off, 1, stats::var, na.rm = TRUE)
  z <- pmax(m - mu, 0)^2 / s2      # row i uses mu_i, s2_i
  z[!is.finite(z)] <- 0            # a row of identical MI has no spread
  diag(z) <- 0
  scale_by_max(sqrt(z + t(z)))
}
