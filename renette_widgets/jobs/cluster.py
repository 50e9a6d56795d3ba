"""The dask client everyone uses.

``get_client()`` connects to ``DASK_SCHEDULER_ADDRESS`` (or an explicit
address) when there is one, else starts an embedded ``LocalCluster`` with
worker processes of one thread each. In both cases the worker plugin
(:class:`~renette_widgets.engine.worker.RPlugin`) is registered, so every
worker (including ones that join or restart later) loads R, WGCNA and the
``renette`` R package once, before its first task.
"""
from __future__ import annotations

import threading

import dask
from distributed import Client, LocalCluster

from .. import config
from ..engine.worker import PLUGIN_NAME, RPlugin

_lock = threading.Lock()
# One client per scheduler address ("" = the embedded cluster), reused.
_clients: dict[str, Client] = {}


def attach(client: Client) -> Client:
    """Register the R worker plugin on a client (one created elsewhere too)."""
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
        A client whose workers load R through the worker plugin.
    """
    key = address or config.scheduler_address()
    with _lock:
        client = _clients.get(key)
        if client is not None and client.status == "running":
            return client
        if key:
            client = Client(key, set_as_default=False)
        else:
            client = Client(local_cluster(n_workers), set_as_default=False)
        _clients[key] = attach(client)
        return client


def use_client(client: Client, address: str | None = None) -> Client:
    """Make ``client`` what :func:`get_client` returns (for ``address``, default embedded)."""
    with _lock:
        _clients[address or ""] = attach(client)
    return client


def local_cluster(n_workers: int | None = None) -> LocalCluster:
    """An embedded cluster of worker processes with one thread each."""
    n = n_workers or config.n_workers()
    # nannies read the pre-spawn environment when they are created, here
    with dask.config.set({"distributed.nanny.pre-spawn-environ": config.pre_spawn_environ()}):
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                            dashboard_address=":0", env=config.worker_env())


def close_clients() -> None:
    """Close every client of this process (and the embedded cluster)."""
    with _lock:
        for client in _clients.values():
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
        _clients.clear()
