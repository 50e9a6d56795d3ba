"""Nothing a user types is executed: parameters are validated before a job is
submitted, and the R call layer receives typed values only (a string stays a
string in R, it is never parsed as code)."""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from renette_widgets import api
from renette_widgets.errors import InputError
from renette_widgets import workflows


def validate_params(workflow: str, params: dict) -> dict:
    return workflows.get(workflow).validate_params(params)

MARKER = f"pwned_{secrets.token_hex(4)}"
EVIL = f"6); system('touch {MARKER}'); ("
EVIL_TEXT = f"cor'); system('touch {MARKER}'); ('"


def _places(extra=()) -> list[Path]:
    dirs = {Path.cwd(), Path(tempfile.gettempdir()), Path.home(),
            Path(os.environ.get("RENETTE_HOME", Path.home()))} | {Path(d) for d in extra}
    return [d / name for d in dirs for name in (MARKER, "pwned")]


def _assert_nothing_created(extra=()) -> None:
    made = [p for p in _places(extra) if p.exists()]
    assert not made, f"injected command ran: {made}"


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.normal(size=(12, 5)), columns=[f"G{j}" for j in range(5)])


@pytest.mark.parametrize("workflow, params", [
    ("inference", {"method": "WGCNA", "P": EVIL}),
    ("inference", {"method": EVIL_TEXT}),
    ("inference", {"method": "MINE", "measure": EVIL_TEXT}),
    ("inference", {"method": "cor", "method_": EVIL}),
    ("distance", {"rho": EVIL}),
    ("distance", {"metric": EVIL_TEXT}),
    ("stability", {"method": "WGCNA", "P": EVIL}),
    ("stability", {"resampling": EVIL_TEXT}),
    ("statistics", {"seed": EVIL}),
])
def test_validate_params_rejects_code(workflow, params):
    with pytest.raises(InputError):
        validate_params(workflow, params)
    _assert_nothing_created()


def test_api_rejects_code_before_anything_runs(client, data):
    with pytest.raises(InputError, match="parameter P"):
        api.infer(data, method="WGCNA", P=EVIL, client=client, timeout=60)
    with pytest.raises(InputError, match="parameter P"):
        api.stability(data, method="WGCNA", P=EVIL, client=client, timeout=60)
    with pytest.raises(InputError, match="rho"):
        api.distance({"a": np.eye(3), "b": np.ones((3, 3))}, rho=EVIL, client=client,
                      timeout=60)
    with pytest.raises(InputError, match="method"):
        api.infer(data, method=EVIL_TEXT, client=client, timeout=60)
    _assert_nothing_created(client.run(os.getcwd).values())


def test_r_layer_gets_strings_as_data_not_code(client, data):
    """Bypass Python validation: R itself sees a character value and refuses it."""
    from renette_widgets.engine import r as rengine
    x = data.to_numpy()
    calls = [
        (rengine.mat2adj, (x, "WGCNA", {"P": EVIL}, 0)),
        (rengine.mat2adj, (x, EVIL_TEXT, {}, 0)),
        (rengine.mat2adj, (x, "MINE", {"measure": EVIL_TEXT}, 0)),
        (rengine.resampling_indices, (12, EVIL_TEXT, 3, 5, 0)),
    ]
    for fn, args in calls:
        future = client.submit(fn, *args, pure=False)
        with pytest.raises(Exception) as info:
            future.result(timeout=120)
        # R answered with its own input check on the value, in words.
        assert "system(" in str(info.value) or "must be" in str(info.value) \
            or "nknown" in str(info.value), str(info.value)
    _assert_nothing_created(client.run(os.getcwd).values())
    # The workers keep serving.
    ok = client.submit(rengine.mat2adj, x, "WGCNA", {"P": 6}, 0, pure=False).result(timeout=120)
    assert ok.shape == (5, 5)


def test_input_file_names_cannot_escape(tmp_path):
    from renette_widgets.io.names import safe_name
    for raw in ("../../../etc/cron.d/x", "..\\..\\evil.csv", "/abs/path.csv",
                f"$(touch {MARKER}).csv", "a/../../b.csv", "..", ""):
        safe = safe_name(raw)
        target = (tmp_path / safe).resolve()
        assert target.parent == tmp_path.resolve() and safe not in ("", ".", "..")


def test_input_names_cannot_write_outside_the_store(client, renette_home):
    """A job whose input is named like a path writes only inside its folder."""
    net = pd.DataFrame(np.ones((3, 3)) - np.eye(3), columns=list("ABC"), index=list("ABC"))
    evil = f"../../../{MARKER}"
    job = api.submit("statistics", {evil: net}, {}, client=client).wait(120)
    assert job.status == "done", job.error
    home = Path(renette_home).resolve()
    written = [p.resolve() for p in Path(job.folder).rglob("*")]
    assert written and all(home in p.parents for p in written)
    outside = [p for p in home.parent.parent.rglob(f"{MARKER}*") if home not in p.parents]
    assert not outside, outside
