# Differential connectivity (node level): how much each node's connections
# change between the network of condition A and that of condition B, and a
# permutation test of that change (labels of the pooled samples permuted,
# both networks inferred again with mat2adj). Permutations are drawn as for
# diffcor (R/permutations.R), so blocks of permutations add up exactly.

#' Differential connectivity of the nodes of two networks
#'
#' \code{diffconn} measures, for every node, how much its connections differ
#' between two networks on the same nodes:
#' \eqn{d_i = \sum_j |A_{ij} - B_{ij}|^{lp}}{d_i = sum_j |A_ij - B_ij|^lp}. \code{diffconn_perm_counts}
#' and \code{diffconn_perm} test it by permutation: the samples of both
#' conditions are pooled, their condition labels permuted, both networks
#' inferred again with \code{\link{mat2adj}} and \eqn{d} recomputed.
#'
#' @param A,B two networks on the same nodes (square numeric matrices,
#'   data.frames, Matrix or igraph objects, as for \code{\link{netdist}}).
#' @param lp the exponent of the absolute differences (a positive number;
#'   2 by default, 1 gives the L1 change of a node's weights).
#' @param x,y samples x variables data of condition A and condition B, aligned
#'   as in \code{\link{diffcor}} (shared column names in the order of
#'   \code{x}; without names, the same number of columns). Missing values and
#'   near-constant columns are handled by \code{mat2adj} (see its \code{use}
#'   and \code{tol}, which can be given in \code{params}).
#' @param method the inference method, \code{infer.method} of
#'   \code{\link{mat2adj}} (e.g. \code{"cor"}, \code{"WGCNA"}).
#' @param params a named list of further \code{mat2adj} arguments, e.g.
#'   \code{list(P = 6)} for WGCNA or \code{list(method = "spearman")} for cor.
#'   Values must be plain numbers, strings or logicals (they are passed to
#'   \code{mat2adj} with \code{do.call}, never evaluated as code).
#' @param perms the permutation numbers of a block, e.g. \code{1:250} (whole
#'   numbers >= 1); permutation \eqn{k} is drawn as in \code{\link{diffcor}}:
#'   \code{sample.int(n_A + n_B)} from stream \eqn{k} of L'Ecuyer-CMRG after
#'   \code{set.seed(seed)}, the first \eqn{n_A} pooled rows (rows of \code{x},
#'   then of \code{y}) forming condition A.
#' @param seed seed of the permutations.
#' @param d_obs the observed \code{diffconn} of the networks inferred from
#'   \code{x} and \code{y}, one value per node; \code{NULL} infers them (after
#'   \code{set.seed(seed)} with L'Ecuyer-CMRG, stream 0, which only matters
#'   for stochastic methods without a \code{seed} in \code{params}).
#' @param n_perm the number of permutations (\code{diffconn_perm}).
#'
#' @details
#' The sum runs over all \eqn{j}, the diagonal included (networks from
#' \code{mat2adj} have a zero diagonal), along row \eqn{i}: for an asymmetric
#' network \eqn{d_i} is the change of node \eqn{i}'s out-weights (rows). The
#' networks are used as given (no rescaling).
#'
#' For each permutation in \code{perms}, both networks are inferred from the
#' permuted conditions and \eqn{d} computed; \code{diffconn_perm_counts}
#' counts per node the permutations with \eqn{d_{perm,i} \ge d_{obs,i}}{d_perm,i >= d_obs,i}. The
#' inferences of permutation \eqn{k} run on the RNG stream \eqn{k} right after
#' the draw, so stochastic methods are reproducible too. Counts of disjoint
#' blocks of permutations add up; the p-value of node \eqn{i} over
#' permutations \code{1:n_perm} is \code{(count_i + 1) / (n_perm + 1)}, and
#' \code{diffconn_perm} adjusts it over the nodes with Benjamini-Hochberg.
#' The caller's RNG kind and \code{.Random.seed} are restored.
#'
#' @return \code{diffconn}: a numeric vector with one \eqn{d_i} per node,
#'   named by the node names of \code{A} (or \code{B}) when it has them.
#'
#'   \code{diffconn_perm_counts}: an integer vector with one count per node
#'   (named like \code{diffconn}'s result).
#'
#'   \code{diffconn_perm}: a data.frame with one row per node: \code{node}
#'   (character; \code{"1"}, \code{"2"}, ... without names), \code{d} (the
#'   observed \code{diffconn}), \code{count}, \code{p}
#'   (\code{(count + 1) / (n_perm + 1)}) and \code{q} (BH over the nodes).
#'
#' @seealso \code{\link{diffcor}} (edge level), \code{\link{hamming_node_share}}
#' @examples
#' set.seed(1)
#' a <- matrix(rnorm(30 * 5), 30, dimnames = list(NULL, paste0("g", 1:5)))
#' b <- matrix(rnorm(30 * 5), 30, dimnames = list(NULL, paste0("g", 1:5)))
#' a[, 2] <- a[, 1] + rnorm(30, sd = 0.3)
#' diffconn(mat2adj(a), mat2adj(b))
#' diffconn_perm(a, b, method = "WGCNA", params = list(P = 2), n_perm = 20, seed = 1)
#' # the counts behind diffconn_perm's p-values, from two blocks of permutations
#' diffconn_perm_counts(a, b, "WGCNA", list(P = 2), perms = 1:10, seed = 1) +
#'   diffconn_perm_counts(a, b, "WGCNA", list(P = 2), perms = 11:20, seed = 1)
#' @export
diffconn <- function(A, B, lp = 2) {
  check_lp(lp)
  nets <- same_nodes(A, B, "diffconn")
  d <- rowSums(abs(nets$A - nets$B)^lp)
  names(d) <- nets$names
  d
}

#' @rdname diffconn
#' @export
diffconn_perm_counts <- function(x, y, method = "cor", params = list(), perms, seed = 0L,
                                 lp = 2, d_obs = NULL) {
  check_lp(lp)
  perms <- check_perms(perms)
  seed <- check_seed(seed)
  d <- align_conditions(x, y, "diffconn_perm_counts")
  infer <- network_inference(method, params)
  if (is.null(d_obs)) {
    d_obs <- observed_diffconn(d, infer, seed, lp)
  } else if (!is.numeric(d_obs) || length(d_obs) != ncol(d$x) || anyNA(d_obs)) {
    input_error("diffconn_perm_counts(): d_obs must be the observed diffconn, one number ",
                "per node (", ncol(d$x), "; got ", length(d_obs), ").")
  }
  count <- diffconn_counts(d, infer, perms, seed, lp, d_obs)
  names(count) <- colnames(d$x)
  count
}

#' @rdname diffconn
#' @export
diffconn_perm <- function(x, y, method = "cor", params = list(), n_perm = 1000L, seed = 0L,
                          lp = 2) {
  check_lp(lp)
  n_perm <- check_n_perm(n_perm)
  seed <- check_seed(seed)
  d <- align_conditions(x, y, "diffconn_perm")
  infer <- network_inference(method, params)
  d_obs <- observed_diffconn(d, infer, seed, lp)
  count <- diffconn_counts(d, infer, seq_len(n_perm), seed, lp, d_obs)
  p <- (count + 1) / (n_perm + 1)
  data.frame(node = colnames(d$x), d = unname(d_obs), count = count, p = p,
             q = stats::p.adjust(p, "BH"), stringsAsFactors = FALSE)
}

# ---- internals ----

check_lp <- function(lp) {
  if (!is.numeric(lp) || length(lp) != 1L || !is.finite(lp) || lp <= 0)
    input_error("lp must be one positive number, e.g. 2 (got ", format(lp), ").")
}

# Two networks as numeric matrices of the same size, and their node names
# (A's, else B's, else NULL). Different names in A and B are an error.
same_nodes <- function(A, B, caller) {
  A <- as_network(A, "A")
  B <- as_network(B, "B")
  if (!identical(dim(A), dim(B)))
    input_error(caller, "(): networks A and B have different sizes (", nrow(A), " and ",
                nrow(B), " nodes): they must be on the same nodes.")
  na <- colnames(A)
  nb <- colnames(B)
  if (!is.null(na) && !is.null(nb) && !identical(na, nb))
    input_error(caller, "(): networks A and B have different node names or orders ",
                "(e.g. '", na[na != nb][1], "' and '", nb[na != nb][1], "'): align ",
                "them first.")
  list(A = A, B = B, names = if (!is.null(na)) na else nb)
}

# function(x) -> network, mat2adj with the method and the checked params.
network_inference <- function(method, params) {
  method <- match_infer_method(method)
  if (is.null(params)) params <- list()
  if (!is.list(params) || is.data.frame(params))
    input_error("params must be a named list of mat2adj arguments, e.g. list(P = 6).")
  nm <- names(params)
  if (length(params) && (is.null(nm) || any(!nzchar(nm)) || anyDuplicated(nm)))
    input_error("params must be a named list of mat2adj arguments with distinct names, ",
                "e.g. list(P = 6).")
  clash <- intersect(nm, c("x", "infer.method"))
  if (length(clash))
    input_error("params cannot set ", name_list(clash), ": the data and the method are ",
                "given by x, y and method.")
  typed <- vapply(params, function(v) (is.numeric(v) || is.character(v) || is.logical(v)) &&
                    is.null(dim(v)) && !is.object(v), TRUE)
  if (!all(typed))
    input_error("params values must be plain numbers, strings or logicals; not so: ",
                name_list(nm[!typed]), ".")
  function(x) do.call(mat2adj, c(list(x, infer.method = method), params))
}

# diffconn of the networks inferred from the observed conditions, on stream 0.
observed_diffconn <- function(d, infer, seed, lp) {
  out <- NULL
  for_each_permutation(nrow(d$x) + nrow(d$y), 0L, seed, function(i, rows) {
    out <<- diffconn(infer(d$x), infer(d$y), lp)
  })
  out
}

diffconn_counts <- function(d, infer, perms, seed, lp, d_obs) {
  pooled <- rbind(d$x, d$y)
  nA <- nrow(d$x)
  count <- integer(ncol(pooled))
  for_each_permutation(nrow(pooled), perms, seed, function(i, rows) {
    on_perm <- function(e) input_error("Permutation ", perms[i], " (", nA, " + ",
                                       nrow(pooled) - nA, " samples): ",
                                       conditionMessage(e), call = NULL)
    dp <- tryCatch(diffconn(infer(pooled[rows[seq_len(nA)], , drop = FALSE]),
                            infer(pooled[rows[-seq_len(nA)], , drop = FALSE]), lp),
                   renette_input_error = on_perm)
    count <<- count + (!is.na(dp) & dp >= d_obs)   # an undefined d does not count
  })
  unname(count)
}
