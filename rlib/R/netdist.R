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
