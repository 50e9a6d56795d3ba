# Package-level documentation and the NAMESPACE directives that belong to
# no single function (roxygen2 writes NAMESPACE from these tags).

#' renette: differential network analysis (inference, distances, stability)
#'
#' Infers networks from omics data matrices (\code{\link{mat2adj}}), measures
#' distances between networks (\code{\link{netdist}}, \code{\link{mpnetdist}})
#' and the stability of inferred networks under resampling
#' (\code{\link{netSI}}), computes node and network statistics
#' (\code{\link{netstats}}) and compares two conditions edge by edge
#' (\code{\link{diffcor}}) and node by node (\code{\link{diffconn}},
#' \code{\link{hamming_node_share}}). Function names and arguments follow
#' nettools 1.1.0; the methods are implemented from their mathematics. The
#' pieces a distributed job is split into are documented in
#' \code{\link{building_blocks}}.
#'
#' Bad input is an R condition of class \code{renette_input_error} whose
#' message says what is wrong and what to do.
#'
#' @keywords internal
#' @useDynLib renette, .registration = TRUE
#' @importFrom Rcpp evalCpp
#' @importFrom stats cor median mad sd var uniroot setNames p.adjust pnorm pt
#' @importFrom parallel nextRNGStream
"_PACKAGE"
