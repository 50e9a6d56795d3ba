"""Inference panel: data matrices -> networks, with one or several methods at once; and
the inference workflow's results view."""
from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from ..errors import InputError
from .. import workflows
from ..io.params import METHOD_INFO, method_options, method_specs
from .form import OnDemand, ParamForm
from .networks import NetworksView, partner
from .runner import RunPanel, select_options
from .session import Session


def method_guide(methods) -> str:
    """One line per method: what it measures, when to use it, its reference."""
    rows = "".join(f"<div style='margin:2px 0'><b>{html.escape(m)}</b>: {html.escape(METHOD_INFO[m])}</div>"
                   for m in methods)
    return (f"<div class='renette-guide' style='font-size:12px;color:#333;max-width:560px;"
            f"line-height:1.35'>{rows}</div>")


class InferencePanel(RunPanel):
    """Choose data matrices and methods; only the chosen methods' parameters are shown."""

    workflow = "inference"

    def __init__(self, session: Session) -> None:
        self.data = w.SelectMultiple(description="data matrices", rows=5,
                                     style={"description_width": "110px"}, layout=w.Layout(width="420px"))
        self.methods = w.SelectMultiple(options=method_options(), value=("cor",), rows=9,
                                        description="methods", style={"description_width": "70px"},
                                        layout=w.Layout(width="380px"))
        self.guide = w.HTML()
        # each method's form (and its box) is made when the method is first chosen
        self.forms = OnDemand(lambda m: ParamForm(method_specs(m)))
        self.boxes = OnDemand(lambda m: w.VBox(
            [w.HTML(f"<b>{m}</b> parameters"), self.forms[m]],
            layout=w.Layout(border="1px solid #ddd", padding="4px", margin="2px")))
        self.params_area = w.VBox()
        self.common = ParamForm(workflows.get(self.workflow).params, skip=("method",))
        self.methods.observe(self._show_forms, "value")
        self._show_forms()
        super().__init__(session, [
            w.HTML("Infer one network per data matrix and method (several of each can be chosen: "
                   "ctrl/shift-click). Networks are named <i>data_method</i> and become inputs of the "
                   "Distance and Statistics panels when done."),
            w.HBox([self.data, self.methods, self.guide]), self.params_area, self.common,
        ], "Infer networks")

    def refresh_inputs(self) -> None:
        select_options(self.data, list(self.session.data))

    def _show_forms(self, _change: dict | None = None) -> None:
        self.params_area.children = [self.boxes[m] for m in self.methods.value]
        self.guide.value = method_guide(self.methods.value)

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        if not self.data.value:
            raise InputError("No data matrix chosen.",
                             hint="Load data in the Inputs tab, then select it here.")
        if not self.methods.value:
            raise InputError("No inference method chosen.", hint="Select at least one method.")
        inputs = {n: self.session.data[n] for n in self.data.value}
        params = {"methods": {m: self.forms[m].values() for m in self.methods.value},
                  **self.common.values()}
        return inputs, params


class InferenceView(NetworksView):
    """The networks of an inference result; the other condition, inferred with the
    same method, is shown beside the first."""

    def __init__(self, result: dict, stem: str = "networks", params: dict | None = None) -> None:
        names = list(result["networks"])
        methods = list((params or {}).get("methods") or {})
        super().__init__(result["networks"], stem, second=partner(names, names[0], methods))
