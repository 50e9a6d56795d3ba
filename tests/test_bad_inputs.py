"""The bad-input corpus (tests/data/bad/expected.json): every bad file gives an
InputError naming the file (and row/column where relevant), never another
exception; the good controls read with the expected notes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from renette_widgets.errors import InputError
from renette_widgets.io.networks import read_network
from renette_widgets.io.reader import read_matrix
from renette_widgets.io.checks import check_adjacency, check_data, check_network_set

BAD = Path(__file__).parent / "data" / "bad"
CASES = json.loads((BAD / "expected.json").read_text())["cases"]


def _case_id(case: dict) -> str:
    extra = case.get("check") or ""
    return "+".join(case["files"]) + (f"[{extra}]" if extra else "") + \
        ("[" + ",".join(f"{k}={v}" for k, v in case.get("read", {}).items()) + "]"
         if case.get("read") else "")


def run_case(case: dict):
    """Read the files and apply the case's check, as the API does."""
    frames = {f: read_network(BAD / f, **case.get("read", {})) if case["kind"] == "network"
              else read_matrix(BAD / f, kind=case["kind"], **case.get("read", {}))
              for f in case["files"]}
    check = case.get("check")
    if check == "data":
        frames = {f: check_data(df, **case.get("check_args", {})) for f, df in frames.items()}
    elif check == "symmetric":
        frames = {f: check_adjacency(df, symmetric=True) for f, df in frames.items()}
    elif check == "network_set":
        frames = check_network_set(frames)
    return frames


def test_corpus_covers_every_file():
    listed = {f for case in CASES for f in case["files"]}
    present = {p.name for p in BAD.iterdir() if p.name != "expected.json"}
    assert present == listed
    assert sum(c["outcome"] == "error" for c in CASES) >= 20
    # networks as edge lists, GraphML and GML (issue 25)
    assert sum(c["outcome"] == "error" and c["kind"] == "network" for c in CASES) >= 10


@pytest.mark.parametrize("case", [c for c in CASES if c["outcome"] == "error"], ids=_case_id)
def test_bad_file_gives_located_input_error(case):
    # Other exception types propagate and fail the test by themselves.
    with pytest.raises(InputError) as info:
        run_case(case)
    exc, message = info.value, str(info.value)
    for f in case["files"]:
        assert f in message, f"file name {f!r} missing from: {message}"
    for text in case.get("contains", []):
        assert text in message, f"{text!r} missing from: {message}"
    if "row" in case:
        assert exc.row == case["row"], message
    if "column" in case:
        assert exc.column == case["column"], message


@pytest.mark.parametrize("case", [c for c in CASES if c["outcome"] == "ok"], ids=_case_id)
def test_good_control_reads_with_notes(case):
    (df,) = run_case(case).values()
    assert list(df.shape) == case["shape"]
    assert (df.dtypes == "float64").all()
    notes = " ".join(df.attrs.get("notes", []))
    for text in case.get("notes", []):
        assert text in notes, f"{text!r} missing from notes: {notes}"


# The same files through the Python API (paths given to submit): the input
# layer refuses them before any job exists, so no cluster is needed.
API_CASES = [c for c in CASES if c["outcome"] == "error" and not c.get("read")
             and c.get("check") != "symmetric"]


@pytest.mark.parametrize("case", API_CASES, ids=_case_id)
def test_bad_file_through_the_api(case):
    from renette_widgets import api
    if case.get("check") == "network_set":
        workflow, params = "distance", {}
    elif case["kind"] in ("adjacency", "network"):  # networks: any format
        workflow, params = "statistics", {}
    else:
        workflow = "inference"
        params = {"method": case.get("check_args", {}).get("method", "cor")}
    paths = [str(BAD / f) for f in case["files"]]
    # A truthy stand-in client: were a bad file accepted, its job would fail
    # at once instead of starting a cluster, and the test fails below.
    with pytest.raises(InputError) as info:
        api.submit(workflow, paths, params, client=object(), store=False)
    for f in case["files"]:
        assert Path(f).stem in str(info.value), str(info.value)


def test_a_few_bad_files_through_the_dashboard_inputs_panel():
    """Uploaded bad files are listed with their message; the good one stays usable."""
    from upload_driver import upload

    from renette_widgets.widgets.inputs import InputsPanel
    from renette_widgets.widgets.session import Session

    cases = [c for c in CASES if c["outcome"] == "error" and c["kind"] == "data"
             and not c.get("read") and not c.get("check")]
    panel = InputsPanel(Session())
    files = [(c["files"][0], (BAD / c["files"][0]).read_bytes()) for c in cases]
    files.append(("ok_semicolon_decimal_comma.csv",
                  (BAD / "ok_semicolon_decimal_comma.csv").read_bytes()))
    upload(panel, *files)
    assert "ok_semicolon_decimal_comma" in panel.session.data
    for case in cases:
        name = case["files"][0]
        assert name in panel.failed, name
        for text in case.get("contains", []):
            assert text in panel.failed[name], (text, panel.failed[name])
        assert name in panel.rejected.value
