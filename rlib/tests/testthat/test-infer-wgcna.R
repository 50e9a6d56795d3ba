# WGCNA-family back ends (R/infer-wgcna.R) through mat2adj.

test_that("TOM keeps names (nettools drops them) and equals the TOM formula", {
  x <- small_data()
  A <- mat2adj(x, "TOM")
  a <- abs(cor(x))^6
  diag(a) <- 0
  k <- rowSums(a)
  tom <- (a %*% a + a) / (outer(k, k, pmin) + 1 - a)
  diag(tom) <- 0
  expect_equal(unname(A), unname(tom), tolerance = 1e-12)
  expect_identical(colnames(A), colnames(x))
})
