# Permutation filters WGCNAFDR, bicorFDR and MINEFDR (nettools' "fdrrun").
# Not a true FDR: an edge survives only if it beats a freshly permuted
# partner in every one of floor(1/FDR) rounds. Random numbers are drawn in
# nettools' order (one sample(x[, j]) per surviving pair i > j, pairs in
# column-major order), so set.seed(s) before gives nettools' network.

check_fdr <- function(FDR) {
  if (!is.numeric(FDR) || length(FDR) != 1L || is.na(FDR) || FDR <= 0 || FDR > 1)
    input_error("FDR must be one number in (0, 1], e.g. FDR = 1e-3 (1000 permutation rounds).")
  FDR
}

#' Permutation filter of an adjacency.
#'
#' @param x data matrix (N x P).
#' @param adj the base adjacency (P x P, non-negative).
#' @param FDR number of rounds is floor(1/FDR).
#' @param perm_stat function(i, j, perm) giving the statistic of column i
#'   against column j permuted by the 1-based index vector perm.
#' @return adj with the non-surviving pairs set to 0.
#' @noRd
permutation_filter <- function(x, adj, FDR, perm_stat) {
  n <- nrow(x)
  low <- which(lower.tri(adj) & adj != 0, arr.ind = TRUE)  # column-major: j, then i
  i <- low[, 1]
  j <- low[, 2]
  alive <- rep(TRUE, length(i))
  # 1/FDR as a count: 1e-3 must give 1000 rounds despite rounding
  rounds <- floor(1 / FDR + 1e-9)
  for (r in seq_len(rounds)) {
    live <- which(alive)
    if (length(live) <= 1L) break        # nettools stops at a single edge
    for (e in live) {
      perm <- sample.int(n)              # what sample(x[, j]) draws
      if (!(adj[i[e], j[e]] > perm_stat(i[e], j[e], perm))) alive[e] <- FALSE
    }
  }
  keep <- matrix(FALSE, nrow(adj), ncol(adj))
  keep[cbind(i[alive], j[alive])] <- TRUE
  keep <- keep | t(keep)
  adj * keep
}

#' WGCNAFDR: |Pearson r| (power forced to 1, as nettools), permutation-filtered.
#' @noRd
infer_wgcna_fdr <- function(x, FDR = 1e-3, P = 1) {
  check_fdr(FDR)
  if (!identical(as.numeric(P), 1))
    warning("WGCNAFDR uses power P = 1 (|r|); P = ", P, " is ignored.", call. = FALSE)
  z <- standardise_columns(x)
  adj <- abs(crossprod(z))
  perm_stat <- function(i, j, perm) abs(sum(z[, i] * z[perm, j]))
  permutation_filter(x, adj, FDR, perm_stat)
}

#' bicorFDR: |bicor|, permutation-filtered (default FDR 1e-3: nettools has none).
#' @noRd
infer_bicor_fdr <- function(x, FDR = 1e-3) {
  check_fdr(FDR)
  z <- bicor_weights(x)
  adj <- abs(crossprod(z))
  perm_stat <- function(i, j, perm) abs(sum(z[, i] * z[perm, j]))
  permutation_filter(x, adj, FDR, perm_stat)
}

#' MINEFDR: MINE measure, permutation-filtered with the SAME alpha and C
#' (nettools uses minerva defaults in the permutations: fixed here).
#' @noRd
infer_mine_fdr <- function(x, FDR = 1e-3, measure = "MIC", alpha = 0.6, C = 15,
                           var.thr = 1e-5) {
  check_fdr(FDR)
  adj <- infer_mine(x, measure = measure, alpha = alpha, C = C, var.thr = var.thr)
  diag(adj) <- 0
  perm_stat <- function(i, j, perm) {
    mine_pair(x[, i], x[perm, j], measure, alpha = alpha, C = C, var.thr = var.thr)
  }
  permutation_filter(x, adj, FDR, perm_stat)
}

#' Columns centred and scaled to unit L2 norm: crossprod gives Pearson r.
#' @noRd
standardise_columns <- function(x) {
  z <- sweep(x, 2, colMeans(x))
  sweep(z, 2, sqrt(colSums(z^2)), "/")
}

#' Biweight midcorrelation weights (WGCNA defaults: maxPOutliers = 1,
#' Pearson fallback for a column whose MAD is 0), unit L2 norm per column,
#' so crossprod gives bicor.
#' @noRd
bicor_weights <- function(x) {
  z <- apply(x, 2, function(v) {
    med <- stats::median(v)
    mad <- stats::median(abs(v - med))
    if (mad == 0) return(v - mean(v))
    u <- (v - med) / (9 * mad)
    w <- (1 - u^2)^2 * (abs(u) < 1)
    (v - med) * w
  })
  sweep(z, 2, sqrt(colSums(z^2)), "/")
}
