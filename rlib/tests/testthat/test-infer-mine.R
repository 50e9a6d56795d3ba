# MINE through minerva (R/infer-mine.R).

test_that("MINE applies minerva's var.thr exactly as minerva does", {
  x <- small_data()
  x[, "g6"] <- x[, "g6"] * 1e-4        # var ~1e-8: below var.thr = 1e-5
  direct <- suppressWarnings(minerva::mine(x, var.thr = 1e-5))$MAS
  diag(direct) <- 0
  got <- mat2adj(x, "MINE", measure = "MAS", tol = 0)
  expect_equal(unname(got), unname(direct))
  expect_true(all(got["g6", ] == 0))
  expect_false(isSymmetric(unname(got)))
  # a second measure of the same data comes from the cached computation
  mic <- suppressWarnings(minerva::mine(x, var.thr = 1e-5))$MIC
  diag(mic) <- 0
  expect_equal(unname(mat2adj(x, "MINE", tol = 0)), unname(mic))
})
