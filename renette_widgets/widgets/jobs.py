"""Jobs panel: this user's jobs (live and stored), with progress, cancel and "open results"."""
from __future__ import annotations

import html
import threading
import time
from datetime import datetime
from typing import Any

import ipywidgets as w

from .. import workflows
from ..api import load_job
from ..io.arrays import as_frame
from ..jobs.job import FINAL
from .common import ErrorBox, guarded
from .large import is_large
from .session import Session

COLOURS = {"pending": "#777", "running": "#1f77b4", "done": "#2ca02c", "failed": "#b00020",
           "cancelled": "#b8860b"}
#: Minimum seconds between two progress redraws of one row (callbacks can be many).
THROTTLE = 0.25


def _when(t: float | None) -> str:
    return datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S") if t else ""


class StoredJob:
    """A job known only from its manifest in the store (results loaded on demand)."""

    def __init__(self, manifest: dict, store: Any) -> None:
        self.manifest, self.store = manifest, store
        self.id = manifest["id"]
        self.workflow = manifest["workflow"]
        self.params = manifest.get("params", {})
        self.status = manifest.get("status", "done")
        self.error = manifest.get("error")
        self.message = manifest.get("message") or self.status
        t = manifest.get("timings", {})
        self.total = self.done = t.get("tasks") or 0
        self.elapsed = t.get("elapsed_s") or 0.0
        self.created = datetime.fromisoformat(t["created"]).timestamp() if t.get("created") else None
        self.input_names = [e["name"] for e in manifest.get("inputs", [])]

    def load(self) -> Any:
        """The full job, results included, from the store."""
        return load_job(self.id, self.store)


class JobRow(w.HBox):
    """One job: status, what, when, progress bar and message, elapsed, cancel, open."""

    def __init__(self, job: Any, session: Session, errors: ErrorBox) -> None:
        self.job, self.session = job, session
        self.status = w.HTML(layout=w.Layout(width="90px"))
        names = getattr(job, "input_names", None) or list(getattr(job, "matrices", {}) or {})
        what = ", ".join(names)
        self.what = w.HTML(f"<b>{html.escape(job.workflow)}</b> <span style='color:#555'>"
                           f"{html.escape(what[:60])}</span><br><code style='font-size:10px'>{job.id}</code>",
                           layout=w.Layout(width="300px"))
        self.when = w.HTML(_when(job.created), layout=w.Layout(width="150px"))
        self.bar = w.FloatProgress(min=0, max=1, layout=w.Layout(width="160px"))
        self.message = w.HTML(layout=w.Layout(width="330px"))
        self.elapsed = w.HTML(layout=w.Layout(width="70px"))
        self.cancel_button = w.Button(description="cancel", icon="stop", layout=w.Layout(width="90px"))
        self.open_button = w.Button(description="open results", icon="folder-open", layout=w.Layout(width="130px"))
        self.cancel_button.on_click(guarded(errors)(lambda _b: self.job.cancel()))
        self.open_button.on_click(guarded(errors)(self._open))
        self._last = 0.0
        self._shown_status = None
        self.update()
        super().__init__([self.status, self.what, self.when, self.bar, self.message, self.elapsed,
                          self.cancel_button, self.open_button], layout=w.Layout(align_items="center",
                                                                   border_bottom="1px solid #eee"))

    def update(self, *_args) -> None:
        """Redraw from the job's state (throttled unless the status changed)."""
        job, now = self.job, time.monotonic()
        if job.status == self._shown_status and now - self._last < THROTTLE:
            return
        self._last, self._shown_status = now, job.status
        colour = COLOURS.get(job.status, "#000")
        self.status.value = f"<b style='color:{colour}' class='renette-status'>{job.status}</b>"
        self.bar.value = 1.0 if job.status == "done" else (job.done / job.total if job.total else 0.0)
        self.bar.bar_style = {"done": "success", "failed": "danger", "cancelled": "warning"}.get(job.status, "info")
        text = job.error if job.status in ("failed", "cancelled") and job.error else job.message
        style = "color:#b00020" if job.status == "failed" else ""
        self.message.value = f"<span style='{style}'>{html.escape(str(text or ''))}</span>"
        self.elapsed.value = f"{job.elapsed:.1f} s"
        self.cancel_button.disabled = job.status in FINAL or isinstance(job, StoredJob)
        self.open_button.disabled = job.status != "done"

    def _open(self, _b=None) -> None:
        job = self.job.load() if isinstance(self.job, StoredJob) else self.job
        self.session.open(job)


class JobsPanel(w.VBox):
    """All jobs of this store, newest first; live ones update as they run.

    A job submitted from this page opens its results by itself when it is done;
    an inference job's networks also become inputs of the other panels.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors = ErrorBox()
        self.rows: dict[str, JobRow] = {}
        self.list = w.VBox()
        self.refresh_button = w.Button(description="refresh list", icon="refresh")
        self.refresh_button.on_click(guarded(self.errors)(lambda _b: self.refresh()))
        self.auto_open = w.Checkbox(value=True, description="open results when a job finishes", indent=False)
        self._ticker: threading.Thread | None = None
        session.on("job", self.add_job)
        session.on("finished", guarded(self.errors)(lambda job: self._ended(self.rows[job.id], job)))
        super().__init__([w.HBox([self.refresh_button, self.auto_open]), self.errors, self.list])

    def store(self) -> Any:
        """The results store (the session's, or the default one)."""
        return self.session.get_store()

    def refresh(self) -> None:
        """Re-read the store: stored jobs not in this page are added (a reload shows them all)."""
        manifests = self.store().list()
        for manifest in manifests:
            if manifest["id"] not in self.rows:
                self.rows[manifest["id"]] = JobRow(StoredJob(manifest, self.store()), self.session,
                                                   self.errors)
        self._redraw()

    def _redraw(self) -> None:
        ordered = sorted(self.rows.values(), key=lambda r: r.job.created or 0, reverse=True)
        self.list.children = ordered if ordered else [w.HTML("<i>No jobs yet.</i>")]

    def add_job(self, job: Any) -> None:
        """Show a job just submitted from this page and follow it."""
        row = JobRow(job, self.session, self.errors)
        self.rows[job.id] = row
        job.add_callback(lambda j: self._changed(row, j))
        self._redraw()
        self._start_ticker()
        if job.status in FINAL:  # finished before we subscribed
            self._changed(row, job)

    def _changed(self, row: JobRow, job: Any) -> None:
        row.update()
        if job.status in FINAL:
            self._ended(row, job)

    def _ended(self, row: JobRow, job: Any) -> None:
        """A job ended: redraw its row; the first time, take in what it made (once
        when it is done, before the store has written it; again once written)."""
        row._shown_status = None
        row.update()
        if job.status == "done" and not getattr(row, "_finished_seen", False):
            row._finished_seen = True
            self._job_done(job)

    def _job_done(self, job: Any) -> None:
        # the results first: the other panels' choices can wait a moment
        if self.auto_open.value:
            self.session.open(job)
        for name, net in workflows.get(job.workflow).output_networks(job.result).items():
            # A large network stays in the store (the panels read it when a job needs it:
            # api.submit reads a stored matrix): the page never holds it whole. A small
            # one is read here, for the panels that look into it.
            kept = net if is_large(net) else as_frame(net)
            self.session.add(name, kept, "adjacency", origin=f"job {job.id[:8]}")

    def _start_ticker(self) -> None:
        """Tick elapsed times of running jobs once a second (no progress event while a task runs)."""
        if self._ticker is not None and self._ticker.is_alive():
            return

        def tick() -> None:
            while any(r.job.status not in FINAL for r in self.rows.values()):
                time.sleep(1.0)
                for r in list(self.rows.values()):
                    if r.job.status not in FINAL:
                        r.update()
        self._ticker = threading.Thread(target=tick, daemon=True, name="renette-jobs-ticker")
        self._ticker.start()
