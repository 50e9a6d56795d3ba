"""The dashboard's kernel holds no network (issue 21): the peak memory of a process
that opens a stored 20,000-variable inference job in the Results panel (its
pictures read from the store a block at a time), against the same process
importing the panels only.

    python benchmarks/bench_frontend_memory.py [--quick] [--home URL]

The job is run first (100 x P cor, its network written by the workers); each
measurement is a fresh process (``ru_maxrss``).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time

import pandas as pd
from common import REPO, close_client, make_client, random_data, save, table

from renette_widgets import Store, workflows
from renette_widgets.jobs.job import Job

OPEN = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, {repo!r})
    from renette_widgets import Store
    from renette_widgets.api import load_job
    from renette_widgets.widgets.results import ResultsPanel
    from renette_widgets.widgets.session import Session
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if {open_job!r}:
        store = Store({home!r})
        panel = ResultsPanel(Session(store=store))
        panel.show(load_job({job_id!r}, store))
        import threading  # the strongest edges are read in a thread: until it is done
        for t in threading.enumerate():
            if t.name == "renette-top-edges":
                t.join()
    print(json.dumps({{"base_kb": base, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "seconds": time.perf_counter() - t0}}))
""")


def measure(home: str, job_id: str, open_job: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", OPEN.format(repo=str(REPO), home=home,
                                                            job_id=job_id, open_job=open_job)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(quick: bool = False, home: str | None = None) -> None:
    p = 3000 if quick else 20000
    tmp = tempfile.TemporaryDirectory(prefix="bench-frontend-")
    home = home or tmp.name
    store = Store(home)
    flow = workflows.get("inference")
    data = {"expr": pd.DataFrame(random_data(100, p, seed=3), columns=[f"g{j}" for j in range(p)])}
    client = make_client(2)
    try:
        t0 = time.perf_counter()
        job = Job(flow, data, flow.validate_params({"methods": {"cor": {}}}), client=client,
                  store=store).start().wait()
        infer_s = time.perf_counter() - t0
        assert job.status == "done", job.error
    finally:
        close_client(client)
    imports = measure(home, job.id, open_job=False)
    opened = measure(home, job.id, open_job=True)
    mb = 8 * p * p / 2**20
    rows = [["panels imported", f"{imports['peak_kb'] / 1024:.0f}", ""],
            [f"job of {p:,} variables opened ({mb:,.0f} MB network in the store)",
             f"{opened['peak_kb'] / 1024:.0f}", f"{opened['seconds']:.1f}"]]
    print(table(f"Peak memory of a dashboard kernel (store: {home.split('://')[0] if '://' in home else 'local'})",
                ["process", "peak RSS (MB)", "view built in (s)"], rows,
                note=f"inference job: {infer_s:.1f} s"))
    save("frontend_memory", {"p": p, "imports": imports, "opened": opened, "infer_s": infer_s})
    tmp.cleanup()


if __name__ == "__main__":
    args = sys.argv[1:]
    main(quick="--quick" in args, home=args[args.index("--home") + 1] if "--home" in args else None)
