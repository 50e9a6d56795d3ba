"""Distance panel: H / IM / HIM between networks (uploaded or inferred here), or between
two multiplex networks (its multiplex mode); and the distance workflow's results view."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from .. import figures, workflows
from ..io.params import defaults
from .common import LazyTabs, PlotBox, SortableTable, download_link, frame_html
from .multiplex import MultiplexMode
from .networks import NetworksView
from .results import FigureDownloads
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


def pair_table(result: dict) -> pd.DataFrame:
    """All pairs of a distance result as rows: network 1, network 2, and each component."""
    comps = [c for c in ("H", "IM", "HIM") if isinstance(result.get(c), pd.DataFrame)]
    extra = [c for c in ("shared_nodes",) if isinstance(result.get(c), pd.DataFrame)]
    names = list(result[comps[0]].index)
    rows = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            rows.append([names[i], names[j]] + [float(result[c].iat[i, j]) for c in comps + extra])
    return pd.DataFrame(rows, columns=["network 1", "network 2"] + comps
                        + ["shared nodes" for _ in extra])


DISTANCE_GUIDE = (
    "<div class='renette-guide' style='color:#444;font-size:12px;max-width:1100px;line-height:1.4'>"
    "<b>Reading distances</b>: 0 = identical networks, 1 = as far apart as the empty and the "
    "complete network. <b>H</b> (Hamming) counts the edge weights that differ, <b>IM</b> "
    "(Ipsen-Mikhailov) compares the networks' spectra (their overall structure), <b>HIM</b> "
    "combines both. Networks close on the MDS map are close in distance.</div>")


class DistanceView(w.VBox):
    """Heatmap (component, clustered order), MDS map, H-vs-IM scatter, tables and,
    given the networks, their view side by side."""

    def __init__(self, result: dict, stem: str = "distance", params: dict | None = None,
                 inputs: dict | None = None) -> None:
        params = params or defaults(workflows.get("distance").params)
        self.result, self.rho = result, float(params["rho"])
        self.components = [c for c in ("HIM", "IM", "H") if isinstance(result.get(c), pd.DataFrame)]
        self.component = w.ToggleButtons(options=self.components, description="distance")
        self.clustered = w.Checkbox(value=False, description="clustered order", indent=False)
        self.heatmap = PlotBox()
        self.matrix = w.HTML()
        self.mds = PlotBox()
        self.component.observe(self._redraw, "value")
        self.clustered.observe(self._redraw, "value")
        gamma = result.get("gamma")
        align = params.get("align", "names")
        shared = result.get("shared_nodes")
        if isinstance(shared, pd.DataFrame):  # each pair on the nodes both have
            counts = shared.to_numpy()[np.triu_indices(len(shared), 1)]
            said = (f"γ = {gamma:.6g}" if isinstance(gamma, (int, float))
                    else "γ: each pair's own optimal value")
            info = w.HTML(f"<span style='color:#555' class='renette-align'>{said}; nodes matched: shared, "
                          f"pair by pair ({counts.min():.0f}-{counts.max():.0f} nodes a pair; "
                          "see the Pairs table)</span>")
        else:
            info = w.HTML(f"<span style='color:#555' class='renette-align'>γ = {gamma:.6g}; nodes "
                          f"matched: {html.escape(str(align))}</span>"
                          if isinstance(gamma, (int, float)) else "")
        pages = [("Heatmap", lambda: w.VBox([w.HBox([self.component, self.clustered]),
                                              self.heatmap, self.matrix])),
                 ("MDS map", lambda: self.mds)]
        self.figs: dict[str, Any] = {"heatmap": self.heatmap, "mds": self.mds}
        if "H" in self.components and "IM" in self.components:
            self.scatter = PlotBox()
            self.figs["h_vs_im"] = self.scatter
            pages.append(("H vs IM", self._scatter))
        pages.append(("Pairs table", lambda: SortableTable(pair_table(result), f"{stem}_pairs.csv")))
        if inputs and len(inputs) > 1:
            names = list(inputs)
            pages.append(("Networks", lambda: NetworksView(inputs, f"{stem}_networks",
                                                           second=names[1])))
        self._redraw()
        links = "".join(download_link(f"{stem}_{c}.csv", result[c].to_csv()) for c in self.components)
        self.tabs = LazyTabs(pages)
        self.links = w.HTML("<b>Downloads</b> " + links)
        self.figure_downloads = FigureDownloads(self.figs, stem)
        super().__init__([info, w.HTML(DISTANCE_GUIDE), self.tabs, self.links, self.figure_downloads])

    def _scatter(self) -> PlotBox:
        self.scatter.show(figures.him_scatter(self.result["H"], self.result["IM"], self.rho))
        return self.scatter

    def _redraw(self, _change: dict | None = None) -> None:
        c = self.component.value
        d = self.result[c]
        self.heatmap.show(figures.distance_heatmap(d, f"{c} distance", clustered=self.clustered.value))
        self.mds.show(figures.mds_map(d, f"MDS map of the networks ({c})"))
        self.matrix.value = (f"<div class='renette-matrix' data-component='{c}'>"
                             + frame_html(d, max_rows=30, digits=10) + "</div>")
