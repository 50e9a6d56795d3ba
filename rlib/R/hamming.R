# Hamming distance: mean absolute weight difference over all ordered pairs
# (diagonal included in the sum, as nettools does).

#' @rdname building_blocks
#' @export
hamming <- function(A, B) {
  A <- as.matrix(A); B <- as.matrix(B)
  n <- nrow(A)
  if (!identical(dim(A), dim(B)))
    input_error("hamming(): the two networks have different sizes (", n, " and ",
                nrow(B), " nodes).")
  sum(abs(A - B)) / (n * (n - 1))
}

# H for many pairs: X holds one vectorised network per column. Pairs sharing
# their first network are done in one vectorised step.
pair_hamming <- function(X, pairs, n) {
  out <- numeric(nrow(pairs))
  for (i in unique(pairs[, 1])) {
    r <- which(pairs[, 1] == i)
    out[r] <- colSums(abs(X[, pairs[r, 2], drop = FALSE] - X[, i]))
  }
  out / (n * (n - 1))
}
