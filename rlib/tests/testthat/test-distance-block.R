# H, IM and HIM for blocks of pairs (R/distance-block.R).

test_that("pair_ipsen (C++) equals the interpreted sum to the last bit", {
  set.seed(9)
  D <- matrix(runif(300 * 6), 300)
  pairs <- rbind(c(1, 2), c(6, 3), c(4, 4), c(2, 5))
  ref <- vapply(seq_len(nrow(pairs)), function(p)
    sqrt(colSums((D[, pairs[p, 2], drop = FALSE] - D[, pairs[p, 1]])^2)), 0)
  expect_identical(renette:::pair_ipsen(D, pairs), ref)
  expect_error(renette:::pair_ipsen(D, rbind(c(1, 7))), "out of range")
})

# Symmetric networks packed as their upper triangle and diagonal (half the
# bytes) give distance_block()'s numbers.
test_that("distance_block_packed equals distance_block", {
  set.seed(9)
  n <- 40
  nets <- lapply(1:4, function(i) {
    A <- matrix(runif(n * n) * (runif(n * n) < 0.3), n)
    (A + t(A)) / 2
  })
  diag(nets[[3]])[5] <- 0.8  # a self-loop: the diagonal counts once
  A <- array(unlist(nets), c(n, n, 4))
  S <- sapply(nets, laplacian_spectrum, directed = FALSE)
  g <- optimal_gamma(n)
  D <- sapply(1:4, function(j) spectrum_density(S[, j], g))
  P <- sapply(nets, function(X) c(X[upper.tri(X)], diag(X)))
  pairs <- rbind(c(1, 2), c(1, 3), c(2, 4), c(4, 3))
  want <- distance_block(A, S, pairs, g, rho = 0.5)
  expect_equal(distance_block_packed(P, n, pairs, rho = 0.5, D = D), want, tolerance = 1e-14)
  expect_equal(distance_block_packed(P, n, pairs, rho = 0.5, spectra = S, gamma = g), want,
               tolerance = 1e-14)
  expect_error(distance_block_packed(P[-1, ], n, pairs, D = D), class = "renette_input_error")
})
