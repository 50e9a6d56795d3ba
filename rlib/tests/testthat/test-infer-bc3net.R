# bc3net (R/infer-bc3net.R): reproducible from mat2adj's seed.

test_that("stochastic methods are reproducible from seed and match set.seed", {
  x <- small_data()
  a <- mat2adj(x, "bc3net", seed = 9)
  set.seed(9)
  b <- mat2adj(x, "bc3net")
  expect_identical(a, b)
  expect_true(isSymmetric(a))
  expect_true(all(a <= 1))
})
