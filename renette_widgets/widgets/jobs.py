"""Jobs panel: the workspace's jobs (live and stored), with progress, cancel,
"open results" and delete.

The list follows the workspace's store by itself (a poll a second): a job
started from another page, or from the API or CLI with the workspace's key,
appears as it starts, with its progress, and turns into a finished job when it
ends; a job deleted elsewhere goes.
"""
from __future__ import annotations

import html
import threading
import time
from datetime import datetime
from typing import Any, Callable

import ipywidgets as w

from .. import workflows
from ..api import load_job
from ..errors import InputError
from ..io.arrays import as_frame
from ..jobs.job import FINAL, epoch
from .common import ErrorBox, guarded
from .large import is_large
from .loop import on_loop
from .session import Session
from .shares import SharesPanel
from .words import QUIET, params_words

COLOURS = {"pending": "#777", "running": "#1f77b4", "saving": "#2ca02c", "done": "#2ca02c", "failed": "#b00020",
           "cancelled": "#b8860b", "interrupted": "#b8860b"}
#: Seconds between two looks at the workspace's store.
POLL = 1.0
#: Seconds between two marks that the workspace is in use (jobs.retention).
TOUCH_EVERY = 60.0
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
        self.created = epoch(t.get("created"))
        self.input_names = [e["name"] for e in manifest.get("inputs", [])]

    def load(self) -> Any:
        """The full job, results included, from the store."""
        return load_job(self.id, self.store)


class LiveJob:
    """A job running in another page or process of the workspace, known from its
    live record (``live.json``); it cannot be cancelled from here."""

    def __init__(self, record: dict) -> None:
        self.update(record)
        self.id = record["id"]
        self.workflow = record["workflow"]
        self.params = record.get("params", {})
        self.input_names = [e["name"] for e in record.get("inputs", [])]
        self.created = epoch(record.get("created"))

    def update(self, record: dict) -> None:
        self.record = record
        ended = record.get("status") in FINAL  # its results are being written
        self.status = ("saving" if ended else record.get("status", "running")) \
            if record.get("alive") or ended else "interrupted"
        self.done, self.total = record.get("done", 0), record.get("total", 0)
        self.error = None if record.get("alive") else (
            "its page or process ended before it finished: run it again")
        if ended:
            self.error = None
        self.message = record.get("message", "") if record.get("alive") or ended else self.error
        started = epoch(record.get("started"))
        self.elapsed = time.time() - started if started and record.get("alive") else 0.0


def describe(job: Any) -> str:
    """What a job is, for a person: its inputs and its main parameters in words."""
    names = getattr(job, "input_names", None) or list(getattr(job, "matrices", {}) or {})
    what = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    params = params_words(getattr(job, "params", None), getattr(job, "workflow", ""), quiet=QUIET)
    return what + (f" · {params[:200]}{'…' if len(params) > 200 else ''}" if params else "")


class JobRow(w.HBox):
    """One job: status, what, when, progress bar and message, elapsed, cancel, open."""

    def __init__(self, job: Any, session: Session, errors: ErrorBox) -> None:
        self.job, self.session = job, session
        self.status = w.HTML(layout=w.Layout(width="70px", flex="0 0 auto"))
        text = describe(job)
        # one line (the whole of it on hover), the id under it
        self.what = w.HTML(f"<span class='renette-job-what' title='{html.escape(text)}'>"
                           f"<b>{html.escape(job.workflow)}</b> <span style='color:#555'>"
                           f"{html.escape(text)}</span></span>",
                           layout=w.Layout(width="100%", min_width="0"))
        self.when = w.HTML(f"{_when(job.created)}<br><code style='font-size:10px'>{job.id}</code>",
                           layout=w.Layout(width="135px", flex="0 0 auto"))
        self.bar = w.FloatProgress(min=0, max=1, layout=w.Layout(width="110px", flex="0 0 auto"))
        self.message = w.HTML(layout=w.Layout(flex="1 1 auto", min_width="0"))
        self.elapsed = w.HTML(layout=w.Layout(width="55px", flex="0 0 auto"))
        # whole labels: the buttons take the width their label needs
        fit = {"width": "auto", "flex": "0 0 auto"}
        self.cancel_button = w.Button(description="cancel", icon="stop", layout=w.Layout(**fit))
        self.open_button = w.Button(description="open results", icon="folder-open", layout=w.Layout(**fit))
        self.delete_button = w.Button(description="delete", icon="trash", layout=w.Layout(**fit),
                                      tooltip="delete this job and its results from the workspace")
        self.cancel_button.on_click(guarded(errors)(lambda _b: self.job.cancel()))
        self.open_button.on_click(guarded(errors)(self._open))
        self.delete_button.on_click(guarded(errors)(self._delete))
        self.on_delete: Callable[[JobRow], None] = lambda _row: None
        self._last = 0.0
        self._shown_status = None
        self.update()
        # what it is on one line, its progress under it; the buttons keep their whole labels
        middle = w.VBox([self.what, w.HBox([self.bar, self.message], layout=w.Layout(width="100%"))],
                        layout=w.Layout(flex="1 1 auto", min_width="0"))
        middle.add_class("renette-job-mid")
        super().__init__([self.status, middle, self.when, self.elapsed,
                          self.cancel_button, self.open_button, self.delete_button],
                         layout=w.Layout(align_items="center", border_bottom="1px solid #eee", width="100%"))
        self.add_class("renette-job-row")

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
        self.cancel_button.disabled = job.status in FINAL or isinstance(job, (StoredJob, LiveJob))
        self.open_button.disabled = job.status != "done"
        self.delete_button.disabled = job.status not in FINAL and job.status != "interrupted"

    def _delete(self, _b=None) -> None:
        """First click asks, second deletes."""
        if self.delete_button.description != "sure?":
            self.delete_button.description, self.delete_button.button_style = "sure?", "danger"
            return
        self.on_delete(self)

    def _open(self, _b=None) -> None:
        job = self.job.load() if isinstance(self.job, StoredJob) else self.job
        self.session.open(job)


class JobsPanel(w.VBox):
    """All jobs of the workspace, newest first; running ones update as they run.

    A job submitted from this page opens its results by itself when it is done;
    an inference job's networks also become inputs of the other panels. Jobs
    of the workspace started elsewhere are followed through the store.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors = ErrorBox()
        self.rows: dict[str, JobRow] = {}
        self.list = w.VBox()
        self.refresh_button = w.Button(description="refresh list", icon="refresh",
                                       tooltip="the list follows the workspace by itself; this reads it now")
        self.refresh_button.on_click(guarded(self.errors)(lambda _b: self.refresh()))
        self.auto_open = w.Checkbox(value=True, description="open results when a job finishes", indent=False)
        self._lock = threading.RLock()
        self._follower: threading.Thread | None = None
        self._touched = time.monotonic()
        #: Called after each look at the store (the header's running-jobs line).
        self.looked: list[Callable[[], None]] = []
        session.on("job", self.add_job)
        session.on("finished", guarded(self.errors)(lambda job: self._ended(self.rows[job.id], job)))
        session.on("workspace", lambda _ws: (self.refresh(), self.follow()))
        self.shares = SharesPanel(session)
        super().__init__([w.HBox([self.refresh_button, self.auto_open]), self.errors, self.list,
                          self.shares])

    def store(self) -> Any:
        """The results store (the session's, or the default one)."""
        return self.session.get_store()

    def refresh(self) -> None:
        """Read the store: jobs not shown are added (finished ones, and those running
        elsewhere), those running elsewhere updated, those deleted elsewhere dropped."""
        store = self.store()
        with self._lock:
            changed = False
            present = {d.name for d in store.jobs_dir.iterdir()} if store.jobs_dir.is_dir() else set()
            for job_id in [k for k, r in self.rows.items()
                           if isinstance(r.job, (StoredJob, LiveJob)) and k not in present]:
                del self.rows[job_id]
                changed = True
            # a look a second: only folders not yet shown as ended are read again
            for job_id in present:
                row = self.rows.get(job_id)
                if row is not None and not isinstance(row.job, LiveJob):
                    continue  # ended (stored), or this page's own job
                record = store.live_record(job_id)
                if record is None:
                    try:
                        manifest = store.manifest(job_id)
                    except (InputError, ValueError):
                        continue  # starting (no record yet), or not a job folder
                    self.rows[job_id] = self._row(StoredJob(manifest, store))
                    changed = True
                elif row is None:
                    self.rows[job_id] = self._row(LiveJob(record))
                    changed = True
                else:
                    row.job.update(record)
                    row.update()
            if changed or not self.list.children:
                self._redraw()

    def _row(self, job: Any) -> JobRow:
        row = JobRow(job, self.session, self.errors)
        row.on_delete = self.delete
        return row

    def delete(self, row: JobRow) -> None:
        """Delete a job from the store, its row, and the inputs that were its networks."""
        self.store().delete(row.job.id)
        with self._lock:
            self.rows.pop(row.job.id, None)
            self._redraw()
        for name, origin in list(self.session.origin.items()):
            if origin == f"job {row.job.id}":
                self.session.remove(name)

    def _redraw(self) -> None:
        ordered = sorted(self.rows.values(), key=lambda r: r.job.created or 0, reverse=True)
        self.list.children = ordered if ordered else [w.HTML("<i>No jobs yet.</i>")]

    def add_job(self, job: Any) -> None:
        """Show a job just submitted from this page and follow it."""
        with self._lock:
            row = self._row(job)
            self.rows[job.id] = row
            job.add_callback(lambda j: self._changed(row, j))
            self._redraw()
        self.follow()
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
            self.session.add(name, kept, "adjacency", origin=f"job {job.id}", network=name)

    def follow(self) -> None:
        """Look at the store every :data:`POLL` s (other pages' jobs), and tick the
        elapsed time of this page's running jobs (no event while a task runs).

        The looks are taken on the kernel's thread (:mod:`.loop`), one at a time: a
        kernel busy for a while does not find a queue of them afterwards."""
        if self._follower is not None and self._follower.is_alive():
            return
        queued = threading.Event()

        def look() -> None:
            try:
                self._look()
            finally:
                queued.clear()
        post = on_loop(look)

        def run() -> None:
            while True:
                time.sleep(POLL)
                if not queued.is_set():
                    queued.set()
                    post()
                if self.session.workspace is None and all(r.job.status in FINAL for r in self.rows.values()):
                    return
        self._follower = threading.Thread(target=run, daemon=True, name="renette-jobs-follow")
        self._follower.start()

    def _look(self) -> None:
        """One look: mark the workspace in use (now and then), tick the elapsed time
        of running jobs, read the store."""
        if self.session.workspace is not None and time.monotonic() - self._touched > TOUCH_EVERY:
            self._touched = time.monotonic()
            self.session.workspace.touch()  # in use: retention counts from here
        for r in list(self.rows.values()):
            if r.job.status not in FINAL and not isinstance(r.job, LiveJob):
                r.update()
        if self.session.workspace is not None:
            try:
                self.refresh()
                for fn in self.looked:
                    fn()
            except Exception as exc:  # noqa: BLE001 - shown; the next look may do
                self.errors.show(exc)

    def ended_ids(self) -> set[str]:
        """Jobs this page knows have ended (their live record may still say running
        while the store writes them)."""
        return ({j.id for j in self.session.jobs if j.status in FINAL}
                | {k for k, r in self.rows.items() if r.job.status in FINAL or r.job.status == "saving"})
