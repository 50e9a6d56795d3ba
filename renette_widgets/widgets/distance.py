"""Distance panel: H / IM / HIM between networks (uploaded or inferred here)."""
from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ..errors import InputError
from ..params import workflow_specs
from .form import ParamForm
from .runner import RunPanel, select_options
from .session import Session


class DistancePanel(RunPanel):
    """Pick two or more networks (one is compared with the empty network, as in ReNette)."""

    workflow = "distance"

    def __init__(self, session: Session) -> None:
        self.networks = w.SelectMultiple(description="networks", rows=8, style={"description_width": "80px"},
                                         layout=w.Layout(width="520px"))
        self.form = ParamForm(workflow_specs("distance"))
        super().__init__(session, [
            w.HTML("Distances between every pair of the chosen networks (same nodes, same order). "
                   "HIM = sqrt((H² + ρ·IM²) / (1 + ρ)) combines the Hamming distance H (edges) and the "
                   "Ipsen-Mikhailov distance IM (spectra); a single network is compared with the empty one."),
            self.networks, self.form,
        ], "Compute distances")

    def refresh_inputs(self) -> None:
        select_options(self.networks, list(self.session.networks))

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        if not self.networks.value:
            raise InputError("No network chosen.",
                             hint="Load networks in the Inputs tab or infer them, then select them here.")
        return {n: self.session.networks[n] for n in self.networks.value}, self.form.values()
