# c3net (R/infer-c3net.R).

test_that("c3net keeps each gene's strongest above-mean edge", {
  x <- small_data()
  A <- mat2adj(x, "c3net")
  expect_true(A["g1", "g2"] > 0)
  expect_true(all(rowSums(A > 0) >= 0))
  expect_lte(sum(A > 0) / 2, ncol(x))
})
