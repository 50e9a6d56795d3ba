# The Lorentzian half-width gamma (R/gamma.R); the corpus values are checked
# in test-conformance-gamma.R.

test_that("gamma makes the empty and the complete network IM = 1", {
  for (n in c(2, 5, 40)) {
    g <- optimal_gamma(n)
    expect_gte(g, 0.01)
    expect_lte(g, 1)
    e <- laplacian_spectrum(matrix(0, n, n))
    k <- laplacian_spectrum(1 - diag(n))
    expect_lt(abs(renette:::ipsen_closed_form(e, k, g) - 1), 1e-12)
  }
  expect_false(optimal_gamma(10, directed = TRUE) == optimal_gamma(10))
})

test_that("the number of nodes must be a whole number >= 2", {
  for (bad in list(1, 2.5, NA, Inf, c(3, 4)))
    expect_error(optimal_gamma(bad), class = "renette_input_error")
})
