"""Figures of stability results (S and SI boxes, hub strengths, Sw/Sd histograms)
and the generic histogram of a node statistic."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .common import PALETTE, base_layout


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
    base_layout(fig, f"Stability: S (network vs each resample) and SI (between resamples), {metric}",
                400)
    fig.update_layout(yaxis_title=f"{metric} distance (lower is more stable)", showlegend=False)
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
    base_layout(fig, f"Strength of the {len(order)} main hubs across resamples", 400)
    fig.update_layout(yaxis_title="node strength", showlegend=False)
    return fig


def stability_histogram(values: pd.Series | np.ndarray, what: str = "Sw") -> go.Figure:
    """Histogram of edge (Sw) or node (Sd) stability values, (max - min) / mean; NA dropped."""
    v = pd.Series(values, dtype=float).dropna()
    fig = go.Figure(go.Histogram(x=v.to_numpy(), nbinsx=40, marker_color=PALETTE[2]))
    base_layout(fig, f"{what}: (max - min) / mean over resamples (0 = perfectly stable)", 340)
    fig.update_layout(xaxis_title=what, yaxis_title="count", bargap=0.05)
    return fig


def value_histogram(values: pd.Series | np.ndarray, title: str, xlabel: str) -> go.Figure:
    """Histogram of any numeric column (e.g. a node statistic); NA dropped."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    fig = go.Figure(go.Histogram(x=v.to_numpy(), nbinsx=30, marker_color=PALETTE[3]))
    base_layout(fig, title, 340)
    fig.update_layout(xaxis_title=xlabel, yaxis_title="count", bargap=0.05)
    return fig
