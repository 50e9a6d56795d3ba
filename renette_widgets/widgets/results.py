"""Results panel: interactive figures, sortable tables and downloads of one job,
and what every results view shares (figure downloads, the generic view, zips).

Each workflow's view lives beside its panel (``widgets/<workflow>.py``) and is
built as ``View(result, stem=..., params=..., inputs=...)`` (what a workflow's
``view`` pointer names, see :class:`renette_widgets.workflows.base.Workflow`);
``inputs`` are the job's input matrices when they are at hand. A view builds its first page at once and
the others when they are opened, so results show as soon as a job ends.
"""
from __future__ import annotations

import html
import importlib
import inspect
import io
import json
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from .. import workflows
from ..io.arrays import as_frame
from ..io.location import files_under, location, open_file
from ..jobs.job import FINAL
from .common import (ErrorBox, LazyDownloads, PlotBox, SortableTable, figures_html, guarded)
from ..workflows.textfiles import write_tables
from .download import FileSender
from .exports import ExportsBar
from .large import is_large
from .session import Session
from .words import params_words


class FigureDownloads(LazyDownloads):
    """The view's figures as one standalone HTML page, plotly.js inside (opens offline)."""

    def __init__(self, figs: dict[str, Any], stem: str) -> None:
        self.figs = figs  # name -> PlotBox or Figure (the figure shown when asked)
        super().__init__({f"{stem}_figures.html": self._page},
                         "prepare the figures as one HTML file (opens offline)", "text/html")
        self.stem = stem

    def _page(self) -> str:
        figs = {name: box.figure if isinstance(box, PlotBox) else go.Figure(box)
                for name, box in self.figs.items()}
        return figures_html(figs, f"ReNette: {self.stem}")


def folder_zip(folder: str | Path, out: str | Path | None = None,
               extra: dict[str, Path] | None = None) -> bytes | Path:
    """A zip of a job folder, manifest included: in memory, or written to ``out``
    (a job holding a large network is hundreds of MB: not a thing to hold twice);
    ``extra``: folders added inside it by name (the CSV tables: ``{"csv": path}``)."""
    folder = location(folder)  # local, or on an object store (read a file at a time)
    buf: Any = io.BytesIO() if out is None else open(out, "wb")  # noqa: SIM115 - closed below
    try:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for rel, path in files_under(folder):
                # a matrix's chunks are raw float64: deflating them costs time, saves little
                raw = any(part.endswith(".zarr") for part in rel.split("/"))
                info = zipfile.ZipInfo(f"{folder.name}/{rel}", time.localtime()[:6])
                info.compress_type = zipfile.ZIP_STORED if raw else zipfile.ZIP_DEFLATED
                info._compresslevel = 1  # fast (ZipFile.write has it as an argument, open not)
                with open_file(path, "rb") as src, z.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 2**22)
            for name, root in (extra or {}).items():
                for path in sorted(Path(root).rglob("*")):
                    if path.is_file():
                        z.write(path, f"{folder.name}/{name}/{path.relative_to(root)}")
    finally:
        if out is not None:
            buf.close()
    return buf.getvalue() if out is None else Path(out)


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


def _saved(job: Any) -> Any:
    """The job's folder once the store has written it (its manifest is there)."""
    folder = getattr(job, "folder", None)
    if job.status in FINAL and folder and (location(folder) / "manifest.json").is_file():
        return location(folder)
    return None


class ResultsPanel(w.VBox):
    """Shows the results of the job opened last (from the Jobs panel or when a job finishes)."""

    def __init__(self, session: Session, read_only: bool = False) -> None:
        self.session = session
        self.read_only = read_only
        self.errors = ErrorBox()
        self.title = w.HTML("<i>No results yet: run a job, or open one in the Jobs tab.</i>")
        self.body = w.VBox()
        self.zip_button = w.Button(description="zip of the job folder (with manifest) and CSV tables", icon="file-archive-o",
                                   layout=w.Layout(width="auto"), disabled=True,
                                   tooltip="the job's folder: its manifest, the binary store files, "
                                   "and its tables as CSV with a README of the columns")
        self.zip_note = w.HTML()
        # the zip is sent in pieces (a job with a large network is hundreds of MB)
        self.zip_sender = FileSender()
        self.zip_button.on_click(guarded(self.errors)(self._zip))
        self.job: Any = None
        self.view: w.Widget | None = None
        session.on("open", guarded(self.errors)(self.show))
        self.use_button = w.Button(description="use its networks as inputs", icon="share-square-o",
                                   layout=w.Layout(width="auto"),
                                   tooltip="add this job's networks to the inputs of the other tabs")
        self.use_button.on_click(guarded(self.errors)(self._use))
        self.share_button = w.Button(description="share read-only link", icon="link",
                                     layout=w.Layout(width="auto"))
        self.share_button.on_click(guarded(self.errors)(self._share))
        self.share_link = w.HTML()
        self.share_link.add_class("renette-share-link")
        self.footer = w.HBox([self.zip_button, self.zip_note, self.zip_sender, self.use_button,
                              self.share_button, self.share_link],
                             layout=w.Layout(display="none", align_items="center", flex_flow="row wrap"))
        super().__init__([self.title, self.errors, self.body, self.footer])

    def show(self, job: Any) -> None:
        """Show the results of a finished job (a live Job or one loaded from the store)."""
        self.zip_sender.clear()
        params = params_words(getattr(job, "params", {}) or {}, job.workflow)
        self.title.value = (f"<b>{html.escape(job.workflow)}</b> job <code>{html.escape(str(job.id))}</code>"
                            f"<br><span style='color:#666' class='renette-params'>{html.escape(params)}</span>")
        result = job.result
        if result is None:
            self.body.children = []
            self.job = job
            self.footer.layout.display = "none"
            raise ValueError(f"Job {job.id} has no results ({job.status}"
                             + (f": {job.error}" if getattr(job, "error", None) else "") + ").")
        stem = f"{job.workflow}_{str(job.id)[:8]}"
        cls = view_class(job.workflow)
        kwargs = {"stem": stem, "params": job.params}
        if "inputs" in inspect.signature(cls).parameters:
            kwargs["inputs"] = self._inputs(job)
        self.view = cls(result, **kwargs)
        self.exports = ExportsBar(job, self.view, kwargs.get("inputs") or self._inputs_if_networks(job))
        self.body.children = [self.view, self.exports]
        self.share_link.value = ""
        self.use_button.layout.display = (
            None if workflows.get(job.workflow).output_networks(result) else "none")
        self._zip_state(job)
        self.footer.layout.display = "none" if self.read_only else None
        self.job = job  # watchers see the job once its view and footer are complete
        if _saved(job) is None and hasattr(job, "add_callback"):
            job.add_callback(self._folder_changed)

    def _inputs_if_networks(self, job: Any) -> dict | None:
        """The job's input networks (a statistics job's GraphML), read when asked."""
        return self._inputs(job) if workflows.get(job.workflow).input_kind == "adjacency" else None

    def _inputs(self, job: Any) -> dict | None:
        """The job's input networks: in memory for a job of this page, else from the store."""
        if getattr(job, "matrices", None):
            return job.matrices
        try:
            return self.session.get_store().load_inputs(job.id)
        except Exception:  # noqa: BLE001 - the view then goes without its network page
            return None

    def _folder_changed(self, job: Any) -> None:
        """The zip of a job is offered once the store has written its folder."""
        if job is self.job:
            self._zip_state(job)

    def _zip_state(self, job: Any) -> None:
        ready = _saved(job) is not None
        self.zip_button.disabled = not ready
        self.share_button.disabled = not ready or self.session.workspace is None
        self.zip_note.value = "" if ready else "<span style='color:#777'>saving the job…</span>"

    def _use(self, _b=None) -> None:
        """The opened job's networks become inputs (kept in the workspace as references)."""
        nets = workflows.get(self.job.workflow).output_networks(self.job.result)
        added = [self.session.add(name, net if is_large(net) else as_frame(net), "adjacency",
                                  origin=f"job {self.job.id}", network=name)
                 for name, net in nets.items()]
        self.share_link.value = (f"<span style='color:#2ca02c'>added to the inputs: "
                                 f"{html.escape(', '.join(added))}</span>")

    def _share(self, _b=None) -> None:
        """A link that opens this job's results read-only, for anyone who has it."""
        token = self.session.workspace.share(self.job.id)
        self.share_link.value = (
            f"<a href='?share={token}' target='_blank' class='renette-share'>read-only link to "
            f"these results</a> <span style='color:#777'>(whoever has it can see these results, "
            f"nothing else, and change nothing; copy it from the link; list or revoke it in the "
            f"Jobs tab)</span>")
        self.session.emit("shares")

    def _zip(self, _b=None) -> None:
        folder = location(self.job.folder)
        with tempfile.TemporaryDirectory(prefix="renette-zip-") as tmp:
            # beside the binary store files, the tables as CSV with a README of their columns
            tables = write_tables(workflows.get(self.job.workflow), self.job.result, Path(tmp) / "csv",
                                  f"ReNette {self.job.workflow} job {self.job.id}")
            path = folder_zip(folder, Path(tmp) / "job.zip", extra={"csv": tables[0].parent})
            self.zip_sender.send_file(f"renette_{folder.name}.zip", path, "application/zip")
