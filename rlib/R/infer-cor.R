# cor: absolute correlation (Pearson by default; any method of stats::cor).

#' @noRd
infer_cor <- function(x, method = "pearson", use = "all.obs") {
  method <- match.arg(method, c("pearson", "spearman", "kendall"))
  abs(stats::cor(x, method = method, use = use))
}
