"""Approximate spectra (stochastic Lanczos quadrature): the Lanczos rules are
right, and an approximate distance stays within the error it reports, is never
used unless asked for, and refuses directed networks."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets.engine.approx import lanczos_measure, laplacian, omega_of, pseudo_spectrum


def _net(n, seed, p=0.1):
    rng = np.random.default_rng(seed)
    a = np.triu(rng.random((n, n)) * (rng.random((n, n)) < p), 1)
    return a + a.T


def test_each_vectors_rule_integrates_powers_of_the_laplacian_exactly():
    lap = laplacian(_net(60, 1))
    nodes, weights = lanczos_measure(lap, n_vectors=3, steps=10, seed=5)
    assert np.allclose(weights.sum(axis=1), 1.0)
    v = np.random.default_rng(5).choice([-1.0, 1.0], size=(60, 3)) / np.sqrt(60)
    for j in (1, 2, 3, 7):  # a 10-step rule is exact up to degree 19
        want = np.einsum("iv,iv->v", v, np.linalg.matrix_power(lap, j) @ v)
        np.testing.assert_allclose((weights * nodes ** j).sum(axis=1), want, rtol=1e-9)


def test_pseudo_spectrum_follows_the_measure():
    nodes = np.array([[0.0, 1.0, 2.0, 3.0]])
    weights = np.array([[0.25, 0.25, 0.25, 0.25]])
    np.testing.assert_array_equal(pseudo_spectrum(nodes, weights, 4), [0, 1, 2, 3])
    assert omega_of(np.array([4.0, 0.0, 1.0]))[0] == 1.0  # sorted, first dropped


@pytest.mark.slow
def test_approximate_distance_is_within_its_reported_error(client):
    n = 400
    names = [f"g{j}" for j in range(n)]
    nets = {f"n{k}": pd.DataFrame(_net(n, k, p=0.05 + 0.1 * k), index=names, columns=names)
            for k in range(3)}
    exact = rw.distance(nets, client=client, store=False)
    approx = rw.distance(nets, spectrum="approximate", client=client, store=False)
    assert "IM_error" not in exact  # never unless asked
    pd.testing.assert_frame_equal(approx["H"], exact["H"])  # Hamming needs no spectrum
    err = approx["IM_error"].to_numpy()
    diff = np.abs(approx["IM"].to_numpy() - exact["IM"].to_numpy())
    off = ~np.eye(3, dtype=bool)
    assert (err[off] > 0).all() and (diff[off] <= err[off]).all(), (diff, err)
    assert (diff[off] > 0).all()  # an estimate, not the exact numbers
    assert (approx["HIM_error"].to_numpy()[off] <= err[off]).all()
    directed = {"a": nets["n0"], "b": nets["n1"] + np.triu(np.ones((n, n)), 1) * 0.01}
    with pytest.raises(rw.InputError, match="undirected"):
        rw.distance(directed, spectrum="approximate", client=client, store=False)
