"""Task grain: how many tasks a stage becomes, from an estimated cost per item.

Each task at least ``MIN_TASK_S`` of estimated work (dask and rpy2 cost a few
ms per task), and at most :func:`tasks_per_worker` tasks per worker per
stage: a small cluster gets a few coarse tasks (little overhead), a large one
enough to keep every worker busy (the trade-off measured: ``benchmarks/RESULTS.md``,
"Measurements the code relies on"). The cost model was fitted to the R engine with Debian's serial
OpenBLAS; only its ratios matter.
"""
from __future__ import annotations

import math

import numpy as np

# Least estimated work per task, and tasks per worker per stage on larger clusters.
MIN_TASK_S = 0.0025
TASKS_PER_WORKER = 2
# Up to this many workers, one task per worker per stage.
SMALL_CLUSTER = 2
# A stage is split into more tiles only if that saves more than 15 % of its
# estimated time: the estimate leaves out transfers and the scheduler's share.
TILE_SLACK = 1.15
# Workers assumed when the scheduler does not say.
DEFAULT_WORKERS = 2
# Blocks of rows of an all-pairs MINE (seconds to minutes on one core): enough
# for 16 workers with even loads.
MINE_BLOCKS = 64


def tasks_per_worker(workers: int) -> int:
    """Tasks per worker in a stage: ``TASKS_PER_WORKER`` (two: slack for uneven
    tasks, which keeps 16 workers busy), but one on a cluster of up to
    ``SMALL_CLUSTER`` workers. There every task of a stage starts at once, and
    a second task per worker only adds its dispatch and per-call costs
    (measured in ``benchmarks/RESULTS.md``, "Measurements the code relies on")."""
    return 1 if workers <= SMALL_CLUSTER else TASKS_PER_WORKER


def n_parts(count: int, cost: float, workers: int) -> int:
    """How many tasks ``count`` items of total estimated ``cost`` seconds become.

    At most :func:`tasks_per_worker` per worker, each at least ``MIN_TASK_S`` of
    work, never more than ``count``, at least one.
    """
    return max(1, min(count, tasks_per_worker(workers) * workers, int(cost // MIN_TASK_S)))


def split(items: list, parts: int) -> list[list]:
    """``items`` cut into ``parts`` contiguous runs of about equal length."""
    bounds = np.linspace(0, len(items), max(1, parts) + 1).round().astype(int)
    return [list(items[a:b]) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def n_tiles(n_pairs: int, n_nets: int, n: int, workers: int) -> int:
    """How many tiles ``n_pairs`` pairs among ``n_nets`` networks of ``n`` nodes become.

    The fewest (at most :func:`tasks_per_worker` per worker) whose estimated stage
    time is within ``TILE_SLACK`` of the best count's. Unlike a chunk, a tile's
    cost grows with the count: each tile copies every network it touches into
    R (after fetching it from the worker that holds it), and a block tiling
    makes a tile touch about ``n_nets * sqrt(2 / tiles)`` networks. So a small
    cluster gets few, large tiles (2 workers: one tile for 10 networks of 500
    nodes, two for 50 of 200), a large one about a tile per worker.
    """
    est = {}
    for t in range(1, max(1, min(n_pairs, tasks_per_worker(workers) * workers)) + 1):
        nets = min(n_nets, n_nets * math.sqrt(2 / t))
        per_tile = n_pairs / t * pair_cost(n) + nets * network_copy_cost(n) + MIN_TASK_S
        est[t] = math.ceil(t / workers) * per_tile
    best = min(est.values())
    return min(t for t, e in est.items() if e <= TILE_SLACK * best)


def network_copy_cost(n: int) -> float:
    """Estimated seconds to bring one n-node network into a tile: fetch it from
    another worker and copy it into R (fitted for a full matrix; a packed
    symmetric one costs about half, so the estimate errs towards fewer tiles)."""
    return 8e-9 * n ** 2


def network_cost(n: int) -> float:
    """Estimated seconds of one spectrum + density of an n-node network (one core).

    Fitted to ``renette::network_spectra`` with Debian's serial OpenBLAS
    (the fit and its data points: ``benchmarks/RESULTS.md``, "Measurements the code relies on").
    """
    return 4e-4 + 2e-8 * n ** 2 + 1.15e-10 * n ** 3


def pair_cost(n: int) -> float:
    """Estimated seconds of H, IM and HIM of one pair of n-node networks.

    Fitted to ``distance_block_dens`` per pair (symmetry checks included).
    """
    return 1e-6 + 5e-10 * n ** 2


def infer_cost(nrow: int, p: int, method: str) -> float:
    """Estimated seconds of one inference on ``nrow`` x ``p`` data."""
    return 3e-3 + 1e-9 * nrow * p ** 2 * (1000 if method in ("MINE", "DTWMIC") else 1)


def cost_priority(cost: float) -> int:
    """Dask priority from an estimated cost: long jobs run after quick ones."""
    return -int(round(math.log10(max(cost, 1.0))))


def n_resamples(n: int, method: str, k: int, h: int) -> int:
    """How many resamples ``resampling_indices`` returns."""
    if method == "montecarlo":
        return h
    if method == "kCV":
        return h * k
    if method == "LOO":
        return n
    raise ValueError(f"unknown resampling method {method!r}")


def pair_tiles(pairs: np.ndarray, k: int, n_tiles: int) -> list[np.ndarray]:
    """Split pairs (an m x 2 array) into ``n_tiles`` tiles (m_t x 2) of about equal
    size needing few networks each.

    Pairs are ordered by block (i-range x j-range, blocks of side chosen for
    about ``n_tiles`` blocks; in their given order within a block) and the
    ordered list is cut into equal parts.
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return []
    n_tiles = max(1, min(n_tiles, len(pairs)))
    side = max(1, math.ceil(k / math.sqrt(2 * n_tiles)))
    ordered = pairs[np.lexsort((pairs[:, 1] // side, pairs[:, 0] // side))]  # stable
    bounds = np.linspace(0, len(ordered), n_tiles + 1).round().astype(int)
    return [ordered[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def upper_pairs(k: int, by_column: bool = False) -> np.ndarray:
    """Pairs i < j of k items, m x 2: by row (i outer), or ``by_column`` (j outer,
    the order of R's ``upper.tri``)."""
    if by_column:
        j, i = np.tril_indices(k, -1)
    else:
        i, j = np.triu_indices(k, 1)
    return np.column_stack([i, j]).astype(np.int64)


def mine_row_blocks(p: int, blocks: int = MINE_BLOCKS) -> list[list[int]]:
    """Rows 0..p-2 of the upper triangle in blocks of about equal pair counts.

    Row ``i`` has ``p - 1 - i`` pairs; longest rows first, each to the block
    with the fewest pairs so far.
    """
    n = max(1, min(blocks, p - 1))
    out: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for i in range(p - 1):
        b = load.index(min(load))
        out[b].append(i)
        load[b] += p - 1 - i
    return [sorted(rows) for rows in out if rows]
