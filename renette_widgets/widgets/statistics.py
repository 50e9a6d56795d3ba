"""Statistics panel: node and network statistics of any network."""
from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ..errors import InputError
from ..params import workflow_specs
from .form import ParamForm
from .runner import RunPanel, select_options
from .session import Session


class StatisticsPanel(RunPanel):
    """Degree, strength, centralities, communities... of the chosen networks."""

    workflow = "statistics"

    def __init__(self, session: Session) -> None:
        self.networks = w.SelectMultiple(description="networks", rows=8, style={"description_width": "80px"},
                                         layout=w.Layout(width="520px"))
        self.form = ParamForm(workflow_specs("statistics"))
        super().__init__(session, [
            w.HTML("Node statistics (degree, strength, centralities, community) and network statistics "
                   "(density, clustering, modularity, ...) of each chosen network."),
            self.networks, self.form,
        ], "Compute statistics")

    def refresh_inputs(self) -> None:
        select_options(self.networks, list(self.session.networks))

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        if not self.networks.value:
            raise InputError("No network chosen.",
                             hint="Load networks in the Inputs tab or infer them, then select them here.")
        return {n: self.session.networks[n] for n in self.networks.value}, self.form.values()
