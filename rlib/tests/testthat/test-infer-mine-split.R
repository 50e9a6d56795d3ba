# mine_rows + mine_finish (what the dask side distributes) == mat2adj(x, "MINE").
test_that("MINE split into row blocks equals all-pairs mat2adj", {
  set.seed(3)
  x <- matrix(rnorm(40 * 9), 40, dimnames = list(NULL, paste0("g", 1:9)))
  x[, 4] <- x[, 4] * 1e-3  # var below var.thr = 1e-5 (minerva zeroes its row): tol = 0
  blocks <- list(c(1L, 8L), c(2L, 7L, 9L), 3:6)
  for (m in c("MIC", "TIC", "MICR2")) {
    upper <- Reduce(`+`, lapply(blocks, function(r) mine_rows(x, r, measure = m, tol = 0)))
    expect_equal(mine_finish(x, upper, measure = m, tol = 0),
                 mat2adj(x, infer.method = "MINE", measure = m, tol = 0), tolerance = 0)
  }
  # non-default alpha, C and var.thr
  upper <- mine_rows(x, 1:9, alpha = 0.7, C = 10, tol = 0)
  expect_equal(mine_finish(x, upper, var.thr = 0, tol = 0),
               mat2adj(x, infer.method = "MINE", alpha = 0.7, C = 10, var.thr = 0,
                       tol = 0),
               tolerance = 0)
})

test_that("mine_rows rejects bad rows and data like mat2adj", {
  x <- matrix(rnorm(60), 20)
  expect_error(mine_rows(x, 5L), class = "renette_input_error")
  expect_error(mine_rows(x[, 1, drop = FALSE], 1L), class = "renette_input_error")
})
