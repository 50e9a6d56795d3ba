# The grid evaluation of IM (used everywhere) against the closed form of the
# Lorentzian product integrals, on spectra of many shapes.

closed_im <- function(s1, s2, g) renette:::ipsen_closed_form(s1, s2, g)

random_net <- function(n, p, seed) {
  set.seed(seed)
  A <- matrix(0, n, n)
  up <- upper.tri(A)
  A[up] <- runif(sum(up)) * (runif(sum(up)) < p)
  A + t(A)
}

test_that("grid IM equals the closed form to 1e-11 on random networks", {
  for (cfg in list(c(5, 0.5), c(12, 0.3), c(40, 0.1), c(40, 0.9), c(120, 0.05))) {
    n <- cfg[1]
    a <- laplacian_spectrum(random_net(n, cfg[2], n))
    b <- laplacian_spectrum(random_net(n, cfg[2], n + 1))
    for (g in c(optimal_gamma(n), 0.05, 0.2, 1)) {
      expect_lt(abs(ipsen_from_spectra(a, b, g) - closed_im(a, b, g)), 1e-11)
    }
  }
})

test_that("grid IM is exact at the extremes (empty vs complete, tiny n)", {
  for (n in c(2, 3, 8, 30, 200)) {
    e <- laplacian_spectrum(matrix(0, n, n))
    k <- laplacian_spectrum(1 - diag(n))
    expect_lt(abs(ipsen_from_spectra(e, k, optimal_gamma(n)) - 1), 1e-12)
  }
  # directed: bipartite embeddings of the empty and complete digraph
  for (n in c(3, 10, 50)) {
    e <- laplacian_spectrum(matrix(0, n, n), directed = TRUE)
    k <- laplacian_spectrum(1 - diag(n), directed = TRUE)
    expect_lt(abs(ipsen_from_spectra(e, k, optimal_gamma(n, directed = TRUE)) - 1), 1e-12)
  }
})

test_that("tiny distances keep their precision (no cancellation)", {
  A <- random_net(30, 0.3, 7)
  B <- A
  B[1, 2] <- B[2, 1] <- B[1, 2] + 1e-4
  g <- optimal_gamma(30)
  im <- ipsen_from_spectra(laplacian_spectrum(A), laplacian_spectrum(B), g)
  expect_gt(im, 0)
  expect_lt(abs(im - closed_im(laplacian_spectrum(A), laplacian_spectrum(B), g)), 1e-11)
  expect_identical(ipsen_from_spectra(laplacian_spectrum(A), laplacian_spectrum(A), g), 0)
})
