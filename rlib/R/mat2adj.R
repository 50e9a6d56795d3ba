# mat2adj(): infer a network (adjacency matrix) from a data matrix.
# The dispatcher only checks the input and routes to one back end per method
# (files infer-*.R); the mathematics lives in those files.

# Method names, in nettools' order (pmatch picks among them).
INFER_METHODS <- c("cor", "WGCNA", "WGCNAFDR", "bicor", "bicorFDR", "TOM",
                   "ARACNE", "CLR", "MINE", "MINEFDR", "DTWMIC", "c3net",
                   "bc3net")

# Methods whose back end handles missing values pairwise itself; for the
# others use = "pairwise.complete.obs" drops incomplete rows like complete.obs.
PAIRWISE_METHODS <- c("cor", "WGCNA", "bicor", "TOM")

USE_OPTIONS <- c("all.obs", "complete.obs", "pairwise.complete.obs")

#' Infer a network (adjacency matrix) from a data matrix
#'
#' Computes a weighted, undirected network among the variables (columns) of a
#' data matrix with one of thirteen inference methods. Names and arguments
#' follow \code{nettools::mat2adj} (version 1.1.0), so code written for it runs
#' unchanged; the methods are implemented from their mathematics.
#'
#' @param x numeric matrix or data.frame: samples in rows, variables in
#'   columns. Numbers stored as text are converted; a column with text that is
#'   not a number is an error naming it.
#' @param infer.method one of \code{"cor"}, \code{"WGCNA"}, \code{"WGCNAFDR"},
#'   \code{"bicor"}, \code{"bicorFDR"}, \code{"TOM"}, \code{"ARACNE"},
#'   \code{"CLR"}, \code{"MINE"}, \code{"MINEFDR"}, \code{"DTWMIC"},
#'   \code{"c3net"}, \code{"bc3net"}; partial names are matched as by
#'   \code{\link{pmatch}}.
#' @param use missing values: \code{"all.obs"} (a missing value is an error
#'   saying where it is), \code{"complete.obs"} (rows with a missing value
#'   are dropped) or \code{"pairwise.complete.obs"} (passed to the
#'   correlation for cor, WGCNA, bicor and TOM; like complete.obs for the other
#'   methods).
#' @param tol a column whose variance is below \code{tol} is an input error
#'   naming it; \code{tol = 0} disables the check (needed for data with very
#'   small values, e.g. relative abundances of order 1e-11).
#' @param seed if not \code{NULL}, \code{set.seed(seed)} is called first, so
#'   the stochastic methods (WGCNAFDR, bicorFDR, MINEFDR, bc3net) are
#'   reproducible; the same seed gives the network nettools gives after
#'   \code{set.seed(seed)}.
#' @param \dots arguments of the method (below). Names a method does not
#'   use are ignored, as in nettools.
#'
#' @details
#' Methods and their arguments (defaults in parentheses):
#' \describe{
#'   \item{cor}{\eqn{|r|}, any \code{method} of \code{\link{cor}}
#'     (\code{"pearson"}, \code{"spearman"}, \code{"kendall"}).}
#'   \item{WGCNA}{\eqn{|r|^P}, Pearson \eqn{r} (\code{P = 6};
#'     \code{WGCNA::unsignedAdjacency}).}
#'   \item{TOM}{unsigned topological overlap of \eqn{|r|^P} (\code{P = 6};
#'     \code{WGCNA::TOMsimilarityFromExpr}). Unlike nettools the result keeps
#'     the variable names.}
#'   \item{bicor}{absolute biweight midcorrelation (\code{WGCNA::bicor},
#'     \code{maxPOutliers = 1}).}
#'   \item{ARACNE}{Gaussian mutual information of Spearman correlations,
#'     \eqn{-\frac12\log(1-\min(\rho^2, 0.999999))}, pruned by the
#'     data-processing inequality (in every triangle the edge weaker than both
#'     others is removed), divided by the maximum.}
#'   \item{CLR}{the same mutual information turned into per-variable z-scores,
#'     \eqn{\sqrt{z_{ij}^2 + z_{ji}^2}}, divided by the maximum.}
#'   \item{MINE}{a statistic of \code{minerva::mine}: \code{measure} one of
#'     \code{"MIC"} (default), \code{"MAS"}, \code{"MEV"}, \code{"MCN"},
#'     \code{"MICR2"}, \code{"GMIC"}, \code{"TIC"}; \code{alpha = 0.6},
#'     \code{C = 15}, \code{var.thr = 1e-5}, \code{est = "mic_approx"}.
#'     minerva sets the \emph{row} of every variable with variance below
#'     \code{var.thr} to 0, so the result can be asymmetric; MICR2
#'     (\eqn{MIC - r^2}) can be negative. Both are kept as minerva gives them.
#'     The last all-pairs result is cached, so asking for another measure of the
#'     same data is immediate.}
#'   \item{DTWMIC}{\eqn{((d^2 + m^2)/2)^{DP/2}} with \eqn{d = 1/(1 + DTW)}, the
#'     dynamic-time-warping distance (symmetric2 step pattern, absolute
#'     difference cost, divided by \eqn{2N}), and \eqn{m} the MIC with minerva's
#'     defaults (\code{DP = 1}).}
#'   \item{c3net}{conservative causal core network: mutual information of
#'     Pearson correlations of copula-transformed data; values below the mean
#'     are dropped and every variable keeps only its strongest edge. Values are
#'     raw mutual information and may exceed 1.}
#'   \item{bc3net}{bagged c3net: \code{boot = 100} bootstrap c3 networks whose
#'     edges are tested against a permutation null (Bonferroni,
#'     \code{alpha1 = 0.05}); the result is the frequency of each edge, kept
#'     where a binomial test finds it more frequent than chance
#'     (Bonferroni, \code{alpha2 = 0.05}).}
#'   \item{WGCNAFDR, bicorFDR, MINEFDR}{a permutation filter of \eqn{|r|}
#'     (WGCNAFDR always uses power 1, as nettools), \eqn{|bicor|} or a MINE
#'     statistic (\code{measure}, \code{alpha}, \code{C} as for MINE): during
#'     \code{floor(1/FDR)} rounds every surviving pair is compared with the
#'     statistic of one variable against a permutation of the other, and is
#'     dropped the first time it does not beat it. \code{FDR = 1e-3} (1000
#'     rounds) by default. It is not a false discovery rate.}
#' }
#'
#' @return A \eqn{P \times P}{P x P} numeric matrix with the column names of
#'   \code{x} as dimnames and a zero diagonal; non-negative except MINE's MICR2.
#'
#' @section Differences from nettools:
#' \itemize{
#'   \item A column with variance below \code{tol} is an error of class
#'     \code{renette_input_error} naming the columns; nettools warns and returns
#'     \code{NULL}.
#'   \item \code{use} is honoured (nettools 1.1.0 ignores it); missing values
#'     with \code{use = "all.obs"} are an error saying where they are.
#'   \item TOM keeps the variable names.
#'   \item bicorFDR and MINEFDR have defaults for every argument (nettools
#'     requires FDR, and for MINEFDR also measure, alpha and C); MINEFDR uses
#'     the given \code{alpha} and \code{C} in the permutations too, and keeps a
#'     single surviving edge (nettools uses minerva's defaults there and returns
#'     an empty network when exactly one edge survives).
#' }
#' All input errors are conditions of class
#' \code{c("renette_input_error", "error", "condition")}.
#'
#' @seealso \code{\link{netdist}}, \code{\link{netSI}}, \code{\link{diffconn}}
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(40 * 5), 40, 5, dimnames = list(NULL, paste0("gene", 1:5)))
#' x[, 2] <- x[, 1] + rnorm(40, sd = 0.5)
#' x[, 3] <- x[, 1]^2 + rnorm(40, sd = 0.5)
#'
#' round(mat2adj(x), 2)                              # |Pearson correlation|
#' round(mat2adj(x, "cor", method = "spearman"), 2)
#' round(mat2adj(x, "WGCNA", P = 6), 3)
#' round(mat2adj(x, "ARACNE"), 2)
#' round(mat2adj(x, "MINE", measure = "MIC"), 2)     # also sees non-linear links
#' mat2adj(x, "WGCNAFDR", FDR = 0.05, seed = 1)      # reproducible permutations
#'
#' # near-constant columns are an input error, unless tol = 0
#' y <- x
#' y[, 4] <- y[, 4] * 1e-4
#' tryCatch(mat2adj(y), renette_input_error = function(e) conditionMessage(e))
#' dim(mat2adj(y, tol = 0))
#' @keywords models
#' @export
mat2adj <- function(x, infer.method = "cor", use = "all.obs", tol = 1e-5,
                    seed = NULL, ...) {
  method <- match_infer_method(infer.method)
  use <- match_use(use)
  x <- as_data_matrix(x)
  x <- handle_missing(x, use, method)
  check_data_shape(x, method)
  check_variance(x, tol)
  if (!is.null(seed)) set.seed(seed)
  backend <- infer_backend(method)
  args <- keep_backend_args(backend, list(...))
  if (method %in% PAIRWISE_METHODS) args$use <- use
  A <- do.call(backend, c(list(x), args))
  finish_adjacency(A, colnames(x))
}

match_infer_method <- function(infer.method) {
  if (!is.character(infer.method) || length(infer.method) != 1L || is.na(infer.method))
    input_error("infer.method must be one method name: one of ",
                paste(INFER_METHODS, collapse = ", "), ".")
  i <- pmatch(infer.method, INFER_METHODS)
  if (is.na(i))
    input_error("Unknown or ambiguous inference method '", infer.method,
                "': use one of ", paste(INFER_METHODS, collapse = ", "), ".")
  INFER_METHODS[[i]]
}

match_use <- function(use) {
  i <- if (is.character(use) && length(use) == 1L) pmatch(use, USE_OPTIONS) else NA
  if (is.na(i))
    input_error("use must be one of ", paste(USE_OPTIONS, collapse = ", "), ".")
  USE_OPTIONS[[i]]
}

infer_backend <- function(method) {
  switch(method,
    cor = infer_cor, WGCNA = infer_wgcna, TOM = infer_tom,
    bicor = infer_bicor, ARACNE = infer_aracne, CLR = infer_clr,
    MINE = infer_mine, DTWMIC = infer_dtwmic, c3net = infer_c3net,
    bc3net = infer_bc3net, WGCNAFDR = infer_wgcna_fdr,
    bicorFDR = infer_bicor_fdr, MINEFDR = infer_mine_fdr)
}

# Like R.utils::doCall: pass only the arguments the back end declares.
keep_backend_args <- function(fun, args) {
  if (length(args) == 0L) return(list())
  nm <- names(args)
  if (is.null(nm) || any(!nzchar(nm)))
    input_error("Method arguments must be named (e.g. P = 6, measure = \"MIC\").")
  args[nm %in% setdiff(names(formals(fun)), "x")]
}

#' Coerce a data matrix to a numeric matrix, naming non-numeric columns.
#' @noRd
as_data_matrix <- function(x) {
  if (is.data.frame(x)) {
    nm <- names(x)
    cols <- lapply(x, column_as_numeric)
    bad <- which(vapply(cols, is.null, logical(1)))
    if (length(bad))
      input_error("Column(s) ", name_list(column_labels(nm, bad)),
                  " contain text that is not a number (e.g. '",
                  first_non_number(x[[bad[1]]]), "'): remove these columns ",
                  "or fix the values; samples go in rows, numeric variables in columns.")
    x <- matrix(as.numeric(unlist(cols, use.names = FALSE)), nrow = nrow(x),
                ncol = length(cols), dimnames = list(NULL, nm))
  }
  if (!is.matrix(x))
    input_error("x must be a numeric matrix or data.frame (samples in rows, ",
                "variables in columns), not ", class(x)[1], ".")
  if (!is.numeric(x) && !is.logical(x)) {
    if (is.character(x)) return(as_data_matrix(as.data.frame(x, stringsAsFactors = FALSE)))
    input_error("x must contain numbers, not ", typeof(x), ".")
  }
  storage.mode(x) <- "double"
  if (any(is.infinite(x))) {
    at <- which(is.infinite(x), arr.ind = TRUE)[1, ]
    input_error("x contains an infinite value (row ", at[1], ", column ",
                column_labels(colnames(x), at[2]), "): replace it with a number or NA.")
  }
  x
}

column_as_numeric <- function(v) {
  if (is.numeric(v) || is.logical(v)) return(as.numeric(v))
  s <- trimws(as.character(v))
  s[s %in% c("", "NA", "NaN")] <- NA
  out <- suppressWarnings(as.numeric(s))
  if (any(is.na(out) & !is.na(s))) return(NULL)
  out
}

first_non_number <- function(v) {
  s <- trimws(as.character(v))
  bad <- !is.na(s) & nzchar(s) & is.na(suppressWarnings(as.numeric(s)))
  s[bad][1]
}

column_labels <- function(nm, j) {
  if (is.null(nm)) return(paste0("column ", j))
  ifelse(is.na(nm[j]) | !nzchar(nm[j]), paste0("column ", j),
         paste0("'", nm[j], "'"))
}

handle_missing <- function(x, use, method) {
  if (!anyNA(x)) return(x)
  if (use == "all.obs") {
    at <- which(is.na(x), arr.ind = TRUE)
    where <- paste0("row ", at[1, 1], ", column ", column_labels(colnames(x), at[1, 2]))
    input_error("The data contain ", nrow(at), " missing value(s) (first at ",
                where, "): remove them, or pass use = \"complete.obs\" ",
                "(drop incomplete rows) or use = \"pairwise.complete.obs\".")
  }
  if (use == "pairwise.complete.obs" && method %in% PAIRWISE_METHODS) return(x)
  keep <- stats::complete.cases(x)
  x[keep, , drop = FALSE]
}

check_data_shape <- function(x, method) {
  if (ncol(x) < 2L)
    input_error("A network needs at least 2 variables (columns); the data have ",
                ncol(x), ". Samples go in rows, variables in columns.")
  if (nrow(x) < 3L)
    input_error("Method ", method, " needs at least 3 samples (rows) without ",
                "missing values; the data have ", nrow(x), ".")
  invisible(x)
}

# OUR DECISION (nettools returns NULL with a warning): near-constant
# columns are an input error that names them.
check_variance <- function(x, tol) {
  if (!is.numeric(tol) || length(tol) != 1L || is.na(tol) || tol < 0)
    input_error("tol must be one number >= 0 (0 disables the variance check).")
  if (tol == 0) return(invisible(x))
  v <- apply(x, 2, stats::var, na.rm = TRUE)
  low <- which(is.na(v) | v < tol)
  if (length(low))
    input_error(length(low), " column(s) have variance below tol = ", format(tol),
                ": ", name_list(column_labels(colnames(x), low)),
                ". Drop these columns, or pass tol = 0 to keep them ",
                "(or a smaller tol, e.g. for data with very small values).")
  invisible(x)
}

finish_adjacency <- function(A, names) {
  A <- as.matrix(A)
  storage.mode(A) <- "double"
  diag(A) <- 0
  dimnames(A) <- if (is.null(names)) NULL else list(names, names)
  A
}
