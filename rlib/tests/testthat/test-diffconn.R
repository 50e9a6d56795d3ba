# Differential connectivity (R/diffconn.R): d_i, its permutation counts in
# blocks, and the checks of params.

conditions <- function(seed = 1, p = 5) {
  set.seed(seed)
  x <- matrix(rnorm(20 * p), 20, dimnames = list(NULL, paste0("g", seq_len(p))))
  y <- matrix(rnorm(24 * p), 24, dimnames = list(NULL, paste0("g", seq_len(p))))
  x[, 2] <- x[, 1] + rnorm(20, sd = 0.3)
  list(x = x, y = y)
}

test_that("diffconn is sum_j |A_ij - B_ij|^lp per node, 0 for identical networks", {
  A <- wnet(6, 1)
  B <- wnet(6, 2)
  dimnames(A) <- list(letters[1:6], letters[1:6])
  expect_identical(diffconn(A, A), setNames(rep(0, 6), letters[1:6]))
  expect_equal(diffconn(A, B), setNames(rowSums((A - B)^2), letters[1:6]))
  expect_equal(diffconn(A, B, lp = 1), setNames(rowSums(abs(A - B)), letters[1:6]))
  D <- wnet(6, 3, sym = FALSE)
  expect_equal(unname(diffconn(D, B, lp = 3)), rowSums(abs(D - B)^3))   # rows: out-weights
  expect_null(names(diffconn(B, D)))
  expect_error(diffconn(A, B[1:5, 1:5]), "different sizes", class = "renette_input_error")
  B2 <- B
  dimnames(B2) <- list(letters[6:1], letters[6:1])
  expect_error(diffconn(A, B2), "node names", class = "renette_input_error")
  expect_error(diffconn(A, B, lp = 0), "lp", class = "renette_input_error")
})

test_that("permutation counts add up across blocks and match diffconn_perm", {
  d <- conditions()
  sp <- list(method = "spearman")
  A <- mat2adj(d$x, "cor", method = "spearman")
  B <- mat2adj(d$y, "cor", method = "spearman")
  d_obs <- diffconn(A, B)
  args <- list(d$x, d$y, method = "cor", params = sp, seed = 4)
  c10 <- do.call(diffconn_perm_counts, c(args, list(perms = 1:10, d_obs = d_obs)))
  blocks <- do.call(diffconn_perm_counts, c(args, list(perms = 1:4, d_obs = d_obs))) +
    do.call(diffconn_perm_counts, c(args, list(perms = 5:10, d_obs = d_obs)))
  expect_identical(blocks, c10)
  expect_named(c10, colnames(d$x))
  expect_true(is.integer(c10) && all(c10 >= 0 & c10 <= 10))
  expect_identical(do.call(diffconn_perm_counts, c(args, list(perms = 1:10))), c10)
  # the definition: networks of the permuted conditions, d_perm >= d_obs
  rows <- renette:::permutation_rows(44, 1:10, 4)
  pooled <- rbind(d$x, d$y)
  counts_by_hand <- function(k, infer) {
    dp <- diffconn(infer(pooled[rows[1:20, k], ]), infer(pooled[rows[21:44, k], ]))
    as.integer(dp >= d_obs)
  }
  ref <- Reduce(`+`, lapply(1:10, counts_by_hand,
                            infer = function(z) mat2adj(z, "cor", method = "spearman")))
  expect_identical(unname(c10), ref)
  tab <- diffconn_perm(d$x, d$y, "cor", sp, n_perm = 10, seed = 4)
  expect_identical(names(tab), c("node", "d", "count", "p", "q"))
  expect_identical(tab$node, colnames(d$x))
  expect_equal(tab$d, unname(d_obs))
  expect_identical(tab$count, unname(c10))
  expect_identical(tab$p, (tab$count + 1) / 11)
  expect_identical(tab$q, stats::p.adjust(tab$p, "BH"))
  # WGCNA with its power P from params
  wg <- function(z) mat2adj(z, "WGCNA", P = 2)
  d_obs <- diffconn(wg(d$x), wg(d$y))
  ref <- Reduce(`+`, lapply(1:2, counts_by_hand, infer = wg))
  expect_identical(unname(diffconn_perm_counts(d$x, d$y, "WGCNA", list(P = 2), perms = 1:2,
                                               seed = 4, d_obs = d_obs)), ref)
})

test_that("the same seed gives the same counts, stochastic methods included", {
  d <- conditions()
  a <- diffconn_perm_counts(d$x, d$y, "WGCNAFDR", list(FDR = 0.5), perms = 1:6, seed = 2)
  b <- diffconn_perm_counts(d$x, d$y, "WGCNAFDR", list(FDR = 0.5), perms = 4:6, seed = 2) +
    diffconn_perm_counts(d$x, d$y, "WGCNAFDR", list(FDR = 0.5), perms = 1:3, seed = 2)
  expect_identical(a, b)
  c1 <- diffconn_perm_counts(d$x, d$y, "cor", perms = 1:20, seed = 1)
  c2 <- diffconn_perm_counts(d$x, d$y, "cor", perms = 1:20, seed = 2)
  expect_false(identical(c1, c2))
  expect_identical(diffconn_perm_counts(d$x, d$y, "cor", list(method = "spearman"),
                                        perms = 1:3, seed = 1),
                   diffconn_perm_counts(d$x, d$y, perms = 1:3, seed = 1,
                                        params = list(method = "spearman")))
})

test_that("params must be named plain values; a failing permutation is named", {
  d <- conditions()
  expect_error(diffconn_perm_counts(d$x, d$y, "WGCNA", list(6), perms = 1),
               "named list", class = "renette_input_error")
  expect_error(diffconn_perm_counts(d$x, d$y, "WGCNA", list(P = quote(stop("no"))), perms = 1),
               "plain numbers", class = "renette_input_error")
  expect_error(diffconn_perm_counts(d$x, d$y, "WGCNA", list(infer.method = "cor"), perms = 1),
               "cannot set infer.method", class = "renette_input_error")
  expect_error(diffconn_perm_counts(d$x, d$y, "nope", perms = 1), "Unknown",
               class = "renette_input_error")
  expect_error(diffconn_perm_counts(d$x, d$y, perms = 1, d_obs = 1:2), "d_obs",
               class = "renette_input_error")
  x <- d$x
  x[, 4] <- 0
  x[1, 4] <- 5                                  # constant in most permuted conditions
  y <- d$y
  y[, 4] <- 0
  expect_error(diffconn_perm_counts(x, y, perms = 1:3, d_obs = rep(0, 5)),
               "Permutation [0-9]+ \\(20 \\+ 24 samples\\)", class = "renette_input_error")
})
