"""Gene sets and modules of the differential workflow (on the workers).

:func:`t_set_stats`: per set, the mean Fisher z difference and the mean change
of |r| over its pairs (both conditions' correlations of its members: one small
product per set). :func:`t_modules`: modules of the pooled network (the mean of
the two conditions' correlation networks), R's ``network_modules``
(``hclust`` + ``dynamicTreeCut::cutreeDynamic``). The sets' permutation counts
come with the nodes' (:func:`~.nodeperm.t_node_perm_counts`).
"""
from __future__ import annotations

import numpy as np

from .pairs import _fisher, z_se
from .worker import engine


def t_set_stats(za: np.ndarray, zb: np.ndarray, na: int, nb: int, method: str,
                cor_cutoff: float, sets: list[np.ndarray]) -> dict:
    """Per set: ``n_pairs``, ``mean_z`` (mean z_diff of its pairs) and
    ``mean_dr`` (mean |r_B| - |r_A|)."""
    se = z_se(na, nb, method)
    n_pairs, mean_z, mean_dr = [], [], []
    for s in sets:
        s = np.asarray(s, dtype=np.int64)
        i, j = np.triu_indices(len(s), 1)
        ra = np.clip(za[:, s].T @ za[:, s], -1, 1)[i, j]
        rb = np.clip(zb[:, s].T @ zb[:, s], -1, 1)[i, j]
        z = (_fisher(rb, cor_cutoff) - _fisher(ra, cor_cutoff)) / se
        n_pairs.append(len(i))
        mean_z.append(float(np.mean(z)) if len(i) else np.nan)
        mean_dr.append(float(np.mean(np.abs(rb) - np.abs(ra))) if len(i) else np.nan)
    return {"n_pairs": np.array(n_pairs, dtype=np.int64), "mean_z": np.array(mean_z),
            "mean_dr": np.array(mean_dr)}


def t_modules(za: np.ndarray, zb: np.ndarray, power: float, min_size: int) -> list[np.ndarray]:
    """Modules of the mean of both conditions' networks ``|r|^power``: node
    positions per module, the largest first (nodes in no module left out)."""
    a = np.abs(np.clip(za.T @ za, -1, 1)) ** power
    a += np.abs(np.clip(zb.T @ zb, -1, 1)) ** power
    a /= 2
    np.fill_diagonal(a, 0.0)
    labels = engine().network_modules(a, min_size)
    del a
    return [np.flatnonzero(labels == k) for k in range(1, int(labels.max(initial=0)) + 1)]
