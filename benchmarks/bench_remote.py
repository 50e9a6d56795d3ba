"""The store on object storage against a local store (issue 21), in one run.

Jobs: a 100 x 5000 cor inference (its 200 MB network written by the workers in
blocks of rows) and a distance between two 3000-node networks (144 MB of
inputs, read by the workers), each run on a local store and on an S3 store
(moto's server, a separate process on loopback), alternating, ``REPEAT`` times.
Where the difference goes: the same bytes written and read through Zarr on
both stores, without a job (the transfer floor).

    python benchmarks/bench_remote.py [--quick]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from common import close_client, make_client, random_data, random_networks, save, table

from renette_widgets import Store, workflows
from renette_widgets.io.arrays import StoredMatrix, write_matrix
from renette_widgets.jobs.job import Job
from renette_widgets.serve import free_port

REPEAT = 3


def s3_server() -> tuple[subprocess.Popen, dict]:
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1",
                             "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    env = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_DEFAULT_REGION": "us-east-1"}
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(env["AWS_ENDPOINT_URL"], timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    return proc, env


def job_seconds(client, workflow: str, frames: dict, params: dict, store: Store) -> float:
    flow = workflows.get(workflow)
    params = flow.validate_params(params)
    t0 = time.perf_counter()
    job = Job(flow, frames, params, client=client, store=store).start().wait()
    wall = time.perf_counter() - t0
    if job.status != "done":
        raise RuntimeError(f"{workflow}: {job.error}")
    return wall


def transfer_seconds(root: str, arrays: dict[str, np.ndarray]) -> tuple[float, float]:
    """Seconds to write the arrays as Zarr under ``root``, and to read them back."""
    t0 = time.perf_counter()
    for name, a in arrays.items():
        write_matrix(f"{root}/{name}.zarr", a)
    t1 = time.perf_counter()
    for name in arrays:
        StoredMatrix(f"{root}/{name}.zarr").to_numpy()
    return t1 - t0, time.perf_counter() - t1


def main(quick: bool = False) -> None:
    p, n = (1000, 600) if quick else (5000, 3000)
    proc, env = s3_server()
    os.environ.update(env)
    import fsspec
    fsspec.filesystem("s3").mkdir("bench")
    names = [f"g{j}" for j in range(p)]
    data = {"expr": pd.DataFrame(random_data(100, p, seed=1), columns=names)}
    nets = {f"net{k}": pd.DataFrame(a, index=[f"n{i}" for i in range(n)],
                                    columns=[f"n{i}" for i in range(n)])
            for k, a in enumerate(random_networks(2, n, seed=2))}
    jobs = {"inference": ("inference", data, {"methods": {"cor": {}}}),
            "distance": ("distance", nets, {"metric": "HIM"})}
    client = make_client(2)
    rows, raw = [], {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-remote-") as tmp:
            stores = {"local": Store(Path(tmp) / "store"), "s3": Store("s3://bench/store")}
            for s in stores.values():
                s.check()
            for key, (wf, frames, params) in jobs.items():
                times = {"local": [], "s3": []}
                for _ in range(REPEAT):
                    for where, store in stores.items():  # alternating: the same machine state
                        times[where].append(job_seconds(client, wf, frames, params, store))
                raw[key] = times
                lo, s3 = float(np.median(times["local"])), float(np.median(times["s3"]))
                rows.append([key, f"{lo:.2f}", f"{s3:.2f}", f"{s3 / lo:.2f}"])
            # the transfer floor: the network an inference writes, the inputs a distance reads
            net = np.asarray(random_data(100, p, seed=1))
            arrays = {"network": np.corrcoef(net, rowvar=False),
                      **{k: v.to_numpy() for k, v in nets.items()}}
            floor = {w: transfer_seconds(r, arrays) for w, r in
                     (("local", str(Path(tmp) / "raw")), ("s3", "s3://bench/raw"))}
            raw["transfer"] = floor
            mb = sum(a.nbytes for a in arrays.values()) / 2**20
            for w, (wr, rd) in floor.items():
                rows.append([f"write + read {mb:.0f} MB of Zarr ({w})", "", f"{wr:.2f} + {rd:.2f}",
                             ""])
    finally:
        close_client(client)
        proc.terminate()
    print(table(f"Store on S3 (moto on loopback) vs local, {REPEAT} runs, medians",
                ["job", "local store (s)", "S3 store (s)", "S3 / local"], rows))
    save("remote", {"p": p, "n": n, "repeat": REPEAT, "times": raw})


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
