"""Round trips: a network exported as GraphML or as an edge list (``renette export``,
``Job.export``, the dashboard's downloads) reads back with read_network to the same
adjacency: node names and order, weights exact to the printed precision (GraphML: the
15 significant digits igraph prints; edge lists: all 17, so exactly)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets.io import exports
from renette_widgets.io.examples import example_path
from renette_widgets.io.networks import read_network


def printed(a: np.ndarray, fmt: str) -> np.ndarray:
    """The weights as the format prints them."""
    return np.vectorize(lambda x: float(f"{x:.15g}"))(a) if fmt == "graphml" else a


def assert_reads_back(path, want: pd.DataFrame, fmt: str) -> pd.DataFrame:
    got = read_network(path)
    assert list(got.index) == list(want.index) == list(got.columns)
    np.testing.assert_array_equal(got.to_numpy(), printed(want.to_numpy(), fmt))
    return got


def _directed(n: int = 12, seed: int = 25) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) * (rng.random((n, n)) < 0.3)  # one-way arcs, mostly
    np.fill_diagonal(a, 0.0)
    names = [f"g{i}" for i in range(n)][::-1]  # not in sorted order
    return pd.DataFrame(a, index=names, columns=names)


@pytest.mark.parametrize("fmt", ["graphml", "edgelist"])
def test_directed_network_round_trip(tmp_path, fmt):
    net = _directed()
    assert not np.allclose(net, net.T)
    path = (exports.export_graphml if fmt == "graphml" else exports.export_edgelist)(
        net, tmp_path / f"d.{fmt}", None, None)
    got = assert_reads_back(path, net, fmt)
    assert "directed" in " ".join(got.attrs["notes"])


@pytest.mark.parametrize("fmt", ["graphml", "edgelist"])
def test_isolated_nodes_and_order_survive(tmp_path, fmt):
    a = np.zeros((5, 5))
    a[3, 1] = a[1, 3] = 0.123456789012345678  # the only edge: nodes 0, 2, 4 isolated
    names = ["e", "d", "c", "b", "a"]
    net = pd.DataFrame(a, index=names, columns=names)
    path = (exports.export_graphml if fmt == "graphml" else exports.export_edgelist)(
        net, tmp_path / f"i.{fmt}", None, None)
    assert_reads_back(path, net, fmt)


def test_dashboard_downloads_read_back(tmp_path):
    from renette_widgets.widgets.networks import NetworksView
    net = _directed(8, seed=3)
    und = net + net.T
    view = NetworksView({"dir": net, "und": und}, "nets")
    for name, make in view.downloads.files.items():
        if name.endswith(".csv") and not name.endswith("_edges.csv"):
            continue  # the adjacency matrix itself
        path = tmp_path / name
        path.write_text(make())
        want = net if name.startswith("dir") else und
        assert_reads_back(path, want, "graphml" if name.endswith(".graphml") else "edgelist")


def test_inferred_and_thresholded_networks_exported_read_back(client, tmp_path):
    data = rw.read_matrix(example_path("condition_A.csv"))
    job = rw.submit("inference", {"A": data}, {"methods": ["cor"]}, client=client).wait(300)
    assert job.status == "done", job.error
    (net,) = job.result["networks"].values()
    net = net if isinstance(net, pd.DataFrame) else net.to_frame()
    stored = rw.load_job(job.id)  # what `renette export <id>` exports
    for fmt in ("graphml", "edgelist"):
        (path,) = stored.export(tmp_path / fmt, fmt)
        assert_reads_back(path, net, fmt)
        # thresholded: the weights at most 0.3 in absolute value are left out
        (path,) = stored.export(tmp_path / f"{fmt}_cut", fmt, threshold=0.3)
        cut = net.where(net.abs() > 0.3, 0.0)
        assert (cut == 0).to_numpy().sum() > len(cut)  # the cut removed edges
        assert_reads_back(path, cut, fmt)
