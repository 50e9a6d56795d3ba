"""Session fixtures: the embedded cluster, a real scheduler stack, the corpus.

Cluster start-ups are expensive (each worker loads R and WGCNA, ~5-10 s on
this machine), so each kind is started once per session and shared.
The test process itself never imports rpy2 (see test_no_rpy2_in_client).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the repository (``RENETTE_SHARED`` overrides)."""
    return Path(os.environ.get("RENETTE_SHARED") or REPO.parent / "shared")


CONFORMANCE = shared_dir() / "conformance"
EXAMPLES = shared_dir() / "data" / "renette-examples"


@pytest.fixture(scope="session", autouse=True)
def renette_home(tmp_path_factory) -> Path:
    """A private results store for the whole session (never ~/.renette)."""
    home = tmp_path_factory.mktemp("renette-home")
    old = os.environ.get("RENETTE_HOME")
    os.environ["RENETTE_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("RENETTE_HOME", None)
    else:
        os.environ["RENETTE_HOME"] = old


@pytest.fixture(scope="session")
def client():
    """The embedded LocalCluster (2 worker processes, 1 thread each, R warm).

    It is also what ``get_client()`` returns in this process.
    """
    from distributed import Client
    from renette_widgets import cluster
    with cluster.local_cluster(2) as lc, Client(lc, set_as_default=False) as c:
        cluster.use_client(c)
        yield c
        cluster.close_clients()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """A real ``dask scheduler`` + two ``dask worker`` processes (no Voila)."""
    from renette_widgets.serve import Stack
    logs = tmp_path_factory.mktemp("stack-logs")
    with Stack(n_workers=2, voila=False, log_dir=logs) as s:
        yield s


@pytest.fixture(scope="session")
def cases() -> dict:
    """Conformance cases by id (../shared/conformance/cases.json)."""
    path = CONFORMANCE / "cases.json"
    if not path.is_file():
        pytest.fail(f"conformance corpus not found at {path} (set RENETTE_SHARED)")
    return {c["id"]: c for c in json.loads(path.read_text())}


def read_case_csv(rel: str) -> pd.DataFrame:
    """A corpus CSV (header = names, no row names)."""
    return pd.read_csv(CONFORMANCE / rel)


def case_network(rel: str) -> pd.DataFrame:
    """A corpus adjacency CSV with its node names on both axes."""
    df = read_case_csv(rel)
    df.index = df.columns
    return df


def tolerance(case: dict, field: str) -> tuple[float, float]:
    t = case["tolerance"]
    t = t.get("fields", {}).get(field, t)
    return t["abs"], t.get("rel", 0.0)


def assert_within(got, expected, case: dict, field: str) -> None:
    """Element-wise |got - expected| <= abs + rel*|expected|, NaN matching NaN."""
    a, r = tolerance(case, field)
    got = np.asarray(got, dtype=float)
    exp = np.asarray(expected, dtype=float)
    assert got.shape == exp.shape, f"{field}: shape {got.shape} != {exp.shape}"
    assert np.array_equal(np.isnan(got), np.isnan(exp)), f"{field}: NA pattern differs"
    ok = np.isnan(exp) | (np.abs(got - exp) <= a + r * np.abs(exp))
    worst = np.nanmax(np.abs(got - exp)) if got.size else 0.0
    assert ok.all(), f"{field}: max |diff| {worst:.3g} > tolerance abs={a} rel={r}"


def example_networks() -> dict[str, pd.DataFrame]:
    """ReNette's two microbiome networks (187 x 187, tab-separated, row names)."""
    return {n: pd.read_csv(EXAMPLES / f"microbiome_Actinobacteria_{n}_adj.csv",
                           sep="\t", index_col=0)
            for n in ("0.0-diet", "1.0-diet")}
