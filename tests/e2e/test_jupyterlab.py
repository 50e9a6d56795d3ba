"""Issue 23 in JupyterLab (headless Chromium): the dashboard cell run twice opens the
notebook's own workspace both times, with its jobs; JupyterLab's address bar is left
alone; the job rows' buttons show their whole labels at 1400 px."""
from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, shot

from renette_widgets import api
from renette_widgets.jobs.workspace import Workspace
from renette_widgets.serve import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def lab(dashboard, tmp_path_factory):
    """A JupyterLab server on a copy of the dashboard's notebook, with the dashboard's
    results store and cluster; yields (url, token)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(REPO / "notebooks" / "renette.ipynb", root / "renette.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "RENETTE_HOME": str(dashboard.home),
           "DASK_SCHEDULER_ADDRESS": dashboard.scheduler_address,
           "PYTHONPATH": os.pathsep.join([str(REPO)] + ([os.environ["PYTHONPATH"]]
                                                        if os.environ.get("PYTHONPATH") else []))}
    env.pop("RENETTE_WORKSPACE", None)
    log = open(root.parent / "lab.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", "--allow-root", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):  # noqa: S310
                break
        except OSError:
            assert proc.poll() is None, (root.parent / "lab.log").read_text()[-3000:]
            time.sleep(0.5)
    yield url, token
    proc.terminate()
    proc.wait(30)
    log.close()


def run_cell(page, count: int) -> str:
    """Run the dashboard's cell (its ``count``-th run); the workspace key its output shows."""
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
    cell = page.locator(".jp-Notebook .jp-Cell").first
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Escape")  # command mode: Ctrl+Enter runs the cell and stays on it
    page.keyboard.press("Control+Enter")
    cell.locator(".jp-InputPrompt", has_text=f"[{count}]").wait_for(timeout=120_000)
    key = cell.locator(".renette-app .renette-ws-key")
    key.wait_for(timeout=120_000)
    return key.inner_text()


def test_the_cell_run_twice_opens_the_same_workspace_with_its_jobs(browser, dashboard, lab, shots):
    url, token = lab
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/lab/tree/renette.ipynb?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    key = run_cell(page, 1)
    assert "ws=" not in page.url  # JupyterLab's address is its own
    # a job in the notebook's workspace (from the API, as from another notebook)
    from distributed import Client
    nets = {n: pd.DataFrame(np.eye(5) + 0.1 * i, index=list("abcde"), columns=list("abcde"))
            for i, n in enumerate(("lab_net_1", "lab_net_2"), 1)}
    with Client(dashboard.scheduler_address, set_as_default=False) as client:
        job = api.submit("distance", nets, {}, client=client, store=Workspace(key, home=dashboard.home).store)
        job.wait(120)
    assert run_cell(page, 2) == key  # the same workspace, not a new empty one
    app = page.locator(".jp-Notebook .jp-Cell").first.locator(".renette-app")
    app.locator(".lm-TabBar-tab", has_text=re.compile("^Jobs$")).click()
    row = app.locator(".renette-job-row", has_text="lab_net_1")
    row.wait_for()
    assert "ws=" not in page.url
    # whole button labels, and a one-line description
    cut = page.evaluate("""() => Array.from(document.querySelectorAll('.renette-job-row')).filter(r => r.offsetParent)
        .flatMap(r => { const R = r.getBoundingClientRect(), out = r.scrollWidth > r.clientWidth + 1 ? ['row'] : [];
            r.querySelectorAll('button').forEach(b => { if (b.scrollWidth > b.clientWidth + 1
                || b.getBoundingClientRect().right > R.right + 1) out.push(b.innerText); });
            return out; })""")
    assert cut == [], cut
    what = row.locator(".renette-job-what")
    assert what.evaluate("e => e.getClientRects().length") == 1  # one line
    shot(page, shots, "jupyterlab_same_workspace")
    ctx.close()
