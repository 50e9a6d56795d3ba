# Mutual-information methods: ARACNE and CLR (R/infer-mi.R), and the MI of
# c3net and bc3net.

test_that("a constant column kept with tol = 0 has no MI edges instead of failing", {
  x <- small_data()
  x[, "g4"] <- 2
  for (m in c("ARACNE", "CLR", "c3net", "bc3net")) {
    A <- suppressWarnings(mat2adj(x, m, tol = 0, seed = 1))
    expect_true(all(A["g4", ] == 0), label = m)
    expect_false(anyNA(A), label = m)
  }
})
