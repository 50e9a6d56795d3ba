"""Submitting a job's task graph: the :class:`Plan` and the helpers the workflows use.

Each input is sent once, as the result of a small "input" task that the tasks
needing it share (unlike scattered data, a task result is recomputed if its
worker dies). Tasks of one kind go to the scheduler in one message
(:func:`map_tasks`): a task submitted on its own waits for the client's next
batch.
"""
from __future__ import annotations

import contextlib
import contextvars
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import dask


@dataclass
class Context:
    """What a workflow's plan is given besides its inputs and parameters.

    Attributes
    ----------
    client : distributed.Client
    job_id : str
        Unique; task keys end with it.
    folder : Path or None
        The job's folder in the store: workers may write result arrays under
        ``folder / "results"`` (a filesystem they share with the client). None:
        a job kept in memory, whose results travel back as task results.
    inputs : dict of str to Path, or None
        Where each input matrix is stored (``folder / "inputs"``), for workers
        to read instead of receiving it through the scheduler.
    """

    client: Any
    job_id: str
    folder: Path | None = None
    inputs: dict[str, Path] | None = None

    @property
    def results(self) -> Path | None:
        """Where result files go (None: in memory)."""
        return None if self.folder is None else self.folder / "results"


@dataclass
class Plan:
    """The submitted task graph of one job: its futures, the stage of each (for
    progress in words) and ``assemble``, which builds the result from them."""

    futures: list = field(default_factory=list)
    stages: dict = field(default_factory=dict)  # future key -> stage label
    assemble: Callable[[], Any] = lambda: None

    def add(self, future, stage: str):
        """Remember ``future`` as part of ``stage``; returns it."""
        self.futures.append(future)
        self.stages[future.key] = stage
        return future


#: Added to every task's priority in this context (a job's thread): a workspace's
#: second, third... running job yields to other workspaces' jobs (fair sharing).
_OFFSET: contextvars.ContextVar[int] = contextvars.ContextVar("priority_offset", default=0)


@contextlib.contextmanager
def priority_offset(offset: int):
    """Tasks submitted inside this block get ``offset`` added to their priority."""
    token = _OFFSET.set(offset)
    try:
        yield
    finally:
        _OFFSET.reset(token)


#: Tasks of priority at most this (an estimated cost of 1e9 and more: seconds of
#: work, see :func:`~.grain.cost_priority`) are long; on a cluster whose workers
#: offer the resource :data:`LONG`, they run only on those. ``make run`` gives it to
#: every worker but one, so that a quick job of another workspace always finds a
#: worker not held by a long task (each stage of a quick job would otherwise wait
#: for a long task to end; measured in benchmarks/RESULTS.md, "Many users").
LONG_PRIORITY = -9
LONG = "long"


def _resources(client, priority: int) -> tuple[dict | None, set[str]]:
    """The resources a task of ``priority`` needs, and the workers that have them
    (a long task placed on another worker would fail there)."""
    if priority > LONG_PRIORITY:
        return None, set()
    try:
        workers = client.scheduler_info().get("workers", {})
    except Exception:  # noqa: BLE001 - a client without worker info: no restriction
        return None, set()
    able = {a for a, w in workers.items() if (w.get("resources") or {}).get(LONG)}
    return ({LONG: 1} if able else None), able


def gather(client, futures: list) -> dict:
    """Results of ``futures`` by key, fetched in one round trip (not one per future)."""
    futures = [f for f in futures if f is not None]
    return dict(zip([f.key for f in futures], client.gather(futures)))


@contextlib.contextmanager
def _inputs_in_tasks():
    """Silence dask's advice to scatter large graphs: a job's inputs travel inside
    its tasks on purpose (module docstring), and the advice is not for the user of
    ``rw.differential`` or of the ``renette`` command."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
        yield


def submit_task(client, plan: Plan, stage: str, key: str, fn, *args, priority: int,
                place: dict[str, str] | None = None):
    """Submit one task ``fn(*args)`` under ``key`` and add it to ``plan`` as part of
    ``stage``; ``place`` maps keys to preferred workers (see
    :func:`~renette_widgets.jobs.placement.chunk_placement`)."""
    where = (place or {}).get(key)
    priority += _OFFSET.get()
    resources, able = _resources(client, priority)
    if resources and where not in able:
        where = None
    with _inputs_in_tasks():
        fut = client.submit(fn, *args, key=key, priority=priority, pure=False,
                            workers=[where] if where else None, allow_other_workers=bool(where),
                            resources=resources)
    return plan.add(fut, stage)


def map_tasks(client, plan: Plan, stage: str, keys: list[str], fn, *iterables, priority: int,
              place: dict[str, str]) -> list:
    """``client.map`` of ``fn`` over ``iterables`` with the given ``keys``, in one
    message per kind (placed, see
    :func:`~renette_widgets.jobs.placement.chunk_placement`, or not): a task
    submitted on its own waits for the client's next batch."""
    futs = {}
    priority += _OFFSET.get()
    resources, able = _resources(client, priority)
    if resources:
        place = {k: w for k, w in place.items() if w in able}
    # a callable annotation is called on the scheduler, once per key
    where = {"workers": {k: [w] for k, w in place.items()}.get, "allow_other_workers": True}
    for placed in (True, False):
        at = [i for i, k in enumerate(keys) if (k in place) == placed]
        if not at:
            continue
        with dask.annotate(**(where if placed else {})), _inputs_in_tasks():
            got = client.map(fn, *[[it[i] for i in at] for it in iterables],
                             key=[keys[i] for i in at], priority=priority, pure=False,
                             resources=resources)
        futs.update(zip([keys[i] for i in at], got))
    return [plan.add(futs[k], stage) for k in keys]
