"""Where a chunk of spectra goes: back to the worker whose cache holds them.

Plans ask :func:`cluster_state` which workers there are; :func:`planning_for`
makes them plan as for a larger cluster (the benchmarks' simulated scale-out).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from ..engine.cache import content_hash


def cluster_state(client) -> tuple[list[str], set[str]]:
    """The addresses of the cluster's workers, sorted, and those that have no task
    to run (both empty when the scheduler does not say)."""
    try:
        processing = client.processing()
    except Exception:  # noqa: BLE001 - any client without worker info
        processing = {}
    addresses = sorted(processing)
    idle = {w for w, keys in processing.items() if not keys}
    if _planned_workers:
        made_up = range(1, _planned_workers - len(addresses) + 1)
        addresses += [f"tcp://127.0.0.1:{i}" for i in made_up]  # never idle
    return addresses, idle


_planned_workers: int | None = None


@contextmanager
def planning_for(workers: int) -> Iterator[None]:
    """Within this block, jobs of this process are planned as for a cluster of
    ``workers`` workers: the cluster's own and made-up busy ones (the task grain
    depends on the number of workers). The tasks still run on the real cluster:
    this is how the graph a larger cluster would get is recorded and replayed
    (``benchmarks/bench_scaling.py``) and tested."""
    global _planned_workers
    before, _planned_workers = _planned_workers, workers
    try:
        yield
    finally:
        _planned_workers = before


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
