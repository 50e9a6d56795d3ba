"""Results panel: interactive figures, sortable tables and downloads of one job."""
from __future__ import annotations

import html
import importlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import figures, workflows
from ..io.params import defaults
from .common import ErrorBox, SortableTable, download_link, frame_html, guarded
from .session import Session


def _fw(fig: go.Figure) -> go.FigureWidget:
    return go.FigureWidget(fig)


def _tabs(pages: list[tuple[str, w.Widget]]) -> w.Tab:
    tab = w.Tab(children=[p for _, p in pages])
    for i, (title, _) in enumerate(pages):
        tab.set_title(i, title)
    return tab


def pair_table(result: dict) -> pd.DataFrame:
    """All pairs of a distance result as rows: network 1, network 2, and each component."""
    comps = [c for c in ("H", "IM", "HIM") if isinstance(result.get(c), pd.DataFrame)]
    names = list(result[comps[0]].index)
    rows = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            rows.append([names[i], names[j]] + [float(result[c].iat[i, j]) for c in comps])
    return pd.DataFrame(rows, columns=["network 1", "network 2"] + comps)


def edge_table(a: pd.DataFrame) -> pd.DataFrame:
    """Edges of a network (upper triangle, weight != 0), strongest first."""
    m = a.to_numpy(dtype=float)
    i, j = np.triu_indices(len(m), 1)
    keep = m[i, j] != 0
    df = pd.DataFrame({"node 1": a.index[i[keep]].astype(str), "node 2": a.columns[j[keep]].astype(str),
                       "weight": m[i, j][keep]})
    return df.sort_values("weight", ascending=False, kind="stable").reset_index(drop=True)


class FigureDownloads(w.VBox):
    """A button that turns the given figures into standalone HTML download links."""

    def __init__(self, figs: dict[str, go.Figure], stem: str) -> None:
        self.figs, self.stem = figs, stem
        self.button = w.Button(description="prepare figure downloads (HTML)", icon="download")
        self.button.layout.width = "auto"
        self.links = w.HTML()
        self.button.on_click(self._make)
        super().__init__([w.HBox([self.button]), self.links])

    def _make(self, _b=None) -> None:
        self.links.value = "".join(
            download_link(f"{self.stem}_{name}.html", go.Figure(fig).to_html(include_plotlyjs="cdn"),
                          "text/html") for name, fig in self.figs.items())


# ---------------------------------------------------------------- per workflow
# Every view is built as View(result, stem=..., params=...): what a workflow's
# ``view`` pointer names (see renette_widgets.workflows.base.Workflow).
class DistanceView(w.VBox):
    """Heatmap (component, clustered order), MDS map, H-vs-IM scatter and tables of a distance result."""

    def __init__(self, result: dict, stem: str = "distance", params: dict | None = None) -> None:
        params = params or defaults(workflows.get("distance").params)
        rho = float(params["rho"])
        self.result = result
        self.components = [c for c in ("HIM", "IM", "H") if isinstance(result.get(c), pd.DataFrame)]
        self.component = w.ToggleButtons(options=self.components, description="distance")
        self.clustered = w.Checkbox(value=False, description="clustered order", indent=False)
        self.heatmap = _fw(figures.distance_heatmap(result[self.components[0]], self._title()))
        self.mds = _fw(figures.mds_map(result[self.components[0]]))
        self.matrix = w.HTML()
        self.component.observe(self._redraw, "value")
        self.clustered.observe(self._redraw, "value")
        gamma = result.get("gamma")
        info = w.HTML(f"γ = {gamma:.6g}" if isinstance(gamma, (int, float)) else "")
        pages = [("Heatmap", w.VBox([w.HBox([self.component, self.clustered]), self.heatmap, self.matrix])),
                 ("MDS map", self.mds)]
        figs = {"heatmap": self.heatmap, "mds": self.mds}
        if "H" in self.components and "IM" in self.components:
            self.scatter = _fw(figures.him_scatter(result["H"], result["IM"], rho))
            pages.append(("H vs IM", self.scatter))
            figs["h_vs_im"] = self.scatter
        self.pairs = SortableTable(pair_table(result), f"{stem}_pairs.csv")
        pages.append(("Pairs table", self.pairs))
        links = "".join(download_link(f"{stem}_{c}.csv", result[c].to_csv()) for c in self.components)
        self._redraw()
        super().__init__([info, _tabs(pages), w.HTML("<b>Downloads</b> " + links),
                          FigureDownloads(figs, stem)])

    def _title(self) -> str:
        return f"{self.component.value} distance"

    def _redraw(self, _change: dict | None = None) -> None:
        d = self.result[self.component.value]
        new = figures.distance_heatmap(d, self._title(), clustered=self.clustered.value)
        with self.heatmap.batch_update():
            self.heatmap.data[0].update(new.data[0].to_plotly_json())
            self.heatmap.layout.title = new.layout.title
        mds = figures.mds_map(d, f"MDS map of the networks ({self.component.value})")
        with self.mds.batch_update():
            self.mds.data[0].update(mds.data[0].to_plotly_json())
            self.mds.layout.title = mds.layout.title
        self.matrix.value = (f"<div class='renette-matrix' data-component='{self.component.value}'>"
                             + frame_html(d, max_rows=30, digits=10) + "</div>")


class NetworksView(w.VBox):
    """Network view (one or two side by side, threshold slider), adjacency heatmap, distributions, edges."""

    def __init__(self, networks: dict[str, pd.DataFrame], stem: str = "networks") -> None:
        self.networks = networks
        names = list(networks)
        self.first = w.Dropdown(options=names, value=names[0], description="network")
        self.second = w.Dropdown(options=["(none)"] + names, value=names[1] if len(names) > 1 else "(none)",
                                 description="beside it")
        self.threshold = w.FloatSlider(min=0.0, max=1.0, step=0.005, readout_format=".3f",
                                       description="weight >", continuous_update=False,
                                       layout=w.Layout(width="420px"))
        self.view = _fw(go.Figure())
        self.adjacency = _fw(go.Figure())
        self.degrees = _fw(go.Figure())
        self.weights = _fw(go.Figure())
        self.edges = w.VBox()
        self.first.observe(self._network_changed, "value")
        self.second.observe(self._draw_view, "value")
        self.threshold.observe(self._draw_view, "value")
        self._network_changed()
        links = "".join(download_link(f"{n}.csv", f.to_csv()) for n, f in networks.items())
        pages = [("Network view", w.VBox([w.HBox([self.first, self.second]), self.threshold, self.view])),
                 ("Adjacency", self.adjacency),
                 ("Distributions", w.VBox([self.degrees, self.weights])),
                 ("Edges table", self.edges)]
        super().__init__([_tabs(pages), w.HTML("<b>Downloads</b> " + links),
                          FigureDownloads({"network": self.view, "adjacency": self.adjacency,
                                           "strength": self.degrees, "weights": self.weights}, stem)])

    def _network_changed(self, _change: dict | None = None) -> None:
        a = self.networks[self.first.value]
        top = float(np.abs(a.to_numpy()).max()) or 1.0
        self.threshold.max = max(top, 1e-9)
        self.threshold.step = self.threshold.max / 200
        self.threshold.value = min(figures.default_threshold(a), self.threshold.max)
        self._replace(self.adjacency, figures.adjacency_heatmap(a, f"Adjacency matrix: {self.first.value}"))
        self.edges.children = [SortableTable(edge_table(a), f"{self.first.value}_edges.csv")]
        self._draw_view()

    def _draw_view(self, _change: dict | None = None) -> None:
        shown = {self.first.value: self.networks[self.first.value]}
        if self.second.value not in ("(none)", self.first.value):
            shown[self.second.value] = self.networks[self.second.value]
        self._replace(self.view, figures.network_pair(shown, self.threshold.value))
        # Distributions compare the networks shown side by side.
        self._replace(self.degrees, figures.degree_histogram(shown))
        self._replace(self.weights, figures.weight_histogram(shown))

    @staticmethod
    def _replace(target: go.FigureWidget, fig: go.Figure) -> None:
        with target.batch_update():
            target.data = []
            target.add_traces(list(fig.data))
            target.layout = fig.layout


class InferenceView(NetworksView):
    """The networks of an inference result."""

    def __init__(self, result: dict, stem: str = "networks", params: dict | None = None) -> None:
        super().__init__(result["networks"], stem)


class StabilityView(w.VBox):
    """S and SI, their distributions, hub strengths, Sw and Sd tables, the network on all rows."""

    def __init__(self, result: Any, stem: str = "stability", params: dict | None = None) -> None:
        r = result
        fmt = (lambda v: "NA" if v is None else f"{v:.6g}")
        head = w.HTML(f"<div class='renette-stability' style='font-size:15px'>Distance <b>{html.escape(r.metric)}</b>, "
                      f"{len(r.indices)} resamples: &nbsp; <b>S = {fmt(r.S)}</b> (network on all samples vs each "
                      f"resample) &nbsp; <b>SI = {fmt(r.SI)}</b> (between resamples). Lower is more stable.</div>")
        pages, figs, links = [], {}, []
        if r.S_boot is not None and r.SI_boot is not None:
            figs["s_si"] = _fw(figures.stability_boxes(r.S_boot["S"], r.SI_boot["SI"], r.S, r.SI, r.metric))
            pages.append(("S and SI", figs["s_si"]))
        if r.Sd_boot is not None:
            figs["hubs"] = _fw(figures.hub_strength_boxes(r.Sd_boot))
            pages.append(("Hub strengths", figs["hubs"]))
        for name in ("Sw", "Sd"):
            table = getattr(r, name)
            if table is not None:
                figs[name] = _fw(figures.stability_histogram(table[name], name))
                pages.append((f"{name} table", w.VBox([SortableTable(table, f"{stem}_{name}.csv"), figs[name]])))
                links.append(download_link(f"{stem}_{name}.csv", table.to_csv(index=False)))
        for name in ("S_boot", "SI_boot", "Sd_boot"):
            table = getattr(r, name)
            if table is not None:
                links.append(download_link(f"{stem}_{name}.csv", table.to_csv(index=name == "Sd_boot")))
        pages.append(("Network", NetworksView({"all samples": r.ADJ}, f"{stem}_network")))
        super().__init__([head, _tabs(pages), w.HTML("<b>Downloads</b> " + "".join(links)),
                          FigureDownloads(figs, stem)])


class StatisticsView(w.VBox):
    """Network and node statistics of each network, with a histogram of any node statistic."""

    def __init__(self, result: dict, stem: str = "statistics", params: dict | None = None) -> None:
        self.result = result
        self.network = w.Dropdown(options=list(result), description="network")
        self.column = w.Dropdown(description="histogram of", style={"description_width": "100px"})
        self.summary = w.HTML()
        self.nodes = w.VBox()
        self.hist = _fw(go.Figure())
        self.network.observe(self._draw, "value")
        self.column.observe(self._draw_hist, "value")
        links = "".join(download_link(f"{stem}_{n}_{part}.csv", t[part].to_csv(index=False))
                        for n, t in result.items() for part in ("nodes", "network"))
        self._draw()
        super().__init__([self.network, w.HTML("<b>Network statistics</b>"), self.summary,
                          w.HTML("<b>Node statistics</b>"), self.nodes,
                          self.column, self.hist, w.HTML("<b>Downloads</b> " + links)])

    def _draw(self, _change: dict | None = None) -> None:
        tables = self.result[self.network.value]
        self.summary.value = frame_html(tables["network"], max_rows=50)
        nodes = tables["nodes"]
        self.nodes.children = [SortableTable(nodes, f"{self.network.value}_nodes.csv")]
        numeric = [str(c) for c in nodes.columns
                   if pd.api.types.is_numeric_dtype(nodes[c]) and str(c) != "node"]
        self.column.options = numeric
        # ipywidgets keeps value None after new options: choose one (strength if there is one).
        self.column.value = "strength" if "strength" in numeric else (numeric[0] if numeric else None)
        self._draw_hist()

    def _draw_hist(self, _change: dict | None = None) -> None:
        col = self.column.value
        if col is None:
            return
        fig = figures.value_histogram(self.result[self.network.value]["nodes"][col],
                                      f"{col} of the nodes of {self.network.value}", str(col))
        NetworksView._replace(self.hist, fig)


def folder_zip(folder: str | Path) -> bytes:
    """A zip (in memory) of a job folder, manifest included."""
    folder = Path(folder)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, f"{folder.name}/{path.relative_to(folder)}")
    return buf.getvalue()


class GenericView(w.VBox):
    """Any result, for a workflow without a view of its own: its tables, else its value."""

    def __init__(self, result: Any, stem: str = "result", params: dict | None = None) -> None:
        items = result.items() if isinstance(result, dict) else [("result", result)]
        parts = []
        for name, value in items:
            parts.append(w.HTML(f"<b>{html.escape(str(name))}</b>"))
            if isinstance(value, pd.DataFrame):
                parts.append(SortableTable(value, f"{stem}_{name}.csv"))
            else:
                text = json.dumps(value, indent=1, default=str)
                parts.append(w.HTML(f"<pre class='renette-value'>{html.escape(text[:20000])}</pre>"))
        super().__init__(parts)


def view_class(workflow: str) -> type:
    """The results view of a workflow: its ``view`` pointer, else :class:`GenericView`."""
    pointer = workflows.get(workflow).view
    if not pointer:
        return GenericView
    module, _, name = pointer.partition(":")
    return getattr(importlib.import_module(module), name)


class ResultsPanel(w.VBox):
    """Shows the results of the job opened last (from the Jobs panel or when a job finishes)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors = ErrorBox()
        self.title = w.HTML("<i>No results yet: run a job, or open one in the Jobs tab.</i>")
        self.body = w.VBox()
        self.zip_button = w.Button(description="zip of the job folder (with manifest)", icon="file-archive-o",
                                   layout=w.Layout(width="auto", display="none"))
        self.zip_link = w.HTML()
        self.zip_button.on_click(guarded(self.errors)(self._zip))
        self.job: Any = None
        self.view: w.Widget | None = None
        session.on("open", guarded(self.errors)(self.show))
        super().__init__([self.title, self.errors, self.body, w.HBox([self.zip_button, self.zip_link])])

    def show(self, job: Any) -> None:
        """Show the results of a finished job (a live Job or one loaded from the store)."""
        self.zip_link.value = ""
        params = json.dumps(getattr(job, "params", {}) or {}, default=str)
        self.title.value = (f"<b>{html.escape(job.workflow)}</b> job <code>{html.escape(str(job.id))}</code>"
                            f" <span style='color:#666'>{html.escape(params)}</span>")
        result = job.result
        if result is None:
            self.body.children = []
            self.job = job
            raise ValueError(f"Job {job.id} has no results ({job.status}"
                             + (f": {job.error}" if getattr(job, "error", None) else "") + ").")
        stem = f"{job.workflow}_{str(job.id)[:8]}"
        self.view = view_class(job.workflow)(result, stem=stem, params=job.params)
        self.body.children = [self.view]
        self.job = job  # last: watchers see the job once its view is complete
        folder = getattr(job, "folder", None)
        self.zip_button.layout.display = None if folder and Path(folder).is_dir() else "none"

    def _zip(self, _b=None) -> None:
        folder = Path(self.job.folder)
        self.zip_link.value = download_link(f"renette_{folder.name}.zip", folder_zip(folder),
                                            "application/zip")
