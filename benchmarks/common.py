"""What every benchmark shares: inputs, timers, the reference R process, tables.

Benchmarks compare our dask jobs with the same work done in one plain R
process (``benchmarks/reference.R``, run with ``Rscript``), measured in the
same run: this machine is noisy, so only ratios are meaningful.  The
reference R process reads its inputs as raw little-endian doubles (written by
:func:`write_doubles`), so no CSV parsing is timed.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

# One BLAS thread here too (netrd runs in this process): one core against one core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # run as `python benchmarks/bench_x.py`

from renette_widgets import workflows  # noqa: E402
from renette_widgets.config import SINGLE_THREAD_ENV, default_r_libs  # noqa: E402
from renette_widgets.jobs.cluster import attach, local_cluster  # noqa: E402
from renette_widgets.jobs.job import Job  # noqa: E402

REFERENCE_R = HERE / "reference.R"


# ---------------------------------------------------------------- inputs

def random_networks(N: int, n: int, seed: int) -> list[np.ndarray]:
    """``N`` symmetric weighted networks on ``n`` nodes, 20% dense, weights in [0, 1]."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(N):
        w = rng.random((n, n)) * (rng.random((n, n)) < 0.2)
        a = np.triu(w, 1)
        out.append(a + a.T)
    return out


def quick_nets(seed: int) -> dict[str, pd.DataFrame]:
    """Three symmetric 30-node networks, a quick distance job's inputs (the load
    test, tests/e2e/test_load.py, and bench_fairness.py)."""
    rng = np.random.default_rng(seed)
    names = [f"n{i}" for i in range(30)]
    out = {}
    for k in range(3):
        a = rng.random((30, 30))
        a = (a + a.T) / 2
        np.fill_diagonal(a, 0)
        out[f"q{k}"] = pd.DataFrame(a, index=names, columns=names)
    return out


def random_data(rows: int, cols: int, seed: int, modules: int = 5) -> np.ndarray:
    """Samples x variables with correlated modules (so networks are not pure noise)."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((rows, modules))
    load = rng.standard_normal((modules, cols)) * (rng.random((modules, cols)) < 0.3)
    return latent @ load + rng.standard_normal((rows, cols))


def write_doubles(path: Path, arrays: list[np.ndarray]) -> None:
    """Arrays (column-major, float64) back to back in one raw file for R's readBin."""
    with open(path, "wb") as f:
        for a in arrays:
            f.write(np.asfortranarray(a, dtype="<f8").tobytes(order="F"))


# ---------------------------------------------------------------- timing

@contextmanager
def stopwatch(out: dict, key: str):
    """``out[key]`` = wall seconds of the block."""
    t0 = time.perf_counter()
    yield
    out[key] = time.perf_counter() - t0


def run_reference(task: str, *args: object, timeout: float = 1800) -> dict:
    """Run ``reference.R TASK ARGS...`` in a fresh Rscript; its JSON answer.

    The R process gets the same single-thread BLAS environment as the dask
    workers, so the comparison is one core against one core.
    """
    env = dict(os.environ, **SINGLE_THREAD_ENV)
    libs = default_r_libs()
    if libs:
        env["R_LIBS"] = libs
    cmd = ["Rscript", "--vanilla", str(REFERENCE_R), task, *map(str, args)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- cluster

def make_client(n_workers: int = 2):
    """A LocalCluster of R workers (one thread each), the one ``get_client`` makes."""
    from distributed import Client
    return attach(Client(local_cluster(n_workers), set_as_default=False))


def close_client(client) -> None:
    cluster = client.cluster
    client.close()
    cluster.close()


def cpu_seconds(client) -> float:
    """User+system CPU seconds used so far by the workers, the scheduler and this process."""
    def own() -> float:
        import psutil
        t = psutil.Process().cpu_times()
        return t.user + t.system
    workers = sum(client.run(own).values())
    return workers + client.run_on_scheduler(own) + own()


def run_job(client, workflow: str, frames: dict, params: dict) -> tuple[object, float, float]:
    """Run one job to the end; returns (job, wall seconds, CPU seconds of cluster+client).

    The inputs are taken as they are (no input checks): the job's own cost."""
    flow = workflows.get(workflow)
    params = flow.validate_params(params)
    cpu0 = cpu_seconds(client)
    t0 = time.perf_counter()
    job = Job(flow, frames, params, client=client).start().wait()
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(client) - cpu0
    if job.status != "done":
        raise RuntimeError(f"{workflow} job {job.status}: {job.error}")
    return job, wall, cpu


# ---------------------------------------------------------------- output

def machine() -> dict:
    """nproc, CPU model and memory of this machine (benchmarks/RESULTS.md, "How to read this file")."""
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gib": round(mem / 2 ** 20, 1),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def table(title: str, header: list[str], rows: list[list], note: str = "") -> str:
    """A Markdown table, printed (copied by hand: benchmarks/RESULTS.md, "How to read this file")."""
    def fmt(v):
        if isinstance(v, float):
            return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"
        return str(v)
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    if note:
        lines += ["", note]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return text


def save(name: str, data: dict) -> None:
    """Raw numbers of one benchmark run, in benchmarks/out/NAME.json."""
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps({"machine": machine(), **data}, indent=1,
                                                 default=float))
