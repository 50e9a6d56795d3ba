"""Pictures of large networks: what the browser gets instead of the matrix.

A network of 5,000 to 20,000 nodes is 0.2 to 3.2 GB: the browser gets a
pooled picture of it (at most ``MAX_CELLS`` x ``MAX_CELLS`` cells, the mean
weight of each square of nodes, float32, in a clustered order) and a view of
its strongest edges (a few thousand at most, read by
:func:`renette_widgets.io.arrays.top_edges` and drawn by
:func:`top_edge_network`); both are read from the store a block at a time
(:class:`~renette_widgets.io.arrays.StoredMatrix`: any matrix with ``pooled``,
so figures need not import the store), and the client never holds the whole
network either.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .common import PALETTE, base_layout

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
    # here, not at the top: scipy.cluster costs a noticeable part of a page's start
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import pdist
    # the distances given condensed: scipy takes a square, hollow matrix of weights
    # handed to linkage for a distance matrix and warns
    return leaves_list(linkage(pdist(np.nan_to_num(values), "euclidean"), method="average"))


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


def top_edge_network(edges: pd.DataFrame, title: str = "Strongest edges",
                     n_nodes: int | None = None, seed: int = 0) -> go.Figure:
    """The network of the given edges only (igraph's Fruchterman-Reingold layout,
    seeded), edge width by weight, node hover with its name and degree here."""
    import igraph  # here, not at the top: importing igraph loads matplotlib (a page's start)
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
    # SVG, not WebGL: at most MAX_EDGES segments and twice that many nodes draw fine
    # as SVG, and the page's plotly renderer also makes a PNG of every figure it
    # draws, which costs a WebGL figure twice as much (benchmarks/RESULTS.md, "Dashboard at scale")
    fig = go.Figure([
        go.Scatter(x=ex, y=ey, mode="lines", line={"width": 0.6, "color": "#999"},
                   hoverinfo="skip", name="edges"),
        go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers", name="nodes",
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


# -------------------------------------------------------- zoomable pictures
#: Cells with their node names as tick labels, at most (a zoom down to a few nodes).
LABELLED_CELLS = 40


def positions(selection: Any, n: int) -> np.ndarray:
    """Positions 0..n-1 chosen by None (all), a slice or a sequence of positions."""
    if selection is None:
        return np.arange(n)
    if isinstance(selection, slice):
        return np.arange(n)[selection]
    return np.asarray(selection, dtype=np.int64).ravel()


def pool(m: pd.DataFrame | Any, max_cells: int = MAX_CELLS,
         region: tuple[Any, Any] | None = None) -> tuple[np.ndarray, list[str], list[str]]:
    """``m`` (or its ``region``: rows, columns as slices or positions, in that order)
    pooled to at most ``max_cells`` cells a side: the mean weight of each f x f
    square of nodes, and a label per cell row and column ("first .. last" node).

    A stored matrix is read from the store a block at a time
    (``StoredMatrix.pooled``); a DataFrame is pooled in memory the same way.
    """
    if hasattr(m, "pooled"):
        # the whole as a region: StoredMatrix reads a region with one sum a cell, cheaper
        # than its whole-matrix path (NaN-aware means; networks hold no NaN)
        return m.pooled(max_cells, region=region or (slice(None), slice(None)))
    rows = positions(None if region is None else region[0], m.shape[0])
    cols = positions(None if region is None else region[1], m.shape[1])
    sub = m.to_numpy(dtype=float)[np.ix_(rows, cols)]
    f = max(1, -(-max(len(rows), len(cols)) // max_cells))
    pad = np.full((-(-len(rows) // f) * f, -(-len(cols) // f) * f), np.nan)
    pad[:len(rows), :len(cols)] = sub
    cells = pad.reshape(pad.shape[0] // f, f, pad.shape[1] // f, f)
    names_r, names_c = m.index.astype(str), m.columns.astype(str)
    return (np.nanmean(cells, axis=(1, 3)), _cell_labels(names_r[rows], f),
            _cell_labels(names_c[cols], f))


def _cell_labels(names: Any, f: int) -> list[str]:
    names = list(names)
    if f == 1:
        return names
    return [f"{names[a]} .. {names[min(a + f, len(names)) - 1]}" for a in range(0, len(names), f)]


def cell_heatmap(z: np.ndarray, rows: list[str], cols: list[str], title: str,
                 note: str = "") -> go.Figure:
    """A heatmap of pooled cells (float32: under 2.5 MB at 600 x 600) on categorical
    axes named by the cells' labels: hover says which nodes a cell holds, and a
    zoom's range is in cells (what :class:`~renette_widgets.widgets.large.ZoomHeatmap`
    reads again at a finer resolution). ``note`` (which nodes, how pooled) goes
    under the picture, so that a PNG of it says so too."""
    pooled = any(" .. " in r for r in rows[:1] + cols[:1])
    fig = go.Figure(go.Heatmap(
        z=np.asarray(z, dtype=np.float32), x=list(cols), y=list(rows), colorscale="Viridis",
        hovertemplate=(f"rows %{{y}}<br>columns %{{x}}<br>{'mean ' if pooled else ''}"
                       "weight %{z:.3g}<extra></extra>"),
        colorbar={"title": "mean weight" if pooled else "weight", "thickness": 14}))
    base_layout(fig, title, 600)
    fig.update_layout(
        xaxis={"showticklabels": len(cols) <= LABELLED_CELLS, "type": "category",
               "constrain": "domain", "title": {"text": note, "font": {"size": 11}}},
        yaxis={"showticklabels": len(rows) <= LABELLED_CELLS, "type": "category",
               "autorange": "reversed", "scaleanchor": "x", "constrain": "domain"},
        dragmode="zoom")
    return fig


def binned_histogram(counts: dict[str, np.ndarray], edges: np.ndarray, title: str,
                     x_title: str, y_title: str) -> go.Figure:
    """Histograms counted in the kernel (the browser gets the bins, not the values),
    one per name, overlaid."""
    centres, widths = (edges[1:] + edges[:-1]) / 2, np.diff(edges)
    fig = go.Figure()
    for i, (name, c) in enumerate(counts.items()):
        fig.add_trace(go.Bar(x=centres, y=c, width=widths, name=name,
                             marker_color=PALETTE[i % len(PALETTE)],
                             opacity=0.6 if len(counts) > 1 else 1.0,
                             hovertemplate=f"{name}<br>{x_title} %{{x:.3g}}<br>%{{y:,}}"
                                           "<extra></extra>"))
    base_layout(fig, title, 340)
    fig.update_layout(barmode="overlay", bargap=0, showlegend=len(counts) > 1,
                      xaxis_title=x_title, yaxis_title=y_title)
    return fig
