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

#' Each node's share of the Hamming distance between two networks
#'
#' Splits the (off-diagonal) absolute weight differences between two networks
#' among their nodes: every edge difference counts half for each of its two
#' nodes, so the shares sum to 1.
#'
#' With \eqn{\Delta_{ij} = |A_{ij} - B_{ij}|}{D_ij = |A_ij - B_ij|} and
#' \eqn{T = \sum_{i \ne j} \Delta_{ij}}{T = sum over i != j of D_ij} (all ordered pairs, diagonal
#' excluded), node \eqn{i}'s share is
#' \deqn{s_i = \frac{\sum_{j \ne i} (\Delta_{ij} + \Delta_{ji})}{2T}}{s_i = sum over j != i of (D_ij + D_ji) / (2 T)}
#' (all 0 when \eqn{T = 0}). \code{\link{hamming}} (and netdist's H) sums
#' every entry, the diagonal included:
#' \eqn{H = (T + \sum_i \Delta_{ii}) / (n(n-1))}{H = (T + sum_i D_ii) / (n (n - 1))}. So when the diagonals agree
#' (e.g. both zero, as for \code{mat2adj} networks) \eqn{H = T / (n(n-1))}
#' and \eqn{s_i H} is node \eqn{i}'s part of H; a diagonal difference
#' (self-loop) adds to H but belongs to no share.
#'
#' The shares are those of the networks as given. \code{\link{netdist}}
#' computes H on networks min-max rescaled to \[0, 1\] when some weight lies
#' outside (e.g. signed correlations); to split that H, pass the rescaled
#' networks (\code{\link{rescale_network}}).
#'
#' @param A,B two networks of the same size (square numeric matrices,
#'   data.frames, Matrix or igraph objects).
#' @return A numeric vector of shares, one per node, summing to 1 (or all 0
#'   for networks equal off the diagonal), named by the node names of
#'   \code{A} (or \code{B}) when it has them.
#' @seealso \code{\link{hamming}}, \code{\link{diffconn}}
#' @examples
#' A <- matrix(c(0, 1, 1, 1, 0, 0, 1, 0, 0), 3, dimnames = list(letters[1:3], letters[1:3]))
#' B <- matrix(0, 3, 3)
#' s <- hamming_node_share(A, B)
#' s                                       # a 0.5, b 0.25, c 0.25
#' all.equal(s * hamming(A, B), c(a = 2, b = 1, c = 1) / 6)
#' @export
hamming_node_share <- function(A, B) {
  nets <- same_nodes(A, B, "hamming_node_share")
  D <- abs(nets$A - nets$B)
  diag(D) <- 0
  total <- sum(D)
  share <- if (total > 0) (rowSums(D) + colSums(D)) / (2 * total) else numeric(nrow(D))
  names(share) <- nets$names
  share
}
