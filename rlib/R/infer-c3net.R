# c3net (conservative causal core network), from its definition; shared
# pieces are reused by bc3net.

#' Copula transform per variable: (rank with ties 'first' - 0.5) / N.
#' @noRd
copula_transform <- function(x) {
  n <- nrow(x)
  apply(x, 2, function(v) (rank(v, ties.method = "first") - 0.5) / n)
}

#' Gaussian MI of Pearson correlations of the copula values.
#' @noRd
mi_copula <- function(x, cap = 0.9999999) {
  r2 <- pmin(fast_cor(copula_transform(x))^2, cap)
  m <- abs(-0.5 * log(1 - r2))
  m[is.na(m)] <- 0   # a constant column (allowed with tol = 0) carries no information
  diag(m) <- 0
  m
}

#' c3 step: every node keeps only its strongest remaining edge.
#'
#' @param m symmetric weight matrix, zero diagonal, already thresholded.
#' @return symmetric matrix holding the kept weights, 0 elsewhere.
#' @noRd
c3_select <- function(m) {
  out <- matrix(0, nrow(m), ncol(m))
  for (i in which(rowSums(m != 0) > 0)) {
    j <- which.max(m[i, ])          # first index on ties
    out[i, j] <- out[j, i] <- m[i, j]
  }
  out
}

#' c3net: raw MI of each node's strongest above-mean edge (values may exceed 1).
#' @noRd
infer_c3net <- function(x) {
  m <- mi_copula(x)
  m[m < mean(m[upper.tri(m)])] <- 0
  c3_select(m)
}
