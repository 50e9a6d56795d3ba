# Laplacian spectrum in nettools' convention, the input of the IM distance.
# A directed network's spectrum is that of its bipartite embedding
# [[0, t(A)], [A, 0]] (2N nodes; symmetric, so the undirected machinery
# applies: the 1.0.1 / netrd convention).

#' @rdname building_blocks
#' @export
laplacian_spectrum <- function(A, directed = !isSymmetric(unname(A))) {
  A <- unname(as.matrix(A))
  if (!is.double(A)) storage.mode(A) <- "double"
  if (nrow(A) != ncol(A)) input_error("laplacian_spectrum(): A must be a square matrix.")
  spectrum_omegas(laplacian_values(A, nrow(A), 1L, isTRUE(directed)))
}

# L = D - A with D the column sums, a self-loop included in its degree and the
# diagonal of A overwritten (the bipartite embedding's for a directed network):
# its eigenvalues come from laplacian_values() (src/spectrum.cpp), LAPACK's
# dsyevr as eigen(symmetric = TRUE) calls it, without R's copies.
# nettools rounds the eigenvalues (ascending) to 5 decimals, takes sqrt(|.|)
# and drops only the smallest mode.
spectrum_omegas <- function(ev) sqrt(abs(round(ev, 5)))[-1]
