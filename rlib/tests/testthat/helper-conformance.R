# Helpers to read the nettools conformance corpus (../shared/conformance).
# The corpus lives beside the repository (CI has it too); RENETTE_CONFORMANCE
# overrides the location.
conformance_dir <- function() {
  d <- Sys.getenv("RENETTE_CONFORMANCE", "")
  if (nzchar(d)) return(normalizePath(d))
  here <- normalizePath(testthat::test_path("."), mustWork = TRUE)
  for (up in c("../../../../shared/conformance", "../../../shared/conformance",
               "../../../../../shared/conformance")) {
    p <- file.path(here, up)
    if (file.exists(file.path(p, "cases.json"))) return(normalizePath(p))
  }
  stop("conformance corpus not found: set RENETTE_CONFORMANCE to shared/conformance")
}

conformance_cases <- function(fun = NULL, groups = NULL) {
  cs <- jsonlite::fromJSON(file.path(conformance_dir(), "cases.json"),
                           simplifyVector = FALSE)
  if (!is.null(fun)) cs <- Filter(function(k) k[["function"]] == fun, cs)
  if (!is.null(groups)) cs <- Filter(function(k) k$group %in% groups, cs)
  cs
}

read_case_csv <- function(p) {
  as.matrix(utils::read.csv(file.path(conformance_dir(), p), check.names = FALSE))
}

case_tolerance <- function(k, field) {
  t <- k$tolerance
  if (!is.null(t$fields[[field]])) t <- t$fields[[field]]
  c(abs = t$abs, rel = if (is.null(t$rel)) 0 else t$rel)
}

# Element-wise |got - exp| <= abs + rel*|exp|, NA matching NA.
expect_within <- function(got, exp, tol, label = "") {
  got <- unname(as.matrix(got)); exp <- unname(as.matrix(exp))
  testthat::expect_equal(dim(got), dim(exp), label = paste(label, "dim"))
  na_ok <- identical(is.na(got), is.na(exp))
  testthat::expect_true(na_ok, label = paste(label, "NA pattern"))
  err <- abs(got - exp) - (tol[["abs"]] + tol[["rel"]] * abs(exp))
  worst <- suppressWarnings(max(err, na.rm = TRUE))
  testthat::expect_true(worst <= 0,
    label = sprintf("%s: max excess over tolerance %.3g", label, worst))
}

# Run args (a JSON list) as a call of fun, turning JSON null into R NULL.
call_with_args <- function(fun, first, args) {
  do.call(fun, c(first, args))
}
