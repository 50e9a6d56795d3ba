# DTWMIC and its dynamic-time-warping distance (R/infer-dtwmic.R, src/dtw.cpp).

test_that("DTW uses the symmetric2 step pattern normalised by N + M", {
  # hand-computed: cumulative cost 1 over the path, / (3 + 2)
  expect_equal(renette:::dtw_distance(c(1, 2, 3), c(1, 3)), 0.2)
  expect_equal(renette:::dtw_distance(c(0, 0), c(0, 0)), 0)
  x <- small_data(n = 12, p = 3)
  d <- renette:::dtw_columns(x)
  expect_equal(d[1, 2], renette:::dtw_distance(x[, 1], x[, 2]))
  expect_true(isSymmetric(d))
})
