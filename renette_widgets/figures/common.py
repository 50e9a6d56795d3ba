"""What the figure builders share: the palette and square-matrix handling."""
from __future__ import annotations

import numpy as np
import pandas as pd
from plotly.colors import qualitative

PALETTE = qualitative.D3 + qualitative.Set2
#: Above this many rows/columns, heatmap cells carry no text labels.
MAX_LABELLED = 15


def square(m: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    """A square matrix as a DataFrame with names (1..n when it has none)."""
    if isinstance(m, pd.DataFrame):
        return m
    m = np.asarray(m, dtype=float)
    names = [str(i + 1) for i in range(m.shape[0])]
    return pd.DataFrame(m, index=names, columns=names)


# ---------------------------------------------------------------- ordering
