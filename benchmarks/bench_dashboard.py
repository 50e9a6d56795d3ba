"""Dashboard latency with the ``make run`` stack, in headless Chromium.

Starts the stack ``make run`` starts (dask scheduler, 2 R workers, Voila;
:class:`renette_widgets.serve.Stack`) with a private results store, then in
Chromium (Playwright):

- page load -> interactive: from ``goto`` to the dashboard's widgets drawn
  and answering (the "Example networks" button visible), and to the cluster
  line showing the connected workers;
- run -> first progress: after loading the example networks, from the click
  on "Compute distances" to the first feedback in the page (the "submitted
  job" notice) and to the first "N/M tasks done" progress message.

Targets (issue 6): interactive <= 5 s after load; first progress <= 1 s after run.
"""
from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
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
    page.wait_for_selector(".renette-cluster >> text=/workers? at tcp/")
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
        for _ in range(reps):
            inter, cluster, page = load(browser, stack.url)
            loads.append((inter, cluster))
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
    save("dashboard", {"loads": loads, "runs": runs})


if __name__ == "__main__":
    main("--quick" in sys.argv)
