"""The dashboard: every panel in one root widget (what the notebook displays)."""
from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as w

from .._version import __version__
from ..api import load_job
from ..jobs.job import FINAL
from ..jobs.notebooks import notebook_workspace
from ..jobs.workspace import Identity, Workspace, last_result, open_share, remember_result, user_key
from .common import TABLE_CSS, ErrorBox
from .differential import DifferentialPanel
from .distance import DistancePanel
from .inference import InferencePanel
from .inputs import InputsPanel
from .jobs import JobsPanel
from .results import ResultsPanel
from .session import Session
from .start import StartCard
from .stability import StabilityPanel
from .statistics import StatisticsPanel
from .loop import on_loop
from .workspace import WorkspaceBar, choose, identify_request, shared_title

TITLES = ["Inputs", "Inference", "Distance", "Stability", "Statistics", "Differential", "Jobs",
          "Results"]


class App(w.VBox):
    """The Inputs tab, a tab per workflow panel, the jobs list and the results.

    Every registered workflow (``workflows.names()``) is run from a panel: inference,
    distance (and multiplex, the Distance panel's multiplex mode), stability,
    statistics and differential.

    Parameters
    ----------
    client : distributed.Client, optional
        Default: ``cluster.get_client()`` (``DASK_SCHEDULER_ADDRESS`` or an
        embedded cluster), connected in the background after the page shows.
    store : Store, optional
        Default: the store under ``RENETTE_HOME``.
    connect : bool
        Connect to the scheduler in the background right away (so the first
        job starts at once); the page is usable before that finishes.
    workspace : Workspace or str, optional
        The workspace to work in (its store replaces ``store``), e.g. the
        notebook's own in JupyterLab (:func:`build_app`).
    from_request : bool
        Find the workspace from the page's request and the browser (Voila; see
        :mod:`.workspace`): the dashboard's way. Until it is known, nothing is
        listed and no job starts.
    identity : Identity, optional
        How ``workspace`` was found (the header says it): by default "given".
    """

    def __init__(self, client: Any = None, store: Any = None, connect: bool = True,
                 workspace: Workspace | str | None = None, from_request: bool = False,
                 identity: Identity | None = None) -> None:
        self.session = Session(client=client, store=store)
        self.session.require_workspace = from_request
        # Jobs start on the Jobs tab; finished results bring the Results tab forward.
        # Subscribed before the panels, so a job that finishes at once ends on Results.
        self.session.on("job", lambda _job: self._select("Jobs"))
        self.session.on("open", lambda _job: self._select("Results"))
        self.inputs = InputsPanel(self.session)
        self.inference = InferencePanel(self.session)
        self.distance = DistancePanel(self.session)
        self.stability = StabilityPanel(self.session)
        self.statistics = StatisticsPanel(self.session)
        self.differential = DifferentialPanel(self.session)
        self.jobs = JobsPanel(self.session)
        self.results = ResultsPanel(self.session)
        panels = [self.inputs, self.inference, self.distance, self.stability, self.statistics,
                  self.differential, self.jobs, self.results]
        self.tabs = w.Tab(children=panels)
        for i, title in enumerate(TITLES):
            self.tabs.set_title(i, title)
        self.errors = ErrorBox()
        self.workspace_bar = WorkspaceBar()
        self.status = self.workspace_bar.cluster
        bar = self.workspace_bar
        bar.follow_running(self.jobs.ended_ids)
        self.jobs.looked.append(bar.refresh)
        for event in ("job", "finished", "inputs"):
            self.session.on(event, lambda *_a: bar.refresh(size=True))
        # a job of this page that ends is not running any more, at once (not at the next look)
        ended = on_loop(bar.refresh)
        self.session.on("job", lambda job: job.add_callback(
            lambda j: ended() if j.status in FINAL else None))
        header = w.HTML(
            "<div style='display:flex;align-items:baseline;gap:1em'>"
            "<h2 style='margin:4px 0'>ReNette</h2>"
            "<span style='color:#555'>differential network analysis: infer networks, compare them "
            "(Hamming / Ipsen-Mikhailov / HIM), test their stability</span>"
            f"<span style='color:#999;font-size:11px'>v{html.escape(__version__)}</span></div>")
        self.header = header
        self.start = StartCard(self.inputs, self.inference, self._select,
                               lambda: bool(self.jobs.rows or self.session.jobs))
        self.start.update()
        for event in ("job", "workspace"):
            self.session.on(event, self.start.update)
        self.jobs.looked.append(self.start.update)
        # the result opened last reopens after a reload (the workspace remembers it)
        self.session.on("workspace", lambda ws: self._reopen(ws))
        self.session.on("open", lambda job: self._opened(job))
        super().__init__([w.HTML(TABLE_CSS), header, self.workspace_bar, self.errors, self.start,
                          self.tabs])
        self.add_class("renette-app")
        if workspace is not None:
            workspace = Workspace(workspace) if isinstance(workspace, str) else workspace
            self._identified(identity or Identity(workspace.key, "given", "given"), None, workspace)
        elif from_request:
            identify_request(self._identified)
        else:
            try:
                self.jobs.refresh()
            except Exception as exc:  # noqa: BLE001 - an unreadable store must not stop the page
                self.jobs.errors.show(exc)
        if connect and client is None:
            self._set_status("connecting to the compute cluster…", "#777")
            self.session.connect_in_background(self._connected)
        elif client is not None:
            self._connected(None)

    def _identified(self, identity: Identity | None, error: Exception | None,
                    workspace: Workspace | None = None) -> None:
        """The request's identity is known: open its workspace (or the shared job).
        A link or the plain address waits for what the browser remembers (its own
        workspace, :func:`.workspace.choose`)."""
        try:
            if error is not None:
                raise error
            if identity.share:
                self._show_shared(identity.share)
                return
            if identity.kind == "link" and workspace is None:
                # the link names the workspace: open it now (jobs may start at once); the
                # header waits for the browser to say whether it is its own
                workspace = Workspace(identity.key)
                self.session.bind(workspace)
                self.workspace_bar.when_reported(
                    lambda seen: self._open(*choose(identity, seen), workspace, bound=True))
            elif identity.kind == "new" and workspace is None:
                self.workspace_bar.when_reported(lambda seen: self._open(*choose(identity, seen)))
            else:
                self._open(identity, False, workspace)
        except Exception as exc:  # noqa: BLE001 - shown in the page, nothing else opens
            self.workspace_bar.failed(exc)
            self.tabs.layout.display = "none"

    def _open(self, identity: Identity, own: bool, workspace: Workspace | None = None,
              bound: bool = False) -> None:
        try:
            workspace = workspace or Workspace(identity.key)
            if not bound:
                self.session.bind(workspace)
            self.workspace_bar.show(workspace, identity, own)
        except Exception as exc:  # noqa: BLE001 - shown in the page, nothing else opens
            self.workspace_bar.failed(exc)
            self.tabs.layout.display = "none"

    def _show_shared(self, token: str) -> None:
        """A share link's page: that job's results, read-only, and nothing else."""
        store, job_id = open_share(token)
        session = Session(store=store)
        results = ResultsPanel(session, read_only=True)
        results.show(load_job(job_id, store))
        self.shared = results
        self.children = [self.children[0], self.header, w.HTML(shared_title(results.job)), results]

    def _opened(self, job: Any) -> None:
        ws = self.session.workspace
        if ws is not None and getattr(job, "id", None):
            remember_result(ws, str(job.id))

    def _reopen(self, workspace: Workspace) -> None:
        """Show the workspace's last opened result in the Results tab (if it is still there)."""
        job_id = last_result(workspace)
        if not job_id:
            return
        try:
            self.results.show(load_job(job_id, workspace.store))
        except Exception:  # noqa: BLE001, S110 - deleted since: the tab stays empty
            pass

    def _select(self, title: str) -> None:
        if hasattr(self, "tabs"):
            self.tabs.selected_index = TITLES.index(title)

    def _set_status(self, text: str, colour: str, details: str = "") -> None:
        self.workspace_bar.set_cluster(text, colour, details)

    def _connected(self, error: Exception | None) -> None:
        unreachable = ("compute cluster unreachable: jobs cannot run; stored results can still "
                       "be browsed in the Jobs tab")
        if error is not None:
            self._set_status(unreachable, "#b00020", f"Cluster error: {error}.")
            return
        try:
            info = self.session.client.scheduler_info()
            n = len(info.get("workers", {}))
            words = f"{n} worker{'s' if n != 1 else ''} ready" if n else "no worker yet: jobs wait for one"
            self._set_status(words, "#2ca02c" if n else "#b8860b",
                             f"Compute cluster: dask scheduler at {self.session.client.scheduler.address}.")
        except Exception as exc:  # noqa: BLE001 - shown in the page
            self._set_status(unreachable, "#b00020", f"Cluster error: {exc}.")


def in_voila() -> bool:
    """Whether this kernel serves a Voila page (Voila names itself in its kernels' environment)."""
    return any(k in os.environ for k in ("VOILA_PREHEAT", "VOILA_BASE_URL", "VOILA_SERVER_URL"))


def build_app(workspace: Workspace | str | None = None, **kwargs: Any) -> App:
    """The dashboard's root widget (see :class:`App`).

    Its workspace: ``workspace`` (a key) when given, else ``RENETTE_WORKSPACE``;
    else in Voila the page's request and browser; else (JupyterLab, a plain
    kernel) the signed-in JupyterHub user's, or the notebook's own (the same one
    each time the cell runs: :mod:`renette_widgets.jobs.notebooks`). Outside
    Voila the address bar is left alone. With ``store`` only, no workspace.
    """
    if workspace is None and "store" not in kwargs:
        key = os.environ.get("RENETTE_WORKSPACE", "").strip()
        if key:
            workspace = key
        elif in_voila():
            kwargs.setdefault("from_request", True)
        elif os.environ.get("JUPYTERHUB_USER"):
            user = os.environ["JUPYTERHUB_USER"]
            kwargs["identity"] = Identity(user_key(user), "user", user)
            workspace = user_key(user)
        else:
            workspace = notebook_workspace()
            kwargs["identity"] = Identity(workspace, "notebook", "this notebook")
    if workspace is not None:
        kwargs["workspace"] = workspace
    return App(**kwargs)
