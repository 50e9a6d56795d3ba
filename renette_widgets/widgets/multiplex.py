"""The multiplex distance in the dashboard: the Distance panel's multiplex mode (two
multiplex networks, each a choice of layers) and the view of its result (each pair of
layers' distance and the multiplex one)."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from .. import workflows
from ..errors import InputError
from ..workflows.multiplex import MULTIPLEX, layered_inputs
from .common import PlotBox, SortableTable
from .form import ParamForm

GUIDE = ("<div class='renette-guide' style='color:#444;font-size:12px;max-width:1100px;"
         "line-height:1.4'><b>Multiplex distance</b> (nettools' mpnetdist): the two multiplex "
         "networks' supra-adjacencies (their layers, each node linked to its copies in the "
         "other layers) compared with H, IM and HIM; each layer is also compared with the "
         "same layer of the other network, so you can see which layer moved.</div>")


class MultiplexView(w.VBox):
    """The per-layer distances and the multiplex one: a table and a bar chart."""

    def __init__(self, result: dict, stem: str = "multiplex", params: dict | None = None) -> None:
        table: pd.DataFrame = result["distances"]
        x, y = result.get("networks", ["x", "y"])
        m = table.loc[MULTIPLEX]
        head = w.HTML(f"<div class='renette-multiplex' style='font-size:15px'><b>{html.escape(x)}"
                      f"</b> vs <b>{html.escape(y)}</b>: multiplex HIM = {m['HIM']:.6g} "
                      f"(H = {m['H']:.6g}, IM = {m['IM']:.6g}), {len(table) - 1} layers</div>")
        self.table = SortableTable(table, f"{stem}_distances.csv", index_name="comparison")
        fig = go.Figure([go.Bar(name=c, x=list(table.index), y=table[c].tolist())
                         for c in ("H", "IM", "HIM")])
        fig.update_layout(barmode="group", title="Distance per layer and multiplex",
                          yaxis_title="distance", height=380)
        self.chart = PlotBox()
        self.chart.show(fig)
        super().__init__([head, w.HTML(GUIDE), self.table, self.chart])


class MultiplexMode(w.VBox):
    """The Distance panel's multiplex mode: the layers of each of two multiplex networks
    (chosen among the loaded networks, in order) and the multiplex parameters."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.names = [w.Text(value=f"{MULTIPLEX} {k}", description=f"network {k}",
                             layout=w.Layout(width="300px")) for k in (1, 2)]
        self.layers = [w.SelectMultiple(description="its layers", rows=6,
                                        layout=w.Layout(width="420px")) for _ in (1, 2)]
        self.form = ParamForm(workflows.get("multiplex").params)
        super().__init__([
            w.HTML("<span style='color:#555'>Choose the layers of each multiplex network (layer "
                   "k of one is compared with layer k of the other, in the order listed).</span>"),
            w.HBox([w.VBox([self.names[0], self.layers[0]]),
                    w.VBox([self.names[1], self.layers[1]])]), self.form])

    def refresh_inputs(self) -> None:
        for sel in self.layers:
            keep = tuple(n for n in sel.value if n in self.session.networks)
            sel.options = list(self.session.networks)
            sel.value = keep

    def collect(self) -> tuple[dict, dict]:
        chosen = [list(sel.value) for sel in self.layers]
        names = [t.value.strip() or f"{MULTIPLEX} {k + 1}" for k, t in enumerate(self.names)]
        if not all(chosen):
            raise InputError("Choose the layers of both multiplex networks.",
                             hint="Load one network per layer in the Inputs tab, then select "
                                  "each multiplex network's layers here.")
        if names[0] == names[1] or any(":" in n for n in names):
            raise InputError("Give the two multiplex networks different names, without ':'.")
        # layers in the order of the list (SelectMultiple gives them in that order)
        layers = {n: {layer: self.session.networks[layer] for layer in c}
                  for n, c in zip(names, chosen)}
        return layered_inputs(layers), self.form.values()


__all__ = ["MultiplexView", "MultiplexMode"]
