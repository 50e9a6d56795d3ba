"""Workspaces: identity from the request, privacy, persistence, quotas, shares,
and the Jobs list following the workspace's store (no cluster, no browser)."""
from __future__ import annotations

import json
import os
import socket

import numpy as np
import pandas as pd
import pytest

from renette_widgets.errors import InputError
from renette_widgets.jobs.store import Store
from renette_widgets.jobs.workspace import Limits, Workspace, identify, open_share, user_key
from renette_widgets.widgets.jobs import JobsPanel, LiveJob, StoredJob
from renette_widgets.widgets.session import Session

TOKEN = "A" * 10 + "b" * 12


def frame(seed=0, n=12, p=5):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(n, p)), index=[f"s{i}" for i in range(n)],
                        columns=[f"g{j}" for j in range(p)])


def limits(**kw):
    base = {"jobs": 2, "bytes": 10 * 2**20, "matrix_bytes": 2**20, "retention_days": 7}
    return Limits(**{**base, **kw})


# ------------------------------------------------------------------ identity
def test_a_first_visit_makes_no_folder_until_something_is_kept(tmp_path):
    ws = Workspace(identify({}).key, home=tmp_path)
    Session(workspace=ws)
    assert not (tmp_path / "workspaces").exists()
    Session(workspace=ws).add("x", frame(), "data")
    assert (ws.root / "inputs.json").is_file()


def test_a_link_names_its_workspace_and_a_first_visit_gets_a_new_one():
    got = identify({"QUERY_STRING": f"ws={TOKEN}"})
    assert (got.key, got.kind) == (TOKEN, "link")
    a, b = identify({"QUERY_STRING": ""}), identify({})
    assert a.kind == b.kind == "new" and a.key != b.key and len(a.key) >= 22


@pytest.mark.parametrize("bad", ["short", "../../etc", "a" * 30 + "/x", "x" * 100])
def test_a_malformed_link_is_refused(bad):
    with pytest.raises(InputError, match="not valid"):
        identify({"QUERY_STRING": f"ws={bad}"})


def test_a_proxy_user_is_the_workspace_and_a_missing_one_is_refused():
    env = {"RENETTE_USER_HEADER": "X-Forwarded-User", "HTTP_X_FORWARDED_USER": "alice",
           "QUERY_STRING": f"ws={TOKEN}"}  # a link cannot stand in for the signed-in user
    got = identify(env)
    assert (got.key, got.kind, got.label) == (user_key("alice"), "user", "alice")
    assert user_key("alice") != user_key("Alice") and user_key("a/b") != user_key("a_b")
    with pytest.raises(InputError, match="X-Forwarded-User"):
        identify({"RENETTE_USER_HEADER": "X-Forwarded-User"})
    assert identify({"JUPYTERHUB_USER": "bob"}).key == user_key("bob")


# ------------------------------------------------------------------ privacy, persistence
def test_workspaces_keep_their_inputs_and_see_only_their_own(tmp_path):
    a, b = (Workspace(k, home=tmp_path, limits=limits()) for k in (TOKEN, "B" * 22))
    s = Session(workspace=a)
    s.add("expr", frame(), "data", origin="upload")
    s.add("net", frame(1, 5, 5).corr(), "adjacency", origin="upload")
    again = Session(workspace=Workspace(TOKEN, home=tmp_path, limits=limits()))
    pd.testing.assert_frame_equal(again.data["expr"], s.data["expr"], check_freq=False)
    np.testing.assert_array_equal(np.asarray(again.networks["net"]), s.networks["net"].to_numpy())
    assert again.origin == {"expr": "upload", "net": "upload"}
    other = Session(workspace=b)
    assert not other.data and not other.networks
    again.remove("expr")
    assert "expr" not in Session(workspace=Workspace(TOKEN, home=tmp_path)).data
    assert not list((a.root / "inputs").glob("expr*"))


def test_one_workspace_cannot_reach_anothers_jobs(tmp_path):
    a, b = (Workspace(k, home=tmp_path) for k in (TOKEN, "B" * 22))
    folder = a.store.jobs_dir / "job12345678"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(
        {"id": "job12345678", "workflow": "distance", "status": "done", "timings": {}}))
    assert [m["id"] for m in a.store.list()] == ["job12345678"] and b.store.list() == []
    with pytest.raises(InputError):
        b.store.manifest("job12345678")
    with pytest.raises(InputError):
        b.share("job12345678")
    for trick in ("../" + TOKEN, "..", "a/../../b"):
        with pytest.raises(InputError):
            Workspace(trick, home=tmp_path)


def test_a_share_link_opens_one_job_of_its_workspace(tmp_path):
    a = Workspace(TOKEN, home=tmp_path)
    for job in ("job12345678", "otherjob99"):
        (a.store.jobs_dir / job).mkdir(parents=True)
        (a.store.jobs_dir / job / "manifest.json").write_text(json.dumps({"id": job}))
    token = a.share("job12345678")
    assert a.share("job12345678") == token and a.share("otherjob99") != token
    store, job = open_share(token, home=tmp_path)
    assert (store.root, job) == (a.root, "job12345678")
    for bad in ("x" * 22, "../" + token, ""):
        with pytest.raises(InputError, match="opens nothing"):
            open_share(bad, home=tmp_path)
    a.store.delete("job12345678")
    with pytest.raises(InputError, match="opens nothing"):
        open_share(token, home=tmp_path)


# ------------------------------------------------------------------ quotas
def test_quotas_refuse_with_the_reason(tmp_path):
    ws = Workspace(TOKEN, home=tmp_path, limits=limits(jobs=1, bytes=50_000, matrix_bytes=400))
    with pytest.raises(InputError, match="largest matrix"):
        Session(workspace=ws).add("big", frame(n=12, p=5), "data")  # 480 bytes
    roomy = Workspace("C" * 22, home=tmp_path, limits=limits(bytes=1000, matrix_bytes=2**20))
    with pytest.raises(InputError, match="exceed its quota"):
        Session(workspace=roomy).add("big", frame(n=12, p=12), "data")  # 1152 bytes
    ws.check_submit()
    live = ws.store.jobs_dir / "runningjob1"
    live.mkdir(parents=True)
    (live / "live.json").write_text(json.dumps(_record("runningjob1")))
    with pytest.raises(InputError, match="1 jobs running"):
        ws.check_submit()
    (live / "live.json").unlink()
    (ws.root / "blob").write_bytes(b"\0" * 60_000)
    with pytest.raises(InputError, match="quota"):
        ws.check_submit()


# ------------------------------------------------------------------ the live list
def _record(job_id, pid=None, **kw):
    return {"id": job_id, "workflow": "inference", "status": "running", "done": 2, "total": 5,
            "message": "cor: 2/5 tasks done", "params": {"methods": [{"method": "cor"}]},
            "inputs": [{"name": "expr", "shape": [10, 5]}], "created": "2026-11-28T00:00:00+00:00",
            "started": "2026-11-28T00:00:01+00:00", "updated": "2026-11-28T00:00:02+00:00",
            "pid": pid or os.getpid(), "host": socket.gethostname(), **kw}


def test_the_jobs_list_follows_jobs_started_elsewhere(tmp_path):
    ws = Workspace(TOKEN, home=tmp_path)
    session = Session()
    panel = JobsPanel(session)
    session.bind(ws)
    folder = ws.store.jobs_dir / "elsewhere1"
    folder.mkdir(parents=True)
    (folder / "live.json").write_text(json.dumps(_record("elsewhere1")))
    panel.refresh()
    row = panel.rows["elsewhere1"]
    assert isinstance(row.job, LiveJob) and row.job.status == "running"
    assert "2/5" in row.message.value and row.cancel_button.disabled and row.delete_button.disabled
    assert "expr" in row.what.value and "methods = cor" in row.what.value
    (folder / "manifest.json").write_text(json.dumps(
        {"id": "elsewhere1", "workflow": "inference", "status": "done",
         "timings": {"created": "2026-11-28T00:00:00+00:00", "tasks": 5}}))
    panel.refresh()
    assert isinstance(panel.rows["elsewhere1"].job, StoredJob)
    assert panel.rows["elsewhere1"].job.status == "done"
    row = panel.rows["elsewhere1"]
    row.delete_button.click()
    assert folder.exists() and row.delete_button.description == "sure?"
    row.delete_button.click()
    assert not folder.exists() and "elsewhere1" not in panel.rows


def test_a_job_whose_process_is_gone_shows_as_interrupted(tmp_path):
    ws = Workspace(TOKEN, home=tmp_path)
    folder = ws.store.jobs_dir / "orphanjob1"
    folder.mkdir(parents=True)
    dead = 2**22 + 12345  # above the usual pid range
    (folder / "live.json").write_text(json.dumps(_record("orphanjob1", pid=dead)))
    session, panel = Session(), None
    panel = JobsPanel(session)
    session.bind(ws)
    row = panel.rows["orphanjob1"]
    assert row.job.status == "interrupted" and not row.delete_button.disabled
    assert ws.usage()["running"] == 0
    Store(ws.root).delete("orphanjob1")
    assert not folder.exists()


# ------------------------------------------------------------------ retention
def test_retention_removes_workspaces_unused_for_n_days_only(tmp_path):
    from renette_widgets.jobs.retention import sweep
    now = 1_900_000_000.0
    old, recent, running = (Workspace(k * 22, home=tmp_path) for k in "ORX")
    for ws in (old, recent, running):
        (ws.store.jobs_dir / "somejob123").mkdir(parents=True)
        (ws.store.jobs_dir / "somejob123" / "manifest.json").write_text(json.dumps({"id": "somejob123"}))
        ws.touch()
    (running.store.jobs_dir / "livejob123").mkdir()
    (running.store.jobs_dir / "livejob123" / "live.json").write_text(json.dumps(_record("livejob123")))
    for ws, days_ago in ((old, 8), (recent, 6), (running, 30)):
        t = now - days_ago * 86400
        os.utime(ws.root / "seen", (t, t))
    token = old.share("somejob123")
    keep = recent.share("somejob123")
    assert sweep(tmp_path, 0, now) == []
    assert sweep(tmp_path, 7, now) == [old.key]
    assert not old.root.exists() and recent.root.exists() and running.root.exists()
    with pytest.raises(InputError):
        open_share(token, home=tmp_path)
    assert open_share(keep, home=tmp_path)[1] == "somejob123"
