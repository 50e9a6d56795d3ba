"""Figures of distance results: heatmap (clustered order), MDS map, H vs IM."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .common import MAX_LABELLED, PALETTE, TOP_MARGIN, base_layout, short_labels, square


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
def heatmap_height(k: int) -> int:
    """Pixels for a k x k heatmap: cells of about 44 px, within 380-760 px."""
    return int(min(760, max(380, 44 * k + 140)))


def distance_heatmap(d: pd.DataFrame, title: str = "HIM distance",
                     clustered: bool = False) -> go.Figure:
    """Heatmap of a k x k distance matrix with names, hover values and optional clustered order.

    Cells show their value only where it fits (up to ``MAX_LABELLED``
    networks, two significant digits); long names are shortened on the axes and
    given in full on hover.

    Parameters
    ----------
    d : DataFrame
        Symmetric distances with node (network) names as index and columns.
    title : str
        Figure title (also the colour-bar title's first word).
    clustered : bool
        Reorder rows and columns by :func:`cluster_order`.
    """
    d = square(d)
    if clustered and len(d) > 2:
        order = cluster_order(d)
        d = d.iloc[order, order]
    names = [str(n) for n in d.index]
    what = title.split()[0]
    heat = go.Heatmap(
        z=d.to_numpy(), x=names, y=names, colorscale="Viridis", zmin=0,
        colorbar={"title": what, "thickness": 14},
        hovertemplate="%{y} vs %{x}<br>" + what + " = %{z:.6g}<extra></extra>",
    )
    if len(d) <= MAX_LABELLED:
        # two significant digits fit a cell (at most five characters); hover has six
        heat.update(text=[[f"{v:.2g}" for v in row] for row in d.to_numpy()], texttemplate="%{text}",
                    textfont={"size": 13 if len(d) <= 6 else 10})
    fig = base_layout(go.Figure(heat), title, heatmap_height(len(d)))
    ticks = {"tickvals": names, "ticktext": short_labels(names), "constrain": "domain"}
    ticks["type"] = "category"  # a network named "0.0" is a name, not a position
    fig.update_layout(xaxis={**ticks, "tickangle": -30 if len(d) > 6 else 0},
                      yaxis={**ticks, "autorange": "reversed", "scaleanchor": "x"})
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


def label_positions(xy: np.ndarray) -> list[str]:
    """Where each point's label goes so that labels of close points do not collide:
    above, and for a point close to one already labelled, below, right or left."""
    span = float(np.ptp(xy, axis=0).max()) if len(xy) else 0.0
    near = 0.08 * (span or 1.0)
    spots = ["top center", "bottom center", "middle right", "middle left"]
    out: list[str] = []
    for i in range(len(xy)):
        taken = {out[j] for j in range(i) if np.linalg.norm(xy[i] - xy[j]) < near}
        out.append(next((s for s in spots if s not in taken), spots[i % len(spots)]))
    return out


def mds_map(d: pd.DataFrame, title: str = "MDS map of the networks") -> go.Figure:
    """Classical MDS of a distance matrix: one labelled point per network.

    Labels are short (:func:`short_labels`) and placed apart; the full name
    is on hover. Near points are near networks.
    """
    d = square(d)
    xy = mds_coordinates(d)
    names = [str(n) for n in d.index]
    fig = go.Figure(go.Scatter(
        x=xy[:, 0], y=xy[:, 1], mode="markers+text", text=short_labels(names, 10),
        customdata=names, textposition=label_positions(xy), cliponaxis=False,
        marker={"size": 12, "color": PALETTE[: len(names)] if len(names) <= len(PALETTE) else None},
        hovertemplate="%{customdata}<extra></extra>"))
    base_layout(fig, title, 460)
    # Equal ranges around the points (a quarter of their spread as margin): close
    # networks stay apart on screen however small their distances are.
    half = max(float(np.ptp(xy, axis=0).max()), 1e-12) * 0.75
    mid = (xy.max(axis=0) + xy.min(axis=0)) / 2
    fig.update_layout(xaxis={"title": "MDS 1", "zeroline": False, "constrain": "domain",
                             "range": [mid[0] - half, mid[0] + half]},
                      yaxis={"title": "MDS 2", "scaleanchor": "x", "zeroline": False,
                             "range": [mid[1] - half, mid[1] + half]},
                      margin={"l": 50, "r": 30, "t": TOP_MARGIN, "b": 40})
    return fig


def _axis_range(values: np.ndarray) -> tuple[str, list[float]]:
    """An axis spanning ``values``: linear from 0 to a little above the largest, or log
    (base 10) when the positive values span more than two decades, or sit far from 0
    (the smallest above half the largest: from 0 they would fill a sliver of the axis)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    pos = v[v > 0]
    if len(pos) > 2 and len(pos) == len(v) and (pos.max() / pos.min() > 100
                                                 or pos.min() > pos.max() / 2):
        lo, hi = np.log10(pos.min()), np.log10(pos.max())
        pad = max(0.08 * (hi - lo), 0.01)
        return "log", [float(lo - pad), float(hi + pad)]
    top = float(v.max()) if len(v) else 0.0
    return "linear", [0.0, top * 1.08 if top > 0 else 1.0]


def him_scatter(h: pd.DataFrame, im: pd.DataFrame, rho: float = 1.0) -> go.Figure:
    """HIM's two components: one point per pair of networks at (H, IM).

    Each axis spans its own data (from 0, or log when the values span more than
    two decades): H and IM of real networks differ by orders of magnitude, and a
    shared scale squashes every pair into one stripe. Points are labelled with
    both networks (short names; full names on hover) when there are at most
    :data:`MAX_POINT_LABELS` pairs. The H = IM diagonal and the curves of equal
    HIM are drawn only where both axes are linear and of comparable extent (within
    a factor 3): elsewhere they would be squeezed against an axis.
    """
    h, im = square(h), square(im)
    names = [str(n) for n in h.index]
    short = short_labels(names, 10)
    iu = np.triu_indices(len(names), 1)
    hv, iv = h.to_numpy()[iu], im.to_numpy()[iu]
    pairs = [(names[i], names[j]) for i, j in zip(*iu)]
    him = np.sqrt((hv**2 + rho * iv**2) / (1 + rho))
    xtype, xrange = _axis_range(hv)
    ytype, yrange = _axis_range(iv)
    fig = go.Figure()
    comparable = (xtype == ytype == "linear" and min(xrange[1], yrange[1]) > 0
                  and max(xrange[1], yrange[1]) / min(xrange[1], yrange[1]) <= 3)
    if comparable:
        top = min(xrange[1], yrange[1])
        fig.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", name="H = IM",
                                 line={"dash": "dash", "color": "#bbbbbb"}, hoverinfo="skip"))
        t = np.linspace(0, np.pi / 2, 50)
        for level in (0.25, 0.5, 0.75, 1.0) if rho > 0 else ():
            r = level * np.sqrt(1 + rho)
            fig.add_trace(go.Scatter(x=r * np.cos(t), y=r * np.sin(t) / np.sqrt(rho), mode="lines",
                                     line={"dash": "dot", "color": "lightgrey"},
                                     name=f"HIM = {level}", hoverinfo="skip", showlegend=False))
    labelled = len(pairs) <= MAX_POINT_LABELS
    fig.add_trace(go.Scatter(
        x=hv, y=iv, mode="markers+text" if labelled else "markers",
        text=[f"{short[i]} · {short[j]}" for i, j in zip(*iu)] if labelled else None,
        textposition="top center", textfont={"size": 10}, cliponaxis=False,
        customdata=np.column_stack([[a for a, _ in pairs], [b for _, b in pairs], him]) if pairs else None,
        name="pairs", showlegend=False,
        marker={"size": 10, "color": him, "colorscale": "Viridis", "cmin": 0,
                "cmax": max(float(np.max(him, initial=0)), 1e-12), "colorbar": {"title": "HIM"}},
        hovertemplate="%{customdata[0]} vs %{customdata[1]}<br>H = %{x:.6g}<br>IM = %{y:.6g}"
                      "<br>HIM = %{customdata[2]:.6g}<extra></extra>"))
    base_layout(fig, "Hamming (H) vs Ipsen-Mikhailov (IM) for every pair (each axis its own scale)",
                480)
    fig.update_layout(
        xaxis={"title": "H (Hamming: edges that differ)" + (", log scale" if xtype == "log" else ""),
               "type": xtype, "range": xrange, "exponentformat": "none"},
        yaxis={"title": "IM (Ipsen-Mikhailov: spectra)" + (", log scale" if ytype == "log" else ""),
               "type": ytype, "range": yrange, "exponentformat": "none"},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        margin={"l": 60, "r": 10, "t": TOP_MARGIN, "b": 40})
    return fig


#: Pairs up to which each point of the H-vs-IM scatter carries its networks' names.
MAX_POINT_LABELS = 15


# ---------------------------------------------------------------- one network
