# Differential correlation (R/diffcor.R): the shared test vectors, the pair
# table's definitions, the permutation FDR in blocks, input errors.

# Two conditions on the same 6 variables; g1-g2 correlated in A only.
two_conditions <- function(nA = 25, nB = 30, p = 6, seed = 1) {
  set.seed(seed)
  x <- matrix(rnorm(nA * p), nA, dimnames = list(NULL, paste0("g", seq_len(p))))
  y <- matrix(rnorm(nB * p), nB, dimnames = list(NULL, paste0("g", seq_len(p))))
  x[, 2] <- x[, 1] + rnorm(nA, sd = 0.3)
  list(x = x, y = y)
}

test_that("diffcor reproduces every case of the shared test vectors", {
  skip_without_differential()
  cases <- differential_cases()
  expect_gt(length(cases), 0)
  cols <- c("var1", "var2", "r_A", "p_A", "r_B", "p_B", "z_diff", "p_diff", "q_diff", "class")
  for (k in cases) {
    A <- read_differential_csv(k$inputs$A)
    B <- read_differential_csv(k$inputs$B)
    exp <- read_differential_csv(k$expected)
    a <- k$args
    got <- diffcor(A, B, method = a$method, adjust = a$adjust, cor_cutoff = a$cor_cutoff,
                   cor_alpha = a$cor_alpha)
    expect_identical(names(got), cols, label = k$id)
    expect_equal(nrow(got), k$n_pairs, label = k$id)
    expect_identical(got$var1, exp$var1, label = paste(k$id, "var1"))
    expect_identical(got$var2, exp$var2, label = paste(k$id, "var2"))
    expect_identical(got$class, exp$class, label = paste(k$id, "class"))
    tol <- c(abs = k$tolerance$abs, rel = k$tolerance$rel)
    for (f in cols[3:9]) expect_within(got[[f]], exp[[f]], tol, label = paste(k$id, f))
  }
})

test_that("the pair table follows its definitions pair by pair", {
  d <- two_conditions()
  d$y[, 5] <- round(d$y[, 5], 0)            # ties for Spearman
  for (method in c("pearson", "spearman")) {
    got <- diffcor(d$x, d$y, method = method, adjust = "none")
    v <- if (method == "spearman") 1.06 else 1
    k <- 0
    for (i in 1:5) for (j in (i + 1):6) {
      k <- k + 1
      rA <- stats::cor(d$x[, i], d$x[, j], method = method)
      rB <- stats::cor(d$y[, i], d$y[, j], method = method)
      pv <- function(r, n) 2 * (1 - stats::pt(abs(r) * sqrt(n - 2) / sqrt(1 - r^2), n - 2))
      z <- (atanh(min(rB, 0.99)) - atanh(min(rA, 0.99))) / sqrt(v / 22 + v / 27)
      s <- function(r, p) if (p < 0.05) (if (r > 0) "+" else "-") else "0"
      expect_identical(c(got$var1[k], got$var2[k]), paste0("g", c(i, j)))
      expect_equal(c(got$r_A[k], got$r_B[k]), c(rA, rB), tolerance = 1e-13)
      expect_equal(c(got$p_A[k], got$p_B[k]), c(pv(rA, 25), pv(rB, 30)), tolerance = 1e-10)
      expect_equal(got$z_diff[k], z, tolerance = 1e-12)
      # the upper tail directly: the definition 2 (1 - pnorm) to 1e-15 absolute
      expect_equal(got$p_diff[k], 2 * stats::pnorm(-abs(z)), tolerance = 1e-10)
      expect_lt(abs(got$p_diff[k] - 2 * (1 - stats::pnorm(abs(z)))), 1e-15)
      expect_identical(got$class[k], paste0(s(rA, pv(rA, 25)), "/", s(rB, pv(rB, 30))))
    }
    expect_identical(got$q_diff, got$p_diff)
    bh <- diffcor(d$x, d$y, method = method)
    expect_identical(bh$q_diff, stats::p.adjust(got$p_diff, "BH"))
    expect_identical(diffcor_pairs(d$x, d$y, method), got[names(got) != "q_diff"])
  }
  expect_identical(got$class[1], "+/0")      # g1-g2: lost in B
})

test_that("diffcor_values holds the numbers of diffcor_pairs, classes as codes", {
  d <- two_conditions()
  for (method in c("pearson", "spearman")) {
    tab <- diffcor_pairs(d$x, d$y, method, cor_cutoff = 0.9, cor_alpha = 0.1)
    v <- diffcor_values(d$x, d$y, method, cor_cutoff = 0.9, cor_alpha = 0.1)
    expect_identical(names(v), c("r_A", "p_A", "r_B", "p_B", "z_diff", "p_diff", "class"))
    for (f in names(v)[1:6]) expect_identical(v[[f]], tab[[f]], label = paste(method, f))
    expect_true(is.integer(v$class) && all(v$class %in% 1:9))
    labels <- c("-/-", "-/0", "-/+", "0/-", "0/0", "0/+", "+/-", "+/0", "+/+")
    expect_identical(labels[v$class], tab$class)
  }
  expect_error(diffcor_values(d$x[1:3, ], d$y), "diffcor_values\\(\\): x \\(condition A\\)",
               class = "renette_input_error")
})

test_that("pairs are in row-major order; names default to V1..Vp", {
  d <- two_conditions(p = 4)
  r <- diffcor(unname(d$x), unname(d$y))
  expect_identical(r$var1, c("V1", "V1", "V1", "V2", "V2", "V3"))
  expect_identical(r$var2, c("V2", "V3", "V4", "V3", "V4", "V4"))
  R <- stats::cor(d$x)
  expect_equal(r$r_A, R[lower.tri(R)], tolerance = 1e-14)
})

test_that("correlations are clipped above at cor_cutoff; |r| = 1 has p = 0", {
  d <- two_conditions()
  d$x[, 3] <- 2 * d$x[, 1] + 1                # r_A = 1 for g1-g3
  r <- diffcor(d$x, d$y, adjust = "none")
  k <- which(r$var1 == "g1" & r$var2 == "g3")
  expect_equal(r$r_A[k], 1)
  expect_identical(r$p_A[k], 0)
  expect_equal(r$z_diff[k], (atanh(r$r_B[k]) - atanh(0.99)) / sqrt(1 / 22 + 1 / 27),
               tolerance = 1e-12)
  r2 <- diffcor(d$x, d$y, adjust = "none", cor_cutoff = 0.5)
  expect_true(all(is.finite(r2$z_diff)))
})

test_that("permutation counts add up across blocks and diffcor(adjust = 'perm') uses them", {
  d <- two_conditions()
  z <- diffcor_pairs(d$x, d$y)$z_diff
  c40 <- diffcor_perm_counts(d$x, d$y, z, 1:40, seed = 3)
  blocks <- diffcor_perm_counts(d$x, d$y, z, 1:20, seed = 3) +
    diffcor_perm_counts(d$x, d$y, z, 21:40, seed = 3)
  expect_identical(blocks, c40)
  expect_identical(diffcor_perm_counts(d$x, d$y, NULL, 1:40, seed = 3), c40)
  expect_identical(diffcor_perm_counts(d$x, d$y, z, c(40:21, 1:20), seed = 3), c40)
  expect_true(is.double(c40) && length(c40) == 15)
  r <- diffcor(d$x, d$y, adjust = "perm", n_perm = 40, seed = 3)
  adj <- diffcor_perm_adjust(c40, 40)
  expect_identical(attr(r, "p_perm"), adj$p_perm)
  expect_identical(adj$p_perm, (c40 + 1) / (40 * 15 + 1))
  expect_identical(r$q_diff, adj$q_diff)
  expect_identical(adj$q_diff, stats::p.adjust(adj$p_perm, "BH"))
  # everything but q_diff is the table without adjustment
  expect_identical(r[names(r) != "q_diff"], diffcor_pairs(d$x, d$y))
})

test_that("counts are those of the definition (all pairs pooled, |z_null| >= |z_obs|)", {
  d <- two_conditions(p = 5)
  for (method in c("pearson", "spearman")) {
    z <- diffcor_pairs(d$x, d$y, method)$z_diff
    got <- diffcor_perm_counts(d$x, d$y, z, 1:6, method = method, seed = 8)
    rows <- renette:::permutation_rows(55, 1:6, 8)
    pooled <- rbind(d$x, d$y)
    null <- unlist(lapply(1:6, function(k)
      diffcor_pairs(pooled[rows[1:25, k], ], pooled[rows[26:55, k], ], method)$z_diff))
    expect_identical(got, vapply(abs(z), function(v) sum(abs(null) >= v), 0))
  }
})

test_that("the C++ count equals a sort-based count on awkward observed values", {
  set.seed(4)
  p <- 40
  sym <- function() { R <- matrix(runif(p * p, -1, 1), p); R <- (R + t(R)) / 2; diag(R) <- 1; R }
  RA <- sym()
  RB <- sym()
  RA[5, 2] <- RA[2, 5] <- 1                   # clipped at the cutoff
  RB[9, 3] <- RB[3, 9] <- -1                  # atanh(-1): an infinite null value
  RB[7, 1] <- RB[1, 7] <- NaN                 # undefined: not counted
  lt <- lower.tri(RA)
  se <- 0.3
  null <- abs((atanh(pmin(RB[lt], 0.99)) - atanh(pmin(RA[lt], 0.99))) / se)
  null <- null[!is.na(null)]
  a <- sort(c(sample(null, 200), sample(null, 50), 0, 0, Inf, 1e6, max(null[is.finite(null)])))
  got <- renette:::diffcor_null_counts(RA, RB, 0.99, se, a)
  expect_identical(got, length(null) - findInterval(a, sort(null), left.open = TRUE) + 0)
  # all observed values equal, or all zero: one bucket
  for (a1 in list(rep(0.5, 10), rep(0, 3), Inf))
    expect_identical(renette:::diffcor_null_counts(RA, RB, 0.99, se, a1),
                     length(null) - findInterval(a1, sort(null), left.open = TRUE) + 0)
  expect_error(renette:::diffcor_null_counts(RA, RB, 0.99, se, c(2, 1)), "sorted")
  # through the exported function: NA z_obs gives an NA count
  d <- two_conditions(p = 4)
  z <- diffcor_pairs(d$x, d$y)$z_diff
  z[2] <- NA
  cnt <- diffcor_perm_counts(d$x, d$y, z, 1:3)
  expect_true(is.na(cnt[2]) && !anyNA(cnt[-2]))
})

test_that("the same seed gives the same q, another seed other counts", {
  d <- two_conditions()
  a <- diffcor(d$x, d$y, adjust = "perm", n_perm = 30, seed = 5)
  b <- diffcor(d$x, d$y, adjust = "perm", n_perm = 30, seed = 5)
  expect_identical(a$q_diff, b$q_diff)
  z <- a$z_diff
  expect_false(identical(diffcor_perm_counts(d$x, d$y, z, 1:30, seed = 5),
                         diffcor_perm_counts(d$x, d$y, z, 1:30, seed = 6)))
})

test_that("the caller's RNG kind and stream are left as they were", {
  d <- two_conditions()
  old <- RNGkind()
  on.exit(RNGkind(old[1], old[2], old[3]))
  RNGkind("Wichmann-Hill")
  set.seed(42)
  before <- .Random.seed
  diffcor(d$x, d$y, adjust = "perm", n_perm = 3)
  expect_identical(.Random.seed, before)
  expect_identical(RNGkind()[1], "Wichmann-Hill")
  RNGkind("Mersenne-Twister")
  set.seed(42)
  before <- .Random.seed
  diffcor_perm_counts(d$x, d$y, NULL, 5:6)
  expect_identical(.Random.seed, before)
})

test_that("under the null the permutation p-values are roughly uniform", {
  set.seed(10)
  p <- 12
  x <- matrix(rnorm(30 * p), 30) %*% chol(0.3 + 0.7 * diag(p))
  y <- matrix(rnorm(30 * p), 30) %*% chol(0.3 + 0.7 * diag(p))
  r <- diffcor(x, y, adjust = "perm", n_perm = 100, seed = 1)
  pp <- attr(r, "p_perm")
  expect_gt(mean(pp), 0.35)
  expect_lt(mean(pp), 0.65)
  expect_lt(mean(pp < 0.1), 0.25)
  expect_gt(stats::ks.test(pp, "punif")$p.value, 1e-3)
  expect_true(all(r$q_diff > 0.05))
  # and a real difference is found
  x[, 2] <- x[, 1] + rnorm(30, sd = 0.2)
  r <- diffcor(x, y, adjust = "perm", n_perm = 100, seed = 1)
  expect_lt(r$q_diff[r$var1 == "V1" & r$var2 == "V2"], 0.05)
})

test_that("variables are aligned by name; unnamed data must have equal widths", {
  d <- two_conditions()
  y <- d$y[, c(6, 1, 3, 2, 5)]                 # g4 missing, other order
  colnames(y)[5] <- "extra"                    # g5 -> only in y
  expect_message(r <- diffcor(d$x, y), "3 variable\\(s\\) present in only one condition")
  expect_message(diffcor(d$x, y), "2 only in x: g4, g5; 1 only in y: extra")
  keep <- c("g1", "g2", "g3", "g6")
  expect_identical(r, diffcor(d$x[, keep], d$y[, keep]))
  expect_identical(diffcor(d$x, d$y[, 6:1]), diffcor(d$x, d$y))   # reordered silently
  expect_error(diffcor(unname(d$x), unname(d$y[, 1:5])), "6 variables .* has 5",
               class = "renette_input_error")
  expect_error(diffcor(d$x[, 1:2], `colnames<-`(d$y[, 1:2], c("a", "b"))), "share 0",
               class = "renette_input_error")
})

test_that("bad input is an input error saying what to do", {
  d <- two_conditions()
  expect_error(diffcor(d$x[1:3, ], d$y), "x \\(condition A\\) has 3 sample",
               class = "renette_input_error")
  x <- d$x
  x[, c("g3", "g5")] <- 1
  expect_error(diffcor(x, d$y), "2 constant column\\(s\\): 'g3', 'g5'",
               class = "renette_input_error")
  y <- d$y
  y[4, "g2"] <- NA
  expect_error(diffcor(d$x, y), "y \\(condition B\\) has missing values \\(first at row 4, column 'g2'\\)",
               class = "renette_input_error")
  df <- as.data.frame(d$y)
  df$g3 <- "a"
  expect_error(diffcor(d$x, df), "y \\(condition B\\).*'g3'", class = "renette_input_error")
  dup <- d$x
  colnames(dup)[2] <- "g1"
  expect_error(diffcor(dup, d$y), "duplicated", class = "renette_input_error")
  expect_error(diffcor(d$x, d$y, method = "kendall"), "method", class = "renette_input_error")
  expect_error(diffcor(d$x, d$y, adjust = "bonferroni"), "adjust", class = "renette_input_error")
  expect_error(diffcor(d$x, d$y, cor_cutoff = 1.5), "cor_cutoff", class = "renette_input_error")
  expect_error(diffcor(d$x, d$y, cor_alpha = 0), "cor_alpha", class = "renette_input_error")
  expect_error(diffcor(d$x, d$y, adjust = "perm", n_perm = 0), "n_perm",
               class = "renette_input_error")
  expect_error(diffcor_perm_counts(d$x, d$y, 1:3, 1:2), "15 pairs",
               class = "renette_input_error")
  expect_error(diffcor_perm_counts(d$x, d$y, NULL, c(0, 1)), "perms",
               class = "renette_input_error")
  expect_error(diffcor_perm_counts(d$x, d$y, NULL, 1, seed = 1.5), "seed",
               class = "renette_input_error")
  expect_error(diffcor_perm_adjust(c(1, 50), 10), "n_perm \\* m", class = "renette_input_error")
})

test_that("a few thousand variables run vectorised", {
  set.seed(3)
  x <- matrix(rnorm(20 * 1500), 20)
  y <- matrix(rnorm(25 * 1500), 25)
  elapsed <- system.time(r <- diffcor(x, y))[["elapsed"]]
  expect_equal(nrow(r), 1500 * 1499 / 2)
  expect_lt(elapsed, 30)
  expect_identical(r$var1[1:2], c("V1", "V1"))
  expect_identical(tail(r$var2, 1), "V1500")
  cnt <- diffcor_perm_counts(x, y, r$z_diff, 1, seed = 1)
  expect_true(all(cnt >= 0 & cnt <= nrow(r)))
})
