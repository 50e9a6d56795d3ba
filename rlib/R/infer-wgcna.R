# WGCNA-family methods through the Debian WGCNA package, one thread each
# (parallelism belongs to dask; WGCNA threads are never enabled).

check_power <- function(P) {
  if (!is.numeric(P) || length(P) != 1L || is.na(P) || P <= 0)
    input_error("P (the soft-threshold power) must be one positive number, e.g. P = 6.")
  P
}

wgcna_use <- function(use) if (use == "all.obs") "all.obs" else "pairwise.complete.obs"

#' WGCNA: unsigned adjacency |r|^P of Pearson correlations.
#' @noRd
infer_wgcna <- function(x, P = 6, use = "all.obs") {
  P <- check_power(P)
  # |r|^P (WGCNA's unsigned adjacency) from the exact correlations of
  # infer-cor.R; with missing values, WGCNA's pairwise version.
  if (use == "all.obs" && !anyNA(x)) return(abs(cor_matrix(x))^P)
  # unsignedAdjacency evaluates corOptions as text: ours is a constant.
  opts <- if (use == "all.obs") "use = 'all.obs'" else "use = 'p'"
  WGCNA::unsignedAdjacency(x, power = P, corFnc = "cor", corOptions = opts)
}

#' TOM: unsigned topological overlap of |r|^P. `use` is accepted for the
#' dispatcher: WGCNA's TOM correlates pairwise-complete by itself.
#' @noRd
infer_tom <- function(x, P = 6, use = "all.obs") {
  P <- check_power(P)
  WGCNA::TOMsimilarityFromExpr(x, corType = "pearson", networkType = "unsigned",
                               power = P, TOMType = "unsigned", nThreads = 1,
                               verbose = 0)
}

#' bicor: absolute biweight midcorrelation (WGCNA defaults).
#' @noRd
infer_bicor <- function(x, use = "all.obs", maxPOutliers = 1) {
  abs(WGCNA::bicor(x, use = wgcna_use(use), maxPOutliers = maxPOutliers,
                   nThreads = 1))
}
