# DTWMIC: a blend of dynamic-time-warping similarity and MIC.

#' DTWMIC: A_ij = ((d^2 + m^2) / 2)^(DP / 2).
#'
#' d = 1 / (1 + normalised DTW distance) (C++, symmetric2 step pattern);
#' m = MIC of the pair with minerva defaults (alpha 0.6, C 15, var.thr 1e-5),
#' i.e. mine(x_i, x_j) for i < j: a low-variance x_i gives m = 0.
#' @noRd
infer_dtwmic <- function(x, DP = 1) {
  if (!is.numeric(DP) || length(DP) != 1L || is.na(DP) || DP <= 0)
    input_error("DP (DTWMIC exponent) must be one positive number, e.g. DP = 1.")
  d <- 1 / (1 + dtw_columns(x))
  m <- mic_upper_defaults(x)
  ((d^2 + m^2) / 2)^(DP / 2)
}
