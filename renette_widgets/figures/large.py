"""Pictures of large networks: what the browser gets instead of the matrix.

A network of 5,000 to 20,000 nodes is 0.2 to 3.2 GB: the browser gets a
pooled picture of it (at most ``MAX_CELLS`` x ``MAX_CELLS`` cells, the mean
weight of each square of nodes, float32, in a clustered order) and a view of
its strongest edges (a few thousand at most); both are read from the store a
block at a time (:class:`~renette_widgets.io.arrays.StoredMatrix`: any matrix
with ``pooled`` and ``top_edges``, so figures need not import the store), and
the client never holds the whole network either.
"""
from __future__ import annotations

from typing import Any

import igraph
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy.cluster.hierarchy import leaves_list, linkage


# 600 x 600 float32 cells: under 2 MB of base64 in the figure's message.
MAX_CELLS = 600
# Edges drawn in a network view, at most.
MAX_EDGES = 3000


def _stored(m: pd.DataFrame | Any) -> tuple[np.ndarray, list[str]]:
    """(pooled values, labels) of a matrix, or the matrix itself when small."""
    if hasattr(m, "pooled"):  # a stored matrix, read lazily
        pooled, labels, _ = m.pooled(MAX_CELLS)
        return pooled, labels
    return m.to_numpy(dtype=float), [str(n) for n in m.index]


def cluster_order(values: np.ndarray) -> np.ndarray:
    """Rows in the order of an average-linkage clustering of their profiles
    (scipy), so that modules show as blocks on the diagonal."""
    if len(values) < 3:
        return np.arange(len(values))
    return leaves_list(linkage(np.nan_to_num(values), method="average", metric="euclidean"))


def pooled_heatmap(m: pd.DataFrame | Any, title: str = "Network (pooled)",
                   clustered: bool = True) -> go.Figure:
    """A heatmap of a network: pooled to at most ``MAX_CELLS`` cells a side when it
    is stored (hover names the first and last node of a cell), clustered order."""
    values, labels = _stored(m)
    order = cluster_order(values) if clustered else np.arange(len(values))
    z = values[np.ix_(order, order)].astype(np.float32)
    names = [labels[i] for i in order]
    n = m.shape[0]
    pooled = len(names) < n
    fig = go.Figure(go.Heatmap(
        z=z, x=list(range(len(names))), y=list(range(len(names))),
        customdata=np.array(names, dtype=object), colorscale="Viridis",
        hovertemplate=("rows %{customdata}<br>column cell %{x}<br>"
                       f"{'mean ' if pooled else ''}weight %{{z:.3g}}<extra></extra>"),
        colorbar={"title": "mean weight" if pooled else "weight"}))
    note = (f"{n:,} nodes pooled into {len(names)} x {len(names)} cells of "
            f"{-(-n // len(names))} x {-(-n // len(names))} nodes" if pooled else f"{n} nodes")
    fig.update_layout(title={"text": f"{title}<br><sup>{note}, clustered order</sup>"},
                      xaxis={"showticklabels": False, "title": "nodes"},
                      yaxis={"showticklabels": False, "title": "nodes", "autorange": "reversed",
                             "scaleanchor": "x"},
                      margin={"l": 40, "r": 20, "t": 70, "b": 40}, height=560)
    return fig


def top_edges(m: pd.DataFrame | Any, k: int) -> pd.DataFrame:
    """The ``k`` strongest edges (``node 1``, ``node 2``, ``weight``), read from the
    store a block at a time when stored."""
    k = int(min(max(1, k), MAX_EDGES))
    if hasattr(m, "top_edges"):
        return m.top_edges(k)
    a = m.to_numpy(dtype=float)
    i, j = np.triu_indices(len(a), 1)
    w = a[i, j]
    top = np.argsort(-np.abs(w), kind="stable")[:k]
    top = top[w[top] != 0]
    return pd.DataFrame({"node 1": m.index.astype(str)[i[top]],
                         "node 2": m.columns.astype(str)[j[top]], "weight": w[top]})


def top_edge_network(edges: pd.DataFrame, title: str = "Strongest edges",
                     n_nodes: int | None = None, seed: int = 0) -> go.Figure:
    """The network of the given edges only (igraph's Fruchterman-Reingold layout,
    seeded), edge width by weight, node hover with its name and degree here."""
    names = pd.unique(pd.concat([edges["node 1"], edges["node 2"]]))
    pos = {n: i for i, n in enumerate(names)}
    g = igraph.Graph(n=len(names), edges=list(zip(edges["node 1"].map(pos),
                                                  edges["node 2"].map(pos))))
    g.es["weight"] = np.abs(edges["weight"].to_numpy(dtype=float)).tolist()
    xy = np.array(g.layout_fruchterman_reingold(weights="weight", niter=300,
                                                seed=_seed_layout(len(names), seed)).coords)
    ex, ey = [], []
    for a, b in zip(edges["node 1"].map(pos), edges["node 2"].map(pos)):
        ex += [xy[a, 0], xy[b, 0], None]
        ey += [xy[a, 1], xy[b, 1], None]
    degree = g.degree()
    fig = go.Figure([
        go.Scattergl(x=ex, y=ey, mode="lines", line={"width": 0.6, "color": "#999"},
                     hoverinfo="skip", name="edges"),
        go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode="markers", name="nodes",
                     marker={"size": 5 + 10 * np.sqrt(np.array(degree) / max(1, max(degree))),
                             "color": "#1f77b4"},
                     text=[f"{n}<br>{d} of the edges shown" for n, d in zip(names, degree)],
                     hovertemplate="%{text}<extra></extra>")])
    of = f" of a network of {n_nodes:,} nodes" if n_nodes else ""
    fig.update_layout(title={"text": f"{title}<br><sup>the {len(edges):,} strongest edges{of} "
                                     f"({len(names):,} nodes)</sup>"},
                      showlegend=False, height=560, margin={"l": 20, "r": 20, "t": 70, "b": 20},
                      xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def _seed_layout(n: int, seed: int) -> list[list[float]]:
    """Seeded starting positions, so the same edges always give the same picture."""
    return np.random.default_rng(seed).random((n, 2)).tolist()
