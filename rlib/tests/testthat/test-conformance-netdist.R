# Every netdist case of the conformance corpus, called with the case's own
# argument names: a pair netdist(x, h, ...) or a named list netdist(list, ...).
# IM/HIM are also held to the corpus' closed-form reference_exact at 1e-11.

run_netdist_case <- function(k) {
  nets <- lapply(k$inputs, read_case_csv)
  if (is.null(k$list_names)) {
    call_with_args(netdist, list(nets[[1]], nets[[2]]), k$args)
  } else {
    call_with_args(netdist, list(stats::setNames(nets, unlist(k$list_names))), k$args)
  }
}

read_field <- function(v) if (is.character(v)) read_case_csv(v) else v

test_that("netdist matches every corpus netdist case within tolerance", {
  cases <- conformance_cases("netdist")
  expect_gt(length(cases), 0)
  for (k in cases) {
    w <- character()
    got <- withCallingHandlers(run_netdist_case(k), warning = function(c) {
      w <<- c(w, conditionMessage(c)); invokeRestart("muffleWarning")
    })
    # Directed input: the project follows nettools 1.0.1 / netrd (see README),
    # whose values such a case stores as expected_alt_nettools_1.0.1.
    expected <- k[["expected_alt_nettools_1.0.1"]]
    if (is.null(expected)) expected <- k$expected
    expect_setequal(names(got), names(expected))
    for (f in names(expected)) {
      expect_within(got[[f]], read_field(expected[[f]]), case_tolerance(k, f),
                    paste(k$id, f))
      if (is.null(k[["expected_alt_nettools_1.0.1"]]))
        expect_within(got[[f]], read_field(k$reference_exact[[f]]),
                      c(abs = 1e-11, rel = 0), paste(k$id, f, "vs exact"))
    }
    if (!is.null(k$list_names)) {
      expect_equal(dimnames(got[[1]]), list(unlist(k$list_names), unlist(k$list_names)))
    }
    # the user is told about a rescaling exactly when the oracle rescaled
    rescaled <- any(grepl("scaling", unlist(k$oracle_warnings)))
    expect_equal(any(grepl("rescaled", w)), rescaled, label = paste(k$id, "rescaling warning"))
  }
})
