"""Figures of networks: adjacency heatmap, strength and weight histograms, and the
network view (seeded layout, communities), one network or two side by side, with
node labels, a highlighted node and its neighbours, and the edges that differ."""
from __future__ import annotations

import random
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .common import PALETTE, TOP_MARGIN, base_layout, short_labels, square

if TYPE_CHECKING:
    import igraph

#: Edge colours of the network view: edges in both networks, in this one only.
SHARED_EDGE = "rgba(90,90,90,0.45)"
ONLY_HERE = "rgba(214,39,40,0.85)"
FOCUS = "#111111"  # the highlighted node and its edges: black, apart from the red ones


def fmt_weight(v: float) -> str:
    """A weight as every readout of the page writes it (3 significant digits)."""
    return f"{v:.3g}"


def adjacency_heatmap(a: pd.DataFrame, title: str = "Adjacency matrix") -> go.Figure:
    """Heatmap of an adjacency matrix with node names on hover."""
    a = square(a)
    names = [str(n) for n in a.index]
    fig = go.Figure(go.Heatmap(
        z=a.to_numpy(), x=names, y=names, colorscale="Blues", zmin=0,
        colorbar={"title": "weight", "thickness": 14},
        hovertemplate="%{y} - %{x}<br>weight = %{z:.4g}<extra></extra>"))
    base_layout(fig, title, 560)
    fig.update_layout(xaxis={"constrain": "domain", "showticklabels": len(names) <= 60,
                             "type": "category"},
                      yaxis={"autorange": "reversed", "scaleanchor": "x", "constrain": "domain",
                             "showticklabels": len(names) <= 60, "type": "category"})
    return fig


def strengths(a: pd.DataFrame | np.ndarray) -> np.ndarray:
    """Node strength (weighted degree): row sums without the diagonal."""
    m = np.asarray(a, dtype=float).copy()
    np.fill_diagonal(m, 0)
    return m.sum(axis=1)


def edge_weights(a: pd.DataFrame | np.ndarray) -> np.ndarray:
    """Non-zero weights of the upper triangle (each undirected edge once)."""
    m = np.asarray(a, dtype=float)
    w = m[np.triu_indices(m.shape[0], 1)]
    return w[w != 0]


def _overlaid_histograms(values: dict[str, np.ndarray], nbins: int, what: str) -> go.Figure:
    """One histogram per named set of values, overlaid (one network, or two to compare)."""
    fig = go.Figure()
    for i, (name, v) in enumerate(values.items()):
        fig.add_trace(go.Histogram(x=v, nbinsx=nbins, name=name, marker_color=PALETTE[i % len(PALETTE)],
                                   opacity=0.6 if len(values) > 1 else 1.0,
                                   hovertemplate=f"{name}<br>{what} " + "%{x}<br>%{y}<extra></extra>"))
    fig.update_layout(barmode="overlay", bargap=0.05, showlegend=len(values) > 1,
                      legend={"orientation": "h", "y": -0.25})
    return fig


def _named(a: pd.DataFrame | dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return a if isinstance(a, dict) else {"network": a}


def degree_histogram(a: pd.DataFrame | dict[str, pd.DataFrame],
                     title: str = "Node strength distribution") -> go.Figure:
    """Histogram of node strengths (degrees, for a binary network); a dict overlays several networks."""
    fig = _overlaid_histograms({n: strengths(m) for n, m in _named(a).items()}, 30, "strength")
    base_layout(fig, title, 340)
    fig.update_layout(xaxis_title="strength (sum of edge weights)", yaxis_title="nodes")
    return fig


def weight_histogram(a: pd.DataFrame | dict[str, pd.DataFrame],
                     title: str = "Edge weight distribution") -> go.Figure:
    """Histogram of the non-zero edge weights; a dict overlays several networks."""
    fig = _overlaid_histograms({n: edge_weights(m) for n, m in _named(a).items()}, 40, "weight")
    base_layout(fig, title, 340)
    fig.update_layout(xaxis_title="edge weight", yaxis_title="edges")
    return fig


def edges_cut(a: pd.DataFrame | np.ndarray, n_edges: int) -> float:
    """The weight cut that keeps the ``n_edges`` strongest edges (``|w| > cut``;
    ties at the cut are all left out), 0 when the network has no more edges."""
    w = np.sort(np.abs(edge_weights(a)))[::-1]
    return 0.0 if len(w) <= n_edges else float(w[n_edges])


def default_threshold(a: pd.DataFrame | np.ndarray, max_edges: int = 300) -> float:
    """Smallest weight threshold that keeps at most ``max_edges`` edges (0 if fewer exist)."""
    return edges_cut(a, max_edges)


@contextmanager
def _seeded(seed: int):
    """igraph's random choices drawn from ``random.Random(seed)``: the same picture every time."""
    import igraph  # here, not at the top: importing igraph loads matplotlib (a page's start)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def _graph(a: pd.DataFrame | np.ndarray, threshold: float = 0.0) -> igraph.Graph:
    """The undirected weighted graph of edges with ``|weight| > threshold``."""
    import igraph  # here, not at the top: importing igraph loads matplotlib (a page's start)
    w = np.abs(np.asarray(a, dtype=float))
    w = np.maximum(w, w.T)
    np.fill_diagonal(w, 0)
    w[w <= threshold] = 0
    return igraph.Graph.Weighted_Adjacency(w, mode="upper", attr="weight", loops=False)


def layout(a: pd.DataFrame | np.ndarray, seed: int = 0, iterations: int = 300) -> np.ndarray:
    """Force-directed (Fruchterman-Reingold, igraph) node positions in [-1, 1], seeded.

    Edge weights pull nodes together; isolated nodes drift to the border,
    groups of strongly linked nodes cluster.
    """
    g = _graph(a)
    if g.vcount() < 2:
        return np.zeros((g.vcount(), 2))
    with _seeded(seed):
        pos = np.array(g.layout_fruchterman_reingold(weights="weight" if g.ecount() else None,
                                                     niter=iterations).coords, dtype=float)
    pos -= pos.mean(axis=0)
    return pos / (np.abs(pos).max() or 1.0)


def communities(a: pd.DataFrame | np.ndarray, threshold: float = 0.0, seed: int = 0) -> np.ndarray:
    """Communities (Louvain, igraph, seeded) of the edges above ``threshold``.

    Returns one integer label per node, numbered by decreasing community size.
    """
    g = _graph(a, threshold)
    with _seeded(seed):
        labels = np.asarray(g.community_multilevel(weights="weight" if g.ecount() else None)
                            .membership)
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    rank = np.argsort(np.argsort(-counts, kind="stable"), kind="stable")
    return rank[inverse]


def _kept(a: pd.DataFrame, threshold: float) -> set[tuple[int, int]]:
    m = np.abs(a.to_numpy(dtype=float))
    i, j = np.nonzero(np.triu(np.maximum(m, m.T), 1) > threshold)
    return set(zip(i.tolist(), j.tolist()))


def _edge_trace(pairs: list[tuple[int, int]], pos: np.ndarray, width: float,
                colour: str) -> go.Scatter:
    ii = np.array([p[0] for p in pairs], dtype=int)
    jj = np.array([p[1] for p in pairs], dtype=int)
    xs = np.column_stack([pos[ii, 0], pos[jj, 0], np.full(len(ii), np.nan)]).ravel()
    ys = np.column_stack([pos[ii, 1], pos[jj, 1], np.full(len(ii), np.nan)]).ravel()
    return go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                      line={"width": width, "color": colour})


def _network_traces(a: pd.DataFrame, pos: np.ndarray, threshold: float, groups: np.ndarray,
                    other: set[tuple[int, int]] | None = None, labels: bool = False,
                    focus: int | None = None) -> list[go.Scatter]:
    """Edge traces (three widths by weight, then the edges ``other`` lacks, then
    the focused node's) and the node trace of one network."""
    m = np.abs(a.to_numpy(dtype=float))
    m = np.maximum(m, m.T)
    names = [str(n) for n in a.index]
    kept = sorted(_kept(a, threshold))
    top = max((m[i, j] for i, j in kept), default=1.0)
    tiers: list[list[tuple[int, int]]] = [[], [], []]
    unique, around = [], []
    for i, j in kept:
        if focus is not None and focus in (i, j):
            around.append((i, j))
        elif other is not None and (i, j) not in other:
            unique.append((i, j))
        else:
            tiers[min(2, int(3 * m[i, j] / top))].append((i, j))
    traces = [_edge_trace(t, pos, width, SHARED_EDGE) for t, width in zip(tiers, (0.6, 1.4, 2.6))]
    traces.append(_edge_trace(unique, pos, 1.6, ONLY_HERE))
    traces.append(_edge_trace(around, pos, 2.2, FOCUS))
    degree = np.bincount(np.array([p for e in kept for p in e], dtype=int), minlength=len(names))
    sizes = np.bincount(groups)
    # Nodes alone in their community are grey: colour only real groups.
    colours = [PALETTE[g % len(PALETTE)] if sizes[g] > 1 else "lightgrey" for g in groups]
    opacity = np.ones(len(names))
    line_colour = ["white"] * len(names)
    if focus is not None:
        near = {focus} | {i for e in around for i in e}
        opacity = np.where([k in near for k in range(len(names))], 1.0, 0.25)
        line_colour[focus] = FOCUS
    text = short_labels(names, 12) if labels else None
    traces.append(go.Scatter(
        x=pos[:, 0], y=pos[:, 1], mode="markers+text" if labels else "markers",
        text=text, textposition="top center", textfont={"size": 9}, showlegend=False,
        customdata=np.column_stack([names, groups + 1, degree]),
        marker={"size": 7 + 9 * np.sqrt(degree / max(degree.max(initial=0), 1)), "color": colours,
                "opacity": opacity, "line": {"width": [3 if c == FOCUS else 0.5 for c in line_colour],
                                             "color": line_colour}},
        hovertemplate="%{customdata[0]}<br>community %{customdata[1]}<br>"
                      "%{customdata[2]} edges shown<extra></extra>"))
    return traces


def network_view(a: pd.DataFrame, threshold: float = 0.0, pos: np.ndarray | None = None,
                 groups: np.ndarray | None = None, title: str = "Network") -> go.Figure:
    """Node-link view: edges with weight above ``threshold``, nodes coloured by community.

    Parameters
    ----------
    a : DataFrame
        Adjacency matrix with node names.
    threshold : float
        Edges with ``|weight| <= threshold`` are hidden.
    pos : ndarray, optional
        n x 2 node positions (default :func:`layout` of ``a``).
    groups : ndarray, optional
        Community label per node (default :func:`communities` above ``threshold``).
    """
    return network_pair({title: a}, threshold, pos, groups)


def network_pair(networks: dict[str, pd.DataFrame], threshold: float | dict[str, float] = 0.0,
                 pos: np.ndarray | None = None, groups: np.ndarray | None = None,
                 labels: bool = False, focus: str | None = None,
                 differences: bool = False) -> go.Figure:
    """One or two networks side by side with the same node positions and colours.

    Positions and communities come from the networks together (communities
    from the first) unless given, so an edge that moved between the two is
    a line that appears or disappears while the nodes stay where they are.

    Parameters
    ----------
    networks : dict of name to DataFrame
        One or two networks on the same nodes (same order).
    threshold : float or dict of name to float
        Edges with ``|weight| <= threshold`` are hidden; a dict gives each
        network its own cut (e.g. the same number of edges in each).
    pos, groups : ndarray, optional
        Node positions (n x 2) and community labels.
    labels : bool
        Write each node's (shortened) name beside it.
    focus : str, optional
        A node to highlight, with its neighbours and its edges, in each network.
    differences : bool
        With two networks, draw in red the edges shown in one network only.
    """
    names = list(networks)
    nets = {n: square(networks[n]) for n in names}
    cuts = threshold if isinstance(threshold, dict) else {n: threshold for n in names}
    first = nets[names[0]]
    if pos is None:
        pos = layout(sum(np.abs(n.to_numpy(dtype=float)) for n in nets.values()))
    if groups is None:
        groups = communities(first, cuts[names[0]])
    kept = {n: _kept(nets[n], cuts[n]) for n in names}
    nodes = [str(c) for c in first.index]
    where = nodes.index(focus) if focus in nodes else None
    titles = [f"{n}: {len(kept[n])} edges with weight > {fmt_weight(cuts[n])}" for n in names]
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=titles, horizontal_spacing=0.03)
    for col, name in enumerate(names, start=1):
        other = kept[names[2 - col]] if differences and len(names) == 2 else None
        for trace in _network_traces(nets[name], pos, cuts[name], groups, other, labels, where):
            fig.add_trace(trace, row=1, col=col)
        fig.update_xaxes(visible=False, row=1, col=col)
        fig.update_yaxes(visible=False, scaleanchor=f"x{'' if col == 1 else col}", row=1, col=col)
    notes = ["colours = communities"]
    if other is not None or (differences and len(names) == 2):
        notes.append("red = edges shown in this network only")
    if where is not None:
        notes.append(f"{focus} and its neighbours highlighted")
    base_layout(fig, "; ".join(notes), 560)
    fig.update_layout(margin={"l": 10, "r": 10, "t": TOP_MARGIN + 24, "b": 10})
    fig.update_annotations(font={"size": 12}, yshift=6)
    return fig
