"""Result containers of the workflows (plain data, no compute)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class StabilityResult:
    """Stability indicators of an inferred network under resampling (netSI).

    Attributes
    ----------
    S : float or None
        Mean distance between the network on all rows (``ADJ``) and each
        resampled network.
    SI : float or None
        Mean pairwise distance among the resampled networks.
    Sw : DataFrame or None
        Edge stability: columns ``edge`` (1-based, ``combn`` order), ``i``,
        ``j`` (node names) and ``Sw`` = (max - min) / mean of the edge weight
        across resamples (NaN when the mean is 0).
    Sd : DataFrame or None
        Node stability: columns ``node`` and ``Sd`` (same on node strengths).
    S_boot : DataFrame or None
        Columns ``resample`` (1-based) and ``S``.
    SI_boot : DataFrame or None
        Columns ``r1``, ``r2`` (1-based, r1 < r2, column-major upper
        triangle order) and ``SI``.
    Sd_boot : DataFrame or None
        Node strengths, one row per resample, one column per node.
    ADJ : DataFrame
        The network inferred on all rows.
    indices : list of ndarray
        0-based row positions of every resample, in the order of R's
        ``resampling_indices`` (so the same seed gives nettools' resamples).
    metric : str
        The distance used for S and SI (``"HIM"``, ``"IM"`` or ``"H"``).
    """

    S: float | None
    SI: float | None
    Sw: pd.DataFrame | None
    Sd: pd.DataFrame | None
    S_boot: pd.DataFrame | None
    SI_boot: pd.DataFrame | None
    Sd_boot: pd.DataFrame | None
    ADJ: pd.DataFrame
    indices: list[np.ndarray] = field(default_factory=list)
    metric: str = "HIM"

    def summary(self) -> dict:
        """The scalar results (what goes to ``summary.json``)."""
        return {"S": self.S, "SI": self.SI, "metric": self.metric,
                "n_resamples": len(self.indices)}
