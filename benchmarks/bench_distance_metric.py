"""Hamming alone vs HIM: what ``metric="H"`` saves (issue 24).

Two networks of ``n`` nodes (default 5000, 20% dense, symmetric), one
distance job each on a 2-worker LocalCluster, measured in the same run:

- HIM: both Laplacian spectra (two n x n eigendecompositions) and the pair;
- H: no spectrum at all (the chunks only rescale and pack the networks),
  then the same Hamming loop.

Cold runs (the workers have never seen the networks: no spectrum in their
cache), the H job first so it cannot benefit from anything the HIM job left;
the eigendecompositions each job performed are counted on the workers.
Prints the wall and CPU seconds of each and the ratio HIM / H.
Run: ``.venv/bin/python benchmarks/bench_distance_metric.py [n]``.
"""
from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from common import close_client, machine, make_client, random_networks, run_job, save, table


def main(n: int = 5000) -> None:
    from renette_widgets.engine.spectra import eigendecompositions
    nets = random_networks(2, n, seed=24)
    names = [f"V{i + 1}" for i in range(n)]
    frames = {f"net{k + 1}": pd.DataFrame(a, index=names, columns=names)
              for k, a in enumerate(nets)}
    client = make_client(2)
    try:
        rows, raw = [], {"n": n, "machine": machine()}
        for metric in ("H", "HIM"):
            before = sum(client.run(eigendecompositions).values())
            job, wall, cpu = run_job(client, "distance", frames, {"metric": metric})
            eig = sum(client.run(eigendecompositions).values()) - before
            raw[metric] = {"wall": wall, "cpu": cpu, "eigendecompositions": eig,
                           "H": float(job.result["H"].iat[0, 1])
                           if "H" in job.result else None}
            rows.append([metric, f"{wall:.2f}", f"{cpu:.2f}", eig])
        assert np.isclose(raw["H"]["H"], raw["HIM"]["H"], rtol=0, atol=0)
        ratio = raw["HIM"]["wall"] / raw["H"]["wall"]
        raw["ratio"] = ratio
        print(table(f"Distance of 2 x {n:,}-node networks: H alone vs HIM",
                    ["metric", "wall s", "CPU s", "eigendecompositions"], rows,
                    note=f"HIM / H wall: {ratio:.1f}x (H equal to the bit in both)"))
        save("distance_metric", raw)
    finally:
        close_client(client)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
