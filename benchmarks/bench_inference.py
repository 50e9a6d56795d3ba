"""Inference: MINE split across workers vs one R call; cor/WGCNA/bicor vs BLAS.

- MINE on 100 x 100 (samples x variables): the inference job (all-pairs MINE
  in blocks of rows, :func:`renette_widgets.jobs.grain.mine_row_blocks`) on a
  2-worker LocalCluster vs ``mat2adj(x, "MINE")`` in one R process;
- cor, WGCNA, bicor on 400 x 2000: the job (one task per method) and
  ``mat2adj`` in one R process, vs one BLAS product of the same size
  (``crossprod(x)``: 2000 x 400 times 400 x 2000) in that R process.

All R work single-threaded (OPENBLAS_NUM_THREADS=1), as in the workers.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

from common import (close_client, make_client, random_data, run_job, run_reference, save,
                    table, write_doubles)

REPS = 3
CORR = ["cor", "WGCNA", "bicor"]


def frame(x) -> dict:
    return {"data": pd.DataFrame(x, columns=[f"g{j}" for j in range(x.shape[1])])}


def main(quick: bool = False) -> None:
    (mr, mc), (cr, cc) = ((40, 30), (100, 300)) if quick else ((100, 100), (400, 2000))
    xm, xc = random_data(mr, mc, seed=1), random_data(cr, cc, seed=2)
    with tempfile.TemporaryDirectory() as tmp:
        write_doubles(Path(tmp) / "m.bin", [xm])
        write_doubles(Path(tmp) / "c.bin", [xc])
        ref_m = run_reference("infer", Path(tmp) / "m.bin", mr, mc, 2, "MINE")
        ref_c = run_reference("infer", Path(tmp) / "c.bin", cr, cc, REPS, ",".join(CORR))
    client = make_client(2)
    try:
        run_job(client, "inference", frame(random_data(20, 6, 0)),  # warm-up
                {"methods": {m: {} for m in CORR + ["MINE"]}})
        mine = min(run_job(client, "inference", frame(xm), {"methods": {"MINE": {}}})[1:]
                   for _ in range(2))
        corr = {m: min(run_job(client, "inference", frame(xc), {"methods": {m: {}}})[1:]
                       for _ in range(REPS)) for m in CORR}
    finally:
        close_client(client)
    r = ref_m["MINE"]
    table(f"Inference: MINE on {mr}x{mc}, split into blocks of rows",
          ["R mat2adj wall s", "R CPU s", "job wall s", "job CPU s", "job/R wall", "job/R CPU"],
          [[r["wall"], r["cpu"], mine[0], mine[1], mine[0] / r["wall"], mine[1] / r["cpu"]]],
          "job: 2-worker LocalCluster; on this machine's ~1 core of throughput the split "
          "cannot be faster in wall time (see the scaling benchmark for 8-16 workers).")
    bl = ref_c["crossprod"]["wall"]
    rows = [[m, ref_c[m]["wall"], corr[m][0], ref_c[m]["wall"] / bl, corr[m][0] / bl,
             corr[m][0] / ref_c[m]["wall"]] for m in CORR]
    table(f"Inference: correlation methods on {cr}x{cc} (BLAS crossprod {bl:.3g} s)",
          ["method", "R mat2adj s", "job wall s", "R/crossprod", "job/crossprod", "job/R"],
          rows, "job: one task per method on a 2-worker LocalCluster, including shipping "
          f"the {cc}x{cc} network back to the client.")
    save("inference", {"R_mine": ref_m, "R_corr": ref_c, "job_mine": mine, "job_corr": corr})


if __name__ == "__main__":
    main("--quick" in sys.argv)
