# cor: absolute correlation (Pearson by default; any method of stats::cor).

#' @noRd
infer_cor <- function(x, method = "pearson", use = "all.obs") {
  method <- match.arg(method, c("pearson", "spearman", "kendall"))
  if (method != "kendall" && !anyNA(x)) {
    # The same numbers through WGCNA's BLAS-based cor (one thread): 10x faster
    # than stats::cor on 400 x 2000, equal to ~1e-15, constant columns NA as
    # there. Spearman is Pearson on ranks, ranked as stats::cor ranks them.
    # With missing values stats::cor decides (`use`, ranks per pair).
    if (method == "spearman") x <- apply(x, 2L, rank, na.last = "keep")
    r <- WGCNA::cor(x, nThreads = 1L)
    # without missing values, NA means a constant column: warn as stats::cor
    if (anyNA(r)) warning("the standard deviation is zero")
    return(abs(r))
  }
  abs(stats::cor(x, method = method, use = use))
}
