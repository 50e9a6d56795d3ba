# Every gamma case of the conformance corpus: optimal_gamma(n, directed).
test_that("optimal_gamma matches every corpus gamma case", {
  cases <- conformance_cases("gamma")
  expect_gt(length(cases), 0)
  for (k in cases) {
    got <- do.call(optimal_gamma, k$args)
    expect_within(got, k$expected$gamma, case_tolerance(k, "gamma"), k$id)
  }
})
