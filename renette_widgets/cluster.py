"""The dask client everyone uses, and the plugin that starts R in workers.

``get_client()`` connects to ``DASK_SCHEDULER_ADDRESS`` (or an explicit
address) when there is one, else starts an embedded ``LocalCluster`` with
worker processes of one thread each.  In both cases :class:`RPlugin` is
registered, so every worker (including ones that join or restart later)
loads R, WGCNA and the ``renette`` R package once, before its first task.
"""
from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

PLUGIN_NAME = "renette-r"
# One thread per process for every numeric library: dask runs the parallelism.
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}

# glibc malloc in workers: keep up to 256 MB of freed memory for reuse and
# serve allocations up to 32 MB from it. R allocates every array of networks
# it is sent afresh; under dask's default (MALLOC_TRIM_THRESHOLD_=65536, which
# also pins the mmap threshold at 128 KB) each one is new pages to fault in:
# 20 MB took 8 ms to allocate, 1.5 ms with these (benchmarks/RESULTS.md).
# glibc reads them at process start: they go in dask's pre-spawn environment.
MALLOC_ENV = {"MALLOC_TRIM_THRESHOLD_": "268435456", "MALLOC_MMAP_THRESHOLD_": "33554432"}

_lock = threading.Lock()
# One client per scheduler address ("" = the embedded cluster), reused.
_clients: dict[str, Client] = {}


def default_r_libs() -> str | None:
    """The R library holding ``renette``: ``RENETTE_R_LIBS`` or the repo's ``.rlib``."""
    env = os.environ.get("RENETTE_R_LIBS")
    if env:
        return env
    local = Path(__file__).resolve().parent.parent / ".rlib"
    return str(local) if (local / "renette").is_dir() else None


def worker_env() -> dict[str, str]:
    """Environment for worker processes (also used by ``make run``'s workers)."""
    env = dict(SINGLE_THREAD_ENV)
    libs = default_r_libs()
    if libs:
        env["RENETTE_R_LIBS"] = libs
    return env


def pre_spawn_environ() -> dict[str, str]:
    """dask's ``distributed.nanny.pre-spawn-environ`` with :data:`MALLOC_ENV`: what a
    nanny sets before it starts its worker process."""
    import dask
    base = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    return {**{k: str(v) for k, v in base.items()}, **MALLOC_ENV}


class RPlugin(WorkerPlugin):
    """Load R and the engine once per worker, in the thread that runs tasks.

    R is not thread-safe and checks its C stack against the thread that
    started it, so start-up runs in the worker's task executor (a single
    thread, as workers have ``nthreads=1``).
    """

    name = PLUGIN_NAME

    async def setup(self, worker) -> None:  # noqa: D102 - WorkerPlugin hook
        from . import tasks
        executor = worker.executors["default"]
        loop = asyncio.get_running_loop()
        limit = getattr(getattr(worker, "memory_manager", None), "memory_limit", None)
        await loop.run_in_executor(executor, tasks.start_engine, limit)


def _attach(client: Client) -> Client:
    client.register_plugin(RPlugin(), name=PLUGIN_NAME)
    return client


def get_client(address: str | None = None, n_workers: int | None = None) -> Client:
    """The dask client of this process (created on first use).

    Parameters
    ----------
    address : str, optional
        Scheduler address; defaults to ``DASK_SCHEDULER_ADDRESS``.  Without
        either, an embedded ``LocalCluster`` is started (once per process).
    n_workers : int, optional
        Workers of the embedded cluster (default ``RENETTE_WORKERS`` or 2).

    Returns
    -------
    distributed.Client
        A client whose workers load R through :class:`RPlugin`.
    """
    key = address or os.environ.get("DASK_SCHEDULER_ADDRESS") or ""
    with _lock:
        client = _clients.get(key)
        if client is not None and client.status == "running":
            return client
        if key:
            client = Client(key, set_as_default=False)
        else:
            client = Client(local_cluster(n_workers), set_as_default=False)
        _clients[key] = _attach(client)
        return client


def use_client(client: Client, address: str | None = None) -> Client:
    """Make ``client`` what :func:`get_client` returns (for ``address``, default embedded)."""
    with _lock:
        _clients[address or ""] = _attach(client)
    return client


def local_cluster(n_workers: int | None = None) -> LocalCluster:
    """An embedded cluster of worker processes with one thread each."""
    import dask
    n = n_workers or int(os.environ.get("RENETTE_WORKERS", "2"))
    # nannies read the pre-spawn environment when they are created, here
    with dask.config.set({"distributed.nanny.pre-spawn-environ": pre_spawn_environ()}):
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                            dashboard_address=":0", env=worker_env())


def close_clients() -> None:
    """Close every client of this process (and the embedded cluster)."""
    with _lock:
        for client in _clients.values():
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
        _clients.clear()


def attach(client: Client) -> Client:
    """Register the R plugin on a client created elsewhere."""
    return _attach(client)
