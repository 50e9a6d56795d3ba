"""All-pairs HIM: our dask job vs the N spectra in one R process, vs netrd.

For (N networks, n nodes) in (10, 500), (50, 200), (100, 100), (5, 2000):

- lower bound: the N Laplacian spectra back to back in one R process
  (``reference.R distance``), the part no implementation can avoid;
- R alone: ``renette::netdist(list, d = "HIM")`` in that same R process;
- job: a distance job on a 2-worker LocalCluster (cold: networks the workers
  have never seen; warm: the same networks again, spectra from the cache);
- netrd: ``HammingIpsenMikhailov().dist`` on networkx graphs (graph building
  not timed), on a subset of pairs when all would take too long, extrapolated
  to all N(N-1)/2 pairs.

Targets (issue 6): job <= 1.3 x lower bound; >= 30x faster than netrd at
(10, 500); overhead vs one R process <= 1.15 x at (50, 200).
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_distance.py [--quick]``.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import warnings

import numpy as np
import pandas as pd

from common import (close_client, make_client, random_networks, run_job, run_reference,
                    save, table, write_doubles)

SIZES = [(10, 500), (50, 200), (100, 100), (5, 2000)]
REPS = 3
NETRD_BUDGET = 20.0  # seconds of netrd per size; the rest is extrapolated
# netrd warns for each weighted graph it is given; only its time is used here
warnings.filterwarnings("ignore", message="Coercing weighted graph")


def frames(nets) -> dict:
    names = [f"V{i + 1}" for i in range(nets[0].shape[0])]
    return {f"net{k + 1}": pd.DataFrame(a, index=names, columns=names)
            for k, a in enumerate(nets)}


def netrd_time(nets) -> tuple[float, int, int]:
    """Seconds for all pairs with netrd (measured on a prefix of pairs within the budget)."""
    import networkx as nx
    from netrd.distance import HammingIpsenMikhailov
    graphs = [nx.from_numpy_array(a) for a in nets]
    dist = HammingIpsenMikhailov()
    pairs = [(i, j) for i in range(len(nets)) for j in range(i + 1, len(nets))]
    spent, done = 0.0, 0
    for i, j in pairs:
        t0 = time.perf_counter()
        dist.dist(graphs[i], graphs[j])
        spent += time.perf_counter() - t0
        done += 1
        if spent > NETRD_BUDGET:
            break
    return spent / done * len(pairs), done, len(pairs)


def _carry(nets: list, pairs: int) -> np.ndarray:
    """Task of :func:`dask_floor`: takes the networks, returns a result of a job's size."""
    return np.zeros((pairs, 3))


def dask_floor(client, nets, reps: int) -> float:
    """Best wall seconds of one task that carries the networks to a worker, as a
    job sends them (packed), and brings back as many H, IM, HIM as a job does.

    What any job on dask pays on top of its R work, with nothing planned,
    split or assembled: (spectra + pairs + floor) / spectra is the best ratio
    a job could reach on one core.
    """
    from renette_widgets.engine import packing
    sent = [packing.pack(a) for a in nets]
    pairs = len(nets) * (len(nets) - 1) // 2
    out = []
    for _ in range(reps + 2):  # the first two warm the connection
        t0 = time.perf_counter()
        client.submit(_carry, sent, pairs, pure=False).result()
        out.append(time.perf_counter() - t0)
    return min(out[2:])


def bench(client, N: int, n: int, tmp: Path) -> dict:
    nets = random_networks(N, n, seed=N + n)
    raw = tmp / f"nets-{N}-{n}.bin"
    write_doubles(raw, nets)
    reps = 1 if n >= 1000 else REPS  # an n = 2000 spectrum takes seconds
    ref = run_reference("distance", raw, N, n, reps)
    cold, cold_cpu = [], []
    for r in range(reps):  # fresh networks each time: no cache hit
        _, wall, cpu = run_job(client, "distance", frames(random_networks(N, n, seed=1000 * r + N)),
                               {"metric": "HIM"})
        cold.append(wall)
        cold_cpu.append(cpu)
    run_job(client, "distance", frames(nets), {"metric": "HIM"})  # primes the spectrum cache
    warm = min(run_job(client, "distance", frames(nets), {"metric": "HIM"})[1]
               for _ in range(reps))
    floor = dask_floor(client, nets, REPS)
    netrd, measured, total = netrd_time(nets)
    best = min(range(reps), key=cold.__getitem__)
    return {"N": N, "n": n, "spectra": ref["spectra"]["wall"], "pairs_r": ref["pairs"]["wall"],
            "dask_floor": floor, "netdist": ref["netdist"]["wall"],
            "netdist_cpu": ref["netdist"]["cpu"], "job_cold": cold[best],
            "job_cold_cpu": cold_cpu[best], "job_warm": warm, "netrd": netrd,
            "netrd_pairs_timed": measured, "pairs": total}


def main(quick: bool = False) -> None:
    sizes = [(10, 100), (5, 300)] if quick else SIZES
    client = make_client(2)
    try:
        # Warm-up job: workers start R and load the package before timing.
        run_job(client, "distance", frames(random_networks(3, 20, 0)), {"metric": "HIM"})
        with tempfile.TemporaryDirectory() as tmp:
            results = [bench(client, N, n, Path(tmp)) for N, n in sizes]
    finally:
        close_client(client)
    rows = [[f"({r['N']}, {r['n']})", r["spectra"], r["netdist"], r["job_cold"], r["job_warm"],
             r["netrd"], r["job_cold"] / r["spectra"],
             (r["spectra"] + r["pairs_r"] + r["dask_floor"]) / r["spectra"],
             r["netdist"] / r["spectra"],
             r["job_cold"] / r["netdist"], r["job_cold_cpu"] / r["netdist_cpu"],
             r["netrd"] / r["job_cold"],
             f"{r['netrd_pairs_timed']}/{r['pairs']}"] for r in results]
    table("Distance: all-pairs HIM (seconds, then ratios)",
          ["(N, n)", "N spectra in R", "netdist in R", "job cold", "job warm", "netrd",
           "job/spectra (<=1.3)", "one-core floor/spectra", "netdist/spectra",
           "job/netdist wall (<=1.15)",
           "job/netdist CPU", "netrd/job (>=30 at (10,500))", "netrd pairs timed"], rows,
          "job: 2-worker LocalCluster, networks never seen before (cold) or seen "
          "(warm: spectra from the workers' cache). CPU: user+system of workers, scheduler "
          "and client. netrd: extrapolated from the pairs timed. One-core floor: the N "
          "spectra + all pairs in one R call (densities given) + one dask task that "
          "carries the packed networks to a worker and a result of the job's size back "
          "(dask_floor): the least a job on dask takes on one core (on more cores a job "
          "can beat it: the N spectra are split across workers).")
    save("distance", {"results": results})


if __name__ == "__main__":
    main("--quick" in sys.argv)
