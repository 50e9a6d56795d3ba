"""Thresholding a weighted network and the centralities R's ``netstats`` lacks
(python-igraph; no R here).

A weighted network inferred from data (WGCNA, correlation) has an edge between
almost every pair of nodes: its degrees all equal n - 1 and its density is 1.
:func:`keep_edges` keeps the edges that matter first (a weight cut, each
node's k strongest edges, or the strongest edges up to a density);
:func:`centralities` then gives the unweighted (hop-count) betweenness,
closeness and clustering coefficient of the kept edges, and the weighted
(Barrat) clustering coefficient.
"""
from __future__ import annotations

import numpy as np

from ..symmetry import is_directed

#: How edges are kept before statistics (the statistics workflow's ``threshold``).
THRESHOLDS = ("none", "weight", "top_k", "density")


def _pairs(a: np.ndarray, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the possible edges: every i != j when directed, else i < j."""
    if directed:
        i, j = np.nonzero(~np.eye(len(a), dtype=bool))
        return i, j
    return np.triu_indices(len(a), 1)


def keep_edges(a: np.ndarray, threshold: str = "none", cut: float = 0.0, top_k: int = 5,
               density: float = 0.05) -> tuple[np.ndarray, float]:
    """The network with only the edges the threshold keeps; the weights kept are unchanged.

    Parameters
    ----------
    a : ndarray
        n x n weights (asymmetric: directed).
    threshold : {"none", "weight", "top_k", "density"}
        ``"none"``: every non-zero weight is an edge; ``"weight"``: edges with
        ``|w| > cut``; ``"top_k"``: each node's ``top_k`` strongest edges (an
        undirected edge stays when it is among the strongest of either node;
        a directed one, of its source); ``"density"``: the strongest edges, at
        most ``density`` of the possible ones (ties at the cut are all left out).
    cut, top_k, density
        The value of the chosen threshold.

    Returns
    -------
    kept : ndarray
        A copy of ``a`` with the other edges (and the diagonal) set to 0.
    weight_cut : float
        Edges kept have ``|w| > weight_cut`` (``"none"``: 0; ``"top_k"``:
        NaN, each node has its own).
    """
    if threshold not in THRESHOLDS:
        raise ValueError(f"threshold must be one of {', '.join(THRESHOLDS)}, not {threshold!r}")
    m = np.asarray(a, dtype=float).copy()
    np.fill_diagonal(m, 0.0)
    w = np.abs(m)
    if threshold == "none":
        return m, 0.0
    if threshold == "top_k":
        keep = np.zeros(m.shape, dtype=bool)
        order = np.argsort(-w, axis=1, kind="stable")[:, :top_k]
        rows = np.repeat(np.arange(len(m)), order.shape[1])
        keep[rows, order.ravel()] = True
        keep &= w > 0
        if not is_directed(m):
            keep |= keep.T
        m[~keep] = 0.0
        return m, float("nan")
    if threshold == "weight":
        level = float(cut)
    else:
        i, j = _pairs(m, is_directed(m))
        ranked = np.sort(w[i, j])[::-1]
        n_keep = int(np.floor(density * len(ranked) + 1e-9))
        level = float(ranked[n_keep]) if n_keep < len(ranked) else 0.0
    m[w <= level] = 0.0
    return m, level


def centralities(a: np.ndarray) -> dict[str, list]:
    """Per node: unweighted betweenness (normalised to [0, 1]), closeness (over the
    nodes it reaches; NaN for an isolated node), clustering coefficient (0 below
    two neighbours) and the weighted (Barrat) clustering coefficient, of the
    non-zero edges of ``a``."""
    import igraph  # here, not at the top: importing igraph loads matplotlib (a page's start)
    directed = is_directed(a)
    w = np.abs(np.asarray(a, dtype=float))
    g = igraph.Graph.Weighted_Adjacency(w if directed else np.triu(w, 1),
                                        mode="directed" if directed else "upper",
                                        attr="weight", loops=False)
    n = g.vcount()
    scale = (n - 1) * (n - 2) / (1 if directed else 2) if n > 2 else 1.0
    gu = g.as_undirected(mode="collapse", combine_edges="sum") if directed else g
    return {
        "betweenness": (np.asarray(g.betweenness(directed=directed), dtype=float) / scale).tolist(),
        "closeness": [float("nan") if v is None else float(v)
                      for v in g.closeness(mode="all", normalized=True)],
        "clustering": gu.transitivity_local_undirected(mode="zero"),
        "clustering_weighted": gu.transitivity_local_undirected(mode="zero", weights="weight"),
    }
