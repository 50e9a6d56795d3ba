# Label permutations of pooled samples for the differential tests (diffcor,
# diffconn). Permutation k is a function of (seed, k) only, so a job split
# into blocks of permutations (dask workers) draws exactly the permutations of
# one plain call: stream k of L'Ecuyer-CMRG after set.seed(seed) (what
# parallel::nextRNGStream gives when applied k times), then one
# sample.int(n_A + n_B). The caller's RNG kind and .Random.seed are restored.

# The caller's RNG state: kinds and .Random.seed (NULL when there is none).
rng_state <- function() {
  list(kind = RNGkind(),
       seed = if (exists(".Random.seed", envir = globalenv(), inherits = FALSE))
         get(".Random.seed", envir = globalenv()) else NULL)
}

rng_restore <- function(state) {
  # RNGkind() re-seeds; .Random.seed (which encodes the kinds too) is put back
  # after it. sample.kind = "Rounding" warns every time it is set: not ours.
  suppressWarnings(RNGkind(state$kind[1], state$kind[2], state$kind[3]))
  if (is.null(state$seed)) {
    if (exists(".Random.seed", envir = globalenv(), inherits = FALSE))
      rm(".Random.seed", envir = globalenv())
  } else {
    assign(".Random.seed", state$seed, envir = globalenv())
  }
}

check_seed <- function(seed) {
  if (!is.numeric(seed) || length(seed) != 1L || !is.finite(seed) || seed != round(seed) ||
      abs(seed) > .Machine$integer.max)
    input_error("seed must be one whole number (got ", format(seed), ").")
  as.integer(seed)
}

check_perms <- function(perms) {
  if (!is.numeric(perms) || length(perms) == 0L || anyNA(perms) ||
      any(perms != round(perms)) || any(perms < 1) || any(perms > .Machine$integer.max))
    input_error("perms must be permutation numbers: whole numbers >= 1, e.g. 1:250 ",
                "(got ", name_list(format(perms[seq_len(min(10L, length(perms)))])), ").")
  as.integer(perms)
}

check_n_perm <- function(n_perm) {
  if (!is.numeric(n_perm) || length(n_perm) != 1L || !is.finite(n_perm) ||
      n_perm != round(n_perm) || n_perm < 1)
    input_error("n_perm must be one whole number >= 1, e.g. 1000 (got ", format(n_perm), ").")
  as.integer(n_perm)
}

#' Run fun(i, rows) for each permutation perms[i]: rows is permutation
#' perms[i] of 1..n, and the RNG is left on stream perms[i] right after the
#' draw (a stochastic inference inside fun continues that stream, so it is
#' reproducible too). Permutations are visited in increasing order; duplicates
#' are allowed. With perms = 0L (stream 0 = set.seed(seed)) no row order is
#' drawn (rows = NULL).
#' @noRd
for_each_permutation <- function(n, perms, seed, fun) {
  state <- rng_state()
  on.exit(rng_restore(state))
  RNGkind("L'Ecuyer-CMRG", "Inversion", "Rejection")
  set.seed(seed)
  s <- get(".Random.seed", envir = globalenv())
  k <- 0L
  for (i in order(perms)) {
    while (k < perms[i]) {
      s <- parallel::nextRNGStream(s)
      k <- k + 1L
    }
    assign(".Random.seed", s, envir = globalenv())
    rows <- if (perms[i] == 0L) NULL else sample.int(n)
    fun(i, rows)
  }
  invisible(NULL)
}

#' Permutation matrix: column i is permutation perms[i] of 1..n, drawn as
#' for_each_permutation draws it. Exported through tests only (internal).
#' @noRd
permutation_rows <- function(n, perms, seed) {
  perms <- check_perms(perms)
  out <- matrix(0L, n, length(perms))
  for_each_permutation(n, perms, check_seed(seed), function(i, rows) out[, i] <<- rows)
  out
}
