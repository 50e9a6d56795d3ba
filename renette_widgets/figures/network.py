"""Figures of networks: adjacency heatmap, strength and weight histograms, the
network view (seeded layout, communities), one network or two side by side."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .common import PALETTE, square


def adjacency_heatmap(a: pd.DataFrame, title: str = "Adjacency matrix") -> go.Figure:
    """Heatmap of an adjacency matrix with node names on hover."""
    a = square(a)
    names = [str(n) for n in a.index]
    fig = go.Figure(go.Heatmap(
        z=a.to_numpy(), x=names, y=names, colorscale="Blues", zmin=0,
        colorbar={"title": "weight"},
        hovertemplate="%{y} - %{x}<br>weight = %{z:.4g}<extra></extra>"))
    fig.update_layout(title=title, yaxis={"autorange": "reversed", "scaleanchor": "x"},
                      height=480, margin={"l": 10, "r": 10, "t": 50, "b": 10})
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
    fig.update_layout(barmode="overlay", bargap=0.05, height=320, showlegend=len(values) > 1,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def _named(a: pd.DataFrame | dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return a if isinstance(a, dict) else {"network": a}


def degree_histogram(a: pd.DataFrame | dict[str, pd.DataFrame],
                     title: str = "Node strength distribution") -> go.Figure:
    """Histogram of node strengths (degrees, for a binary network); a dict overlays several networks."""
    fig = _overlaid_histograms({n: strengths(m) for n, m in _named(a).items()}, 30, "strength")
    fig.update_layout(title=title, xaxis_title="strength (sum of edge weights)", yaxis_title="nodes")
    return fig


def weight_histogram(a: pd.DataFrame | dict[str, pd.DataFrame],
                     title: str = "Edge weight distribution") -> go.Figure:
    """Histogram of the non-zero edge weights; a dict overlays several networks."""
    fig = _overlaid_histograms({n: edge_weights(m) for n, m in _named(a).items()}, 40, "weight")
    fig.update_layout(title=title, xaxis_title="edge weight", yaxis_title="edges")
    return fig


def default_threshold(a: pd.DataFrame | np.ndarray, max_edges: int = 300) -> float:
    """Smallest weight threshold that keeps at most ``max_edges`` edges (0 if fewer exist)."""
    w = np.sort(edge_weights(a))[::-1]
    return 0.0 if len(w) <= max_edges else float(w[max_edges])


def layout(a: pd.DataFrame | np.ndarray, seed: int = 0, iterations: int = 80) -> np.ndarray:
    """Force-directed (Fruchterman-Reingold) node positions in the unit square, seeded.

    Edge weights pull nodes together; every pair pushes apart. Isolated nodes
    drift to the border, groups of strongly linked nodes cluster.
    """
    w = np.abs(np.asarray(a, dtype=float))
    w = (w + w.T) / 2
    np.fill_diagonal(w, 0)
    n = w.shape[0]
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1, 1, (n, 2))
    if n < 2:
        return np.zeros((n, 2))
    w = w / (w.max() or 1.0)
    k = 1.0 / np.sqrt(n)
    temp = 0.2
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        force = (k * k / dist**2 - w * dist / k)[:, :, None] * delta
        disp = force.sum(axis=1)
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)[:, None]
        pos += disp / length * np.minimum(length, temp)
        temp *= 0.96
    pos -= pos.mean(axis=0)
    return pos / (np.abs(pos).max() or 1.0)


def communities(a: pd.DataFrame | np.ndarray, threshold: float = 0.0, seed: int = 0) -> np.ndarray:
    """Communities by weighted label propagation on edges above ``threshold`` (seeded).

    Returns one integer label per node, numbered by decreasing community size.
    """
    w = np.asarray(a, dtype=float).copy()
    np.fill_diagonal(w, 0)
    w[w <= threshold] = 0
    n = w.shape[0]
    labels = np.arange(n)
    rng = np.random.default_rng(seed)
    for _ in range(50):
        changed = False
        for i in rng.permutation(n):
            if not w[i].any():
                continue
            votes = np.bincount(labels, weights=w[i], minlength=n)
            best = int(np.flatnonzero(votes == votes.max())[0])
            if best != labels[i] and votes[best] > votes[labels[i]]:
                labels[i], changed = best, True
        if not changed:
            break
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    rank = np.argsort(np.argsort(-counts, kind="stable"), kind="stable")
    return rank[inverse]


def _network_traces(a: pd.DataFrame, pos: np.ndarray, threshold: float,
                    groups: np.ndarray) -> list[go.Scatter]:
    """Edge traces (three widths by weight) and the node trace of one network."""
    m = a.to_numpy(dtype=float)
    names = [str(n) for n in a.index]
    iu = np.triu_indices(len(names), 1)
    keep = np.abs(m[iu]) > threshold
    ii, jj, ww = iu[0][keep], iu[1][keep], np.abs(m[iu][keep])
    traces = []
    top = ww.max() if len(ww) else 1.0
    for lo, hi, width in ((0, 1 / 3, 0.6), (1 / 3, 2 / 3, 1.4), (2 / 3, 1.01, 2.6)):
        sel = (ww >= lo * top) & (ww < hi * top) if len(ww) else np.zeros(0, bool)
        xs = np.column_stack([pos[ii[sel], 0], pos[jj[sel], 0], np.full(sel.sum(), np.nan)]).ravel()
        ys = np.column_stack([pos[ii[sel], 1], pos[jj[sel], 1], np.full(sel.sum(), np.nan)]).ravel()
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": width, "color": "rgba(90,90,90,0.45)"}))
    degree = np.bincount(np.concatenate([ii, jj]), minlength=len(names))
    # Nodes alone in their community are grey: colour only real groups.
    sizes = np.bincount(groups)
    colours = [PALETTE[g % len(PALETTE)] if sizes[g] > 1 else "lightgrey" for g in groups]
    traces.append(go.Scatter(
        x=pos[:, 0], y=pos[:, 1], mode="markers", text=names, showlegend=False,
        customdata=np.column_stack([groups + 1, degree]),
        marker={"size": 7 + 9 * np.sqrt(degree / max(degree.max(), 1)), "color": colours,
                "line": {"width": 0.5, "color": "white"}},
        hovertemplate="%{text}<br>community %{customdata[0]}<br>%{customdata[1]} edges shown<extra></extra>"))
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


def network_pair(networks: dict[str, pd.DataFrame], threshold: float = 0.0,
                 pos: np.ndarray | None = None, groups: np.ndarray | None = None) -> go.Figure:
    """One or two networks side by side with the same node positions and colours.

    Positions and communities come from the first network unless given, so
    an edge that moved between the two is visible as a line that appears or
    disappears while the nodes stay where they are.
    """
    names = list(networks)
    first = square(networks[names[0]])
    if pos is None:
        pos = layout(sum(square(n).to_numpy() for n in networks.values()))
    if groups is None:
        groups = communities(first, threshold)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names, horizontal_spacing=0.04)
    for col, name in enumerate(names, start=1):
        for trace in _network_traces(square(networks[name]), pos, threshold, groups):
            fig.add_trace(trace, row=1, col=col)
        fig.update_xaxes(visible=False, row=1, col=col)
        fig.update_yaxes(visible=False, scaleanchor=f"x{'' if col == 1 else col}", row=1, col=col)
    fig.update_layout(height=480, width=520 * len(names), margin={"l": 10, "r": 10, "t": 90, "b": 10},
                      title={"text": f"edges with weight > {threshold:.3g}; colours = communities",
                             "y": 0.97, "yanchor": "top", "font": {"size": 14}},
                      plot_bgcolor="white")
    return fig
