# Documentation of the building blocks of netdist and netSI (one Rd topic,
# ?building_blocks); each function carries @rdname building_blocks where it
# is defined.

#' Building blocks of netdist and netSI
#'
#' The pieces \code{\link{netdist}} and \code{\link{netSI}} are made of,
#' exported so that a job can be split into tasks (one spectrum per network,
#' blocks of pairs, one network per resample) and still give exactly the
#' numbers of a plain call.
#'
#' @param n number of nodes (of the original network when \code{directed}).
#'   For \code{distance_block_packed}: the number of nodes of each network.
#' @param directed treat the network as directed: its spectrum is that of the
#'   bipartite embedding \eqn{[[0, A^T], [A, 0]]}, and gamma is the root for the
#'   embeddings of the empty and complete digraph (spectrum
#'   \eqn{\{0, N-2 \times (N-1), N \times (N-1), 2N-2\}}).
#' @param A a network (square matrix); for \code{distance_block},
#'   \code{distance_block_dens} and \code{network_spectra} an
#'   \eqn{n \times n \times N}{n x n x N} array of networks (rescaled to
#'   \[0, 1\] already, except for \code{network_spectra}).
#' @param label name of the network in messages.
#' @param B a network of the same size as \code{A}.
#' @param s1,s2 spectra from \code{laplacian_spectrum} (same length).
#' @param gamma the Lorentzian half-width.
#' @param spectra matrix with one column of omegas per network of \code{A}.
#' @param pairs two-column matrix of 1-based network indices.
#' @param rho weight of IM in HIM.
#' @param N number of samples (rows).
#' @param resamp.method,k,h,sseed as in \code{\link{netSI}}.
#' @param adj a \eqn{p \times p \times R}{p x p x R} array of resampled networks.
#' @param out_s,in_s R x p out (row sums) and in (column sums) strengths of
#'   the resampled networks: \code{netsi_sd} from strengths computed elsewhere
#'   (a distributed job sums each network where it is inferred).
#' @param omega the spectrum of one network (\code{laplacian_spectrum}).
#' @param D matrix with one column of densities (\code{spectrum_density}) per
#'   network of \code{A}.
#' @param P for \code{distance_block_packed}: one column per symmetric network,
#'   \code{c(A[upper.tri(A)], diag(A))} of the rescaled network (half the bytes
#'   of \code{A}); \code{D}, or else \code{spectra} and \code{gamma}, as above.
#' @param x samples x variables data matrix, as for \code{\link{mat2adj}}.
#' @param upper the sum of \code{mine_rows} results covering every row.
#' @param measure,alpha,C,est,use,tol,var.thr as for \code{mat2adj(x, "MINE")}.
#' @param symm edges \eqn{i<j} only (\code{TRUE}) or all ordered pairs.
#' @param rows \code{NULL} (all edges) or the first nodes of the edges wanted:
#'   \code{netsi_sw(adj, rows = r)} is the part of \code{netsi_sw(adj)} for the
#'   edges \eqn{(i, j)} with \eqn{i} in \code{r}, in the same order. \code{adj}
#'   may then be just those rows of the networks, \code{adj[sort(r), , ]}. For
#'   \code{mine_rows}: the 1-based columns whose MINE against every later
#'   column is wanted (rows of the upper triangle).
#'
#' @details
#' \code{spectrum_density}: for rescaled networks (weights in \[0, 1\]) the IM
#' quadrature grid depends only on the number of nodes and gamma, so densities
#' of networks of the same size can be paired; densities of different lengths
#' cannot (use \code{distance_block}). \code{distance_block_dens} is
#' \code{distance_block} with each network's density computed once (a job
#' split into many blocks would otherwise evaluate a network's density in
#' every block it appears in). \code{network_spectra} does in one call what a
#' distributed job needs of each network of a chunk before pairing them.
#' \code{distance_block_packed} reads symmetric networks packed as their
#' upper triangle and diagonal; its Hamming sums add the same terms in
#' another order, so they may differ from \code{distance_block}'s in the last
#' bits. \code{mine_rows} + \code{mine_finish}: \code{mat2adj(x, "MINE")}
#' split into blocks of rows of the upper triangle; the sum of blocks covering
#' every row, finished, is exactly the all-pairs network.
#'
#' @return
#' \code{optimal_gamma}: the root in \[0.01, 1\] of IM(empty, complete) = 1
#' (closed form, \code{uniroot} at machine tolerance).
#' \code{laplacian_spectrum}: ascending \eqn{\sqrt{|\lambda|}} of the Laplacian
#' eigenvalues rounded to 5 decimals, the first dropped (length n - 1, or 2n - 1
#' when directed).
#' \code{rescale_network}: \code{A}, min-max rescaled to \[0, 1\] (with a warning
#' of class \code{renette_rescaled}) when an entry lies outside.
#' \code{hamming}: H. \code{ipsen_from_spectra}: IM.
#' \code{distance_block}: a matrix with columns \code{H}, \code{IM}, \code{HIM},
#' one row per pair.
#' \code{resampling_indices}: a list of 1-based row index vectors, drawn after
#' \code{set.seed(sseed)} exactly as nettools draws them.
#' \code{netsi_sw}: Sw per edge (named \code{"i-j"}); \code{netsi_sd}: Sd per
#' node (in/out strengths when some network is asymmetric);
#' \code{netsi_sd_strengths}: the same from the strengths, nodes named 1..p.
#' \code{spectrum_density}: the density on the IM quadrature grid (times the
#' square root of the weights); \code{distance_block_dens}: as
#' \code{distance_block}, from densities (equal to it; each network's density is
#' computed once); \code{distance_block_packed}: the same from packed symmetric
#' networks. \code{network_spectra}: \code{list(A, omega, D)}, lists of the
#' rescaled networks (\code{NULL} for a network already in \[0, 1\], which is
#' used as it is), their spectra and densities, entry j from network j.
#' \code{mine_rows}: p x p, zero except row \code{i} right of the diagonal for
#' \code{i} in \code{rows}; \code{mine_finish}: the network
#' \code{mat2adj(x, "MINE")} returns.
#'
#' @seealso \code{\link{netdist}}, \code{\link{netSI}},
#'   \code{\link{hamming_node_share}}
#' @examples
#' A <- matrix(c(0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0), 4)
#' B <- 1 - diag(4)
#' g <- optimal_gamma(4)
#' s <- cbind(laplacian_spectrum(A), laplacian_spectrum(B))
#' ipsen_from_spectra(s[, 1], s[, 2], g)
#' distance_block(array(c(A, B), c(4, 4, 2)), s, rbind(c(1, 2)), g)
#' resampling_indices(6, "kCV", k = 3, h = 1, sseed = 0)
#' P <- sapply(list(A, B), function(X) c(X[upper.tri(X)], diag(X)))
#' distance_block_packed(P, 4, rbind(c(1, 2)), spectra = s, gamma = g)  # the same
#' D <- cbind(spectrum_density(s[, 1], g), spectrum_density(s[, 2], g))
#' distance_block_dens(array(c(A, B), c(4, 4, 2)), D, rbind(c(1, 2)))  # the same
#' str(network_spectra(array(c(A, 2 * B), c(4, 4, 2)), gamma = g))  # 2 * B is rescaled
#' hamming(A, B)
#' rescale_network(2 * A)  # warns: entries outside [0, 1]
#'
#' # stability of three resampled networks: Sw per edge, Sd per node
#' adj <- array(c(A, B, A), c(4, 4, 3))
#' netsi_sw(adj)
#' netsi_sd(adj)
#' netsi_sd_strengths(t(apply(adj, 3, rowSums)), t(apply(adj, 3, colSums)))  # the same
#'
#' # all-pairs MINE split into two blocks of rows
#' set.seed(1)
#' x <- matrix(rnorm(40 * 4), 40)
#' upper <- mine_rows(x, 1:2) + mine_rows(x, 3:4)
#' all.equal(mine_finish(x, upper), mat2adj(x, "MINE"), check.attributes = FALSE)
#' @name building_blocks
NULL
