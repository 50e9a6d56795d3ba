# Ipsen-Mikhailov distance between two Laplacian spectra.
#
# Each spectrum (omegas, first mode already dropped) defines a density on
# [0, Inf): rho(w) = K * sum_k gamma / ((w - w_k)^2 + gamma^2), with the exact
# normalisation K = 1 / sum_k (pi/2 + atan(w_k / gamma)).
# IM = sqrt(int_0^Inf (rho_A - rho_B)^2 dw).
#
# Two exact evaluations live here:
# * ipsen_closed_form(): the integral of every product of two Lorentzians on
#   [0, Inf) in closed form, O(n^2) per pair. Used for gamma and in tests.
# * ipsen_from_spectra() / density_on_grid(): each density is evaluated once
#   on a fixed Gauss-Legendre grid that depends only on (n, gamma); a pair then
#   costs O(grid) and sqrt(sum((dA - dB)^2)) has no cancellation, so small
#   distances keep full precision. Accuracy vs the closed form: see tests.

# int_0^Inf L_a(w) L_b(w) dw for L_a(w) = gamma / ((w - a)^2 + gamma^2),
# vectorised over a and b (partial fractions of the product).
lorentz_overlap <- function(a, b, gamma) {
  d <- a - b
  s2 <- b^2 + gamma^2
  q <- (a + b) / s2
  x <- d * q                        # (a^2 + g^2) / (b^2 + g^2) - 1
  # log((a^2+g^2)/(b^2+g^2)) / (a - b), stable as a -> b (limit q)
  lr <- ifelse(x == 0, q,
               ifelse(abs(x) < 0.5, log1p(x), log(a^2 + gamma^2) - log(s2)) /
                 ifelse(d == 0, 1, d))
  (gamma * (pi + atan(a / gamma) + atan(b / gamma)) + gamma^2 * lr) /
    (d^2 + 4 * gamma^2)
}

# Exact normalisation constant of a spectrum's density.
lorentz_K <- function(omega, gamma) 1 / sum(pi / 2 + atan(omega / gamma))

# Closed-form IM from spectra given as distinct values with multiplicities.
ipsen_closed_form <- function(s1, s2, gamma, m1 = rep(1, length(s1)),
                              m2 = rep(1, length(s2))) {
  x <- c(s1, s2)
  cf <- c(m1 * lorentz_K(rep(s1, m1), gamma), -m2 * lorentz_K(rep(s2, m2), gamma))
  J <- outer(x, x, lorentz_overlap, gamma = gamma)
  sqrt(max(0, sum(cf * (J %*% cf))))
}

# Gauss-Legendre nodes/weights on [-1, 1] (Golub-Welsch), cached per m.
gauss_legendre <- local({
  cache <- list()
  function(m) {
    key <- as.character(m)
    if (is.null(cache[[key]])) {
      k <- seq_len(m - 1)
      b <- k / sqrt(4 * k^2 - 1)
      J <- matrix(0, m, m)
      J[cbind(k, k + 1)] <- b
      J[cbind(k + 1, k)] <- b
      e <- eigen(J, symmetric = TRUE)
      o <- order(e$values)
      cache[[key]] <<- list(x = e$values[o], w = 2 * e$vectors[1, o]^2)
    }
    cache[[key]]
  }
})

# The quadrature grid for networks with n nodes (spectra of length n - 1).
# Weights are in [0, 1] after rescaling, so every omega is at most
# sqrt(2n - 1) (Gershgorin): Gauss-Legendre panels of width <= gamma cover
# [0, T], T = sqrt(2n) + 10 gamma, and the tail [T, Inf) is mapped to t = T/w
# on (0, 1]. The integrand's poles sit at distance gamma from the real axis,
# so 16 nodes per panel of width gamma converge far below 1e-13.
ipsen_grid <- function(n, gamma, omega_max = 0) {
  gl <- gauss_legendre(16)
  top <- max(sqrt(2 * n), omega_max) + 10 * gamma
  np <- ceiling(top / gamma)
  h <- top / np
  left <- (seq_len(np) - 1) * h
  x <- as.vector(outer(gl$x * h / 2 + h / 2, left, `+`))
  w <- rep(gl$w * h / 2, np)
  # tail: w = top / t, dw = top / t^2 dt, t in (0, 1] split in 4 panels
  tp <- 4
  tl <- (seq_len(tp) - 1) / tp
  t <- as.vector(outer(gl$x / (2 * tp) + 1 / (2 * tp), tl, `+`))
  tw <- rep(gl$w / (2 * tp), tp)
  list(x = c(x, top / t), sw = sqrt(c(w, tw * top / t^2)))
}

# A spectrum's normalised density times sqrt(quadrature weight) on the grid.
density_on_grid <- function(omega, gamma, grid) {
  if (length(omega) == 0) return(numeric(length(grid$x)))
  dens <- lorentz_sum(grid$x, as.numeric(omega), gamma)  # C++ (src/distance.cpp)
  dens * lorentz_K(omega, gamma) * grid$sw
}

# IM between two spectra on the grid of their size (the pair building block).
#' @rdname building_blocks
#' @export
ipsen_from_spectra <- function(s1, s2, gamma) {
  s1 <- as.numeric(s1); s2 <- as.numeric(s2)
  if (length(s1) != length(s2))
    input_error("The two spectra have different lengths (", length(s1), " and ",
                length(s2), "): the networks must have the same number of nodes.")
  grid <- ipsen_grid(length(s1) + 1, gamma, max(c(s1, s2, 0)))
  sqrt(sum((density_on_grid(s1, gamma, grid) - density_on_grid(s2, gamma, grid))^2))
}
