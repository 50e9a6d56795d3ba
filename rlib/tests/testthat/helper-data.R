# Small data sets and networks shared by several test files.

# A samples x variables matrix with a linear (g1-g2) and a non-linear (g1-g3)
# dependence (the mat2adj and infer-* tests).
small_data <- function(n = 30, p = 6, seed = 42) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p, dimnames = list(NULL, paste0("g", seq_len(p))))
  x[, 2] <- x[, 1] + rnorm(n, sd = 0.3)
  x[, 3] <- x[, 1]^2 + rnorm(n, sd = 0.3)
  x
}

# A random symmetric (or not) weighted network with zero diagonal.
wnet <- function(n, seed, sym = TRUE) {
  set.seed(seed)
  A <- matrix(runif(n * n) * (runif(n * n) < 0.4), n)
  if (sym) { A[lower.tri(A)] <- t(A)[lower.tri(A)] }
  diag(A) <- 0
  A
}
