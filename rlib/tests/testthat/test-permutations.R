# Label permutations of pooled samples (R/permutations.R): permutation k is
# a function of (seed, k) only.

test_that("permutation k is stream k of L'Ecuyer-CMRG after set.seed(seed)", {
  old <- RNGkind()
  on.exit(RNGkind(old[1], old[2], old[3]))
  manual <- function(n, k, seed) {
    RNGkind("L'Ecuyer-CMRG", "Inversion", "Rejection")
    set.seed(seed)
    s <- .Random.seed
    for (i in seq_len(k)) s <- parallel::nextRNGStream(s)
    assign(".Random.seed", s, envir = globalenv())
    sample.int(n)
  }
  want <- manual(9, 3, 11)
  RNGkind(old[1], old[2], old[3])
  rows <- renette:::permutation_rows(9, 1:5, 11)
  expect_identical(rows[, 3], want)
  expect_identical(renette:::permutation_rows(9, 3, 11)[, 1], want)
  expect_identical(renette:::permutation_rows(9, c(5, 3, 3), 11), rows[, c(5, 3, 3)])
  expect_false(identical(renette:::permutation_rows(9, 3, 12)[, 1], want))
  expect_true(all(apply(rows, 2, function(r) identical(sort(r), 1:9))))
})

test_that("the caller's RNG state is restored, also when there was none", {
  had <- exists(".Random.seed", envir = globalenv())
  if (had) saved <- get(".Random.seed", envir = globalenv())
  on.exit(if (had) assign(".Random.seed", saved, envir = globalenv()))
  rm(".Random.seed", envir = globalenv())
  renette:::permutation_rows(5, 1:2, 1)
  expect_false(exists(".Random.seed", envir = globalenv()))
  set.seed(3)
  before <- .Random.seed
  renette:::permutation_rows(5, 1:2, 1)
  expect_identical(.Random.seed, before)
})

test_that("bad permutation numbers and seeds are input errors", {
  expect_error(renette:::permutation_rows(5, c(1, NA), 1), "perms",
               class = "renette_input_error")
  expect_error(renette:::permutation_rows(5, 0, 1), "perms", class = "renette_input_error")
  expect_error(renette:::permutation_rows(5, 1, "a"), "seed", class = "renette_input_error")
})
