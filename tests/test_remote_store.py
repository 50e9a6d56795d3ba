"""The store on object storage, and workers that share no disk with the client.

Real parts on loopback: moto's S3 server, a ``dask scheduler`` here and one
``dask worker`` in a mount namespace of its own (``unshare --mount``: empty
``/tmp`` and ``~/.renette``, no storage credentials in its environment), so it
sees this machine's code and R but none of the client's files. Every registered
workflow runs with ``RENETTE_HOME=s3://...`` and with a local ``RENETTE_HOME``
that the worker cannot see (inputs and results then travel through dask), and
both give the numbers of an ordinary local run, through the API and the CLI.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import fields, is_dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets import Store, workflows
from renette_widgets.errors import InputError
from renette_widgets.io.arrays import StoredMatrix
from renette_widgets.io.location import location
from renette_widgets.results import PairTable
from renette_widgets.serve import Stack
from s3_helpers import UNSHARE_REASON, S3Server, set_env

pytestmark = pytest.mark.skipif(UNSHARE_REASON is not None, reason=str(UNSHARE_REASON))

RENETTE = str(Path(sys.executable).parent / "renette")
TOL = 1e-10
#: Workflows also run on a local store the worker cannot see (a network matrix, a
#: pair table): each kind of result the client writes for the worker.
UNSEEN = {"inference", "differential"}


@pytest.fixture(scope="module")
def s3():
    server = S3Server().start()
    with set_env(server.env):
        yield server
    server.stop()


@pytest.fixture(scope="module")
def far_stack(s3, tmp_path_factory):
    """A scheduler and one worker that runs as on another machine."""
    logs = tmp_path_factory.mktemp("far-logs")
    with Stack(n_workers=1, voila=False, isolate=True, log_dir=logs) as stack:
        yield stack


@pytest.fixture(scope="module")
def far_client(far_stack):
    from distributed import Client
    from renette_widgets.jobs.cluster import attach
    with Client(far_stack.scheduler_address, set_as_default=False) as c:
        yield attach(c)


def _data(seed: int, n: int = 24, p: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    x[:, 1] += x[:, 0]  # some structure, so networks are not noise only
    return pd.DataFrame(x, columns=[f"g{j}" for j in range(p)])


def _networks(k: int = 3, p: int = 20) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    names = [f"n{j}" for j in range(p)]
    out = {}
    for i in range(k):
        a = np.triu(np.where(rng.random((p, p)) > 0.6, rng.random((p, p)), 0.0), 1)
        out[f"net{i}"] = pd.DataFrame(a + a.T, index=names, columns=names)
    return out


#: One small job per registered workflow (inference with cor and ARACNE).
JOBS = {
    "inference": (lambda: {"d": _data(0)}, {"methods": {"cor": {}, "ARACNE": {}}}),
    "distance": (_networks, {"metric": "HIM"}),
    "stability": (lambda: {"d": _data(1, 20, 12)}, {"method": "cor", "h": 4}),
    "statistics": (_networks, {}),
    "differential": (lambda: {"A": _data(2), "B": _data(3)}, {"node_perm": 5}),
    "multiplex": (lambda: {f"{net}:{layer}": df for (net, layer), df in zip(
        [("x", "l1"), ("x", "l2"), ("y", "l1"), ("y", "l2")], _networks(4, 12).values())}, {}),
}


#: The CLI's options for the jobs of JOBS the issue names (their inputs are JOBS').
CLI = {
    "inference": ["--method", "cor", "--method", "ARACNE"],
    "distance": ["--metric", "HIM"],
    "stability": ["--method", "cor", "--h", "4"],
    "differential": ["--node-perm", "5"],
}


def test_every_registered_workflow_has_a_case():
    assert set(JOBS) >= set(workflows.names())


def _plain(x, where="result"):
    """A result as plain numbers (stored matrices and pair tables read whole)."""
    if isinstance(x, StoredMatrix):
        return x.to_frame()
    if isinstance(x, PairTable):
        return x.read()
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if is_dataclass(x):
        return {f.name: _plain(getattr(x, f.name)) for f in fields(x)}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def assert_close(a, b, where="result", skip: tuple = ()):
    """``a`` and ``b`` hold the same numbers (to TOL), names and values; keys in
    ``skip`` are not compared."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, pd.DataFrame):
        assert list(a.columns) == list(b.columns), where
        assert list(map(str, a.index)) == list(map(str, b.index)), where
        for col in a.columns:
            x, y = a[col], b[col]
            if pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x):
                np.testing.assert_allclose(x.to_numpy(float), y.to_numpy(float), rtol=0,
                                           atol=TOL, err_msg=f"{where}[{col!r}]")
            else:
                assert list(map(str, x)) == list(map(str, y)), f"{where}[{col!r}]"
    elif isinstance(a, dict):
        assert set(a) - set(skip) == set(b) - set(skip), where
        for k in set(a) - set(skip):
            assert_close(a[k], b[k], f"{where}[{k!r}]", skip)
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_close(x, y, f"{where}[{i}]", skip)
    elif isinstance(a, np.ndarray):
        np.testing.assert_allclose(a, b, rtol=0, atol=TOL, err_msg=where)
    elif isinstance(a, float):
        assert abs(a - b) <= TOL, where
    else:
        assert a == b, where


def _reference(name, client, tmp_path):
    """The job on an ordinary local store with workers that see it."""
    inputs, params = JOBS[name]
    store = Store(tmp_path / "reference")
    job = rw.submit(name, inputs(), params, client=client, store=store).wait(300)
    assert job.status == "done", job.error
    return rw.load_result(job.id, store)


@pytest.mark.parametrize("name", sorted(JOBS))
def test_workflow_on_s3_and_on_an_unseen_local_store_matches_a_local_run(
        name, far_client, s3, client, tmp_path):
    inputs, params = JOBS[name]
    expected = _reference(name, client, tmp_path)
    # the worker cannot see this folder (its /tmp is its own): inputs and results
    # travel through dask, and the client writes the store
    # (one workflow per kind of result: dask arrays written by the client, tables)
    if name in UNSEEN:
        unseen = Store(tmp_path / "unseen")
        job = rw.submit(name, inputs(), params, client=far_client, store=unseen).wait(300)
        assert job.status == "done", job.error
        assert_close(rw.load_result(job.id, unseen), expected, f"{name} (unseen local store)")
    # the store on S3: the worker reads inputs and writes results there itself
    url = s3.bucket() + "/store"
    store = Store(url)
    job = rw.submit(name, inputs(), params, client=far_client, store=store).wait(300)
    assert job.status == "done", job.error
    (m,) = store.list()
    assert m["id"] == job.id and m["status"] == "done"
    assert_close(rw.load_result(job.id, store), expected, f"{name} (S3)")
    assert not any("AWS" in json.dumps(m) or "renette-test" in json.dumps(m) for m in [m]), \
        "no credential in the manifest"
    # nothing appeared locally: an s3:// root is not a relative folder "s3:"
    assert not Path("s3:").exists()


def test_a_store_that_cannot_be_reached_is_an_input_error_before_any_task(far_client, s3):
    with pytest.raises(InputError) as info:
        rw.submit("distance", _networks(), {}, client=far_client,
                  store=Store("s3://no-such-bucket-renette/store"))
    text = str(info.value) + " " + (info.value.hint or "")
    assert "s3://no-such-bucket-renette/store" in text and "AWS_" in text
    assert not Path("s3:").exists()


def test_the_cli_runs_the_workflows_on_s3_and_matches_a_local_run(far_stack, s3, client,
                                                                   tmp_path):
    """The issue's five jobs (inference with cor and ARACNE, distance, stability,
    differential) through the CLI, each a new process, with its store on S3 and its
    worker elsewhere: the numbers of the API's run on a local store."""
    url = s3.bucket() + "/store"
    env = {k: v for k, v in os.environ.items()}
    env.update(s3.env, DASK_SCHEDULER_ADDRESS=far_stack.scheduler_address, RENETTE_HOME=url)
    files: dict[str, list[str]] = {}
    for name in CLI:
        inputs, _ = JOBS[name]
        files[name] = []
        for stem, df in inputs().items():  # every bit of the doubles, named as the API's
            path = tmp_path / name / f"{stem}.csv"
            path.parent.mkdir(exist_ok=True)
            df.to_csv(path, index=name == "distance", float_format="%.17g")
            files[name].append(str(path))
    for name, options in CLI.items():
        args = [workflows.get(name).cli_command, *files[name], *options]
        run = subprocess.run([RENETTE, *args], env=env, capture_output=True, text=True,
                             timeout=300, stdin=subprocess.DEVNULL)
        assert run.returncode == 0, f"{name}: {run.stderr[-2000:]}"
    store = Store(url)
    jobs = {m["workflow"]: m for m in store.list() if m["status"] == "done"}
    assert set(jobs) == set(CLI)
    for name in CLI:
        # (a file read by the CLI carries the reader's notes; a DataFrame has none)
        assert_close(rw.load_result(jobs[name]["id"], store), _reference(name, client, tmp_path),
                     f"{name} (CLI, S3)", skip=("notes",))


def test_an_s3_outage_during_a_job_fails_it_in_words_and_lists_nothing_half_written(
        far_client, s3):
    url = s3.bucket() + "/store"
    store = Store(url)
    store.check()
    big = _data(5, 40, 3000)  # workers write the network in blocks of rows
    stopped = threading.Event()

    def stop_when_running(job):
        if job.status == "running" and job.done >= 1 and not stopped.is_set():
            stopped.set()
            s3.stop()

    job = rw.submit("inference", {"big": big}, {"methods": {"cor": {}}}, client=far_client,
                    store=store)
    job.add_callback(stop_when_running)
    job.wait(600)
    s3.start()
    if job.status == "done":  # retries carried it through: then it is whole
        stored = rw.load_result(job.id, store)["networks"]["big_cor"].to_numpy()
        np.testing.assert_array_equal(stored, job.result["networks"]["big_cor"].to_numpy())
    else:
        assert job.status == "failed"
        assert job.error and "Traceback" not in job.error
        assert f"the results store {url} could not be reached" in job.error, job.error
    for m in store.list():  # whatever is listed is whole, and reads back
        assert m["status"] in ("done", "failed")
        if m["status"] == "done":
            net = rw.load_result(m["id"], store)["networks"]["big_cor"]
            assert net.shape == (3000, 3000)
    # a job folder without a manifest is never listed, and can be removed
    folder = location(url) / "jobs" / job.id
    if folder.exists() and not (folder / "manifest.json").exists():
        assert job.id not in {m["id"] for m in store.list()}
        store.delete(job.id)
        assert not folder.exists()
