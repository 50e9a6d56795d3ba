# mat2adj against the nettools conformance corpus (../shared/conformance):
# every deterministic case within its tolerance, every stochastic case
# exactly (our RNG call order reproduces nettools from the same seed) and by
# its statistical rule.

run_mat2adj_case <- function(k) {
  x <- read_case_csv(k$inputs[[1]])
  args <- k$args
  if (!is.null(k$seed)) args$seed <- k$seed
  call_with_args(mat2adj, list(x), args)
}

upper_summary <- function(A) {
  u <- A[upper.tri(A)]
  c(n_edges = sum(u != 0), sum_weights = sum(u))
}

for (k in conformance_cases("mat2adj", "deterministic")) local({
  k <- k
  test_that(paste("conformance:", k$id), {
    if (isTRUE(k$expected$null)) {
      # OUR DECISION: nettools returns NULL with a warning; we signal an
      # input error that names the near-constant columns and the way out.
      err <- expect_error(run_mat2adj_case(k), class = "renette_input_error")
      expect_match(conditionMessage(err), "variance below tol")
      expect_match(conditionMessage(err), "tol = 0")
      expect_match(conditionMessage(err), colnames(read_case_csv(k$inputs[[1]]))[1])
      return(invisible())
    }
    got <- run_mat2adj_case(k)
    exp <- read_case_csv(k$expected$matrix)
    expect_within(got, exp, case_tolerance(k, "matrix"), label = k$id)
    expect_identical(dimnames(got), list(colnames(exp), colnames(exp)))
    expect_identical(isSymmetric(unname(got)), isTRUE(k$expected$symmetric))
    expect_equal(unname(upper_summary(got)["n_edges"]), k$expected$n_edges)
  })
})

for (k in conformance_cases("mat2adj", "stochastic")) local({
  k <- k
  test_that(paste("conformance (stochastic):", k$id), {
    got <- run_mat2adj_case(k)
    exp <- read_case_csv(k$expected$matrix)
    # exact: set.seed(seed) then nettools' RNG call order
    expect_within(got, exp, case_tolerance(k, "matrix"), label = k$id)
    # and the statistical rule of the corpus (mean +/- 4 sd over seeds)
    s <- upper_summary(got)
    st <- k$tolerance$statistical
    for (f in c("n_edges", "sum_weights")) {
      lim <- unlist(st[[f]])
      expect_true(s[[f]] >= lim[1] - 1e-9 && s[[f]] <= lim[2] + 1e-9,
                  label = paste(k$id, f, "within mean +/- 4 sd"))
    }
  })
})

# The other seeds of the seed distributions, on the cheap cases: the same
# n_edges and sum_weights as nettools for every seed.
for (k in conformance_cases("mat2adj", "stochastic")) local({
  k <- k
  if (!grepl("small_30x8", k$id)) return()
  test_that(paste("seed distribution:", k$id), {
    sd <- k$expected$seed_distribution
    x <- read_case_csv(k$inputs[[1]])
    for (i in seq_along(sd$seeds)) {
      args <- k$args
      args$seed <- sd$seeds[[i]]
      s <- upper_summary(call_with_args(mat2adj, list(x), args))
      expect_equal(s[["n_edges"]], sd$n_edges[[i]], label = paste("n_edges seed", sd$seeds[[i]]))
      expect_equal(s[["sum_weights"]], sd$sum_weights[[i]], tolerance = 1e-10,
                   label = paste("sum_weights seed", sd$seeds[[i]]))
    }
  })
})
