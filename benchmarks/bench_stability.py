"""netSI (cor, HIM, montecarlo h=20) on 100 x 200 data: dask job vs one R process.

- R: ``renette::netSI(x, d = "HIM", adj.method = "cor", h = 20)`` in one
  plain R process (``reference.R stability``), best of 5;
- job: the stability job on a 2-worker LocalCluster (new data each run, so no
  spectrum comes from the workers' cache), best of 5; its CPU time is the
  user+system time of workers, scheduler and client.

Share of time outside R = (job - R) / job, for wall and for CPU time: what
the dask plumbing (serialisation, scheduling, rpy2 conversions, Python-side
assembly) adds to the same R work.  Target (issue 6): job <= 1.15 x R wall.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

from common import (close_client, make_client, random_data, run_job, run_reference, save,
                    table, write_doubles)

REPS = 5  # best of 5 for both sides: a stability job is ~0.3 s, noise is 20 %


def params(h: int) -> dict:
    return {"method": "cor", "method_params": {}, "metric": "HIM", "resampling": "montecarlo",
            "k": 3, "h": h, "seed": 0, "indicator": "all"}


def frame(rows: int, cols: int, seed: int) -> dict:
    x = random_data(rows, cols, seed)
    return {"data": pd.DataFrame(x, columns=[f"g{j}" for j in range(cols)])}


def main(quick: bool = False) -> None:
    rows, cols, h = (40, 50, 5) if quick else (100, 200, 20)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "x.bin"
        write_doubles(raw, [random_data(rows, cols, seed=0)])
        ref = run_reference("stability", raw, rows, cols, h, REPS)["netSI"]
    client = make_client(2)
    try:
        run_job(client, "stability", frame(30, 10, 99), params(3))  # warm-up
        runs = [run_job(client, "stability", frame(rows, cols, seed=r), params(h))[1:]
                for r in range(REPS)]
    finally:
        close_client(client)
    wall, cpu = min(runs)
    table(f"Stability: netSI cor/HIM/montecarlo h={h} on {rows}x{cols}",
          ["R netSI wall s", "R CPU s", "job wall s", "job CPU s", "job/R wall (<=1.15)",
           "job/R CPU", "wall share outside R", "CPU share outside R"],
          [[ref["wall"], ref["cpu"], wall, cpu, wall / ref["wall"], cpu / ref["cpu"],
            f"{(wall - ref['wall']) / wall:.0%}", f"{(cpu - ref['cpu']) / cpu:.0%}"]],
          "job: 2-worker LocalCluster (this machine: about one core for both workers).")
    save("stability", {"R": ref, "job_wall": wall, "job_cpu": cpu, "runs": runs})


if __name__ == "__main__":
    main("--quick" in sys.argv)
