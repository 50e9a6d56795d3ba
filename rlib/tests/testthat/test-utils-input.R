# Turning what users pass into networks and data (R/utils-input.R).

test_that("as_network takes matrices, data.frames, Matrix and igraph objects", {
  A <- wnet(4, 1)
  expect_identical(renette:::as_network(A, "A"), A)
  expect_identical(renette:::as_network(as.data.frame(A), "A"), `dimnames<-`(A, list(NULL, paste0("V", 1:4))))
  expect_equal(unname(renette:::as_network(Matrix::Matrix(A), "A")), A)
  g <- igraph::graph_from_adjacency_matrix(A, mode = "undirected", weighted = TRUE)
  expect_equal(unname(renette:::as_network(g, "A")), A)
  expect_error(renette:::as_network(list(1), "Q"), "Network Q is a list",
               class = "renette_input_error")
  expect_error(renette:::as_network(matrix(0, 1, 1), "A"), "fewer than 2 nodes",
               class = "renette_input_error")
})

test_that("is_directed means asymmetric beyond isSymmetric's tolerance", {
  A <- wnet(5, 2)
  expect_false(renette:::is_directed(A))
  A[1, 2] <- A[1, 2] + 1e-15
  expect_false(renette:::is_directed(A))
  expect_true(renette:::is_directed(wnet(5, 2, sym = FALSE)))
})

test_that("align_conditions keeps x's order of the shared variables", {
  x <- matrix(1:12 + 0.5, 3, dimnames = list(NULL, c("a", "b", "c", "d")))
  y <- x[, c("d", "b", "a")]
  expect_message(d <- renette:::align_conditions(x, y, "f"), "1 only in x: c; 0 only in y")
  expect_identical(colnames(d$x), c("a", "b", "d"))
  expect_identical(colnames(d$y), c("a", "b", "d"))
  d <- renette:::align_conditions(unname(x), x, "f")
  expect_identical(colnames(d$x), colnames(x))
  expect_error(renette:::align_conditions(x, x[, 1, drop = FALSE], "f"), "share 1",
               class = "renette_input_error")
})
