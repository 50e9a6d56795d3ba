# Speed of all-pairs HIM relative to the Laplacian spectra it needs.
#
# Prints, for (N networks, n nodes) = (10, 500) and (50, 200), the ratio
# time(netdist(list, d = "HIM")) / time(the N spectra alone). The target is
# <= 1.3: each spectrum is computed once and each pairwise IM is cheap.
# Run: R_LIBS=.rlib Rscript benchmarks/bench_distance_r.R

suppressPackageStartupMessages(library(renette))

random_networks <- function(N, n, seed) {
  set.seed(seed)
  lapply(seq_len(N), function(i) {
    A <- matrix(0, n, n)
    up <- upper.tri(A)
    A[up] <- runif(sum(up)) * (runif(sum(up)) < 0.2)
    A + t(A)
  })
}

# The two timings alternate, best of `reps` each, so that load from other
# processes on the machine hits both alike.
bench <- function(N, n, reps = 7) {
  nets <- stats::setNames(random_networks(N, n, seed = N + n), paste0("net", seq_len(N)))
  t_spec <- t_him <- Inf
  for (r in seq_len(reps)) {
    t_spec <- min(t_spec, system.time(
      for (A in nets) laplacian_spectrum(A, directed = FALSE))[["elapsed"]])
    t_him <- min(t_him, system.time(netdist(nets, d = "HIM"))[["elapsed"]])
  }
  cat(sprintf("N=%3d n=%4d  spectra %6.3f s  all-pairs HIM %6.3f s  ratio %.3f\n",
              N, n, t_spec, t_him, t_him / t_spec))
  invisible(t_him / t_spec)
}

invisible(netdist(random_networks(3, 20, 1), d = "HIM"))  # warm-up
bench(10, 500)
bench(50, 200)
