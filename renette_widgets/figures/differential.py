"""Figures of a differential network analysis (pure functions of its tables).

Volcano plot, counts per class, the ranking of rewired nodes and the
differential network view (A | B | change on one layout). Each takes the
rows the caller chose (the significant or top pairs, a sample of the rest):
a figure never holds millions of pairs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .common import TOP_MARGIN, base_layout
from .network import layout

#: Colour of each class ``sign in A / sign in B``, Paul Tol's colour-blind-safe "muted"
#: scheme: positive in A is the red family, negative the blue one; lost in B light
#: (rose, cyan), gained in B dark (wine, indigo); sign changes purple and green;
#: kept sand and teal. No colour here means anything else in these figures.
CLASS_COLOURS = {
    "+/0": "#CC6677", "0/+": "#882255", "-/0": "#88CCEE", "0/-": "#332288",
    "+/-": "#AA4499", "-/+": "#117733", "+/+": "#DDCC77", "-/-": "#44AA99", "0/0": "#999933",
}
#: The change panel: Okabe-Ito orange (more correlated in B) and black (less).
MORE_IN_B, LESS_IN_B = "#E69F00", "#000000"
#: Nodes: white with a grey rim (their labels carry the names).
NODE_FILL, NODE_LINE = "#FFFFFF", "#666666"
#: Nodes labelled in the differential network: the most connected ones.
LABELLED_NODES = 25
CLASS_MEANING = {
    "+/0": "positive in A, lost in B", "0/+": "positive in B only", "-/0": "negative in A, lost in B",
    "0/-": "negative in B only", "+/-": "positive in A, negative in B",
    "-/+": "negative in A, positive in B", "+/+": "positive in both", "-/-": "negative in both",
    "0/0": "in neither (only their difference)",
}
NOT_SIGNIFICANT = "rgba(150,150,150,0.45)"
#: A pair not (significantly) correlated in the condition a panel shows.
ABSENT = "rgba(150,150,150,0.6)"
#: Smallest q drawn (q = 0 after underflow would be infinitely high).
Q_FLOOR = 1e-300


def _hover(df: pd.DataFrame, a: str, b: str) -> list[str]:
    return [f"{v1} – {v2}<br>r in {a} = {ra:.3f}, r in {b} = {rb:.3f}<br>z = {z:.3g}, "
            f"q = {q:.3g}<br>class {c}"
            for v1, v2, ra, rb, z, q, c in zip(df["var1"].astype(str), df["var2"].astype(str),
                                               df["r_A"], df["r_B"], df["z_diff"], df["q_diff"],
                                               df["class"].astype(str))]


def volcano(pairs: pd.DataFrame, fdr: float, a: str = "A", b: str = "B",
            title: str | None = None) -> go.Figure:
    """z difference against -log10 q: the significant pairs (q <= ``fdr``) coloured by
    class, the others grey, the ``fdr`` line dashed.

    Parameters
    ----------
    pairs : DataFrame
        Rows of a pair table (``var1, var2, r_A, r_B, z_diff, q_diff, class``).
    fdr : float
    a, b : str
        The conditions' names (hover text).
    """
    fig = go.Figure()
    sig = pairs["q_diff"] <= fdr
    y = -np.log10(np.maximum(pairs["q_diff"].to_numpy(dtype=float), Q_FLOOR))
    rest = pairs[~sig]
    if len(rest):
        fig.add_trace(go.Scattergl(x=rest["z_diff"], y=y[~sig.to_numpy()], mode="markers",
                                   name=f"q > {fdr:g}", marker={"color": NOT_SIGNIFICANT, "size": 4},
                                   text=_hover(rest, a, b), hovertemplate="%{text}<extra></extra>"))
    for cls, colour in CLASS_COLOURS.items():
        part = sig & (pairs["class"].astype(str) == cls)
        if part.any():
            rows = pairs[part]
            fig.add_trace(go.Scattergl(
                x=rows["z_diff"], y=y[part.to_numpy()], mode="markers", name=cls,
                marker={"color": colour, "size": 6}, text=_hover(rows, a, b),
                hovertemplate="%{text}<extra>" + CLASS_MEANING[cls] + "</extra>"))
    fig.add_hline(y=-np.log10(fdr), line_dash="dash", line_color="#555",
                  annotation_text=f"q = {fdr:g}", annotation_position="top left")
    base_layout(fig, title or f"Volcano plot: {a} vs {b}", 480)
    fig.update_layout(xaxis_title=f"z difference (> 0: more correlated in {b})",
                      yaxis_title="-log10 q", legend={"title": "class (A/B)"})
    return fig


def class_counts(classes: pd.DataFrame, fdr: float, title: str = "Pairs per class") -> go.Figure:
    """Pairs and significant pairs of each class (``class, pairs, significant``), log scale."""
    fig = go.Figure()
    labels = [f"{c} ({CLASS_MEANING[c]})" for c in classes["class"]]
    fig.add_trace(go.Bar(x=labels, y=classes["pairs"], name="all pairs",
                         marker_color="#c7c7c7", text=classes["pairs"], textposition="outside"))
    fig.add_trace(go.Bar(x=labels, y=classes["significant"], name=f"q <= {fdr:g}",
                         marker_color=[CLASS_COLOURS[c] for c in classes["class"]],
                         text=classes["significant"], textposition="outside"))
    base_layout(fig, title, 420)
    fig.update_layout(barmode="group", yaxis={"type": "log", "title": "pairs"},
                      xaxis={"tickangle": -25})
    return fig


def node_ranking(nodes: pd.DataFrame, top: int = 30, fdr: float = 0.05,
                 title: str = "Most rewired nodes") -> go.Figure:
    """The ``top`` nodes by differential connectivity d, coloured by whether their
    permutation q is at most ``fdr`` (grey: not tested)."""
    rows = nodes.head(top).iloc[::-1]
    tested = rows["q"].notna()
    colour = np.where(~tested, "#9e9e9e", np.where(rows["q"] <= fdr, "#d62728", "#1f77b4"))
    fig = go.Figure(go.Bar(
        x=rows["d"], y=rows["node"].astype(str), orientation="h", marker_color=colour,
        customdata=np.column_stack([rows["q"], rows["hamming_share"], rows["median_z"],
                                    rows["n_significant"]]),
        hovertemplate="%{y}: d = %{x:.4g}<br>q = %{customdata[0]:.3g}<br>share of H = "
                      "%{customdata[1]:.3f}<br>median z = %{customdata[2]:.3g}<br>"
                      "significant pairs: %{customdata[3]}<extra></extra>"))
    base_layout(fig, f"{title} (red: q <= {fdr:g})", max(300, 18 * len(rows) + 120))
    fig.update_layout(xaxis_title="differential connectivity d", yaxis={"automargin": True})
    return fig


def _positions(pairs: pd.DataFrame, nodes: list[str]) -> np.ndarray:
    """One layout for the three panels: the pairs' |z| pull their nodes together;
    each connected group is laid out on its own in a square box whose side grows
    with the square root of its size, and the boxes are packed in rows (largest
    first, rows about as wide as the whole is tall), so that groups fill the panel
    instead of sitting in a sparse grid."""
    import igraph  # here, not at the top: importing igraph loads matplotlib (a page's start)
    idx = {n: i for i, n in enumerate(nodes)}
    w = np.zeros((len(nodes), len(nodes)))
    i = pairs["var1"].astype(str).map(idx).to_numpy()
    j = pairs["var2"].astype(str).map(idx).to_numpy()
    w[i, j] = w[j, i] = np.abs(pairs["z_diff"].to_numpy(dtype=float))
    groups = igraph.Graph.Weighted_Adjacency((w > 0).astype(int).tolist(), mode="upper") \
        .connected_components()
    groups = sorted((list(g) for g in groups), key=lambda g: (-len(g), g[0]))
    sides = [np.sqrt(len(g)) for g in groups]
    width = max(sides[0], np.sqrt(sum(s * s for s in sides)) * 1.1) if groups else 1.0
    pos = np.zeros((len(nodes), 2))
    x = y = row_height = 0.0
    for members, side in zip(groups, sides):
        if x > 0 and x + side > width + 1e-9:  # next row
            x, y, row_height = 0.0, y - row_height, 0.0
        if len(members) > 1:
            sub = layout(w[np.ix_(members, members)])
            sub = sub - (sub.max(axis=0) + sub.min(axis=0)) / 2
            sub = sub / max(float(np.abs(sub).max()), 1e-12)  # within [-1, 1]
        else:
            sub = np.zeros((1, 2))
        pos[members] = sub * side * 0.42 + [x + side / 2, y - side / 2]
        x += side
        row_height = max(row_height, side)
    return pos


def node_labels(pairs: pd.DataFrame, nodes: list[str], top: int = LABELLED_NODES) -> list[str]:
    """Each node's name when it is among the ``top`` of largest summed |z| over the
    pairs drawn, else "" (its name is on hover)."""
    z = np.abs(pairs["z_diff"].to_numpy(dtype=float))
    score = pd.concat([pd.Series(z, index=pairs["var1"].astype(str)),
                       pd.Series(z, index=pairs["var2"].astype(str))]).groupby(level=0).sum()
    keep = set(score.sort_values(ascending=False, kind="stable").index[:top])
    return [n if n in keep else "" for n in nodes]


def _segments(pairs: pd.DataFrame, pos: np.ndarray, idx: dict) -> tuple[list, list]:
    i = pairs["var1"].astype(str).map(idx).to_numpy()
    j = pairs["var2"].astype(str).map(idx).to_numpy()
    xs = np.column_stack([pos[i, 0], pos[j, 0], np.full(len(i), np.nan)]).ravel()
    ys = np.column_stack([pos[i, 1], pos[j, 1], np.full(len(i), np.nan)]).ravel()
    return list(xs), list(ys)


def differential_network(pairs: pd.DataFrame, a: str = "A", b: str = "B",
                         title: str | None = None) -> go.Figure:
    """The pairs on one layout, three panels: in A (width |r_A|), in B (width |r_B|),
    both coloured by class (dotted grey where that condition's correlation is not
    significant, the 0 of the class), and the change (orange: more correlated in B, black:
    less; width |z|). The :data:`LABELLED_NODES` most changed nodes carry their names; the
    legend names every colour (Paul Tol's and Okabe-Ito's colour-blind-safe colours, none
    meaning two things). Hover on an edge's middle shows both correlations and q.

    Parameters
    ----------
    pairs : DataFrame
        The pairs to draw (e.g. the significant ones, strongest first).
    """
    nodes = sorted(set(pairs["var1"].astype(str)) | set(pairs["var2"].astype(str)))
    idx = {n: k for k, n in enumerate(nodes)}
    pos = _positions(pairs, nodes) if nodes else np.zeros((0, 2))
    shown = node_labels(pairs, nodes)
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.02, subplot_titles=[
        f"in {a}", f"in {b}", f"change ({b} vs {a})"])
    hover = _hover(pairs, a, b)
    mid_i = pairs["var1"].astype(str).map(idx).to_numpy()
    mid_j = pairs["var2"].astype(str).map(idx).to_numpy()
    mid = (pos[mid_i] + pos[mid_j]) / 2 if len(pairs) else np.zeros((0, 2))
    labels = pairs["class"].astype(str)
    for col, key, side in ((1, "r_A", 0), (2, "r_B", 2)):
        strength = np.abs(pairs[key].to_numpy(dtype=float))
        # a pair not significantly correlated in this condition: a faint dotted line
        absent = (labels.str[side] == "0").to_numpy()
        if absent.any():
            xs, ys = _segments(pairs[absent], pos, idx)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                     line={"color": ABSENT, "width": 0.8, "dash": "dot"}),
                          row=1, col=col)
        for cls, colour in CLASS_COLOURS.items():
            for lo, hi, width in ((0, 0.4, 0.8), (0.4, 0.7, 1.8), (0.7, 1.01, 3.2)):
                part = ((labels == cls).to_numpy() & ~absent & (strength >= lo)
                        & (strength < hi))
                if part.any():
                    xs, ys = _segments(pairs[part], pos, idx)
                    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                             line={"color": colour, "width": width},
                                             name=cls, showlegend=False), row=1, col=col)
    z = pairs["z_diff"].to_numpy(dtype=float)
    top = max(float(np.abs(z).max()), 1e-12) if len(z) else 1.0
    for sign, colour, label in ((1, MORE_IN_B, f"more correlated in {b}"),
                                (-1, LESS_IN_B, f"less correlated in {b}")):
        for lo, hi, width in ((0, 0.5, 1.0), (0.5, 0.8, 2.2), (0.8, 1.01, 3.6)):
            part = (np.sign(z) == sign) & (np.abs(z) / top >= lo) & (np.abs(z) / top < hi)
            if part.any():
                xs, ys = _segments(pairs[part], pos, idx)
                fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                         line={"color": colour, "width": width}, name=label,
                                         showlegend=False), row=1, col=3)
    for col in (1, 2, 3):
        fig.add_trace(go.Scatter(x=mid[:, 0], y=mid[:, 1], mode="markers", text=hover,
                                 marker={"size": 6, "color": "rgba(0,0,0,0)"}, showlegend=False,
                                 hovertemplate="%{text}<extra></extra>"), row=1, col=col)
        fig.add_trace(go.Scatter(x=pos[:, 0], y=pos[:, 1], mode="markers+text", text=shown,
                                 customdata=nodes, textposition="top center",
                                 textfont={"size": 10, "color": "#222"}, cliponaxis=False,
                                 marker={"size": 7, "color": NODE_FILL,
                                         "line": {"width": 1, "color": NODE_LINE}},
                                 showlegend=False, hovertemplate="%{customdata}<extra></extra>"),
                      row=1, col=col)
        fig.update_xaxes(visible=False, row=1, col=col)
        fig.update_yaxes(visible=False, scaleanchor=f"x{'' if col == 1 else col}", row=1, col=col)
    # the legend names every colour and line drawn
    for cls, colour in CLASS_COLOURS.items():
        if (labels == cls).any():
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"{cls}: {CLASS_MEANING[cls]}",
                                     line={"color": colour, "width": 3},
                                     legendgroup="class", legendgrouptitle_text=f"class ({a}/{b})"),
                          row=1, col=1)
    if any((labels.str[side] == "0").any() for side in (0, 2)):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name="not correlated in that condition",
                                 line={"color": ABSENT, "width": 1.5, "dash": "dot"}, legendgroup="panel"),
                      row=1, col=1)
    for sign, colour, label in ((1, MORE_IN_B, f"change: more correlated in {b}"),
                                (-1, LESS_IN_B, f"change: less correlated in {b}")):
        if (np.sign(z) == sign).any():
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=label,
                                     line={"color": colour, "width": 3}, legendgroup="change",
                                     legendgrouptitle_text="change panel"), row=1, col=1)
    if nodes:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers",
                                 name=f"node (named: the {min(len(nodes), LABELLED_NODES)} most changed)",
                                 marker={"size": 8, "color": NODE_FILL,
                                         "line": {"width": 1, "color": NODE_LINE}}), row=1, col=1)
    base_layout(fig, title or f"Differential network: {len(pairs)} pairs, {len(nodes)} nodes "
                              "(width: |r| or |z|; dotted: not correlated there; hover an "
                              "edge's middle)", 660)
    # the legend below the panels, in room of its own (never over a drawn group)
    fig.update_layout(margin={"l": 10, "r": 10, "t": TOP_MARGIN + 24, "b": 150},
                      legend={"orientation": "h", "y": -0.1, "yanchor": "top", "font": {"size": 11}})
    fig.update_annotations(font={"size": 12}, yshift=6)
    return fig


def summary_counts(counts: dict, threshold: float,
                   title: str = "Edges across conditions") -> go.Figure:
    """How many edges (|r| > ``threshold`` somewhere) keep their sign in all
    conditions, change sign, or are present in some only."""
    fig = go.Figure(go.Bar(x=list(counts), y=list(counts.values()), text=list(counts.values()),
                           textposition="outside", marker_color=["#2ca02c", "#9467bd", "#ff7f0e"]))
    base_layout(fig, f"{title} (present: |r| > {threshold:g})", 360)
    fig.update_layout(yaxis_title="pairs")
    return fig
