"""The `renette` CLI and persistence across processes, on the real scheduler
stack (so no CLI process starts its own cluster).

Acceptance of issue 3: a job run in one Python process is found with its
results by another, and `renette rerun MANIFEST` reproduces the numbers.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import igraph
import numpy as np
import pandas as pd
import pytest
from conformance_helpers import CONFORMANCE, EXAMPLES, assert_within

import renette_widgets as rw
from renette_widgets import Store

RENETTE = str(Path(sys.executable).parent / "renette")
CASE = "netdist_renette_microbiome_adj_HIM"
NETS = [str(EXAMPLES / f"microbiome_Actinobacteria_{n}_adj.csv")
        for n in ("0.0-diet", "1.0-diet")]


@pytest.fixture()
def env(stack, tmp_path):
    home = tmp_path / "home"
    return {**os.environ, "DASK_SCHEDULER_ADDRESS": stack.scheduler_address,
            "RENETTE_HOME": str(home)}


def _run(args, env, timeout=300):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def test_job_survives_process_restart_and_rerun_reproduces(env, cases, tmp_path):
    script = textwrap.dedent(f"""
        import renette_widgets as rw
        nets = {{p: rw.read_matrix(p, kind="adjacency") for p in {NETS!r}}}
        job = rw.submit("distance", nets, {{"metric": "HIM"}}).wait(300)
        print(job.id, job.status)
    """)
    first = _run([sys.executable, "-c", script], env)
    assert first.returncode == 0, first.stderr
    job_id, status = first.stdout.split()[-2:]
    assert status == "done"
    # A new process (this one) finds the job and its results in the store.
    store = Store(env["RENETTE_HOME"])
    (m,) = store.list()
    assert m["id"] == job_id and m["workflow"] == "distance" and m["status"] == "done"
    case = cases[CASE]
    stored = rw.load_result(job_id, store)
    for field in ("H", "IM", "HIM"):
        assert_within(stored[field].iloc[0, 1], case["expected"][field], case, field)
    # `renette rerun MANIFEST` gives the same numbers in a new job.
    out = tmp_path / "rerun"
    manifest = Path(env["RENETTE_HOME"]) / "jobs" / job_id / "manifest.json"
    rerun = _run([RENETTE, "rerun", str(manifest), "-o", str(out), "-q"], env)
    assert rerun.returncode == 0, rerun.stderr
    for field in ("H", "IM", "HIM"):
        again = pd.read_csv(out / f"{field}.csv", index_col=0)
        pd.testing.assert_frame_equal(again, stored[field])
    assert len(store.list()) == 2
    # ... and with a changed parameter: H is the same, HIM moves with rho.
    changed = _run([RENETTE, "rerun", job_id, "-p", "rho=0.5", "-q"], env)
    assert changed.returncode == 0, changed.stderr
    newest = store.list()[0]
    assert newest["params"]["rho"] == 0.5
    res = rw.load_result(newest["id"], store)
    assert res["H"].iloc[0, 1] == pytest.approx(stored["H"].iloc[0, 1], abs=1e-15)
    assert abs(res["HIM"].iloc[0, 1] - stored["HIM"].iloc[0, 1]) > 1e-6


def test_cli_distance_infer_and_stats_write_results(env, cases, tmp_path):
    out = tmp_path / "dist"
    # inputs over dask's large-graph threshold: its advice is not for CLI users
    big = {**env, "DASK_DISTRIBUTED__ADMIN__LARGE_GRAPH_WARNING_THRESHOLD": "1kB"}
    r = _run([RENETTE, "distance", *NETS, "--metric", "HIM", "-o", str(out)], big)
    assert r.returncode == 0, r.stderr
    assert "done" in r.stdout and "[" in r.stderr  # progress bar on stderr
    assert "Warning" not in r.stderr
    him = pd.read_csv(out / "HIM.csv", index_col=0)
    case = cases[CASE]
    assert_within(him.iloc[0, 1], case["expected"]["HIM"], case, "HIM")
    assert (out / "manifest.json").is_file()

    data = str(CONFORMANCE / "inputs" / "small_30x8_a.csv")
    out = tmp_path / "infer"
    r = _run([RENETTE, "infer", data, "-m", "cor", "-m", "WGCNA", "-p", "P=6", "-o", str(out),
              "-q"], env)
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["manifest.json", "small_30x8_a_WGCNA.csv", "small_30x8_a_cor.csv"]
    expected = pd.read_csv(CONFORMANCE / cases["mat2adj_small_30x8_WGCNA_P6"]["expected"]
                           ["matrix"])
    got = pd.read_csv(out / "small_30x8_a_WGCNA.csv", index_col=0)
    assert_within(got.to_numpy(), expected.to_numpy(), cases["mat2adj_small_30x8_WGCNA_P6"],
                  "matrix")
    # the same job's networks as GraphML, the strongest 10 edges each
    job_id = json.loads((out / "manifest.json").read_text())["id"]
    gml = tmp_path / "gml"
    r = _run([RENETTE, "export", job_id, "--format", "graphml", "--top-edges", "10", "-o", str(gml)],
             env)
    assert r.returncode == 0, r.stderr
    g = igraph.Graph.Read_GraphML(str(gml / "small_30x8_a_cor.graphml"))
    assert g.vcount() == 8 and g.ecount() == 10
    r = _run([RENETTE, "export", job_id, "--format", "xlsx"], env)
    assert r.returncode == 2 and "graphml" in r.stderr

    out = tmp_path / "stats"
    r = _run([RENETTE, "stats", NETS[0], "-o", str(out), "-q"], env)
    assert r.returncode == 0, r.stderr
    nodes = pd.read_csv(next(out.glob("*_nodes.csv")))
    assert len(nodes) == 187


def test_cli_bad_input_is_a_message_not_a_traceback(env, tmp_path):
    r = _run([RENETTE, "distance", str(tmp_path / "missing.csv"), "-q"], env)
    assert r.returncode == 2
    assert "missing.csv" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "ragged.csv"
    bad.write_text("a,b,c\n0,1\n1,0,1,1\n")
    r = _run([RENETTE, "stats", str(bad), "-q"], env)
    assert r.returncode == 2 and "ragged.csv" in r.stderr and "Traceback" not in r.stderr
    r = _run([RENETTE, "infer", NETS[0], "-m", "WGCNA", "-p", "P=6); system('touch x')",
              "-q"], env)
    assert r.returncode == 2 and "P" in r.stderr and "Traceback" not in r.stderr


def test_cli_drops_constant_columns_on_request(env, tmp_path):
    flat = tmp_path / "flat.csv"
    rows = np.random.default_rng(3).random((12, 3))
    flat.write_text("a,b,c,d\n" + "".join(f"{x},{y},{z},1\n" for x, y, z in rows))
    r = _run([RENETTE, "infer", str(flat), "-q"], env)
    assert r.returncode == 2 and "flat.csv" in r.stderr and "--drop-constant" in r.stderr
    out = tmp_path / "out"
    r = _run([RENETTE, "infer", str(flat), "--drop-constant", "-o", str(out), "-q"], env)
    assert r.returncode == 0, r.stderr
    net = pd.read_csv(out / "flat_cor.csv", index_col=0)
    assert list(net.columns) == ["a", "b", "c"]


def test_cli_genes_in_rows_graph_files_edge_list_export_and_multiplex(env, tmp_path):
    """Issue 25 from the terminal: a genes-in-rows table inferred as samples x genes, its
    network exported as an edge list that reads back to it, networks given as GraphML and
    an edge list, and a multiplex distance of two folders of layers."""
    from renette_widgets.io.networks import read_network
    rng = np.random.default_rng(25)
    table = pd.DataFrame(rng.normal(size=(12, 10)), index=[f"ENSG{i:011d}" for i in range(12)],
                         columns=[f"GSM{100 + j}" for j in range(10)]).rename_axis("gene_id")
    table.to_csv(tmp_path / "counts.csv")
    out = tmp_path / "edges"
    r = _run([RENETTE, "infer", str(tmp_path / "counts.csv"), "-o", str(out), "--format",
              "edgelist", "-q"], env)
    assert r.returncode == 0, r.stderr
    job_id = json.loads((out / "manifest.json").read_text())["id"]
    net = rw.load_result(job_id, Store(env["RENETTE_HOME"]))["networks"]["counts_cor"]
    net = net if isinstance(net, pd.DataFrame) else net.to_frame()
    assert list(net.index) == list(table.index)  # the genes are the nodes
    back = read_network(out / "counts_cor_edges.csv")
    assert list(back.index) == list(net.index)
    np.testing.assert_array_equal(back.to_numpy(), net.to_numpy())
    nets = Path(__file__).parent / "data" / "networks"
    r = _run([RENETTE, "distance", str(nets / "r_igraph.graphml"), str(nets / "r_igraph_edges.csv"),
              "-o", str(tmp_path / "d"), "-q"], env)
    assert r.returncode == 0, r.stderr
    him = pd.read_csv(tmp_path / "d" / "HIM.csv", index_col=0)
    assert him.to_numpy().max() == 0.0
    for side, seed in (("x", 1), ("y", 2)):
        (tmp_path / side).mkdir()
        for k in range(2):
            a = np.triu(np.random.default_rng(seed * 10 + k).random((6, 6)), 1)
            pd.DataFrame(a + a.T, index=list("abcdef"), columns=list("abcdef")).to_csv(
                tmp_path / side / f"layer{k}.csv")
    r = _run([RENETTE, "multiplex", str(tmp_path / "x"), str(tmp_path / "y"), "-o",
              str(tmp_path / "m"), "-q"], env)
    assert r.returncode == 0, r.stderr
    m = pd.read_csv(tmp_path / "m" / "multiplex_distances.csv", index_col=0)
    assert list(m.index) == ["layer 1: layer0", "layer 2: layer1", "multiplex"]
    assert (m.to_numpy() > 0).all()
