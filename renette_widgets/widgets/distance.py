"""Distance panel: H / IM / HIM between networks (uploaded or inferred here)."""
from __future__ import annotations

from .runner import NetworksRunPanel
from .session import Session


class DistancePanel(NetworksRunPanel):
    """Pick two or more networks (one is compared with the empty network, as in ReNette)."""

    workflow = "distance"

    def __init__(self, session: Session) -> None:
        super().__init__(
            session,
            "Distances between every pair of the chosen networks, from 0 (identical) to 1 (the "
            "empty vs the complete network). HIM = sqrt((H² + ρ·IM²) / (1 + ρ)) combines the "
            "Hamming distance H (edge weights that differ) and the Ipsen-Mikhailov distance IM "
            "(spectra: overall structure); a single network is compared with the empty one. "
            "Networks on different genes: choose how to match their nodes in <i>node sets</i>.",
            "Compute distances")
