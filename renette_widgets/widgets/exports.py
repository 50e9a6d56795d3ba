"""Downloads every results page offers, whatever its workflow: the tables as CSV
(a zip with a README of the columns), all the figures as one HTML page that opens
offline, and the networks as GraphML; and the job folder's zip with the CSV tables
beside the binary store files."""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from .. import workflows
from ..workflows.textfiles import write_graphml, write_tables
from .common import LazyDownloads, LazyTabs, PlotBox, figures_html


def view_figures(view: w.Widget) -> dict[str, go.Figure]:
    """Every figure of a results view, by title: the pages not opened yet are built."""
    found: dict[str, go.Figure] = {}

    def walk(widget: Any) -> None:
        if isinstance(widget, LazyTabs):
            for i in range(len(widget.builders)):
                widget.page(i)
        if isinstance(widget, PlotBox) and widget.figure.data:
            title = widget.figure.layout.title.text or f"figure {len(found) + 1}"
            name, k = title, 2
            while name in found:
                name, k = f"{title} ({k})", k + 1
            found[name] = widget.figure
        for child in getattr(widget, "children", ()) or ():
            walk(child)
    walk(view)
    return found


def _zip_folder(folder: Path, prefix: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, f"{prefix}{path.relative_to(folder)}")
    return buf.getvalue()


def tables_zip(job: Any) -> bytes:
    """The job's tables as CSV files with their README, zipped."""
    flow = workflows.get(job.workflow)
    with tempfile.TemporaryDirectory(prefix="renette-csv-") as tmp:
        write_tables(flow, job.result, tmp, f"ReNette {job.workflow} job {job.id}")
        return _zip_folder(Path(tmp), "csv/")


def graphml_zip(job: Any, inputs: dict | None) -> bytes:
    """The job's networks (or its input networks) as GraphML files, zipped."""
    flow = workflows.get(job.workflow)
    with tempfile.TemporaryDirectory(prefix="renette-graphml-") as tmp:
        write_graphml(flow, job.result, tmp, inputs)
        return _zip_folder(Path(tmp))


class ExportsBar(w.VBox):
    """The three downloads of a results page (each made when asked)."""

    def __init__(self, job: Any, view: w.Widget, inputs: dict | None = None) -> None:
        stem = f"{job.workflow}_{str(job.id)[:8]}"
        flow = workflows.get(job.workflow)
        self.tables = LazyDownloads({f"{stem}_tables.zip": lambda: tables_zip(job)},
                                    "tables as CSV (zip, with a README of the columns)",
                                    "application/zip")
        self.figures = LazyDownloads(
            {f"{stem}_all_figures.html": lambda: figures_html(view_figures(view), f"ReNette: {stem}")},
            "all figures as one HTML page (opens offline)", "text/html")
        has_networks = (any(k == "network" for k, _ in flow.exportables(job.result).values())
                        or flow.input_kind == "adjacency" and bool(inputs)
                        or type(flow).export is not workflows.base.Workflow.export)
        self.graphml = LazyDownloads({f"{stem}_graphml.zip": lambda: graphml_zip(job, inputs)},
                                     "networks as GraphML (zip)", "application/zip")
        self.graphml.layout.display = None if has_networks else "none"
        for d in (self.tables, self.figures, self.graphml):
            d.add_class("renette-export")
        super().__init__([w.HTML("<b>Downloads</b>"), w.HBox([self.tables, self.figures, self.graphml],
                                                             layout=w.Layout(flex_flow="row wrap"))])
        self.add_class("renette-exports")
