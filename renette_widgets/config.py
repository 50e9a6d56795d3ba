"""Settings read from the environment, in one place for the client and the workers.

========================  ==========================================  =================
variable                  meaning                                     default
========================  ==========================================  =================
``RENETTE_HOME``          the results store: a folder or a URL        ``~/.renette``
                          (``s3://``, ``gs://``, ``abfs://``)
``RENETTE_R_LIBS``        R library holding the ``renette`` package   the repo's ``.rlib``
``RENETTE_WORKERS``       workers of the embedded dask cluster        2
``RENETTE_MAX_UPLOAD_MB`` largest input file read                     200
``RENETTE_MAX_NODES``     largest network (nodes per side)            5000
``DASK_SCHEDULER_ADDRESS`` an external dask scheduler                 embedded cluster
``RENETTE_WORKSPACE``     the workspace of the API and CLI            none: ``RENETTE_HOME/jobs``
``RENETTE_USER_HEADER``   request header naming the signed-in user    none: workspace links
                          (set by an authenticating proxy)
``RENETTE_QUOTA_JOBS``    running jobs a workspace may have           4
``RENETTE_QUOTA_MB``      disk a workspace may fill (inputs, results) 5000
``RENETTE_QUOTA_MATRIX_MB`` largest input matrix (8 bytes a cell)     1000
``RENETTE_RETENTION_DAYS`` days a job is kept after its workspace's   30 (0: forever)
                          last use (applied by ``make run``'s server)
========================  ==========================================  =================

Quotas and retention are shown on the dashboard's page (the header).
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

DEFAULT_MAX_UPLOAD_MB = 200
# The Laplacian spectrum of a dense 5000-node network already takes minutes.
DEFAULT_MAX_NODES = 5000
DEFAULT_WORKERS = 2
DEFAULT_QUOTA_JOBS = 4
DEFAULT_QUOTA_MB = 5000
DEFAULT_QUOTA_MATRIX_MB = 1000
DEFAULT_RETENTION_DAYS = 30

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
# also pins the mmap threshold at 128 KB) each one is new pages to fault in
# (benchmarks/RESULTS.md, "Measurements the code relies on"). glibc reads
# them at process start: they go in dask's pre-spawn environment.
MALLOC_ENV = {"MALLOC_TRIM_THRESHOLD_": "268435456", "MALLOC_MMAP_THRESHOLD_": "33554432"}

# The dashboard's kernel, the other way round: it reads large networks from the
# store a few MB at a time (Zarr chunks, slices of rows), in two threads (two
# malloc arenas). glibc's default raises its mmap threshold to the largest buffer
# freed (up to 32 MB), after which such buffers come from the arenas and stay
# there: a 20,000-variable page's kernel peaked ~190 MB higher (benchmarks/
# RESULTS.md, "Front-end memory"). A fixed threshold hands them back.
KERNEL_MMAP_THRESHOLD = 2**20
_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


def return_large_buffers() -> bool:
    """Have glibc return freed buffers of :data:`KERNEL_MMAP_THRESHOLD` bytes or
    more to the system (``mallopt(M_MMAP_THRESHOLD)``), in this process; True
    when done (glibc only: elsewhere nothing changes). Idempotent."""
    try:
        import ctypes
        return bool(ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, KERNEL_MMAP_THRESHOLD))
    except (OSError, AttributeError):
        return False


def home() -> str:
    """The results store: ``RENETTE_HOME`` (a folder, or an fsspec URL such as
    ``s3://bucket/store``) or ``~/.renette``. A string: the store opens it
    (:func:`renette_widgets.io.location.location`)."""
    return os.environ.get("RENETTE_HOME") or str(Path.home() / ".renette")


def local_home() -> Path:
    """This machine's own state (kernels' busy marks, the shared cluster's
    scheduler file): ``RENETTE_HOME`` when it is a local folder, else
    ``~/.renette``."""
    value = home()
    if "://" not in value:
        return Path(value).expanduser()
    if value.lower().startswith(("file://", "local://")):
        return Path(value.split("://", 1)[1]).expanduser()
    return Path.home() / ".renette"


def scheduler_address() -> str:
    """``DASK_SCHEDULER_ADDRESS``, or "" for the embedded cluster."""
    return os.environ.get("DASK_SCHEDULER_ADDRESS") or ""


def n_workers() -> int:
    """Workers of the embedded cluster: ``RENETTE_WORKERS`` (default 2)."""
    return int(_env_number("RENETTE_WORKERS", DEFAULT_WORKERS))


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
    import dask  # deferred: reading the settings needs no dask
    base = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    return {**{k: str(v) for k, v in base.items()}, **MALLOC_ENV}


def _env_number(var: str, default: float) -> float:
    raw = os.environ.get(var, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"environment variable {var}={raw!r} is not a number",
                         hint=f"Set it to a positive number (default {default}).") from None
    if not value > 0:
        raise InputError(f"environment variable {var}={raw!r} must be positive")
    return value


def max_upload_bytes() -> int:
    """Largest accepted input file, from ``RENETTE_MAX_UPLOAD_MB`` (default 200)."""
    return int(_env_number("RENETTE_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024)


def max_nodes() -> int:
    """Largest accepted adjacency side, from ``RENETTE_MAX_NODES`` (default 5000)."""
    return int(_env_number("RENETTE_MAX_NODES", DEFAULT_MAX_NODES))


def _env_count(var: str, default: float, zero_ok: bool = False) -> float:
    raw = os.environ.get(var, "").strip()
    if zero_ok and raw in ("0", "0.0"):
        return 0.0
    return _env_number(var, default)


def quota_jobs() -> int:
    """Jobs one workspace may have running at once (``RENETTE_QUOTA_JOBS``)."""
    return int(_env_number("RENETTE_QUOTA_JOBS", DEFAULT_QUOTA_JOBS))


def quota_bytes() -> int:
    """Disk one workspace may fill (``RENETTE_QUOTA_MB``)."""
    return int(_env_number("RENETTE_QUOTA_MB", DEFAULT_QUOTA_MB) * 1024 * 1024)


def quota_matrix_bytes() -> int:
    """Largest input matrix, as float64 in memory (``RENETTE_QUOTA_MATRIX_MB``)."""
    return int(_env_number("RENETTE_QUOTA_MATRIX_MB", DEFAULT_QUOTA_MATRIX_MB) * 1024 * 1024)


def retention_days() -> float:
    """Days a job is kept after its workspace was last used (``RENETTE_RETENTION_DAYS``;
    0 keeps everything)."""
    return _env_count("RENETTE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, zero_ok=True)


def user_header() -> str:
    """The request header an authenticating proxy sets to the user's name
    (``RENETTE_USER_HEADER``), or "" when workspaces are links."""
    return os.environ.get("RENETTE_USER_HEADER", "").strip()


# R's vector heap trigger (R_VSIZE, read when R starts). With WGCNA loaded a
# full garbage collection marks millions of cons cells, and with R's small
# default heap a task sending a few MB of networks to R ran one per call
# (benchmarks/RESULTS.md, "Measurements the code relies on"). A larger
# trigger makes collections rare; it lets garbage grow to that size, so the
# worker plugin scales it to the worker's memory limit.
R_VSIZE_MAX = 2**30
R_VSIZE_MIN = 64 * 2**20


def r_vsize(memory_limit: int | None) -> int:
    """R_VSIZE for a worker: a quarter of its memory limit, within 64 MB and 1 GB."""
    if not memory_limit:
        return R_VSIZE_MAX
    return int(min(R_VSIZE_MAX, max(R_VSIZE_MIN, memory_limit // 4)))
