"""Result containers of the workflows (plain data, no compute)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq


@dataclass
class StabilityResult:
    """Stability indicators of an inferred network under resampling (netSI).

    Attributes
    ----------
    S : float or None
        Mean distance between the network on all rows (``ADJ``) and each
        resampled network.
    SI : float or None
        Mean pairwise distance among the resampled networks.
    Sw : DataFrame or None
        Edge stability: columns ``edge`` (1-based, ``combn`` order), ``i``,
        ``j`` (node names) and ``Sw`` = (max - min) / mean of the edge weight
        across resamples (NaN when the mean is 0).
    Sd : DataFrame or None
        Node stability: columns ``node`` and ``Sd`` (same on node strengths).
    S_boot : DataFrame or None
        Columns ``resample`` (1-based) and ``S``.
    SI_boot : DataFrame or None
        Columns ``r1``, ``r2`` (1-based, r1 < r2, column-major upper
        triangle order) and ``SI``.
    Sd_boot : DataFrame or None
        Node strengths, one row per resample, one column per node.
    ADJ : DataFrame
        The network inferred on all rows.
    indices : list of ndarray
        0-based row positions of every resample, in the order of R's
        ``resampling_indices`` (so the same seed gives nettools' resamples).
    metric : str
        The distance used for S and SI (``"HIM"``, ``"IM"`` or ``"H"``).
    """

    S: float | None
    SI: float | None
    Sw: pd.DataFrame | None
    Sd: pd.DataFrame | None
    S_boot: pd.DataFrame | None
    SI_boot: pd.DataFrame | None
    Sd_boot: pd.DataFrame | None
    ADJ: pd.DataFrame
    indices: list[np.ndarray] = field(default_factory=list)
    metric: str = "HIM"

    def summary(self) -> dict:
        """The scalar results (what goes to ``summary.json``)."""
        return {"S": self.S, "SI": self.SI, "metric": self.metric,
                "n_resamples": len(self.indices)}


@dataclass
class PairTable:
    """A table of pairs of variables: Parquet read lazily (what a stored job
    holds: 12.5 million pairs for 5000 variables), or a DataFrame in memory.

    Attributes
    ----------
    path : Path or None
        A Parquet file, or a Parquet dataset: a folder of parts
        (``part-00000.parquet``, ...) written by several workers, read in the
        order of their names.
    frame : DataFrame or None
        The table, when it is kept in memory (then ``path`` is None).
    """

    path: Any = None
    frame: pd.DataFrame | None = None

    def __len__(self) -> int:
        if self.frame is not None:
            return len(self.frame)
        return sum(_parquet(self.path, f).metadata.num_rows for f in _files(self.path))

    @property
    def columns(self) -> list[str]:
        """The column names."""
        if self.frame is not None:
            return [str(c) for c in self.frame.columns]
        return list(_dataset(self.path).schema.names)

    def select(self, q_max: float | None = None, classes: list[str] | None = None,
               nodes: list[str] | None = None, top: int | None = None, sort: str = "q_diff",
               descending: bool = False, columns: list[str] | None = None,
               within: list[str] | None = None) -> pd.DataFrame:
        """The pairs with ``q_diff <= q_max``, of one of ``classes`` (the ``class``
        column), touching one of ``nodes``, both of whose ends are in ``within`` (a
        gene set); sorted by ``sort`` (a column, or
        ``"|z_diff|"``), the first ``top`` only. A stored table is read with these
        filters (only the rows kept reach memory, plus one column to find the
        ``top`` rows)."""
        if top is not None and top < 1:  # the columns only
            empty = (self.frame.iloc[:0] if self.frame is not None else
                     _dataset(self.path).schema.empty_table().to_pandas())
            return empty if columns is None else empty[list(columns)]
        if self.frame is not None:
            df = self.frame
            keep = np.ones(len(df), dtype=bool)
            if q_max is not None:
                keep &= (df["q_diff"] <= q_max).to_numpy()
            if classes is not None:
                keep &= df["class"].isin(list(classes)).to_numpy()
            if nodes is not None:
                keep &= (df["var1"].isin(list(nodes)) | df["var2"].isin(list(nodes))).to_numpy()
            if within is not None:
                keep &= (df["var1"].isin(list(within)) & df["var2"].isin(list(within))).to_numpy()
            df = df[keep]
        else:
            expr = _filter(q_max, classes, nodes, within)
            if top is not None:
                bound = self._bound(expr, sort, descending, top)
                if bound is not None:
                    expr = _and(expr, bound)
            need = None if columns is None else list(dict.fromkeys(
                [*columns, "z_diff" if sort == "|z_diff|" else sort]))
            df = _dataset(self.path).to_table(filter=expr, columns=need).to_pandas()
        key = df["z_diff"].abs() if sort == "|z_diff|" else df[sort]
        df = df.iloc[np.argsort(-key.to_numpy() if descending else key.to_numpy(),
                                kind="stable")]
        if top is not None:
            df = df.head(top)
        if columns is not None:
            df = df[list(columns)]
        return df.reset_index(drop=True)

    def _bound(self, expr, sort: str, descending: bool, top: int):
        """A filter keeping the ``top`` best rows by ``sort`` (and their ties)."""
        col = "z_diff" if sort == "|z_diff|" else sort
        values = _dataset(self.path).to_table(columns=[col], filter=expr)[col].to_numpy()
        if sort == "|z_diff|":
            values = np.abs(values)
        if len(values) <= top:
            return None
        field = pc.abs(pc.field(col)) if sort == "|z_diff|" else pc.field(col)
        if descending:
            return field >= np.partition(values, len(values) - top)[len(values) - top]
        return field <= np.partition(values, top - 1)[top - 1]

    def sample(self, n: int, seed: int = 0, columns: list[str] | None = None) -> pd.DataFrame:
        """``n`` pairs drawn at random (seeded), in table order, read a row group at a time."""
        total = len(self)
        rng = np.random.default_rng(seed)
        take = np.sort(rng.choice(total, size=min(n, total), replace=False))
        if self.frame is not None:
            df = self.frame.iloc[take]
            return (df if columns is None else df[list(columns)]).reset_index(drop=True)
        parts, start = [], 0
        for batch in _batches(self.path, columns):
            stop = start + batch.num_rows
            here = take[(take >= start) & (take < stop)] - start
            if len(here):
                parts.append(batch.take(pa.array(here)).to_pandas())
            start = stop
        return (pd.concat(parts, ignore_index=True) if parts
                else self.select(top=0, columns=columns))

    def read(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The whole table (all of it in memory: mind its size)."""
        if self.frame is not None:
            return self.frame if columns is None else self.frame[list(columns)]
        return _dataset(self.path).to_table(columns=columns).to_pandas()

    def to_csv(self, path, sep: str = ",", index: bool = False,
               float_format: str | None = None) -> None:
        """Write it as CSV/TSV, a row group at a time (as pandas' ``to_csv``)."""
        if self.frame is not None:
            self.frame.to_csv(path, sep=sep, index=index, float_format=float_format)
            return
        with open(path, "w", encoding="utf-8", newline="") as out:
            for k, batch in enumerate(_batches(self.path)):
                batch.to_pandas().to_csv(out, sep=sep, index=False, header=k == 0,
                                         float_format=float_format)
            if out.tell() == 0:  # no rows: the header
                out.write(sep.join(self.columns) + "\n")

    def to_json(self, path, orient: str = "records", double_precision: int = 15) -> None:
        """Write it as JSON records, a row group at a time."""
        if self.frame is not None:
            self.frame.to_json(path, orient=orient, double_precision=double_precision)
            return
        with open(path, "w", encoding="utf-8") as out:
            out.write("[")
            first = True
            for batch in _batches(self.path):
                text = batch.to_pandas().to_json(orient="records",
                                                 double_precision=double_precision)[1:-1]
                if text:
                    out.write(("" if first else ",") + text)
                    first = False
            out.write("]")


def _fs(path):
    """The fsspec filesystem of a remote location (``upath.UPath``), or None (local)."""
    fs = getattr(path, "fs", None)
    return None if fs is None or isinstance(path, Path) else fs


def _files(path) -> list[str]:
    """The Parquet files of a table: the file, or a dataset folder's parts in order
    (local paths, or paths on the remote location's filesystem)."""
    fs = _fs(path)
    if fs is None:
        path = Path(path)
        if path.is_dir():
            return sorted(str(f) for f in path.glob("*.parquet"))
        return [str(path)]
    root = path.path.rstrip("/")
    fs.invalidate_cache(root)  # parts written by workers, not by this process
    if fs.isdir(root):
        return sorted(fs.glob(f"{root}/*.parquet"))
    return [root]


def _parquet(path, f: str) -> pq.ParquetFile:
    fs = _fs(path)
    return pq.ParquetFile(f if fs is None else fs.open(f, "rb"))


def _dataset(path) -> ds.Dataset:
    files = _files(path)
    if not files:  # an empty dataset folder: no table (a job whose writing failed)
        raise FileNotFoundError(f"no Parquet file in {path}")
    return ds.dataset(files, format="parquet", filesystem=_fs(path))


def _batches(path, columns: list[str] | None = None):
    """Record batches of a table in row order, a row group at a time."""
    for f in _files(path):
        yield from _parquet(path, f).iter_batches(columns=columns)


def _filter(q_max, classes, nodes, within=None):
    expr = None
    if q_max is not None:
        expr = _and(expr, pc.field("q_diff") <= float(q_max))
    if classes is not None:
        expr = _and(expr, pc.field("class").isin(list(classes)))
    if nodes is not None:
        nodes = [str(n) for n in nodes]
        expr = _and(expr, pc.field("var1").isin(nodes) | pc.field("var2").isin(nodes))
    if within is not None:
        within = [str(n) for n in within]
        expr = _and(expr, pc.field("var1").isin(within) & pc.field("var2").isin(within))
    return expr


def _and(a, b):
    return b if a is None else a & b


@dataclass
class Comparison:
    """Two conditions compared: their pairs (edge level) and nodes (node level).

    Attributes
    ----------
    name : str
        ``"<a> vs <b>"``.
    a, b : str
        The conditions (A, B: ``z_diff > 0`` is a pair more correlated in B).
    pairs : PairTable
        One row per pair i < j: ``var1, var2, r_A, p_A, r_B, p_B, z_diff,
        p_diff, q_diff`` (``p_perm`` with permutation FDR) ``, class``.
    nodes : DataFrame
        One row per variable, the most rewired first: ``node``, ``d``
        (differential connectivity), ``p`` and ``q`` (permutation test, BH over
        nodes; NaN without permutations), ``hamming_share`` (share of H),
        ``mean_z``, ``median_z`` (of its pairs' z_diff), ``n_significant``
        (its pairs with q_diff <= fdr).
    classes : DataFrame
        ``class``, ``pairs``, ``significant``: counts per class.
    summary : dict
        ``n_pairs``, ``n_significant``, ``n_stored`` (pairs in ``pairs``: fewer
        with ``keep="q"``), ``H``, ``IM``, ``HIM`` (between the conditions'
        networks; NaN when not computed), ``fdr``.
    sets : DataFrame or None
        With gene sets or modules, one row per set, the most significant first:
        ``set``, ``size``, ``n_pairs``, ``mean_z``, ``mean_dr`` (mean |r_B| -
        |r_A| of its pairs), ``d`` (summed over its members), ``p``
        (permutation test of ``d``), ``q`` (BH over sets), ``genes``
        (";"-separated).
    """

    name: str
    a: str
    b: str
    pairs: PairTable
    nodes: pd.DataFrame
    classes: pd.DataFrame
    summary: dict
    sets: pd.DataFrame | None = None


@dataclass
class DifferentialResult:
    """A differential network analysis of k >= 2 conditions.

    Attributes
    ----------
    conditions : list of str
    comparisons : dict of str to Comparison
        Every pair of conditions, ``"A vs B"``.
    H, IM, HIM : DataFrame
        k x k distances between the conditions' networks.
    edges : PairTable
        The pairs present (``|r| > threshold``) in at least one condition:
        ``var1, var2, summary`` (``same sign in all``, ``different signs``,
        ``only in some``), ``n_present`` and ``r_<condition>`` of each.
    edge_counts : dict
        Pairs of each ``summary``.
    networks : dict
        Each condition's network (the node-level inference method).
    params : dict
        The job's parameters.
    notes : list of str
        What was done to the inputs (variables left out, ...).
    """

    conditions: list[str]
    comparisons: dict[str, Comparison]
    H: pd.DataFrame
    IM: pd.DataFrame
    HIM: pd.DataFrame
    edges: PairTable
    edge_counts: dict
    networks: dict
    params: dict
    notes: list[str] = field(default_factory=list)

    def comparison(self, name: str | tuple | None = None) -> Comparison:
        """One comparison by name (``"A vs B"``, or ``("A", "B")``); the first by default."""
        if name is None:
            return next(iter(self.comparisons.values()))
        if isinstance(name, tuple):
            name = f"{name[0]} vs {name[1]}"
        if name not in self.comparisons:
            raise KeyError(f"no comparison {name!r}; there are: {', '.join(self.comparisons)}")
        return self.comparisons[name]

    def pairs(self, comparison: str | tuple | None = None, **select) -> pd.DataFrame:
        """Pairs of a comparison, filtered and sorted (see :meth:`PairTable.select`:
        ``q_max``, ``classes``, ``nodes``, ``top``, ``sort``, ``columns``)."""
        return self.comparison(comparison).pairs.select(**select)

    def significant(self, fdr: float | None = None, comparison: str | tuple | None = None,
                    top: int | None = None) -> pd.DataFrame:
        """The pairs with ``q_diff <= fdr`` (the job's ``fdr`` by default), lowest q first."""
        fdr = self.params.get("fdr", 0.05) if fdr is None else fdr
        return self.pairs(comparison, q_max=fdr, top=top)

    def nodes(self, comparison: str | tuple | None = None) -> pd.DataFrame:
        """The node table of a comparison (the most rewired first)."""
        return self.comparison(comparison).nodes

    def summary(self) -> pd.DataFrame:
        """One row per comparison: pairs, significant pairs, H, IM and HIM."""
        return pd.DataFrame([{"comparison": c.name, **c.summary}
                             for c in self.comparisons.values()])

    def __repr__(self) -> str:
        parts = [f"{c.name}: {c.summary.get('n_significant')} of {c.summary.get('n_pairs')} pairs "
                 f"with q <= {c.summary.get('fdr')}, HIM {c.summary.get('HIM', float('nan')):.3g}"
                 for c in self.comparisons.values()]
        return f"<DifferentialResult {len(self.conditions)} conditions; " + "; ".join(parts) + ">"
