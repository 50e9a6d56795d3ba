"""The store's matrices: chunk-aligned blocks of rows, and lazy reads (top edges,
pooled pictures, rows) that equal what the whole matrix gives."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from renette_widgets.io import arrays
from renette_widgets.io.arrays import StoredMatrix, create_matrix, row_blocks, write_matrix, write_rows


def _net(p, seed=0):
    rng = np.random.default_rng(seed)
    a = np.triu(rng.random((p, p)), 1)
    a = a + a.T
    a[a < 0.3] = 0.0
    return a


def test_row_blocks_are_whole_chunks_and_cover_every_row():
    assert row_blocks(100, 7) == [(0, 100)]
    blocks = row_blocks(1000, 300)
    assert blocks == [(0, 512), (512, 1000)]
    assert all(a % arrays.CHUNK_ROWS == 0 for a, _ in blocks)


def test_blocks_written_by_several_writers_make_the_matrix(tmp_path):
    a = _net(700)
    names = [f"g{j}" for j in range(700)]
    create_matrix(tmp_path / "m.zarr", a.shape, names, names)
    for lo, hi in reversed(row_blocks(700, 256)):  # any order, disjoint chunks
        write_rows(tmp_path / "m.zarr", lo, a[lo:hi])
    m = StoredMatrix(tmp_path / "m.zarr")
    np.testing.assert_array_equal(m.to_numpy(), a)
    assert m.rows == names and m.shape == (700, 700) and m.nbytes == 8 * 700 * 700
    pd.testing.assert_series_equal(m.row("g5"), pd.Series(a[5], index=names, name="g5"))
    np.testing.assert_array_equal(m.block(slice(10, 20), slice(30, 35)), a[10:20, 30:35])


@pytest.mark.parametrize("p", [7, 300, 1000])
def test_top_edges_and_pooling_read_a_block_at_a_time(p, tmp_path, monkeypatch):
    monkeypatch.setattr(arrays, "READ_VALUES", 5000)  # many small reads
    a = _net(p)
    m = write_matrix(tmp_path / "m.zarr", a)
    i, j = np.triu_indices(p, 1)
    w = np.sort(a[i, j][a[i, j] > 0])[::-1]
    for k in (1, 5, 50):
        top = m.top_edges(k)
        np.testing.assert_array_equal(top["weight"].to_numpy(), w[:k])
        rows = [m.rows.index(n) for n in top["node 1"]]
        cols = [m.cols.index(n) for n in top["node 2"]]
        assert all(r < c for r, c in zip(rows, cols))
        np.testing.assert_array_equal(a[rows, cols], top["weight"].to_numpy())
    pooled, labels, _ = m.pooled(max_cells=100)
    f = -(-p // 100)
    assert pooled.shape == (-(-p // f), -(-p // f)) and len(labels) == pooled.shape[0]
    np.testing.assert_allclose(pooled[-1, 0], a[(pooled.shape[0] - 1) * f:, :f].mean())
    biggest, _, _ = m.pooled(max_cells=100, how="max")
    assert biggest.max() == a.max()


@pytest.mark.parametrize("how", ["mean", "max"])
def test_pooling_a_region_in_any_order_equals_pooling_that_part(how, tmp_path, monkeypatch):
    """A zoom: rows and columns in a clustered order, pooled at a finer resolution,
    equal the same rows and columns taken from the whole matrix and pooled."""
    monkeypatch.setattr(arrays, "READ_VALUES", 3000)  # many blocks of rows
    a = _net(700, seed=3) - 0.2  # negative weights too
    m = write_matrix(tmp_path / "m.zarr", a, rows=[f"r{i}" for i in range(700)],
                     cols=[f"c{j}" for j in range(700)])
    order = np.random.default_rng(1).permutation(700)
    rows, cols = order[100:355], order[::-1][40:140]  # 255 x 100 of them, shuffled

    def expected(sub: np.ndarray, f: int) -> np.ndarray:
        r, c = sub.shape
        pad = np.full((-(-r // f) * f, -(-c // f) * f), np.nan)
        pad[:r, :c] = np.abs(sub) if how == "max" else sub
        cells = pad.reshape(pad.shape[0] // f, f, pad.shape[1] // f, f)
        return np.nanmax(cells, axis=(1, 3)) if how == "max" else np.nanmean(cells, axis=(1, 3))

    for cells, f in ((1000, 1), (100, 3), (40, 7)):
        got, row_labels, col_labels = m.pooled(cells, how, region=(rows, cols))
        np.testing.assert_allclose(got, expected(a[np.ix_(rows, cols)], f), rtol=1e-12)
        assert got.shape == (-(-255 // f), -(-100 // f))
        assert row_labels[0] == (f"r{rows[0]}" if f == 1 else f"r{rows[0]} .. r{rows[f - 1]}")
        assert col_labels[-1].endswith(f"c{cols[-1]}")
    # slices; the whole matrix as a region is the whole matrix pooled
    got, _, _ = m.pooled(100, how, region=(slice(200, 450), slice(None, None, 2)))
    np.testing.assert_allclose(got, expected(a[200:450, ::2], 4), rtol=1e-12)
    whole = m.pooled(100, how)
    region = m.pooled(100, how, region=(slice(None), np.arange(700)))
    np.testing.assert_allclose(region[0], whole[0], rtol=1e-12)
    assert region[1:] == whole[1:]
    with pytest.raises(IndexError):
        m.pooled(100, how, region=([0, 700], slice(None)))
    with pytest.raises(ValueError, match="empty"):
        m.pooled(100, how, region=(slice(5, 5), slice(None)))
