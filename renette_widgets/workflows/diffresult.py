"""The differential workflow's results: a comparison from its tasks' results, and
the files of a stored job (pair tables as Parquet files or dataset folders,
GraphML of the significant pairs)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..engine import differential as ed
from ..errors import InputError
from ..io import exports
from ..io.arrays import write_arrow, write_table
from ..io.location import Location, copy_file, copy_tree, location
from ..io.names import safe_name
from ..results import Comparison, DifferentialResult, PairTable
from .diffplan import node_counts


def comparison(label: str, a: str, b: str, names: list[str], pairs: dict, diff: dict,
               counts: list[np.ndarray], params: dict, out: str | None,
               dist: dict, sets: tuple | None = None) -> Comparison:
    """One comparison from its tasks' results: the node table (permutation p and BH
    q as R's ``diffconn_perm``), the class counts, the summary, and with ``sets``
    (set names or None for modules, their node positions, their statistics) the
    set table."""
    node_perm = params["node_perm"]
    total, set_counts = node_counts(counts)
    if node_perm:
        pval = (total + 1) / (node_perm + 1)
        q = ed.bh(pval)
    else:
        pval = q = np.full(len(names), np.nan)
    z = pairs["nodes"]
    nodes = pd.DataFrame({"node": names, "d": np.asarray(diff["d"], dtype=float), "p": pval,
                          "q": q, "hamming_share": np.asarray(diff["share"], dtype=float),
                          "mean_z": z["mean_z"],
                          "median_z": z["median_z"], "n_significant": z["n_significant"]})
    nodes = nodes.sort_values("d", ascending=False, kind="stable").reset_index(drop=True)
    classes = pd.DataFrame([(c, n, s) for c, (n, s) in pairs["classes"].items()],
                           columns=["class", "pairs", "significant"])
    summary = {"n_pairs": int(pairs["n_pairs"]), "n_significant": int(pairs["n_significant"]),
               "n_stored": int(pairs.get("n_kept", pairs["n_pairs"])),
               "fdr": float(params["fdr"]), **dist}
    table = PairTable(path=None if out is None else location(out), frame=pairs["frame"])
    set_frame = None
    if sets is not None:
        set_frame = set_table(sets[0], sets[1], sets[2], np.asarray(diff["d"], dtype=float),
                              set_counts, node_perm, names)
    return Comparison(name=label, a=a, b=b, pairs=table, nodes=nodes, classes=classes,
                      summary=summary, sets=set_frame)


def set_table(set_names: list[str] | None, members: list, stats: dict, d: np.ndarray,
              counts: np.ndarray | None, node_perm: int, names: list[str]) -> pd.DataFrame:
    """One row per set, the most significant first: ``set``, ``size``, ``n_pairs``,
    ``mean_z`` (mean z_diff of its pairs), ``mean_dr`` (mean |r_B| - |r_A|), ``d``
    (its members' differential connectivity, summed), ``p`` (permutation test of
    ``d``: the node test's label permutations), ``q`` (BH over sets), ``genes``."""
    set_names = set_names or [f"M{k + 1}" for k in range(len(members))]
    dsum = np.array([d[np.asarray(m, dtype=np.int64)].sum() for m in members])
    if counts is not None and node_perm:
        pval = (np.asarray(counts, dtype=float) + 1) / (node_perm + 1)
        q = ed.bh(pval)
    else:
        pval = q = np.full(len(members), np.nan)
    frame = pd.DataFrame({"set": set_names, "size": [len(m) for m in members],
                          "n_pairs": stats["n_pairs"], "mean_z": stats["mean_z"],
                          "mean_dr": stats["mean_dr"], "d": dsum, "p": pval, "q": q,
                          "genes": [";".join(names[i] for i in m) for m in members]})
    order = np.lexsort((-np.abs(frame["mean_z"].to_numpy()), frame["p"].to_numpy(),
                        frame["q"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------- files

def _stems(names: list[str]) -> list[str]:
    """File stems of names, unique among themselves (the plan and the store agree)."""
    taken: set[str] = set()
    return [safe_name(n, taken) for n in names]


def _write_pairs(table: PairTable, folder: Location, stem: str) -> str:
    """A pair table in the job's folder: a Parquet file, or the dataset folder its
    workers wrote (``stem``, no suffix)."""
    src = None if table.path is None else location(table.path)
    if src is not None and src.is_dir():
        path = folder / stem
        if str(src) != str(path):
            copy_tree(src, path)
        return path.name
    path = folder / f"{stem}.parquet"
    if src is not None and str(src) != str(path):
        copy_file(src, path)
    elif src is None:  # a job kept in memory
        write_arrow(path, pa.Table.from_pandas(table.frame, preserve_index=False),
                    row_group_size=ed.ROW_GROUP)
    return path.name


def _write_frame(df: pd.DataFrame, path: Location) -> str:
    write_table(path, df)
    return path.name


def write_graphml(result: DifferentialResult, name: str, path: Path,
                  threshold: float | None = None, top_k: int | None = None) -> Path:
    """The significant pairs (q <= fdr) of a comparison as GraphML: every variable a
    node (with ``d``, ``q`` and ``hamming_share``), every pair an edge with ``weight``
    = z_diff and its ``r_A``, ``r_B``, ``q_diff`` and ``class``."""
    c = result.comparison(name)
    pairs = c.pairs.select(q_max=result.params["fdr"], top=top_k, sort="|z_diff|",
                           descending=True)
    if threshold is not None:
        pairs = pairs[pairs["z_diff"].abs() > threshold]
    if len(pairs) > exports.MAX_GRAPHML_EDGES:
        raise InputError(f"{len(pairs):,} significant pairs: more than a viewer can draw",
                         hint="Export the strongest only (--top-edges 5000; top_k=5000) or "
                              "those with |z_diff| above a value (--min-weight 4).")
    import igraph  # here, not at the top: importing igraph loads matplotlib (a page's start)
    nodes = c.nodes
    pos = {n: i for i, n in enumerate(nodes["node"])}
    g = igraph.Graph(n=len(nodes))
    g.vs["name"] = list(nodes["node"])
    for col in ("d", "q", "hamming_share"):
        g.vs[col] = nodes[col].astype(float).tolist()
    g.add_edges(list(zip(pairs["var1"].astype(str).map(pos), pairs["var2"].astype(str).map(pos))))
    g.es["weight"] = pairs["z_diff"].astype(float).tolist()
    for col in ("r_A", "r_B", "q_diff"):
        g.es[col] = pairs[col].astype(float).tolist()
    g.es["class"] = pairs["class"].astype(str).tolist()
    g.write_graphml(str(path))
    return path
