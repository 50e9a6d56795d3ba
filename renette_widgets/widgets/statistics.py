"""Statistics panel: node and network statistics of any network, after keeping the
edges that matter."""
from __future__ import annotations

import numpy as np

from ..io.arrays import as_frame
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
        dense = [n for n in self.networks.value
                 if n in self.session.networks and density(self.session.networks[n]) > 0.5]
        if dense:
            self.form["threshold"].value = "density"
            self.notice.value = (f"<span style='color:#8a5a00'>{dense[0]} links "
                                 f"{density(self.session.networks[dense[0]]):.0%} of all node pairs: "
                                 "only its strongest edges are counted (choose 'all edges' to "
                                 "count every one).</span>")


def density(a) -> float:
    """Fraction of the possible edges (i != j) with a non-zero weight."""
    m = as_frame(a).to_numpy(dtype=float)
    n = len(m)
    return float(np.count_nonzero(m - np.diag(np.diag(m)))) / max(n * (n - 1), 1)
