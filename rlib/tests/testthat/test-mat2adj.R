# Unit tests of mat2adj: input handling, conventions and the pieces the
# conformance corpus does not isolate.

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
