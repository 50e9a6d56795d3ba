"""What the package imports at run time is declared in pyproject.toml (a fresh
install must have it), including what a dependency needs but does not declare."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def declared() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text()
    deps = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M).group(1)
    return {re.split(r"[<>=!\[ ]", d.strip().strip('",'))[0].lower()
            for d in deps.splitlines() if d.strip().startswith('"')}


@pytest.mark.parametrize("module, distribution", [
    ("plotly.basewidget", "anywidget"),  # FigureWidget subclasses anywidget.AnyWidget
    ("renette_widgets.widgets.upload", "anywidget"),
    ("renette_widgets.io.arrays", "zarr"),
    ("renette_widgets.io.exports", "igraph"),
    ("renette_widgets.engine.correlation", "scipy"),
    ("renette_widgets.io.location", "universal_pathlib"),
    ("renette_widgets.io.location", "fsspec"),
    ("renette_widgets.jobs.cluster", "dask-gateway"),
])
def test_runtime_imports_are_declared(module, distribution):
    __import__(module)
    assert distribution in declared(), f"{distribution} (imported via {module}) is not declared"
