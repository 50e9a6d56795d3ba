# The IM half of distance_block with each network's density computed once.
# distance_block() evaluates the density of every network of its block on the
# quadrature grid (O(grid x n) each); a job split into many blocks would redo
# that for a network in every block it appears in (15x the work of netdist for
# 50 networks in 91 blocks). A distributed job instead computes
# spectrum_density() once per network and passes the densities to
# distance_block_dens(); the result equals distance_block()'s.

# Density of one spectrum on the IM quadrature grid (times sqrt(weight)).
# For rescaled networks (weights in [0, 1]) the grid depends only on the
# number of nodes and gamma, so densities of networks of the same size can
# be paired; densities of different lengths cannot (use distance_block).
#' @rdname building_blocks
#' @export
spectrum_density <- function(omega, gamma) {
  omega <- as.numeric(omega)
  grid <- ipsen_grid(length(omega) + 1L, gamma, max(omega, 0))
  density_on_grid(omega, gamma, grid)
}

# distance_block() from densities: `D` has one column per network
# (spectrum_density), the rest as distance_block().
#' @rdname building_blocks
#' @export
distance_block_dens <- function(A, D, pairs, rho = 1) {
  A <- network_array(A, "distance_block_dens")
  D <- as.matrix(D)
  if (ncol(D) != dim(A)[3])
    input_error("distance_block_dens(): D needs one column per network of A.")
  pair_distances(A, D, matrix(as.integer(pairs), ncol = 2), rho)
}

# Rescaled networks, spectra and IM densities of many networks in one call:
# what a distributed job needs of each network before pairing them, one R
# call per chunk of networks instead of three per network (each call from
# Python costs about a millisecond and a round trip of the matrix).
# Returns list(A = list of rescaled networks, NULL for a network already in
# [0, 1] (unchanged: not sent back), omega = list of spectra, D = list of
# densities), each entry j from network j.
#' @rdname building_blocks
#' @export
network_spectra <- function(A, directed = FALSE, gamma) {
  A <- network_array(A, "network_spectra")
  N <- dim(A)[3]
  scaled <- omega <- D <- vector("list", N)
  n <- dim(A)[1]
  for (j in seq_len(N)) {
    r <- network_range(A, n, j)
    if (anyNA(r)) input_error("Network ", j, " has missing or infinite weights.")
    ev <- if (r[1] >= 0 && r[2] <= 1) {
      laplacian_values(A, n, j, isTRUE(directed))  # read in place: no copy
    } else {
      scaled[[j]] <- rescale_checked(A[, , j], j)
      laplacian_values(scaled[[j]], n, 1L, isTRUE(directed))
    }
    omega[[j]] <- spectrum_omegas(ev)
    D[[j]] <- spectrum_density(omega[[j]], gamma)
  }
  list(A = scaled, omega = omega, D = D)
}
