# netdist(): Hamming, Ipsen-Mikhailov and HIM distances between two networks
# or among a list of networks, built from the building blocks (rescale,
# spectra once per network, distance_block) so a distributed job gives the
# same numbers.

# nettools' names for the distance, matched with pmatch.
match_distance <- function(d) {
  choices <- c("HIM", "IM", "H", "ipsen", "Ipsen", "IpsenMikhailov",
               "Ipsen-Mikhailov", "hamming", "Hamming")
  m <- if (is.character(d) && length(d) == 1) pmatch(d, choices) else NA
  if (is.na(m))
    input_error("Unknown distance d = '", paste(d, collapse = ","), "': use one of ",
                "HIM, IM (ipsen) or H (hamming).")
  c("HIM", "IM", "H", "IM", "IM", "IM", "IM", "H", "H")[m]
}

check_rho_ga <- function(rho, ga) {
  if (!is.numeric(rho) || length(rho) != 1 || !is.finite(rho) || rho < 0)
    input_error("rho must be one number >= 0 (the weight of IM in HIM), got ",
                format(rho), ".")
  if (!is.null(ga) && (!is.numeric(ga) || length(ga) != 1 || !is.finite(ga) || ga <= 0))
    input_error("ga (the Lorentzian half-width gamma) must be one positive number ",
                "or NULL, got ", format(ga), ".")
}

# nettools accepts only n.cores, verbose and rho in `...`; others are ignored
# with a warning. There is no parallelism here (it belongs to dask).
warn_ignored_dots <- function(dots, fun) {
  extra <- setdiff(names(dots), c("n.cores", "verbose"))
  if (length(extra))
    warning(fun, "(): argument(s) ", paste(extra, collapse = ", "),
            " will be ignored.", call. = FALSE)
}

# Everything netdist needs about a set of networks: rescaled matrices,
# directedness and gamma. Spectra are left to the caller (only IM needs them).
prepare_networks <- function(nets, labels, ga = NULL) {
  nets <- as_network_list(nets, labels)
  # one warning naming every rescaled network (netSI may rescale hundreds)
  rescaled <- character()
  nets <- withCallingHandlers(Map(rescale_checked, nets, labels),
    renette_rescaled = function(w) {
      rescaled <<- c(rescaled, w$network)
      invokeRestart("muffleWarning")
    })
  if (length(rescaled) == 1) {
    warning("Edge weights of network ", rescaled, " are outside [0, 1]: the whole ",
            "matrix was min-max rescaled to [0, 1] (nettools convention).", call. = FALSE)
  } else if (length(rescaled) > 1) {
    warning("Edge weights of ", length(rescaled), " networks (", name_list(rescaled),
            ") are outside [0, 1]: each whole matrix was min-max rescaled to [0, 1] ",
            "separately (nettools convention).", call. = FALSE)
  }
  dir <- vapply(nets, is_directed, TRUE)
  if (any(dir) && !all(dir))
    warning("Networks ", name_list(labels[dir]), " are directed (asymmetric): all ",
            "networks are compared as directed networks.", call. = FALSE)
  n <- nrow(nets[[1]])
  list(nets = nets, n = n, directed = any(dir),
       gamma = if (is.null(ga)) optimal_gamma(n, any(dir)) else ga)
}

# Distances for the given pairs of prepared networks: matrix with columns
# H, IM, HIM (IM and HIM are NA when only H is wanted).
network_distances <- function(prep, pairs, d, rho) {
  if (d == "H") {
    n <- prep$n
    H <- pair_hamming(prep$nets, pairs, n)
    return(cbind(H = H, IM = NA_real_, HIM = NA_real_))
  }
  N <- length(prep$nets)
  used <- sort(unique(as.vector(pairs)))
  spectra <- matrix(0, prep$n * (1 + prep$directed) - 1, N)
  for (j in used)
    spectra[, j] <- laplacian_spectrum(prep$nets[[j]], directed = prep$directed)
  block_distances(prep$nets, spectra, pairs, prep$gamma, rho)
}

all_pairs <- function(N) {
  p <- which(upper.tri(diag(N)), arr.ind = TRUE)
  p[order(p[, 2], p[, 1]), , drop = FALSE]
}

#' Distances between networks: Hamming, Ipsen-Mikhailov and HIM
#'
#' Distances between two networks, or between every pair of a list of networks,
#' with the same names, arguments and numbers as \code{nettools::netdist}
#' (version 1.1.0), computed exactly (closed-form normalisation, no adaptive
#' quadrature) and without nettools' failures on two networks and on directed
#' networks.
#'
#' @param x a network (square numeric \code{matrix}, \code{data.frame},
#'   \code{Matrix} or \code{igraph} object), or a list of networks (named or
#'   not) all on the same nodes.
#' @param h the second network when \code{x} is a single network.
#' @param d the distance: \code{"HIM"} (default), \code{"IM"} or \code{"H"};
#'   nettools' aliases \code{"ipsen"}, \code{"Ipsen"}, \code{"IpsenMikhailov"},
#'   \code{"Ipsen-Mikhailov"}, \code{"hamming"}, \code{"Hamming"} are accepted and
#'   names are partially matched.
#' @param ga the Lorentzian half-width gamma of the spectral densities;
#'   \code{NULL} (default) uses \code{optimal_gamma(n, directed)}, the value
#'   for which the empty and the complete network are at IM distance 1.
#' @param components for \code{d = "HIM"}: also return H and IM (default).
#' @param rho weight of IM in HIM: \eqn{HIM = \sqrt{(H^2 + \rho IM^2)/(1+\rho)}}.
#' @param \dots \code{n.cores} and \code{verbose} are accepted for compatibility
#'   and ignored (parallelism belongs to the caller); any other argument gives
#'   a warning.
#'
#' @details
#' \strong{Hamming} \eqn{H(A,B) = \sum_{i,j} |A_{ij}-B_{ij}| / (n(n-1))}, the
#' diagonal included in the sum (\code{\link{hamming_node_share}} splits it
#' among the nodes).
#'
#' \strong{Ipsen-Mikhailov}: the Laplacian \eqn{L = D - A} (degrees are column
#' sums, a self-loop included) has eigenvalues rounded to 5 decimals;
#' \eqn{\omega_k = \sqrt{|\lambda_k|}} and only the smallest is dropped. Each
#' network gets the density \eqn{\rho(\omega) = K \sum_k \gamma/((\omega-\omega_k)^2+\gamma^2)}
#' on \eqn{[0,\infty)} with the exact normalisation
#' \eqn{K = 1/\sum_k(\pi/2 + \arctan(\omega_k/\gamma))}, and
#' \eqn{IM = \sqrt{\int_0^\infty (\rho_A-\rho_B)^2}}. The integral is evaluated
#' exactly (to about 1e-14) on a fixed Gauss-Legendre grid, so each spectrum is
#' computed once and each pair costs little.
#'
#' \strong{Weights} must lie in \[0, 1\]: a network with an entry outside is
#' min-max rescaled as a whole (diagonal included), separately from the others,
#' with a warning (nettools' convention). Matrix input keeps its diagonal;
#' igraph input uses the \code{weight} edge attribute (binary without one) and
#' drops self-loops.
#'
#' \strong{Directed networks} (asymmetric matrices) follow nettools 1.0.1 and
#' netrd: H as above on the \eqn{N \times N}{N x N} matrices, gamma =
#' \code{optimal_gamma(N, directed = TRUE)}, and the spectrum of the
#' \eqn{2N \times 2N}{2N x 2N} bipartite embedding \eqn{[[0, A^T], [A, 0]]}.
#' If a list mixes symmetric and asymmetric networks all are treated as
#' directed (with a warning).
#'
#' @return For two networks \code{x}, \code{h}: a named numeric vector,
#'   \code{c(H =, IM =, HIM =)} for \code{d = "HIM"} with
#'   \code{components = TRUE}, otherwise the single distance asked for.
#'   For a list: a list of symmetric \eqn{k \times k}{k x k} matrices with zero
#'   diagonal (\code{H}, \code{IM}, \code{HIM}, or just the one asked for),
#'   with the list names as dimnames. A list of two networks also gives
#'   2 x 2 matrices.
#' @references
#' Jurman G. et al. (2015) The HIM glocal metric and kernel for network
#' comparison and classification. IEEE DSAA.
#' @seealso \code{\link{netSI}}, \code{\link{mpnetdist}},
#'   \code{\link{optimal_gamma}}, \code{\link{building_blocks}}
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(30 * 8), 30, 8, dimnames = list(NULL, paste0("g", 1:8)))
#' a <- mat2adj(x[1:15, ])
#' b <- mat2adj(x[16:30, ])
#' netdist(a, b)
#' netdist(a, b, d = "IM", ga = 0.2)
#' netdist(list(first = a, second = b, all = mat2adj(x)), d = "HIM")$HIM
#' # the empty and the complete network are at distance 1
#' netdist(matrix(0, 5, 5), 1 - diag(5))
#' @export
netdist <- function(x, h = NULL, d = "HIM", ga = NULL, components = TRUE, rho = 1, ...) {
  d <- match_distance(d)
  check_rho_ga(rho, ga)
  warn_ignored_dots(list(...), "netdist")
  is_list <- is_network_list(x)
  if (is_list) {
    if (!is.null(h)) input_error("Give either a list of networks or two networks x and h, not both.")
    if (length(x) < 2) input_error("netdist() needs at least two networks (got ", length(x), ").")
    nm <- names(x)
    labels <- if (is.null(nm)) paste("number", seq_along(x)) else
      ifelse(nzchar(nm), paste0("'", nm, "'"), paste("number", seq_along(x)))
    nets <- x
  } else {
    if (is.null(h)) input_error("netdist() needs a second network h, or a list of networks as x.")
    nets <- list(x, h)
    labels <- c("x", "h")
  }
  prep <- prepare_networks(nets, labels, ga)
  N <- length(nets)
  pairs <- all_pairs(N)
  res <- network_distances(prep, pairs, d, rho)
  keep <- if (d == "HIM" && isTRUE(components)) c("H", "IM", "HIM") else d
  if (!is_list) return(res[1, keep])
  out <- lapply(keep, function(k) {
    M <- matrix(0, N, N, dimnames = if (!is.null(names(x))) list(names(x), names(x)))
    M[pairs] <- res[, k]
    M[pairs[, 2:1, drop = FALSE]] <- res[, k]
    M
  })
  stats::setNames(out, keep)
}
