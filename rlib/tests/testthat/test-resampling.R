# Resampling of the samples (R/resampling.R): nettools' draws from set.seed(sseed).

test_that("resampling follows set.seed(sseed) and checks its arguments", {
  a <- resampling_indices(10, "montecarlo", k = 3, h = 4, sseed = 5)
  set.seed(5)
  expect_identical(a[[1]], sample(1:10, 6))
  expect_length(resampling_indices(10, "kCV", k = 5, h = 2), 10)
  expect_identical(resampling_indices(4, "LOO")[[2]], c(1L, 3L, 4L))
  expect_error(resampling_indices(5, "kCV", k = 5), class = "renette_input_error")
  expect_error(resampling_indices(5, "boot"), class = "renette_input_error")
})

test_that("Monte Carlo keeps floor(N (1 - 1/k)) rows; kCV folds cover every row", {
  mc <- resampling_indices(12, "montecarlo", k = 4, h = 3, sseed = 1)
  expect_length(mc, 3)
  expect_true(all(lengths(mc) == 9))
  cv <- resampling_indices(9, "kCV", k = 3, h = 1, sseed = 2)
  left_out <- lapply(cv, function(r) setdiff(1:9, r))
  expect_identical(sort(unlist(left_out)), 1:9)
  expect_identical(resampling_indices(9, "kCV", k = 3, h = 1, sseed = 2), cv)
  expect_error(resampling_indices(3, "montecarlo", k = 2), "Monte Carlo",
               class = "renette_input_error")
})
