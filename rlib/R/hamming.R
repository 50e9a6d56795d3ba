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
  pair_hamming(list(A, B), matrix(1:2, 1), n)
}

# H for many pairs: `nets` a list of n x n matrices or an n x n x N double
# array, pairs 1-based indices into it (C++ loop: no n x n temporary per
# pair, no copies).
pair_hamming <- function(nets, pairs, n) {
  if (is.list(nets)) nets <- lapply(nets, function(A) if (is.double(A)) A else as.double(A))
  hamming_sums(nets, matrix(as.integer(pairs), ncol = 2), as.integer(n)) / (n * (n - 1))
}
