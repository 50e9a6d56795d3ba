"""The seeded two-condition example generator and its committed CSVs."""
import numpy as np
import pandas as pd

from renette_widgets.io import examples


def test_same_seed_same_data_and_committed_files_match(tmp_path):
    written = examples.write_examples(tmp_path)
    for path in written:
        committed = examples.example_path(path.name).read_bytes()
        assert path.read_bytes() == committed, f"{path.name} differs: regenerate data/"


def test_shapes_and_names():
    a, b, truth = examples.two_conditions()
    assert a.shape == b.shape == (60, 40)
    assert list(a.columns) == list(b.columns) == [f"G{j:02d}" for j in range(1, 41)]
    assert truth["A"]["M1"] == truth["B"]["M1"]
    assert "M4" not in truth["B"] and "M5" not in truth["A"]


def _mean_abs_cor(x: pd.DataFrame, members: list[str]) -> float:
    r = np.abs(np.corrcoef(x[members].to_numpy(), rowvar=False))
    return r[np.triu_indices(len(members), 1)].mean()


def test_modules_are_correlated_and_rewire():
    a, b, truth = examples.two_conditions()
    # Inside a module |r| is near loading^2 = 0.64; outside near 0.
    for cond, x in (("A", a), ("B", b)):
        for members in truth[cond].values():
            assert _mean_abs_cor(x, members) > 0.5
    assert _mean_abs_cor(b, truth["A"]["M4"]) < 0.2   # dissolved in B
    assert _mean_abs_cor(a, truth["B"]["M5"]) < 0.2   # absent in A
    assert _mean_abs_cor(b, truth["A"]["M2"]) < 0.35  # rewired


def test_networks_are_wgcna_of_the_data():
    nets = examples.load_examples("adjacency")
    data = examples.load_examples("data")
    for cond in "AB":
        net, x = nets[f"network_{cond}"], data[f"condition_{cond}"]
        expected = np.abs(np.corrcoef(x.to_numpy(), rowvar=False)) ** 6
        np.fill_diagonal(expected, 0)
        np.testing.assert_allclose(net.to_numpy(), expected, atol=1e-9)
        assert (net.index == net.columns).all()
