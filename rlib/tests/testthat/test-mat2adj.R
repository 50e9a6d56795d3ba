# Unit tests of mat2adj: input handling, conventions and the pieces the
# conformance corpus does not isolate.

small_data <- function(n = 30, p = 6, seed = 42) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p, dimnames = list(NULL, paste0("g", seq_len(p))))
  x[, 2] <- x[, 1] + rnorm(n, sd = 0.3)
  x[, 3] <- x[, 1]^2 + rnorm(n, sd = 0.3)
  x
}

test_that("every method returns a named P x P non-negative matrix with zero diagonal", {
  x <- small_data()
  for (m in c("cor", "WGCNA", "bicor", "TOM", "ARACNE", "CLR", "MINE", "DTWMIC",
              "c3net", "bc3net", "WGCNAFDR", "bicorFDR", "MINEFDR")) {
    A <- mat2adj(x, m, seed = 1, FDR = 0.1)
    expect_identical(dimnames(A), list(colnames(x), colnames(x)), label = m)
    expect_true(all(diag(A) == 0), label = m)
    expect_true(all(A >= 0), label = m)
    expect_true(is.double(A), label = m)
  }
})

test_that("method names are matched like pmatch and unknown ones are explained", {
  x <- small_data()
  expect_identical(mat2adj(x, "ARA"), mat2adj(x, "ARACNE"))
  expect_identical(mat2adj(x, "WGCNA"), mat2adj(x, "WGCNA", P = 6))
  err <- expect_error(mat2adj(x, "WG"), class = "renette_input_error")
  expect_match(conditionMessage(err), "ambiguous")
  expect_error(mat2adj(x, "pearson"), "cor, WGCNA", class = "renette_input_error")
})

test_that("extra arguments reach the back end; unknown ones are ignored", {
  x <- small_data()
  expect_equal(mat2adj(x, "cor", method = "spearman"),
               abs(cor(x, method = "spearman")) - diag(ncol(x)))
  expect_equal(mat2adj(x, "WGCNA", P = 2), abs(cor(x))^2 - diag(ncol(x)))
  expect_identical(mat2adj(x, "cor", ga = 0.3, rho = 2), mat2adj(x, "cor"))
})

test_that("data.frame input, including numbers stored as text, equals matrix input", {
  x <- small_data()
  df <- as.data.frame(x)
  expect_identical(mat2adj(df), mat2adj(x))
  df$g4 <- format(df$g4, digits = 17)
  expect_equal(mat2adj(df), mat2adj(x), tolerance = 1e-14)
})

test_that("near-constant columns are an input error naming them; tol = 0 keeps them", {
  x <- small_data()
  x[, "g5"] <- 1e-6 * x[, "g5"]
  err <- expect_error(mat2adj(x), class = "renette_input_error")
  expect_match(conditionMessage(err), "'g5'")
  expect_match(conditionMessage(err), "tol = 0")
  expect_no_error(mat2adj(x, tol = 0))
  expect_error(mat2adj(x, tol = -1), class = "renette_input_error")
})

test_that("non-numeric columns are named with an example value", {
  df <- as.data.frame(small_data())
  df$g2 <- as.character(df$g2)
  df$g2[4] <- "n/a?"
  err <- expect_error(mat2adj(df), class = "renette_input_error")
  expect_match(conditionMessage(err), "'g2'")
  expect_match(conditionMessage(err), "n/a?", fixed = TRUE)
})

test_that("too few columns or rows are explained", {
  x <- small_data()
  expect_error(mat2adj(x[, 1, drop = FALSE]), "at least 2 variables",
               class = "renette_input_error")
  expect_error(mat2adj(x[1:2, ]), "at least 3 samples", class = "renette_input_error")
  expect_error(mat2adj(list(1, 2)), "numeric matrix", class = "renette_input_error")
})

test_that("missing values: an error saying where, or the use options", {
  x <- small_data()
  x[7, "g3"] <- NA
  err <- expect_error(mat2adj(x), class = "renette_input_error")
  expect_match(conditionMessage(err), "row 7, column 'g3'")
  expect_match(conditionMessage(err), "complete.obs")
  # complete.obs drops the incomplete row for every method
  expect_equal(mat2adj(x, use = "complete.obs"), mat2adj(x[-7, ]))
  expect_equal(mat2adj(x, "ARACNE", use = "complete.obs"), mat2adj(x[-7, ], "ARACNE"))
  # pairwise.complete.obs goes to cor itself
  expect_equal(mat2adj(x, use = "pairwise.complete.obs"),
               abs(cor(x, use = "pairwise.complete.obs")) - diag(ncol(x)))
  expect_error(mat2adj(x, use = "everything"), class = "renette_input_error")
})

test_that("TOM keeps names (nettools drops them) and equals the TOM formula", {
  x <- small_data()
  A <- mat2adj(x, "TOM")
  a <- abs(cor(x))^6
  diag(a) <- 0
  k <- rowSums(a)
  tom <- (a %*% a + a) / (outer(k, k, pmin) + 1 - a)
  diag(tom) <- 0
  expect_equal(unname(A), unname(tom), tolerance = 1e-12)
  expect_identical(colnames(A), colnames(x))
})

test_that("bicor weights reproduce WGCNA::bicor, including the MAD = 0 fallback", {
  x <- small_data()
  x[1:20, 4] <- 1       # median absolute deviation 0 -> Pearson fallback
  z <- renette:::bicor_weights(x)
  expect_equal(crossprod(z), unname(suppressWarnings(WGCNA::bicor(x))), tolerance = 1e-12,
               ignore_attr = TRUE)
})

test_that("DTW uses the symmetric2 step pattern normalised by N + M", {
  # hand-computed: cumulative cost 1 over the path, / (3 + 2)
  expect_equal(renette:::dtw_distance(c(1, 2, 3), c(1, 3)), 0.2)
  expect_equal(renette:::dtw_distance(c(0, 0), c(0, 0)), 0)
  x <- small_data(n = 12, p = 3)
  d <- renette:::dtw_columns(x)
  expect_equal(d[1, 2], renette:::dtw_distance(x[, 1], x[, 2]))
  expect_true(isSymmetric(d))
})

test_that("MINE applies minerva's var.thr exactly as minerva does", {
  x <- small_data()
  x[, "g6"] <- x[, "g6"] * 1e-4        # var ~1e-8: below var.thr = 1e-5
  direct <- suppressWarnings(minerva::mine(x, var.thr = 1e-5))$MAS
  diag(direct) <- 0
  got <- mat2adj(x, "MINE", measure = "MAS", tol = 0)
  expect_equal(unname(got), unname(direct))
  expect_true(all(got["g6", ] == 0))
  expect_false(isSymmetric(unname(got)))
  # a second measure of the same data comes from the cached computation
  mic <- suppressWarnings(minerva::mine(x, var.thr = 1e-5))$MIC
  diag(mic) <- 0
  expect_equal(unname(mat2adj(x, "MINE", tol = 0)), unname(mic))
})

test_that("the permutation filter keeps only edges that beat every permutation", {
  x <- small_data()
  A <- mat2adj(x, "WGCNAFDR", FDR = 0.05, seed = 3)
  base <- mat2adj(x, "cor")
  kept <- A != 0
  expect_equal(A[kept], base[kept])
  expect_true(kept["g1", "g2"])              # strong linear dependence survives
  expect_true(sum(kept) / 2 <= 3)
  expect_identical(A, mat2adj(x, "WGCNAFDR", FDR = 0.05, seed = 3))
  expect_warning(mat2adj(x, "WGCNAFDR", FDR = 0.5, P = 6), "P = 1")
  expect_error(mat2adj(x, "bicorFDR", FDR = 2), "FDR", class = "renette_input_error")
  # every MINE measure works in the permutations (minerva names one MIC-R2)
  expect_no_error(mat2adj(x, "MINEFDR", measure = "MICR2", FDR = 0.5, seed = 1))
})

test_that("stochastic methods are reproducible from seed and match set.seed", {
  x <- small_data()
  a <- mat2adj(x, "bc3net", seed = 9)
  set.seed(9)
  b <- mat2adj(x, "bc3net")
  expect_identical(a, b)
  expect_true(isSymmetric(a))
  expect_true(all(a <= 1))
})

test_that("c3net keeps each gene's strongest above-mean edge", {
  x <- small_data()
  A <- mat2adj(x, "c3net")
  expect_true(A["g1", "g2"] > 0)
  expect_true(all(rowSums(A > 0) >= 0))
  expect_lte(sum(A > 0) / 2, ncol(x))
})

test_that("a constant column kept with tol = 0 has no MI edges instead of failing", {
  x <- small_data()
  x[, "g4"] <- 2
  for (m in c("ARACNE", "CLR", "c3net", "bc3net")) {
    A <- suppressWarnings(mat2adj(x, m, tol = 0, seed = 1))
    expect_true(all(A["g4", ] == 0), label = m)
    expect_false(anyNA(A), label = m)
  }
})

test_that("cor through WGCNA's BLAS path equals stats::cor (ties, constant columns)", {
  set.seed(11)
  x <- matrix(round(rnorm(60 * 12), 1), 60, dimnames = list(NULL, paste0("g", 1:12)))
  x[, "g5"] <- 2  # constant: NA as stats::cor gives it, with its warning
  for (m in c("pearson", "spearman")) {
    ref <- suppressWarnings(abs(stats::cor(x, method = m)))
    diag(ref) <- 0
    expect_warning(got <- mat2adj(x, "cor", method = m, tol = 0), "standard deviation is zero")
    expect_identical(is.na(got), is.na(ref))
    expect_equal(got, ref, tolerance = 1e-14)
    expect_true(isSymmetric(got))
  }
})
