"""Stability panel: netSI indicators of a network inferred from resampled data."""
from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ..errors import InputError
from .. import workflows
from ..io.params import method_specs
from .form import OnDemand, ParamForm
from .inference import method_guide
from .runner import RunPanel, select_options
from .session import Session


class StabilityPanel(RunPanel):
    """One data matrix, a resampling scheme, an inference method and a distance."""

    workflow = "stability"

    def __init__(self, session: Session) -> None:
        self.data = w.Dropdown(description="data matrix", style={"description_width": "170px"},
                               layout=w.Layout(width="460px"))
        self.data.add_class("renette-stability-data")
        self.form = ParamForm(workflows.get(self.workflow).params)
        self.guide = w.HTML()
        self.method_forms = OnDemand(lambda m: ParamForm(method_specs(m)))  # made when chosen
        self.method_area = w.VBox()
        self.form["method"].observe(self._show_method, "value")
        self.form["resampling"].observe(self._resampling, "value")
        self._show_method()
        # Fields are placed by name; a parameter no column names (one added to the
        # workflow later) still shows, below the columns, rather than being left out.
        columns = {"data": ("top_variance",), "left": ("resampling", "k", "h", "seed", "indicator"),
                   "method": ("method",), "right": ("metric", "rho", "gamma")}
        placed = {n for names in columns.values() for n in names}
        rows = {key: [self.form.rows[n] for n in names] for key, names in columns.items()}
        others = [row for n, row in self.form.rows.items() if n not in placed]
        super().__init__(session, [
            w.HTML("How stable is the network inferred from these data? The network on all samples is "
                   "compared with networks inferred on resampled subsets (S), the subsets' networks with "
                   "each other (SI), and each edge weight (Sw) and node strength (Sd) across subsets."),
            self.data, *rows["data"],
            w.HBox([w.VBox([w.HTML("<b>Resampling</b>"), *rows["left"]]),
                    w.VBox([w.HTML("<b>Inference</b>"), *rows["method"], self.guide,
                            self.method_area]),
                    w.VBox([w.HTML("<b>Distance</b>"), *rows["right"]])],
                   layout=w.Layout(flex_flow="row wrap", justify_content="space-between")),
            *others,
        ], "Run stability")

    def refresh_inputs(self) -> None:
        select_options(self.data, list(self.session.data))

    def _show_method(self, _change: dict | None = None) -> None:
        self.method_area.children = [self.method_forms[self.form["method"].value]]
        self.guide.value = method_guide([self.form["method"].value])

    def _resampling(self, change: dict) -> None:
        # LOO leaves out each sample once: k and h do not apply.
        for name in ("k", "h"):
            self.form[name].disabled = change["new"] == "LOO"

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        if not self.data.value:
            raise InputError("No data matrix chosen.",
                             hint="Load data in the Inputs tab, then select it here.")
        params = self.form.values()
        params["method_params"] = self.method_forms[params["method"]].values()
        return {self.data.value: self.session.data[self.data.value]}, params
