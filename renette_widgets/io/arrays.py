"""Matrices and tables on disk: the binary formats of the results store.

Matrices (inputs, networks, distance matrices, resampled strengths) are Zarr
arrays: one folder each, float64 in chunks of at most ``CHUNK_ROWS`` x
``CHUNK_COLS`` values (8 MB), uncompressed (correlation weights do not compress; with
its network written so, a genome-scale inference job stays below R's ``cor`` plus a
``writeBin``: ``benchmarks/RESULTS.md``, "Genome scale"),
with the row and column names in the array's attributes. Zarr rather than
``.npy``: it is chunked, so dask workers write blocks of rows of one network
in parallel (each block whole chunks of rows: no two writers share a chunk),
a reader takes a block, a row or the top edges without loading the whole,
and the same code reads a store on object storage (fsspec) when the dask
cluster is not this machine.

Tables (pairs of a differential analysis, edge and node tables) are Parquet
(pyarrow): columnar and typed, read by columns.

Jobs written by the first store format (CSV) still open: the readers here
take ``.csv`` files too.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import zarr

from .location import Location, is_remote, location, open_file, url

# Chunks of 256 rows: a block of rows written by one task is a whole number of
# chunk rows, so small chunk rows keep the blocks (and a worker's memory) small.
CHUNK_ROWS, CHUNK_COLS = 256, 4096
# Values read at a time by the lazy readers (top edges, pooling, exports): 32 MB.
READ_VALUES = 4 * 2**20
# Rows of a block a reader works on at a time (its temporaries: a few MB).
SLICE_ROWS = 32


def read_rows(n_cols: int) -> int:
    """Rows a lazy reader takes at a time from a matrix of ``n_cols`` columns."""
    return max(1, READ_VALUES // max(1, n_cols))


def _chunks(shape: tuple[int, int]) -> tuple[int, int]:
    return max(1, min(CHUNK_ROWS, shape[0])), max(1, min(CHUNK_COLS, shape[1]))


def row_blocks(n_rows: int, rows_per_block: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of blocks of rows, each a whole number of chunk rows (so
    that parallel writers never share a chunk); about ``rows_per_block`` each."""
    if n_rows <= CHUNK_ROWS:
        return [(0, n_rows)]
    step = max(1, math.ceil(max(1, rows_per_block) / CHUNK_ROWS)) * CHUNK_ROWS
    return [(a, min(a + step, n_rows)) for a in range(0, n_rows, step)]


def create_matrix(path: str | Location, shape: tuple[int, int], rows: list[str],
                  cols: list[str]) -> "StoredMatrix":
    """An empty (zero) matrix in the store, to be filled by :func:`write_rows`."""
    _create(path, shape, rows, cols)
    return StoredMatrix(path)


def _create(path: str | Location, shape: tuple[int, int], rows: list[str],
            cols: list[str]) -> zarr.Array:
    return zarr.create_array(store=url(path), shape=tuple(shape), chunks=_chunks(tuple(shape)),
                             dtype="f8", compressors=None, fill_value=0.0, overwrite=True,
                             attributes={"rows": [str(r) for r in rows],
                                         "cols": [str(c) for c in cols]})


def write_rows(path: str | Location, start: int, block: np.ndarray) -> None:
    """Write ``block`` as rows ``start:start + len(block)`` of a stored matrix
    (what a worker does with the block it computed; ``path`` a local path or a URL)."""
    arr = zarr.open_array(url(path), mode="r+", zarr_format=3)
    arr[start:start + block.shape[0], :] = block


def write_matrix(path: str | Location, values: pd.DataFrame | np.ndarray,
                 rows: list[str] | None = None, cols: list[str] | None = None) -> "StoredMatrix":
    """Write a whole matrix (a DataFrame keeps its names)."""
    if isinstance(values, pd.DataFrame):
        rows = list(values.index) if rows is None else rows
        cols = list(values.columns) if cols is None else cols
        values = values.to_numpy(dtype=float)
    values = np.asarray(values, dtype=float)
    rows = [str(i) for i in range(values.shape[0])] if rows is None else rows
    cols = [str(j) for j in range(values.shape[1])] if cols is None else cols
    _create(path, values.shape, rows, cols)[...] = values
    return StoredMatrix(path)


class StoredMatrix:
    """A matrix in the store, read lazily: a block, a row, the top edges, or all.

    Parameters
    ----------
    path : str, Path or UPath
        The matrix's Zarr folder: a local path or a URL (``s3://...``).

    Attributes
    ----------
    path : Path or UPath
    shape : tuple of int
    rows, cols : list of str
        Row and column names.
    """

    def __init__(self, path: str | Location) -> None:
        self.path = location(path)
        arr = self._array()
        self.shape = tuple(arr.shape)
        self.rows = list(arr.attrs["rows"])
        self.cols = list(arr.attrs["cols"])

    def _array(self) -> zarr.Array:
        # every matrix of the store is Zarr 3: no probing for version 2's files
        return zarr.open_array(url(self.path), mode="r", zarr_format=3)

    @property
    def nbytes(self) -> int:
        """Bytes of the whole matrix in memory (float64)."""
        return 8 * self.shape[0] * self.shape[1]

    def to_numpy(self) -> np.ndarray:
        """The whole matrix in memory."""
        return self._array()[...]

    def to_frame(self) -> pd.DataFrame:
        """The whole matrix in memory, with its names."""
        return pd.DataFrame(self.to_numpy(), index=self.rows, columns=self.cols, copy=False)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        a = self.to_numpy()
        return a if dtype is None else a.astype(dtype)

    def block(self, rows: slice, cols: slice = slice(None)) -> np.ndarray:
        """Rows ``rows`` and columns ``cols`` (slices), read from disk."""
        return self._array()[rows, cols]

    def row(self, name: str) -> pd.Series:
        """One row by name."""
        i = self.rows.index(str(name))
        return pd.Series(self._array()[i, :], index=self.cols, name=name)

    def top_edges(self, k: int, upper: bool = True) -> pd.DataFrame:
        """The ``k`` strongest edges (:func:`top_edges`), read a block at a time."""
        return top_edges(self, k, upper)

    def pooled(self, max_cells: int = 1000, how: str = "mean",
               region: tuple[Any, Any] | None = None) -> tuple[np.ndarray, list, list]:
        """The matrix pooled to at most ``max_cells`` x ``max_cells`` cells (``how``:
        "mean" or "max" of |weight| over each f x f square), with a label per cell
        ("first .. last" name), read a block of rows at a time.

        ``region``: (rows, columns), each a slice or a sequence of positions (a
        clustered order, say): only those rows and columns, in that order, pooled
        on their own (a zoom reads the region at a finer resolution). Each read
        is a block of whole rows of the matrix: rows in any order cost one pass
        over the rows they fall in, never one read per row.
        """
        if how not in ("mean", "max"):
            raise ValueError(f"how must be 'mean' or 'max', not {how!r}")
        if region is not None:
            return self._pooled_region(max_cells, how, *region)
        f = max(1, math.ceil(max(self.shape) / max_cells))
        n_r, n_c = math.ceil(self.shape[0] / f), math.ceil(self.shape[1] / f)
        out = np.zeros((n_r, n_c))
        arr = self._array()
        step = f * max(1, read_rows(self.shape[1]) // f)  # whole squares per read
        for a in range(0, self.shape[0], step):
            block = arr[a:a + step, :]
            block = np.abs(block) if how == "max" else block
            out[a // f:a // f + math.ceil(block.shape[0] / f)] = _pool(block, f, how)
        return out, _labels(self.rows, f), _labels(self.cols, f)

    def _pooled_region(self, max_cells: int, how: str, rows: Any,
                       cols: Any) -> tuple[np.ndarray, list, list]:
        rows, cols = _positions(rows, self.shape[0]), _positions(cols, self.shape[1])
        f = max(1, math.ceil(max(len(rows), len(cols)) / max_cells))
        n_r, n_c = math.ceil(len(rows) / f), math.ceil(len(cols) / f)
        total = np.full((n_r, n_c), -np.inf) if how == "max" else np.zeros((n_r, n_c))
        lo, hi = int(cols.min()), int(cols.max()) + 1  # the columns' span, read once a block
        # columns in the matrix's order (a slice, no copy) or picked (a zoom in clustered order)
        take = slice(cols[0] - lo, cols[-1] - lo + 1) if _run(cols) else cols - lo
        starts = np.arange(0, len(cols), f)  # each cell's first column
        wanted = np.argsort(rows, kind="stable")  # display positions, by row of the matrix
        in_order = rows[wanted]
        arr = self._array()
        for a, b in row_blocks(self.shape[0], read_rows(hi - lo)):
            shown = wanted[np.searchsorted(in_order, a):np.searchsorted(in_order, b)]
            if not len(shown):
                continue
            whole = arr[a:b, lo:hi]
            # a slice of the rows shown at a time: the picked rows and columns are
            # copies, of a few MB each, not of the block's size
            for s in range(0, len(shown), SLICE_ROWS):
                here = shown[s:s + SLICE_ROWS]
                picked = rows[here] - a
                block = (whole[picked[0]:picked[-1] + 1] if _run(picked)
                         else whole[picked])[:, take]
                # each cell's columns reduced first, then its rows
                part = (np.maximum.reduceat(np.abs(block), starts, axis=1) if how == "max"
                        else np.add.reduceat(block, starts, axis=1))
                cells = here // f
                if np.all(np.diff(cells) >= 0):  # rows in display order: runs of a cell
                    first = np.flatnonzero(np.diff(cells, prepend=-1))
                    part = (np.maximum.reduceat(part, first, axis=0) if how == "max"
                            else np.add.reduceat(part, first, axis=0))
                    cells = cells[first]
                if how == "max":
                    np.maximum.at(total, cells, part)
                else:
                    np.add.at(total, cells, part)
        if how == "mean":
            sizes_r = np.diff(np.append(np.arange(0, len(rows), f), len(rows)))
            sizes_c = np.diff(np.append(starts, len(cols)))
            total /= np.outer(sizes_r, sizes_c)
        return (total, _labels([self.rows[i] for i in rows], f),
                _labels([self.cols[j] for j in cols], f))

    def __repr__(self) -> str:
        return f"<StoredMatrix {self.shape[0]} x {self.shape[1]} at {self.path}>"


def _positions(selection: Any, n: int) -> np.ndarray:
    """Positions 0..n-1 chosen by a slice or a sequence of positions (checked)."""
    if isinstance(selection, slice):
        out = np.arange(n)[selection]
    else:
        out = np.asarray(selection, dtype=np.int64).ravel()
        if len(out) and (out.min() < 0 or out.max() >= n):
            raise IndexError(f"positions must be in 0..{n - 1}")
    if not len(out):
        raise ValueError("an empty region has nothing to pool")
    return out


def _run(positions: np.ndarray) -> bool:
    """Whether positions are consecutive and increasing (read as a slice: no copy)."""
    return bool(len(positions)) and positions[-1] - positions[0] == len(positions) - 1 \
        and bool(np.all(np.diff(positions) == 1))


def _pool(block: np.ndarray, f: int, how: str) -> np.ndarray:
    """Each f x f square of ``block`` (the last ones smaller) reduced to its mean or
    max: columns first, then rows, so no temporary is as large as the block."""
    r, c = block.shape
    rows, cols = np.arange(0, r, f), np.arange(0, c, f)
    if how == "max":
        return np.maximum.reduceat(np.maximum.reduceat(block, cols, axis=1), rows, axis=0)
    total = np.add.reduceat(np.add.reduceat(block, cols, axis=1), rows, axis=0)
    return total / np.outer(np.diff(np.append(rows, r)), np.diff(np.append(cols, c)))


def _labels(names: list[str], f: int) -> list[str]:
    if f == 1:
        return list(names)
    return [f"{names[a]} .. {names[min(a + f, len(names)) - 1]}" for a in range(0, len(names), f)]


def as_frame(x: pd.DataFrame | StoredMatrix) -> pd.DataFrame:
    """A matrix as a DataFrame (a stored one is read whole)."""
    return x.to_frame() if isinstance(x, StoredMatrix) else x


def read_matrix_file(path: str | Location) -> pd.DataFrame | StoredMatrix:
    """A stored matrix: a Zarr folder (lazily), or a CSV of the first format."""
    path = location(path)
    if path.suffix == ".csv":
        with open_file(path, "rb") as f:
            return pd.read_csv(f, index_col=0)
    return StoredMatrix(path)


def write_table(path: str | Location, table: pd.DataFrame, index: bool = False) -> None:
    """A table as Parquet (with its index when ``index``), local or remote."""
    path = location(path)
    if not is_remote(path):
        table.to_parquet(path, index=index)
        return
    with open_file(path, "wb") as f:
        table.to_parquet(f, index=index)


def write_arrow(path: str | Location, table, **options: Any) -> None:
    """A pyarrow table as Parquet (``options``: :func:`pyarrow.parquet.write_table`'s),
    local or remote: what a worker writes of the rows it computed."""
    path = location(path)
    if not is_remote(path):
        pq.write_table(table, str(path), **options)
        return
    with open_file(path, "wb") as f:
        pq.write_table(table, f, **options)


def parquet_file(path: str | Location) -> pq.ParquetFile:
    """A Parquet file opened for reading by row groups and columns, local or remote."""
    path = location(path)
    return pq.ParquetFile(str(path) if not is_remote(path) else open_file(path, "rb"))


def read_table(path: str | Location, columns: list[str] | None = None,
               **csv_options: Any) -> pd.DataFrame:
    """A stored table: Parquet, or a CSV of the first format (``csv_options``:
    how that format wrote it, e.g. ``index_col=0``)."""
    path = location(path)
    if path.suffix == ".csv":
        with open_file(path, "rb") as f:
            return pd.read_csv(f, **csv_options)
    if not is_remote(path):
        return pd.read_parquet(path, columns=columns)
    with open_file(path, "rb") as f:
        return pd.read_parquet(f, columns=columns)


def write_table_part(folder: str | Location, part: int, table: Any, **options: Any) -> str:
    """Part ``part`` of a Parquet dataset (a folder of ``part-00000.parquet``, ...):
    what a worker writes of a table that several workers write at once. ``table``
    is a ``pyarrow.Table``; ``folder`` a local path or a URL (the store's);
    ``options`` those of ``pyarrow.parquet.write_table``. Parts are read back in
    the order of their numbers; returns the part's path."""
    folder = location(folder)
    if not is_remote(folder):
        folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"part-{int(part):05d}.parquet"
    write_arrow(path, table, **options)
    return url(path)


def top_edges(m: pd.DataFrame | StoredMatrix, k: int, upper: bool = True) -> pd.DataFrame:
    """The ``k`` strongest edges of ``m`` (``node 1``, ``node 2``, ``weight``): its
    largest non-zero |weights|, pairs i < j when ``upper`` (an undirected network),
    else every pair but the diagonal; strongest first, ties in the matrix's order.

    One pass over blocks of rows (a stored matrix is read from the store a block at a
    time: the whole is never in memory): once ``k`` are held, a block only offers what
    beats the weakest of them, one comparison a value. The one reader of the strongest
    edges (figures, tables, exports).
    """
    k = max(1, int(k))
    n, p = m.shape
    stored = isinstance(m, StoredMatrix)
    frame = None if stored else m.to_numpy(dtype=float)
    cut = 0.0  # |weight| to beat (0: no edge)
    w, i, j = np.empty(0), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    for a0, b0 in row_blocks(n, read_rows(p)):
        whole = m.block(slice(a0, b0)) if stored else frame[a0:b0]
        # a slice of rows at a time: its temporaries (|block|, the hits) stay a few MB
        for s in range(0, whole.shape[0], SLICE_ROWS):
            a, block = a0 + s, whole[s:s + SLICE_ROWS]
            strength = np.abs(block)
            if upper:
                strength = np.triu(strength, a + 1)  # pairs i < j only
            else:
                rows = np.arange(a, min(a + len(block), p))
                strength[rows - a, rows] = 0.0  # no loops
            hit = np.flatnonzero(strength > cut)  # in the matrix's order
            ii, jj = np.divmod(hit, p)
            w = np.concatenate([w, block[ii, jj]])
            i, j = np.concatenate([i, ii + a]), np.concatenate([j, jj])
            if len(w) >= k:
                w, i, j = _strongest(w, i, j, k)
                cut = float(np.abs(w).min())
    order = np.lexsort((j, i, -np.abs(w)))
    names_r, names_c = ((np.asarray(m.rows, dtype=object), np.asarray(m.cols, dtype=object))
                        if stored else (m.index.astype(str).to_numpy(dtype=object),
                                        m.columns.astype(str).to_numpy(dtype=object)))
    return pd.DataFrame({"node 1": names_r[i[order]], "node 2": names_c[j[order]],
                         "weight": w[order]})


def _strongest(w: np.ndarray, i: np.ndarray, j: np.ndarray,
               k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` largest |w|, the earliest first among ties, in their order."""
    if len(w) <= k:
        return w, i, j
    strength = np.abs(w)
    kth = np.partition(strength, len(w) - k)[len(w) - k]
    above = strength > kth
    tied = np.flatnonzero(strength == kth)[:k - int(above.sum())]
    keep = np.sort(np.concatenate([np.flatnonzero(above), tied]))
    return w[keep], i[keep], j[keep]
