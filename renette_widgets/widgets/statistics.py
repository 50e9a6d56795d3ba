"""Statistics panel: node and network statistics of any network, after keeping the
edges that matter."""
from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np
import pandas as pd

from . import large
from .common import guarded
from .runner import NetworksRunPanel
from .session import Session

#: Which threshold value each choice of "edges counted" uses.
VALUE_OF = {"weight": "cut", "top_k": "top_k", "density": "density"}


class StatisticsPanel(NetworksRunPanel):
    """Degree, strength, centralities, communities... of the chosen networks.

    Only the value of the chosen threshold is shown. Choosing a dense network
    (more than half of the possible edges) while every edge is counted switches
    to the strongest 5 % of the edges, with a note: every degree would be n - 1.
    """

    workflow = "statistics"

    def __init__(self, session: Session) -> None:
        super().__init__(
            session,
            "Node statistics (degree, strength, betweenness, closeness, clustering coefficient, "
            "PageRank, eigenvector and alpha centrality, eccentricity, community) and network "
            "statistics (density, total weight, modularity, radius, ...) of each chosen network, "
            "on the edges counted.",
            "Compute statistics")
        self.reading: threading.Thread | None = None  # densities of stored networks
        self.form["threshold"].observe(self._show_value, "value")
        self.networks.observe(self._dense, "value")
        self._show_value()
        self._dense()

    def _show_value(self, _change: dict | None = None) -> None:
        shown = VALUE_OF.get(self.form["threshold"].value)
        for name in VALUE_OF.values():
            self.form.rows[name].layout.display = None if name == shown else "none"

    def _dense(self, _change: dict | None = None) -> None:
        if self.form["threshold"].value != "none":
            return
        chosen = [n for n in self.networks.value if n in self.session.networks]
        unread = [n for n in chosen if not known_density(self.session.networks[n])]
        if unread:
            # A network kept in the store (a large inferred one) is read a block at a
            # time, in a thread: it is chosen as a job ends, when the page is busy
            # drawing that job's results. This runs again once it is read.
            self.reading = threading.Thread(
                target=guarded(self.errors)(self._read_densities),
                args=([self.session.networks[n] for n in unread],), daemon=True,
                name="renette-density")
            self.reading.start()
            chosen = [n for n in chosen if n not in unread]
        dense = [n for n in chosen if density(self.session.networks[n]) > 0.5]
        if dense:
            self.form["threshold"].value = "density"
            self.notice.value = (f"<span style='color:#8a5a00'>{dense[0]} links "
                                 f"{density(self.session.networks[dense[0]]):.0%} of all node pairs: "
                                 "only its strongest edges are counted (choose 'all edges' to "
                                 "count every one).</span>")


    def _read_densities(self, networks: list[Any]) -> None:
        for m in networks:
            density(m)
        self._dense()


#: Densities of stored networks (read a block at a time once: they do not change).
_STORED_DENSITY: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()


def known_density(a: Any) -> bool:
    """Whether :func:`density` answers at once (a DataFrame, or a stored network read before)."""
    return isinstance(a, pd.DataFrame) or a in _STORED_DENSITY


def density(a: Any) -> float:
    """Fraction of the possible edges (i != j) with a non-zero weight (a network kept
    in the store is read a block at a time, once)."""
    if not isinstance(a, pd.DataFrame):
        if a not in _STORED_DENSITY:
            with large.PASSES:
                _STORED_DENSITY[a] = large.density(a)
        return _STORED_DENSITY[a]
    m = a.to_numpy(dtype=float)
    n = len(m)
    return float(np.count_nonzero(m - np.diag(np.diag(m)))) / max(n * (n - 1), 1)
