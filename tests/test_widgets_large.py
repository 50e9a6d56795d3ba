"""Views of large networks without a browser (issue 14): pictures read from the store a
block at a time (pooled heatmap read again where zoomed, strongest edges, paged edge
table, binned histograms), never the whole network in the kernel, nor in one message."""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from jupyter_client.jsonutil import json_default

from renette_widgets.figures import large as pictures
from renette_widgets.io import arrays
from renette_widgets.io.arrays import StoredMatrix, write_matrix
from renette_widgets.widgets import large
from renette_widgets.widgets.networks import NetworksView

P = 700  # nodes: above the (lowered) threshold, and pooled by 2 into 350 cells


def _net(p: int, seed: int = 0) -> np.ndarray:
    """Modules of correlated nodes, so that clustering has something to find."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((50, 6)) @ (rng.standard_normal((6, p)) * (rng.random((6, p)) < 0.3))
    a = np.abs(np.corrcoef(x + rng.standard_normal((50, p)), rowvar=False))
    np.fill_diagonal(a, 0.0)
    return a


@pytest.fixture(scope="module")
def a():
    return _net(P)


@pytest.fixture
def stored(a, tmp_path, monkeypatch):
    """The network in a store, with the thresholds lowered to keep the test small; reading
    it whole (to_numpy, to_frame) fails the test."""
    monkeypatch.setattr(large, "LARGE_NODES", 500)
    monkeypatch.setattr(pictures, "MAX_CELLS", 350)
    names = [f"g{i}" for i in range(P)]
    m = write_matrix(tmp_path / "net.zarr", a, names, names)

    def whole(*_args, **_kw):
        raise AssertionError("the view read the whole network")
    monkeypatch.setattr(StoredMatrix, "to_numpy", whole)
    monkeypatch.setattr(StoredMatrix, "__array__", whole)
    return m


def _size(box) -> int:
    return len(json.dumps(box.outputs, default=json_default))


def _overview(view):
    heat, net = view.tabs.page(0).children[2].children[0].children
    net.wait(60)  # the strongest edges are read in a thread
    return heat, net


def test_a_large_network_is_shown_as_pictures(stored, a):
    view = NetworksView({"big": stored})
    assert view.large and "are shown as pictures" in view.children[0].value
    heat, net = _overview(view)
    z = heat.plot.data[0].z
    assert z.shape == (350, 350) and z.dtype == np.float32
    assert _size(heat.plot) < 2.5e6 and _size(net.plot) < 1e6
    # the picture is the pooled network in clustered order: each cell the mean of its nodes
    order = heat.order
    assert sorted(order) == list(range(P))
    cell = a[np.ix_(order, order)][:2, 2:4].mean()
    assert z[0, 1] == pytest.approx(cell, rel=1e-6)
    assert heat.plot.data[0].y[0] == f"g{order[0]} .. g{order[1]}"
    assert "all 700 nodes, clustered order; cells of 2 × 2 nodes" in heat.readout.value
    # the strongest edges
    i, j = np.triu_indices(P, 1)
    strongest = np.sort(a[i, j])[::-1]
    np.testing.assert_allclose(net.shown()["weight"], strongest[:large.SHOWN_EDGES])
    assert "the 1,000 strongest edges of a network of 700 nodes" in net.plot.layout.title.text
    net.count.value = 200
    assert len(net.shown()) == 200 and net.plot.data[0].x.count(None) == 200


def test_a_zoom_is_read_again_at_a_finer_resolution(stored, a):
    heat, _ = _overview(NetworksView({"big": stored}))
    # a box over cells 10-109 (rows) x 50-59 (columns), as plotly reports it (y reversed)
    heat.asked({"type": "zoom", "x": [49.6, 59.4], "y": [109.3, 9.7]})
    assert heat.region == (20, 220, 100, 120)
    rows, cols = heat.order[20:220], heat.order[100:120]
    z = np.asarray(heat.plot.data[0].z, dtype=float)
    np.testing.assert_allclose(z, a[np.ix_(rows, cols)], rtol=1e-6)  # one cell a node now
    assert list(heat.plot.data[0].y[:2]) == [f"g{rows[0]}", f"g{rows[1]}"]
    assert list(heat.plot.data[0].x) == [f"g{c}" for c in cols]  # 20 names: on the axis
    assert heat.plot.layout.xaxis.showticklabels and not heat.plot.layout.yaxis.showticklabels
    assert "rows 21-220 and columns 101-120 of 700 nodes" in heat.readout.value
    # zooming again is relative to what is shown; a double-click shows the whole again
    heat.asked({"type": "zoom", "x": [0, 4], "y": [3, 0]})
    assert heat.region == (20, 24, 100, 105)
    heat.asked({"type": "reset"})
    assert heat.region == (0, P, 0, P) and heat.plot.data[0].z.shape == (350, 350)
    heat.asked({"type": "zoom", "x": "nonsense"})  # ignored, not an error
    assert heat.region == (0, P, 0, P) and heat.errors.text == ""


def test_edges_are_paged_from_the_store(stored, a, monkeypatch):
    monkeypatch.setattr(large, "TABLE_EDGES", 300)
    view = NetworksView({"big": stored})
    pages = view.tabs.page(1).children[2].children[0]
    assert isinstance(pages, large.EdgePages)
    i, j = np.triu_indices(P, 1)
    strongest = np.sort(a[i, j])[::-1]
    assert pages.page.max == 12 and "rows 1-25 of the 300 strongest of the 244,650 pairs" \
        in pages.readout.value
    pages.next.click()
    cells = re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>",
                       pages.table.value)
    np.testing.assert_allclose([float(w) for _, _, w in cells], strongest[25:50], rtol=1e-5)
    pages.size.value = 100
    assert pages.page.value == 1 and pages.page.max == 3
    # one node's edges: its row, strongest first
    pages.node.value = "g7"
    row = a[7]
    want = np.sort(row[row != 0])[::-1]
    assert len(pages.rows()) == len(want) and "the edges of <b>g7</b> (699" in pages.readout.value
    np.testing.assert_allclose(pages.rows()["weight"], want)
    pages.downloads.button.click()
    assert 'download="big_edges.csv"' in pages.downloads.links.value


def test_histograms_are_counted_here(stored, a):
    view = NetworksView({"big": stored})
    strength, weights = view.tabs.page(2).children
    i, j = np.triu_indices(P, 1)
    w = a[i, j][a[i, j] != 0]
    assert int(np.sum(weights.data[0].y)) == len(w)
    assert int(np.sum(strength.data[0].y)) == P
    np.testing.assert_allclose(large.strengths(stored), a.sum(axis=1))
    assert large.density(stored) == pytest.approx(np.count_nonzero(a) / (P * (P - 1)))
    assert _size(weights) < 20_000  # bins, not the 244,650 weights


def test_downloads_hold_the_strongest_edges_not_the_matrix(stored, monkeypatch):
    monkeypatch.setattr(large, "TABLE_EDGES", 50)
    view = NetworksView({"big": stored}, stem="job")
    view.downloads.button.click()
    assert 'download="job_big_top_edges.csv"' in view.downloads.links.value


def test_between_600_and_2000_nodes_the_explorer_stays_and_the_rest_is_pooled(a, monkeypatch):
    monkeypatch.setattr(pictures, "MAX_CELLS", 350)
    names = [f"g{i}" for i in range(P)]
    frame = pd.DataFrame(a, index=names, columns=names)
    view = NetworksView({"mid": frame})
    assert not view.large and view.pooled
    assert view.explorer.plot.data  # the rich view, as for small networks
    heat = view.tabs.page(1).children[1].children[0]
    assert isinstance(heat, large.ZoomHeatmap) and heat.plot.data[0].z.shape == (350, 350)
    assert isinstance(view.tabs.page(3).children[1].children[0], large.EdgePages)
    strength, weights = view.tabs.page(2).children
    assert weights.data[0].type == "bar"


def test_a_large_network_of_the_session_stays_in_the_store(stored, tmp_path):
    from renette_widgets import Store
    from renette_widgets.widgets.app import App
    app = App(store=Store(tmp_path / "store"), connect=False)
    app.session.add("inferred_cor", stored, "adjacency", origin="job x")
    assert "inferred_cor" in app.distance.networks.options
    assert "700 × 700" in app.inputs.loaded.value
    app.inputs.preview_name.value = "inferred_cor"
    assert "700 rows × 700 columns" in app.inputs.preview.value and "g11" in app.inputs.preview.value
    app.statistics.networks.value = ("inferred_cor",)  # its density, read a block at a time
    app.statistics.reading.join(30)
    assert app.statistics.form["threshold"].value == "density"  # dense: its strongest 5 %
    assert "inferred_cor links 100% of all node pairs" in app.statistics.notice.value
    inputs, _ = app.distance.collect()
    assert inputs["inferred_cor"] is stored  # read by api.submit when a job runs, not before


def test_blocks_of_a_matrix_cover_it(a, tmp_path, monkeypatch):
    monkeypatch.setattr(arrays, "READ_VALUES", 5000)
    m = write_matrix(tmp_path / "m.zarr", a)
    frame = pd.DataFrame(a)
    for source in (m, frame):
        got = np.vstack([b for _, b in large.blocks_of(source)])
        np.testing.assert_array_equal(got, a)


def test_a_large_download_is_sent_in_pieces_a_small_one_is_a_link():
    from renette_widgets.widgets.common import LazyDownloads
    from renette_widgets.widgets.upload import CHUNK_BYTES
    big = bytes(np.random.default_rng(0).integers(0, 256, 9 * 2**20, dtype=np.uint8))
    d = LazyDownloads({"small.csv": lambda: "a,b\n1,2\n", "big.bin": lambda: big})
    sent = []
    d.sender.send = lambda msg, buffers=None: sent.append((msg, [bytes(b) for b in buffers or []]))
    d.button.click()
    assert 'download="small.csv"' in d.links.value and "big.bin" not in d.links.value
    kinds = [m["type"] for m, _ in sent]
    assert kinds == ["begin", "piece", "piece", "piece", "end"]
    assert sent[0][0]["name"] == "big.bin" and sent[0][0]["size"] == len(big)
    pieces = [b for m, bs in sent if m["type"] == "piece" for b in bs]
    assert max(map(len, pieces)) == CHUNK_BYTES and b"".join(pieces) == big
    assert d.sender.sent == [("big.bin", len(big))]
