# cor and fast_cor (R/infer-cor.R).

test_that("cor through WGCNA's BLAS path equals stats::cor (ties, constant columns)", {
  set.seed(11)
  x <- matrix(round(rnorm(60 * 12), 1), 60, dimnames = list(NULL, paste0("g", 1:12)))
  x[, "g5"] <- 2  # constant: NA as stats::cor gives it, with its warning
  for (m in c("pearson", "spearman")) {
    ref <- suppressWarnings(abs(stats::cor(x, method = m)))
    diag(ref) <- 0
    expect_warning(got <- mat2adj(x, "cor", method = m, tol = 0), "standard deviation is zero")
    expect_identical(is.na(got), is.na(ref))
    expect_equal(got, ref, tolerance = 1e-14)
    expect_true(isSymmetric(got))
  }
})

test_that("cor keeps every correlation within 1e-12 of stats::cor, tiny variances too", {
  set.seed(7)
  x <- matrix(rnorm(60 * 6), 60, 6)
  x[, 2] <- 1 + x[, 2] * 1e-4          # variance 1e-8 beside variance 1
  x[, 3] <- 1e6 + x[, 3]               # a large offset
  for (m in c("pearson", "spearman")) {
    expect_lt(max(abs(cor_matrix(x, m) - stats::cor(x, method = m))), 1e-12)
    expect_lt(max(abs(mat2adj(x, "cor", method = m, tol = 0) -
                      abs(stats::cor(x, method = m)) * (1 - diag(6)))), 1e-12)
  }
})
