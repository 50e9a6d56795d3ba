"""One embedded cluster for every kernel and process of a user on this machine.

dask-labextension's way: a cluster outlives the notebook that started it, and
any notebook uses it. The first process that needs compute (a dashboard's
kernel, a notebook calling the API, the CLI) starts a cluster in a process of
its own (``python -m renette_widgets.jobs.shared``) and announces it in a
scheduler file, ``cluster/scheduler.json`` under the store's folder
(:func:`renette_widgets.config.local_home`: ``RENETTE_HOME`` when it is a local
folder); later processes find it there and connect. It ends after
``RENETTE_CLUSTER_IDLE_S`` seconds (default 600) with no client connected and
no task running. ``RENETTE_SHARED_CLUSTER=0`` gives each process a cluster of
its own instead, as before.

A lock file serialises the look-then-start, so two kernels started together
start one cluster, not two.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dask
from distributed import Client, LocalCluster

from .. import config
from ..engine.worker import PLUGIN_NAME, RPlugin

IDLE_ENV, IDLE_DEFAULT = "RENETTE_CLUSTER_IDLE_S", 600.0
#: Seconds between two looks at whether the cluster is idle.
IDLE_POLL = 2.0


def enabled() -> bool:
    """Whether processes share one embedded cluster (``RENETTE_SHARED_CLUSTER``, default on)."""
    return os.environ.get("RENETTE_SHARED_CLUSTER", "1").strip() not in ("0", "false", "no")


def scheduler_file() -> Path:
    """Where the shared cluster is announced."""
    return config.local_home() / "cluster" / "scheduler.json"


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _connect(path: Path) -> Client | None:
    """A client of the cluster ``path`` announces, or None (no file, or a cluster gone)."""
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    try:
        return Client(info["address"], timeout=10, set_as_default=False)
    except (OSError, KeyError, TimeoutError):
        path.unlink(missing_ok=True)  # a cluster that ended without removing it
        return None


def connect_or_start(n_workers: int | None = None, timeout: float = 180) -> tuple[Client, str]:
    """A client of the shared cluster, started now when there is none; and where it
    was found, in words."""
    path = scheduler_file()
    with _locked(path.with_suffix(".lock")):
        client = _connect(path)
        if client is None:
            log = open(path.with_name("cluster.log"), "ab")  # noqa: SIM115 - the child's
            subprocess.Popen(
                [sys.executable, "-m", "renette_widgets.jobs.shared", "--scheduler-file",
                 str(path), "--workers", str(n_workers or config.n_workers())],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, env={**os.environ, **config.worker_env()})
            log.close()
            deadline = time.monotonic() + timeout
            while client is None:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the embedded cluster did not start in {timeout:g} s "
                                       f"(see {path.with_name('cluster.log')})")
                time.sleep(0.2)
                client = _connect(path) if path.exists() else None
    n = len(client.nthreads())
    return client, f"the embedded cluster of this machine ({n} workers; {path})"


def serve(path: Path, n_workers: int, idle_s: float) -> None:
    """Run the shared cluster until it has been idle for ``idle_s`` seconds."""
    with dask.config.set({"distributed.nanny.pre-spawn-environ": config.pre_spawn_environ()}):
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", env=config.worker_env())
    try:
        with Client(cluster, set_as_default=False) as c:
            # the R plugin now: workers start R before the first client comes
            c.register_plugin(RPlugin(), name=PLUGIN_NAME)
            own = c.id
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"address": cluster.scheduler_address, "pid": os.getpid(),
                                   "workers": n_workers,
                                   "dashboard": cluster.dashboard_link}))
        os.replace(tmp, path)
        scheduler, last = cluster.scheduler, time.monotonic()
        while True:
            time.sleep(IDLE_POLL)
            clients = [k for k in list(scheduler.clients) if k != own
                       and not str(k).startswith("fire-and-forget")]
            busy = scheduler.queued or scheduler.unrunnable or any(
                ws.processing for ws in list(scheduler.workers.values()))
            if clients or busy:
                last = time.monotonic()
            elif time.monotonic() - last > idle_s:
                break
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text()).get("pid") == os.getpid():
                path.unlink()
        cluster.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scheduler-file", required=True)
    ap.add_argument("--workers", type=int, default=config.n_workers())
    ap.add_argument("--idle", type=float, default=None, help=f"seconds (default {IDLE_ENV})")
    args = ap.parse_args(argv)
    idle = args.idle if args.idle is not None else float(
        os.environ.get(IDLE_ENV, "").strip() or IDLE_DEFAULT)
    serve(Path(args.scheduler_file), args.workers, idle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
