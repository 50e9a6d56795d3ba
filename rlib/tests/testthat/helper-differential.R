# The differential-correlation test vectors (../shared/differential, beside
# the repository like the conformance corpus); RENETTE_DIFFERENTIAL overrides
# the location. NULL when absent: the tests that need them are skipped.
differential_dir <- function() {
  d <- Sys.getenv("RENETTE_DIFFERENTIAL", "")
  if (nzchar(d)) return(normalizePath(d))
  here <- normalizePath(testthat::test_path("."), mustWork = TRUE)
  for (up in c("../../../../shared/differential", "../../../shared/differential",
               "../../../../../shared/differential")) {
    p <- file.path(here, up)
    if (file.exists(file.path(p, "cases.json"))) return(normalizePath(p))
  }
  NULL
}

skip_without_differential <- function() {
  if (is.null(differential_dir()))
    testthat::skip(paste("differential test vectors not found (shared/differential",
                         "beside the repository): set RENETTE_DIFFERENTIAL to that folder"))
}

differential_cases <- function() {
  jsonlite::fromJSON(file.path(differential_dir(), "cases.json"), simplifyVector = FALSE)
}

read_differential_csv <- function(p) {
  utils::read.csv(file.path(differential_dir(), p), check.names = FALSE,
                  stringsAsFactors = FALSE)
}
