"""Distance panel: H / IM / HIM between networks (uploaded or inferred here), or between
two multiplex networks (its multiplex mode)."""
from __future__ import annotations

import ipywidgets as w

from .multiplex import MultiplexMode
from .runner import NetworksRunPanel
from .session import Session

MODES = {"networks (every pair)": "distance", "multiplex networks (layers)": "multiplex"}


class DistancePanel(NetworksRunPanel):
    """Pick two or more networks (one is compared with the empty network, as in ReNette),
    or, in multiplex mode, the layers of two multiplex networks."""

    def __init__(self, session: Session) -> None:
        self.mode = w.ToggleButtons(options=MODES, value="distance", description="compare")
        self.multiplex = MultiplexMode(session)
        super().__init__(
            session,
            "Distances between every pair of the chosen networks, from 0 (identical) to 1 (the "
            "empty vs the complete network). HIM = sqrt((H² + ρ·IM²) / (1 + ρ)) combines the "
            "Hamming distance H (edge weights that differ) and the Ipsen-Mikhailov distance IM "
            "(spectra: overall structure); a single network is compared with the empty one. "
            "Networks on different genes: choose how to match their nodes in <i>node sets</i>.",
            "Compute distances")
        self.pairwise = [self.networks, self.form]
        self.children = (self.mode, self.multiplex) + tuple(self.children)
        self.mode.observe(lambda _c: self._show_mode(), "value")
        self._show_mode()

    @property
    def workflow(self) -> str:
        """The workflow the Run button submits: ``distance`` or ``multiplex``."""
        return getattr(self, "mode", None) and self.mode.value or "distance"

    def _show_mode(self) -> None:
        multi = self.mode.value == "multiplex"
        self.multiplex.layout.display = None if multi else "none"
        for part in self.pairwise:
            part.layout.display = "none" if multi else None

    def refresh_inputs(self) -> None:
        super().refresh_inputs()
        if hasattr(self, "multiplex"):
            self.multiplex.refresh_inputs()

    def collect(self):
        if self.mode.value == "multiplex":
            return self.multiplex.collect()
        return super().collect()
