# mpnetdist(): H, IM and HIM between two multiplex networks, through their
# supra-adjacency matrices (nettools 1.0.4+ semantics: layers symmetrised from
# their lower triangle, no rescaling, no directed handling).

# One multiplex network: list(I = l x l inter-layer adjacency,
# L = n x n x l array of layers) -> its (n l) x (n l) supra-adjacency
# blockdiag(L_1, ..., L_l) + I (x) I_n.
supra_adjacency <- function(m, label) {
  if (!is.list(m) || is.null(m$I) || is.null(m$L))
    input_error("Multiplex network ", label, " must be a list with I (the l x l ",
                "inter-layer matrix) and L (an n x n x l array of layers).")
  L <- m$L
  if (length(dim(L)) != 3 || dim(L)[1] != dim(L)[2])
    input_error("Multiplex network ", label, ": L must be an n x n x l array of ",
                "square layers (got dimensions ", paste(dim(L), collapse = " x "), ").")
  I <- as_network(m$I, paste0(label, "$I"))
  n <- dim(L)[1]; l <- dim(L)[3]
  if (nrow(I) != l)
    input_error("Multiplex network ", label, " has ", l, " layers but its inter-layer ",
                "matrix I is ", nrow(I), " x ", nrow(I), ".")
  if (!isSymmetric(unname(I)))
    input_error("The inter-layer matrix I of multiplex network ", label, " is not ",
                "symmetric: directed multiplex networks are not supported.")
  if (!all(is.finite(L)))
    input_error("Multiplex network ", label, " has missing or infinite layer weights.")
  S <- kronecker(I, diag(n))
  for (s in seq_len(l)) {
    A <- L[, , s]
    A[upper.tri(A)] <- t(A)[upper.tri(A)]  # symmetrised from the lower triangle
    r <- (s - 1) * n + seq_len(n)
    S[r, r] <- S[r, r] + A
  }
  S
}

#' Distances between multiplex networks
#'
#' H, IM and HIM between two multiplex networks (nettools' \code{mpnetdist}),
#' through their supra-adjacency matrices.
#'
#' @param x,y multiplex networks, each \code{list(I = , L = )} with \code{I}
#'   the symmetric \eqn{l \times l}{l x l} inter-layer adjacency and \code{L} an
#'   \eqn{n \times n \times l}{n x n x l} array of layer adjacencies.
#' @param d,ga,components,rho,\dots as in \code{\link{netdist}}.
#'
#' @details
#' The supra-adjacency is \eqn{blockdiag(L_1,\dots,L_l) + I \otimes I_n}, each
#' layer symmetrised from its lower triangle; its Laplacian is the
#' supra-Laplacian. The distances are those of \code{\link{netdist}} on the two
#' supra-adjacencies (\eqn{nl} nodes, gamma = \code{optimal_gamma(n l)}), without
#' rescaling and without directed handling, as in nettools.
#'
#' @return A named numeric vector as for a pair in \code{\link{netdist}}.
#' @examples
#' set.seed(1)
#' I <- 1 - diag(2)
#' L1 <- array(runif(5 * 5 * 2), c(5, 5, 2))
#' L2 <- array(runif(5 * 5 * 2), c(5, 5, 2))
#' mpnetdist(list(I = I, L = L1), list(I = I, L = L2))
#' @export
mpnetdist <- function(x, y, d = "HIM", ga = NULL, components = TRUE, rho = 1, ...) {
  d <- match_distance(d)
  check_rho_ga(rho, ga)
  warn_ignored_dots(list(...), "mpnetdist")
  Sx <- supra_adjacency(x, "x"); Sy <- supra_adjacency(y, "y")
  if (!identical(dim(Sx), dim(Sy)))
    input_error("The multiplex networks x and y have different sizes (supra-adjacency ",
                nrow(Sx), " and ", nrow(Sy), " nodes): they need the same nodes and layers.")
  N <- nrow(Sx)
  prep <- list(nets = list(Sx, Sy), n = N, directed = FALSE,
               gamma = if (is.null(ga)) optimal_gamma(N) else ga)
  res <- network_distances(prep, matrix(1:2, 1), d, rho)
  keep <- if (d == "HIM" && isTRUE(components)) c("H", "IM", "HIM") else d
  res[1, keep]
}
