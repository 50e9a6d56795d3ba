"""Differential networks (issue 15): a 2 x (100 x 5000) pearson/BH job against its floor,
and the memory of the permutation FDR against the number of permutations.

- Scale: two conditions of 100 samples x 5000 variables (12.5 million pairs).
  The floor, measured in the same run in one plain R process
  (``reference.R diffcor``): the two correlation matrices (``cor_matrix``, one
  BLAS crossprod each); also R's ``diffcor(x, y)`` (the pair table alone, in
  memory). The job (a 2-worker LocalCluster, results written to a store) with
  the default parameters (node level: cor networks, 100 label permutations;
  HIM between the two networks; the summary across conditions), and with
  ``node_perm = 0``; where its time goes (task stream, by stage); the workers'
  peak memory.
- Permutation memory: ``adjust = "perm"`` on 2 x (100 x 500), 100 and 1000
  permutations, each on a fresh 1-worker cluster: peak RSS of the worker and
  what the job added to it.

All R work single-threaded, as in the workers. ``--quick``: small sizes (smoke test).
"""
from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

from common import (close_client, make_client, random_data, run_reference, save, stopwatch,
                    table, write_doubles)
from renette_widgets import workflows
from renette_widgets.jobs.job import Job
from renette_widgets.jobs.store import Store

REPS = 3


def frames(rows: int, cols: int, seed: int) -> dict[str, pd.DataFrame]:
    names = [f"g{j}" for j in range(cols)]
    return {c: pd.DataFrame(random_data(rows, cols, seed + k), columns=names)
            for k, c in enumerate(("A", "B"))}


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


def perm_memory(rows: int, cols: int, n_perm: int) -> tuple[int, int]:
    """(peak RSS, growth) of a fresh 1-worker cluster running a permutation-FDR job."""
    client = make_client(1)
    try:
        client.submit(sum, [1], pure=False).result()  # R started
        _, _, _, ((base, peak),) = run(client, frames(rows, cols, 3),
                                       {"adjust": "perm", "n_perm": n_perm, "node_perm": 0},
                                       None)
        return peak, peak - base
    finally:
        close_client(client)


def main(quick: bool = False) -> None:
    rows, cols = (40, 300) if quick else (100, 5000)
    prow, pcol, perms = (40, 100, (20, 200)) if quick else (100, 500, (100, 1000))
    data = frames(rows, cols, 1)
    with tempfile.TemporaryDirectory() as tmp:
        write_doubles(Path(tmp) / "x.bin", [d.to_numpy() for d in data.values()])
        ref = run_reference("diffcor", Path(tmp) / "x.bin", rows, cols, REPS)
        client = make_client(2)
        try:
            run(client, frames(20, 10, 0), {}, None)  # warm-up
            full = run(client, data, {}, Store(Path(tmp) / "store"))
            bare = run(client, data, {"node_perm": 0}, Store(Path(tmp) / "store"))
        finally:
            close_client(client)
    floor, r_table = ref["cor2"]["wall"], ref["diffcor"]["wall"]
    m = cols * (cols - 1) // 2
    rows_out = []
    for label, (job, wall, stages, rss) in (("defaults (node_perm 100)", full),
                                            ("node_perm 0", bare)):
        peak = max(p for _, p in rss)
        rows_out.append([label, job.total, wall, wall / floor, wall / r_table, peak / 2**30])
    table(f"Differential: 2 x ({rows} x {cols}) pearson/BH, {m:,} pairs",
          ["job", "tasks", "wall s", "job/floor", "job/R diffcor", "worker peak GiB"], rows_out,
          f"floor: the two correlation matrices in one R process, {floor:.3g} s; R's "
          f"diffcor(x, y) (the pair table alone, in memory) {r_table:.3g} s. Job: a 2-worker "
          "LocalCluster writing to a store.")
    table("Differential: compute seconds by stage (defaults)", ["stage", "seconds"],
          [[k, v] for k, v in sorted(full[2].items(), key=lambda kv: -kv[1])],
          "summed over workers (2 run at once): pairs = the pair table (R diffcor_values, "
          "Parquet); net = a condition's network; nodeperm = node permutation blocks; "
          "spectra/diff = the HIM between the networks; edges = the summary across conditions.")
    mem = {n: perm_memory(prow, pcol, n) for n in perms}
    (a, ga), (b, gb) = (mem[n] for n in perms)
    table(f"Differential: permutation FDR on 2 x ({prow} x {pcol}), fresh 1-worker cluster",
          ["permutations", "worker peak MiB", "job added MiB"],
          [[n, mem[n][0] / 2**20, mem[n][1] / 2**20] for n in perms],
          f"peak ratio {b / a:.3f} ({perms[1]} vs {perms[0]} permutations); the added memory is "
          "mostly R's heap before a garbage collection (R_VSIZE), the same for both.")
    save("differential", {"size": [rows, cols], "reference": ref,
                          "jobs": {lab: {"wall": w, "stages": st, "rss": r, "tasks": j.total}
                                   for lab, (j, w, st, r) in (("defaults", full),
                                                              ("node_perm_0", bare))},
                          "perm_memory": {str(n): list(v) for n, v in mem.items()}})


if __name__ == "__main__":
    main("--quick" in sys.argv)
