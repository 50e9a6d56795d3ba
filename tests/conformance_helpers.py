"""Helpers to read the nettools conformance corpus and ReNette's examples
(../shared beside the repository; RENETTE_SHARED overrides).

A plain module (not conftest) so that test modules can import it whatever
other conftest.py files exist in sub-folders.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the repository (``RENETTE_SHARED`` overrides)."""
    return Path(os.environ.get("RENETTE_SHARED") or REPO.parent / "shared")


CONFORMANCE = shared_dir() / "conformance"
EXAMPLES = shared_dir() / "data" / "renette-examples"


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
