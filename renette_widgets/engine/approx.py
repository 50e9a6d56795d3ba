"""Approximate Laplacian spectra for very large networks (stochastic Lanczos quadrature).

The exact spectrum of an n-node network costs an O(n^3) eigendecomposition
(minutes at n = 10,000). The Ipsen-Mikhailov distance uses only the spectrum's
smoothed density, which stochastic Lanczos quadrature (SLQ) estimates from a
few products of the Laplacian with random vectors: for each of ``n_vectors``
Rademacher vectors, ``steps`` Lanczos steps (full reorthogonalisation) give a
quadrature rule (Ritz values and weights) for the spectral measure; their
average estimates it (Ubaru, Chen and Saad, SIAM J. Matrix Anal. Appl. 38,
2017). The measure is turned into n pseudo-eigenvalues (its quantiles at
(i - 1/2) / n), which then go through exactly the exact path's steps (rounding,
omega = sqrt(lambda), the first dropped, R's IM density), so the tiles pair
them as they pair exact spectra.

The error is estimated, not assumed: the vectors are split in two halves, each
half gives its own estimate, and the IM distance between the two halves'
densities, halved, estimates how far the whole estimate is from the exact
density (``error``). A pair's IM is then reported with the bound
``error_A + error_B`` (the triangle inequality for IM). The approximation is
chosen by the user (``spectrum="approximate"``), never silently.
"""
from __future__ import annotations

import numpy as np

from ..io.arrays import StoredMatrix
from ..symmetry import is_symmetric
from . import packing
from .spectra import stack_specs, t_gamma
from .worker import engine


def rescaled(a: np.ndarray) -> np.ndarray:
    """nettools' weight convention, as ``renette::rescale_network``: a network with
    any weight outside [0, 1] is min-max rescaled as a whole."""
    lo, hi = float(a.min()), float(a.max())
    if lo >= 0 and hi <= 1:
        return a
    if hi == lo:
        raise ValueError(f"all weights are equal to {lo}, outside [0, 1]: cannot rescale")
    return (a - lo) / (hi - lo)


def laplacian(a: np.ndarray) -> np.ndarray:
    """L = D - A with D the column sums of A (diagonal included), A's diagonal
    overwritten: the Laplacian nettools builds."""
    lap = -a
    np.fill_diagonal(lap, a.sum(axis=0))
    return lap


def lanczos_measure(lap: np.ndarray, n_vectors: int, steps: int,
                    seed: int) -> tuple[np.ndarray, np.ndarray]:
    """SLQ nodes and weights of the spectral measure of ``lap``, one row per vector
    (``nodes[v]``, ``weights[v]``: Ritz values and squared first components, each
    row's weights summing to 1)."""
    n = lap.shape[0]
    m = int(min(steps, n))
    rng = np.random.default_rng(seed)
    v = rng.choice([-1.0, 1.0], size=(n, n_vectors)) / np.sqrt(n)
    q = np.zeros((m, n, n_vectors))
    alpha, beta = np.zeros((m, n_vectors)), np.zeros((m, n_vectors))
    q[0] = v
    for k in range(m):
        w = lap @ q[k]  # all vectors in one BLAS product
        alpha[k] = np.einsum("ij,ij->j", w, q[k])
        # full reorthogonalisation against every earlier vector (twice is enough)
        for _ in range(2):
            coef = np.einsum("kij,ij->kj", q[:k + 1], w)
            w -= np.einsum("kij,kj->ij", q[:k + 1], coef)
        if k + 1 < m:
            beta[k] = np.linalg.norm(w, axis=0)
            q[k + 1] = w / np.where(beta[k] > 0, beta[k], 1.0)
    nodes, weights = np.zeros((n_vectors, m)), np.zeros((n_vectors, m))
    for j in range(n_vectors):
        t = np.diag(alpha[:, j]) + np.diag(beta[:m - 1, j], 1) + np.diag(beta[:m - 1, j], -1)
        theta, y = np.linalg.eigh(t)
        nodes[j], weights[j] = theta, y[0] ** 2
    return nodes, weights


def pseudo_spectrum(nodes: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """n eigenvalues whose distribution is the averaged measure: its quantiles at
    (i - 1/2) / n, ascending, none below zero (a Laplacian's are not)."""
    x = nodes.ravel()
    w = weights.ravel() / weights.shape[0]
    order = np.argsort(x, kind="stable")
    cdf = np.cumsum(w[order])
    cdf /= cdf[-1]
    q = (np.arange(n) + 0.5) / n
    return np.maximum(x[order][np.minimum(np.searchsorted(cdf, q), len(x) - 1)], 0.0)


def omega_of(lam: np.ndarray) -> np.ndarray:
    """nettools' frequencies from sorted eigenvalues: rounded to 5 decimals,
    omega = sqrt(|lambda|), the first (smallest) dropped."""
    return np.sqrt(np.abs(np.round(np.sort(lam), 5)))[1:]


def t_spectra_approx(nets: list, gamma: float | None, n_vectors: int = 16,
                     steps: int = 80, seed: int = 0) -> dict:
    """As :func:`~renette_widgets.engine.spectra.t_spectra` for undirected networks,
    with SLQ spectra; adds each network's estimated ``error`` (an IM distance)."""
    specs, r = [], engine()
    for a in nets:
        a = (StoredMatrix(a).to_numpy() if isinstance(a, str) else
             packing.unpack(a) if np.ndim(a) == 1 else np.asarray(a, dtype=float))
        if not is_symmetric(a):
            raise ValueError("approximate spectra are for undirected (symmetric) networks; "
                             "use spectrum='exact' for directed ones")
        a = rescaled(a)
        n = a.shape[0]
        g = t_gamma(n, False) if gamma is None else gamma
        nodes, weights = lanczos_measure(laplacian(a), n_vectors, steps, seed)
        half = n_vectors // 2
        dens = [r.spectrum_density(omega_of(pseudo_spectrum(nd, wt, n)), g)
                for nd, wt in ((nodes, weights), (nodes[:half], weights[:half]),
                               (nodes[half:], weights[half:]))]
        full, one, two = dens
        # the halves' grids can differ (their largest omega): compare on the shorter
        k = min(len(one), len(two))
        error = float(np.sqrt(np.sum((one[:k] - two[:k]) ** 2))) / 2
        omega = omega_of(pseudo_spectrum(nodes, weights, n))
        specs.append({"P": packing.pack(a), "omega": omega, "D": full, "directed": False,
                      "gamma": float(g), "error": error})
    out = stack_specs(specs)
    out["error"] = [s["error"] for s in specs]
    return out
