# mpnetdist (R/mpnetdist.R): netdist on the supra-adjacency matrices.

test_that("mpnetdist equals netdist on the supra-adjacency", {
  set.seed(3)
  L1 <- array(runif(4 * 4 * 3), c(4, 4, 3)); L2 <- array(runif(4 * 4 * 3), c(4, 4, 3))
  I <- 1 - diag(3)
  supra <- function(L) {
    S <- kronecker(I, diag(4))
    for (s in 1:3) {
      A <- L[, , s]; A[upper.tri(A)] <- t(A)[upper.tri(A)]
      S[(s - 1) * 4 + 1:4, (s - 1) * 4 + 1:4] <- A
    }
    S
  }
  expect_equal(mpnetdist(list(I = I, L = L1), list(I = I, L = L2)),
               netdist(supra(L1), supra(L2)), tolerance = 1e-15)
  expect_error(mpnetdist(list(I = I, L = L1), list(I = I, L = L2[1:3, 1:3, ])),
               class = "renette_input_error")
})
