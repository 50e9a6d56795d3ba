# Resampling of the rows (samples) of a data matrix, drawn with R's RNG in
# exactly nettools' order so that the same seed gives the same resamples.

RESAMPLING_METHODS <- c("montecarlo", "LOO", "kCV")

match_resampling <- function(m) {
  i <- if (is.character(m) && length(m) == 1) pmatch(m, RESAMPLING_METHODS) else NA
  if (is.na(i))
    input_error("Unknown resampling method '", paste(m, collapse = ","), "': use one of ",
                paste(RESAMPLING_METHODS, collapse = ", "), ".")
  RESAMPLING_METHODS[i]
}

whole_number <- function(v, what, min) {
  if (!is.numeric(v) || length(v) != 1 || !is.finite(v) || v != round(v) || v < min)
    input_error(what, " must be a whole number >= ", min, " (got ", format(v), ").")
  as.integer(v)
}

#' @rdname building_blocks
#' @export
resampling_indices <- function(N, resamp.method = "montecarlo", k = 3, h = 20, sseed = 0) {
  method <- match_resampling(resamp.method)
  N <- whole_number(N, "The number of samples", 2)
  if (method == "LOO") {
    # k and h do not apply; no random draw
    return(lapply(seq_len(N), function(r) seq_len(N)[-r]))
  }
  k <- whole_number(k, "k (number of folds)", if (method == "kCV") 2 else 1)
  h <- whole_number(h, "h (number of repetitions)", 1)
  set.seed(sseed)
  if (method == "montecarlo") {
    size <- floor(N * (1 - 1 / k))
    if (size < 2)
      input_error("Monte Carlo resampling with k = ", k, " keeps ", size, " of the ", N,
                  " samples: use a larger k or more samples.")
    return(lapply(seq_len(h), function(r) sample(seq_len(N), size)))
  }
  if (k >= N)
    input_error("k-fold cross-validation needs k < the number of samples (k = ", k,
                ", samples = ", N, ").")
  out <- vector("list", h * k)
  for (r in seq_len(h)) {
    perm <- sample(seq_len(N))
    folds <- split(perm, cut(seq_len(N), k))
    # each resample keeps every fold but one, rows in permutation order
    for (f in seq_len(k)) out[[(r - 1) * k + f]] <- unlist(folds[-f], use.names = FALSE)
  }
  out
}
