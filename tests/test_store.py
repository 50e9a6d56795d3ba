"""The results store: atomic writes, round trips of every workflow's result
(binary, read lazily), exports on demand, jobs of the first format, and that
ids cannot escape the store."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import igraph

from renette_widgets import InputError, Job, StabilityResult, Store, load_job, load_result, workflows
from renette_widgets.io.arrays import StoredMatrix
from renette_widgets.jobs.job import frame_hash


def _net(names, seed):
    rng = np.random.default_rng(seed)
    a = rng.random((len(names), len(names)))
    a = (a + a.T) / 2
    np.fill_diagonal(a, 0)
    a[a < 0.4] = 0
    return pd.DataFrame(a, index=names, columns=names)


def _finished(workflow, inputs, params, result, status="done"):
    """A real Job in its finished state (as Job._run leaves it)."""
    job = Job(workflows.get(workflow), inputs, params)
    job.status, job.started, job.finished, job.total, job.done = status, 1.0, 2.5, 3, 3
    job._result = result if status == "done" else None
    job.error = None if status == "done" else "R error in mat2adj(): boom"
    job.versions = {"R": "R version 4.2.2", "packages": {"renette": "0.1.0"}}
    return job


def _distance_job():
    names = ["g1", "g2", "g3"]
    nets = {"a b/../c": _net(names, 1), "n2": _net(names, 2)}
    d = pd.DataFrame([[0, 0.25], [0.25, 0]], index=list(nets), columns=list(nets))
    result = {"H": d, "IM": d * 2, "HIM": d * 3, "gamma": 0.43}
    return _finished("distance", nets, {"metric": "HIM", "rho": 1.0, "gamma": None,
                                        "components": True}, result)


def test_distance_round_trip_and_manifest(tmp_path):
    store = Store(tmp_path)
    job = _distance_job()
    folder = store.write(job)
    assert folder == tmp_path / "jobs" / job.id
    m = json.loads((folder / "manifest.json").read_text())
    assert m["workflow"] == "distance" and m["status"] == "done"
    assert m["params"]["metric"] == "HIM"
    assert [e["name"] for e in m["inputs"]] == ["a b/../c", "n2"]
    # user-given names never become paths outside the job folder
    assert all("/" not in e["file"][len("inputs/"):] for e in m["inputs"])
    assert all(e["hash"].startswith("blake3:") and e["shape"] == [3, 3] for e in m["inputs"])
    assert m["versions"]["R"].startswith("R version")
    assert m["timings"]["elapsed_s"] == pytest.approx(1.5)
    res = load_result(job.id, store)
    for key in ("H", "IM", "HIM"):
        pd.testing.assert_frame_equal(res[key], job.result[key], check_dtype=False)
    assert res["gamma"] == 0.43
    # the stored inputs are the same matrices (same hash), so rerun is exact
    loaded = store.load_inputs(job.id)
    for name, df in job.matrices.items():
        pd.testing.assert_frame_equal(loaded[name], df)
    assert {n: frame_hash(df) for n, df in loaded.items()} == job.input_hashes


def test_listing_newest_first_and_load_job(tmp_path):
    store = Store(tmp_path)
    first, second = _distance_job(), _distance_job()
    second.created = first.created + 10
    store.write(first)
    store.write(second)
    assert [m["id"] for m in store.list()] == [second.id, first.id]
    again = load_job(first.id, store)
    assert again.status == "done" and again.id == first.id
    assert again.wait(0) is again  # finished: wait returns at once
    assert again.result["HIM"].iloc[0, 1] == pytest.approx(0.75)


def test_failed_job_is_recorded_with_its_reason(tmp_path):
    store = Store(tmp_path)
    job = _finished("inference", {"x": _net(["a", "b"], 3)},
                    {"methods": {"cor": {}}, "seed": 0}, None, status="failed")
    store.write(job)
    (m,) = store.list()
    assert m["status"] == "failed" and "boom" in m["error"]
    assert (tmp_path / "jobs" / job.id / "inputs").is_dir()
    assert load_job(job.id, store).result is None


def test_crash_mid_write_leaves_no_half_job(tmp_path, monkeypatch):
    store = Store(tmp_path)
    job = _distance_job()

    def crash(result, out):
        (out / "H.csv").write_text("partial")
        raise OSError("disk full")
    monkeypatch.setattr(job.flow, "write_result", crash)
    with pytest.raises(OSError):
        store.write(job)
    assert store.list() == []
    assert not (tmp_path / "jobs" / job.id).exists()
    assert not (tmp_path / "tmp").exists() or list((tmp_path / "tmp").iterdir()) == []


def test_ids_cannot_escape_the_store(tmp_path):
    store = Store(tmp_path)
    for bad in ("../etc", "a/b", "", "x" * 200):
        with pytest.raises(InputError):
            store.folder(bad)


def test_inference_networks_stored_binary_and_exported_on_demand(tmp_path):
    store = Store(tmp_path)
    names = ["gene A", "gene<B>", "g&C", "d"]
    net = _net(names, 4)
    job = _finished("inference", {"data": pd.DataFrame(np.ones((3, 4)), columns=names)},
                    {"methods": {"cor": {}}, "seed": 0}, {"networks": {"data_cor": net}})
    folder = store.write(job)
    m = store.manifest(job.id)
    assert m["format"] == 2
    assert m["results"]["networks"]["data_cor"] == {"matrix": "data_cor.zarr"}
    assert m["inputs"][0]["file"] == "inputs/data.zarr"
    assert m["inputs"][0]["hash"].startswith("blake3:")
    assert not list(folder.rglob("*.csv")) and not list(folder.rglob("*.graphml"))
    stored = load_result(job.id, store)["networks"]["data_cor"]
    assert isinstance(stored, StoredMatrix) and stored.shape == (4, 4)
    pd.testing.assert_frame_equal(stored.to_frame(), net)
    np.testing.assert_array_equal(stored.row("g&C").to_numpy(), net.loc["g&C"].to_numpy())
    # exports: CSV with names, and GraphML a viewer reads (python-igraph)
    again = load_job(job.id, store)
    csv, = again.export(tmp_path / "out", "csv")
    pd.testing.assert_frame_equal(pd.read_csv(csv, index_col=0), net, check_exact=True)
    gml, = again.export(tmp_path / "out", "graphml")
    g = igraph.Graph.Read_GraphML(str(gml))
    assert not g.is_directed() and g.vs["name"] == names
    upper = np.triu(net.to_numpy(), 1)
    assert g.ecount() == np.count_nonzero(upper)
    back = np.zeros((4, 4))
    for e in g.es:
        back[e.source, e.target] = back[e.target, e.source] = e["weight"]
    # igraph writes 15 significant digits: enough for a viewer (CSV keeps all 17)
    np.testing.assert_allclose(back, net.to_numpy(), rtol=1e-14, atol=0)
    top, = again.export(tmp_path / "top", "graphml", top_k=2)
    assert igraph.Graph.Read_GraphML(str(top)).ecount() == 2
    with pytest.raises(InputError, match="no network"):
        _distance_job().export(tmp_path / "x", "graphml")


def test_jobs_of_the_first_store_format_still_open(tmp_path):
    """A job folder written by format 1 (CSV files, SHA-256 of the CSV) opens."""
    store = Store(tmp_path)
    folder = tmp_path / "jobs" / "oldjob-0123456789"
    (folder / "inputs").mkdir(parents=True)
    (folder / "results").mkdir()
    net = _net(["a", "b", "c"], 6)
    net.to_csv(folder / "results" / "x_cor.csv")
    pd.DataFrame(np.ones((4, 3)), columns=list("abc")).to_csv(folder / "inputs" / "x.csv")
    manifest = {"format": 1, "id": "oldjob-0123456789", "workflow": "inference",
                "status": "done", "error": None, "message": "done", "seed": 0,
                "params": {"methods": {"cor": {"method": "pearson", "tol": 0.0}}, "seed": 0},
                "inputs": [{"name": "x", "sha256": "ab" * 32, "shape": [4, 3],
                            "file": "inputs/x.csv"}],
                "versions": {}, "timings": {"created": "2026-11-20T10:00:00+00:00",
                                            "started": None, "finished": None, "tasks": 1},
                "results": {"networks": {"x_cor": {"csv": "x_cor.csv",
                                                   "graphml": "x_cor.graphml"}}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    job = load_job("oldjob-0123456789", store)
    pd.testing.assert_frame_equal(job.result["networks"]["x_cor"], net)
    assert job.input_hashes == {"x": "sha256:" + "ab" * 32}
    assert store.load_inputs(job.id)["x"].shape == (4, 3)


def test_stability_and_statistics_round_trip(tmp_path):
    store = Store(tmp_path)
    nodes = ["a", "b", "c"]
    adj = _net(nodes, 5)
    res = StabilityResult(
        S=0.1, SI=0.2,
        Sw=pd.DataFrame({"edge": [1, 2, 3], "i": ["a", "a", "b"], "j": ["b", "c", "c"],
                         "Sw": [0.5, np.nan, 1.5]}),
        Sd=pd.DataFrame({"node": nodes, "Sd": [0.1, 0.2, 0.3]}),
        S_boot=pd.DataFrame({"resample": [1, 2], "S": [0.05, 0.15]}),
        SI_boot=pd.DataFrame({"r1": [1], "r2": [2], "SI": [0.2]}),
        Sd_boot=pd.DataFrame(np.arange(6.0).reshape(2, 3), columns=nodes,
                             index=pd.RangeIndex(1, 3, name="resample")),
        ADJ=adj, indices=[np.array([0, 2, 4]), np.array([1, 3, 4])], metric="IM")
    job = _finished("stability", {"x": pd.DataFrame(np.ones((5, 3)), columns=nodes)},
                    {"method": "cor", "seed": 0}, res)
    store.write(job)
    back = load_result(job.id, store)
    assert (back.S, back.SI, back.metric) == (0.1, 0.2, "IM")
    for key in ("Sw", "Sd", "S_boot", "SI_boot", "Sd_boot", "ADJ"):
        pd.testing.assert_frame_equal(getattr(back, key), getattr(res, key),
                                      check_dtype=False, check_index_type=False)
    assert [list(i) for i in back.indices] == [[0, 2, 4], [1, 3, 4]]

    stats = {"n1": {"nodes": pd.DataFrame({"node": nodes, "degree": [1, 2, 1]}),
                    "network": pd.DataFrame({"density": [0.66]})}}
    job2 = _finished("statistics", {"n1": adj}, {"seed": 0}, stats)
    store.write(job2)
    back2 = load_result(job2.id, store)
    pd.testing.assert_frame_equal(back2["n1"]["nodes"], stats["n1"]["nodes"])
    pd.testing.assert_frame_equal(back2["n1"]["network"], stats["n1"]["network"])
