"""The differential workflow's plan pieces: the pair table in blocks, the node
level of correlation networks in numpy, and the blocks of permutations.

Edge level (``adjust`` BH or none): per comparison, blocks of rows
(:func:`~renette_widgets.engine.pairs.pair_blocks`); with BH a first pass of
sorted p-values per block, one task merging them into the q of each rank, and a
second pass that writes each block as a part of the comparison's Parquet
dataset (``pairs_<A_vs_B>/part-00000.parquet``, ...) from its worker; then one
small task sums what the blocks counted. The permutation FDR (``perm``) keeps
its R path (one pair-table task, R's permutation streams).

Node level: for the correlation family (:func:`~renette_widgets.engine.correlation.block_method`)
the networks are written a block of rows at a time, and ``d``, the Hamming
share and the label permutations are numpy (:mod:`~renette_widgets.engine.nodeperm`);
any other method keeps its R path.
"""
from __future__ import annotations

import math
import operator
from pathlib import Path

import numpy as np

from ..engine import differential as ed
from ..engine import nodeperm, pairs, sets
from ..engine.correlation import block_method, t_cor_block, t_standardize
from ..io.arrays import create_matrix, row_blocks
from ..jobs.plan import Plan, submit_task

# All count vectors of a comparison's permutation blocks together at most this
# many bytes (held until the pair table is made), and at most this many blocks:
# the number of blocks does not depend on n_perm, so neither does memory.
PERM_BYTES = 512 * 2**20
MAX_PERM_BLOCKS = 32
# Node permutations: blocks of about this many estimated seconds, at most this many.
NODE_BLOCK_S = 2.0
MAX_NODE_BLOCKS = 64
# Modules of the pooled network: at least this many members (dynamicTreeCut's
# minClusterSize, WGCNA's usual 20; a tenth of the variables, at least 4, when
# there are fewer than 200).
MODULE_MIN_SIZE = 20


def perm_blocks(n_perm: int, m: int, slots: int) -> list[range]:
    """Permutation numbers (1-based) in blocks: at least one per task slot, more for
    small tables, never so many that their count vectors pass ``PERM_BYTES``; the
    number of blocks does not depend on ``n_perm`` (once it exceeds it)."""
    blocks = max(1, min(n_perm, max(slots, min(MAX_PERM_BLOCKS, PERM_BYTES // max(8 * m, 1)))))
    bounds = np.linspace(0, n_perm, blocks + 1).round().astype(int)
    return [range(a + 1, b + 1) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def node_blocks(node_perm: int, per_perm: float, slots: int) -> list[range]:
    """Node permutations in blocks of about ``NODE_BLOCK_S`` estimated seconds."""
    if node_perm < 1:
        return []
    blocks = min(node_perm, MAX_NODE_BLOCKS,
                 max(slots, math.ceil(node_perm * per_perm / NODE_BLOCK_S)))
    bounds = np.linspace(0, node_perm, blocks + 1).round().astype(int)
    return [range(a + 1, b + 1) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def numpy_nodes(params: dict) -> bool:
    """Whether the node level of these parameters is computed in numpy."""
    return block_method(params["node_method"], params["node_method_params"])


def node_power(params: dict) -> float:
    """The exponent of |r| of the node networks (WGCNA's P; 1 for cor)."""
    mp = params["node_method_params"]
    return float(mp.get("P", 1)) if params["node_method"] == "WGCNA" else 1.0


def node_kind(params: dict) -> str:
    """The correlation type of the node networks."""
    return params["node_method_params"].get("method", "pearson") \
        if params["node_method"] == "cor" else "pearson"


def plan_pairs(client, plan: Plan, label: str, tag: str, za, zb, na: int, nb: int,
               names: list[str], params: dict, out: str | None, slots: int, prio: int):
    """The pair table of one comparison in blocks of rows (BH or none); returns the
    future of :func:`~renette_widgets.engine.pairs.t_pair_summary`."""
    p = len(names)
    blocks = pairs.pair_blocks(p, slots)
    # the names once through the scheduler, not once per block (20,000 strings)
    names = submit_task(client, plan, f"pairs of {label}", f"names-{tag}", _same, names,
                        priority=prio + 1)
    keep_q = params["keep_q"] if params.get("keep") == "q" else None
    lookup, first = None, [None] * len(blocks)
    if params["adjust"] == "BH":
        first = [submit_task(client, plan, f"pairs of {label}", f"pvalues-{k}-{tag}",
                             pairs.t_pair_pvalues, za, zb, na, nb, a, b, params["method"],
                             params["cor_cutoff"], priority=prio)
                 for k, (a, b) in enumerate(blocks)]
        # the sorted p-values go to the merge; each block's order stays on its worker
        got = [submit_task(client, plan, f"pairs of {label}", f"sorted-{k}-{tag}",
                           operator.getitem, f, 0, priority=prio) for k, f in enumerate(first)]
        cut = 1.0 if keep_q is None else max(keep_q, params["fdr"])
        lookup = submit_task(client, plan, f"pairs of {label}", f"bh-{tag}", pairs.t_bh_cut,
                             got, cut, priority=prio + 1)
    parts = [submit_task(client, plan, f"pairs of {label}", f"pairblock-{k}-{tag}",
                         pairs.t_pair_block, za, zb, na, nb, a, b, names, params["method"],
                         params["cor_cutoff"], params["cor_alpha"], params["adjust"],
                         params["fdr"], keep_q, lookup, out, k, first[k], priority=prio)
             for k, (a, b) in enumerate(blocks)]
    return submit_task(client, plan, f"pairs of {label}", f"pairs-{tag}", pairs.t_pair_summary,
                       parts, p, priority=prio)


def plan_network(client, plan: Plan, c: int, job_id: str, z, p: int, names: list[str],
                 power: float, path: Path | None, slots: int, prio: int):
    """A condition's correlation network: blocks of rows written to the store (the
    future gives its path), or one task returning it (a job kept in memory)."""
    stage = "inferring networks"
    if path is None:
        return submit_task(client, plan, stage, f"net-{c}-{job_id}", t_cor_block, z, 0, p,
                           power, None, priority=prio)
    create_matrix(path, (p, p), names, names)
    rows = max(1, min(-(-p // slots), (1 << 22) // max(p, 1)))
    blocks = [submit_task(client, plan, stage, f"netblock-{c}-{a}-{job_id}", t_cor_block, z,
                          a, b, power, str(path), priority=prio)
              for a, b in row_blocks(p, rows)]
    return submit_task(client, plan, stage, f"net-{c}-{job_id}", _written, str(path), blocks,
                       priority=prio)


def _written(path: str, blocks: list) -> str:
    """The path of a network once all its blocks are written."""
    return path


def standardized(client, plan: Plan, xs: list, kind: str, job_id: str, prio: int) -> list:
    """Each condition's standardised data (one task each)."""
    return [submit_task(client, plan, "sending inputs", f"std-{kind}-{c}-{job_id}",
                        t_standardize, x, kind, priority=prio + 1) for c, x in enumerate(xs)]


def plan_nodes(client, plan: Plan, label: str, tag: str, xa, xb, za, zb, params: dict,
               nets: tuple, per_perm: float, slots: int, prio: int,
               sets: list | None = None) -> tuple:
    """The node level of one comparison: the observed ``d`` and Hamming share, and
    blocks of label permutations (numpy for the correlation family, else R)."""
    seed, lp, node_perm = int(params["seed"]), params["lp"], params["node_perm"]
    if numpy_nodes(params):
        power, kind = node_power(params), node_kind(params)
        diff = submit_task(client, plan, f"nodes of {label}", f"nodes-{tag}",
                           nodeperm.t_node_observed, za, zb, power, lp, priority=prio)
        blocks = [submit_task(client, plan, f"node permutations of {label}",
                              f"nodeperm-{t}-{tag}", nodeperm.t_node_perm_counts, xa, xb, kind,
                              power, list(block), seed, lp, diff, sets, priority=prio)
                  for t, block in enumerate(node_blocks(node_perm, per_perm, slots))]
        return diff, blocks
    method, mparams = params["node_method"], dict(params["node_method_params"])
    diff = submit_task(client, plan, f"nodes of {label}", f"nodes-{tag}", ed.t_node_diff,
                       nets[0], nets[1], lp, priority=prio)
    blocks = [submit_task(client, plan, f"node permutations of {label}", f"nodeperm-{t}-{tag}",
                          ed.t_node_counts, xa, xb, method, mparams, block, seed, lp, diff,
                          priority=prio)
              for t, block in enumerate(node_blocks(node_perm, per_perm, slots))]
    return diff, blocks


def node_counts(results: list) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Summed permutation counts per node and per set (R's blocks give node counts)."""
    if not results:
        return None, None
    nodes = sum(np.asarray(r["nodes"] if isinstance(r, dict) else r) for r in results)
    sets = [r["sets"] for r in results if isinstance(r, dict)]
    return nodes, (sum(np.asarray(s) for s in sets) if sets else None)


def plan_sets(client, plan: Plan, label: str, tag: str, params: dict, given: dict | None,
              za, zb, zna, znb, na: int, nb: int, p: int, prio: int) -> tuple | None:
    """The gene sets of one comparison: (future of the sets' node positions, future
    of their statistics), or None without sets. ``given``: set name -> positions;
    else, with ``sets="modules"``, the modules of the pooled network (R)."""
    if params.get("sets") is None or (given is not None and not given):
        return None
    if given is not None:
        positions = [np.asarray(v, dtype=np.int64) for v in given.values()]
        members = submit_task(client, plan, f"sets of {label}", f"setpos-{tag}", _same,
                              positions, priority=prio + 1)
    else:
        min_size = int(min(MODULE_MIN_SIZE, max(4, p // 10)))
        members = submit_task(client, plan, f"modules of {label}", f"modules-{tag}",
                              sets.t_modules, zna, znb, node_power(params), min_size,
                              priority=prio + 1)
    stats = submit_task(client, plan, f"sets of {label}", f"sets-{tag}", sets.t_set_stats,
                        za, zb, na, nb, params["method"], params["cor_cutoff"], members,
                        priority=prio)
    return members, stats


def _same(x):
    return x
