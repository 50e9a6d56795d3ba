"""validate: data checks per method, adjacency fixes and notes, network sets,
resampling sizes and limits."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from renette_widgets.errors import InputError
from renette_widgets.config import max_nodes, max_upload_bytes
from renette_widgets.io.checks import (
    check_adjacency, check_data, check_network_set, check_resampling, constant_columns,
)


def _data(n=6, p=4, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(n, p)), columns=[f"G{j}" for j in range(p)])


def test_limits_from_environment(monkeypatch):
    monkeypatch.delenv("RENETTE_MAX_UPLOAD_MB", raising=False)
    monkeypatch.delenv("RENETTE_MAX_NODES", raising=False)
    assert max_upload_bytes() == 200 * 2**20 and max_nodes() == 5000
    monkeypatch.setenv("RENETTE_MAX_UPLOAD_MB", "1.5")
    assert max_upload_bytes() == int(1.5 * 2**20)
    monkeypatch.setenv("RENETTE_MAX_NODES", "3")
    with pytest.raises(InputError, match="4 nodes, more than the limit of 3"):
        check_adjacency(pd.DataFrame(np.zeros((4, 4))), name="big.csv")
    monkeypatch.setenv("RENETTE_MAX_UPLOAD_MB", "lots")
    with pytest.raises(InputError, match="RENETTE_MAX_UPLOAD_MB"):
        max_upload_bytes()


def test_constant_and_near_constant_columns():
    df = _data()
    df["flat"] = 2.5
    df["noise"] = 1.0 + np.arange(6) * 1e-14   # float noise around a constant
    df["tiny"] = np.arange(6) * 1e-11          # tiny values but a real spread
    assert constant_columns(df) == ["flat", "noise"]
    assert "tiny" in constant_columns(df, tol=1e-5)
    with pytest.raises(InputError) as info:
        check_data(df, name="d.csv")
    assert "'flat', 'noise'" in str(info.value) and info.value.column == "flat"
    kept = check_data(df, drop_constant=True, name="d.csv")
    assert list(kept.columns) == ["G0", "G1", "G2", "G3", "tiny"]
    assert "Dropped 2 constant column(s)" in kept.attrs["notes"][0]


def test_minimum_samples_per_method():
    check_data(_data(n=3), method="cor")
    with pytest.raises(InputError, match="method MINE needs at least 5"):
        check_data(_data(n=4), method="MINE")
    with pytest.raises(InputError, match="at least 2"):
        check_data(_data(p=1))


def test_data_frames_from_python_are_checked_too():
    df = _data()
    df.iloc[2, 1] = np.nan
    with pytest.raises(InputError, match="missing"):
        check_data(df, name="frame")
    df = _data()
    df.columns = ["a", "b", "a", "c"]
    with pytest.raises(InputError, match="'a' appears more than once"):
        check_data(df)


def test_adjacency_diagonal_zeroed_and_weights_noted_not_rescaled():
    a = pd.DataFrame([[1.0, -0.4, 2.0], [-0.4, 1.0, 0.3], [2.0, 0.3, 1.0]],
                     index=list("ABC"), columns=list("ABC"))
    out = check_adjacency(a, name="w.csv")
    assert np.all(np.diag(out.to_numpy()) == 0)
    assert out.loc["A", "C"] == 2.0 and out.loc["A", "B"] == -0.4  # R rescales, not us
    notes = " ".join(out.attrs["notes"])
    assert "3 non-zero" in notes and "-0.4 to 2" in notes and "directed" not in notes
    assert a.iloc[0, 0] == 1.0  # the input is not modified


def test_asymmetry_follows_r_is_symmetric():
    rng = np.random.default_rng(1)
    x = rng.random((5, 5))
    x = (x + x.T) / 2
    np.fill_diagonal(x, 0)
    noisy = x.copy()
    noisy[1, 2] *= 1 + 1e-15   # below all.equal's 100 * eps: symmetric for R
    assert "directed" not in " ".join(check_adjacency(pd.DataFrame(noisy)).attrs["notes"])
    directed = x.copy()
    directed[1, 2] += 0.2
    out = check_adjacency(pd.DataFrame(directed), name="dir.csv")
    assert "treated as directed" in " ".join(out.attrs["notes"])
    with pytest.raises(InputError, match="not symmetric"):
        check_adjacency(pd.DataFrame(directed), name="dir.csv", symmetric=True)


def test_network_set_alignment_and_errors():
    nodes = list("ABCD")
    a = pd.DataFrame(np.ones((4, 4)) - np.eye(4), index=nodes, columns=nodes)
    b = a.loc[list("DCBA"), list("DCBA")].copy()
    b.loc["D", "C"] = b.loc["C", "D"] = 0
    out = check_network_set({"a": a, "b": b})
    assert list(out["b"].columns) == nodes and out["b"].loc["C", "D"] == 0
    assert "reordered" in out["b"].attrs["notes"][0]
    with pytest.raises(InputError, match="at least 2"):
        check_network_set({"a": a})
    c = a.rename(columns={"D": "Z"}, index={"D": "Z"})
    with pytest.raises(InputError, match="'a' has node 'D' which 'c' lacks"):
        check_network_set({"a": a, "c": c})


def _net(nodes, seed):
    rng = np.random.default_rng(seed)
    m = np.triu(rng.random((len(nodes), len(nodes))), 1)
    return pd.DataFrame(m + m.T, index=nodes, columns=nodes)


def test_network_set_on_different_nodes_offers_the_alignments():
    a, b = _net(list("ABCD"), 1), _net(list("CDEFG"), 2)
    with pytest.raises(InputError) as info:
        check_network_set({"a": a, "b": b})
    text = str(info.value)
    # the sizes differ: by position is impossible; shared and union are counted
    assert "align='shared': each pair on the nodes both have, at least 2" in text
    assert "align='union': 7 nodes" in text
    assert "impossible here" in text and "--align" in text


def test_network_set_shared_union_position():
    a, b = _net(list("ABCD"), 1), _net(list("DCEF"), 2)
    shared = check_network_set({"a": a, "b": b}, align="shared")
    assert list(shared["a"].index) == list(shared["b"].columns) == ["C", "D"]
    assert shared["b"].loc["C", "D"] == b.loc["C", "D"]
    assert "2 of its 4 nodes left out" in shared["b"].attrs["notes"][-1]
    union = check_network_set({"a": a, "b": b}, align="union")
    assert list(union["b"].index) == list("ABCDEF")
    # a node missing from a network is isolated in it; its own edges are untouched
    assert (union["b"].loc[["A", "B"]].to_numpy() == 0).all()
    assert (union["a"].loc[:, ["E", "F"]].to_numpy() == 0).all()
    assert union["a"].loc["A", "B"] == a.loc["A", "B"] and union["b"].loc["E", "F"] == b.loc["E", "F"]
    pos = check_network_set({"a": a, "b": b}, align="position")
    np.testing.assert_array_equal(pos["b"].to_numpy(), b.to_numpy())  # the matrix as read
    assert list(pos["b"].index) == list("ABCD") and "names ignored" in pos["b"].attrs["notes"][-1]
    with pytest.raises(InputError, match="one size"):
        check_network_set({"a": a, "c": _net(list("XYZ"), 3)}, align="position")
    with pytest.raises(InputError, match="'a' and 'c' share 0 node"):
        check_network_set({"a": a, "c": _net(list("XYZ"), 3)}, align="shared")


@pytest.mark.parametrize("n, scheme, k, ok", [
    (10, "kCV", 10, False), (10, "kCV", 3, True), (4, "montecarlo", 3, False),
    (5, "montecarlo", 3, True), (4, "LOO", 1, True), (3, "LOO", 1, False),
])
def test_resampling_sizes(n, scheme, k, ok):
    if ok:
        check_resampling(n, scheme, k, "cor", name="d.csv")
    else:
        with pytest.raises(InputError, match="d.csv"):
            check_resampling(n, scheme, k, "cor", name="d.csv")
