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

#' Hamming sums of one block of edges (all-pairs distances split by edges).
#'
#' A distributed distance job cuts the edges of its networks into blocks and
#' sends each block to a worker as a matrix with one column per network, so no
#' network has to travel whole to every task pairing it. Summed over all the
#' blocks (and the diagonal) and divided by n (n - 1), the sums are
#' [hamming()] of each pair.
#' @param P an m x N double matrix: the same m edge weights of each of N networks.
#' @param pairs a k x 2 matrix of 1-based column indices of P.
#' @param twice how many leading rows count twice: a symmetric network sends
#'   its strict upper triangle for both triangles (0 for directed networks).
#' @param lo,hi each network's smallest and largest weight over all its
#'   entries (NULL: none is rescaled). A network with weights outside [0, 1]
#'   is min-max rescaled as [rescale_network()] rescales the whole matrix, so
#'   each block gives the sums of the rescaled networks.
#' @return The sum over the rows of |P[, i] - P[, j]| for each pair.
#' @export
hamming_block <- function(P, pairs, twice = 0L, lo = NULL, hi = NULL) {
  P <- as.matrix(P)
  if (!is.double(P)) storage.mode(P) <- "double"
  if (!is.null(lo)) {
    if (length(lo) != ncol(P) || length(hi) != ncol(P))
      input_error("hamming_block(): lo and hi need one value per column of P.")
    for (j in which(lo < 0 | hi > 1)) P[, j] <- (P[, j] - lo[j]) / (hi[j] - lo[j])
  }
  packed_hamming_sums(P, matrix(as.integer(pairs), ncol = 2), as.integer(twice))
}
