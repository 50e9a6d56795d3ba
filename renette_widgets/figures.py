"""Plotly figure builders for ReNette results (pure functions; no ipywidgets).

Every builder takes results as pandas/numpy objects (as returned by the API
and stored by jobs) and returns a :class:`plotly.graph_objects.Figure`. The
dashboard wraps them in ``FigureWidget``; the API user can ``.show()`` them or
write them to HTML. Layout and clustering are computed here in numpy (seeded),
so the same result always gives the same picture.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

PALETTE = qualitative.D3 + qualitative.Set2
#: Above this many rows/columns, heatmap cells carry no text labels.
_MAX_LABELLED = 15


def _square(m: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    """A square matrix as a DataFrame with names (1..n when it has none)."""
    if isinstance(m, pd.DataFrame):
        return m
    m = np.asarray(m, dtype=float)
    names = [str(i + 1) for i in range(m.shape[0])]
    return pd.DataFrame(m, index=names, columns=names)


# ---------------------------------------------------------------- ordering
def cluster_order(d: pd.DataFrame | np.ndarray) -> list[int]:
    """Leaf order of an average-linkage hierarchical clustering of a distance matrix.

    Parameters
    ----------
    d : DataFrame or ndarray
        Symmetric k x k distances.

    Returns
    -------
    list of int
        A permutation of ``range(k)`` that puts similar items next to each other.
    """
    d = np.asarray(d, dtype=float)
    clusters: dict[int, list[int]] = {i: [i] for i in range(d.shape[0])}
    while len(clusters) > 1:
        keys = sorted(clusters)
        best, pair = np.inf, (keys[0], keys[1])
        for x, a in enumerate(keys):
            for b in keys[x + 1:]:
                dist = d[np.ix_(clusters[a], clusters[b])].mean()
                if dist < best:
                    best, pair = dist, (a, b)
        a, b = pair
        clusters[a] = clusters[a] + clusters.pop(b)
    return next(iter(clusters.values())) if clusters else []


# ---------------------------------------------------------------- distances
def distance_heatmap(d: pd.DataFrame, title: str = "HIM distance",
                     clustered: bool = False) -> go.Figure:
    """Heatmap of a k x k distance matrix with names, hover values and optional clustered order.

    Parameters
    ----------
    d : DataFrame
        Symmetric distances with node (network) names as index and columns.
    title : str
        Figure title (also the colour-bar title's first word).
    clustered : bool
        Reorder rows and columns by :func:`cluster_order`.
    """
    d = _square(d)
    if clustered and len(d) > 2:
        order = cluster_order(d)
        d = d.iloc[order, order]
    names = [str(n) for n in d.index]
    heat = go.Heatmap(
        z=d.to_numpy(), x=names, y=names, colorscale="Viridis", zmin=0,
        colorbar={"title": title.split()[0]},
        hovertemplate="%{y} vs %{x}<br>" + title.split()[0] + " = %{z:.6g}<extra></extra>",
    )
    if len(d) <= _MAX_LABELLED:
        heat.update(texttemplate="%{z:.4g}", textfont={"size": 12})
    fig = go.Figure(heat)
    fig.update_layout(title=title, yaxis={"autorange": "reversed", "scaleanchor": "x"},
                      margin={"l": 10, "r": 10, "t": 50, "b": 10}, height=420)
    return fig


def mds_coordinates(d: pd.DataFrame | np.ndarray, dims: int = 2) -> np.ndarray:
    """Classical (Torgerson) multidimensional scaling of a distance matrix.

    Returns a k x dims array; axes with non-positive eigenvalues are zero.
    """
    d = np.asarray(d, dtype=float)
    k = d.shape[0]
    j = np.eye(k) - np.ones((k, k)) / k
    b = -0.5 * j @ (d**2) @ j
    vals, vecs = np.linalg.eigh(b)
    top = np.argsort(vals)[::-1][:dims]
    coords = vecs[:, top] * np.sqrt(np.clip(vals[top], 0, None))
    # A fixed sign convention so the picture does not flip between runs.
    signs = np.sign(coords[np.argmax(np.abs(coords), axis=0), range(coords.shape[1])])
    coords = coords * np.where(signs == 0, 1, signs)
    if coords.shape[1] < dims:
        coords = np.hstack([coords, np.zeros((k, dims - coords.shape[1]))])
    return coords


def mds_map(d: pd.DataFrame, title: str = "MDS map of the networks") -> go.Figure:
    """Classical MDS of a distance matrix: one labelled point per network."""
    d = _square(d)
    xy = mds_coordinates(d)
    names = [str(n) for n in d.index]
    fig = go.Figure(go.Scatter(
        x=xy[:, 0], y=xy[:, 1], mode="markers+text", text=names, textposition="top center",
        marker={"size": 12, "color": PALETTE[: len(names)] if len(names) <= len(PALETTE) else None},
        hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="MDS 1", yaxis_title="MDS 2",
                      yaxis={"scaleanchor": "x"}, height=420,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def him_scatter(h: pd.DataFrame, im: pd.DataFrame, rho: float = 1.0) -> go.Figure:
    """HIM's two components: one point per pair of networks at (H, IM).

    Dotted quarter circles (for rho = 1: ellipses otherwise) mark equal HIM.
    """
    h, im = _square(h), _square(im)
    names = [str(n) for n in h.index]
    iu = np.triu_indices(len(names), 1)
    hv, iv = h.to_numpy()[iu], im.to_numpy()[iu]
    labels = [f"{names[i]} vs {names[j]}" for i, j in zip(*iu)]
    him = np.sqrt((hv**2 + rho * iv**2) / (1 + rho))
    fig = go.Figure()
    t = np.linspace(0, np.pi / 2, 50)
    for level in (0.25, 0.5, 0.75, 1.0) if rho > 0 else ():
        r = level * np.sqrt(1 + rho)
        fig.add_trace(go.Scatter(x=r * np.cos(t), y=r * np.sin(t) / np.sqrt(rho), mode="lines",
                                 line={"dash": "dot", "color": "lightgrey"},
                                 name=f"HIM = {level}", hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=hv, y=iv, mode="markers", text=labels, customdata=him, name="pairs", showlegend=False,
        marker={"size": 10, "color": him, "colorscale": "Viridis", "cmin": 0,
                "cmax": max(float(np.max(him, initial=0)), 1e-12), "colorbar": {"title": "HIM"}},
        hovertemplate="%{text}<br>H = %{x:.6g}<br>IM = %{y:.6g}<br>HIM = %{customdata:.6g}<extra></extra>"))
    top = max(float(np.max(hv, initial=0)), float(np.max(iv, initial=0)), 0.05) * 1.15
    fig.update_layout(title="Hamming (H) vs Ipsen-Mikhailov (IM) for every pair",
                      xaxis={"title": "H (Hamming)", "range": [0, min(1.02, top)]},
                      yaxis={"title": "IM (Ipsen-Mikhailov)", "range": [0, min(1.02, top)]},
                      height=420, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


# ---------------------------------------------------------------- one network
def adjacency_heatmap(a: pd.DataFrame, title: str = "Adjacency matrix") -> go.Figure:
    """Heatmap of an adjacency matrix with node names on hover."""
    a = _square(a)
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
    first = _square(networks[names[0]])
    if pos is None:
        pos = layout(sum(_square(n).to_numpy() for n in networks.values()))
    if groups is None:
        groups = communities(first, threshold)
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names, horizontal_spacing=0.04)
    for col, name in enumerate(names, start=1):
        for trace in _network_traces(_square(networks[name]), pos, threshold, groups):
            fig.add_trace(trace, row=1, col=col)
        fig.update_xaxes(visible=False, row=1, col=col)
        fig.update_yaxes(visible=False, scaleanchor=f"x{'' if col == 1 else col}", row=1, col=col)
    fig.update_layout(height=480, width=520 * len(names), margin={"l": 10, "r": 10, "t": 90, "b": 10},
                      title={"text": f"edges with weight > {threshold:.3g}; colours = communities",
                             "y": 0.97, "yanchor": "top", "font": {"size": 14}},
                      plot_bgcolor="white")
    return fig


# ---------------------------------------------------------------- stability (netSI)
def stability_boxes(s_boot: np.ndarray, si_boot: np.ndarray, s: float, si: float,
                    metric: str = "HIM") -> go.Figure:
    """Distributions of the global (S) and internal (SI) stability over resamples.

    The mean of each (the reported S and SI) is a diamond.
    """
    fig = go.Figure()
    for name, values, mean, colour in (("S", s_boot, s, PALETTE[0]), ("SI", si_boot, si, PALETTE[1])):
        fig.add_trace(go.Box(y=np.asarray(values, dtype=float), name=name, boxpoints="all",
                             jitter=0.4, pointpos=0, marker_color=colour,
                             hovertemplate=name + " = %{y:.6g}<extra></extra>"))
        fig.add_trace(go.Scatter(x=[name], y=[mean], mode="markers", showlegend=False,
                                 marker={"symbol": "diamond", "size": 14, "color": "black"},
                                 hovertemplate=f"mean {name} = {mean:.6g}<extra></extra>"))
    fig.update_layout(title=f"Stability: S (network vs each resample) and SI (between resamples), {metric}",
                      yaxis_title=f"{metric} distance", showlegend=False, height=380,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def hub_strength_boxes(sd_boot: pd.DataFrame, top: int = 15) -> go.Figure:
    """Strength of the ``top`` hubs (largest median strength) across resamples.

    Parameters
    ----------
    sd_boot : DataFrame
        Resamples x nodes node strengths (netSI's ``Sd_boot``).
    top : int
        How many nodes to show, strongest first.
    """
    sd_boot = pd.DataFrame(sd_boot)
    order = sd_boot.median(axis=0).sort_values(ascending=False).index[:top]
    fig = go.Figure()
    for node in order:
        fig.add_trace(go.Box(y=sd_boot[node].to_numpy(dtype=float), name=str(node),
                             marker_color=PALETTE[0], boxpoints=False,
                             hovertemplate=f"{node}: " + "%{y:.4g}<extra></extra>"))
    fig.update_layout(title=f"Strength of the {len(order)} main hubs across resamples",
                      yaxis_title="node strength", showlegend=False, height=380,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def stability_histogram(values: pd.Series | np.ndarray, what: str = "Sw") -> go.Figure:
    """Histogram of edge (Sw) or node (Sd) stability values, (max - min) / mean; NA dropped."""
    v = pd.Series(values, dtype=float).dropna()
    fig = go.Figure(go.Histogram(x=v.to_numpy(), nbinsx=40, marker_color=PALETTE[2]))
    fig.update_layout(title=f"{what}: (max - min) / mean over resamples (0 = perfectly stable)",
                      xaxis_title=what, yaxis_title="count", bargap=0.05, height=320,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def value_histogram(values: pd.Series | np.ndarray, title: str, xlabel: str) -> go.Figure:
    """Histogram of any numeric column (e.g. a node statistic); NA dropped."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    fig = go.Figure(go.Histogram(x=v.to_numpy(), nbinsx=30, marker_color=PALETTE[3]))
    fig.update_layout(title=title, xaxis_title=xlabel, yaxis_title="count", bargap=0.05,
                      height=320, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig
