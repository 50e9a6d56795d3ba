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

# One call per chunk gives what the per-network building blocks give.
test_that("network_spectra equals rescale + laplacian_spectrum + spectrum_density", {
  set.seed(6)
  nets <- lapply(1:4, function(i) {
    A <- matrix(runif(400, 0, 3) * (runif(400) < 0.3), 20)
    A + t(A)
  })
  nets[[2]] <- nets[[2]] / max(nets[[2]])  # already in [0, 1]: kept as it is
  g <- optimal_gamma(20)
  out <- suppressWarnings(network_spectra(array(unlist(nets), c(20, 20, 4)), FALSE, g))
  expect_null(out$A[[2]])  # unchanged networks are not sent back
  for (j in 1:4) {
    s <- suppressWarnings(rescale_network(nets[[j]]))
    if (j != 2) expect_identical(out$A[[j]], s)
    expect_identical(out$omega[[j]], laplacian_spectrum(s, directed = FALSE))
    expect_identical(out$D[[j]], spectrum_density(out$omega[[j]], g))
  }
  d <- network_spectra(array(unlist(nets[2]), c(20, 20, 1)), TRUE, optimal_gamma(20, TRUE))
  expect_length(d$omega[[1]], 39)  # bipartite embedding: 2n - 1
  expect_warning(network_spectra(array(unlist(nets[1]), c(20, 20, 1)), FALSE, g),
                 class = "renette_rescaled")
  bad <- array(unlist(nets[1:2]), c(20, 20, 2))
  bad[3, 4, 2] <- NA
  expect_error(suppressWarnings(network_spectra(bad, FALSE, g)), "Network 2",
               class = "renette_input_error")
})
