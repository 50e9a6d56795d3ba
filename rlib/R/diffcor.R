# Differential correlation between two conditions, pair by pair (edge level):
# correlations in A and B, their t-test p-values, the Fisher z test of their
# difference, its adjustment over all pairs (BH, none, or permutation FDR)
# and a class such as "+/0". Implemented from the definitions in
# ../shared/differential/README.md (checked against its test vectors).
# Vectorised over all pairs: whole correlation matrices, one extraction of
# the upper triangle, no per-pair R code.

DIFFCOR_METHODS <- c("pearson", "spearman")
DIFFCOR_ADJUST <- c("BH", "none", "perm")
DIFFCOR_CLASSES <- c("-/-", "-/0", "-/+", "0/-", "0/0", "0/+", "+/-", "+/0", "+/+")

#' Differential correlation between two conditions
#'
#' For every unordered pair of variables, the correlation in condition A and
#' in condition B, their p-values, the Fisher z test of the difference, its
#' adjustment over all pairs and a class naming what happens to the pair
#' (e.g. \code{"+/0"}: a positive correlation in A lost in B). The building
#' blocks \code{diffcor_pairs}, \code{diffcor_values}, \code{diffcor_perm_counts} and
#' \code{diffcor_perm_adjust} split the permutation FDR into blocks of
#' permutations (e.g. dask tasks) that give exactly the numbers of one
#' \code{diffcor(adjust = "perm")} call.
#'
#' @param x,y samples x variables data (numeric matrix or data.frame) of
#'   condition A and condition B, on the same variables. When both have
#'   column names, the variables they share are compared, in the order of
#'   \code{x}, and a \code{message} says how many were left out; without
#'   column names both must have the same number of columns (names become
#'   \code{V1}, \code{V2}, ...). Every condition needs at least 4 samples, no
#'   missing values and no constant column.
#' @param method \code{"pearson"} or \code{"spearman"} (Pearson correlation of
#'   the ranks, ties averaged, as \code{stats::cor}).
#' @param adjust \code{"BH"} (Benjamini-Hochberg over all pairs),
#'   \code{"none"} (\code{q_diff = p_diff}) or \code{"perm"} (permutation FDR,
#'   see Details).
#' @param cor_cutoff correlations above it are set to it before the Fisher
#'   transformation (clipped above only), in (0, 1].
#' @param cor_alpha significance level of a correlation for \code{class}.
#' @param n_perm number of permutations for \code{adjust = "perm"}.
#' @param seed seed of the permutations (see Details).
#' @param z_obs observed \code{z_diff} of every pair in the order of the
#'   table, or \code{NULL} to compute it from \code{x} and \code{y}.
#' @param perms the permutation numbers of a block, e.g. \code{1:250} or
#'   \code{251:500} (whole numbers >= 1).
#' @param count for \code{diffcor_perm_adjust}: the per-pair counts, summed
#'   over blocks of permutations that together are \code{1:n_perm}.
#'
#' @details
#' With \eqn{n_A}, \eqn{n_B} the numbers of samples:
#' \describe{
#'   \item{\code{r_A}, \code{r_B}}{the correlation of the pair in A and B.}
#'   \item{\code{p_A}, \code{p_B}}{two-sided t-test of r with \eqn{n-2}
#'     degrees of freedom, \eqn{2 P(T_{n-2} > |r|\sqrt{n-2}/\sqrt{1-r^2})}
#'     (0 when \eqn{|r| = 1}).}
#'   \item{\code{z_diff}}{\eqn{(atanh(r_B') - atanh(r_A')) / \sqrt{v/(n_A-3) + v/(n_B-3)}}
#'     with \eqn{r' = \min(r, c)}{r' = min(r, c)}, \eqn{c} = \code{cor_cutoff}, and \eqn{v = 1} (pearson) or
#'     \eqn{1.06} (spearman). Positive: the pair is more correlated in B.}
#'   \item{\code{p_diff}}{\eqn{2 P(Z > |z_{diff}|)}, two-sided normal.}
#'   \item{\code{q_diff}}{\code{p.adjust(p_diff, "BH")} over all pairs,
#'     \code{p_diff} for \code{adjust = "none"}, or the permutation FDR.}
#'   \item{\code{class}}{\code{"sA/sB"}: \code{sX} is the sign of \code{r_X}
#'     (\code{"+"} or \code{"-"}) when \code{p_X < cor_alpha}, else
#'     \code{"0"}; one of \code{"-/-"}, \code{"-/0"}, \code{"-/+"},
#'     \code{"0/-"}, \code{"0/0"}, \code{"0/+"}, \code{"+/-"}, \code{"+/0"},
#'     \code{"+/+"}.}
#' }
#' The upper tails are computed directly (\code{lower.tail = FALSE}), so
#' p-values keep their precision below 1e-16; they equal the reference
#' formulas \eqn{2(1 - F(.))} to ~1e-15 absolute (the test vectors'
#' tolerance is 1e-9).
#'
#' \strong{Permutation FDR} (\code{adjust = "perm"}). The samples of both
#' conditions are pooled (the rows of \code{x}, then those of \code{y});
#' permutation \eqn{k} (\eqn{k = 1, \dots,}{k = 1, ...,} \code{n_perm}) draws
#' \code{sample.int(n_A + n_B)} from stream \eqn{k} of the
#' \code{"L'Ecuyer-CMRG"} generator after \code{set.seed(seed)} (the seed
#' \code{parallel::nextRNGStream} gives when applied \eqn{k} times); its first
#' \eqn{n_A} rows form condition A, the others B. So permutation \eqn{k}
#' depends only on \code{(seed, k)}, however the permutations are split into
#' blocks; the caller's RNG kind and \code{.Random.seed} are restored.
#' \code{diffcor_perm_counts} counts, for each pair \eqn{i}, the null values
#' \eqn{|z|} of ALL pairs and all permutations in \code{perms} that are
#' \eqn{\ge |z_{obs,i}|}{>= |z_obs,i|} (one pass over the pairs per
#' permutation, in C++: no pairs x permutations matrix, no vector of null
#' values). Counts of blocks add up; with \eqn{m} pairs and \code{count} the
#' total over \code{1:n_perm}, \code{p_perm = (count + 1) / (n_perm * m + 1)}
#' and \code{q_diff} is its BH adjustment (\code{diffcor_perm_adjust}). A null \eqn{z} that is not
#' defined (a variable constant among the samples a permutation gives one
#' condition) does not count.
#'
#' \strong{Pairs} are the unordered pairs \eqn{i < j} of the (aligned)
#' variables in row-major order: \code{(1, 2), (1, 3), ..., (1, p), (2, 3),
#' ...}, i.e. by the position of \code{var1}, then of \code{var2}; the values
#' of pair \eqn{(i, j)} are those of the lower triangle of the correlation
#' matrices in column-major order (\code{R[lower.tri(R)]}).
#'
#' \strong{Size.} All pairs at once: two correlation matrices (one BLAS
#' \code{crossprod} of the standardised columns each) and a few vectors of
#' length \eqn{m = p(p-1)/2}; 5000 variables are 12.5 million pairs (about
#' 100 MB per column of the result; ~10 s and ~1.5 GB for the table, ~2 s
#' per permutation).
#'
#' @return \code{diffcor}: a data.frame with one row per pair and the columns
#'   \code{var1}, \code{var2} (character), \code{r_A}, \code{p_A}, \code{r_B},
#'   \code{p_B}, \code{z_diff}, \code{p_diff}, \code{q_diff} (numeric),
#'   \code{class} (character). With \code{adjust = "perm"} the permutation
#'   p-values are attached as \code{attr(, "p_perm")}.
#'
#'   \code{diffcor_pairs}: the same table without \code{q_diff} (no
#'   adjustment).
#'
#'   \code{diffcor_values}: the numbers of \code{diffcor_pairs} as a list of
#'   vectors in pair order, without the variable names (for callers that
#'   number the pairs themselves: 12.5 million pairs are 25 million strings):
#'   \code{r_A}, \code{p_A}, \code{r_B}, \code{p_B}, \code{z_diff},
#'   \code{p_diff} (numeric) and \code{class} (integer code 1 to 9 of
#'   \code{"-/-"}, \code{"-/0"}, \code{"-/+"}, \code{"0/-"}, \code{"0/0"},
#'   \code{"0/+"}, \code{"+/-"}, \code{"+/0"}, \code{"+/+"}, in this
#'   order: \eqn{3(s_A + 1) + s_B + 2}{3 (sA + 1) + sB + 2} with \eqn{s_X}{sX} in -1, 0, 1).
#'
#'   \code{diffcor_perm_counts}: a numeric (double: counts can exceed the
#'   integer range) vector of length \eqn{m}, the counts of pairs in table
#'   order (\code{NA} where \code{z_obs} is \code{NA}).
#'
#'   \code{diffcor_perm_adjust}: \code{list(p_perm, q_diff)}, both numeric
#'   vectors of length \eqn{m}.
#'
#' @seealso \code{\link{diffconn}} (node level), \code{\link{mat2adj}}
#' @examples
#' set.seed(1)
#' a <- matrix(rnorm(30 * 4), 30, dimnames = list(NULL, paste0("g", 1:4)))
#' b <- matrix(rnorm(25 * 4), 25, dimnames = list(NULL, paste0("g", 1:4)))
#' a[, 2] <- a[, 1] + rnorm(30, sd = 0.3)   # g1-g2 correlated in A only
#' diffcor(a, b)
#' diffcor(a, b, method = "spearman", adjust = "none")
#'
#' # permutation FDR, and the same numbers from two blocks of permutations
#' r <- diffcor(a, b, adjust = "perm", n_perm = 40, seed = 7)
#' z <- diffcor_pairs(a, b)$z_diff
#' count <- diffcor_perm_counts(a, b, z, 1:20, seed = 7) +
#'   diffcor_perm_counts(a, b, z, 21:40, seed = 7)
#' all.equal(diffcor_perm_adjust(count, 40)$q_diff, r$q_diff)
#' # the numbers without the names: class codes 1..9 for "-/-" .. "+/+"
#' str(diffcor_values(a, b))
#' @export
diffcor <- function(x, y, method = c("pearson", "spearman"), adjust = c("BH", "none", "perm"),
                    cor_cutoff = 0.99, cor_alpha = 0.05, n_perm = 1000L, seed = 0L) {
  method <- match_choice(method, DIFFCOR_METHODS, "method")
  adjust <- match_choice(adjust, DIFFCOR_ADJUST, "adjust")
  check_cor_cutoff(cor_cutoff)
  check_cor_alpha(cor_alpha)
  if (adjust == "perm") {
    n_perm <- check_n_perm(n_perm)
    seed <- check_seed(seed)
  }
  d <- diffcor_data(x, y, "diffcor")
  tab <- diffcor_table(d, method, cor_cutoff, cor_alpha)
  p_perm <- NULL
  q <- switch(adjust,
    BH = stats::p.adjust(tab$p_diff, "BH"),
    none = tab$p_diff,
    perm = {
      count <- perm_counts(d, tab$z_diff, seq_len(n_perm), method, cor_cutoff, seed)
      adj <- diffcor_perm_adjust(count, n_perm)
      p_perm <- adj$p_perm
      adj$q_diff
    })
  m <- length(q)
  cls <- tab$class
  tab$class <- NULL
  tab$q_diff <- q
  tab$class <- cls
  out <- as_table(tab, m)
  if (!is.null(p_perm)) attr(out, "p_perm") <- p_perm
  out
}

#' @rdname diffcor
#' @export
diffcor_pairs <- function(x, y, method = c("pearson", "spearman"), cor_cutoff = 0.99,
                          cor_alpha = 0.05) {
  method <- match_choice(method, DIFFCOR_METHODS, "method")
  check_cor_cutoff(cor_cutoff)
  check_cor_alpha(cor_alpha)
  d <- diffcor_data(x, y, "diffcor_pairs")
  tab <- diffcor_table(d, method, cor_cutoff, cor_alpha)
  as_table(tab, length(tab$z_diff))
}

#' @rdname diffcor
#' @export
diffcor_values <- function(x, y, method = c("pearson", "spearman"), cor_cutoff = 0.99,
                           cor_alpha = 0.05) {
  method <- match_choice(method, DIFFCOR_METHODS, "method")
  check_cor_cutoff(cor_cutoff)
  check_cor_alpha(cor_alpha)
  diffcor_numbers(diffcor_data(x, y, "diffcor_values"), method, cor_cutoff, cor_alpha)
}

#' @rdname diffcor
#' @export
diffcor_perm_counts <- function(x, y, z_obs = NULL, perms, method = c("pearson", "spearman"),
                                cor_cutoff = 0.99, seed = 0L) {
  method <- match_choice(method, DIFFCOR_METHODS, "method")
  check_cor_cutoff(cor_cutoff)
  perms <- check_perms(perms)
  seed <- check_seed(seed)
  d <- diffcor_data(x, y, "diffcor_perm_counts")
  p <- ncol(d$x)
  m <- p * (p - 1) / 2
  if (is.null(z_obs)) {
    z_obs <- pair_z(d$x, d$y, method, cor_cutoff, lower_index(p))
  } else if (!is.numeric(z_obs) || length(z_obs) != m) {
    input_error("diffcor_perm_counts(): z_obs must be the observed z_diff of the ", m,
                " pairs of the ", p, " variables (got ", length(z_obs), " values).")
  }
  perm_counts(d, as.double(z_obs), perms, method, cor_cutoff, seed)
}

#' @rdname diffcor
#' @export
diffcor_perm_adjust <- function(count, n_perm) {
  n_perm <- check_n_perm(n_perm)
  if (!is.numeric(count) || length(count) == 0L)
    input_error("diffcor_perm_adjust(): count must be the numeric vector of counts ",
                "(diffcor_perm_counts, summed over blocks).")
  m <- length(count)
  if (any(count < 0, na.rm = TRUE) || any(count > as.double(n_perm) * m, na.rm = TRUE))
    input_error("diffcor_perm_adjust(): counts must lie in [0, n_perm * m] = [0, ",
                format(as.double(n_perm) * m), "]: were all blocks made with the same ",
                "data and is n_perm the total number of permutations?")
  p_perm <- (as.double(count) + 1) / (as.double(n_perm) * m + 1)
  list(p_perm = p_perm, q_diff = stats::p.adjust(p_perm, "BH"))
}

# ---- internals ----

# match.arg-like: the full default vector means its first element; anything
# else must be exactly one of the choices (an input error otherwise).
match_choice <- function(value, choices, what) {
  if (identical(value, choices)) return(choices[[1]])
  if (!is.character(value) || length(value) != 1L || is.na(value) || !value %in% choices)
    input_error(what, " must be one of ", paste0("\"", choices, "\"", collapse = ", "),
                " (got ", paste(format(value), collapse = ", "), ").")
  value
}

check_cor_cutoff <- function(cor_cutoff) {
  if (!is.numeric(cor_cutoff) || length(cor_cutoff) != 1L || is.na(cor_cutoff) ||
      cor_cutoff <= 0 || cor_cutoff > 1)
    input_error("cor_cutoff must be one number in (0, 1], e.g. 0.99 (got ",
                format(cor_cutoff), ").")
}

check_cor_alpha <- function(cor_alpha) {
  if (!is.numeric(cor_alpha) || length(cor_alpha) != 1L || is.na(cor_alpha) ||
      cor_alpha <= 0 || cor_alpha > 1)
    input_error("cor_alpha must be one number in (0, 1], e.g. 0.05 (got ",
                format(cor_alpha), ").")
}

# The two conditions aligned and checked for differential correlation.
diffcor_data <- function(x, y, caller) {
  d <- align_conditions(x, y, caller)
  for (cond in list(list(d$x, "x (condition A)"), list(d$y, "y (condition B)"))) {
    z <- cond[[1]]
    if (nrow(z) < 4L)
      input_error(caller, "(): ", cond[[2]], " has ", nrow(z), " sample(s) (rows); ",
                  "differential correlation needs at least 4 per condition (the ",
                  "Fisher z test divides by n - 3).")
    if (anyNA(z)) {
      at <- which(is.na(z), arr.ind = TRUE)[1, ]
      input_error(caller, "(): ", cond[[2]], " has missing values (first at row ", at[1],
                  ", column ", column_labels(colnames(z), at[2]), "): remove or impute ",
                  "them first.")
    }
    const <- which(colSums(z != rep(z[1, ], each = nrow(z))) == 0)
    if (length(const))
      input_error(caller, "(): ", cond[[2]], " has ", length(const), " constant ",
                  "column(s): ", name_list(column_labels(colnames(z), const)), ". Their ",
                  "correlations are undefined: drop these variables from both conditions.")
  }
  d
}

# The pairs (i, j), i < j, in row-major order: var1 index i, var2 index j,
# and idx, the position of [j, i] in a p x p matrix (the lower triangle in
# column-major order = the upper triangle in row-major order).
upper_pairs <- function(p) {
  n1 <- (p - 1):1
  i <- rep.int(seq_len(p - 1), n1)
  j <- sequence(n1, from = 2:p)
  idx <- (i - 1) * as.double(p) + j
  if (p * as.double(p) < .Machine$integer.max) idx <- as.integer(idx)
  list(i = i, j = j, idx = idx)
}

lower_index <- function(p) upper_pairs(p)$idx

# cor_matrix(): infer-cor.R (two-pass centring, one BLAS crossprod).

# Correlations of the pairs (vector, pair order), in [-1, 1].
pair_cor <- function(x, method, idx) cor_matrix(x, method)[idx]

# The standard error of the difference of Fisher z values.
z_se <- function(nA, nB, method) {
  v <- if (method == "spearman") 1.06 else 1
  sqrt(v / (nA - 3) + v / (nB - 3))
}

fisher_z_diff <- function(rA, rB, nA, nB, method, cor_cutoff) {
  (atanh(pmin(rB, cor_cutoff)) - atanh(pmin(rA, cor_cutoff))) / z_se(nA, nB, method)
}

pair_z <- function(x, y, method, cor_cutoff, idx) {
  fisher_z_diff(pair_cor(x, method, idx), pair_cor(y, method, idx), nrow(x), nrow(y),
                method, cor_cutoff)
}

# Two-sided t-test of a correlation with n - 2 degrees of freedom (0 at |r| = 1).
cor_pvalue <- function(r, n) {
  p <- 2 * stats::pt(abs(r) * sqrt(n - 2) / sqrt(1 - r^2), n - 2, lower.tail = FALSE)
  p[abs(r) == 1] <- 0
  p
}

# The numbers of the pair table (no names, no q_diff): what diffcor_values
# returns, class as its code 1..9 (DIFFCOR_CLASSES).
diffcor_numbers <- function(d, method, cor_cutoff, cor_alpha) {
  idx <- lower_index(ncol(d$x))
  rA <- pair_cor(d$x, method, idx)
  rB <- pair_cor(d$y, method, idx)
  rm(idx)
  pA <- cor_pvalue(rA, nrow(d$x))
  pB <- cor_pvalue(rB, nrow(d$y))
  z <- fisher_z_diff(rA, rB, nrow(d$x), nrow(d$y), method, cor_cutoff)
  # class code 1..9: 3 (sA + 1) + (sB + 1) + 1 with sX in -1, 0, 1
  code <- 3L * as.integer((pA < cor_alpha) * sign(rA)) +
    as.integer((pB < cor_alpha) * sign(rB)) + 5L
  list(r_A = rA, p_A = pA, r_B = rB, p_B = pB, z_diff = z,
       p_diff = 2 * stats::pnorm(abs(z), lower.tail = FALSE), class = code)
}

# The columns of the pair table as a list (no q_diff).
diffcor_table <- function(d, method, cor_cutoff, cor_alpha) {
  nm <- colnames(d$x)
  pr <- upper_pairs(ncol(d$x))
  v <- diffcor_numbers(d, method, cor_cutoff, cor_alpha)
  v$class <- DIFFCOR_CLASSES[v$class]
  c(list(var1 = nm[pr$i], var2 = nm[pr$j]), v)
}

# A list of equal-length columns as a data.frame, without data.frame()'s copies.
as_table <- function(cols, m) {
  structure(cols, class = "data.frame", row.names = c(NA_integer_, -as.integer(m)))
}

# For each pair, how many null |z| (all pairs, permutations `perms`) are >=
# its |z_obs|. The observed values are sorted once; each permutation's null
# values are compared with them in C++ (diffcor_null_counts: a bucket sort
# of the null values merged with the sorted observed values; no R vector of
# null values).
perm_counts <- function(d, z_obs, perms, method, cor_cutoff, seed) {
  pooled <- rbind(d$x, d$y)
  nA <- nrow(d$x)
  n <- nrow(pooled)
  se <- z_se(nA, n - nA, method)
  a <- abs(z_obs)
  o <- order(a, na.last = NA)          # NA (undefined z_obs): count NA
  a <- a[o]
  count <- numeric(length(a))
  for_each_permutation(n, perms, seed, function(k, rows) {
    inA <- rows[seq_len(nA)]
    RA <- cor_matrix(pooled[inA, , drop = FALSE], method)
    RB <- cor_matrix(pooled[rows[-seq_len(nA)], , drop = FALSE], method)
    count <<- count + diffcor_null_counts(RA, RB, cor_cutoff, se, a)
  })
  out <- rep(NA_real_, length(z_obs))
  out[o] <- count
  out
}
