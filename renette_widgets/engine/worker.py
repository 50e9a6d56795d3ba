"""Starting R in a dask worker: the worker plugin and the engine handle of tasks.

R and the ``renette`` R package load once per worker, before its first task,
in the thread that runs tasks (R checks its C stack against the thread that
started it); WGCNA, once, when a task first needs it (:func:`.r.start`). rpy2
is imported here only inside functions that run in a worker process, so
importing this module in the client starts no R.
"""
from __future__ import annotations

import asyncio
from types import ModuleType

from distributed.diagnostics.plugin import WorkerPlugin

from ..config import default_r_libs

PLUGIN_NAME = "renette-r"


def start_engine(memory_limit: int | None = None) -> None:
    """Start R in this worker (idempotent); called by the worker plugin."""
    from . import r  # deferred: rpy2 only in worker processes
    r.start(default_r_libs(), memory_limit)


def engine() -> ModuleType:
    """The R engine module, started (every task goes through here)."""
    from . import r  # deferred: rpy2 only in worker processes
    start_engine()
    return r


class RPlugin(WorkerPlugin):
    """Load R and the engine once per worker, in the thread that runs tasks.

    R is not thread-safe and checks its C stack against the thread that
    started it, so start-up runs in the worker's task executor (a single
    thread, as workers have ``nthreads=1``).
    """

    name = PLUGIN_NAME

    async def setup(self, worker) -> None:  # noqa: D102 - WorkerPlugin hook
        executor = worker.executors["default"]
        loop = asyncio.get_running_loop()
        limit = getattr(getattr(worker, "memory_manager", None), "memory_limit", None)
        await loop.run_in_executor(executor, start_engine, limit)
