# Hamming distance and each node's share of it (R/hamming.R).

test_that("hamming sums every entry, the diagonal included, over n(n-1)", {
  A <- wnet(7, 1)
  B <- wnet(7, 2)
  expect_equal(hamming(A, B), sum(abs(A - B)) / 42, tolerance = 1e-15)
  diag(A)[3] <- 0.5
  expect_equal(hamming(A, B), sum(abs(A - B)) / 42, tolerance = 1e-15)
  expect_identical(hamming(A, A), 0)
  expect_error(hamming(A, B[1:6, 1:6]), "different sizes", class = "renette_input_error")
})

test_that("node shares sum to 1, split each edge in halves and relate to H", {
  A <- wnet(8, 3)
  B <- wnet(8, 4)
  s <- hamming_node_share(A, B)
  expect_equal(sum(s), 1, tolerance = 1e-15)
  D <- abs(A - B)
  expect_equal(s, (rowSums(D) + colSums(D)) / (2 * sum(D)), tolerance = 1e-15)
  # zero diagonals: share_i * H is node i's part of H
  expect_equal(sum(s * hamming(A, B)), hamming(A, B), tolerance = 1e-15)
  expect_equal(s * hamming(A, B), rowSums(D) / (8 * 7), tolerance = 1e-14)  # symmetric
  # a diagonal difference adds to H but to no share
  A2 <- A
  diag(A2)[1] <- 1
  expect_identical(hamming_node_share(A2, B), s)
  expect_equal(hamming(A2, B), hamming(A, B) + 1 / 56, tolerance = 1e-15)
  # directed: an edge i -> j counts half for i and half for j
  E <- matrix(0, 3, 3, dimnames = list(c("a", "b", "c"), c("a", "b", "c")))
  E["a", "b"] <- 1
  expect_identical(hamming_node_share(E, 0 * E), c(a = 0.5, b = 0.5, c = 0))
})

test_that("equal networks give zero shares; bad input is explained", {
  A <- wnet(5, 1)
  expect_identical(hamming_node_share(A, A), rep(0, 5))
  expect_error(hamming_node_share(A, A[1:4, 1:4]), "different sizes",
               class = "renette_input_error")
  expect_error(hamming_node_share(A, A[, 1:4]), "not square", class = "renette_input_error")
})
