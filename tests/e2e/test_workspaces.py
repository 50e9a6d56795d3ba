"""Issue 16 in headless Chromium against the real stack: two users each in their
own workspace, a share link, a reload that keeps everything, and a Jobs list that
follows jobs started from another page or from the API."""
from __future__ import annotations

import re
import urllib.request
from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd
import pytest
from conftest import shot, write_data
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_dashboard import JOB_TIMEOUT, run, select_networks, tab, upload
from waiting import wait_until

from renette_widgets import api
from renette_widgets.jobs.workspace import Workspace

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]
SECRET = ["alice_secret_1", "alice_secret_2"]


def open_page(context, url: str):
    # a page of a new browser context may wait up to 60 s for the browser's report of
    # its workspaces before it opens one (widgets/workspace.py), on a loaded machine
    # on top of a kernel's start: the waits here are longer than that
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    # a new browser's page waits up to 60 s for the browser to say which workspaces
    # it knows before it opens one (widgets/workspace.py): more than that here
    page.locator(".renette-ws-link").wait_for(timeout=120_000)
    return page


def ws_key(page) -> str:
    return parse_qs(urlparse(page.url).query)["ws"][0]


def job_rows(page) -> list[str]:
    return page.locator(".renette-app code").all_inner_texts()


@pytest.fixture(scope="module")
def users(browser, dashboard, tmp_path_factory):
    """Alice and Bob, each a browser context of their own; Alice has uploaded two
    data matrices and inferred their networks."""
    files = write_data(tmp_path_factory.mktemp("alice"), SECRET, 25, 9, seed=16)
    alice_ctx, bob_ctx = browser.new_context(), browser.new_context()
    alice = open_page(alice_ctx, dashboard.url)
    upload(alice, files)
    alice.locator(".renette-table", has_text=SECRET[1]).wait_for()
    tab(alice, "Inference")
    alice.locator("select[multiple]:visible").nth(0).select_option(SECRET)
    alice.locator("select[multiple]:visible").nth(1).select_option(label=["cor · correlation"])
    run(alice, "Infer networks")
    alice.locator(".renette-threshold:visible", has_text=f"{SECRET[0]}_cor").wait_for(timeout=JOB_TIMEOUT)
    bob = open_page(bob_ctx, dashboard.url)
    yield {"alice": alice, "bob": bob, "alice_ctx": alice_ctx, "bob_ctx": bob_ctx}
    alice_ctx.close()
    bob_ctx.close()


def test_bob_never_sees_alices_work(users, dashboard):
    alice, bob = users["alice"], users["bob"]
    assert ws_key(alice) != ws_key(bob)
    home = dashboard.home
    jobs = [p.name for p in (Workspace(ws_key(alice), home=home).store.jobs_dir).iterdir()]
    assert len(jobs) == 1
    tab(bob, "Jobs")
    # Bob's list shows a job of his own, started from the API, once it has looked at
    # the store (it looks every second): it has looked since Alice's job was stored
    from distributed import Client
    nets = {n: pd.DataFrame(np.eye(4) + 0.1, index=list("abcd"), columns=list("abcd"))
            for n in ("bob_1", "bob_2")}
    with Client(dashboard.scheduler_address, set_as_default=False) as client:
        own = api.submit("distance", nets, {}, client=client,
                         store=Workspace(ws_key(bob), home=home).store).wait(120)
    assert own.status == "done", own.error
    bob.locator(".renette-app", has_text="bob_1").wait_for()
    text = bob.locator(".renette-app").inner_text()
    assert jobs[0] not in text and "alice" not in text
    assert jobs[0] not in job_rows(bob)
    # neither his own workspace link nor a share link made of a job id opens it
    for query in (f"?ws={ws_key(bob)}&share={jobs[0]}", f"?share={jobs[0]}"):
        page = bob.context.new_page()
        page.set_default_timeout(120_000)
        page.goto(dashboard.url + query)
        page.locator(".renette-workspace", has_text=re.compile("opens nothing|not valid")).wait_for()
        assert "alice" not in page.locator(".renette-app").inner_text()
        page.close()
    # nothing of the store is served as a file
    rel = f"workspaces/{ws_key(alice)}/jobs/{jobs[0]}/manifest.json"
    for path in (f"voila/files/{rel}", f"files/{rel}", f"api/contents/{rel}", "api/contents",
                 f"voila/files/{home}/{rel}"):
        try:
            with urllib.request.urlopen(dashboard.url + path, timeout=10) as r:  # noqa: S310
                body = r.read().decode("utf-8", "replace")
        except OSError:
            continue  # 403 / 404
        assert jobs[0] not in body and "workflow" not in body, path


def test_a_share_link_opens_the_results_read_only(users, dashboard):
    alice, bob = users["alice"], users["bob"]
    tab(alice, "Results")
    alice.get_by_role("button", name="share read-only link").click()
    href = alice.locator("a.renette-share").get_attribute("href")
    assert href.startswith("?share=")
    page = bob.context.new_page()
    page.goto(dashboard.url + href)
    page.locator(".renette-shared").wait_for()
    try:
        page.locator(".renette-threshold", has_text=f"{SECRET[0]}_cor").wait_for(timeout=JOB_TIMEOUT)
    except PlaywrightTimeout:
        raise AssertionError("the shared page shows no network view; it reads:\n"
                             + page.locator("body").inner_text()) from None
    assert page.get_by_role("button", name=re.compile("zip of the job folder")).count() == 0 or \
        not page.get_by_role("button", name=re.compile("zip of the job folder")).is_visible()
    assert page.locator(".lm-TabBar-tab", has_text=re.compile("^Inputs$")).count() == 0
    page.close()


def test_a_colleagues_link_never_takes_over_yours(users, dashboard, shots):
    """Issue 23: Bob opens Alice's workspace link; it is said to be not his own, and
    his plain address opens his own workspace again."""
    alice, bob = users["alice"], users["bob"]
    own, theirs = ws_key(bob), ws_key(alice)
    assert "your own" in bob.locator(".renette-ws-which").inner_text()
    assert "anyone with it can change and delete" in bob.locator(".renette-workspace").inner_text()
    page = bob.context.new_page()
    page.set_default_timeout(120_000)
    page.goto(dashboard.url + f"?ws={theirs}")
    page.locator(".renette-ws-which", has_text="opened by its link").wait_for()
    assert ws_key(page) == theirs
    page.locator(".renette-ws-own").wait_for()  # the way back to his own
    shot(page, shots, "workspace_link_of_another")
    page.goto(dashboard.url)  # the plain address
    page.locator(".renette-ws-which", has_text="your own").wait_for()
    page.wait_for_function("k => new URL(location.href).searchParams.get('ws') === k", arg=own)
    assert ws_key(page) == own
    # the switcher lists Alice's workspace, opened on purpose by its link
    page.locator(".renette-switcher summary").click()
    assert page.locator(f".renette-ws-switch[href='?ws={theirs}']").is_visible()
    shot(page, shots, "workspace_own_again")
    page.close()


def test_a_revoked_share_link_opens_nothing(users, dashboard, shots):
    alice, bob = users["alice"], users["bob"]
    tab(alice, "Jobs")
    listed = alice.locator(".renette-share-listed")
    listed.first.wait_for()
    href = listed.first.get_attribute("href")
    shot(alice, shots, "workspace_share_links")
    alice.locator(".renette-shares").get_by_role("button", name="revoke").first.click()
    alice.locator(f".renette-share-listed[href='{href}']").wait_for(state="detached")
    page = bob.context.new_page()
    page.goto(dashboard.url + href)
    page.locator(".renette-workspace", has_text="revoked").wait_for(timeout=60_000)
    assert page.locator(".renette-threshold").count() == 0
    shot(page, shots, "workspace_share_revoked")
    page.close()


def test_a_reload_keeps_inputs_networks_and_jobs(users, dashboard):
    alice = users["alice"]
    key = ws_key(alice)
    alice.reload()
    alice.locator(".renette-ws-link").wait_for()
    assert ws_key(alice) == key
    table = alice.locator(".renette-table", has_text=f"{SECRET[1]}_cor").first
    table.wait_for()
    assert all(name in table.inner_text() for name in SECRET)
    tab(alice, "Jobs")
    alice.locator(".renette-status", has_text="done").first.wait_for()
    # the inferred networks are inputs of a distance job, without an upload
    tab(alice, "Distance")
    select_networks(alice, [f"{n}_cor" for n in SECRET])
    run(alice, "Compute distances")
    alice.locator(".renette-matrix", has_text=f"{SECRET[1]}_cor").wait_for(timeout=JOB_TIMEOUT)
    ws = Workspace(key, home=dashboard.home)
    done = [m for m in ws.store.list() if m["workflow"] == "distance"]
    assert len(done) == 1 and done[0]["status"] == "done"
    got = api.load_result(done[0]["id"], ws.store)
    assert got["HIM"].shape == (2, 2) and got["HIM"].iloc[0, 1] > 0
    # the running-jobs line follows the store: nothing runs, and a reload says the same
    alice.locator(".renette-running", has_text="no job running").wait_for(timeout=10_000)
    alice.reload()
    alice.locator(".renette-running", has_text="no job running").wait_for()


def test_jobs_from_another_page_and_the_api_appear_without_a_click(users, dashboard):
    alice = users["alice"]
    tab(alice, "Jobs")
    before = alice.locator(".renette-status").count()
    other = open_page(users["alice_ctx"], dashboard.url + f"?ws={ws_key(alice)}")
    tab(other, "Inputs")
    # .first: the result opened last reopens too, and its tables name the networks
    other.locator(".renette-table", has_text=f"{SECRET[1]}_cor").first.wait_for()
    tab(other, "Distance")
    select_networks(other, [f"{n}_cor" for n in SECRET])
    other.get_by_role("button", name="Compute distances").click()
    # listed by itself (how soon is the list's look a second, not asserted here)
    alice.wait_for_function("n => document.querySelectorAll('.renette-status').length > n",
                            arg=before, polling=50, timeout=60_000)
    other.close()
    # from the API, with the workspace's key
    from distributed import Client
    ws = Workspace(ws_key(alice), home=dashboard.home)
    nets = {n: pd.DataFrame(np.eye(5) + 0.1, index=list("abcde"), columns=list("abcde"))
            for n in ("api_1", "api_2")}
    count = alice.locator(".renette-status").count()
    with Client(dashboard.scheduler_address, set_as_default=False) as client:
        job = api.submit("distance", nets, {}, client=client, store=ws.store)
        alice.wait_for_function("n => document.querySelectorAll('.renette-status').length > n",
                                arg=count, polling=50, timeout=60_000)
        job.wait(120)
    # a job another page or process started counts as running here until it ends
    alice.locator(".renette-running", has_text="no job running").wait_for(timeout=JOB_TIMEOUT)
    alice.locator(".renette-app", has_text="api_1").wait_for()


def test_behind_a_proxy_the_workspace_is_the_signed_in_user(browser, tmp_path, monkeypatch):
    """RENETTE_USER_HEADER: the proxy's header names the user (Voila hands it to the
    kernel); the same user from two browsers is one workspace; no header, no page."""
    from renette_widgets.jobs.workspace import user_key
    from renette_widgets.serve import Stack
    monkeypatch.setenv("RENETTE_USER_HEADER", "X-Forwarded-User")
    with Stack(n_workers=0, home=tmp_path / "home", log_dir=tmp_path / "logs") as stack:
        seen = {}
        for who in ("alice", "bob", "alice"):
            ctx = browser.new_context(extra_http_headers={"X-Forwarded-User": who})
            page = ctx.new_page()
            page.set_default_timeout(120_000)
            page.goto(stack.url)
            header = page.locator(".renette-workspace", has_text="signed in")
            header.wait_for()
            assert f"Workspace of {who}" in header.inner_text() and "?ws=" not in page.url
            # the key is in the header's details (behind its toggle)
            details = page.locator(".renette-details").text_content()
            seen.setdefault(who, []).append(user_key(who) in details)
            ctx.close()
        assert seen == {"alice": [True, True], "bob": [True]}
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(stack.url)
        page.locator(".renette-workspace", has_text="X-Forwarded-User").wait_for(timeout=60_000)
        assert page.locator(".lm-TabBar-tab:visible").count() == 0
        ctx.close()


def test_a_page_closed_while_its_job_runs_loses_nothing(browser, dashboard, tmp_path):
    """The job lives in the page's kernel: the kernel waits for it, then ends."""
    slow = write_data(tmp_path, ["slow"], 60, 160, seed=3)
    ctx = browser.new_context()
    existing = {k["id"] for k in dashboard.kernels() if not k.get("pool")}
    page = open_page(ctx, dashboard.url)
    upload(page, slow)
    page.locator(".renette-table", has_text="slow").wait_for()
    tab(page, "Inference")
    page.locator("select[multiple]:visible").nth(0).select_option(["slow"])
    page.locator("select[multiple]:visible").nth(1).select_option(label=["MINE · maximal information (MIC)"])
    run(page, "Infer networks")
    key = ws_key(page)
    mine = {k["id"] for k in dashboard.kernels() if not k.get("pool")} - existing
    assert len(mine) == 1
    page.close(run_before_unload=True)
    ctx.close()
    store = Workspace(key, home=dashboard.home).store
    wait_until(store.list, 300, "the closed page's job in its store", interval=1)
    assert [(m["workflow"], m["status"]) for m in store.list()] == [("inference", "done")]
    assert mine & {k["id"] for k in dashboard.kernels()}, "the kernel should have waited"
    # then its kernel goes (it looks every few seconds)
    wait_until(lambda: not mine & {k["id"] for k in dashboard.kernels()}, 300,
               "the closed page's kernel to end", interval=1)
