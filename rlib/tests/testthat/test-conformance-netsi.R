# Every netSI case of the conformance corpus (deterministic and bug-corrected),
# called with the case's own arguments; each expected field within its
# tolerance. The resampling index sets are checked on their own as well.

read_case_df <- function(p) utils::read.csv(file.path(conformance_dir(), p), check.names = FALSE)

case_indices <- function(path) {
  idx <- read_case_df(path)
  unname(lapply(split(idx$row, idx$resample), as.integer))
}

test_that("resampling_indices reproduces every corpus index set", {
  seen <- character()
  for (k in conformance_cases("netSI")) {
    p <- k$expected$resampling_indices
    if (p %in% seen) next
    seen <- c(seen, p)
    N <- nrow(read_case_csv(k$inputs[[1]]))
    got <- resampling_indices(N, resamp.method = k$args$resamp.method, k = k$args$k,
                              h = k$args$h, sseed = k$args$sseed)
    expect_identical(lapply(got, as.integer), case_indices(p), label = p)
  }
  expect_gt(length(seen), 0)
})

test_that("netSI matches every corpus netSI case within tolerance", {
  cases <- conformance_cases("netSI", groups = c("deterministic", "bug-corrected"))
  expect_gt(length(cases), 0)
  for (k in cases) {
    x <- read_case_csv(k$inputs[[1]])
    got <- call_with_args(netSI, list(x), k$args)
    e <- k$expected
    for (f in c("S", "SI")) expect_within(got[[f]], e[[f]], case_tolerance(k, f), paste(k$id, f))
    sw <- read_case_df(e$Sw)
    expect_equal(names(got$Sw), sw$edge, label = paste(k$id, "Sw names"))
    expect_within(got$Sw, sw$Sw, case_tolerance(k, "Sw"), paste(k$id, "Sw"))
    sd <- read_case_df(e$Sd)
    expect_equal(names(got$Sd), sd$node, label = paste(k$id, "Sd names"))
    expect_within(got$Sd, sd$Sd, case_tolerance(k, "Sd"), paste(k$id, "Sd"))
    sb <- read_case_df(e$S_boot)
    expect_within(got$S_boot, sb$S, case_tolerance(k, "S_boot"), paste(k$id, "S_boot"))
    expect_within(got$S_boot, sb$S_exact, c(abs = 1e-11, rel = 0), paste(k$id, "S_boot exact"))
    sib <- read_case_df(e$SI_boot)
    expect_within(got$SI_boot, sib$SI, case_tolerance(k, "SI_boot"), paste(k$id, "SI_boot"))
    expect_within(got$SI_boot, sib$SI_exact, c(abs = 1e-11, rel = 0), paste(k$id, "SI_boot exact"))
    expect_within(got$Sd_boot, read_case_csv(e$Sd_boot), case_tolerance(k, "Sd_boot"),
                  paste(k$id, "Sd_boot"))
    expect_within(got$ADJ, read_case_csv(e$ADJ), case_tolerance(k, "ADJ"), paste(k$id, "ADJ"))
    expect_equal(length(got$ADJlist), e$n_resamples)
    expect_identical(lapply(got$indices, as.integer), case_indices(e$resampling_indices))
  }
})
