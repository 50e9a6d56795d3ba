# MINE statistics through minerva (the same libmine engine nettools used).

MINE_MEASURES <- c("MIC", "MAS", "MEV", "MCN", "MICR2", "GMIC", "TIC")

# The last all-pairs MINE result, so asking for another measure (or another
# var.thr) of the same data does not rerun minerva (~25 s for 389 x 60).
# Only kept up to MINE_CACHE_MAX_P variables, to bound the memory held.
mine_cache <- new.env(parent = emptyenv())
MINE_CACHE_MAX_P <- 1000L

check_mine_args <- function(measure, alpha, C, var.thr) {
  if (!is.character(measure) || length(measure) != 1L || !measure %in% MINE_MEASURES)
    input_error("measure must be one of ", paste(MINE_MEASURES, collapse = ", "), ".")
  if (!is.numeric(alpha) || length(alpha) != 1L || is.na(alpha) || alpha <= 0 || alpha > 1)
    input_error("alpha (MINE) must be one number in (0, 1], e.g. 0.6.")
  if (!is.numeric(C) || length(C) != 1L || is.na(C) || C <= 0)
    input_error("C (MINE) must be one positive number, e.g. 15.")
  if (!is.numeric(var.thr) || length(var.thr) != 1L || is.na(var.thr) || var.thr < 0)
    input_error("var.thr (MINE) must be one number >= 0, e.g. 1e-5.")
}

#' All MINE measures of all column pairs, without minerva's var.thr step.
#' @noRd
mine_all_pairs <- function(x, alpha, C, est) {
  key <- list(x = unname(x), alpha = as.double(alpha), C = as.double(C), est = est)
  if (identical(mine_cache$key, key)) return(mine_cache$value)
  res <- minerva::mine(x, alpha = alpha, C = C, var.thr = 0, est = est,
                       n.cores = 1)
  if (ncol(x) <= MINE_CACHE_MAX_P) {
    mine_cache$key <- key
    mine_cache$value <- res
  }
  res
}

#' MINE: minerva::mine(x, alpha, C, var.thr, est)[[measure]].
#'
#' minerva's var.thr (not mat2adj's tol) zeroes the ROW of every variable with
#' var < var.thr (var as stats::var, as minerva computes it), so the result can
#' be asymmetric; applied here exactly as minerva does, after the cached
#' computation. MICR2 = MIC - r^2 can be negative. Both kept as minerva gives.
#' @noRd
infer_mine <- function(x, measure = "MIC", alpha = 0.6, C = 15, var.thr = 1e-5,
                       est = "mic_approx") {
  check_mine_args(measure, alpha, C, var.thr)
  A <- mine_all_pairs(x, alpha, C, est)[[measure]]
  low <- apply(x, 2, stats::var, na.rm = TRUE) < var.thr
  A[low, ] <- 0
  A
}

#' One MINE statistic of the pair (a, b), as minerva::mine(a, b): a constant
#' (var < var.thr) `a` gives 0, a constant `b` does not.
#' @noRd
mine_pair <- function(a, b, measure = "MIC", alpha = 0.6, C = 15, var.thr = 1e-5) {
  res <- suppressWarnings(minerva::mine(a, b, alpha = alpha, C = C, var.thr = var.thr))
  # minerva names it "MIC-R2" for a single pair
  res[[if (measure == "MICR2") "MIC-R2" else measure]]
}

#' MIC of every pair i < j as mine(x_i, x_j) with minerva defaults, symmetric.
#'
#' Pairs whose first column has var < 1e-5 are 0 in minerva without needing
#' the (costly) computation, so only the others are computed.
#' @noRd
mic_upper_defaults <- function(x) {
  p <- ncol(x)
  m <- matrix(0, p, p)
  ok <- apply(x, 2, stats::var) >= 1e-5
  k <- which(ok)
  if (length(k) >= 2L) m[k, k] <- mine_all_pairs(x[, k, drop = FALSE], 0.6, 15, "mic_approx")$MIC
  for (i in k) for (j in which(!ok & seq_len(p) > i)) m[i, j] <- mine_pair(x[, i], x[, j])
  m[lower.tri(m)] <- t(m)[lower.tri(m)]
  m
}
