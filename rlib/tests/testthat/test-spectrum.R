# Laplacian spectra (R/spectrum.R, src/spectrum.cpp).

test_that("laplacian_spectrum (dsyevr from C++) has the bits of eigen() on L = D - A", {
  ref <- function(A, directed) {
    if (directed) {
      n <- nrow(A)
      Z <- matrix(0, n, n)
      A <- rbind(cbind(Z, t(A)), cbind(A, Z))
    }
    L <- -A
    diag(L) <- colSums(A)
    sqrt(abs(round(sort(eigen(L, symmetric = TRUE, only.values = TRUE)$values), 5)))[-1]
  }
  set.seed(3)
  for (n in c(1, 2, 7, 60)) {
    A <- matrix(runif(n * n) * (runif(n * n) < 0.4), n)
    S <- A + t(A)
    diag(S)[1] <- 0.3  # a self-loop counts in its node's degree
    expect_identical(laplacian_spectrum(S, directed = FALSE), ref(S, FALSE))
    expect_identical(laplacian_spectrum(A, directed = TRUE), ref(A, TRUE))
  }
  expect_error(laplacian_spectrum(matrix(c(0, NA, 1, 0), 2), FALSE), "missing")
})

test_that("spectra of the empty and complete networks; directed is detected", {
  expect_identical(laplacian_spectrum(matrix(0, 4, 4)), c(0, 0, 0))
  expect_equal(laplacian_spectrum(1 - diag(5)), rep(sqrt(5), 4))
  D <- matrix(0, 3, 3)
  D[1, 2] <- 1
  expect_length(laplacian_spectrum(D), 5)                # 2n - 1: directed
  expect_length(laplacian_spectrum(D, directed = FALSE), 2)
  expect_error(laplacian_spectrum(matrix(0, 2, 3)), "square", class = "renette_input_error")
})
