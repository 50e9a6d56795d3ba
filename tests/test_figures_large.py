"""Pictures of large networks: pooled heatmaps and strongest-edge views, read from
the store a block at a time, small enough for one message to the browser."""
from __future__ import annotations

import numpy as np
import pandas as pd

from renette_widgets.figures import large
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
        edges = large.top_edges(m, 50)
        i, j = np.triu_indices(p, 1)
        np.testing.assert_allclose(np.sort(edges["weight"])[::-1], np.sort(a[i, j])[::-1][:50])
        fig = large.top_edge_network(edges, n_nodes=p)
        assert fig.data[0].x.count(None) == 50  # one segment per edge
        assert "the 50 strongest edges of a network of 400 nodes" in fig.layout.title.text
    assert len(large.top_edges(frame, 10**6)) == large.MAX_EDGES
