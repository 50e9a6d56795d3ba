"""What the dashboard holds between panels: loaded matrices and this user's jobs.

Plain Python (no ipywidgets), so it can be tested and reused without a page.
Panels read and change it, and subscribe to its events:

- ``"inputs"``: the set of data matrices / networks changed,
- ``"job"``: a job was submitted (argument: the job),
- ``"finished"``: a job of this page is done and its result ready, just
  before the store writes it (argument: the job); the job's own callbacks
  say when it is written (``job.folder``, final ``message``),
- ``"open"``: results should be shown (argument: a job or a stored job),
- ``"workspace"``: the session was bound to its workspace (:meth:`Session.bind`).

Bound to a workspace, the session keeps what is loaded in it (uploads as files,
networks of its jobs as references), so a reload or a new kernel finds them.
"""
from __future__ import annotations

import os
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .. import config, workflows
from ..api import load_result, submit
from ..errors import InputError
from ..io.arrays import as_frame
from ..io.names import unique_name
from ..jobs.cluster import get_client
from ..jobs.job import FINAL
from ..jobs.store import Store
from ..jobs.workspace import Workspace
from .loop import on_loop


class Session:
    """Loaded inputs (by name and kind) and the jobs submitted from this page.

    Parameters
    ----------
    client : distributed.Client, optional
        The dask client; by default ``cluster.get_client()`` at first use.
    store : optional
        The results store; by default the API's default store.
    """

    def __init__(self, client: Any = None, store: Any = None,
                 workspace: Workspace | None = None) -> None:
        self.data: dict[str, pd.DataFrame] = {}
        # DataFrames, or the StoredMatrix of a large network a job inferred: it stays
        # in the store (api.submit reads it when a job runs)
        self.networks: dict[str, Any] = {}
        self.origin: dict[str, str] = {}  # name -> "upload" | "example" | job id
        self.jobs: list[Any] = []
        self.client = client
        self.store = store
        self.workspace: Workspace | None = None
        #: Refuse jobs until bound to a workspace (a page whose visitor is not known yet).
        self.require_workspace = False
        self._listeners: dict[str, list[Callable]] = defaultdict(list)
        # Events come from the page's callbacks and from jobs' threads: one at a time.
        self._emitting = threading.RLock()
        # this process is a page's kernel: large networks are read here a slice at a time
        config.return_large_buffers()
        if workspace is not None:
            self.bind(workspace)

    def bind(self, workspace: Workspace) -> None:
        """Use ``workspace``: its store for jobs, its kept inputs loaded (data
        matrices read, networks left in the store)."""
        self.workspace, self.store = workspace, workspace.store
        workspace.touch()
        for entry, m in workspace.load_inputs(self._networks_of):
            frame = as_frame(m) if entry["kind"] == "data" else m
            if entry.get("notes"):
                frame.attrs["notes"] = list(entry["notes"])
            name = entry["name"]
            (self.data if entry["kind"] == "data" else self.networks)[name] = frame
            self.origin[name] = entry["origin"]
        self.emit("workspace", workspace)
        self.emit("inputs")

    def _networks_of(self, job_id: str) -> dict:
        manifest = self.store.manifest(job_id)
        return workflows.get(manifest["workflow"]).output_networks(load_result(manifest, self.store))

    # -------------------------------------------------------------- events
    def on(self, event: str, fn: Callable) -> None:
        """Call ``fn(*args)`` whenever ``event`` is emitted."""
        self._listeners[event].append(fn)

    def emit(self, event: str, *args: Any) -> None:
        """Tell every subscriber of ``event`` (one failing does not stop the
        others; the first error is raised once all were told)."""
        error = None
        with self._emitting:
            for fn in list(self._listeners[event]):
                try:
                    fn(*args)
                except Exception as exc:  # noqa: BLE001 - raised below, after the others
                    error = error or exc
        if error is not None:
            raise error

    # -------------------------------------------------------------- inputs
    def add(self, name: str, frame: Any, kind: str, origin: str = "upload",
            network: str | None = None) -> str:
        """Add a data matrix (``kind="data"``) or network (``"adjacency"``: a DataFrame,
        or a stored matrix read lazily); returns its name.

        A name already used by another matrix gets a numeric suffix. In a workspace
        the input is kept there first (a matrix over its quota is refused, with
        InputError); ``network`` names a network in the result of the job
        ``origin`` ("job <id>") names, kept as a reference to it.
        """
        unique = unique_name(name, lambda n: (n in self.data or n in self.networks)
                             and self.origin.get(n) != origin)
        if self.workspace is not None:
            self.workspace.save_input(unique, frame, kind, origin, network,
                                      notes=getattr(frame, "attrs", {}).get("notes"))
        self.remove(unique, notify=False, keep=True)
        (self.data if kind == "data" else self.networks)[unique] = frame
        self.origin[unique] = origin
        self.emit("inputs")
        return unique

    def remove(self, name: str, notify: bool = True, keep: bool = False) -> None:
        """Forget a matrix (and, unless ``keep``, its copy in the workspace)."""
        if self.workspace is not None and not keep:
            self.workspace.remove_input(name)
        self.data.pop(name, None)
        self.networks.pop(name, None)
        self.origin.pop(name, None)
        if notify:
            self.emit("inputs")

    # -------------------------------------------------------------- jobs
    def get_client(self) -> Any:
        """The dask client (connected on first use)."""
        if self.client is None:
            self.client = get_client()
        return self.client

    def connect_in_background(self, done: Callable[[Exception | None], None]) -> None:
        """Connect to the scheduler without blocking the page; ``done(error_or_None)``
        (on the kernel's thread: :mod:`.loop`)."""
        done = on_loop(done)

        def run() -> None:
            try:
                self.get_client()
            except Exception as exc:  # noqa: BLE001 - reported in the page
                done(exc)
                return
            done(None)
        threading.Thread(target=run, daemon=True, name="renette-connect").start()

    def get_store(self) -> Any:
        """The results store (the default one, under ``RENETTE_HOME``, unless given)."""
        if self.store is None:
            self.store = Store()
        return self.store

    def submit(self, workflow: str, inputs: dict[str, pd.DataFrame], params: dict) -> Any:
        """Submit a job (see ``api.submit``), remember it and announce it.

        Inputs and parameters are validated here, at once (InputError); the
        job connects to the cluster in its own thread, so a slow or missing
        scheduler never freezes the page. A job that is done is announced
        (``"finished"``) before its result is written to the store, so the
        page shows it without waiting for the files.
        """
        if self.workspace is not None:
            self.workspace.check_submit()
        elif self.require_workspace:
            raise InputError("your workspace is still opening", hint="Try again in a moment.")
        store = _AnnounceFirst(self.get_store(), lambda job: self.emit("finished", job))
        job = submit(workflow, inputs, params, client=self.client, store=store)
        self.jobs.append(job)
        _BUSY.started(job)
        self.emit("job", job)
        return job

    def open(self, job: Any) -> None:
        """Ask the results panel to show ``job``."""
        self.emit("open", job)


class _KernelBusy:
    """While jobs of this kernel run, ``RENETTE_HOME/busy/<kernel id>`` exists: the
    server then puts off shutting the kernel down when its page closes (the job
    would die with it) until they have ended. Only in a Voila kernel."""

    def __init__(self) -> None:
        self.running: set[str] = set()
        self.lock = threading.Lock()

    def path(self) -> Path | None:
        kernel = os.environ.get("VOILA_KERNEL_ID", "")
        return config.local_home() / "busy" / kernel if kernel.replace("-", "").isalnum() else None

    def started(self, job: Any) -> None:
        path = self.path()
        if path is None or job.status in FINAL:
            return
        with self.lock:
            self.running.add(job.id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(sorted(self.running)))
        job.add_callback(self._changed)

    def _changed(self, job: Any) -> None:
        if job.status not in FINAL:
            return
        with self.lock:
            self.running.discard(job.id)
            path = self.path()
            if path is not None and not self.running:
                path.unlink(missing_ok=True)


_BUSY = _KernelBusy()


class _AnnounceFirst:
    """A store that announces a job that is done before writing it.

    A job hands itself to its store's ``write`` when it ends and tells its
    watchers after that; writing a large job takes seconds its result need
    not wait. Everything else is the wrapped store's.
    """

    def __init__(self, store: Any, announce: Callable[[Any], None]) -> None:
        self._store, self._announce = store, announce

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def write(self, job: Any) -> Any:
        if job.status == "done":
            try:
                self._announce(job)
            except Exception:  # noqa: BLE001, S110 - its panels show their errors; the job is still saved
                pass
        return self._store.write(job)
