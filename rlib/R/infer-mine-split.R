# mat2adj(x, "MINE") split into blocks of column pairs, so the Python side can
# spread all-pairs MINE (the slowest inference: ~7 s for 100 x 100) across
# dask workers:
#   mine_rows(x, rows, ...) for disjoint sets of rows of the upper triangle,
#   mine_finish(x, upper, ...) on the sum of those blocks
# gives exactly mat2adj(x, "MINE", ...). minerva::mine(x[, i:p], master = 1)
# computes MINE of column i against each later column, as the all-pairs call
# does for those pairs.

# The input checks and missing-value handling of mat2adj, for MINE.
mine_prepare <- function(x, use, tol) {
  use <- match_use(use)
  x <- as_data_matrix(x)
  x <- handle_missing(x, use, "MINE")
  check_data_shape(x, "MINE")
  check_variance(x, tol)
  x
}

# MINE of columns `rows` against every later column: one block of the upper
# triangle of mat2adj(x, "MINE"). Returns a p x p matrix, zero except [i, j]
# for i in rows and j > i.
#' @rdname building_blocks
#' @export
mine_rows <- function(x, rows, measure = "MIC", alpha = 0.6, C = 15,
                      est = "mic_approx", use = "all.obs", tol = 1e-5) {
  x <- mine_prepare(x, use, tol)
  check_mine_args(measure, alpha, C, 0)
  p <- ncol(x)
  rows <- as.integer(rows)
  if (anyNA(rows) || any(rows < 1L | rows > p))
    input_error("rows must be column indices between 1 and ", p, ".")
  out <- matrix(0, p, p)
  for (i in rows[rows < p]) {
    res <- minerva::mine(x[, i:p, drop = FALSE], master = 1L, alpha = alpha, C = C,
                         var.thr = 0, est = est)
    out[i, (i + 1L):p] <- res[[measure]][-1L]
  }
  out
}

# mat2adj(x, "MINE") from the sum of mine_rows blocks covering every row
# (upper: the p x p sum of the mine_rows results).
#' @rdname building_blocks
#' @export
mine_finish <- function(x, upper, measure = "MIC", var.thr = 1e-5,
                        use = "all.obs", tol = 1e-5) {
  x <- mine_prepare(x, use, tol)
  check_mine_args(measure, 0.6, 15, var.thr)
  A <- upper + t(upper)
  # minerva's var.thr step, as infer_mine applies it.
  low <- apply(x, 2, stats::var, na.rm = TRUE) < var.thr
  A[low, ] <- 0
  finish_adjacency(A, colnames(x))
}
