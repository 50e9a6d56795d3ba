"""What the figure builders share: the palette, square matrices, short labels and
the layout every figure starts from."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

PALETTE = qualitative.D3 + qualitative.Set2
#: Above this many rows/columns, heatmap cells carry no text labels.
MAX_LABELLED = 12
#: Room above the plot: the title on the left, plotly's toolbar on the right.
TOP_MARGIN = 64


def square(m: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    """A square matrix as a DataFrame with names (1..n when it has none)."""
    if isinstance(m, pd.DataFrame):
        return m
    m = np.asarray(m, dtype=float)
    names = [str(i + 1) for i in range(m.shape[0])]
    return pd.DataFrame(m, index=names, columns=names)


def short_labels(names: list[str], width: int = 16) -> list[str]:
    """Labels for crowded axes and maps (the full names go on hover).

    Names longer than ``width``: the words every name shares at its start and its end are dropped
    (``microbiome_Actinobacteria_0.0-diet_adj`` and ``..._1.0-diet_adj``
    become ``0.0`` and ``1.0``), then each label is cut to ``width``
    characters with an ellipsis. Labels stay distinct: when shortening would
    merge two names, the full names are cut instead.
    """
    names = [str(n) for n in names]
    if len(names) > 1 and max(map(len, names)) > width:
        parts = [re.split(r"(?<=[_\-\s])", n) for n in names]  # words, separators kept
        head = 0
        while all(len(p) > head + 1 for p in parts) and len({p[head] for p in parts}) == 1:
            head += 1
        tail = 0
        while all(len(p) > head + tail + 1 for p in parts) and len({p[-1 - tail] for p in parts}) == 1:
            tail += 1
        core = ["".join(p[head:len(p) - tail]).strip("_- .") or n for p, n in zip(parts, names)]
        if (tail or head) and all(_numeric(c) for c in core):
            # "0.0" or "10" reads as a number: keep a shared word ("0.0-diet", "data_10"), a name
            head, tail = (head, tail - 1) if tail else (head - 1, tail)
            core = ["".join(p[head:len(p) - tail]).strip("_- .") or n for p, n in zip(parts, names)]
        if len(set(core)) == len(set(names)):
            names = core
    out = [n if len(n) <= width else n[: width - 1] + "…" for n in names]
    return out if len(set(out)) == len(set(names)) else [str(n) for n in names]


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The layout every figure starts from: the title top left, clear of plotly's
    toolbar (top right); the width follows the page."""
    fig.update_layout(
        title={"text": title, "x": 0, "xref": "paper", "xanchor": "left", "y": 1,
               "yref": "container", "yanchor": "top", "pad": {"t": 10}, "font": {"size": 15}},
        height=height, autosize=True, template="plotly_white",
        margin={"l": 10, "r": 10, "t": TOP_MARGIN, "b": 10})
    return fig
