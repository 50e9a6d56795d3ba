"""``make run``: a dask scheduler, dask workers with R warm, and Voila.

The same stack is usable from tests::

    with Stack(n_workers=2, home=tmp_path) as stack:
        stack.url                  # the dashboard (when voila=True)
        stack.scheduler_address    # tcp://127.0.0.1:PORT

Each part is a separate process (``dask scheduler``, ``dask worker``,
``voila``); Voila's kernels reach the cluster through
``DASK_SCHEDULER_ADDRESS``, so they never start R themselves.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from distributed import Client

from .config import n_workers, pre_spawn_environ, worker_env
from .jobs.cluster import attach

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "renette.ipynb"
#: Holds voila/templates/renette: Voila's page without requests to a CDN.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"


def free_port(preferred: int | None = None) -> int:
    """``preferred`` if it is free, else any free TCP port on localhost."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def _bin(name: str) -> str:
    """An executable of this Python environment (dask, voila)."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


class Stack:
    """Scheduler + workers (+ Voila) as subprocesses, stopped together.

    Parameters
    ----------
    n_workers : int
        Worker processes (one thread each).
    voila : bool
        Also start Voila on the dashboard notebook.
    home : str or Path, optional
        ``RENETTE_HOME`` for Voila's kernels (default: inherited).
    port, scheduler_port : int, optional
        Preferred ports (a free one is used when taken).
    notebook : Path
        The notebook Voila serves.
    ip : str
        Interface Voila listens on.
    """

    def __init__(self, n_workers: int = 2, voila: bool = True, home: str | Path | None = None,
                 port: int | None = None, scheduler_port: int | None = None,
                 notebook: Path = NOTEBOOK, ip: str = "127.0.0.1",
                 log_dir: str | Path | None = None) -> None:
        self.n_workers = n_workers
        self.voila = voila
        self.home = str(home) if home is not None else None
        self.port = free_port(port) if voila else None
        self.scheduler_port = free_port(scheduler_port)
        self.notebook = Path(notebook)
        self.ip = ip
        self.log_dir = Path(log_dir) if log_dir else None
        self.procs: list[subprocess.Popen] = []

    @property
    def scheduler_address(self) -> str:
        return f"tcp://127.0.0.1:{self.scheduler_port}"

    @property
    def url(self) -> str | None:
        """The dashboard URL (Voila renders the notebook at /)."""
        return f"http://{self.ip}:{self.port}/" if self.voila else None

    def _env(self) -> dict[str, str]:
        env = {**os.environ, **worker_env(), "DASK_SCHEDULER_ADDRESS": self.scheduler_address,
               # dask parses the value as a Python literal (config.MALLOC_ENV)
               "DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON": repr(pre_spawn_environ())}
        if self.home:
            env["RENETTE_HOME"] = self.home
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(JUPYTER_DATA)] + ([os.environ["JUPYTER_PATH"]] if os.environ.get("JUPYTER_PATH") else []))
        return env

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        out = subprocess.DEVNULL
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives with the process
        proc = subprocess.Popen(args, env=self._env(), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start(self, timeout: float = 180) -> "Stack":
        """Start everything and wait until R is warm and Voila answers."""
        try:
            self._spawn("scheduler", [_bin("dask"), "scheduler", "--host", "127.0.0.1",
                                      "--port", str(self.scheduler_port),
                                      "--no-dashboard"])
            for i in range(self.n_workers):
                self._spawn(f"worker-{i}", [_bin("dask"), "worker", self.scheduler_address,
                                            "--nthreads", "1", "--nworkers", "1",
                                            "--host", "127.0.0.1", "--no-dashboard",
                                            "--name", f"renette-{i}"])
            deadline = time.time() + timeout
            with Client(self.scheduler_address, timeout=timeout,
                        set_as_default=False) as client:
                client.wait_for_workers(self.n_workers, timeout=max(1, deadline - time.time()))
                attach(client)  # R, WGCNA and renette load in every worker now
            if self.voila:
                self._spawn("voila", self._voila_args())
                self._wait_http(self.url, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _voila_args(self) -> list[str]:
        return [_bin("voila"), str(self.notebook), "--no-browser",
                f"--port={self.port}", f"--Voila.ip={self.ip}",
                "--strip_sources=True", "--show_tracebacks=False",
                # the lab template less its CDN stylesheets (icons come with Voila)
                "--template=renette",
                # A kernel is started ahead with the notebook executed, so a
                # visitor gets an interactive page at once.
                "--preheat_kernel=True", "--pool_size=1",
                # Idle kernels (closed tabs) are culled after 30 minutes.
                "--MappingKernelManager.cull_interval=60",
                "--MappingKernelManager.cull_idle_timeout=1800",
                "--MappingKernelManager.cull_connected=False"]

    def _wait_http(self, url: str, deadline: float) -> None:
        while time.time() < deadline:
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError("a process of the stack exited during start-up")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - local URL
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f"{url} did not answer in time")

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def stop(self, grace: float = 10) -> None:
        """Stop the processes this stack started (Voila first, scheduler last)."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + grace
        for proc in reversed(self.procs):
            try:
                proc.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        self.procs = []

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``make run``."""
    ap = argparse.ArgumentParser(description="Serve the ReNette dashboard.")
    ap.add_argument("--workers", type=int, default=n_workers())
    ap.add_argument("--port", type=int, default=int(os.environ.get("RENETTE_PORT", 8866)))
    ap.add_argument("--ip", default=os.environ.get("RENETTE_IP", "127.0.0.1"))
    ap.add_argument("--scheduler-port", type=int, default=8786)
    args = ap.parse_args(argv)

    def interrupt(signum, frame):  # SIGTERM/SIGHUP stop as Ctrl-C does
        raise KeyboardInterrupt
    # Explicit handlers: a shell may have started us with SIGINT ignored.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    print(f"starting dask scheduler, {args.workers} R worker(s) and Voila...", flush=True)
    stack = Stack(n_workers=args.workers, port=args.port, ip=args.ip,
                  scheduler_port=args.scheduler_port)
    try:
        stack.start()
    except KeyboardInterrupt:
        return 130
    print(f"\nReNette dashboard: {stack.url}\n(dask scheduler at "
          f"{stack.scheduler_address}; Ctrl-C stops everything)\n", flush=True)
    try:
        while stack.alive():
            time.sleep(1)
        print("a process of the stack exited; stopping", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
