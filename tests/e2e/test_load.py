"""Issue 16's load test against the real stack: while one user's long MINE job
runs, quick jobs still run, and several users at once (browser contexts) each
upload, infer, compare and read their results: every job done with the right
numbers, none lost, nobody seeing anybody else's. Issue 16 asked for 8 users;
``make test`` runs 3 (its time budget), ``RENETTE_LOAD_USERS=8 pytest
tests/e2e/test_load.py`` the 8.

How long things took is printed, not asserted (the machine is shared; recorded in
benchmarks/RESULTS.md, "Many users"). That a long job leaves a worker free for
quick ones is tested without clocks in tests/test_fairness.py."""
from __future__ import annotations

import asyncio
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, write_data
from waiting import wait_until

from renette_widgets import api
from renette_widgets.io.arrays import as_frame
from renette_widgets.jobs.workspace import Workspace, new_token

# the quick jobs' networks are those benchmarks/bench_fairness.py times
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from common import quick_nets  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1200)]
USERS = int(os.environ.get("RENETTE_LOAD_USERS", "3"))


def quick_times(client, store, n: int) -> list[float]:
    """Wall seconds of ``n`` quick distance jobs, one after the other, as a page
    sees them (submit to done)."""
    times = []
    for i in range(n):
        start = time.monotonic()
        api.submit("distance", quick_nets(i), {}, client=client, store=store).wait(120).raise_for_status()
        times.append(time.monotonic() - start)
    return times


async def one_user(browser, url: str, i: int, folder) -> dict:
    """Upload two data matrices, infer their networks (cor), compare them (HIM),
    read the results; returns what the test checks."""
    names = [f"user{i}_cond{c}" for c in (1, 2)]
    files = write_data(folder, names, 30, 12, seed=100 + i)
    ctx = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(240_000)
    t0 = time.monotonic()
    await page.goto(url)
    await page.locator(".renette-ws-link").wait_for()
    opened = time.monotonic() - t0
    async with page.expect_file_chooser() as chooser:
        await page.get_by_role("button", name=re.compile("Upload files")).click()
    await (await chooser.value).set_files(files)
    await page.locator(".renette-table", has_text=names[1]).wait_for()
    await page.locator(".lm-TabBar-tab:visible", has_text=re.compile("^Inference$")).first.click()
    await page.locator("select[multiple]:visible").nth(0).select_option(names)
    await page.locator("select[multiple]:visible").nth(1).select_option(label=["cor · correlation"])
    await page.get_by_role("button", name="Infer networks").click()
    await page.locator(".renette-threshold:visible", has_text=f"{names[0]}_cor").wait_for()
    await page.locator(".lm-TabBar-tab:visible", has_text=re.compile("^Distance$")).first.click()
    await page.locator("select[multiple]:visible").select_option([f"{n}_cor" for n in names])
    await page.get_by_role("button", name="Compute distances").click()
    await page.locator(".renette-matrix", has_text=f"{names[1]}_cor").wait_for()
    await page.locator(".lm-TabBar-tab:visible", has_text=re.compile("^Jobs$")).first.click()
    # the list shows both of this user's jobs done (it reads the store every second)
    await page.wait_for_function("() => Array.from(document.querySelectorAll('.renette-status'))"
                                 ".filter(e => e.innerText.includes('done')).length >= 2")
    text = await page.locator(".renette-app").inner_text()
    # the browser puts its workspace's key in the address bar once the kernel said it
    await page.wait_for_url(re.compile(r"[?&]ws="))
    key = parse_qs(urlparse(page.url).query)["ws"][0]
    await ctx.close()
    return {"key": key, "names": names, "files": files, "text": text, "opened": opened,
            "elapsed": time.monotonic() - t0}


def run_users(url: str, folder) -> list[dict]:
    """The users, at once, in a browser of their own (async playwright, in a
    thread: the session's browser is the sync API's)."""
    out: list = []

    async def main() -> None:
        from playwright.async_api import async_playwright
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            out.extend(await asyncio.gather(*(one_user(browser, url, i, folder)
                                              for i in range(USERS)), return_exceptions=True))
            await browser.close()
    t = threading.Thread(target=lambda: asyncio.run(main()))
    t.start()
    t.join()
    return out


def test_users_at_once_and_a_long_job(dashboard, tmp_path):
    from distributed import Client
    home = dashboard.home
    with Client(dashboard.scheduler_address, set_as_default=False) as client:
        quick = Workspace(new_token(), home=home).store
        # a few quick jobs idle and while the long one runs: that they run is checked,
        # their times are printed (benchmarks/bench_fairness.py measures them)
        idle = quick_times(client, quick, 2)
        # someone's long MINE job
        rng = np.random.default_rng(7)
        # about as long as the users' part below on this machine: it loads the cluster
        # while they open their pages, and the test does not wait long for it after
        data = pd.DataFrame(rng.normal(size=(60, 170)), columns=[f"v{j}" for j in range(170)])
        mine = api.submit("inference", {"long": data}, {"method": "MINE"}, client=client,
                          store=Workspace(new_token(), home=home).store)
        wait_until(lambda: mine.done >= 2 or mine.status != "running", 600,
                   "the long job's first tasks", interval=0.2)
        busy = quick_times(client, quick, 2)
        mine_running = mine.status == "running"
        t0 = time.monotonic()
        users = run_users(dashboard.url, tmp_path)
        users_s = time.monotonic() - t0
        mine_during_users = mine.status == "running"
        mine.wait(900)
        print(f"\nquick distance job, idle: median {statistics.median(idle):.3f} s "
              f"({', '.join(f'{t:.3f}' for t in idle)})"
              f"\nquick distance job while MINE runs: median {statistics.median(busy):.3f} s "
              f"({', '.join(f'{t:.3f}' for t in busy)}); ratio "
              f"{statistics.median(busy) / statistics.median(idle):.2f}"
              f"\nMINE job: {mine.elapsed:.1f} s, {mine.total} tasks, {mine.status}"
              f"{' (still running when the users were done)' if mine_during_users else ''}"
              f"\n{USERS} users at once: {users_s:.1f} s; each "
              + ", ".join(f"{u['elapsed']:.1f}" for u in users if isinstance(u, dict))
              + "; page open " + ", ".join(f"{u['opened']:.1f}" for u in users if isinstance(u, dict)))
        assert mine_running, "the long job ended before the quick jobs ran: make it longer"
        assert mine.status == "done"
        errors = [u for u in users if not isinstance(u, dict)]
        assert not errors, [f"{type(e).__name__}: {str(e)[:500]}" for e in errors]
        assert len({u["key"] for u in users}) == USERS
        for u in users:
            others = [n for v in users if v is not u for n in v["names"]]
            assert not any(n in u["text"] for n in others)
            store = Workspace(u["key"], home=home).store
            jobs = {m["workflow"]: m for m in store.list()}
            assert set(jobs) == {"inference", "distance"} and len(store.list()) == 2
            assert all(m["status"] == "done" for m in jobs.values())
            nets = api.load_result(jobs["inference"]["id"], store)["networks"]
            for name, file in zip(u["names"], u["files"]):
                x = pd.read_csv(file, index_col=0).to_numpy()
                want = np.abs(np.corrcoef(x, rowvar=False))  # nettools' cor: |r|, zero diagonal
                np.fill_diagonal(want, 0)
                got = np.asarray(nets[f"{name}_cor"])
                np.testing.assert_allclose(got, want, atol=1e-10)
            dist = api.load_result(jobs["distance"]["id"], store)
            again = api.distance({n: as_frame(v) for n, v in nets.items()}, client=client, store=False)
            for metric in ("H", "IM", "HIM"):
                np.testing.assert_allclose(np.asarray(dist[metric]), np.asarray(again[metric]),
                                           rtol=1e-10, atol=1e-12)
