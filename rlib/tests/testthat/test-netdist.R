# netdist behaviour the corpus does not cover: directed networks, input
# types, list shapes, aliases, building-block consistency and input errors.

test_that("directed networks follow the 1.0.1/netrd convention", {
  A <- wnet(8, 1, sym = FALSE); B <- wnet(8, 2, sym = FALSE)
  got <- netdist(A, B)
  expect_equal(unname(got["H"]), sum(abs(A - B)) / (8 * 7), tolerance = 1e-14)
  emb <- function(M) rbind(cbind(0 * M, t(M)), cbind(M, 0 * M))
  sa <- laplacian_spectrum(emb(A), directed = FALSE)
  sb <- laplacian_spectrum(emb(B), directed = FALSE)
  expect_equal(laplacian_spectrum(A), sa)
  g <- optimal_gamma(8, directed = TRUE)
  expect_equal(unname(got["IM"]), renette:::ipsen_closed_form(sa, sb, g), tolerance = 1e-11)
  # the empty and the complete digraph are at distance 1
  d <- netdist(matrix(0, 6, 6), 1 - diag(6))
  expect_equal(unname(d), c(1, 1, 1), tolerance = 1e-12)
})

test_that("a pair, a list and distance_block give identical numbers", {
  nets <- list(a = wnet(10, 1), b = wnet(10, 2), c = wnet(10, 3))
  L <- netdist(nets)
  P <- netdist(nets$a, nets$c)
  expect_identical(unname(P), c(L$H[1, 3], L$IM[1, 3], L$HIM[1, 3]))
  A <- array(unlist(nets), c(10, 10, 3))
  sp <- sapply(nets, laplacian_spectrum)
  blk <- distance_block(A, sp, rbind(c(1, 2), c(2, 3)), optimal_gamma(10))
  expect_identical(unname(blk[, "HIM"]), c(L$HIM[1, 2], L$HIM[2, 3]))
  expect_identical(hamming(nets$a, nets$b), L$H[1, 2])
  expect_identical(ipsen_from_spectra(sp[, 1], sp[, 2], optimal_gamma(10)), L$IM[1, 2])
})

test_that("a named list of two networks returns 2 x 2 matrices", {
  r <- netdist(list(x = wnet(6, 1), y = wnet(6, 2)), d = "IM")
  expect_named(r, "IM")
  expect_equal(dim(r$IM), c(2, 2))
  expect_equal(dimnames(r$IM), list(c("x", "y"), c("x", "y")))
  expect_equal(unname(diag(r$IM)), c(0, 0))
})

test_that("distance names follow nettools' aliases", {
  A <- wnet(6, 1); B <- wnet(6, 2)
  expect_named(netdist(A, B, d = "ipsen"), "IM")
  expect_named(netdist(A, B, d = "Hamming"), "H")
  expect_named(netdist(A, B, d = "HIM", components = FALSE), "HIM")
  expect_error(netdist(A, B, d = "I"), class = "renette_input_error")
  expect_warning(netdist(A, B, foo = 1), "ignored")
})

test_that("matrix, data.frame, Matrix and igraph inputs agree", {
  A <- wnet(7, 1); B <- wnet(7, 2)
  ref <- netdist(A, B)
  expect_identical(netdist(as.data.frame(A), B), ref)
  expect_identical(netdist(Matrix::Matrix(A), B), ref)
  g <- igraph::graph_from_adjacency_matrix(A, mode = "undirected", weighted = TRUE)
  expect_equal(netdist(g, B), ref, tolerance = 1e-15)
  # igraph input loses self-loops, matrix input keeps them
  As <- A; diag(As) <- 0.5
  gs <- igraph::graph_from_adjacency_matrix(As, mode = "undirected", weighted = TRUE, diag = TRUE)
  expect_equal(netdist(gs, B), ref, tolerance = 1e-15)
  expect_false(isTRUE(all.equal(netdist(As, B), ref)))
})

test_that("weights outside [0, 1] are rescaled per network with a warning", {
  A <- wnet(6, 1); B <- wnet(6, 2)
  expect_warning(r <- netdist(3 * A, B), "rescaled")
  expect_equal(r, netdist(A / max(A), B), tolerance = 1e-14)  # min(A) is 0
  expect_warning(r <- netdist(A - 1, B), "rescaled")
  expect_equal(r, netdist((A - 1 - min(A - 1)) / diff(range(A)), B), tolerance = 1e-14)
})

test_that("bad input is a renette_input_error naming the problem", {
  A <- wnet(5, 1)
  expect_error(netdist(A, A[, 1:4]), "not square", class = "renette_input_error")
  expect_error(netdist(A, wnet(6, 2)), "different sizes", class = "renette_input_error")
  bad <- A; bad[2, 3] <- NA
  expect_error(netdist(A, bad), "row 2, column 3", class = "renette_input_error")
  df <- as.data.frame(A); df$V2 <- letters[1:5]
  expect_error(netdist(df, A), "non-numeric", class = "renette_input_error")
  expect_error(netdist(list(A)), class = "renette_input_error")
  expect_error(netdist(A), class = "renette_input_error")
  expect_error(netdist(A, A, ga = -1), class = "renette_input_error")
})
