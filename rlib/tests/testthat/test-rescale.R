# nettools' weight convention (R/rescale.R): min-max rescaling to [0, 1].

test_that("networks in [0, 1] are returned unchanged", {
  A <- wnet(5, 1)
  expect_identical(rescale_network(A), A)
})

test_that("a network outside [0, 1] is rescaled as a whole with a classed warning", {
  A <- wnet(5, 1) * 4 - 1
  w <- expect_warning(s <- rescale_network(A, "mine"), class = "renette_rescaled")
  expect_match(conditionMessage(w), "network mine")
  expect_identical(w$network, "mine")
  expect_equal(s, (A - min(A)) / (max(A) - min(A)))
  expect_equal(range(s), c(0, 1))
})

test_that("equal weights outside [0, 1] and non-networks are input errors", {
  expect_error(rescale_network(matrix(2, 3, 3)), "all weights equal to 2",
               class = "renette_input_error")
  expect_error(rescale_network(matrix(1:6, 2)), "not square", class = "renette_input_error")
})
