"""Numpy reductions of networks on the workers, bit for bit as R computes them.

Stability's per-edge and per-node indicators need only a few numbers of each
resampled network (extremes, sums, strengths): reduced here, in the chunk that
inferred them, no later stage needs the networks themselves.
"""
from __future__ import annotations

import math

import numpy as np


def edge_extremes(nets: list[np.ndarray], lower: bool) -> dict:
    """Per edge, the max, min and sum (long double, in order) of its weight over
    ``nets``: what Sw needs of a chunk of resamples, so that no stage after the
    resamples needs the networks themselves.

    Edges i < j in row-major order (R's ``combn``); with ``lower`` also the
    edges i > j (``lo_*``: the weight at [j, i] for edge (i, j) of the upper list).
    """
    stack = np.stack(nets)
    i, j = np.triu_indices(stack.shape[1], 1)
    out = _extremes(stack[:, i, j])
    if lower:
        out.update({f"lo_{k}": v for k, v in _extremes(stack[:, j, i]).items()})
    return out


def _extremes(w: np.ndarray) -> dict:
    # summing along axis 0 adds row after row (no pairwise summation), in long
    # double: the same bits as R's rowMeans over the resamples
    return {"max": w.max(axis=0), "min": w.min(axis=0),
            "sum": w.sum(axis=0, dtype=np.longdouble)}


def full_edges(e: dict) -> dict:
    """:func:`edge_extremes` over every ordered pair i != j (row-major), for directed Sw.

    A chunk without ``lo_*`` has (exactly) symmetric networks: its lower
    triangle is its upper.
    """
    p = int(round((1 + math.sqrt(1 + 8 * len(e["max"]))) / 2))
    i, j = np.triu_indices(p, 1)
    off = ~np.eye(p, dtype=bool)
    out = {}
    for k in ("max", "min", "sum"):
        m = np.zeros((p, p), dtype=e[k].dtype)
        m[i, j] = e[k]
        m[j, i] = e.get(f"lo_{k}", e[k])
        out[k] = m[off]  # row-major: by first node, then second
    return out


def strengths(a: np.ndarray, axis: int) -> np.ndarray:
    """Row (``axis=1``, out) or column (``axis=0``, in) sums of a network as R sums
    them: in order, in long double (the same bits as R's rowSums/colSums)."""
    a = np.asarray(a, dtype=float)
    # summing along axis 0 of a C array adds row after row: no pairwise summation
    rows = a if axis == 0 else np.ascontiguousarray(a.T)
    return rows.sum(axis=0, dtype=np.longdouble).astype(float)
