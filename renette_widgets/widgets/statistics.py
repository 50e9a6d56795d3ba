"""Statistics panel: node and network statistics of any network."""
from __future__ import annotations

from .runner import NetworksRunPanel
from .session import Session


class StatisticsPanel(NetworksRunPanel):
    """Degree, strength, centralities, communities... of the chosen networks."""

    workflow = "statistics"

    def __init__(self, session: Session) -> None:
        super().__init__(
            session,
            "Node statistics (degree, strength, PageRank, eigenvector and alpha centrality, eccentricity, "
            "community) and network statistics (density, total weight, modularity, radius, ...) "
            "of each chosen network.",
            "Compute statistics")
