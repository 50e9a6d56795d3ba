# H, IM and HIM for a set of network pairs: the unit of work a distance job is
# split into. Spectra are computed beforehand, once per network.

# IM for many pairs from the densities on the grid (one column per network):
# sqrt(colSums((D[, j] - D[, i])^2)) per pair, in C++ (src/distance.cpp).
pair_ipsen <- function(D, pairs) {
  if (!is.double(D)) storage.mode(D) <- "double"
  ipsen_pairs(D, matrix(as.integer(pairs), ncol = 2))
}

# Densities on the common grid of every network appearing in `pairs`.
grid_densities <- function(spectra, gamma, used) {
  spectra <- as.matrix(spectra)
  grid <- ipsen_grid(nrow(spectra) + 1, gamma, max(spectra, 0))
  D <- matrix(0, length(grid$x), ncol(spectra))
  for (j in used) D[, j] <- density_on_grid(spectra[, j], gamma, grid)
  D
}

him_combine <- function(H, IM, rho) sqrt((H^2 + rho * IM^2) / (1 + rho))

#' @rdname building_blocks
#' @export
distance_block <- function(A, spectra, pairs, gamma, rho = 1) {
  block_distances(network_array(A, "distance_block"), spectra,
                  matrix(as.integer(pairs), ncol = 2), gamma, rho)
}

# A checked n x n x N double array of networks; the blocks read it in place
# (splitting it into a list would copy every network).
network_array <- function(A, caller) {
  A <- as.array(A)
  if (length(dim(A)) != 3 || dim(A)[1] != dim(A)[2])
    input_error(sprintf("%s(): A must be an n x n x N array of networks.", caller))
  if (!is.double(A)) storage.mode(A) <- "double"
  A
}

# The computation itself, on a list of networks (netdist calls this directly,
# so a plain-R call and a distributed job run the same code).
block_distances <- function(nets, spectra, pairs, gamma, rho) {
  pair_distances(nets, grid_densities(spectra, gamma, unique(as.vector(pairs))), pairs, rho)
}

# H, IM, HIM of the pairs from the networks (a list, or an n x n x N array)
# and their densities on the grid.
pair_distances <- function(nets, D, pairs, rho) {
  n <- if (is.list(nets)) nrow(nets[[1]]) else dim(nets)[1]
  pair_combine(pair_hamming(nets, pairs, n), D, pairs, rho)
}

# H, IM, HIM from H and the densities of the networks.
pair_combine <- function(H, D, pairs, rho) {
  IM <- pair_ipsen(D, pairs)
  cbind(H = H, IM = IM, HIM = him_combine(H, IM, rho))
}

# distance_block() for symmetric networks sent packed: half the bytes.
# Column j of P is network j as c(A[upper.tri(A)], diag(A)) (rescaled to
# [0, 1] already). With D = NULL, the densities come from `spectra` and `gamma`
# on the grid their largest value needs (as distance_block()).
#' @rdname building_blocks
#' @export
distance_block_packed <- function(P, n, pairs, rho = 1, D = NULL, spectra = NULL,
                                  gamma = NULL) {
  P <- as.matrix(P)
  if (!is.double(P)) storage.mode(P) <- "double"
  upper <- n * (n - 1) / 2
  if (nrow(P) != upper + n)
    input_error("distance_block_packed(): P needs n (n + 1) / 2 rows, the strict upper ",
                "triangle of each network by column, then its diagonal.")
  pairs <- matrix(as.integer(pairs), ncol = 2)
  if (is.null(D)) D <- grid_densities(spectra, gamma, unique(as.vector(pairs)))
  H <- packed_hamming_sums(P, pairs, as.integer(upper)) / (n * (n - 1))
  pair_combine(H, as.matrix(D), pairs, rho)
}
