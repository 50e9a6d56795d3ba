"""Dashboard latency with the ``make run`` stack, in headless Chromium.

Starts the stack ``make run`` starts (dask scheduler, 2 R workers, Voila;
:class:`renette_widgets.serve.Stack`) with a private results store, then in
Chromium (Playwright):

- page load -> interactive: from ``goto`` to the dashboard's widgets drawn
  and answering (the "Example networks" button visible), and to the cluster
  line showing the connected workers;
- run -> first progress: after loading the example networks, from the click
  on "Compute distances" to the first feedback in the page (the "submitted
  job" notice) and to the first "N/M tasks done" progress message;
- click -> job row and job end -> first figure (issue 17): for the example
  inference (both conditions, cor), distance (the two example networks) and
  stability (condition A, defaults) jobs, and ReNette's ten test networks
  compared by position (45 pairs of 1000-node networks): from the click on
  the Run button to the job's row in the Jobs list, and from the job's end
  (``timings.finished`` in its manifest: its last task done and its result
  assembled) to its first figure drawn in the Results tab. Times are the
  browser's and the kernel's clocks, on the same machine.

Targets: interactive <= 5 s after load; first progress <= 1 s after run
(issue 6); click -> row <= 0.5 s and job end -> first figure <= 1.5 s (issue 17).
"""
from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from common import save, table

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# textContent, not innerText: the Jobs tab is hidden but its rows are in the page.
HAS_TEXT = "re => new RegExp(re).test(document.body.textContent)"


def load(browser, url: str) -> tuple[float, float, object]:
    """Seconds to an interactive page and to the cluster being shown; the page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    t0 = time.perf_counter()
    page.goto(url)
    page.get_by_role("button", name="Example networks").wait_for(state="visible")
    interactive = time.perf_counter() - t0
    page.wait_for_selector(".renette-cluster >> text=/workers? (ready|at tcp)/")
    return interactive, time.perf_counter() - t0, page


def run_once(page) -> tuple[float, float]:
    """Seconds from the click on Compute distances to the notice and to the first progress."""
    page.locator(".lm-TabBar-tab:visible", has_text=re.compile("^Distance$")).first.click()
    page.locator("select[multiple]:visible").select_option(["network_A", "network_B"])
    before = page.evaluate("() => (document.body.textContent.match(/tasks done/g) || []).length")
    t0 = time.perf_counter()
    page.get_by_role("button", name="Compute distances").click()
    page.wait_for_function(HAS_TEXT, arg="submitted job")
    notice = time.perf_counter() - t0
    page.wait_for_function(
        "n => (document.body.textContent.match(/tasks done|done: /g) || []).length > n",
        arg=before, polling=20)
    progress = time.perf_counter() - t0
    page.locator(".renette-matrix").first.wait_for()  # let the job finish before the next
    return notice, progress


# Marks the figures already in the page, so that the next one drawn is the new job's.
MARK_FIGURES = "() => document.querySelectorAll('.jp-RenderedPlotly').forEach(e => e.dataset.seen = 1)"
NEW_FIGURE = """() => {
    const e = [...document.querySelectorAll('.jp-RenderedPlotly')]
        .find(e => !e.dataset.seen && e.querySelector('.main-svg') && e.offsetParent);
    return e ? Date.now() : false; }"""
NEW_ROW = """n => document.querySelectorAll('.renette-status').length > n ? Date.now() : false"""


def tab(page, name: str) -> None:
    page.locator(".lm-TabBar-tab:visible", has_text=re.compile(f"^{name}$")).first.click()


def timed_job(page, home: Path, button: str) -> tuple[float, float]:
    """Click ``button``; seconds from the click to the job's row, and from the job's
    end (its manifest) to its first figure on screen."""
    from urllib.parse import parse_qs, urlparse

    from renette_widgets.jobs.workspace import Workspace
    page.evaluate(MARK_FIGURES)
    # the page's jobs are in its workspace's store (issue 16)
    store = Workspace(parse_qs(urlparse(page.url).query)["ws"][0], home=home).store
    rows = page.locator(".renette-status").count()
    before = {m["id"] for m in store.list()}
    t0 = page.evaluate("Date.now()")
    page.get_by_role("button", name=button).click()
    row = page.wait_for_function(NEW_ROW, arg=rows, polling=10).json_value()
    shown = page.wait_for_function(NEW_FIGURE, polling=10, timeout=600_000).json_value()
    for _ in range(600):  # the manifest is written once the page has the result
        new = [m for m in store.list() if m["id"] not in before]
        if new and new[0].get("timings", {}).get("finished"):
            break
        time.sleep(0.1)
    finished = datetime.fromisoformat(new[0]["timings"]["finished"]).timestamp() * 1000
    return (row - t0) / 1000, (shown - finished) / 1000


def job_feedback(browser, url: str, home: Path, reps: int) -> dict[str, list]:
    """Click -> row and job end -> first figure of the example jobs (and of the ten
    ReNette test networks once)."""
    out: dict[str, list] = {"inference": [], "distance": [], "stability": [], "test networks": []}
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(600_000)
    page.goto(url)
    page.get_by_role("button", name="Example networks").wait_for(state="visible")
    page.wait_for_selector(".renette-cluster >> text=/workers? (ready|at tcp)/")
    page.locator(".renette-ws-link").wait_for()  # the workspace is open: jobs may start
    for button in ("Example networks", "Example data (2 conditions)", "ReNette test networks (10)"):
        page.get_by_role("button", name=button).click()
    page.locator(".renette-table", has_text="test_data_10").wait_for()
    for _ in range(reps):
        tab(page, "Inference")
        page.locator("select[multiple]:visible").nth(0).select_option(["condition_A", "condition_B"])
        out["inference"].append(timed_job(page, home, "Infer networks"))
        tab(page, "Distance")
        page.locator("select[multiple]:visible").select_option(["network_A", "network_B"])
        out["distance"].append(timed_job(page, home, "Compute distances"))
        tab(page, "Stability")
        page.locator(".renette-stability-data select").select_option("condition_A")
        out["stability"].append(timed_job(page, home, "Run stability"))
    tab(page, "Distance")
    page.locator("select[multiple]:visible").select_option([f"test_data_{i}" for i in range(1, 11)])
    page.locator(".widget-dropdown:visible", has_text="node sets").locator("select") \
        .select_option(label="by position (names ignored)")
    out["test networks"].append(timed_job(page, home, "Compute distances"))
    context.close()
    return out


def main(quick: bool = False) -> None:
    from playwright.sync_api import sync_playwright
    from renette_widgets.serve import Stack
    reps = 2 if quick else 3
    loads, runs = [], []
    with tempfile.TemporaryDirectory() as tmp, \
            Stack(n_workers=2, voila=True, home=Path(tmp) / "home", log_dir=tmp) as stack, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        load(browser, stack.url)[2].context.close()  # warm-up: Voila's first kernel
        feedback = job_feedback(browser, stack.url, Path(tmp) / "home", reps)
        for _ in range(reps):
            inter, cluster, page = load(browser, stack.url)
            loads.append((inter, cluster))
            page.locator(".renette-ws-link").wait_for()  # the workspace is open: jobs may start
            page.locator(".lm-TabBar-tab:visible", has_text=re.compile("^Inputs$")).first.click()
            page.get_by_role("button", name="Example networks").click()
            page.locator(".renette-table", has_text="network_B").wait_for()
            runs.extend(run_once(page) for _ in range(2))
            page.context.close()
        browser.close()
    med = statistics.median
    table("Dashboard latency (make run stack, headless Chromium; medians)",
          ["load -> interactive s (<=5)", "load -> cluster shown s", "run -> notice s",
           "run -> first progress s (<=1)", "page loads", "runs"],
          [[med(l[0] for l in loads), med(l[1] for l in loads), med(r[0] for r in runs),
            med(r[1] for r in runs), len(loads), len(runs)]],
          f"max over runs: interactive {max(l[0] for l in loads):.2f} s, first progress "
          f"{max(r[1] for r in runs):.2f} s. Each page load starts a new Voila kernel.")
    table("Job feedback (issue 17; make run stack, headless Chromium; medians, max)",
          ["job", "click -> row s (<=0.5)", "max", "job end -> first figure s (<=1.5)", "max", "runs"],
          [[name, med(r[0] for r in rs), max(r[0] for r in rs), med(r[1] for r in rs),
            max(r[1] for r in rs), len(rs)] for name, rs in feedback.items()],
          "example inference: condition_A and condition_B, cor; distance: network_A vs network_B; "
          "stability: condition_A, defaults (montecarlo, k 3, h 20); test networks: ReNette's ten "
          "test networks by position (45 pairs of 1000-node networks).")
    save("dashboard", {"loads": loads, "runs": runs, "feedback": feedback})


if __name__ == "__main__":
    main("--quick" in sys.argv)
