"""Acceptance of issue 3: the same distance job on a real dask scheduler with
two worker processes (DASK_SCHEDULER_ADDRESS) and on the embedded cluster,
giving the nettools corpus numbers for ReNette's example networks."""
from __future__ import annotations

import os
import signal
import sys
import time

import numpy as np
import pandas as pd

from conformance_helpers import assert_within, example_networks

from renette_widgets import api, config
from renette_widgets.engine.worker import PLUGIN_NAME
from renette_widgets.jobs import cluster

CASE = "netdist_renette_microbiome_adj_HIM"


def _check_corpus(result, case):
    for field in ("H", "IM", "HIM"):
        got = result[field].loc["0.0-diet", "1.0-diet"]
        assert_within(got, case["expected"][field], case, field)
        assert result[field].loc["1.0-diet", "0.0-diet"] == got
        assert result[field].loc["0.0-diet", "0.0-diet"] == 0.0


def test_distance_on_real_scheduler_and_workers(stack, cases, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", stack.scheduler_address)
    client = cluster.get_client()
    assert client.scheduler.address == stack.scheduler_address
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    assert all(w["nthreads"] == 1 for w in workers.values())
    # The R plugin is registered on every worker, and BLAS is single-threaded.
    plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
    assert all(PLUGIN_NAME in p for p in plugins.values())
    envs = client.run(lambda: os.environ.get("OPENBLAS_NUM_THREADS"))
    assert set(envs.values()) == {"1"}
    _check_malloc_env(client)
    # R's heap trigger was sized from each worker's memory limit before R started.
    from renette_widgets.config import r_vsize
    heaps = client.run(lambda dask_worker: (os.environ.get("R_VSIZE"),
                                            dask_worker.memory_manager.memory_limit))
    assert all(v == str(r_vsize(limit)) for v, limit in heaps.values())
    job = api.submit("distance", example_networks(), {"metric": "HIM"})
    job.wait(180)
    assert job.status == "done", job.error
    assert job.total >= 2 and job.done == job.total  # >= 1 chunk of spectra, >= 1 tile
    _check_corpus(job.result, cases[CASE])
    # R really ran in the workers: versions come from R there.
    assert job.versions["R"].startswith("R version")
    assert job.versions["packages"]["renette"]
    assert "blas" in job.versions["BLAS"].lower() and job.versions["LAPACK"]


def _check_malloc_env(client):
    # set before each worker process started (glibc reads it then), over dask's own
    got = client.run(lambda: {k: os.environ.get(k) for k in config.MALLOC_ENV})
    assert all(v == config.MALLOC_ENV for v in got.values()), got


def test_distance_on_embedded_cluster(client, cases):
    assert cluster.get_client() is client
    assert client.cluster is not None  # a LocalCluster of this process
    _check_malloc_env(client)
    result = api.distance(example_networks(), metric="HIM")
    _check_corpus(result, cases[CASE])
    assert 0 < result["gamma"] < 1


def test_r_heap_follows_the_worker_memory_limit():
    from renette_widgets.config import r_vsize
    assert r_vsize(None) == 2**30  # no limit: 1 GB
    assert r_vsize(2 * 2**30) == 2**29  # a quarter of the limit
    assert r_vsize(100 * 2**20) == 64 * 2**20  # never below 64 MB
    assert r_vsize(64 * 2**30) == 2**30  # never above 1 GB


def test_client_process_never_imports_rpy2(client):
    api.distance(example_networks())
    assert not any(m == "rpy2" or m.startswith("rpy2.") for m in sys.modules)


def test_job_fails_clearly_when_the_scheduler_dies(monkeypatch, tmp_path):
    from renette_widgets.jobs import job as jobs
    from renette_widgets.serve import Stack

    monkeypatch.setattr(jobs, "SCHEDULER_GRACE_S", 3.0)
    rng = np.random.default_rng(0)
    data = pd.DataFrame(rng.normal(size=(150, 40)), columns=[f"v{i}" for i in range(40)])
    with Stack(n_workers=1, voila=False, log_dir=tmp_path) as stack:
        client = cluster.get_client(stack.scheduler_address)
        job = api.submit("stability", {"x": data}, {"resampling": "LOO"}, client=client)
        deadline = time.time() + 120
        while job.done < 3 and job.status in ("pending", "running") and time.time() < deadline:
            time.sleep(0.2)
        assert job.status == "running", job
        os.killpg(stack.procs[0].pid, signal.SIGKILL)  # the scheduler we started
        job.wait(90)
        assert job.status == "failed"
        assert "lost contact with the dask scheduler" in job.error
        client.close(timeout=5)
