"""The bad-input corpus (tests/data/bad) through the dashboard, as a user meets it:
files rejected at upload are listed with their message; problems found when a job is
prepared are said in the panel that was about to submit it; good files load."""
import html
import json
from pathlib import Path

import pytest
from upload_driver import upload

from renette_widgets import Store
from renette_widgets.widgets.app import App

BAD = Path(__file__).parent / "data" / "bad"
CASES = json.loads((BAD / "expected.json").read_text())["cases"]


def _id(case: dict) -> str:
    return "+".join(case["files"]) + (f"-{case['check']}" if case.get("check") else "") + \
        ("-" + "-".join(f"{k}{v}" for k, v in case.get("check_args", {}).items()))


def _upload(app: App, kind: str, files: list[str]) -> None:
    app.inputs.kind.value = "adjacency" if kind == "network" else kind  # any network format
    upload(app.inputs, *[(f, (BAD / f).read_bytes()) for f in files])


@pytest.fixture
def app(tmp_path):
    return App(store=Store(tmp_path), connect=False)


def _shown(text: str, case: dict, name: str | None = None) -> None:
    """Every expected piece of the message, and the file (or data set) it is about."""
    for piece in case["contains"] + [name or case["files"][0]]:
        assert piece in text, f"{piece!r} not in {text!r}"


# Cases about reading (no special reader argument the panel does not offer).
READ_ERRORS = [c for c in CASES if c["outcome"] == "error" and not c.get("check") and not c.get("read")]


@pytest.mark.parametrize("case", READ_ERRORS, ids=_id)
def test_rejected_file_is_listed_with_its_message(app, case):
    _upload(app, case["kind"], case["files"])
    (name,) = case["files"]
    assert name in app.inputs.failed, f"{name} was accepted"
    _shown(app.inputs.failed[name], case)
    _shown(html.unescape(app.inputs.rejected.value), case)
    assert app.inputs.errors.text == ""


DATA_CHECKS = [c for c in CASES if c["outcome"] == "error" and c.get("check") == "data"]


@pytest.mark.parametrize("case", DATA_CHECKS, ids=_id)
def test_data_problem_is_said_in_the_inference_panel(app, case):
    _upload(app, "data", case["files"])
    name = Path(case["files"][0]).stem
    assert name in app.session.data
    app.inference.data.value = (name,)
    app.inference.methods.value = (case.get("check_args", {}).get("method", "cor"),)
    app.inference.run.click()
    _shown(app.inference.errors.text, case, name)  # the data set as named in the panels
    assert app.session.jobs == []


SET_CHECKS = [c for c in CASES if c.get("check") == "network_set"]


@pytest.mark.parametrize("case", SET_CHECKS, ids=_id)
def test_network_set_problem_is_said_in_the_distance_panel(app, case):
    _upload(app, "adjacency", case["files"])
    names = tuple(Path(f).stem for f in case["files"])
    app.distance.networks.value = names
    app.distance.run.click()
    for piece in case["contains"]:
        assert piece in app.distance.errors.text
    assert app.session.jobs == []


GOOD = [c for c in CASES if c["outcome"] == "ok"]


@pytest.mark.parametrize("case", GOOD, ids=_id)
def test_good_file_loads_with_its_notes(app, case):
    _upload(app, case["kind"], case["files"])
    name = Path(case["files"][0]).stem
    frames = app.session.data if case["kind"] == "data" else app.session.networks
    assert list(frames[name].shape) == case["shape"]
    loaded = html.unescape(app.inputs.loaded.value)
    for note in case.get("notes", []):
        assert note in loaded
