"""Panels submitting real jobs on the embedded cluster: job parameters, live rows,
results opening by themselves, and the figures carrying the results' numbers."""
import base64
import io
import re
import tempfile
import threading
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from waiting import wait_until

from renette_widgets.io import examples
from renette_widgets import Store
from renette_widgets.widgets.app import TITLES, App
from renette_widgets.widgets.jobs import StoredJob
from renette_widgets.widgets.distance import DistanceView
from renette_widgets.widgets.networks import NetworksView
from renette_widgets.widgets.stability import StabilityView
from renette_widgets.widgets.statistics import StatisticsView

TIMEOUT = 180


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store(tmp_path_factory.mktemp("widget-store"))


@pytest.fixture(scope="module")
def app(client, store):
    a = App(client=client, store=store)
    a.inputs.example_buttons["example-data"].click()
    a.inputs.example_buttons["example-networks"].click()
    return a


def _received(sender, click) -> dict[str, bytes]:
    """The files a FileSender sends to the page while ``click()`` runs, joined from
    their pieces as the page does (js/download.js); no piece over 5 MB."""
    files, parts = {}, {}

    def send(msg, buffers=None):
        if msg["type"] == "begin":
            parts[msg["id"]] = (msg["name"], msg["size"], [])
        elif msg["type"] == "piece":
            assert sum(len(b) for b in buffers) <= 5 * 2**20
            parts[msg["id"]][2].extend(bytes(b) for b in buffers)
        elif msg["type"] == "end":
            name, size, pieces = parts.pop(msg["id"])
            files[name] = b"".join(pieces)
            assert len(files[name]) == size
    sender.send = send
    try:
        click()
    finally:
        del sender.send
    return files


def _finish(app, panel):
    panel.run.click()
    assert panel.errors.text == "", panel.errors.text
    job = panel.last_job
    job.wait(TIMEOUT)
    assert job.status == "done", job.error
    # The done callback runs in the job's thread just after wait() returns.
    wait_until(lambda: app.results.job is job, 20, "the results to open")
    return job


def test_distance_job_opens_its_heatmap(app):
    app.distance.networks.value = ("network_A", "network_B")
    job = _finish(app, app.distance)
    assert job.workflow == "distance"
    assert job.params == {"metric": "HIM", "rho": 1.0, "gamma": None, "components": True,
                          "align": "names", "spectrum": "exact"}
    # The results opened by themselves, on the Results tab.
    assert app.results.job is job and app.tabs.selected_index == TITLES.index("Results")
    view = app.results.view
    assert isinstance(view, DistanceView), app.results.errors.details.value
    heat = view.heatmap.data[0]
    assert list(heat.x) == ["network_A", "network_B"]
    np.testing.assert_array_equal(np.asarray(heat.z), job.result["HIM"].to_numpy())
    # H checked independently: sum |A - B| / (n (n - 1)).
    a, b = (examples.load_examples("adjacency")[n].to_numpy() for n in ("network_A", "network_B"))
    h = np.abs(a - b).sum() / (40 * 39)
    view.component.value = "H"
    assert np.asarray(view.heatmap.data[0].z)[0, 1] == pytest.approx(h, abs=1e-12)
    assert f"{h:.10g}"[:8] in view.matrix.value
    row = app.jobs.rows[job.id]
    assert "done" in row.status.value and row.bar.value == 1.0 and not row.open_button.disabled
    # Downloads: the CSV link carries the matrix; figures become standalone HTML on request.
    links = view.links.value
    him_csv = re.search(r'download="[^"]*_HIM\.csv" href="data:text/csv;base64,([^"]+)"', links).group(1)
    got = pd.read_csv(io.BytesIO(base64.b64decode(him_csv)), index_col=0)
    np.testing.assert_allclose(got.to_numpy(), job.result["HIM"].to_numpy(), rtol=1e-12)
    figs = view.figure_downloads
    # plotly.js inside: megabytes, sent in pieces rather than as one data URI
    page = _received(figs.sender, figs.button.click)[f"{figs.stem}_figures.html"].decode()
    # one page, plotly.js inside (it opens offline), the three figures in it
    assert not re.search(r"<script[^>]+src=", page) and len(page) > 3_000_000
    assert page.count("Plotly.newPlot") == 3
    # The zip of the job folder is offered once the store has written it.
    assert not app.results.zip_button.disabled
    files = _received(app.results.zip_sender, app.results.zip_button.click)
    assert list(files) == [f"renette_{Path(job.folder).name}.zip"]
    with zipfile.ZipFile(io.BytesIO(files.popitem()[1])) as z:
        assert f"{Path(job.folder).name}/manifest.json" in z.namelist()


def test_single_network_is_compared_with_the_empty_one(app):
    app.distance.networks.value = ("network_A",)
    job = _finish(app, app.distance)
    assert list(job.result["H"].index) == ["network_A", "empty"]
    a = examples.load_examples("adjacency")["network_A"].to_numpy()
    assert job.result["H"].iat[0, 1] == pytest.approx(a.sum() / (40 * 39), abs=1e-12)


def test_inference_several_methods(app):
    app.inference.data.value = ("condition_A",)
    app.inference.methods.value = ("cor", "WGCNA")
    job = _finish(app, app.inference)
    assert job.params["methods"] == {"cor": {"method": "pearson", "tol": 0.0},
                                     "WGCNA": {"P": 6, "tol": 0.0}} and job.params["seed"] == 0
    nets = job.result["networks"]
    assert set(nets) == {"condition_A_cor", "condition_A_WGCNA"}
    # WGCNA = |r|^6: the committed network of condition A was made that way in numpy.
    expected = examples.load_examples("adjacency")["network_A"]
    np.testing.assert_allclose(nets["condition_A_WGCNA"].to_numpy(), expected.to_numpy(), atol=1e-9)
    # The inferred networks became inputs of the other panels.
    assert {"condition_A_cor", "condition_A_WGCNA"} <= set(app.distance.networks.options)
    view = app.results.view
    assert isinstance(view, NetworksView)
    ex = view.explorer
    # one condition: the other method is beside the first (see test_partner_is_the_other_condition)
    assert (ex.first.value, ex.second.value) == ("condition_A_cor", "condition_A_WGCNA")
    edges = lambda: sum(int(np.isnan(np.asarray(t.x, float)).sum())  # noqa: E731
                        for t in ex.plot.data if t.mode == "lines")
    ex.second.value = "(none)"
    ex.first.value = "condition_A_cor"
    ex.mode.value = "weight"
    ex.cut.value = 0.5
    m = nets["condition_A_cor"].to_numpy()
    assert edges() == int((np.triu(m, 1) > 0.5).sum())
    ex.cut.value = 0.3
    assert edges() == int((np.triu(m, 1) > 0.3).sum())
    assert f"{int((np.triu(m, 1) > 0.3).sum())} edges with weight &gt; 0.3" in ex.readout.value


def test_stability_job(app):
    app.stability.data.value = "condition_B"
    app.stability.form["h"].value = 4
    app.stability.form["seed"].value = 1
    job = _finish(app, app.stability)
    assert job.params["h"] == 4 and job.params["seed"] == 1 and job.params["resampling"] == "montecarlo"
    r = job.result
    view = app.results.view
    assert isinstance(view, StabilityView)
    assert f"S = {r.S:.3g}" in view.children[0].value and "lower is more stable" in view.children[1].value
    boxes = [t for t in view.tabs.page(0).data if t.type == "box"]
    np.testing.assert_allclose(boxes[0].y, r.S_boot["S"].to_numpy())
    assert r.S == pytest.approx(r.S_boot["S"].mean())


def test_statistics_job(app):
    app.statistics.networks.value = ("network_B",)
    job = _finish(app, app.statistics)
    view = app.results.view
    assert isinstance(view, StatisticsView)
    nodes = job.result["network_B"]["nodes"]
    table = view.nodes.children[0]
    assert len(table.df) == 40
    assert list(table.df["node"]) == [f"G{i:02d}" for i in range(1, 41)]  # names, not positions
    # each measure says whether it uses weights
    assert {"strength (weighted)", "betweenness (unweighted)"} <= set(table.df.columns)
    table.sort_by.value = "strength (weighted)"
    table.order.value = "descending"
    top = table.sorted_frame()["strength (weighted)"].to_numpy()
    assert sorted(top, reverse=True) == list(top) and len(nodes) == 40
    assert (np.diff(top[~np.isnan(top)]) <= 0).all()


def test_jobs_survive_a_reload(app, client, store):
    done = {j.id for j in app.session.jobs if j.status == "done"}
    fresh = App(client=client, store=store)  # what a page reload builds
    assert done <= set(fresh.jobs.rows)
    row = fresh.jobs.rows[app.distance.last_job.id]
    assert isinstance(row.job, StoredJob) and "done" in row.status.value
    row.open_button.click()
    assert fresh.results.errors.text == ""
    assert isinstance(fresh.results.view, StatisticsView | DistanceView | NetworksView | StabilityView)
    assert fresh.results.job.id == row.job.id
    files = _received(fresh.results.zip_sender, fresh.results.zip_button.click)
    assert list(files) == [f"renette_{row.job.id}.zip"] and zipfile.is_zipfile(
        io.BytesIO(files[f"renette_{row.job.id}.zip"]))


def test_cancel_a_running_job(app):
    app.stability.data.value = "condition_A"
    app.stability.form["h"].value = 400
    app.stability.run.click()
    job = app.stability.last_job
    row = app.jobs.rows[job.id]
    # Live progress: the row's bar and message follow the finished tasks.
    wait_until(lambda: 0 < row.bar.value < 1 and "tasks done" in row.message.value, 60,
               "the row's live progress")
    assert "running" in row.status.value and not row.cancel_button.disabled
    row.cancel_button.click()
    job.wait(TIMEOUT)
    assert job.status == "cancelled"
    assert "cancelled" in app.jobs.rows[job.id].status.value


def test_results_show_before_the_store_has_written_the_job(client, tmp_path):
    """A job's results open as soon as it is done; the zip waits for the job folder."""
    written = threading.Event()

    class SlowStore(Store):
        def write(self, job):
            written.wait(TIMEOUT)  # a large job's files: written once the test has looked
            return super().write(job)

    app = App(client=client, store=SlowStore(tmp_path))
    app.inputs.example_buttons["example-networks"].click()
    app.distance.networks.value = ("network_A", "network_B")
    app.distance.run.click()
    job = app.distance.last_job
    wait_until(lambda: app.results.job is job, 20, "the results to open")
    assert isinstance(app.results.view, DistanceView)
    assert app.results.zip_button.disabled and "saving" in app.results.zip_note.value
    assert not (tmp_path / "jobs" / job.id / "manifest.json").exists()
    written.set()
    job.wait(TIMEOUT)
    assert (Path(job.folder) / "manifest.json").is_file()
    assert not app.results.zip_button.disabled and app.results.zip_note.value == ""


def test_a_large_inferred_network_stays_in_the_store(client, tmp_path, monkeypatch):
    """Networks over the large-network threshold (lowered here to 30 nodes) open as
    pictures and become inputs of the other panels as stored matrices: the page
    never holds them whole; a distance job reads them when it runs."""
    from renette_widgets.io.arrays import StoredMatrix
    from renette_widgets.widgets import large
    monkeypatch.setattr(large, "LARGE_NODES", 30)
    app = App(client=client, store=Store(tmp_path))
    app.inputs.example_buttons["example-data"].click()
    app.inference.data.value = ("condition_A", "condition_B")
    job = _finish(app, app.inference)
    view = app.results.view
    assert view.large and view.tabs.page(0) is not None
    nets = {n: app.session.networks[n] for n in ("condition_A_cor", "condition_B_cor")}
    assert all(isinstance(m, StoredMatrix) for m in nets.values())
    assert all(Path(job.folder) in m.path.parents for m in nets.values())
    app.distance.networks.value = tuple(nets)
    dist = _finish(app, app.distance)
    from renette_widgets import api
    again = api.distance({n: m.to_frame() for n, m in nets.items()}, client=client)
    assert dist.result["HIM"].iat[0, 1] == again["HIM"].iat[0, 1] > 0


def _download(lazy) -> dict[str, bytes]:
    """The files a LazyDownloads makes when clicked: data-URI links, or sent in pieces."""
    files = _received(lazy.sender, lazy.button.click)
    for name, data in re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', lazy.links.value):
        files[name] = base64.b64decode(data)
    return files


@pytest.mark.parametrize("workflow, inputs", [
    ("statistics", ["network_A"]), ("inference", ["condition_A", "condition_B"]),
    ("differential", ["condition_A", "condition_B"])])
def test_every_result_offers_csv_tables_offline_figures_and_graphml(app, workflow, inputs):
    """Issue 23: each workflow's results page: its tables as CSV with a README of the
    columns (also in the job's zip, beside the binary files), its figures as one HTML
    page that asks nothing of the network, its networks as GraphML."""
    import igraph
    pool = {**app.session.data, **app.session.networks}
    job = app.session.submit(workflow, {n: pool[n] for n in inputs}, {})
    job.wait(TIMEOUT)
    assert job.status == "done", job.error
    # the store writes the folder after the job is announced
    wait_until(lambda: job.folder and (Path(job.folder) / "manifest.json").is_file(), 20,
               "the job's folder")
    app.results.show(job)
    bar = app.results.exports
    # tables as CSV, with a README of their columns
    (name, data), = _download(bar.tables).items()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        readme = z.read("csv/README.md").decode()
        csvs = {n: pd.read_csv(io.BytesIO(z.read(n))) for n in names if n.endswith(".csv")}
    assert csvs and "csv/README.md" in names
    for n, df in csvs.items():
        assert f"## {n.split('/')[-1]}" in readme  # every file described
    if workflow == "differential":
        pairs = next(df for n, df in csvs.items() if n.endswith("_pairs.csv"))
        assert len(pairs) == 780 and "| q_diff | z_diff's p-value adjusted" in readme
    if workflow == "statistics":
        nodes = csvs["csv/network_A_nodes.csv"]
        np.testing.assert_allclose(nodes["strength"], job.result["network_A"]["nodes"]["strength"])
        assert "| betweenness | betweenness centrality" in readme
    # the job's zip holds the same CSV files beside the binary store files
    folder = Path(job.folder).name
    files = _received(app.results.zip_sender, app.results.zip_button.click)
    with zipfile.ZipFile(io.BytesIO(files[f"renette_{folder}.zip"])) as z:
        inside = z.namelist()
    assert f"{folder}/csv/README.md" in inside and f"{folder}/manifest.json" in inside
    assert {f"{folder}/{n}" for n in csvs} <= set(inside)
    assert any(".zarr/" in n or n.endswith(".parquet") for n in inside)
    # every figure in one page that opens offline
    (name, page), = _download(bar.figures).items()
    page = page.decode()
    assert not re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=[\"']?(?:https?:)?//", page)
    assert page.count("Plotly.newPlot") >= 2
    # networks as GraphML
    (name, data), = _download(bar.graphml).items()
    with zipfile.ZipFile(io.BytesIO(data)) as z, tempfile.TemporaryDirectory() as tmp:
        graphs = [n for n in z.namelist() if n.endswith(".graphml")]
        assert graphs
        z.extract(graphs[0], tmp)
        g = igraph.Graph.Read_GraphML(str(Path(tmp) / graphs[0]))
    assert g.vcount() > 0 and g.ecount() > 0 and g.es.attributes()  # weights (r, q, class)


def test_the_last_opened_result_reopens_after_a_reload(client, tmp_path):
    from renette_widgets.jobs.workspace import Workspace
    ws = Workspace("R" * 22, home=tmp_path)
    app = App(client=client, workspace=ws)
    app.inputs.example_buttons["example-networks"].click()
    app.distance.networks.value = ("network_A", "network_B")
    job = _finish(app, app.distance)
    # written by the store after it was announced
    wait_until(lambda: job.folder and (Path(job.folder) / "manifest.json").is_file(), 20,
               "the job's folder")
    reloaded = App(client=client, workspace=Workspace("R" * 22, home=tmp_path))
    assert reloaded.results.job is not None and reloaded.results.job.id == job.id
    assert isinstance(reloaded.results.view, DistanceView)
    assert "distance = HIM" in reloaded.results.title.value  # parameters in words, not JSON
