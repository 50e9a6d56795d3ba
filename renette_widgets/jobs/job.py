"""The Job: one workflow run on the dask cluster, its state and progress.

A Job is plain state (no ipywidgets): the dashboard, the CLI and the API all
watch the same object.  It is handed its workflow (an object with a ``name``
and a ``plan``, see :mod:`renette_widgets.workflows`), submits the workflow's
task graph from a background thread, counts finished tasks in future callbacks
(the notebook kernel is never blocked), assembles the result when every task
is done and hands the job to its store (any object with ``begin(job)`` and
``write(job)``, e.g. :class:`~renette_widgets.jobs.store.Store`), whatever the
outcome. The store is handed in, never imported: a job with no store keeps
its result in memory.
"""
from __future__ import annotations

import secrets
import threading
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..engine.cache import content_hash
from ..engine.tasks import t_versions
from ..errors import InputError, JobError
from . import memory
from .cluster import get_client, workers_share_store
from .plan import Context, priority_offset

# The states a job ends in.
FINAL = ("done", "failed", "cancelled")
_VERSIONS: dict[str, dict] = {}  # R and package versions by scheduler address
# How long a running job waits for a lost scheduler to come back.
SCHEDULER_GRACE_S = 30.0


def new_id() -> str:
    """An unguessable job id (96 random bits, URL-safe) that does not start with
    "-", so that a command line never reads it as an option."""
    while (job_id := secrets.token_urlsafe(12)).startswith("-"):
        pass
    return job_id


def frame_hash(df: pd.DataFrame) -> str:
    """``"blake3:<hex>"`` of a matrix: its float64 values (as they lie in memory,
    not copied) and its row and column names."""
    h = content_hash(np.asarray(df.to_numpy(dtype=float)))
    h.update(repr((list(map(str, df.index)), list(map(str, df.columns)))).encode())
    return f"blake3:{h.hexdigest()}"


class Job:
    """One run of a workflow.

    Parameters
    ----------
    flow : Workflow
        The workflow to run (from :func:`renette_widgets.workflows.get`): its
        ``name`` and ``plan(client, matrices, params, job_id)``.
    matrices : dict of str to DataFrame
        Named input matrices (data matrices, or adjacency matrices for
        distance and statistics), checked by the workflow.
    params : dict
        Validated workflow parameters (see the workflow's ``params``).
    client : distributed.Client, optional
        Defaults to :func:`renette_widgets.jobs.cluster.get_client`.
    store : Store, optional
        Where the job lives: ``store.begin(job)`` before its tasks are planned
        (a folder workers may write result arrays to, the inputs written
        there), ``store.write(job)`` once it has ended, whatever the outcome.
        None keeps the job in memory only.

    Attributes
    ----------
    id : str
        Unguessable id (``secrets.token_urlsafe``).
    workflow : str
        The workflow's name.
    status : str
        ``pending``, ``running``, ``done``, ``failed`` or ``cancelled``.
    done, total : int
        Finished and total dask tasks.
    message : str
        Progress in words.
    error : str or None
        Why the job failed or was cancelled.
    result : Any
        The workflow's result once done (see docs/architecture.md).
    folder : pathlib.Path or None
        The job's folder in the store (from the start of its run).
    """

    def __init__(self, flow: Any, matrices: dict[str, pd.DataFrame], params: dict,
                 client=None, store: Any = None) -> None:
        self.id = new_id()
        self.flow = flow
        self.params = dict(params)
        self.matrices = dict(matrices)
        self._hashes: dict[str, str] | None = None  # hashed on first use (see input_hashes)
        self.status = "pending"
        self.done = 0
        self.total = 0
        self.message = "waiting to start"
        self.error: str | None = None
        self.error_type: str | None = None  # e.g. "InputError" when R rejected the input
        self.created = time.time()
        self.started: float | None = None
        self.finished: float | None = None
        self.folder = None
        self.versions: dict = {}
        self._result: Any = None
        self._client = client
        self._store = store
        self._lock = threading.RLock()
        self._finished_event = threading.Event()
        self._callbacks: list[Callable[[Job], None]] = []
        self._futures: list = []
        self._stages: dict = {}
        self._cancel_requested = False
        self._bad: list = []
        self._all_settled = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_manifest(cls, manifest: dict, folder: Path, flow: Any,
                      result: Any = None) -> "Job":
        """A finished job as a store wrote it (no inputs, ``result`` as given)."""
        job = cls(flow, {}, manifest["params"])
        job.id = manifest["id"]
        # the first store format hashed the CSV text (sha256)
        job._hashes = {e["name"]: e.get("hash") or f"sha256:{e['sha256']}"
                       for e in manifest["inputs"]}
        job.status, job.error = manifest["status"], manifest.get("error")
        job.error_type = manifest.get("error_type")
        job.message = manifest.get("message") or job.status
        job.total = job.done = manifest["timings"].get("tasks") or 0
        job.versions = manifest.get("versions") or {}
        t = manifest["timings"]
        job.created = epoch(t.get("created")) or 0.0
        job.started, job.finished = epoch(t.get("started")), epoch(t.get("finished"))
        job.folder = folder
        job._result = result
        job._finished_event.set()
        return job

    # ------------------------------------------------------------ public API
    @property
    def workflow(self) -> str:
        """The workflow's name (``"inference"``, ``"distance"``, ...)."""
        return self.flow.name

    @property
    def input_hashes(self) -> dict[str, str]:
        """Input name -> ``"blake3:<hex>"`` of its values and names (:func:`frame_hash`),
        computed on first use."""
        if self._hashes is None:
            self._hashes = {name: frame_hash(df) for name, df in self.matrices.items()}
        return self._hashes

    @property
    def result(self) -> Any:
        """The result once the job is done (``None`` before)."""
        return self._result

    @property
    def elapsed(self) -> float:
        """Seconds since start (or start to finish once finished)."""
        if self.started is None:
            return 0.0
        return (self.finished or time.time()) - self.started

    def start(self) -> "Job":
        """Submit the tasks from a background thread; returns immediately."""
        with self._lock:
            if self._thread is None and self.status == "pending":
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name=f"renette-job-{self.id}")
                self._thread.start()
        return self

    def add_callback(self, fn: Callable[["Job"], None]) -> None:
        """Call ``fn(job)`` on every change of status or progress.

        Like ``Future.add_done_callback``, a job that has already ended calls
        ``fn`` at once: a fast failure must not be missed by a late subscriber.
        """
        with self._lock:
            self._callbacks.append(fn)
            ended = self.status in FINAL
        if ended:
            fn(self)

    def cancel(self) -> None:
        """Stop the job: cancel its tasks and record it as cancelled."""
        with self._lock:
            if self.status in FINAL:
                return
            self._cancel_requested = True
            futures = list(self._futures)
        client = self._client
        if client is not None and futures:
            try:
                client.cancel(futures)
            except Exception:  # noqa: BLE001 - a dead scheduler has nothing to cancel
                pass
        if self._thread is None:
            self._finish("cancelled", error="cancelled by the user")
        self._all_settled.set()

    def wait(self, timeout: float | None = None) -> "Job":
        """Block until the job is finished (done, failed or cancelled).

        Raises
        ------
        TimeoutError
            If the job is still running after ``timeout`` seconds.
        """
        if self._thread is None and self.status == "pending":
            self.start()
        if not self._finished_event.wait(timeout):
            raise TimeoutError(f"job {self.id} still {self.status} after {timeout} s")
        return self

    def export(self, folder: str | Path, fmt: str = "csv", threshold: float | None = None,
               top_k: int | None = None) -> list[Path]:
        """Write the result as text files into ``folder`` (csv, tsv, json, or graphml
        for networks: a dense one with ``threshold`` or ``top_k``); returns them.

        Raises
        ------
        JobError
            When the job has no result (not done).
        """
        if self.status != "done":
            raise JobError(f"job {self.id} has no result to export ({self.status})",
                           job_id=self.id)
        return self.flow.export(self.result, Path(folder), fmt, threshold=threshold,
                                top_k=top_k)

    @property
    def client(self) -> Any:
        """The dask client the job runs on (None until it has connected)."""
        return self._client

    def raise_for_status(self) -> None:
        """Raise :class:`JobError` when the job failed or was cancelled."""
        if self.status in ("failed", "cancelled"):
            raise JobError(self.error or self.status, job_id=self.id)

    def __repr__(self) -> str:
        return (f"<Job {self.id} {self.workflow} {self.status} "
                f"{self.done}/{self.total} {self.message!r}>")

    # ------------------------------------------------------------ internals
    def _notify(self) -> None:
        for fn in list(self._callbacks):
            try:
                fn(self)
            except Exception:  # noqa: BLE001 - a broken watcher must not kill the job
                traceback.print_exc()

    def _set(self, **changes) -> None:
        with self._lock:
            for k, v in changes.items():
                setattr(self, k, v)
        self._notify()

    def _on_task_done(self, future) -> None:
        """Future callback (client thread): count progress, stop on failure."""
        with self._lock:
            if future.status in ("error", "cancelled"):
                self._bad.append(future)
                self._all_settled.set()
                return
            if self.status != "running":
                return
            self.done += 1
            stage = self._stages.get(future.key, "")
            self.message = f"{stage}: {self.done}/{self.total} tasks done"
            if self.done == self.total:
                self._all_settled.set()
        self._notify()

    def _run(self) -> None:
        self._set(status="running", started=time.time(), message="connecting to the cluster")
        try:
            client = self._client = self._client or get_client()
        except Exception as err:  # noqa: BLE001 - shown to the user in words
            self._finish("failed", error=f"cannot reach the dask scheduler: {err}")
            return
        plan = None
        try:
            memory.check(self.flow.memory(self.matrices, self.params), client)
            inputs = None
            shared = False
            if self._store is not None:
                # workers that do not see the store (a local RENETTE_HOME, workers on
                # other machines) get inputs and return results through dask
                root = getattr(self._store, "root", None)
                shared = root is None or workers_share_store(client, root)
                self.folder, inputs = self._store.begin(self)
            ctx = (Context(client, self.id, self.folder, inputs) if shared
                   else Context(client, self.id))
            with priority_offset(-self._others_running()):
                plan = self.flow.plan(ctx, self.matrices, self.params)
            with self._lock:
                self._futures, self._stages = plan.futures, plan.stages
                self.total = len(plan.futures)
                self.message = f"submitted {self.total} tasks"
            self._notify()
            for fut in plan.futures:
                fut.add_done_callback(self._on_task_done)
            if self._cancel_requested:
                client.cancel(plan.futures)
            if not self._wait_settled(client):
                self._finish("failed", error="lost contact with the dask scheduler "
                             f"for {SCHEDULER_GRACE_S:.0f} s; the job was not finished")
                return
            if self._bad or self._cancel_requested:
                # Read the failure before cancelling: cancel() turns an errored
                # future's status into "cancelled".
                self._fail_from(self._bad[0] if self._bad else None)
                client.cancel(plan.futures)
                return
            result = plan.assemble()
            self.versions = self._versions(client)
            self._result = result
            self._finish("done", message=f"done: {self.total} tasks in {self.elapsed:.1f} s")
        except Exception as err:  # noqa: BLE001 - any failure ends the job, in words
            self.error_type = type(err).__name__
            self._finish("failed", error=_describe(err))
        finally:
            # Drop the futures so the cluster frees the job's data.
            with self._lock:
                self._futures = []
            plan = None

    def _others_running(self) -> int:
        """Other jobs of this job's store (its workspace) running now: each one
        lowers this job's priority a step, so that no workspace crowds out the
        others on a shared cluster."""
        live = getattr(self._store, "live", None)
        if live is None:
            return 0
        try:
            return sum(1 for r in live() if r.get("alive") and r.get("id") != self.id)
        except OSError:
            return 0

    def _wait_settled(self, client) -> bool:
        """Wait for every task; False when the scheduler stays unreachable."""
        lost_since = None
        while not self._all_settled.wait(1.0):
            if client.status == "running":
                lost_since = None
            elif lost_since is None:
                lost_since = time.monotonic()
            elif time.monotonic() - lost_since > SCHEDULER_GRACE_S:
                return False
        return True

    def _fail_from(self, future) -> None:
        if self._cancel_requested or future is None:
            self._finish("cancelled", error="cancelled by the user")
            return
        if future.status == "cancelled":  # not by us: the cluster dropped it
            lost = self._client is not None and self._client.status != "running"
            self._finish("failed", error=(
                "lost contact with the dask scheduler; the job was not finished" if lost
                else "its tasks were cancelled on the cluster (scheduler restarted?)"))
            return
        err = future.exception()
        self.error_type = type(err).__name__
        stage = self._stages.get(future.key, "a task")
        root = getattr(self._store, "root", None)
        if root is not None and _storage_failure(err):
            # a worker could not read or write the store: say which store, and why
            self._finish("failed", error=f"{stage}: the results store {root} could not be "
                                         f"reached from a worker ({_describe(err)})")
            return
        self._finish("failed", error=f"{stage}: {_describe(err)}")

    def _versions(self, client) -> dict:
        key = str(client.scheduler.address)
        if key not in _VERSIONS:  # workers of one cluster share one installation
            try:
                _VERSIONS[key] = client.submit(t_versions, pure=False,
                                               priority=100).result(timeout=60)
            except Exception as err:  # noqa: BLE001 - versions are informative only
                return {"error": str(err)}
        return _VERSIONS[key]

    def _finish(self, status: str, error: str | None = None, message: str | None = None) -> None:
        with self._lock:
            if self.status in FINAL:
                return
            self.status = status
            self.error = error
            self.finished = time.time()
            self.message = message or (error or status)
        if self._store is not None:
            try:
                self.folder = self._store.write(self)
            except Exception as err:  # noqa: BLE001 - the job result stays in memory
                self.message += f" (not saved: {err})"
        # Watchers see the final state before wait() returns.
        self._notify()
        self._finished_event.set()


def epoch(iso: str | None) -> float | None:
    """Seconds since the epoch of an ISO time (as manifests and live records hold them)."""
    return datetime.fromisoformat(iso).timestamp() if iso else None


#: Exceptions of storage libraries (botocore, aiohttp, gcsfs, adlfs) met reading or
#: writing the store, by class name (the client need not import them).
_STORAGE_ERRORS = ("EndpointConnectionError", "ClientConnectorError", "ConnectTimeoutError",
                   "ReadTimeoutError", "NoCredentialsError", "ClientError", "HttpError",
                   "ServiceRequestError", "ServerDisconnectedError")


def _storage_failure(err: BaseException | None) -> bool:
    return err is not None and any(c.__name__ in _STORAGE_ERRORS for c in type(err).__mro__)


def _describe(err: BaseException | None) -> str:
    """An exception in words for users (no traceback)."""
    if err is None:
        return "unknown error"
    name = type(err).__name__
    if name == "KilledWorker":
        return ("a worker process died repeatedly while computing it (out of memory, "
                "or killed); try smaller inputs or more memory per worker")
    if name in ("CommClosedError", "OSError", "TimeoutError"):
        return f"lost contact with the dask cluster ({err})"
    text = str(err) or name
    if isinstance(err, (InputError, RuntimeError, ValueError)):
        return text
    return f"{name}: {text}"
