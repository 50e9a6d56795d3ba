# MINE statistics through minerva (the same libmine engine as nettools used).

MINE_MEASURES <- c("MIC", "MAS", "MEV", "MCN", "MICR2", "GMIC", "TIC")

check_mine_args <- function(measure, alpha, C) {
  if (!is.character(measure) || length(measure) != 1L || !measure %in% MINE_MEASURES)
    input_error("measure must be one of ", paste(MINE_MEASURES, collapse = ", "), ".")
  if (!is.numeric(alpha) || length(alpha) != 1L || is.na(alpha) || alpha <= 0 || alpha > 1)
    input_error("alpha (MINE) must be one number in (0, 1], e.g. 0.6.")
  if (!is.numeric(C) || length(C) != 1L || is.na(C) || C <= 0)
    input_error("C (MINE) must be one positive number, e.g. 15.")
}

#' MINE: minerva::mine(x)[[measure]].
#'
#' minerva's own var.thr (not mat2adj's tol) zeroes the ROW of every variable
#' with smaller variance, so the result can be asymmetric; MICR2 = MIC - r^2
#' can be negative. Both are kept as minerva gives them.
#' @noRd
infer_mine <- function(x, measure = "MIC", alpha = 0.6, C = 15, var.thr = 1e-5,
                       est = "mic_approx") {
  check_mine_args(measure, alpha, C)
  res <- suppressWarnings(   # minerva warns about low-variance rows; documented
    minerva::mine(x, alpha = alpha, C = C, var.thr = var.thr, est = est,
                  n.cores = 1))
  res[[measure]]
}
