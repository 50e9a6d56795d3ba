# Regenerate man/ and NAMESPACE from the #' blocks of R/ (`make rdocs`, and
# tests/test_rdocs.py on a copy):  Rscript rlib/tools/rdocs.R [package folder]
#
# roxygen2 needs the package's objects to write usage sections. Its own loader
# ("source" in DESCRIPTION) attaches every import first (WGCNA takes seconds);
# sourcing the R files into an environment gives the same objects, and the
# same files, in a third of the time.
args <- commandArgs(trailingOnly = TRUE)
pkg <- if (length(args)) args[[1]] else "rlib"
source_only <- function(path) {
  env <- new.env(parent = globalenv())
  for (f in sort(list.files(file.path(path, "R"), pattern = "[.][Rr]$", full.names = TRUE)))
    sys.source(f, envir = env, keep.source = FALSE)
  env
}
roxygen2::roxygenise(pkg, load_code = source_only)
