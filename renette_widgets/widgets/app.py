"""The dashboard: every panel in one root widget (what the notebook displays)."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from .._version import __version__
from ..api import load_job
from ..jobs.workspace import Identity, Workspace, open_share
from .common import TABLE_CSS, ErrorBox
from .differential import DifferentialPanel
from .distance import DistancePanel
from .inference import InferencePanel
from .inputs import InputsPanel
from .jobs import JobsPanel
from .results import ResultsPanel
from .session import Session
from .stability import StabilityPanel
from .statistics import StatisticsPanel
from .workspace import WorkspaceBar, identify_request, shared_title

TITLES = ["Inputs", "Inference", "Distance", "Stability", "Statistics", "Differential", "Jobs",
          "Results"]


class App(w.VBox):
    """ReNette's four workflows as tabs, plus the jobs list and the results.

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
    workspace : Workspace, optional
        The workspace to work in (its store replaces ``store``).
    from_request : bool
        Find the workspace from the page's request (Voila; see
        :mod:`.workspace`): the dashboard's way. Until it is known, nothing is
        listed and no job starts.
    """

    def __init__(self, client: Any = None, store: Any = None, connect: bool = True,
                 workspace: Workspace | None = None, from_request: bool = False) -> None:
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
        self.status = w.HTML()
        self.errors = ErrorBox()
        self.workspace_bar = WorkspaceBar()
        for event in ("job", "finished", "inputs"):
            self.session.on(event, lambda *_a: self.workspace_bar.refresh())
        header = w.HTML(
            "<div style='display:flex;align-items:baseline;gap:1em'>"
            "<h2 style='margin:4px 0'>ReNette</h2>"
            "<span style='color:#555'>differential network analysis: infer networks, compare them "
            "(Hamming / Ipsen-Mikhailov / HIM), test their stability</span>"
            f"<span style='color:#999;font-size:11px'>v{html.escape(__version__)}</span></div>")
        self.header = header
        super().__init__([w.HTML(TABLE_CSS), header, self.workspace_bar, self.status, self.errors,
                          self.tabs])
        self.add_class("renette-app")
        if workspace is not None:
            self._identified(Identity(workspace.key, "link", "this link"), None, workspace)
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
        """The request's identity is known: open its workspace (or the shared job)."""
        try:
            if error is not None:
                raise error
            if identity.share:
                self._show_shared(identity.share)
                return
            workspace = workspace or Workspace(identity.key)
            self.session.bind(workspace)
            self.workspace_bar.show(workspace, identity)
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

    def _select(self, title: str) -> None:
        if hasattr(self, "tabs"):
            self.tabs.selected_index = TITLES.index(title)

    def _set_status(self, text: str, colour: str) -> None:
        self.status.value = f"<span class='renette-cluster' style='color:{colour};font-size:12px'>{html.escape(text)}</span>"

    def _connected(self, error: Exception | None) -> None:
        if error is not None:
            self._set_status(f"compute cluster unreachable ({error}); stored results can still be browsed "
                             "in the Jobs tab", "#b00020")
            return
        try:
            info = self.session.client.scheduler_info()
            n = len(info.get("workers", {}))
            self._set_status(f"compute cluster: {n} worker{'s' if n != 1 else ''} at "
                             f"{self.session.client.scheduler.address}", "#2ca02c")
        except Exception as exc:  # noqa: BLE001 - shown in the page
            self._set_status(f"compute cluster unreachable ({exc}); stored results can still be browsed "
                             "in the Jobs tab", "#b00020")


def build_app(**kwargs: Any) -> App:
    """The dashboard's root widget (see :class:`App`); the workspace is the request's
    unless ``workspace`` or ``store`` is given."""
    if "workspace" not in kwargs and "store" not in kwargs:
        kwargs.setdefault("from_request", True)
    return App(**kwargs)
