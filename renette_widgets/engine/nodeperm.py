"""The node level of correlation networks at BLAS speed (numpy, no R).

For the correlation family computed here (``cor``: |r|, ``WGCNA``: |r|^P, see
:func:`~.correlation.block_method`) a condition's network is ``|Z'Z|^P`` with a
zero diagonal. A node's differential connectivity ``d_i = sum_j |A_ij - B_ij|^lp``
(R's ``diffconn``) and its share of the Hamming distance (``hamming_node_share``)
are computed a block of rows at a time, never holding a p x p network.

Label permutations (the node test): the samples of both conditions are pooled
(rows of A, then of B); permutation ``k`` is numpy's ``permutation`` of the
pooled rows by a generator seeded with ``(seed, k)`` only, its first n_A rows
forming condition A. So any split of the permutations over tasks and workers
gives the same counts. It is the same test as R's ``diffconn_perm_counts`` (the
same null: labels exchanged between conditions), with numpy's random streams
instead of R's. Per permutation: two standardisations, then per block of rows
two BLAS products and a row sum; a task returns one count vector, so memory
does not grow with the number of permutations. Per set of nodes (gene sets,
modules), the same permutations give the summed ``d`` of each set's members.
"""
from __future__ import annotations

import numpy as np

from .correlation import t_standardize

# Values of a block of rows of a network (per matrix held at once): 16 MB.
BLOCK_VALUES = 1 << 21


def _row_step(p: int) -> int:
    return max(1, BLOCK_VALUES // max(p, 1))


def _network_rows(z: np.ndarray, start: int, stop: int, power: float) -> np.ndarray:
    """Rows ``start:stop`` of ``|Z'Z|^power`` from column ``start`` on (the
    block's part of the upper triangle and its diagonal square)."""
    block = z[:, start:stop].T @ z[:, start:]
    np.abs(block, out=block)
    np.minimum(block, 1.0, out=block)  # rounding can pass 1 by an ulp
    if power != 1:
        np.power(block, power, out=block)
    return block


def node_change(za: np.ndarray, zb: np.ndarray, power: float, lp: float,
                share: bool = False) -> dict:
    """``d`` of every node (``sum_j |A_ij - B_ij|^lp``) for the networks of the
    standardised conditions ``za`` and ``zb``; with ``share`` also each node's
    share of the Hamming distance ``sum |A - B|``.

    The networks are symmetric: a block of rows is computed from its diagonal
    on, and what lies right of its square counts for the rows and the columns
    (half the products and half the passes over memory)."""
    p = za.shape[1]
    d = np.zeros(p)
    l1 = np.zeros(p) if share else None
    step = max(1, _row_step(p) // 2)
    for a in range(0, p, step):
        b = min(a + step, p)
        diff = _network_rows(za, a, b, power)
        diff -= _network_rows(zb, a, b, power)
        np.abs(diff, out=diff)
        idx = np.arange(b - a)
        diff[idx, idx] = 0.0  # the diagonal: no edge
        if share:
            l1[a:b] += diff.sum(axis=1)
            l1[b:] += diff[:, b - a:].sum(axis=0)
        if lp == 2:
            diff *= diff
        elif lp != 1:
            np.power(diff, lp, out=diff)
        d[a:b] += diff.sum(axis=1)
        d[b:] += diff[:, b - a:].sum(axis=0)
    out = {"d": d}
    if share:
        total = l1.sum()
        out["share"] = l1 / total if total > 0 else np.zeros(p)
    return out


def squared_change(za: np.ndarray, zb: np.ndarray) -> np.ndarray:
    """``d`` of ``|r|`` networks with ``lp = 2`` in fewer passes over memory:
    ``sum_j (|a_ij| - |b_ij|)^2 = sum_j a_ij^2 + sum_j b_ij^2 - 2 sum_j |a_ij b_ij|``,
    the first two from the n x n Gram matrix of each condition (``z_i' Z Z' z_i``),
    only the last a pass over the products (a block of rows at a time, from the
    diagonal on). Equal to :func:`node_change` up to rounding (1e-12 relative):
    what the permutations use; the observed ``d`` is :func:`node_change`'s."""
    p = za.shape[1]
    sq = np.einsum("ij,ij->j", (za @ za.T) @ za, za) + np.einsum("ij,ij->j", (zb @ zb.T) @ zb, zb)
    ra = np.einsum("ij,ij->j", za, za)
    rb = np.einsum("ij,ij->j", zb, zb)
    cross = np.zeros(p)
    step = max(1, _row_step(p) // 2)
    for a in range(0, p, step):
        b = min(a + step, p)
        prod = za[:, a:b].T @ za[:, a:]
        prod *= zb[:, a:b].T @ zb[:, a:]
        np.abs(prod, out=prod)
        cross[a:b] += prod.sum(axis=1)
        cross[b:] += prod[:, b - a:].sum(axis=0)
    # the diagonal (r_ii = 1 up to rounding) is no edge: its term taken out
    return sq - 2 * cross - (np.abs(ra) - np.abs(rb)) ** 2


def t_node_observed(za: np.ndarray, zb: np.ndarray, power: float, lp: float) -> dict:
    """The observed ``d`` and Hamming share of two conditions (standardised)."""
    return node_change(za, zb, power, lp, share=True)


def permutation(seed: int, k: int, n: int) -> np.ndarray:
    """Permutation ``k`` of ``n`` pooled samples: depends on ``(seed, k)`` only."""
    return np.random.default_rng([int(seed), int(k)]).permutation(n)


def t_node_perm_counts(xa: np.ndarray, xb: np.ndarray, kind: str, power: float,
                       perms: list[int], seed: int, lp: float, observed: dict,
                       sets: list[np.ndarray] | None = None) -> dict:
    """Per node, the permutations in ``perms`` whose ``d`` is at least the
    observed one; with ``sets`` (arrays of node positions), per set those whose
    summed ``d`` is at least the set's observed sum.

    Returns
    -------
    dict
        ``nodes``: int64 counts per node; ``sets``: int64 counts per set (empty
        without sets).
    """
    pooled = np.vstack([np.asarray(xa, dtype=float), np.asarray(xb, dtype=float)])
    na = len(xa)
    d_obs = np.asarray(observed["d"], dtype=float)
    count = np.zeros(len(d_obs), dtype=np.int64)
    sets = sets or []
    set_obs = np.array([d_obs[s].sum() for s in sets])
    set_count = np.zeros(len(sets), dtype=np.int64)
    for k in perms:
        rows = permutation(seed, k, len(pooled))
        za = t_standardize(pooled[rows[:na]], kind)
        zb = t_standardize(pooled[rows[na:]], kind)
        d = (squared_change(za, zb) if power == 1 and lp == 2
             else node_change(za, zb, power, lp)["d"])
        count += ~np.isnan(d) & (d >= d_obs)  # an undefined d does not count (as R)
        if sets:
            set_count += np.array([d[s].sum() for s in sets]) >= set_obs
    return {"nodes": count, "sets": set_count}
