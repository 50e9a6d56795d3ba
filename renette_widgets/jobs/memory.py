"""Memory as a limit: a job that would not fit is refused before it starts.

Each workflow estimates the peak memory of its largest task and what the
client will hold (:meth:`~renette_widgets.workflows.base.Workflow.memory`);
here that is compared with the workers' memory limit (dask's, per worker)
and with the memory this machine has free, and a job that would exhaust
either is refused with what it needs, what there is and what to do, instead
of letting a worker die halfway.
"""
from __future__ import annotations

from dataclasses import dataclass

import psutil

from ..errors import TooLargeError

# dask pauses a worker at 80 % of its limit: a task must fit below that.
HEADROOM = 0.8
# Below this, a job fits any worker and any client: asking the scheduler for its
# workers' limits (a round trip) is not worth it.
SMALL = 256 * 2**20


@dataclass(frozen=True)
class Estimate:
    """Peak memory of a job: ``per_task`` bytes on the worker running its largest
    task, ``client`` bytes in this process, and ``what`` dominates (in words,
    e.g. "a 20,000 x 20,000 network")."""

    per_task: int
    client: int = 0
    what: str = ""


def size(nbytes: float) -> str:
    """Bytes in words (``"3.2 GB"``)."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if nbytes < 1024 or unit == "GB":
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.1f} GB"


def worker_memory(client) -> int | None:
    """The smallest memory limit of the cluster's workers (None: no limit said)."""
    try:
        workers = client.scheduler_info()["workers"].values()
    except Exception:  # noqa: BLE001 - a client without worker info: nothing to check
        return None
    limits = [w.get("memory_limit") or 0 for w in workers]
    return min(limits) if limits and min(limits) > 0 else None


def check(estimate: Estimate | None, client) -> None:
    """Raise :class:`TooLargeError` when ``estimate`` does not fit the workers or
    this process."""
    if estimate is None or max(estimate.per_task, estimate.client) < SMALL:
        return
    limit = worker_memory(client)
    todo = ("Keep fewer variables (e.g. the top N by variance: top_variance=N in Python, "
            "--top-variance N on the command line, 'keep the N most variable' in the "
            "dashboard), or run on a dask cluster with more memory per worker "
            "(DASK_SCHEDULER_ADDRESS).")
    if limit is not None and estimate.per_task > HEADROOM * limit:
        raise TooLargeError(
            f"this job would need about {size(estimate.per_task)} in one worker "
            f"({estimate.what}), and the cluster's workers have {size(limit)} each "
            f"(at most {size(HEADROOM * limit)} usable)", hint=todo)
    free = psutil.virtual_memory().available
    if estimate.client > HEADROOM * free:
        raise TooLargeError(
            f"its result ({estimate.what}) would need about {size(estimate.client)} here, "
            f"and this machine has {size(free)} free", hint=todo)
