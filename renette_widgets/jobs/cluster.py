"""The dask client everyone uses.

``get_client()`` connects to ``DASK_SCHEDULER_ADDRESS`` (or an explicit
address) when there is one, else starts an embedded ``LocalCluster`` with
worker processes of one thread each. In both cases the worker plugin
(:class:`~renette_widgets.engine.worker.RPlugin`) is registered, so every
worker (including ones that join or restart later) loads R, WGCNA and the
``renette`` R package once, before its first task.
"""
from __future__ import annotations

import logging
import os
import secrets
import threading

import dask
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from .. import config
from ..engine.worker import PLUGIN_NAME, RPlugin
from . import gateway, lab, shared
from ..errors import InputError
from ..io.location import Location, is_remote, location, scheme, storage_environ, url

log = logging.getLogger("renette_widgets")
_lock = threading.Lock()
# One client per scheduler address ("" = the embedded cluster), reused.
_clients: dict[str, Client] = {}
# What each client's cluster is, in words (describe), and gateway clusters to end.
_where: dict[int, str] = {}
_gateways: list = []


def attach(client: Client) -> Client:
    """Register the R worker plugin on a client (one created elsewhere too)."""
    client.register_plugin(RPlugin(), name=PLUGIN_NAME)
    return client


def get_client(address: str | None = None, n_workers: int | None = None) -> Client:
    """The dask client of this process (created on first use).

    Where the compute comes from, first match:

    1. ``address``, else ``DASK_SCHEDULER_ADDRESS``: that scheduler;
    2. dask's ``gateway.address`` (``DASK_GATEWAY__ADDRESS``): a new cluster on that
       dask-gateway server (:mod:`.gateway`), ``n_workers`` workers;
    3. a cluster started from JupyterLab's Dask sidebar (dask-labextension) of
       the Jupyter server this kernel belongs to (:mod:`.lab`);
    4. the embedded cluster of this machine, shared by every kernel and process
       (:mod:`.shared`, started on first use), or with ``RENETTE_SHARED_CLUSTER=0``
       a ``LocalCluster`` of this process.

    Parameters
    ----------
    address : str, optional
        Scheduler address; defaults to ``DASK_SCHEDULER_ADDRESS``.
    n_workers : int, optional
        Workers of a cluster started here (default ``RENETTE_WORKERS`` or 2).

    Returns
    -------
    distributed.Client
        A client whose workers load R through the worker plugin;
        :func:`describe` says which cluster it is.
    """
    key = address or config.scheduler_address()
    with _lock:
        client = _clients.get(key)
        if client is not None and client.status == "running":
            return client
        if key:
            client = Client(key, set_as_default=False)
            where = f"the dask scheduler at {key}"
        elif gateway.address():
            cluster, client = gateway.start(n_workers)
            _gateways.append(cluster)
            where = gateway.describe(cluster)
        elif (found := lab.cluster_address()):
            client = Client(found[0], set_as_default=False)
            where = found[1]
        elif shared.enabled():
            client, where = shared.connect_or_start(n_workers)
        else:
            client = Client(local_cluster(n_workers), set_as_default=False)
            where = f"a cluster of this process ({len(client.nthreads())} workers)"
        _where[id(client)] = where
        _clients[key] = attach(client)
        log.info("renette: computing on %s", where)
        return client


def describe(client: Client | None = None) -> str:
    """Which cluster ``client`` (default: this process's) uses, in words."""
    client = client if client is not None else get_client()
    if id(client) in _where:
        return _where[id(client)]
    return f"the dask scheduler at {client.scheduler.address}"


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


def open_clients() -> set[int]:
    """Ids of the clients this process holds now (for :func:`close_clients`' ``keep``)."""
    with _lock:
        return {id(c) for c in _clients.values()}


def close_clients(keep: set[int] | None = None) -> None:
    """Close the clients of this process (and the clusters they started), but those
    in ``keep`` (ids, :func:`open_clients`: what a command called from Python found
    open stays open)."""
    keep = keep or set()
    with _lock:
        for key, client in list(_clients.items()):
            if id(client) in keep:
                continue
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
            del _clients[key]
            _where.pop(id(client), None)
        if not keep:
            for cluster in _gateways:
                cluster.shutdown()
            _gateways.clear()


# ---------------------------------------------------------------- the store, seen from workers

class StorageEnv(WorkerPlugin):
    """Give workers the standard storage variables (``AWS_*``, ...) the client has,
    so a store on an object store opens there as it does here: the client's
    configuration of its store wins over what a worker started with (a shared
    cluster outlives the process that started it). ``RENETTE_SEND_STORAGE_ENV=0``
    turns it off (workers then need their own)."""

    name = "renette-storage-env"

    def __init__(self, env: dict[str, str], schemes: tuple[str, ...]) -> None:
        self.env, self.schemes = dict(env), tuple(schemes)

    def setup(self, worker) -> None:  # noqa: D102 - WorkerPlugin hook
        import fsspec
        changed = any(os.environ.get(k) != v for k, v in self.env.items())
        os.environ.update(self.env)
        if changed:  # filesystems made with the old settings are cached by fsspec
            for sch in self.schemes:
                try:
                    fsspec.get_filesystem_class(sch).clear_instance_cache()
                except (ImportError, ValueError):
                    continue


# (client id, store root, workers) -> whether the workers read the store
_SEEN: dict[tuple, bool] = {}


def workers_share_store(client: Client, root: str | Location) -> bool:
    """Whether every worker of ``client`` reads and writes the store ``root`` itself.

    An embedded cluster (this machine) shares a local store. Otherwise the client
    writes a small file under ``root`` and asks each worker to read it: workers on
    other machines see a local ``RENETTE_HOME`` only through a shared filesystem,
    and then a job's inputs and results travel through dask instead (False). A
    store on an object store must be reachable from every worker: one that is not
    is an :class:`InputError` naming the store, the worker's reason and what to set,
    before any task is planned.
    """
    root = location(root)
    if not is_remote(root) and client.cluster is not None:
        return True  # an in-process cluster's workers run on this machine
    workers = frozenset(client.nthreads())
    key = (id(client), str(root), workers)
    if key in _SEEN:
        return _SEEN[key]
    if is_remote(root) and os.environ.get("RENETTE_SEND_STORAGE_ENV", "1") != "0":
        env = storage_environ(root)
        if env:
            client.register_plugin(StorageEnv(env, (scheme(str(root)),)), name=StorageEnv.name)
    token = secrets.token_hex(8)
    probe = root / "tmp" / f"visible-{token}"
    if not is_remote(root):
        probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_text(token)
    try:
        answers = client.run(_reads, url(probe), token) if workers else {}
    finally:
        try:
            probe.unlink()
        except OSError:
            pass
    failed = {w: a for w, a in answers.items() if a is not True}
    if failed and is_remote(root):
        worker, reason = next(iter(failed.items()))
        raise InputError(
            f"the dask worker {worker} cannot read the results store {url(root)}: {reason}",
            hint="Every worker must reach the store: give the workers its credentials and "
                 "endpoint (for S3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
                 "AWS_ENDPOINT_URL) and the storage library (s3fs, gcsfs, adlfs).")
    _SEEN[key] = not failed
    return _SEEN[key]


def _reads(path: str, token: str) -> bool | str:
    """On a worker: True when the file at ``path`` holds ``token``; False when it is
    not there (another machine's disk); the reason when the store cannot be read."""
    try:
        loc = location(path)
        return loc.read_text() == token
    except FileNotFoundError:
        return False
    except Exception as err:  # noqa: BLE001 - reported to the client in words
        return f"{type(err).__name__}: {err}".strip()
