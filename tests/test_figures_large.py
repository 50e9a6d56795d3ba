"""Pictures of large networks: pooled heatmaps and strongest-edge views, read from
the store a block at a time, small enough for one message to the browser."""
from __future__ import annotations

import numpy as np
import pandas as pd

from renette_widgets.figures import large
from renette_widgets.io import arrays
from renette_widgets.io.arrays import write_matrix


def _net(p, seed=0):
    rng = np.random.default_rng(seed)
    a = np.triu(rng.random((p, p)) ** 4, 1)
    return a + a.T


def test_pooled_heatmap_of_a_stored_network_is_small(tmp_path):
    p = 2500
    m = write_matrix(tmp_path / "m.zarr", _net(p), [f"g{j}" for j in range(p)],
                     [f"g{j}" for j in range(p)])
    fig = large.pooled_heatmap(m)
    z = fig.data[0].z
    assert z.shape == (500, 500) and z.dtype == np.float32  # cells of 5 x 5 nodes
    assert len(fig.to_json()) < 2.5e6
    assert "2,500 nodes pooled into 500 x 500 cells" in fig.layout.title.text
    assert fig.data[0].customdata[0].startswith("g") and " .. " in fig.data[0].customdata[0]


def test_small_networks_are_drawn_whole():
    names = list("abcdef")
    df = pd.DataFrame(_net(6), index=names, columns=names)
    fig = large.pooled_heatmap(df, clustered=False)
    np.testing.assert_array_equal(fig.data[0].z, df.to_numpy(dtype=np.float32))


def test_top_edge_network_has_the_strongest_edges(tmp_path):
    p = 400
    a = _net(p, seed=3)
    names = [f"n{j}" for j in range(p)]
    stored = write_matrix(tmp_path / "m.zarr", a, names, names)
    frame = pd.DataFrame(a, index=names, columns=names)
    for m in (stored, frame):
        edges = arrays.top_edges(m, 50)
        i, j = np.triu_indices(p, 1)
        np.testing.assert_allclose(np.sort(edges["weight"])[::-1], np.sort(a[i, j])[::-1][:50])
        fig = large.top_edge_network(edges, n_nodes=p)
        assert fig.data[0].x.count(None) == 50  # one segment per edge
        assert "the 50 strongest edges of a network of 400 nodes" in fig.layout.title.text


def test_strongest_edges_read_in_one_pass_equal_all_pairs_sorted_and_break_ties_by_position(
        tmp_path, monkeypatch):
    p = 600
    a = _net(p, seed=5)
    a[a < 0.2] = 0.0
    a = np.where(np.random.default_rng(1).random((p, p)) < 0.5, a, -a)  # signs: |w| ranks
    a = np.triu(a, 1) + np.triu(a, 1).T
    names = [f"n{j}" for j in range(p)]
    m = write_matrix(tmp_path / "m.zarr", a, names, names)
    monkeypatch.setattr(arrays, "READ_VALUES", 20_000)  # many blocks of rows

    def direct(x: np.ndarray, k: int, upper: bool = True) -> pd.DataFrame:
        """All pairs at once, by |weight| (stable: ties in the matrix's order)."""
        i, j = np.nonzero(np.triu(x, 1) if upper else x - np.diag(np.diag(x)))
        top = np.argsort(-np.abs(x[i, j]), kind="stable")[:k]
        return pd.DataFrame({"node 1": np.array(names, dtype=object)[i[top]],
                             "node 2": np.array(names, dtype=object)[j[top]],
                             "weight": x[i[top], j[top]]})
    for k in (1, 37, 3000):
        pd.testing.assert_frame_equal(arrays.top_edges(m, k), direct(a, k))
        assert m.top_edges(k).equals(arrays.top_edges(m, k))  # the store's method
    # a directed network: every pair but the diagonal
    d = a.copy()
    d[np.tril_indices(p, -1)] *= 0.5
    stored_d = write_matrix(tmp_path / "d.zarr", d, names, names)
    pd.testing.assert_frame_equal(arrays.top_edges(stored_d, 500, upper=False),
                                  direct(d, 500, upper=False))
    # ties: a 0/1 network; the earliest pairs (row by row) win, as in the matrix's order
    b = (np.abs(a) > 0.5).astype(float)
    frame = pd.DataFrame(b, index=names, columns=names)
    got = arrays.top_edges(frame, 100)
    i, j = np.nonzero(np.triu(b, 1))  # row-major order
    assert list(got["node 1"]) == [names[x] for x in i[:100]]
    assert list(got["node 2"]) == [names[y] for y in j[:100]]
    assert (got["weight"] == 1.0).all()
    stored = write_matrix(tmp_path / "b.zarr", b, names, names)
    pd.testing.assert_frame_equal(arrays.top_edges(stored, 100), got)
    # fewer non-zero pairs than asked: only those
    c = np.zeros((5, 5))
    c[0, 3] = c[3, 0] = 0.5
    assert len(arrays.top_edges(pd.DataFrame(c), 10)) == 1
