"""Genome scale: cost and memory against the floor, 1,000 to 20,000 variables.

Through the public API (``rw.infer``, ``rw.distance``) on the embedded
2-worker cluster with a fresh results store, each against its floor measured
in the same run in one plain R process (``reference.R``):

- inference (cor, WGCNA) on 100 x p data, p in 1000 ... 20000: the floor is
  WGCNA's ``cor`` (|r|, |r|^6) with a binary save of the network; memory
  added by the job (client, scheduler and workers: the peak of their summed
  RSS above what they held before) against the size of the result (8 p^2);
- distance between two networks of n nodes: the floor is the two Laplacian
  eigenvalue decompositions, one after the other;
- the log-log slopes of cost against size (``benchmarks/scale.png``), which
  should follow the floor's.

``--quick``: small sizes only (a smoke test). ``--sizes 1000,5000``: these p.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from common import (HERE, close_client, make_client, random_data, random_networks,
                    run_reference, save, table, write_doubles)


class PeakRSS:
    """The peak of the summed RSS of some processes, sampled every 20 ms."""

    def __init__(self, pids: list[int]) -> None:
        self.procs = [psutil.Process(p) for p in pids]
        self.base = self._now()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _now(self) -> int:
        total = 0
        for p in self.procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._now())

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._now())

    @property
    def added(self) -> int:
        return self.peak - self.base


def cluster_pids(client) -> list[int]:
    """This process, the scheduler's and the workers' (the embedded cluster's
    scheduler runs in this process: counted once)."""
    return sorted({os.getpid(), client.run_on_scheduler(os.getpid),
                   *client.run(os.getpid).values()})


def bench_infer(client, p: int, method: str, tmp: Path) -> dict:
    import renette_widgets as rw
    x = random_data(100, p, seed=p)
    write_doubles(tmp / "x.bin", [x])
    floor = run_reference("scale_infer", tmp / "x.bin", 100, p, 1, method)["floor"]["wall"]
    frame = pd.DataFrame(x, columns=[f"g{j}" for j in range(p)])
    store = rw.Store(tempfile.mkdtemp(dir=tmp))
    with PeakRSS(cluster_pids(client)) as mem:
        t0 = time.perf_counter()
        net = rw.infer(frame, method, client=client, store=store)
        wall = time.perf_counter() - t0
    del net
    result = 8 * p * p
    return {"p": p, "method": method, "floor": floor, "job": wall, "ratio": wall / floor,
            "added": mem.added, "result": result, "mem_ratio": mem.added / result}


def bench_distance(client, n: int, tmp: Path) -> dict:
    import renette_widgets as rw
    nets = random_networks(2, n, seed=n)
    write_doubles(tmp / "n.bin", nets)
    floor = run_reference("scale_distance", tmp / "n.bin", 2, n, 1)["floor"]["wall"]
    names = [f"g{j}" for j in range(n)]
    frames = {f"net{k}": pd.DataFrame(a, index=names, columns=names) for k, a in enumerate(nets)}
    store = rw.Store(tempfile.mkdtemp(dir=tmp))
    t0 = time.perf_counter()
    rw.distance(frames, client=client, store=store)
    wall = time.perf_counter() - t0
    return {"n": n, "floor": floor, "job": wall, "ratio": wall / floor}


def slope(sizes: list[float], costs: list[float]) -> float:
    """Slope of log(cost) against log(size) (least squares)."""
    return float(np.polyfit(np.log(sizes), np.log(costs), 1)[0])


def plot(infer: list[dict], dist: list[dict]) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for method in sorted({r["method"] for r in infer}):
        rows = [r for r in infer if r["method"] == method]
        axes[0].loglog([r["p"] for r in rows], [r["job"] for r in rows], "o-",
                       label=f"{method}: job")
        axes[0].loglog([r["p"] for r in rows], [r["floor"] for r in rows], "s--",
                       label=f"{method}: floor (R cor + save)")
    axes[0].set(xlabel="variables p (100 samples)", ylabel="seconds",
                title="Inference: cost against size")
    axes[0].legend(fontsize=8)
    if dist:
        axes[1].loglog([r["n"] for r in dist], [r["job"] for r in dist], "o-", label="job")
        axes[1].loglog([r["n"] for r in dist], [r["floor"] for r in dist], "s--",
                       label="floor (2 eigendecompositions)")
        axes[1].set(xlabel="nodes n (two networks)", ylabel="seconds",
                    title="Distance: cost against size")
        axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(HERE / "scale.png", dpi=110)


def main(quick: bool = False, sizes: list[int] | None = None) -> None:
    sizes = sizes or ([500, 1000] if quick else [1000, 2000, 5000, 10000, 20000])
    nodes = [300, 600] if quick else [1000, 2000, 3000]
    client = make_client(2)
    infer, dist = [], []
    try:
        import renette_widgets as rw
        rw.infer(pd.DataFrame(random_data(20, 6, 0)), "cor", client=client, store=False)
        with tempfile.TemporaryDirectory() as tmp:
            for p in sizes:
                for method in ("cor", "WGCNA"):
                    infer.append(bench_infer(client, p, method, Path(tmp)))
                    print(infer[-1], flush=True)
            for n in nodes:
                dist.append(bench_distance(client, n, Path(tmp)))
                print(dist[-1], flush=True)
    finally:
        close_client(client)
    gb = 2 ** 30
    table("Inference at scale: job (rw.infer, results store) against its floor",
          ["method", "p", "floor s", "job s", "job/floor (<= 3)", "memory added GB",
           "result GB", "added/result (<= 4)"],
          [[r["method"], r["p"], r["floor"], r["job"], r["ratio"], r["added"] / gb,
            r["result"] / gb, r["mem_ratio"]] for r in infer],
          "floor: WGCNA::cor (one thread) + writeBin of the network in one R process. job: "
          "rw.infer on the 2-worker embedded cluster with a fresh store, the network "
          "returned as a DataFrame. Memory: peak of the summed RSS of client, scheduler and "
          "workers above their level before the call.")
    table("Distance at scale: two networks",
          ["n", "floor s", "job s", "job/floor (<= 1.5)"],
          [[r["n"], r["floor"], r["job"], r["ratio"]] for r in dist],
          "floor: the two Laplacian eigenvalue decompositions in one R process.")
    slopes = {m: (slope([r["p"] for r in infer if r["method"] == m],
                        [r["job"] for r in infer if r["method"] == m]),
                  slope([r["p"] for r in infer if r["method"] == m],
                        [r["floor"] for r in infer if r["method"] == m]))
              for m in ("cor", "WGCNA")}
    if len(dist) > 1:
        slopes["distance"] = (slope([r["n"] for r in dist], [r["job"] for r in dist]),
                              slope([r["n"] for r in dist], [r["floor"] for r in dist]))
    table("Log-log slopes of cost against size", ["job", "slope of job", "slope of floor"],
          [[k, a, b] for k, (a, b) in slopes.items()], "benchmarks/scale.png shows the curves.")
    plot(infer, dist)
    save("scale", {"inference": infer, "distance": dist, "slopes": slopes})


if __name__ == "__main__":
    arg = next((a for a in sys.argv if a.startswith("--sizes=")), None)
    main("--quick" in sys.argv, [int(s) for s in arg.split("=", 1)[1].split(",")] if arg else None)
