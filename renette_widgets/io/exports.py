"""Exports made when a user asks: CSV/TSV, GraphML and JSON of results.

The store keeps results in binary (:mod:`.arrays`); text formats are made on
demand (a download button, ``renette export``, ``Job.export``). A large
matrix is written a block of rows at a time, never whole in memory. GraphML
goes through python-igraph (what Cytoscape and Gephi read); a dense weighted
network needs a threshold or an edge count first: a complete graph of 5,000
nodes has 12.5 million edges, which no viewer can draw.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .arrays import StoredMatrix, read_rows, row_blocks, top_edges

FORMATS = ("csv", "tsv", "graphml", "edgelist", "json")
#: Formats of networks only (other results are refused in them).
NETWORK_ONLY = ("graphml", "edgelist")
# Most edges a GraphML export takes without being told which to keep.
MAX_GRAPHML_EDGES = 200_000
_SEP = {"csv": ",", "tsv": "\t"}


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """``fmt`` lower-cased, or an InputError naming the formats."""
    f = str(fmt).lower()
    if f not in allowed:
        raise InputError(f"cannot export as {fmt!r}", hint=f"Use one of {', '.join(allowed)}.")
    return f


def export_matrix(m: pd.DataFrame | StoredMatrix, path: Path, fmt: str) -> Path:
    """A matrix with its names as CSV/TSV (a block of rows at a time) or JSON."""
    fmt = check_format(fmt, ("csv", "tsv", "json"))
    if fmt == "json":
        frame = m.to_frame() if isinstance(m, StoredMatrix) else m
        frame.to_json(path, orient="split", double_precision=15)
        return path
    if isinstance(m, pd.DataFrame):
        m.to_csv(path, sep=_SEP[fmt], float_format="%.17g")
        return path
    with open(path, "w", encoding="utf-8") as out:
        out.write(_SEP[fmt].join([""] + [_quote(c, fmt) for c in m.cols]) + "\n")
        for a, b in row_blocks(m.shape[0], read_rows(m.shape[1])):
            block = pd.DataFrame(m.block(slice(a, b)), index=m.rows[a:b])
            block.to_csv(out, sep=_SEP[fmt], header=False, float_format="%.17g")
    return path


def _quote(name: str, fmt: str) -> str:
    return f'"{name}"' if _SEP[fmt] in name or '"' in name else name


def export_table(table: pd.DataFrame, path: Path, fmt: str, index: bool = False) -> Path:
    """A table as CSV/TSV or JSON (records)."""
    fmt = check_format(fmt, ("csv", "tsv", "json"))
    if fmt == "json":
        table.to_json(path, orient="records", double_precision=15)
    else:
        table.to_csv(path, sep=_SEP[fmt], index=index, float_format="%.17g")
    return path


def edges(m: pd.DataFrame | StoredMatrix, threshold: float | None = None,
          top_k: int | None = None) -> tuple[pd.DataFrame, bool]:
    """The edges of a network to export (``node 1``, ``node 2``, ``weight``) and
    whether it is directed: those with |weight| > ``threshold``, or the ``top_k``
    strongest, else all non-zero ones (refused above ``MAX_GRAPHML_EDGES``)."""
    sm = m if isinstance(m, StoredMatrix) else None
    directed = not _symmetric(m)
    if top_k is not None:
        return top_edges(m, int(top_k), upper=not directed), directed
    cut = 0.0 if threshold is None else float(threshold)
    parts = []
    names_r = np.asarray(m.rows if sm else m.index.astype(str), dtype=object)
    names_c = np.asarray(m.cols if sm else m.columns.astype(str), dtype=object)
    count = 0
    for a, b in row_blocks(m.shape[0], read_rows(m.shape[1])):
        block = sm.block(slice(a, b)) if sm else m.to_numpy(dtype=float)[a:b]
        ii, jj = np.nonzero(np.abs(block) > cut)
        keep = (jj != ii + a) if directed else (jj > ii + a)
        ii, jj = ii[keep], jj[keep]
        count += len(ii)
        if threshold is None and count > MAX_GRAPHML_EDGES:
            raise InputError(
                f"this network has more than {MAX_GRAPHML_EDGES:,} edges (a weighted network "
                "from correlations is complete): no viewer can draw that",
                hint="Export with a weight threshold (--min-weight 0.5; threshold=0.5 in "
                     "Python) or the strongest edges only (--top-edges 5000; top_k=5000).")
        parts.append(pd.DataFrame({"node 1": names_r[ii + a], "node 2": names_c[jj],
                                   "weight": block[ii, jj]}))
    return (pd.concat(parts, ignore_index=True) if parts else
            pd.DataFrame(columns=["node 1", "node 2", "weight"])), directed


def _symmetric(m: pd.DataFrame | StoredMatrix) -> bool:
    if isinstance(m, pd.DataFrame):
        a = m.to_numpy(dtype=float)
        return bool(np.allclose(a, a.T, equal_nan=True))
    for a, b in row_blocks(m.shape[0], read_rows(m.shape[1])):
        if not np.allclose(m.block(slice(a, b)), m.block(slice(None), slice(a, b)).T,
                           equal_nan=True):
            return False
    return True


def export_graphml(m: pd.DataFrame | StoredMatrix, path: Path, threshold: float | None = None,
                   top_k: int | None = None) -> Path:
    """A network as GraphML (python-igraph): every node with its ``name``, the
    chosen edges with their ``weight`` (15 significant digits, as igraph writes
    them; CSV exports keep all 17)."""
    table, directed = edges(m, threshold, top_k)
    import igraph  # here, not at the top: importing igraph loads matplotlib (a page's start)
    names = list(m.rows) if isinstance(m, StoredMatrix) else [str(n) for n in m.index]
    pos = {n: i for i, n in enumerate(names)}
    g = igraph.Graph(n=len(names), directed=directed)
    g.vs["name"] = names
    g.add_edges(list(zip(table["node 1"].map(pos), table["node 2"].map(pos))))
    g.es["weight"] = table["weight"].astype(float).tolist()
    g.write_graphml(str(path))
    return path


def export_edgelist(m: pd.DataFrame | StoredMatrix, path: Path, threshold: float | None = None,
                    top_k: int | None = None) -> Path:
    """A network as an edge list CSV (``source,target,weight``; all 17 digits), which
    :func:`renette_widgets.io.networks.read_network` reads back to the same adjacency.

    An undirected network lists each edge once; a directed one each arc, with a
    ``directed`` column (``true``) so that it reads back directed even where no
    pair has two different weights. When the edges alone would miss a node
    (isolated, or thresholded away) or list the nodes in another order, every
    node first has a line of its own (a source and no target), in order.
    """
    table, directed = edges(m, threshold, top_k)
    names = list(m.rows) if isinstance(m, StoredMatrix) else [str(n) for n in m.index]
    out = table.rename(columns={"node 1": "source", "node 2": "target"})
    seen = list(dict.fromkeys(np.column_stack([out["source"], out["target"]]).ravel().tolist()))
    if seen != names:
        out = pd.concat([pd.DataFrame({"source": names, "target": "", "weight": np.nan}), out],
                        ignore_index=True)
    if directed:
        out["directed"] = np.where(out["target"] == "", "", "true")
    out.to_csv(path, index=False, float_format="%.17g")
    return path


def network_text(m: pd.DataFrame | StoredMatrix, fmt: str, threshold: float | None = None,
                 top_k: int | None = None) -> str:
    """A network's GraphML or edge list as text (the dashboard's downloads)."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:  # igraph writes files by name
        path = Path(tmp) / f"network.{fmt}"
        (export_graphml if fmt == "graphml" else export_edgelist)(m, path, threshold, top_k)
        return path.read_text(encoding="utf-8")
