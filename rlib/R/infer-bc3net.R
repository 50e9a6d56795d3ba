# bc3net: bagging of c3net networks, implemented from the published
# description (de Matos Simoes & Emmert-Streib 2012; bc3net package docs).
# Random numbers are drawn in the order that reproduces the reference
# package from set.seed(): the null randomisations first, then one bootstrap
# draw of the samples per network.

#' Gaussian MI of plain Pearson correlations (estimator "pearson", no copula).
#' @noRd
mi_pearson <- function(x, cap = 0.9999999) {
  # a bootstrap sample can make a column constant: its MI is 0 (below), no warning
  m <- -0.5 * log(1 - pmin(suppressWarnings(fast_cor(x))^2, cap))
  m[is.na(m)] <- 0   # constant column (or bootstrap sample): no information
  diag(m) <- 0
  m
}

#' Null MI values: the whole (genes x samples) matrix is shuffled at once
#' (sample and gene labels), ceiling(1e5 / (p^2/2 - p)) times, so about 1e5
#' values whatever p.
#' @noRd
mi_null <- function(x) {
  p <- ncol(x)
  iterations <- ceiling(1e5 / max(p * p / 2 - p, 1))
  xt <- t(x)                       # the reference shuffles genes x samples
  unlist(lapply(seq_len(iterations), function(it) {
    xt[] <- sample(xt)
    m <- mi_pearson(t(xt))
    m[upper.tri(m)]
  }))
}

#' One c3 network with multiple-testing control, binary.
#'
#' Each gene proposes its strongest edge (c3 step); only these candidates are
#' tested against the null (empirical upper-tail p-value), Bonferroni over the
#' number of candidates.
#' @noRd
c3_tested <- function(xb, null_sorted, alpha1) {
  c3 <- c3_select(mi_pearson(xb))
  cand <- upper.tri(c3) & c3 > 0
  n0 <- length(null_sorted)
  pv <- (n0 - findInterval(c3[cand], null_sorted, left.open = TRUE)) / n0
  keep <- matrix(FALSE, nrow(c3), ncol(c3))
  keep[cand] <- stats::p.adjust(pv, "bonferroni") < alpha1
  keep | t(keep)
}

#' bc3net: edge frequencies over `boot` bootstrap c3 networks, keeping only
#' edges more frequent than chance (one-sided binomial test with the mean
#' edge frequency as null probability, Bonferroni over the p genes).
#' @noRd
infer_bc3net <- function(x, boot = 100, alpha1 = 0.05, alpha2 = 0.05) {
  if (!is.numeric(boot) || length(boot) != 1L || is.na(boot) || boot < 1)
    input_error("boot (bc3net) must be a positive whole number, e.g. 100.")
  for (a in list(alpha1, alpha2))
    if (!is.numeric(a) || length(a) != 1L || is.na(a) || a <= 0 || a >= 1)
      input_error("alpha1 and alpha2 (bc3net) must be numbers in (0, 1), e.g. 0.05.")
  boot <- as.integer(boot)
  null_sorted <- sort(mi_null(x))
  n <- nrow(x)
  p <- ncol(x)
  counts <- matrix(0, p, p)
  for (b in seq_len(boot)) {
    rows <- sample.int(n, n, replace = TRUE)   # = sample(1:n, replace = TRUE)
    counts <- counts + c3_tested(x[rows, , drop = FALSE], null_sorted, alpha1)
  }
  ut <- upper.tri(counts)
  p0 <- sum(counts[ut]) / (sum(ut) * boot)
  pv <- stats::pbinom(counts[ut] - 1, boot, p0, lower.tail = FALSE)  # P(X >= k)
  sig <- matrix(FALSE, p, p)
  sig[ut] <- counts[ut] > 0 & pmin(1, pv * p) < alpha2
  sig <- sig | t(sig)
  counts * sig / boot
}
