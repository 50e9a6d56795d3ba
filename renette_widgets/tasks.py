"""How each workflow splits into dask tasks.

Two halves:

* ``t_*`` functions run on workers.  They import :mod:`rengine` lazily (so
  rpy2 is never imported in the client process) and take/return numpy
  arrays and plain Python values.
* ``plan_*`` functions run in the client: they submit the task graph of one
  job and return a :class:`Plan` (the futures, for progress and
  cancellation, and an ``assemble`` function that builds the result from
  the finished futures).

Splitting: inference is one task per (input, method); distance one task per
chunk of networks (spectrum and IM density of each) plus one per tile of
pairs; stability one task per chunk of resamples (inference, spectrum and
density of each; per-edge extremes for Sw), the same tiles over the
resampled networks, one small task each for Sw and Sd; statistics one task
per network.  Symmetric networks travel packed (:mod:`packing`: half the
bytes), from the client to the chunks and from the chunks to the tiles, and
a chunk sends its spectra and networks stacked into a few arrays
(:func:`stack_specs`: dask's cost is per array).  The optimal gamma is found
by the tasks that need it (cached per worker): no stage waits for a gamma
task.  Spectra are cached per worker by content, and the chunks of a job
sent again go back to the workers that computed them (:func:`chunk_placement`),
so they find them.  Chunks and tiles are sized
from an estimated cost and the number of workers (:func:`n_parts`): each task at
least ``MIN_TASK_S`` of work (dask and rpy2 cost a few ms per task), and at
most :func:`tasks_per_worker` tasks per worker per stage.  Each input is sent
once, as the result of a small "input" task that the tasks needing it share
(unlike scattered data, a task result is recomputed if its worker dies).
"""
from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

import dask
import numpy as np
import pandas as pd

from . import packing
from .results import StabilityResult

# Task grain of distance and stability jobs: no more than tasks_per_worker()
# tasks per worker in a stage, each at least MIN_TASK_S of estimated work
# (dask costs ~2 ms per task). A small cluster gets a few coarse tasks (little
# overhead), a large one enough tasks to keep every worker busy
# (benchmarks/RESULTS.md: the trade-off measured).
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


# ---------------------------------------------------------------- worker side

def start_engine(memory_limit: int | None = None) -> None:
    """Start R in this worker (idempotent); called by the worker plugin."""
    from . import rengine
    from .cluster import default_r_libs
    rengine.start(default_r_libs(), memory_limit)


def _engine():
    from . import rengine
    start_engine()
    return rengine


def t_input(x: np.ndarray) -> np.ndarray:
    """Hold an input matrix on a worker (recomputable, unlike scattered data)."""
    return x


def t_versions() -> dict:
    """R and package versions of the worker."""
    return _engine().versions()


def t_infer(x: np.ndarray, method: str, params: dict, seed: int | None) -> np.ndarray:
    """One network inferred from one data matrix."""
    return _engine().mat2adj(x, method, params, seed)


def t_mine_rows(x: np.ndarray, rows: list[int], params: dict) -> dict:
    """MINE of columns ``rows`` (0-based) against every later column."""
    return {"rows": list(rows), "values": _engine().mine_rows(x, rows, params)}


def t_mine_finish(x: np.ndarray, blocks: list[dict], params: dict) -> np.ndarray:
    """The MINE network from all blocks of rows (as ``mat2adj(x, "MINE")``)."""
    p = x.shape[1]
    upper = np.zeros((p, p))
    for b in blocks:
        upper[b["rows"], :] = b["values"]
    return _engine().mine_finish(x, upper, params)


# Worker-side cache of spectra by content: the eigen-decomposition is the
# costly part of a distance, and the same networks come back across jobs.
SPECTRUM_CACHE_BYTES = 256 * 2**20
_spectra: OrderedDict[str, dict] = OrderedDict()


def content_hash(a: np.ndarray):
    """BLAKE3 of an array's memory as it lies (C- or Fortran-ordered: not copied).

    A cryptographic hash (one user's network must not be able to pass for
    another's), and 4x SHA-256's speed here: 0.05 ms for 200 nodes, on every
    network of every job.
    """
    from blake3 import blake3
    if a.flags.f_contiguous and not a.flags.c_contiguous:
        a = a.T  # the same bytes, C-contiguous
    return blake3(np.ascontiguousarray(a).data.cast("B"))


def _spectrum_key(a: np.ndarray, directed: bool, gamma: float) -> str:
    """Content key of a network, packed or Fortran-ordered, for a directedness and gamma."""
    h = content_hash(a)
    h.update(repr((a.shape, directed, float(gamma))).encode())
    return h.hexdigest()


def t_spectra(nets: list[np.ndarray], directed: bool | None,
              gamma: float | None = None) -> dict:
    """Rescaled network, spectrum ``omega``, IM-grid density ``D`` and ``gamma`` of
    each network (:func:`stack_specs`; :func:`chunk_spec` gets one): the network as ``P``,
    packed (:mod:`packing`), when it is exactly symmetric, else as ``A``.

    ``nets`` are n x n matrices or packed symmetric ones (1-D).
    Cached by content (and gamma); the networks not in the cache go to R in
    one call per directedness (``directed=None``: each network's own).
    ``gamma=None``: the optimal gamma of the networks' size (directed if any
    is), computed here so that no chunk waits for a gamma task.
    """
    # Matrices in Fortran order, R's: one from a DataFrame already is (no copy
    # here, and a straight one into R rather than a transposing one).
    full = [np.asfortranarray(a, dtype=float) if np.ndim(a) == 2 else None for a in nets]
    # Symmetric networks packed: the cache key is the same however they came.
    packed = [np.asarray(a, dtype=float) if f is None else
              packing.pack(f) if np.array_equal(f, f.T) else None for a, f in zip(nets, full)]
    flags = [bool(p is None and is_directed(f) if directed is None else directed)
             for p, f in zip(packed, full)]
    if gamma is None:
        gamma = t_gamma(full[0].shape[0] if full[0] is not None else packing.nodes(packed[0]),
                        any(flags))
    keys = [_spectrum_key(f if p is None else p, d, gamma)
            for p, f, d in zip(packed, full, flags)]
    for flag in sorted({d for d, k in zip(flags, keys) if k not in _spectra}):
        todo = [i for i, (d, k) in enumerate(zip(flags, keys)) if d == flag and k not in _spectra]
        got = _engine().network_spectra([packed[i] if full[i] is None else full[i]
                                         for i in todo], flag, gamma)
        for i, spec in zip(todo, got):
            _spectra[keys[i]] = _travelling({**spec, "directed": flag, "gamma": float(gamma)},
                                            full[i], packed[i])
    out = []
    for k in keys:
        _spectra.move_to_end(k)
        out.append(_spectra[k])
    while sum(x.nbytes for v in _spectra.values() for x in v.values()
              if isinstance(x, np.ndarray)) > SPECTRUM_CACHE_BYTES and len(_spectra) > len(keys):
        _spectra.popitem(last=False)
    return stack_specs(out)


SPEC_ARRAYS = ("P", "A", "omega", "D")


def stack_specs(specs: list[dict]) -> dict:
    """Spectrum entries as a chunk sends them: each field of equal-length arrays
    stacked into one matrix, one row per network (dask sends every array of a
    result as a frame of its own: 39 arrays of a chunk took 3-4x the time of the
    same bytes in three); others (a network sent whole, a longer spectrum)
    stay lists, None where a network has no such field."""
    out = {"gamma": specs[0]["gamma"], "directed": [s["directed"] for s in specs]}
    for f in SPEC_ARRAYS:
        vals = [s.get(f) for s in specs]
        same = all(v is not None for v in vals) and len({v.shape for v in vals}) == 1
        out[f] = np.stack(vals) if same and f != "A" else vals
    return out


def chunk_spec(chunk: dict, k: int) -> dict:
    """Entry ``k`` of :func:`stack_specs`'s ``chunk`` (or of a :func:`t_resamples`
    result's), with the fields it has."""
    chunk = chunk["specs"] if "specs" in chunk else chunk
    out = {"gamma": chunk["gamma"], "directed": chunk["directed"][k]}
    out.update({f: chunk[f][k] for f in SPEC_ARRAYS if chunk[f][k] is not None})
    return out


def _travelling(spec: dict, full: np.ndarray | None, packed: np.ndarray | None) -> dict:
    """A spectrum entry as chunks send it: an exactly symmetric network as ``P``,
    packed (:mod:`packing`), half the bytes to send to the tiles and to copy
    into R there; any other as ``A``.

    ``spec["A"]`` is the network R rescaled (None: used as it came, ``full``
    and/or ``packed``; ``packed`` None: not exactly symmetric).
    """
    a = spec.pop("A")
    if packed is None:
        return {**spec, "A": full if a is None else a}
    # min-max rescaling keeps a network symmetric
    return {**spec, "P": packed if a is None else packing.pack(a)}


_gammas: dict[tuple[int, bool], float] = {}


def t_gamma(n: int, directed: bool, net: np.ndarray | None = None) -> float:
    """Optimal gamma for n nodes (directedness of ``net`` when given); cached."""
    key = (int(n), bool(is_directed(net) if net is not None else directed))
    if key not in _gammas:
        _gammas[key] = _engine().optimal_gamma(*key)
    return _gammas[key]


def t_resamples(x: np.ndarray, indices: list, rs: list[int], method: str, params: dict,
                seed: int | None, gamma: float | None, spectra: bool,
                full: np.ndarray | None = None, edges: bool = True) -> dict:
    """Networks of resamples ``rs`` (``nets``, None when their spectra are computed
    here), whether each is directed, their node strengths,
    if ``edges`` their :func:`edge_extremes` and, if ``spectra``, their spectra and
    densities (:func:`t_resample_spectra`)."""
    nets = [_engine().mat2adj(x[indices[r], :], method, params, seed) for r in rs]
    exact = [np.array_equal(a, a.T) for a in nets]  # exactly symmetric
    # The networks travel on only to a separate spectra task (the tiles get them
    # with the spectra, packed when symmetric).
    return {"nets": None if spectra else nets,
            "directed": [not e and is_directed(a) for a, e in zip(nets, exact)],
            "out": np.stack([strengths(a, 1) for a in nets]),
            "in": np.stack([strengths(a, 0) for a in nets]),
            # the lower triangles too unless every network equals its transpose
            "edges": edge_extremes(nets, not all(exact)) if edges else None,
            "specs": t_resample_spectra({"nets": nets}, gamma, full) if spectra else None}


def t_resample_spectra(chunk: dict, gamma: float | None,
                       full: np.ndarray | None = None) -> dict:
    """:func:`t_spectra` of the networks of a :func:`t_resamples` result; ``gamma=None``:
    the optimal gamma for ``full``, the network inferred on all rows (found here)."""
    if gamma is None:
        gamma = t_gamma(full.shape[0], False, full)
    return t_spectra(chunk["nets"], None, gamma)


def t_block(chunks: list, refs: np.ndarray, pairs: np.ndarray,
            rho: float) -> dict:
    """H, IM, HIM of a tile of pairs (``values``, one row per pair) and the ``gamma`` used.

    ``refs[l] = (c, k)``: local network ``l`` is spectrum ``k`` of ``chunks[c]``
    (a :func:`t_spectra` or :func:`t_resamples` result); ``pairs`` are local.
    """
    specs = [chunk_spec(chunks[c], k) for c, k in refs]
    gamma, engine = specs[0]["gamma"], _engine()
    same_grid = len({len(s["D"]) for s in specs}) == 1
    if all("P" in s for s in specs):  # symmetric networks, packed
        dens = ({"dens": [s["D"] for s in specs]} if same_grid else
                {"omegas": [s["omega"] for s in specs], "gamma": gamma})
        values = engine.distance_block_packed([s["P"] for s in specs], pairs, rho, **dens)
    else:
        nets = [s["A"] if "A" in s else packing.unpack(s["P"]) for s in specs]
        if same_grid:  # pair the densities
            values = engine.distance_block_dens(nets, [s["D"] for s in specs], pairs, rho)
        else:  # spectra beyond the rescaled-network bound widen the grid: let R pick one
            values = engine.distance_block(nets, [s["omega"] for s in specs], pairs, gamma,
                                           rho)
    return {"values": values, "gamma": gamma}


def t_indices(n: int, method: str, k: int, h: int, seed: int) -> list:
    """Resampling index sets (0-based), as R's ``resampling_indices``."""
    return _engine().resampling_indices(n, method, k, h, seed)


def t_sw(chunks: list[dict]) -> np.ndarray:
    """Edge stability Sw from the chunks' :func:`edge_extremes`, in netsi_sw's order.

    ``renette::netsi_sw``: per edge (max - min) / mean over the resamples, NA
    where the mean is 0 (``all.equal``); edges i < j, or every i != j when a
    network is directed, by first node then second (row-major).
    """
    parts = [c["edges"] for c in chunks]
    if any(d for c in chunks for d in c["directed"]):
        parts = [_full_edges(e) for e in parts]
    count = sum(len(c["directed"]) for c in chunks)  # one flag per resample
    mx = np.max([e["max"] for e in parts], axis=0)
    mn = np.min([e["min"] for e in parts], axis=0)
    total = parts[0]["sum"].copy()
    for e in parts[1:]:  # chunk after chunk: resample order, as rowMeans adds
        total += e["sum"]
    mean = (total / count).astype(float)
    zero = np.abs(mean) <= np.sqrt(np.finfo(float).eps)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(zero, np.nan, (mx - mn) / np.where(zero, 1.0, mean))


def edge_extremes(nets: list[np.ndarray], lower: bool) -> dict:
    """Per edge, the max, min and sum (long double, in order) of its weight over
    ``nets``: what Sw needs of a chunk of resamples, so that no stage after the
    resamples needs the networks themselves.

    Edges i < j in row-major order (R's ``combn``); with ``lower`` also the
    edges i > j (``lo_*``: the weight at [j, i] for edge (i, j) of the upper list).
    """
    stack = np.stack(nets)
    i, j = np.triu_indices(stack.shape[1], 1)
    out = _extremes(stack[:, i, j])
    if lower:
        out.update({f"lo_{k}": v for k, v in _extremes(stack[:, j, i]).items()})
    return out


def _extremes(w: np.ndarray) -> dict:
    # summing along axis 0 adds row after row (no pairwise summation), in long
    # double: the same bits as R's rowMeans over the resamples
    return {"max": w.max(axis=0), "min": w.min(axis=0),
            "sum": w.sum(axis=0, dtype=np.longdouble)}


def _full_edges(e: dict) -> dict:
    """:func:`edge_extremes` over every ordered pair i != j (row-major), for directed Sw.

    A chunk without ``lo_*`` has (exactly) symmetric networks: its lower
    triangle is its upper.
    """
    p = int(round((1 + math.sqrt(1 + 8 * len(e["max"]))) / 2))
    i, j = np.triu_indices(p, 1)
    off = ~np.eye(p, dtype=bool)
    out = {}
    for k in ("max", "min", "sum"):
        m = np.zeros((p, p), dtype=e[k].dtype)
        m[i, j] = e[k]
        m[j, i] = e.get(f"lo_{k}", e[k])
        out[k] = m[off]  # row-major: by first node, then second
    return out


def t_sd(chunks: list[dict]) -> dict:
    """Node stability Sd and the node (out) strengths of each resample."""
    out_s = np.concatenate([c["out"] for c in chunks])
    in_s = np.concatenate([c["in"] for c in chunks])
    return {"Sd": _engine().netsi_sd_strengths(out_s, in_s), "Sd_boot": out_s}


def t_netstats(a: np.ndarray, seed: int) -> dict:
    """Node and network statistics of one network."""
    return _engine().netstats(a, seed)


# ---------------------------------------------------------------- helpers

def is_directed(a: np.ndarray) -> bool:
    """R's ``!isSymmetric(unname(A))``: mean relative difference > 100 eps."""
    a = np.asarray(a, dtype=float)
    if a.shape[0] != a.shape[1]:
        return True
    if np.array_equal(a, a.T):  # the common case, 8x faster than the sums below
        return False
    diff = np.abs(a - a.T).sum()
    scale = np.abs(a).sum()
    tol = 100 * np.finfo(float).eps
    return bool(diff / scale > tol) if scale > tol else bool(diff > tol)


def strengths(a: np.ndarray, axis: int) -> np.ndarray:
    """Row (``axis=1``, out) or column (``axis=0``, in) sums of a network as R sums
    them: in order, in long double (the same bits as R's rowSums/colSums)."""
    a = np.asarray(a, dtype=float)
    # summing along axis 0 of a C array adds row after row: no pairwise summation
    rows = a if axis == 0 else np.ascontiguousarray(a.T)
    return rows.sum(axis=0, dtype=np.longdouble).astype(float)


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


def fill_pairs(out: np.ndarray, tiles: list, got: dict, column: int) -> None:
    """``out[i, j] = out[j, i]`` = column ``column`` (H, IM, HIM) of each tile's values.

    ``tiles`` are ``(pairs, future)`` as :func:`_distance_tiles` returns them,
    ``got`` a tile future's key -> its :func:`t_block` result."""
    for tile, fut in tiles:
        v = np.asarray(got[fut.key]["values"])[:, column]
        out[tile[:, 0], tile[:, 1]] = v
        out[tile[:, 1], tile[:, 0]] = v


def cluster_state(client) -> tuple[list[str], set[str]]:
    """The addresses of the cluster's workers, sorted, and those that have no task
    to run (both empty when the scheduler does not say)."""
    try:
        processing = client.processing()
    except Exception:  # noqa: BLE001 - any client without worker info
        return [], set()
    return sorted(processing), {w for w, keys in processing.items() if not keys}


def chunk_placement(workers: list[str], idle: set[str], keys: list[str],
                    first: np.ndarray) -> dict[str, str]:
    """The worker each chunk computing spectra should go to, if it is idle.

    The spectrum cache is per worker: a job sent again (another metric or rho
    on the same networks, the same data and seed) finds its spectra only if
    each chunk goes back to the worker that computed it.  Chunk ``c`` (key
    ``keys[c]``) belongs to worker ``(o + c) mod W`` of the sorted addresses:
    one chunk per worker, and the offset ``o``, taken from the content of
    ``first`` (the job's first network, or its data), spreads one-chunk jobs
    over the cluster.  Only chunks whose worker is ``idle`` are placed: one
    held up behind another job's long task would wait longer than it saves,
    and unplaced ones go to the first worker free, as dask decides.  A place
    is a preference (``allow_other_workers``): a worker that has gone, or work
    stealing, sends the chunk elsewhere.
    """
    if not workers:
        return {}
    o = int.from_bytes(content_hash(first).digest(4), "big")
    where = {k: workers[(o + c) % len(workers)] for c, k in enumerate(keys)}
    return {k: w for k, w in where.items() if w in idle}


def tasks_per_worker(workers: int) -> int:
    """Tasks per worker in a stage: ``TASKS_PER_WORKER`` (two: slack for uneven
    tasks, which keeps 16 workers busy), but one on a cluster of up to
    ``SMALL_CLUSTER`` workers. There every task of a stage starts at once, and
    a second task per worker only adds its dispatch and per-call costs: 6-8 %
    of a distance job at (50, 200), (100, 100) and (10, 500) on 2 workers."""
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
    another worker and copy it into R (1.8 ms at n = 500, measured in a worker
    for a full matrix; a packed symmetric one costs about half, so the estimate
    errs towards fewer tiles)."""
    return 8e-9 * n ** 2


def network_cost(n: int) -> float:
    """Estimated seconds of one spectrum + density of an n-node network (one core).

    Fitted to ``renette::network_spectra`` with Debian's OpenBLAS (serial):
    0.6 ms at n = 100, 2.3 ms at 200, 20 ms at 500, 0.13 s at 1000, 0.95 s at 2000.
    """
    return 4e-4 + 2e-8 * n ** 2 + 1.15e-10 * n ** 3


def pair_cost(n: int) -> float:
    """Estimated seconds of H, IM and HIM of one pair of n-node networks.

    ``distance_block_dens`` per pair: 3 us at n = 100, 12 us at 200, 0.2 ms at
    500 (networks' symmetry checks included), 1.5 ms at 1000.
    """
    return 1e-6 + 5e-10 * n ** 2


def infer_cost(nrow: int, p: int, method: str) -> float:
    """Estimated seconds of one inference on ``nrow`` x ``p`` data."""
    return 3e-3 + 1e-9 * nrow * p ** 2 * (1000 if method in ("MINE", "DTWMIC") else 1)


def cost_priority(cost: float) -> int:
    """Dask priority from an estimated cost: long jobs run after quick ones."""
    return -int(round(math.log10(max(cost, 1.0))))


@dataclass
class Plan:
    """The submitted task graph of one job."""

    futures: list = field(default_factory=list)
    stages: dict = field(default_factory=dict)  # future key -> stage label
    assemble: Callable[[], Any] = lambda: None

    def add(self, future, stage: str):
        self.futures.append(future)
        self.stages[future.key] = stage
        return future


def _results(client, futures: list) -> dict:
    """Results of ``futures`` by key, fetched in one round trip (not one per future)."""
    futures = [f for f in futures if f is not None]
    return dict(zip([f.key for f in futures], client.gather(futures)))


def _submit(client, plan: Plan, stage: str, key: str, fn, *args, priority: int,
            place: dict[str, str] | None = None):
    where = (place or {}).get(key)  # see chunk_placement
    fut = client.submit(fn, *args, key=key, priority=priority, pure=False,
                        workers=[where] if where else None, allow_other_workers=bool(where))
    return plan.add(fut, stage)


def _map(client, plan: Plan, stage: str, keys: list[str], fn, *iterables, priority: int,
         place: dict[str, str]) -> list:
    """``client.map`` of ``fn`` over ``iterables`` with the given ``keys``, in one
    message per kind (placed, see :func:`chunk_placement`, or not): a task
    submitted on its own waits for the client's next batch (20-25 ms here)."""
    futs = {}
    # a callable annotation is called on the scheduler, once per key
    where = {"workers": {k: [w] for k, w in place.items()}.get, "allow_other_workers": True}
    for placed in (True, False):
        at = [i for i, k in enumerate(keys) if (k in place) == placed]
        if not at:
            continue
        with dask.annotate(**(where if placed else {})):
            got = client.map(fn, *[[it[i] for i in at] for it in iterables],
                             key=[keys[i] for i in at], priority=priority, pure=False)
        futs.update(zip([keys[i] for i in at], got))
    return [plan.add(futs[k], stage) for k in keys]


def _distance_tiles(client, plan: Plan, where: list, pairs: np.ndarray, n: int, workers: int,
                    rho: float, job_id: str, priority: int, tag: str) -> list:
    """Submit the tiles of ``pairs`` (m x 2); returns [(tile's pairs, future)].

    ``where[g] = (chunk future, k)``: network ``g``'s spectrum is the k-th of
    that chunk's.
    """
    out = []
    tiles = n_tiles(len(pairs), len(where), n, workers)
    for t, tile in enumerate(pair_tiles(pairs, len(where), tiles)):
        nodes = np.unique(tile).tolist()
        lp = np.searchsorted(nodes, tile)  # local network numbers
        chunks = list({id(where[g][0]): where[g][0] for g in nodes}.values())
        pos = {id(c): ci for ci, c in enumerate(chunks)}
        refs = np.array([(pos[id(where[g][0])], where[g][1]) for g in nodes], dtype=np.int64)
        fut = _submit(client, plan, "distances", f"{tag}-tile-{t}-{job_id}", t_block,
                      chunks, refs, lp, float(rho), priority=priority)
        out.append((tile, fut))
    return out


# ---------------------------------------------------------------- plans

def plan_inference(client, inputs: dict[str, pd.DataFrame], params: dict,
                   job_id: str) -> Plan:
    """One task per (input file, method); MINE in blocks of rows (see mine_row_blocks)."""
    plan = Plan()
    methods = params["methods"]
    cost = sum(df.shape[0] * df.shape[1] ** 2 * (1000 if m in ("MINE", "DTWMIC") else 1)
               for df in inputs.values() for m in methods)
    prio = cost_priority(cost)
    jobs = []
    for i, (name, df) in enumerate(inputs.items()):
        x = _submit(client, plan, "sending inputs", f"input-{i}-{job_id}", t_input,
                    df.to_numpy(dtype=float), priority=prio)
        for method, mparams in methods.items():
            if method == "MINE":
                fut = _plan_mine(client, plan, name, i, x, df.shape[1], dict(mparams),
                                 job_id, prio)
            else:
                fut = _submit(client, plan, f"inferring {name} with {method}",
                              f"infer-{i}-{method}-{job_id}", t_infer, x, method,
                              dict(mparams), params.get("seed", 0), priority=prio)
            jobs.append((name, method, df.columns, fut))

    def assemble():
        got = _results(client, [fut for *_, fut in jobs])
        return {"networks": {f"{name}_{method}": pd.DataFrame(got[fut.key], index=cols,
                                                               columns=cols)
                             for name, method, cols, fut in jobs}}
    plan.assemble = assemble
    return plan


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


def _plan_mine(client, plan: Plan, name: str, i: int, x, p: int, mparams: dict,
               job_id: str, prio: int):
    """All-pairs MINE as blocks of rows, then one task putting them together."""
    stage = f"inferring {name} with MINE"
    blocks = [_submit(client, plan, stage, f"mine-{i}-{b}-{job_id}", t_mine_rows, x, rows,
                      mparams, priority=prio)
              for b, rows in enumerate(mine_row_blocks(p))]
    return _submit(client, plan, stage, f"infer-{i}-MINE-{job_id}", t_mine_finish, x,
                   blocks, mparams, priority=prio)


def plan_distance(client, inputs: dict[str, pd.DataFrame], params: dict,
                  job_id: str) -> Plan:
    """One task per chunk of networks (spectra, densities), one per tile of pairs."""
    plan = Plan()
    names = list(inputs)
    mats = [df.to_numpy(dtype=float) for df in inputs.values()]
    if len(mats) == 1:  # as ReNette: one network is compared with the empty one
        names.append("empty")
        mats.append(np.zeros_like(mats[0]))
    n = mats[0].shape[0]
    prio = cost_priority(len(mats) * n ** 3 + len(mats) ** 2 * n ** 2)
    exact = [np.array_equal(a, a.T) for a in mats]  # exactly symmetric: sent packed
    directed = any(not e and is_directed(a) for a, e in zip(mats, exact))
    addresses, idle = cluster_state(client)
    workers = len(addresses) or DEFAULT_WORKERS
    gamma = params.get("gamma")  # None: each chunk finds the optimal one (cached)
    # Each network is needed by its chunk's task only: it travels inside that
    # task (recomputable too); an input task per network would add N tasks.
    send = [packing.pack(a) if e else a for a, e in zip(mats, exact)]
    where = []
    chunks = split(list(range(len(mats))),
                   n_parts(len(mats), len(mats) * network_cost(n), workers))
    keys = [f"spectra-{c}-{job_id}" for c in range(len(chunks))]
    futs = _map(client, plan, "spectra", keys, t_spectra,
                [[send[i] for i in members] for members in chunks], [directed] * len(chunks),
                [gamma] * len(chunks), priority=prio,
                place=chunk_placement(addresses, idle, keys, send[0]))
    for fut, members in zip(futs, chunks):
        where += [(fut, k) for k in range(len(members))]
    tiles = _distance_tiles(client, plan, where, upper_pairs(len(mats)), n, workers,
                            params.get("rho", 1.0), job_id, prio, "dist")

    def assemble():
        got = _results(client, [fut for _, fut in tiles])
        res = {}
        for col, c in enumerate(("H", "IM", "HIM")):
            out = np.zeros((len(mats), len(mats)))
            fill_pairs(out, tiles, got, col)
            res[c] = pd.DataFrame(out, index=names, columns=names)
        res["gamma"] = float(got[tiles[0][1].key]["gamma"])
        return res
    plan.assemble = assemble
    return plan


def plan_stability(client, inputs: dict[str, pd.DataFrame], params: dict,
                   job_id: str) -> Plan:
    """Chunks of resamples (networks, spectra, edge extremes), tiles for S and SI, Sw, Sd."""
    plan = Plan()
    (name, df), = inputs.items()
    nrow, p = df.shape
    method, mparams = params["method"], dict(params.get("method_params", {}))
    metric, seed = params.get("metric", "HIM"), int(params.get("seed", 0))
    indicator = params.get("indicator", "all")
    want = {"S", "SI", "Sw", "Sd"} if indicator == "all" else {indicator}
    R = n_resamples(nrow, params["resampling"], params.get("k", 3), params.get("h", 20))
    prio = cost_priority(R * (nrow * p ** 2 + p ** 3))
    addresses, idle = cluster_state(client)  # before this job's first tasks
    data = df.to_numpy(dtype=float)
    x = _submit(client, plan, "sending inputs", f"input-{job_id}", t_input, data,
                priority=prio + 1)
    idx = _submit(client, plan, "resampling", f"indices-{job_id}", t_indices, nrow,
                  params["resampling"], params.get("k", 3), params.get("h", 20), seed,
                  priority=prio + 1)
    full = _submit(client, plan, "inferring on all rows", f"adj-{job_id}", t_infer, x,
                   method, mparams, seed, priority=prio + 1)
    # network 0 is the one inferred on all rows, r + 1 resample r
    si = upper_pairs(R, by_column=True) + 1  # column-major upper triangle: r2 outer
    pairs = []
    if "S" in want:
        pairs.append(np.column_stack([np.zeros(R, np.int64), np.arange(1, R + 1)]))
    if "SI" in want:
        pairs.append(si)
    pairs = np.concatenate(pairs) if pairs else np.empty((0, 2), np.int64)
    spectra = len(pairs) > 0
    # gamma None: the tasks with spectra find it from `full` (no gamma task to wait for)
    gamma = params.get("gamma")
    workers = len(addresses) or DEFAULT_WORKERS
    cost = infer_cost(nrow, p, method) + (network_cost(p) if spectra else 0.0)
    groups = split(list(range(R)), n_parts(R, R * cost, workers))
    # The same data again (another indicator, metric or rho; the same seed):
    # the same resampled networks, whose spectra the workers have cached.
    keys = [f"resamples-{c}-{job_id}" for c in range(len(groups))] + [f"spectra-full-{job_id}"]
    place = chunk_placement(addresses, idle, keys, data)
    where = []
    if spectra:
        where.append((_submit(client, plan, "spectra", keys[-1], t_spectra, [full], None,
                              gamma, priority=prio, place=place), 0))
    # Fewer resamples than task slots (a large cluster): each resample's spectrum
    # is a task of its own, so spectra of the first resamples run while the
    # last ones are still inferred (else a stage of R tasks on W < R workers
    # takes two full rounds).
    alone = spectra and R < tasks_per_worker(workers) * workers
    chunks = []
    for c, rs in enumerate(groups):
        fut = _submit(client, plan, "inferring resampled networks", keys[c], t_resamples, x,
                      idx, rs, method, mparams, seed, gamma, spectra and not alone,
                      full if spectra and gamma is None else None, "Sw" in want,
                      priority=prio, place=place)
        chunks.append(fut)
        if alone:
            fut = _submit(client, plan, "spectra", f"spectra-{c}-{job_id}", t_resample_spectra,
                          fut, gamma, full if gamma is None else None, priority=prio)
        where += [(fut, k) for k in range(len(rs))]
    tiles = []
    if spectra:
        tiles = _distance_tiles(client, plan, where, pairs, p, workers,
                                params.get("rho", 1.0), job_id, prio, "stab")
    sw = []  # Sw from the chunks' per-edge extremes: a small last task
    if "Sw" in want:
        sw = [_submit(client, plan, "edge stability", f"sw-{job_id}", t_sw, chunks,
                      priority=prio)]
    sd = None
    if "Sd" in want:
        sd = _submit(client, plan, "node stability", f"sd-{job_id}", t_sd, chunks,
                     priority=prio)

    def assemble() -> StabilityResult:
        col = {"H": 0, "IM": 1, "HIM": 2}[metric]
        got = _results(client, [fut for _, fut in tiles] + sw + [sd, full, idx])
        dist = np.full((R + 1, R + 1), np.nan)
        fill_pairs(dist, tiles, got, col)
        nodes = list(df.columns)
        res = StabilityResult(S=None, SI=None, Sw=None, Sd=None, S_boot=None, SI_boot=None,
                              Sd_boot=None, ADJ=pd.DataFrame(got[full.key], index=nodes,
                                                             columns=nodes),
                              indices=got[idx.key], metric=metric)
        if "S" in want:
            s = dist[0, 1:]
            res.S_boot = pd.DataFrame({"resample": np.arange(1, R + 1), "S": s})
            res.S = float(np.mean(s))
        if "SI" in want and R > 1:
            r1, r2 = si.T
            res.SI_boot = pd.DataFrame({"r1": r1, "r2": r2, "SI": dist[r1, r2]})
            res.SI = float(res.SI_boot["SI"].mean())
        if sw:
            res.Sw = _edge_table(np.concatenate([got[f.key] for f in sw]), nodes)
        if sd is not None:
            out = got[sd.key]
            res.Sd = pd.DataFrame({"node": nodes, "Sd": out["Sd"][:len(nodes)]})
            res.Sd_boot = pd.DataFrame(out["Sd_boot"], columns=nodes,
                                       index=pd.RangeIndex(1, R + 1, name="resample"))
        return res
    plan.assemble = assemble
    return plan


def _edge_table(sw: np.ndarray, nodes: list) -> pd.DataFrame:
    """Sw values with their edges, in netsi_sw's order (by first node, then second)."""
    p = len(nodes)
    i, j = np.triu_indices(p, 1)  # i < j, R's combn order
    if len(sw) != len(i):  # directed: every ordered pair i != j
        i, j = np.nonzero(~np.eye(p, dtype=bool))
    names = np.asarray(nodes, dtype=object)
    return pd.DataFrame({"edge": np.arange(1, len(sw) + 1), "i": names[i], "j": names[j],
                         "Sw": sw})


def plan_statistics(client, inputs: dict[str, pd.DataFrame], params: dict,
                    job_id: str) -> Plan:
    """One task per network."""
    plan = Plan()
    seed = int(params.get("seed", 0))
    prio = cost_priority(sum(df.shape[0] ** 3 for df in inputs.values()))
    futs = {}
    for i, (name, df) in enumerate(inputs.items()):
        futs[name] = (df.columns, _submit(client, plan, f"statistics of {name}",
                                          f"stats-{i}-{job_id}", t_netstats,
                                          df.to_numpy(dtype=float), seed, priority=prio))

    def assemble():
        out = {}
        got = _results(client, [fut for _, fut in futs.values()])
        for name, (cols, fut) in futs.items():
            r = got[fut.key]
            nodes = pd.DataFrame(r["nodes"])
            if len(nodes) == len(cols):  # R gets a bare matrix: put the node names back
                nodes = nodes.drop(columns="node", errors="ignore")
                nodes.insert(0, "node", [str(c) for c in cols])
            out[name] = {"nodes": nodes, "network": pd.DataFrame(r["network"])}
        return out
    plan.assemble = assemble
    return plan


PLANS = {"inference": plan_inference, "distance": plan_distance,
         "stability": plan_stability, "statistics": plan_statistics}
