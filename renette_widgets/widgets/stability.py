"""Stability panel: netSI indicators of a network inferred from resampled data; and the
stability workflow's results view."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from ..errors import InputError
from .. import figures, workflows
from ..io.params import method_specs
from .common import LazyDownloads, LazyTabs, PlotBox, SortableTable
from .form import OnDemand, ParamForm
from .networks import NetworksView
from .results import FigureDownloads
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

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        if not self.data.value:
            raise InputError("No data matrix chosen.",
                             hint="Load data in the Inputs tab, then select it here.")
        params = self.form.values()
        params["method_params"] = self.method_forms[params["method"]].values()
        return {self.data.value: self.session.data[self.data.value]}, params


STABILITY_GUIDE = (
    "<div class='renette-guide' style='font-size:12px;color:#333;max-width:1100px;line-height:1.4;"
    "border-left:3px solid #1f77b4;padding-left:8px;margin:4px 0'>"
    "<b>Reading stability</b> (netSI): each indicator is a distance between networks, "
    "<b>lower is more stable</b> (0 = the same network every time). <b>S</b>: the network "
    "inferred on all samples vs those inferred on each resample; <b>SI</b>: the resamples' "
    "networks vs each other; <b>Sw</b>: per edge, (max - min) / mean of its weight over the "
    "resamples; <b>Sd</b>: the same for each node's strength (degree). Compare S and SI of "
    "two conditions, or of two inference methods, run with the same resampling (k, h, seed) "
    "and distance: the lower value is the more reproducible network. A value is a mean over "
    "the resamples: their spread is in the boxes below.</div>")


class StabilityView(w.VBox):
    """S and SI, their distributions, hub strengths, Sw and Sd tables, the network on all rows."""

    def __init__(self, result: Any, stem: str = "stability", params: dict | None = None) -> None:
        r = result
        fmt = (lambda v: "NA" if v is None else f"{v:.3g}")
        head = w.HTML(f"<div class='renette-stability' style='font-size:15px'>Distance "
                      f"<b>{html.escape(r.metric)}</b>, {len(r.indices)} resamples: &nbsp; "
                      f"<b>S = {fmt(r.S)}</b> (network on all samples vs each resample) &nbsp; "
                      f"<b>SI = {fmt(r.SI)}</b> (between resamples). Lower is more stable.</div>")
        pages, self.figs, files = [], {}, {}
        if r.S_boot is not None and r.SI_boot is not None:
            self.figs["s_si"] = PlotBox()
            pages.append(("S and SI", lambda: self._show("s_si", figures.stability_boxes(
                r.S_boot["S"], r.SI_boot["SI"], r.S, r.SI, r.metric))))
        if r.Sd_boot is not None:
            self.figs["hubs"] = PlotBox()
            pages.append(("Hub strengths", lambda: self._show("hubs", figures.hub_strength_boxes(r.Sd_boot))))
        for name in ("Sw", "Sd"):
            table = getattr(r, name)
            if table is not None:
                self.figs[name] = PlotBox()
                pages.append((f"{name} table", lambda t=table, n=name: w.VBox([
                    SortableTable(t, f"{stem}_{n}.csv"),
                    self._show(n, figures.stability_histogram(t[n], n))])))
                files[f"{stem}_{name}.csv"] = lambda t=table: t.to_csv(index=False)
        for name in ("S_boot", "SI_boot", "Sd_boot"):
            table = getattr(r, name)
            if table is not None:
                files[f"{stem}_{name}.csv"] = lambda t=table, n=name: t.to_csv(index=n == "Sd_boot")
        pages.append(("Network", lambda: NetworksView({"all samples": r.ADJ}, f"{stem}_network")))
        self.tabs = LazyTabs(pages)
        super().__init__([head, w.HTML(STABILITY_GUIDE), self.tabs, LazyDownloads(files),
                          FigureDownloads(self.figs, stem)])

    def _show(self, key: str, fig: go.Figure) -> PlotBox:
        self.figs[key].show(fig)
        return self.figs[key]
