"""A quick job while another workspace's long job runs (issue 16), on the ``make run`` stack.

What the load test used to assert (quick jobs within 3 x their idle time), measured
here instead: tests assert no duration (the machine is shared), benchmarks print
ratios measured in the same run.

- quick job: a distance job between three 30-node networks through the API,
  submit to done, ``REPEAT`` in a row (median), on an idle cluster and then
  while a long MINE inference job of another workspace runs;
- the stack: scheduler and 2 R workers as ``make run`` starts them
  (:class:`renette_widgets.serve.Stack`, no Voila): every worker but the first
  offers the ``long`` resource, so a quick job always finds a worker.

Run: ``.venv/bin/python benchmarks/bench_fairness.py [--quick]``; the table goes to
benchmarks/RESULTS.md, "Many users".
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from common import quick_nets, random_data, save, table

from renette_widgets import api
from renette_widgets.jobs.workspace import Workspace, new_token
from renette_widgets.serve import Stack

REPEAT = 5
#: The issue's bound on the ratio (reported, not enforced).
SLOWDOWN = 3.0


def quick_times(client, store, n: int, first_seed: int) -> list[float]:
    """Wall seconds of ``n`` quick distance jobs one after the other (new networks
    each time: no spectrum from the cache), submit to done."""
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        api.submit("distance", quick_nets(first_seed + i), {}, client=client,
                   store=store).wait(300).raise_for_status()
        times.append(time.perf_counter() - t0)
    return times


def main(quick: bool = False) -> None:
    cols = 60 if quick else 240  # MINE on 60 x 240: about a minute of the cluster here
    with tempfile.TemporaryDirectory() as home, \
            Stack(n_workers=2, voila=False, home=home, log_dir=Path(home) / "logs") as stack:
        from distributed import Client
        client = Client(stack.scheduler_address, set_as_default=False)
        store = Workspace(new_token(), home=home).store
        quick_times(client, store, 2, 0)  # warm: R started, package loaded
        idle = quick_times(client, store, REPEAT, 100)
        data = pd.DataFrame(random_data(60, cols, seed=7), columns=[f"v{j}" for j in range(cols)])
        mine = api.submit("inference", {"long": data}, {"method": "MINE"}, client=client,
                          store=Workspace(new_token(), home=home).store)
        deadline = time.monotonic() + 600
        # its first tasks hold the workers that take long tasks
        while mine.done < 2 and mine.status in ("pending", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
        busy = quick_times(client, store, REPEAT, 200)
        overlapped = mine.status == "running"
        mine.wait(1800)
        client.close()
    ratio = statistics.median(busy) / statistics.median(idle)
    table("A quick job while a long one runs",
          ["quick job idle s (median)", "while MINE runs s (median)",
           f"ratio (<= {SLOWDOWN:g})", "MINE job s", "MINE tasks", "overlapped"],
          [[statistics.median(idle), statistics.median(busy), ratio, mine.elapsed, mine.total,
            "yes" if overlapped else "no: make the long job longer"]],
          f"quick job: distance between three 30-node networks; long job: MINE on 60 x {cols}; "
          "the make run stack with 2 workers (the first takes no long task).")
    save("fairness", {"idle": idle, "busy": busy, "ratio": ratio, "mine_s": mine.elapsed,
                      "mine_tasks": mine.total, "overlapped": overlapped, "cols": cols})


if __name__ == "__main__":
    main("--quick" in sys.argv)
