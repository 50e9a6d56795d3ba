# Permutation filters WGCNAFDR, bicorFDR, MINEFDR and their weights (R/infer-fdr.R).

test_that("bicor weights reproduce WGCNA::bicor, including the MAD = 0 fallback", {
  x <- small_data()
  x[1:20, 4] <- 1       # median absolute deviation 0 -> Pearson fallback
  z <- renette:::bicor_weights(x)
  expect_equal(crossprod(z), unname(suppressWarnings(WGCNA::bicor(x))), tolerance = 1e-12,
               ignore_attr = TRUE)
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
