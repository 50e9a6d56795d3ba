"""Differential networks (issues 15, 22): the job against a direct numpy computation
of the same pair table, measured in the same run, at several sizes.

- The floor (``direct``): numpy in this process, one BLAS thread: the two
  correlation matrices, r's p-values (scipy's incomplete beta), Fisher z,
  ``p_diff``, BH (one argsort), the classes, and one Parquet write of every
  pair (pyarrow's defaults). What the issue calls the direct computation.
- The job: ``rw.differential``'s workflow on a 2-worker LocalCluster writing to a
  store, pearson/BH, with ``node_perm = 0`` and with 100 node permutations
  (default parameters otherwise: the conditions' networks, HIM between them,
  the summary across conditions). At 20,000 variables the distances (two
  spectra of 20,000 x 20,000 networks) do not fit a worker: ``distances=False``
  and ``keep="q"`` (the pairs with q <= 0.25 stored, class counts over all).
- Memory: the workers' peak RSS (sampled every 20 ms), and the floor's peak RSS.
- Permutation memory: ``node_perm`` 100 vs 1000 on 2 x (100 x 500), each on a
  fresh 1-worker cluster.

Usage: ``python benchmarks/bench_differential.py [--quick] [--sizes 500,2000,5000]
[--big]`` (``--big`` adds 20,000 variables: minutes). Writes
``benchmarks/out/differential.json`` and ``benchmarks/differential.png``.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from common import HERE, close_client, make_client, random_data, save, stopwatch, table

from renette_widgets import workflows
from renette_widgets.jobs.job import Job
from renette_widgets.jobs.store import Store


def frames(rows: int, cols: int, seed: int) -> dict[str, pd.DataFrame]:
    names = [f"g{j}" for j in range(cols)]
    return {c: pd.DataFrame(random_data(rows, cols, seed + k), columns=names)
            for k, c in enumerate(("A", "B"))}


def direct(x: np.ndarray, y: np.ndarray, names: list[str], out: Path) -> dict:
    """The pair table in numpy in this process (the floor); seconds per step."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from scipy import special
    t, t0 = {}, time.perf_counter()

    def cor(a):
        a = a - a.mean(axis=0)
        a /= np.sqrt((a * a).sum(axis=0))
        return np.clip(a.T @ a, -1, 1)
    p = x.shape[1]
    i, j = np.triu_indices(p, 1)
    ra, rb = cor(x)[i, j], cor(y)[i, j]
    t["cor"] = time.perf_counter() - t0

    def pval(r, n):
        return special.betainc((n - 2) / 2, 0.5, 1 - r * r)  # the t test of r
    pa_, pb_ = pval(ra, len(x)), pval(rb, len(y))
    t["p"] = time.perf_counter() - t0
    z = (np.arctanh(np.minimum(rb, 0.99)) - np.arctanh(np.minimum(ra, 0.99))) / np.sqrt(
        1 / (len(x) - 3) + 1 / (len(y) - 3))
    pd_ = 2 * special.ndtr(-np.abs(z))
    t["z"] = time.perf_counter() - t0
    m = len(pd_)
    o = np.argsort(-pd_)
    q = np.empty(m)
    q[o] = np.minimum(np.minimum.accumulate(m / np.arange(m, 0, -1.0) * pd_[o]), 1)
    t["bh"] = time.perf_counter() - t0
    code = (3 * ((pa_ < 0.05) * np.sign(ra)) + (pb_ < 0.05) * np.sign(rb) + 4).astype(np.int8)
    t["class"] = time.perf_counter() - t0
    labels = pa.array(names)
    pq.write_table(pa.table({
        "var1": pa.DictionaryArray.from_arrays(pa.array(i.astype(np.int32)), labels),
        "var2": pa.DictionaryArray.from_arrays(pa.array(j.astype(np.int32)), labels),
        "r_A": ra, "p_A": pa_, "r_B": rb, "p_B": pb_, "z_diff": z, "p_diff": pd_,
        "q_diff": q, "class": code}), out, row_group_size=1 << 20)
    t["write"] = time.perf_counter() - t0
    t["wall"] = t["write"]
    return t


def start_sampler(dask_worker) -> None:
    """Sample the worker's RSS every 20 ms (its peak during a job)."""
    import threading

    import psutil
    proc = psutil.Process()
    state = {"base": proc.memory_info().rss, "peak": 0, "stop": False}

    def loop():
        while not state["stop"]:
            state["peak"] = max(state["peak"], proc.memory_info().rss)
            time.sleep(0.02)
    threading.Thread(target=loop, daemon=True).start()
    dask_worker._bench_rss = state


def stop_sampler(dask_worker) -> tuple[int, int]:
    state = dask_worker._bench_rss
    state["stop"] = True
    return state["base"], max(state["peak"], state["base"])


def run(client, data: dict, params: dict, store) -> tuple[Job, float, dict, list]:
    """One job; its wall time, compute seconds per stage, and each worker's (base, peak) RSS."""
    from distributed import get_task_stream
    flow = workflows.get("differential")
    p = flow.validate_params(params)
    matrices = flow.check_inputs(data, p)
    client.run(start_sampler)
    out: dict = {}
    with get_task_stream(client) as ts, stopwatch(out, "wall"):
        job = Job(flow, matrices, p, client=client, store=store).start().wait()
    rss = list(client.run(stop_sampler).values())
    if job.status != "done":
        raise RuntimeError(f"differential job {job.status}: {job.error}")
    stages: dict[str, float] = defaultdict(float)
    for task in ts.data:
        stage = str(task["key"]).split("-")[0]
        stages[stage] += sum(s["stop"] - s["start"] for s in task["startstops"]
                             if s["action"] == "compute")
    return job, out["wall"], dict(stages), rss


def disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def perm_memory(rows: int, cols: int, params: dict) -> tuple[int, int]:
    """(peak RSS, growth) of a fresh 1-worker cluster running one job (permutations)."""
    client = make_client(1)
    try:
        client.submit(sum, [1], pure=False).result()  # R started
        _, _, _, ((base, peak),) = run(client, frames(rows, cols, 3),
                                       {"distances": False, **params}, None)
        return peak, peak - base
    finally:
        close_client(client)


def plot(rows: list[dict], path: Path) -> None:
    """Wall time and job/floor against variables (matplotlib: the ``bench`` extra)."""
    try:
        import matplotlib
    except ImportError:
        print("matplotlib not installed (pip install '.[bench]'): no plot; "
              "`python benchmarks/bench_differential.py --plot` draws it from "
              "benchmarks/out/differential*.json", flush=True)
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    for label, style in (("node_perm 0", "o-"), ("node_perm 100", "s-")):
        pts = sorted((r for r in rows if r["job"] == label), key=lambda r: r["p"])
        a.loglog([r["p"] for r in pts], [r["wall"] for r in pts], style, label=f"job, {label}")
        pts = [r for r in pts if r["floor"] == r["floor"]]  # 20,000: no floor (memory)
        b.semilogx([r["p"] for r in pts], [r["ratio"] for r in pts], style, label=label)
    floor = {r["p"]: r["floor"] for r in rows if r["floor"] == r["floor"]}
    a.loglog(sorted(floor), [floor[p] for p in sorted(floor)], "k--", label="direct numpy (floor)")
    a.set_xlabel("variables")
    a.set_ylabel("seconds (wall)")
    a.legend()
    a.set_title("2 x (100 x p) pearson/BH")
    b.axhline(1.5, color="grey", ls=":")
    b.axhline(4, color="grey", ls=":")
    b.set_xlabel("variables")
    b.set_ylabel("job / floor")
    b.legend()
    b.set_title("job against the direct computation, same run")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str]) -> None:
    if "--plot" in argv:  # from the saved runs
        import json
        rows = [r for f in sorted((HERE / "out").glob("differential*.json"))
                for r in json.loads(f.read_text()).get("rows", [])]
        plot(rows, HERE / "differential.png")
        return
    quick = "--quick" in argv
    sizes = [300, 600] if quick else [500, 2000, 5000]
    for arg in argv:
        if arg.startswith("--sizes="):
            sizes = [int(s) for s in arg.split("=", 1)[1].split(",")]
    if "--big" in argv:
        sizes.append(20000)
    name = "differential_" + "_".join(map(str, sizes))  # out/<name>.json
    rows_out, raw = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        client = make_client(2)
        try:
            run(client, frames(20, 10, 0), {}, None)  # warm-up
            for p in sizes:
                data = frames(100, p, 1)
                big = p > 10000
                names = list(data["A"].columns)
                rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                if big:  # 200 million pairs, ten columns: no room for the floor's table
                    floor = {"wall": float("nan")}
                else:
                    floor = direct(*(d.to_numpy() for d in data.values()), names,
                                   Path(tmp) / "direct.parquet")
                    (Path(tmp) / "direct.parquet").unlink()
                floor_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
                for perms in ((100,) if big else (0, 100)):
                    params = {"node_perm": perms}
                    if big:
                        params.update(keep="q")
                    store = Store(Path(tmp) / f"store-{p}-{perms}")
                    job, wall, stages, rss = run(client, data, params, store)
                    label = f"node_perm {perms}"
                    rows_out.append({"p": p, "job": label, "wall": wall, "floor": floor["wall"],
                                     "ratio": wall / floor["wall"],
                                     "peak": max(pk for _, pk in rss) / 2**30,
                                     "disk": disk(Path(tmp) / f"store-{p}-{perms}") / 2**30,
                                     "floor_rss": floor_rss / 2**30, "tasks": job.total,
                                     "big": big})
                    raw[f"{p}-{perms}"] = {"wall": wall, "stages": stages, "rss": rss,
                                           "floor": floor, "floor_rss0": rss0}
                    print(rows_out[-1], {k: round(v, 2) for k, v in stages.items()}, flush=True)
                    store_dir = Path(tmp) / f"store-{p}-{perms}"
                    import shutil
                    shutil.rmtree(store_dir, ignore_errors=True)
        finally:
            close_client(client)
    table("Differential: 2 x (100 x p) pearson/BH, job against the direct numpy computation",
          ["variables", "job", "wall s", "floor s", "job/floor", "worker peak GiB",
           "store GiB", "tasks"],
          [[r["p"], r["job"] + (" (distances off, keep q<=0.25)" if r["big"] else ""),
            r["wall"], r["floor"], r["ratio"], r["peak"], r["disk"], r["tasks"]]
           for r in rows_out],
          "floor: numpy in this process (two correlation matrices, betainc p-values, Fisher z, "
          "p_diff, BH, classes, one Parquet write of every pair). Job: a 2-worker LocalCluster "
          "writing to a store, default parameters otherwise.")
    if "--no-memory" in argv:
        save(name, {"rows": rows_out, "raw": raw})
        return
    # memory flat in the number of permutations (node level, and the pairs'
    # permutation FDR): blocks return count vectors, never null values
    mem = {}
    for kind, params in (("node_perm", lambda n: {"node_perm": n}),
                         ("n_perm", lambda n: {"adjust": "perm", "n_perm": n, "node_perm": 0})):
        mem[kind] = {n: perm_memory(100, 500, params(n)) for n in (100, 1000)}
        got = mem[kind]
        table(f"Differential: {kind} on 2 x (100 x 500), fresh 1-worker cluster",
              [kind, "worker peak MiB", "job added MiB"],
              [[n, v[0] / 2**20, v[1] / 2**20] for n, v in got.items()],
              f"peak ratio {got[1000][0] / got[100][0]:.3f} (1000 vs 100 permutations)")
    save(name, {"rows": rows_out, "raw": raw,
                "perm_memory": {kind: {str(n): list(v) for n, v in got.items()}
                                for kind, got in mem.items()}})
    plot(rows_out, HERE / "differential.png")


if __name__ == "__main__":
    main(sys.argv[1:])
