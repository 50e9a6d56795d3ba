"""``make run``: a dask scheduler, dask workers with R warm, and Voila.

The same stack is usable from tests::

    with Stack(n_workers=2, home=tmp_path) as stack:
        stack.url                  # the dashboard (when voila=True)
        stack.scheduler_address    # tcp://127.0.0.1:PORT

Each part is a separate process (``dask scheduler``, ``dask worker``,
``voila``); Voila's kernels reach the cluster through
``DASK_SCHEDULER_ADDRESS``, so they never start R themselves.

Kernels (issue 16, ``docs/deployment.md``): a page's kernel ends when the page
is closed or reloaded, or ``RENETTE_KERNEL_IDLE_S`` seconds (default 120)
after its page's connection dropped; at most ``RENETTE_MAX_KERNELS`` pages
(default 16) are open at once, besides the pre-heated kernel. Voila's side of
this is ``jupyter/pylib/renette_voila.py``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import threading
import sys
import time
import urllib.request
from pathlib import Path

from distributed import Client

from .config import home as config_home
from .config import n_workers, pre_spawn_environ, retention_days, user_header, worker_env
from .jobs import retention
from .jobs.cluster import attach
from .io.location import STORAGE_VARIABLES
from .jobs.plan import LONG

REPO = Path(__file__).resolve().parent.parent
#: Seconds between two applications of the retention policy (jobs.retention).
RETENTION_EVERY = 3600.0
NOTEBOOK = REPO / "notebooks" / "renette.ipynb"
#: Holds voila/templates/renette: Voila's page without requests to a CDN.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
#: Holds renette_voila, the classes Voila is configured with; put on the Voila
#: server's PYTHONPATH so that it imports them without this (heavy) package.
VOILA_PYLIB = JUPYTER_DATA / "pylib"
#: Seconds a page's kernel lives on once no page is connected to it.
IDLE_ENV, IDLE_DEFAULT = "RENETTE_KERNEL_IDLE_S", 120.0
#: Pages open at once (each a kernel); the pre-heated kernel comes on top.
MAX_KERNELS_ENV, MAX_KERNELS_DEFAULT = "RENETTE_MAX_KERNELS", 16
#: Token of Voila's ``GET /api/kernels`` (``renette_voila.KernelListHandler``).
ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER = "RENETTE_ADMIN_TOKEN", "X-Renette-Admin-Token"


def free_port(preferred: int | None = None) -> int:
    """``preferred`` if it is free, else a free TCP port on localhost.

    The port is chosen below the kernel's ephemeral range (where every ``bind(0)``
    lands: dask's workers, kernels, S3 clients): between our check and the server's
    own bind another process could otherwise take it, and a request meant for Voila
    would reach a dask comm.
    """
    below = range(10000, _ephemeral_low())
    candidates = [preferred] if preferred else []
    candidates += random.sample(below, min(200, len(below))) + [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def _ephemeral_low() -> int:
    """Where the kernel's range for ``bind(0)`` starts (Linux's default if unreadable)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _env_number(name: str, default: float, cast: type = float) -> float:
    """A number from the environment (``default`` when unset or empty)."""
    value = os.environ.get(name, "").strip()
    try:
        return cast(value) if value else default
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number") from None


def _bin(name: str) -> str:
    """An executable of this Python environment (dask, voila)."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


# A worker "on another machine": /tmp and ~/.renette hidden by empty tmpfs, except
# the folders it runs from (a clone under /tmp: bound back in place).
_ISOLATE = r"""
set -e
base=$(mktemp -d /dev/shm/renette-keep.XXXXXX)
i=0; IFS=:
for d in $RENETTE_KEEP; do mkdir -p "$base/$i"; mount --bind "$d" "$base/$i"; i=$((i+1)); done
mount -t tmpfs tmpfs /tmp
if [ -d "$HOME/.renette" ]; then mount -t tmpfs tmpfs "$HOME/.renette"; fi
i=0
for d in $RENETTE_KEEP; do
  case "$d" in /tmp|/tmp/*) mkdir -p "$d"; mount --bind "$base/$i" "$d";; esac; i=$((i+1))
done
unset IFS RENETTE_KEEP
exec "$@"
"""
#: Variables a storage library reads credentials from: an isolated worker has none
#: (it gets them through dask, jobs.cluster.StorageEnv, or not at all).
STORAGE_ENV = frozenset(v for names in STORAGE_VARIABLES.values() for v in names)


def isolated(args: list[str]) -> list[str]:
    """``args`` run in a mount namespace of their own (``unshare --mount``, as root),
    where ``/tmp`` and ``~/.renette`` are empty: the command sees this machine's
    code, Python and R, but none of the client's files."""
    keep = sorted({str(REPO), sys.prefix, sys.base_prefix}
                  | ({os.environ["RENETTE_R_LIBS"]} if os.environ.get("RENETTE_R_LIBS") else set()))
    return ["env", f"RENETTE_KEEP={':'.join(keep)}", "unshare", "--mount",
            "--propagation", "private", "sh", "-c", _ISOLATE, "sh", *args]


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
    log_dir : str or Path, optional
        Where each process writes its log (``voila.log``, ...); default: nowhere.
    kernel_idle_s : float, optional
        Seconds a page's kernel lives on without a connected page (default:
        ``RENETTE_KERNEL_IDLE_S``, else 120).
    max_kernels : int, optional
        Pages open at once, each with its kernel; 0 means no cap (default:
        ``RENETTE_MAX_KERNELS``, else 16).
    admin_token : str, optional
        Token of Voila's ``GET /api/kernels`` (see `kernels`); default:
        ``RENETTE_ADMIN_TOKEN``, else a random one known to this object only.
    isolate : bool
        Start each worker in a mount namespace of its own (:func:`isolated`: Linux,
        as root), where ``/tmp`` and ``~/.renette`` are empty and the storage
        credentials are not set: a worker as on another machine, which shares
        nothing with the client but the store's URL and dask.
    """

    def __init__(self, n_workers: int = 2, voila: bool = True, home: str | Path | None = None,
                 port: int | None = None, scheduler_port: int | None = None,
                 notebook: Path = NOTEBOOK, ip: str = "127.0.0.1",
                 log_dir: str | Path | None = None, kernel_idle_s: float | None = None,
                 max_kernels: int | None = None, admin_token: str | None = None,
                 isolate: bool = False) -> None:
        self.n_workers = n_workers
        self.isolate = isolate
        self.voila = voila
        self.home = str(home) if home is not None else None
        self.port = free_port(port) if voila else None
        self.scheduler_port = free_port(scheduler_port)
        self.notebook = Path(notebook)
        self.ip = ip
        self.log_dir = Path(log_dir) if log_dir else None
        self.kernel_idle_s = float(kernel_idle_s if kernel_idle_s is not None
                                   else _env_number(IDLE_ENV, IDLE_DEFAULT))
        self.max_kernels = int(max_kernels if max_kernels is not None
                               else _env_number(MAX_KERNELS_ENV, MAX_KERNELS_DEFAULT, int))
        if self.kernel_idle_s <= 0 or self.max_kernels < 0:
            raise ValueError(f"{IDLE_ENV} must be > 0 and {MAX_KERNELS_ENV} >= 0")
        self.admin_token = admin_token or os.environ.get(ADMIN_TOKEN_ENV) or secrets.token_hex(16)
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

    def _voila_env(self) -> dict[str, str]:
        env = self._env()
        env["PYTHONPATH"] = os.pathsep.join(
            [str(VOILA_PYLIB)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        env[ADMIN_TOKEN_ENV] = self.admin_token  # the kernels do not inherit it (renette_voila)
        return env

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        out = subprocess.DEVNULL
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives with the process
        proc = subprocess.Popen(args, env=env or self._env(), stdout=out, stderr=subprocess.STDOUT,
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
                args = ([_bin("dask"), "worker", self.scheduler_address,
                         "--nthreads", "1", "--nworkers", "1",
                         "--host", "127.0.0.1", "--no-dashboard", "--name", f"renette-{i}"]
                        # all but worker 0 take long tasks: a quick job always
                        # finds a worker (jobs.plan.LONG)
                        + (["--resources", f"{LONG}=1"] if i > 0 else []))
                if self.isolate:
                    env = {k: v for k, v in self._env().items() if k not in STORAGE_ENV}
                    self._spawn(f"worker-{i}", isolated(args), env=env)
                else:
                    self._spawn(f"worker-{i}", args)
            deadline = time.time() + timeout
            if self.n_workers:  # none: pages only (tests of the pages themselves)
                with Client(self.scheduler_address, timeout=timeout,
                            set_as_default=False) as client:
                    client.wait_for_workers(self.n_workers, timeout=max(1, deadline - time.time()))
                    attach(client)  # R and renette load in every worker now
            if self.voila:
                threading.Thread(target=self._sweep, daemon=True, name="renette-retention").start()
                self._spawn("voila", self._voila_args(), env=self._voila_env())
                # Not the page itself: a GET of it takes a kernel nobody would close.
                self._wait_http(self.url + "renette/ready", deadline)
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
                # nbclient drops a cell's outputs that come later than this after
                # its reply (default 4 s): on a busy machine the pre-heated page
                # then lacked the dashboard. Waits only when output is late.
                "--VoilaExecutor.iopub_timeout=120",
                "--Voila.log_format=[%(name)s %(asctime)s]%(highlevel)s %(message)s",
                "--Voila.log_datefmt=%H:%M:%S",
                # Pool, cull and cap (renette_voila.RenetteKernelManager); the
                # identity provider sets the page's _xsrf cookie, which the
                # shutdown Voila's page posts on unload needs, and serves the
                # "server is full" page.
                "--VoilaConfiguration.multi_kernel_manager_class=renette_voila.RenetteKernelManager",
                "--Voila.identity_provider_class=renette_voila.RenetteIdentityProvider",
                f"--RenetteKernelManager.max_pages={self.max_kernels}",
                # A kernel is culled kernel_idle_s after its page left, checked
                # a few times within that span.
                f"--MappingKernelManager.cull_idle_timeout={self.kernel_idle_s:g}",
                f"--MappingKernelManager.cull_interval={max(1, min(60, round(self.kernel_idle_s / 4)))}"
                ] + ([f"--VoilaConfiguration.http_header_envs={[user_header()]!r}"]
                     # behind an authenticating proxy: the kernel learns its user
                     # (HTTP_<NAME>; jobs.workspace.identify)
                     if user_header() else [])

    def _sweep(self, every: float = RETENTION_EVERY) -> None:
        """Apply the retention policy now and then every ``every`` s, while the stack runs."""
        home = self.home or str(config_home())
        while self.procs:
            try:
                removed = retention.sweep(home, retention_days())
                if removed:
                    print(f"retention: removed {len(removed)} workspace(s) unused for "
                          f"{retention_days():g} days", flush=True)
            except OSError as exc:  # a store on a failing disk: say so, try again later
                print(f"retention: {exc}", file=sys.stderr, flush=True)
            time.sleep(every)

    def kernels(self) -> list[dict]:
        """Voila's kernels (``GET /api/kernels`` with the admin token).

        Each is jupyter_server's kernel model (``id``, ``connections``,
        ``execution_state``, ...) with ``pool``: whether it is the pre-heated one.
        """
        req = urllib.request.Request(self.url + "api/kernels",
                                     headers={ADMIN_TOKEN_HEADER: self.admin_token})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def _wait_http(self, url: str, deadline: float) -> None:
        while time.time() < deadline:
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError("a process of the stack exited during start-up")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - local URL
                    if r.status == 200:
                        return
            except OSError:  # not listening yet, or 503 until the pool is ready
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
          f"{stack.scheduler_address}; Ctrl-C stops everything)\n"
          f"At most {stack.max_kernels or 'unlimited'} pages at once ({MAX_KERNELS_ENV}); a page's "
          f"kernel ends when it is closed, or {stack.kernel_idle_s:g} s after its connection "
          f"dropped ({IDLE_ENV}).\n", flush=True)
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
