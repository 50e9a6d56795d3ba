"""Session fixtures: the embedded cluster, a real scheduler stack, the corpus.

Cluster start-ups are expensive (each worker starts R and loads renette), so
each kind is started once per session and shared.
The test process itself never imports rpy2 (see test_no_rpy2_in_client).
"""
from __future__ import annotations

import json
import os

import pytest

from conformance_helpers import CONFORMANCE

# Fixtures that start a dask cluster (R in every worker) or run commands that do:
# a test using one is marked slow. `pytest -m "not slow and not e2e"` is the
# fast suite; `make test` runs everything.
SLOW_FIXTURES = {"client", "stack", "served", "fragile_client", "env", "dashboard", "page", "far_stack",
                 "far_client", "s3"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def renette_home(tmp_path_factory):
    """A private results store for the whole session (never ~/.renette)."""
    home = tmp_path_factory.mktemp("renette-home")
    old = os.environ.get("RENETTE_HOME")
    os.environ["RENETTE_HOME"] = str(home)
    # an embedded cluster shared by the tests' subprocesses (tutorial, CLI) ends soon after
    os.environ.setdefault("RENETTE_CLUSTER_IDLE_S", "20")
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
    from renette_widgets.jobs import cluster
    with cluster.local_cluster(2) as lc, Client(lc, set_as_default=False) as c:
        cluster.use_client(c)
        yield c
        cluster.close_clients()


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The stack ``make run`` starts: a real ``dask scheduler``, two ``dask worker``
    processes and Voila, with a private results store. One for the session: the
    end-to-end tests' dashboard (tests/e2e) and the scheduler the CLI tests use."""
    from renette_widgets.serve import Stack
    home = tmp_path_factory.mktemp("e2e-home")
    logs = tmp_path_factory.mktemp("e2e-logs")
    # Pages of a test's browser contexts may drop without closing (a context closed
    # under them); their kernels are culled after kernel_idle_s. The default (minutes)
    # and cap (16) would fill the server with a suite's dropped pages.
    with Stack(n_workers=2, voila=True, home=home, log_dir=logs, kernel_idle_s=30,
               max_kernels=40) as s:
        yield s


@pytest.fixture(scope="session")
def stack(served):
    """A real ``dask scheduler`` + two ``dask worker`` processes (those of ``served``;
    a test that uses it sets its own RENETTE_HOME)."""
    return served


@pytest.fixture(scope="session")
def cases() -> dict:
    """Conformance cases by id (../shared/conformance/cases.json)."""
    path = CONFORMANCE / "cases.json"
    if not path.is_file():
        pytest.fail(f"conformance corpus not found at {path} (set RENETTE_SHARED)")
    return {c["id"]: c for c in json.loads(path.read_text())}
