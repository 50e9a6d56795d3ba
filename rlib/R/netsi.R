# netSI(): stability of a network inferred from a data matrix under
# resampling of its samples (global S, internal SI, edge Sw, degree Sd).
# Built from the building blocks (resampling_indices, mat2adj, the distance
# machinery of netdist, netsi_sw, netsi_sd).

NETSI_INDICATORS <- c("S", "SI", "Sw", "Sd")

match_indicators <- function(indicator) {
  if (!is.character(indicator) || length(indicator) == 0 ||
      !all(indicator %in% c("all", NETSI_INDICATORS)))
    input_error("indicator must be \"all\" or any of ",
                paste0("\"", NETSI_INDICATORS, "\"", collapse = ", "), ".")
  if ("all" %in% indicator) NETSI_INDICATORS else NETSI_INDICATORS[NETSI_INDICATORS %in% indicator]
}

# (max - min) / mean of each row of M; NA where the mean is 0 (all.equal).
range_over_mean <- function(M) {
  # Vectorised (per-row apply/all.equal took ~1 s for 200 nodes x 20 resamples):
  # isTRUE(all.equal(v, 0)) is exactly abs(v) <= sqrt(.Machine$double.eps).
  cols <- lapply(seq_len(ncol(M)), function(j) M[, j])
  mx <- do.call(pmax, cols); mn <- do.call(pmin, cols); av <- rowMeans(M)
  zero <- !is.na(av) & abs(av) <= sqrt(.Machine$double.eps)
  ifelse(zero, NA_real_, (mx - mn) / ifelse(zero, 1, av))
}

node_names <- function(adj) {
  nm <- dimnames(adj)[[2]]
  if (is.null(nm)) nm <- as.character(seq_len(dim(adj)[2]))
  nm
}

# Edge weights per resample: edges x R, edges i<j (combn order) or all i != j,
# ordered by first node then second. With `rows`, only the edges whose first
# node is in `rows` (Sw split by rows, e.g. across processes), and
# `adj` may then hold just those rows of each network (length(rows) x p x R).
edge_weights <- function(adj, symm = TRUE, rows = NULL) {
  p <- dim(adj)[2]
  rows <- if (is.null(rows)) seq_len(p) else sort(unique(as.integer(rows)))
  second <- lapply(rows, function(i) if (isTRUE(symm)) seq_len(p)[-seq_len(i)] else seq_len(p)[-i])
  e <- cbind(rep(rows, lengths(second)), unlist(second, use.names = FALSE))
  first <- if (dim(adj)[1] == p) e[, 1] else match(e[, 1], rows)
  R <- dim(adj)[3]
  idx <- cbind(rep(first, R), rep(e[, 2], R), rep(seq_len(R), each = nrow(e)))
  W <- matrix(adj[idx], nrow(e), R)
  rownames(W) <- paste(e[, 1], e[, 2], sep = "-")
  W
}

# Node strengths per resample: R x p (row sums), or R x 2p (in = column
# sums, out = row sums) when some network is asymmetric.
node_strengths <- function(adj) {
  # colSums of an array: one column of sums per network
  strength_table(t(colSums(aperm(adj, c(2, 1, 3)))), t(colSums(adj)), node_names(adj))
}

# The strengths netSI reports from out (row) and in (column) strengths, R x p
# each: the out strengths when they equal the in strengths, else in then out.
strength_table <- function(out_s, in_s, nm) {
  out_s <- as.matrix(out_s); in_s <- as.matrix(in_s)
  if (isTRUE(all.equal(out_s, in_s, check.attributes = FALSE))) {
    dimnames(out_s) <- list(NULL, nm)
    return(out_s)
  }
  S <- cbind(in_s, out_s)
  dimnames(S) <- list(NULL, c(paste0(nm, "-in"), paste0(nm, "-out")))
  S
}

check_adj_array <- function(adj) {
  if (length(dim(adj)) != 3 || dim(adj)[1] != dim(adj)[2])
    input_error("Expected a p x p x R array of resampled networks.")
  adj
}

#' @rdname building_blocks
#' @export
netsi_sw <- function(adj, symm = TRUE, rows = NULL) {
  d <- dim(adj)
  slab <- !is.null(rows) && length(d) == 3 && d[1] != d[2] &&
    d[1] == length(unique(rows)) && all(rows >= 1 & rows <= d[2])
  range_over_mean(edge_weights(if (slab) adj else check_adj_array(adj), symm, rows))
}

#' @rdname building_blocks
#' @export
netsi_sd <- function(adj) {
  sd_from_strengths(node_strengths(check_adj_array(adj)))
}

#' @rdname building_blocks
#' @export
netsi_sd_strengths <- function(out_s, in_s) {
  out_s <- as.matrix(out_s)
  if (!identical(dim(out_s), dim(as.matrix(in_s))))
    input_error("netsi_sd_strengths(): out_s and in_s must both be R x p.")
  sd_from_strengths(strength_table(out_s, in_s, as.character(seq_len(ncol(out_s)))))
}

sd_from_strengths <- function(S) stats::setNames(range_over_mean(t(S)), colnames(S))

# Split netSI's `...` between netdist (ga, rho), nothing (n.cores, verbose,
# components: SI always uses the chosen distance) and mat2adj (the rest).
split_netsi_dots <- function(dots) {
  nm <- names(dots)
  if (length(dots) && (is.null(nm) || any(!nzchar(nm))))
    input_error("Extra arguments of netSI() must be named (e.g. P = 6, rho = 1).")
  list(dist = dots[nm %in% c("ga", "rho")],
       infer = dots[!nm %in% c("ga", "rho", "components", "n.cores", "verbose")])
}

#' Stability indicators of an inferred network under resampling
#'
#' How stable a network inferred by \code{\link{mat2adj}} is when the samples
#' are resampled (nettools' \code{netSI}): the same seed gives the same
#' resamples and the same numbers as nettools 1.1.0, with its bugs fixed (SI
#' uses the chosen distance; each indicator can be asked for alone).
#'
#' @param x data matrix or data.frame, samples in rows, variables in columns.
#' @param indicator \code{"all"} or any of \code{"S"}, \code{"SI"},
#'   \code{"Sw"}, \code{"Sd"}.
#' @param d distance for S and SI: \code{"HIM"}, \code{"IM"} or \code{"H"}
#'   (see \code{\link{netdist}}).
#' @param adj.method inference method passed to \code{mat2adj} as
#'   \code{infer.method}.
#' @param resamp.method \code{"montecarlo"} (\code{h} draws of
#'   \code{floor(N(1-1/k))} rows without replacement), \code{"kCV"} (\code{h}
#'   repetitions of a random split into \code{k} folds, each resample leaving
#'   one fold out: \code{h*k} resamples) or \code{"LOO"} (leave one row out:
#'   \code{N} resamples; \code{k} and \code{h} ignored).
#' @param k,h see \code{resamp.method}.
#' @param sseed \code{set.seed(sseed)} is called just before the resampling.
#' @param save also return the networks, the bootstrap values and the index sets.
#' @param symm Sw over edges \eqn{i<j} (\code{TRUE}) or over all ordered
#'   pairs \eqn{i \ne j}.
#' @param \dots \code{ga} and \code{rho} go to the distance; every other named
#'   argument (\code{method}, \code{P}, \code{FDR}, \code{measure}, \code{alpha},
#'   \code{C}, \code{DP}, \code{var.thr}, \code{tol}, \code{use}, ...) goes to
#'   \code{mat2adj}. \code{components}, \code{n.cores} and \code{verbose} are
#'   accepted and ignored.
#'
#' @details
#' With ADJ the network inferred on all rows and \eqn{ADJ_r} those inferred on
#' the resamples: \code{S} is the mean of \eqn{d(ADJ, ADJ_r)}; \code{SI} the mean
#' of \eqn{d(ADJ_r, ADJ_s)} over all pairs \eqn{r<s}; \code{Sw} for each edge and
#' \code{Sd} for each node strength (row sums) are (max - min) / mean over the
#' resamples (\code{NA} when the mean is 0). When some network is asymmetric
#' \code{Sd} has in-strengths (column sums, names \code{"node-in"}) then
#' out-strengths (row sums, \code{"node-out"}). Networks are rescaled and
#' distances computed exactly as in \code{\link{netdist}}.
#'
#' @return A list with the requested \code{S}, \code{SI}, \code{Sw} (named by
#'   edge \code{"i-j"}), \code{Sd} (named by node). With \code{save = TRUE}
#'   also \code{call}, \code{ADJ}, \code{ADJlist}, \code{S_boot} (one value per
#'   resample), \code{SI_boot} (pairs \eqn{r<s} in column-major upper-triangle
#'   order), \code{Sw_boot} (edges x resamples), \code{Sd_boot} (resamples x
#'   nodes) and \code{indices} (the 1-based rows of every resample).
#' @seealso \code{\link{netdist}}, \code{\link{resampling_indices}}
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(30 * 6), 30, 6, dimnames = list(NULL, paste0("g", 1:6)))
#' x[, 2] <- x[, 1] + rnorm(30, sd = 0.3)
#' s <- netSI(x, d = "HIM", adj.method = "cor", resamp.method = "montecarlo", h = 10)
#' s$S
#' s$SI
#' s$Sd
#' netSI(x, indicator = "Sw", resamp.method = "kCV", k = 3, h = 2)
#' @export
netSI <- function(x, indicator = "all", d = "HIM", adj.method = "cor",
                  resamp.method = "montecarlo", k = 3, h = 20, sseed = 0,
                  save = FALSE, symm = TRUE, ...) {
  cl <- match.call()
  ind <- match_indicators(indicator)
  d <- match_distance(d)
  dots <- split_netsi_dots(list(...))
  rho <- if (is.null(dots$dist$rho)) 1 else dots$dist$rho
  ga <- dots$dist$ga
  check_rho_ga(rho, ga)
  if (is.null(dim(x)) || length(dim(x)) != 2)
    input_error("netSI() needs a data matrix (samples in rows, variables in columns).")
  idx <- resampling_indices(nrow(x), resamp.method, k, h, sseed)
  infer <- function(rows) do.call(mat2adj, c(list(x[rows, , drop = FALSE],
                                                   infer.method = adj.method), dots$infer))
  # a resample can fail where the full data do not (e.g. a column constant on
  # the kept rows): say which resample
  ADJlist <- lapply(seq_along(idx), function(r) tryCatch(infer(idx[[r]]),
    renette_input_error = function(e)
      input_error("Resample ", r, " of ", length(idx), " (", length(idx[[r]]), " of ",
                  nrow(x), " samples): ", conditionMessage(e),
                  " Try another resampling (more samples per resample, other sseed).")))
  ADJ <- infer(seq_len(nrow(x)))  # after the resamples, as nettools (RNG order)
  R <- length(ADJlist)
  res <- list()
  if (any(c("S", "SI") %in% ind)) {
    labels <- c("inferred on all samples", paste("of resample", seq_len(R)))
    prep <- prepare_networks(c(list(ADJ), ADJlist), labels, ga)
    sp <- if ("S" %in% ind) cbind(1L, seq_len(R) + 1L) else NULL
    si <- if ("SI" %in% ind) all_pairs(R) + 1L else NULL
    dist <- network_distances(prep, rbind(sp, si), d, rho)[, d]
    if ("S" %in% ind) {
      S_boot <- dist[seq_len(R)]
      res$S <- mean(S_boot)
    }
    if ("SI" %in% ind) {
      SI_boot <- dist[NROW(sp) + seq_len(nrow(si))]
      res$SI <- mean(SI_boot)
    }
  }
  adj <- array(unlist(ADJlist), c(dim(ADJ), R), dimnames = c(dimnames(ADJ), list(NULL)))
  if ("Sw" %in% ind) {
    Sw_boot <- edge_weights(adj, symm)
    res$Sw <- range_over_mean(Sw_boot)
  }
  if ("Sd" %in% ind) {
    Sd_boot <- node_strengths(adj)
    res$Sd <- sd_from_strengths(Sd_boot)
  }
  if (isTRUE(save)) {
    res$call <- cl
    res$ADJ <- ADJ
    res$ADJlist <- ADJlist
    if ("S" %in% ind) res$S_boot <- S_boot
    if ("SI" %in% ind) res$SI_boot <- SI_boot
    if ("Sw" %in% ind) res$Sw_boot <- Sw_boot
    if ("Sd" %in% ind) res$Sd_boot <- Sd_boot
    res$indices <- idx
  }
  res
}
