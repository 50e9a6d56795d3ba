# The Lorentzian half-width gamma that makes IM(empty, complete) = 1, so that
# IM lies in [0, 1] for networks of that size.

# Spectra (omegas after dropping the first mode) of the empty and complete
# graphs as distinct values + multiplicities. Directed: spectra of the
# bipartite embeddings [[0, t(A)], [A, 0]] of the empty and complete digraphs;
# the complete one has Laplacian eigenvalues {0, N-2 x(N-1), N x(N-1), 2N-2 x1}.
extreme_spectra <- function(n, directed) {
  if (!directed) {
    return(list(e = 0, em = n - 1, k = sqrt(n), km = n - 1))
  }
  list(e = 0, em = 2 * n - 1,
       k = sqrt(c(n - 2, n, 2 * n - 2)), km = c(n - 1, n - 1, 1))
}

#' @rdname building_blocks
#' @export
optimal_gamma <- function(n, directed = FALSE) {
  n <- as.numeric(n)
  if (length(n) != 1 || !is.finite(n) || n < 2 || n != round(n))
    input_error("optimal_gamma() needs the number of nodes as a whole number >= 2 (got ",
                format(n), ").")
  sp <- extreme_spectra(n, isTRUE(directed))
  f <- function(g) ipsen_closed_form(sp$e, sp$k, g, sp$em, sp$km) - 1
  stats::uniroot(f, c(0.01, 1), tol = .Machine$double.eps)$root
}
