# Densities computed once per network give distance_block()'s numbers exactly.
test_that("distance_block_dens equals distance_block", {
  set.seed(5)
  nets <- lapply(1:5, function(i) {
    A <- matrix(runif(900) * (runif(900) < 0.3), 30)
    A <- A + t(A); diag(A) <- 0; A / max(A)
  })
  A <- array(unlist(nets), c(30, 30, 5))
  S <- sapply(nets, laplacian_spectrum, directed = FALSE)
  g <- optimal_gamma(30)
  D <- sapply(seq_len(5), function(j) spectrum_density(S[, j], g))
  pairs <- rbind(c(1, 2), c(1, 5), c(3, 4), c(2, 5), c(4, 5))
  expect_identical(distance_block_dens(A, D, pairs, rho = 0.5),
                   distance_block(A, S, pairs, g, rho = 0.5))
  expect_error(distance_block_dens(A, D[, 1:4], pairs), class = "renette_input_error")
})
