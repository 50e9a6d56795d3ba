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

#' Infer a network from a data matrix
#'
#' See the Rd page `?mat2adj` for the methods and their arguments.
#'
#' @param x numeric matrix or data.frame, samples in rows, variables in columns.
#' @param infer.method one of `INFER_METHODS` (partial matching as in pmatch).
#' @param use missing-value handling: "all.obs" (NA is an error),
#'   "complete.obs" or "pairwise.complete.obs".
#' @param tol columns with variance below `tol` are an input error; 0 disables.
#' @param seed when not NULL, `set.seed(seed)` first (stochastic methods).
#' @param ... method arguments (method, P, FDR, measure, alpha, C, var.thr,
#'   DP, ...); unknown names are ignored, as nettools does.
#' @return P x P numeric matrix, dimnames from the column names, diagonal 0.
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
