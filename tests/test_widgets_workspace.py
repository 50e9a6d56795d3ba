"""Issue 23 without a browser: the workspace a page opens (a browser's own, a link's,
a notebook's), share links listed and revoked, and a running-jobs line that follows
the store."""
from __future__ import annotations

import json
import os
import socket

import pytest

from renette_widgets import cli
from renette_widgets.errors import InputError
from renette_widgets.jobs.workspace import Identity, Workspace, open_share
from renette_widgets.widgets.app import App, build_app
from renette_widgets.widgets.workspace import choose

A, B = "A" * 22, "B" * 22


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("RENETTE_HOME", str(tmp_path))
    for var in ("RENETTE_WORKSPACE", "VOILA_PREHEAT", "VOILA_BASE_URL", "VOILA_SERVER_URL",
                "JUPYTERHUB_USER"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_a_link_never_replaces_the_browsers_own_workspace():
    new = Identity("N" * 22, "new", "this link")
    # the plain address: the browser's own, or a new one that becomes its own
    assert choose(new, {"own": B, "known": [A, B]}) == (Identity(B, "link", "your own"), True)
    assert choose(new, {}) == (new, True)
    assert choose(new, {"own": "../x"}) == (new, True)  # not a key: ignored
    # someone else's link opens theirs, not as this browser's own
    link = Identity(A, "link", "this link")
    assert choose(link, {"own": B, "known": [B]}) == (link, False)
    assert choose(link, {}) == (link, False)
    assert choose(Identity(B, "link", "this link"), {"own": B})[1] is True


def page(identity: Identity, remembered: dict) -> App:
    """A page whose request named ``identity`` and whose browser remembers ``remembered``."""
    app = App(connect=False)
    app._identified(identity, None)
    if identity.kind == "new":  # the plain address: which workspace is the browser's to say
        assert app.session.workspace is None
    else:  # a link names it: open at once, the header waits for the browser
        assert app.session.workspace.key == identity.key
        assert "opening" in app.workspace_bar.who.value
    app.workspace_bar.address.remembered = remembered
    app.workspace_bar.address.reported = True
    addr = app.workspace_bar.address
    assert addr.token == app.session.workspace.key
    addr.shown = addr.token  # the browser put it in the address bar
    return app


def test_b_opens_as_link_then_the_plain_address_opens_bs_own_again(home):
    bob = page(Identity("N" * 22, "new", "this link"), {})  # B's first visit
    own = bob.session.workspace.key
    assert bob.workspace_bar.address.own and "your own" in bob.workspace_bar.who.value
    assert "anyone with it can change and delete" in bob.workspace_bar.who.value
    # B opens A's link: A's workspace, said to be not B's own, with the way back
    at_a = page(Identity(A, "link", "this link"), {"own": own, "known": [own]})
    bar = at_a.workspace_bar
    assert at_a.session.workspace.key == A and not bar.address.own
    assert "not this browser's own" in bar.who.value
    assert f"?ws={own}" in bar.switcher.value and "back to your own" in bar.switcher.value
    # B's plain address again: B's own, not A's
    again = page(Identity("M" * 22, "new", "this link"), {"own": own, "known": [A, own]})
    assert again.session.workspace.key == own and "your own" in again.workspace_bar.who.value
    assert f"?ws={A}" in again.workspace_bar.switcher.value


def test_in_a_notebook_the_cell_run_again_opens_the_same_workspace(home, monkeypatch):
    first = build_app(connect=False)
    key = first.session.workspace.key
    assert first.session.workspace.key == build_app(connect=False).session.workspace.key
    assert first.workspace_bar.address.token == ""  # JupyterLab's address bar is left alone
    assert f'build_app(workspace="{key}")' in first.workspace_bar.who.value
    assert build_app(workspace=A, connect=False).session.workspace.key == A
    monkeypatch.setenv("RENETTE_WORKSPACE", B)
    assert build_app(connect=False).session.workspace.key == B


def _job(ws: Workspace, job_id: str) -> None:
    (ws.store.jobs_dir / job_id).mkdir(parents=True, exist_ok=True)
    (ws.store.jobs_dir / job_id / "manifest.json").write_text(json.dumps(
        {"id": job_id, "workflow": "distance", "status": "done", "inputs": [{"name": "net1"}],
         "timings": {"created": "2026-12-01T00:00:00+00:00"}}))


def test_share_links_are_listed_and_revoked_in_the_page_and_the_cli(home, capsys):
    ws = Workspace(A)
    _job(ws, "job12345678")
    _job(ws, "otherjob99")
    app = App(workspace=ws, connect=False)
    first, second = ws.share("job12345678"), ws.share("otherjob99")
    app.session.emit("shares")
    shares = app.jobs.shares
    assert set(shares.rows) == {first, second}
    assert "distance of net1" in shares.list.children[0].children[1].value
    shares.rows[first].revoke_button.click()
    assert set(shares.rows) == {second}
    with pytest.raises(InputError, match="revoked"):
        open_share(first)
    assert open_share(second)[1] == "otherjob99"
    assert ws.share("job12345678") != first  # a new link, the revoked one stays revoked
    # the command line
    assert cli.main(["shares", "--workspace", A]) == 0
    listed = capsys.readouterr().out
    assert second in listed and first not in listed
    assert cli.main(["revoke", second, "--workspace", A]) == 0
    with pytest.raises(InputError, match="revoked"):
        open_share(second)
    assert cli.main(["revoke", "Z" * 22, "--workspace", A]) == 2  # not its link
    assert cli.main(["revoke", second, "--workspace", B]) == 2  # another workspace's


def _live(ws: Workspace, job_id: str, status: str = "running") -> None:
    folder = ws.store.jobs_dir / job_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "live.json").write_text(json.dumps(
        {"id": job_id, "workflow": "distance", "status": status, "done": 1, "total": 4,
         "params": {}, "inputs": [], "created": "2026-12-01T00:00:00+00:00",
         "started": "2026-12-01T00:00:01+00:00", "pid": os.getpid(), "host": socket.gethostname()}))


def test_the_running_line_follows_the_store_across_pages(home):
    ws = Workspace(A)
    one, two = App(workspace=ws, connect=False), App(workspace=Workspace(A), connect=False)
    _live(ws, "runningjob1")
    _live(ws, "runningjob2")
    for app in (one, two):
        app.jobs._look()
        assert "2 jobs running" in app.workspace_bar.use.value
    # one ends: its record says so while its results are written, then the manifest takes over
    _live(ws, "runningjob1", status="done")
    for app in (one, two):
        app.jobs._look()
        assert "1 job running" in app.workspace_bar.use.value
        assert app.jobs.rows["runningjob1"].job.status == "saving"
    (ws.store.jobs_dir / "runningjob2" / "live.json").unlink()
    _job(ws, "runningjob2")
    reloaded = App(workspace=Workspace(A), connect=False)
    for app in (one, two, reloaded):
        app.jobs._look()
        assert "no job running" in app.workspace_bar.use.value


def test_the_start_card_guides_a_first_job_and_goes_once_there_is_one(home):
    from renette_widgets.widgets.app import TITLES
    ws = Workspace(A)
    app = App(workspace=ws, connect=False)
    card = app.start
    assert card.layout.display is None  # a first visit
    card.guide.click()  # loads the example data, and opens the Inference tab with it chosen
    assert card.errors.text == ""
    assert set(app.inference.data.value) == {"condition_A", "condition_B"}
    assert app.inference.methods.value == ("cor",) and app.tabs.selected_index == TITLES.index("Inference")
    _job(ws, "firstjob123")
    app.jobs._look()
    assert card.layout.display == "none"
    assert App(workspace=Workspace(A), connect=False).start.layout.display == "none"


def test_parameters_read_as_words_not_json():
    from renette_widgets.widgets.words import params_words
    got = params_words({"method": "pearson", "cor_cutoff": 0.99, "fdr": 0.05, "top_variance": None,
                        "node_method_params": {"tol": 0.0}, "seed": 3}, "differential", quiet=("seed",))
    assert "FDR threshold = 5 %" in got and "correlation cutoff = 0.99" in got  # a level, a correlation
    assert "keep the N most variable = automatic" in got and "node method params (tol = 0)" in got
    assert "{" not in got and "seed" not in got
    assert params_words({"methods": {"cor": {"method": "pearson"}}}, "inference") == \
        "methods = cor (method = pearson)"


def test_a_count_that_may_be_automatic_shows_a_whole_number():
    from renette_widgets.io.params import TOP_VARIANCE
    from renette_widgets.widgets.form import widget_for
    box = widget_for(TOP_VARIANCE)
    assert box.value is None and box.number.value == 1000 and isinstance(box.number.value, int)
    box.auto.value = False
    assert box.value == 1000
