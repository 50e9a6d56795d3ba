# The same work as our dask jobs, in one plain R process (the reference of
# every benchmark). Called by benchmarks/common.py:run_reference:
#   Rscript reference.R TASK FILE DIMS... REPS
# Inputs are raw little-endian doubles (column-major) written by Python.
# Prints one line of JSON: best wall and CPU seconds of each timed step (and, for
# distance, the HIM the steps computed).
suppressPackageStartupMessages({
  library(renette)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
task <- args[[1]]
file <- args[[2]]
num <- suppressWarnings(as.integer(args[-(1:2)]))

read_doubles <- function(n) readBin(file, what = "double", n = n, size = 8, endian = "little")

# Best of `reps` wall (and the CPU time of that run): the minimum is the
# measurement least disturbed by the other processes of this machine.
best <- function(expr_fun, reps) {
  out <- c(wall = Inf, cpu = Inf)
  for (r in seq_len(reps)) {
    t <- system.time(expr_fun())
    if (t[["elapsed"]] < out[["wall"]])
      out <- c(wall = t[["elapsed"]], cpu = t[["user.self"]] + t[["sys.self"]])
  }
  as.list(out)
}

result <- switch(task,
  # N networks of n nodes: the N spectra back to back (lower bound of an
  # all-pairs HIM) and netdist's all-pairs HIM on the same list.
  distance = {
    N <- num[[1]]; n <- num[[2]]; reps <- num[[3]]
    v <- read_doubles(N * n * n)
    nets <- lapply(seq_len(N), function(i) matrix(v[(i - 1) * n * n + seq_len(n * n)], n, n))
    names(nets) <- paste0("net", seq_len(N))
    invisible(netdist(nets[1:2], d = "HIM"))  # warm-up
    # The pairs once the spectra are known: H, IM, HIM of all pairs in one
    # call, as a job's tiles compute them (packed networks, densities given).
    scaled <- lapply(nets, rescale_network)
    P <- vapply(scaled, function(A) c(A[upper.tri(A)], diag(A)), numeric(n * (n + 1) / 2))
    D <- do.call(cbind, network_spectra(simplify2array(scaled), FALSE, optimal_gamma(n))$D)
    all_pairs <- t(combn(N, 2))
    list(spectra = best(function() for (A in nets)
                          laplacian_spectrum(rescale_network(A), directed = FALSE), reps),
         pairs = best(function() distance_block_packed(P, n, all_pairs, D = D), reps),
         netdist = best(function() netdist(nets, d = "HIM"), reps),
         # what the timed steps computed, pair by pair (i < j, row-major), so that a
         # test can check the floor and the job compute the same distances
         him = list(pairs = unname(distance_block_packed(P, n, all_pairs, D = D)[, "HIM"]),
                    netdist = unname(netdist(nets, d = "HIM")$HIM[all_pairs])))
  },
  # netSI (cor, HIM, montecarlo) on a rows x cols data matrix.
  stability = {
    rows <- num[[1]]; cols <- num[[2]]; h <- num[[3]]; reps <- num[[4]]
    x <- matrix(read_doubles(rows * cols), rows, cols)
    invisible(netSI(x[, 1:10], d = "HIM", adj.method = "cor", h = 2))  # warm-up
    list(netSI = best(function() suppressWarnings(
      netSI(x, d = "HIM", adj.method = "cor", resamp.method = "montecarlo", h = h,
            sseed = 0)), reps))
  },
  # One mat2adj call per method on a rows x cols data matrix, and one BLAS
  # product of the same size (crossprod: cols x rows times rows x cols).
  infer = {
    rows <- num[[1]]; cols <- num[[2]]; reps <- num[[3]]
    methods <- strsplit(args[[length(args)]], ",")[[1]]
    x <- matrix(read_doubles(rows * cols), rows, cols)
    out <- list(crossprod = best(function() crossprod(x), reps))
    # Warm-up: loading a method's packages (WGCNA: seconds) is not its cost.
    for (m in methods) invisible(mat2adj(x[1:20, 1:5], infer.method = m))
    for (m in methods) {
      # MINE caches its last all-pairs result: clear it so each rep computes.
      fun <- if (m == "MINE") function() { rm(list = ls(renette:::mine_cache),
                                               envir = renette:::mine_cache)
                                            mat2adj(x, infer.method = m) }
             else function() mat2adj(x, infer.method = m)
      out[[m]] <- best(fun, reps)
    }
    out
  },
  # The floor of a genome-scale inference: the correlation network in one R
  # process (WGCNA's cor, one thread; |r|, or |r|^6 for WGCNA) saved in binary.
  scale_infer = {
    rows <- num[[1]]; cols <- num[[2]]; reps <- num[[3]]
    method <- args[[length(args)]]
    x <- matrix(read_doubles(rows * cols), rows, cols)
    out_file <- tempfile(fileext = ".bin")
    invisible(WGCNA::cor(x[, 1:10], nThreads = 1L))  # warm-up: WGCNA loaded
    res <- list(floor = best(function() {
      a <- abs(WGCNA::cor(x, nThreads = 1L))
      if (method == "WGCNA") a <- a^6
      diag(a) <- 0
      writeBin(as.vector(a), out_file)
    }, reps))
    unlink(out_file)
    res
  },
  # The floor of a distance between two networks: their Laplacian spectra
  # (eigenvalues only), one after the other.
  scale_distance = {
    N <- num[[1]]; n <- num[[2]]; reps <- num[[3]]
    v <- read_doubles(N * n * n)
    nets <- lapply(seq_len(N), function(i) matrix(v[(i - 1) * n * n + seq_len(n * n)], n, n))
    rm(v)
    list(floor = best(function() for (A in nets) {
      L <- diag(rowSums(A)) - A
      eigen(L, symmetric = TRUE, only.values = TRUE)
    }, reps))
  },
  # Two conditions of rows x cols each (back to back): the floor of a
  # differential job, its two correlation matrices (cor_matrix: what diffcor
  # and mat2adj use, one BLAS crossprod each), and diffcor's whole pair table.
  diffcor = {
    rows <- num[[1]]; cols <- num[[2]]; reps <- num[[3]]
    v <- read_doubles(2 * rows * cols)
    x <- matrix(v[seq_len(rows * cols)], rows, cols)
    y <- matrix(v[rows * cols + seq_len(rows * cols)], rows, cols)
    rm(v)
    invisible(diffcor(x[, 1:min(10, cols)], y[, 1:min(10, cols)]))  # warm-up
    list(cor2 = best(function() { renette:::cor_matrix(x, "pearson")
                                  renette:::cor_matrix(y, "pearson") }, reps),
         diffcor = best(function() diffcor(x, y), 1))
  },
  stop("unknown task ", task))

cat(toJSON(result, auto_unbox = TRUE, digits = NA), "\n")
