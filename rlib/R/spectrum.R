# Laplacian spectrum in nettools' convention, the input of the IM distance.

# Bipartite embedding [[0, t(A)], [A, 0]] of a directed network (2N nodes):
# symmetric, so the undirected machinery applies (1.0.1 / netrd convention).
bipartite_embedding <- function(A) {
  n <- nrow(A)
  Z <- matrix(0, n, n)
  rbind(cbind(Z, t(A)), cbind(A, Z))
}

#' @rdname building_blocks
#' @export
laplacian_spectrum <- function(A, directed = !isSymmetric(unname(A))) {
  A <- unname(as.matrix(A))
  if (isTRUE(directed)) A <- bipartite_embedding(A)
  # L = D - A with D the column sums, a self-loop included in its degree and
  # the diagonal of A overwritten
  L <- -A
  diag(L) <- colSums(A)
  ev <- eigen(L, symmetric = TRUE, only.values = TRUE)$values
  # nettools rounds eigenvalues to 5 decimals and drops only the smallest mode.
  # eigen() returns LAPACK's ascending values reversed: rev() is sort() here.
  om <- sqrt(abs(round(rev(ev), 5)))
  om[-1]
}
