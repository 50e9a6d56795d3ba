# cor: absolute correlation (Pearson by default; any method of stats::cor).

#' @noRd
infer_cor <- function(x, method = "pearson", use = "all.obs") {
  method <- match.arg(method, c("pearson", "spearman", "kendall"))
  abs(fast_cor(x, method, use))
}

#' stats::cor(x, method, use), through WGCNA's BLAS-based cor where that gives
#' the same numbers: Pearson or Spearman without missing values (10x faster
#' than stats::cor on 400 x 2000, equal to ~1e-15, a constant column NA with
#' stats::cor's warning). Spearman is Pearson on ranks, ranked as stats::cor
#' ranks them. Kendall, and missing values (`use`, ranks per pair), go to
#' stats::cor. Every correlation-based inference goes through here.
#' @noRd
fast_cor <- function(x, method = "pearson", use = "everything") {
  if (method == "kendall" || anyNA(x)) return(stats::cor(x, method = method, use = use))
  if (method == "spearman") x <- apply(x, 2L, rank, na.last = "keep")
  r <- WGCNA::cor(x, nThreads = 1L)
  # without missing values, NA means a constant column: warn as stats::cor
  if (anyNA(r)) warning("the standard deviation is zero")
  r
}
