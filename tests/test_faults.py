"""Faults: a worker killed mid-job, an R error inside a task, an unreachable
scheduler. Each ends in a definite job state with a reason in words, never a
hang, and the cluster keeps serving.

These tests use their own throwaway cluster (workers are killed here), not
the session cluster of conftest.py.
"""
from __future__ import annotations

import os
import signal
import socket

import dask
import numpy as np
import pandas as pd
import pytest
from waiting import wait_until

from renette_widgets import api, workflows
from renette_widgets.errors import JobError
from renette_widgets.jobs.job import FINAL, Job

WAIT = 300  # seconds: far above the normal run time; a hang fails the test


@pytest.fixture(scope="module")
def fragile_client():
    """Two fresh worker processes (with nannies, which restart killed workers)."""
    from distributed import Client
    from renette_widgets.jobs import cluster
    with cluster.local_cluster(2) as lc, Client(lc, set_as_default=False) as c:
        cluster.attach(c)
        c.wait_for_workers(2, timeout=120)
        yield c


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    base = rng.normal(size=(40, 4))
    x = np.hstack([base + 0.5 * rng.normal(size=(40, 4)) for _ in range(5)])
    return pd.DataFrame(x, columns=[f"G{j}" for j in range(x.shape[1])])


STABILITY = {"method": "MINE", "h": 60, "k": 3, "seed": 11}


def _wait_for(predicate, timeout: float, what: str) -> None:
    wait_until(predicate, timeout, what)


def test_worker_killed_during_stability_job(fragile_client, data):
    reference = api.submit("stability", {"d": data}, STABILITY, client=fragile_client,
                           store=False).wait(WAIT)
    assert reference.status == "done", reference.error

    job = api.submit("stability", {"d": data}, STABILITY, client=fragile_client, store=False)
    _wait_for(lambda: job.done >= 3 or job.status in FINAL, 120, "the job to start")
    assert job.status == "running", f"job ended before the kill: {job.status}"
    pids = fragile_client.run(os.getpid)
    victim_addr, victim = sorted(pids.items())[0]
    os.kill(victim, signal.SIGKILL)  # a worker we started, by its pid

    job.wait(WAIT)
    assert job.status in ("done", "failed"), f"job stuck in {job.status}"
    if job.status == "done":
        # dask recomputed the lost tasks: the numbers are those of the clean run.
        got, want = job.result, reference.result
        assert got.S == pytest.approx(want.S, abs=1e-12)
        assert got.SI == pytest.approx(want.SI, abs=1e-12)
        pd.testing.assert_frame_equal(got.Sd, want.Sd, atol=1e-12)
        pd.testing.assert_frame_equal(got.S_boot, want.S_boot, atol=1e-12)
    else:
        assert job.error and "worker" in job.error.lower(), job.error
    # The nanny brings a fresh worker (R loaded by the plugin) back.
    fragile_client.wait_for_workers(2, timeout=120)
    assert victim not in fragile_client.run(os.getpid).values()
    again = api.submit("inference", {"d": data}, {"method": "cor"}, client=fragile_client,
                       store=False).wait(WAIT)
    assert again.status == "done", again.error


def test_r_input_check_fails_the_job_with_rs_message(fragile_client, data):
    # Bypass the Python validation (Job directly) so that R itself refuses P.
    params = {"methods": {"TOM": {"P": "strong"}}, "seed": 0}
    job = Job(workflows.get("inference"), {"d": data}, params, client=fragile_client).start()
    job.wait(WAIT)
    assert job.status == "failed"
    assert "soft-threshold power" in job.error and "Traceback" not in job.error


def test_r_runtime_error_fails_the_job_and_workers_keep_serving(fragile_client, data):
    pids = set(fragile_client.run(os.getpid).values())
    # A value only R checks (base R's match.arg raises a plain R error).
    params = {"methods": {"cor": {"method": "nonsense"}}, "seed": 0}
    job = Job(workflows.get("inference"), {"d": data}, params, client=fragile_client).start()
    job.wait(WAIT)
    assert job.status == "failed"
    assert "R error in mat2adj()" in job.error and "should be one of" in job.error, job.error
    with pytest.raises(JobError, match="should be one of"):
        job.raise_for_status()
    # Same worker processes, still answering.
    assert set(fragile_client.run(os.getpid).values()) == pids
    fine = pd.DataFrame(np.ones((4, 4)) - np.eye(4), columns=list("ABCD"), index=list("ABCD"))
    ok = api.submit("distance", {"fine": fine, "other": fine * 0.5}, {}, client=fragile_client,
                    store=False).wait(WAIT)
    assert ok.status == "done", ok.error
    assert ok.result["H"].loc["fine", "other"] == pytest.approx(0.5)


def test_unreachable_scheduler_gives_a_clear_message(monkeypatch, data):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address)
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        job = api.submit("inference", {"d": data}, {"method": "cor"}, store=False)
        job.wait(120)  # it fails within the deadline rather than hanging
        assert job.status == "failed"
        assert "cannot reach the dask scheduler" in job.error and str(port) in job.error
        with pytest.raises(JobError, match="scheduler"):
            api.infer(data, method="cor", store=False, timeout=120)
