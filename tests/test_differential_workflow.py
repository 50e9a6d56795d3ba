"""The differential workflow (issue 15): parameters, input checks, the pair table's
reader, figures, panel, and on the cluster the shared test vectors, calibration
under the null, the example data's rewired nodes, k conditions, the store and
exports. Permutations (determinism, memory) are in test_differential_perm.py, the
dashboard in e2e/test_differential.py."""
from __future__ import annotations

import json
from pathlib import Path

import igraph
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import renette_widgets as rw
from renette_widgets import Store, workflows
from renette_widgets.cli import parser as cli_parser
from renette_widgets.engine.differential import CLASSES, bh, pair_index
from renette_widgets.figures.differential import (class_counts, differential_network,
                                                  node_ranking, volcano)
from renette_widgets.io.examples import load_examples, two_conditions
from renette_widgets.results import PairTable
from renette_widgets.workflows.differential import PERM_BYTES, node_blocks, perm_blocks

SHARED = Path(__file__).resolve().parents[2] / "shared" / "differential"
FLOW = workflows.get("differential")
COLUMNS = ["var1", "var2", "r_A", "p_A", "r_B", "p_B", "z_diff", "p_diff", "q_diff", "class"]
# The example's modules that rewire between condition A and B (data/README.md):
# M2 and M3 exchange half their members (G07-G18), M4 dissolves (G19-G24), M5
# forms (G25-G30); M1 (G01-G06) is conserved and G31-G40 are noise in both.
REWIRED = {f"G{i:02d}" for i in range(7, 31)}
UNCHANGED = {f"G{i:02d}" for i in list(range(1, 7)) + list(range(31, 41))}


def shared_cases() -> list[dict]:
    path = SHARED / "cases.json"
    if not path.is_file():
        pytest.fail(f"differential test vectors not found at {path}")
    return json.loads(path.read_text())


def frame(rng, n: int, p: int, prefix: str = "v") -> pd.DataFrame:
    return pd.DataFrame(rng.standard_normal((n, p)), columns=[f"{prefix}{j}" for j in range(p)])


# ---------------------------------------------------------------- parameters and inputs

def test_parameters_defaults_and_node_method():
    p = FLOW.validate_params({})
    assert p["method"] == "pearson" and p["adjust"] == "BH" and p["fdr"] == 0.05
    # cor networks take the edge level's correlation unless told otherwise
    assert p["node_method_params"] == {"method": "pearson", "tol": 0.0}
    assert FLOW.validate_params({"method": "spearman"})["node_method_params"]["method"] == "spearman"
    q = FLOW.validate_params({"method": "spearman", "node_method_params": {"method": "kendall"}})
    assert q["node_method_params"]["method"] == "kendall"
    w = FLOW.validate_params({"node_method": "WGCNA", "P": "4", "adjust": "perm"})
    assert w["node_method_params"] == {"P": 4, "tol": 0.0} and w["adjust"] == "perm"
    assert FLOW.validate_params(w) == w
    for bad, name in (({"adjust": "bonferroni"}, "adjust"), ({"lp": 0}, "lp"),
                      ({"method": "kendall"}, "method"), ({"node_method": "cor", "P": 6}, "P"),
                      ({"fdr": 0}, "fdr"), ({"node_perm": -1}, "node_perm")):
        with pytest.raises(rw.InputError) as info:
            FLOW.validate_params(bad)
        assert name in str(info.value)


def test_inputs_are_aligned_on_shared_variables_with_a_note():
    rng = np.random.default_rng(0)
    a = frame(rng, 10, 6)
    b = frame(rng, 12, 6)[["v5", "v0", "v1", "v3", "v4"]].assign(extra=rng.standard_normal(12))
    a.attrs["source"], b.attrs["source"] = "a.csv", "b.csv"
    out = FLOW.check_inputs({"A": a, "B": b}, FLOW.validate_params({}))
    assert list(out["A"].columns) == list(out["B"].columns) == ["v0", "v1", "v3", "v4", "v5"]
    assert out["B"]["v5"].equals(b["v5"])  # values follow their names
    (note_a,) = out["A"].attrs["notes"]
    assert "a.csv: 1 of its 6 variables are not in every condition" in note_a and "'v2'" in note_a
    assert "'extra'" in out["B"].attrs["notes"][0] and "5 shared variables" in note_a


def test_bad_inputs_are_refused_in_words():
    rng = np.random.default_rng(1)
    p = FLOW.validate_params({})
    with pytest.raises(rw.InputError, match="at least 2 conditions"):
        FLOW.check_inputs({"A": frame(rng, 10, 4)}, p)
    with pytest.raises(rw.InputError, match="share 1 variable") as info:
        FLOW.check_inputs({"A": frame(rng, 10, 4),
                           "B": frame(rng, 10, 4, "w").assign(v0=rng.normal(size=10))}, p)
    assert "same column names" in info.value.hint
    small = frame(rng, 3, 4)
    small.attrs["source"] = "small.csv"
    with pytest.raises(rw.InputError, match="3 samples .* at least 4") as info:
        FLOW.check_inputs({"A": frame(rng, 10, 4), "B": small}, p)
    assert info.value.file == "small.csv"
    flat = frame(rng, 10, 4).assign(v2=3.0)
    with pytest.raises(rw.InputError, match="constant"):
        FLOW.check_inputs({"A": frame(rng, 10, 4), "B": flat}, p)
    # dropped on request: then left out of every condition, with notes
    out = FLOW.check_inputs({"A": frame(rng, 10, 4), "B": flat}, p, drop_constant=True)
    assert list(out["A"].columns) == ["v0", "v1", "v3"]


def test_top_variance_is_taken_over_all_samples():
    rng = np.random.default_rng(2)
    a, b = frame(rng, 20, 6), frame(rng, 20, 6)
    a["v4"] *= 10
    b["v1"] *= 10
    out = FLOW.check_inputs({"A": a, "B": b}, FLOW.validate_params({"top_variance": 2}))
    assert list(out["A"].columns) == list(out["B"].columns) == ["v1", "v4"]
    assert "kept the 2 variables of largest variance" in out["A"].attrs["notes"][-1]


def test_memory_estimate_of_5000_variables():
    dfs = {c: pd.DataFrame(np.zeros((100, 5000))) for c in "AB"}
    est = FLOW.memory(dfs, FLOW.validate_params({}))
    assert "12,497,500 pairs of 5,000 variables" in est.what
    assert 3e8 < est.per_task < 1.5e9  # the BH merge (the distances: not above 2,000)
    with_spectra = FLOW.memory(dfs, FLOW.validate_params({"distances": True}))
    assert 1.5e9 < with_spectra.per_task < 4e9 and "spectra" in with_spectra.what
    # 20,000 variables: the spectra (p^3, 3.2 GB networks) do not fit a 9 GB worker;
    # without them, keeping the pairs with q <= 0.25 does, storing all of them does not
    big = {c: pd.DataFrame(np.zeros((100, 20000))) for c in "AB"}
    assert FLOW.memory(big, FLOW.validate_params({"distances": True})).per_task > 20e9
    lean = FLOW.memory(big, FLOW.validate_params({"keep": "q"}))
    assert 4e9 < lean.per_task < 8e9
    every = FLOW.memory(big, FLOW.validate_params({}))
    assert every.per_task > 8e9


# ---------------------------------------------------------------- building blocks

def test_bh_is_r_p_adjust_on_the_shared_vectors():
    for case in shared_cases():
        if case["args"]["adjust"] != "BH":
            continue
        exp = pd.read_csv(SHARED / case["expected"])
        np.testing.assert_array_equal(bh(exp["p_diff"].to_numpy()), exp["q_diff"].to_numpy())
    # ties share the q of the first of them; q is capped at 1
    np.testing.assert_allclose(bh(np.array([0.01, 0.04, 0.04, 0.9])),
                               [0.04, 0.05333333333333334, 0.05333333333333334, 0.9])
    assert bh(np.array([0.7, 0.9]))[0] == 0.9 and bh(np.array([0.3]))[0] == 0.3


def test_pairs_are_in_r_order():
    i, j = pair_index(4)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]


def test_permutation_blocks_do_not_grow_with_n_perm():
    m = 500 * 499 // 2
    few, many = perm_blocks(100, m, 2), perm_blocks(1000, m, 2)
    assert len(few) == len(many)  # as many count vectors whatever n_perm
    assert [k for b in many for k in b] == list(range(1, 1001))
    big = perm_blocks(1000, 5000 * 4999 // 2, 2)  # 100 MB per count vector
    assert len(big) * 8 * 5000 * 4999 // 2 <= PERM_BYTES
    assert perm_blocks(3, m, 2) == [range(1, 2), range(2, 3), range(3, 4)]
    assert node_blocks(0, 1.0, 2) == [] and len(node_blocks(100, 0.001, 2)) == 2


def _table(rng, p: int = 12) -> pd.DataFrame:
    i, j = pair_index(p)
    names = [f"g{k}" for k in range(p)]
    m = len(i)
    return pd.DataFrame({"var1": pd.Categorical.from_codes(i, names),
                         "var2": pd.Categorical.from_codes(j, names),
                         "r_A": rng.uniform(-1, 1, m), "r_B": rng.uniform(-1, 1, m),
                         "z_diff": rng.normal(size=m), "q_diff": rng.uniform(size=m),
                         "class": pd.Categorical.from_codes(rng.integers(0, 9, m), list(CLASSES))})


def test_pair_table_reads_the_same_from_parquet_and_memory(tmp_path):
    df = _table(np.random.default_rng(3))
    path = tmp_path / "pairs.parquet"
    df.to_parquet(path, index=False, row_group_size=10)  # several row groups
    stored, kept = PairTable(path=path), PairTable(frame=df)
    assert len(stored) == len(kept) == 66 and stored.columns == list(df.columns)
    for query in ({"q_max": 0.3}, {"classes": ["+/0", "0/+"]}, {"nodes": ["g3"]},
                  {"top": 7, "sort": "|z_diff|", "descending": True},
                  {"q_max": 0.5, "top": 5, "columns": ["var1", "var2", "q_diff"]},
                  {"within": ["g1", "g4", "g7"]}, {"within": ["g2", "g3"], "q_max": 0.9},
                  {"top": 0}):
        a, b = stored.select(**query), kept.select(**query)
        pd.testing.assert_frame_equal(a, b, check_categorical=False, obj=str(query))
    top = stored.select(top=7, sort="|z_diff|", descending=True)
    assert np.array_equal(np.sort(np.abs(df["z_diff"]))[::-1][:7], np.abs(top["z_diff"]))
    assert len(stored.select(within=["g1", "g4", "g7"])) == 3
    # a dataset folder of parts (what the workers write) reads as the one file
    folder = tmp_path / "pairs_parts"
    folder.mkdir()
    for k, part in enumerate((df.iloc[:20], df.iloc[20:50], df.iloc[50:])):
        part.to_parquet(folder / f"part-{k:05d}.parquet", index=False)
    parts = PairTable(path=folder)
    assert len(parts) == 66 and parts.columns == list(df.columns)
    pd.testing.assert_frame_equal(parts.read(), df, check_categorical=False)
    pd.testing.assert_frame_equal(parts.select(top=7, sort="|z_diff|", descending=True),
                                  kept.select(top=7, sort="|z_diff|", descending=True),
                                  check_categorical=False)
    pd.testing.assert_frame_equal(parts.sample(9, seed=1), kept.sample(9, seed=1),
                                  check_categorical=False)
    g3 = stored.select(nodes=["g3"])
    assert len(g3) == 11 and ((g3["var1"] == "g3") | (g3["var2"] == "g3")).all()
    pd.testing.assert_frame_equal(stored.sample(9, seed=1), kept.sample(9, seed=1),
                                  check_categorical=False)
    # exports stream a row group at a time and say what pandas says
    stored.to_csv(tmp_path / "a.csv", float_format="%.17g")
    df.to_csv(tmp_path / "b.csv", index=False, float_format="%.17g")
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    stored.to_json(tmp_path / "a.json")
    assert pd.read_json(tmp_path / "a.json")["z_diff"].tolist() == pytest.approx(df["z_diff"])


# ---------------------------------------------------------------- figures, CLI, panel

def test_figures_show_the_pairs_given():
    df = _table(np.random.default_rng(4))
    fig = volcano(df, 0.3, "ctrl", "treated")
    sig = df[df["q_diff"] <= 0.3]
    drawn = {t.name: len(t.x) for t in fig.data}
    assert drawn[f"q > {0.3:g}"] == len(df) - len(sig)
    assert sum(v for k, v in drawn.items() if k in CLASSES) == len(sig)
    assert "treated" in fig.data[0].text[0]
    classes = pd.DataFrame({"class": list(CLASSES), "pairs": range(9), "significant": range(9)})
    assert len(class_counts(classes, 0.05).data) == 2
    nodes = pd.DataFrame({"node": ["a", "b"], "d": [2.0, 1.0], "q": [0.01, np.nan],
                          "hamming_share": [0.6, 0.4], "median_z": [1.0, 0.0],
                          "n_significant": [3, 0]})
    assert list(node_ranking(nodes).data[0].y) == ["b", "a"]
    net = differential_network(sig, "ctrl", "treated")
    assert [a.text for a in net.layout.annotations] == ["in ctrl", "in treated",
                                                        "change (treated vs ctrl)"]
    hover = [t for t in net.data if t.mode == "markers" and t.hovertemplate == "%{text}<extra></extra>"
             and t.text is not None and len(t.text) == len(sig)]
    assert len(hover) == 3 and "r in ctrl" in hover[0].text[0]
    empty = differential_network(df.iloc[:0])  # nothing significant: an empty view
    assert not [t for t in empty.data if t.x is not None and len(t.x)]


def _colour(t) -> str | None:
    line = getattr(t, "line", None)
    if t.mode and "lines" in t.mode and line is not None and line.color:
        return line.color
    return None


def test_differential_network_names_its_top_nodes_packs_groups_and_names_every_colour():
    from renette_widgets.figures import differential as fd
    rng = np.random.default_rng(0)
    big = [f"g{i}" for i in range(20)]
    rows = [(big[i], big[j]) for i in range(20) for j in range(i + 1, 20) if rng.random() < 0.2]
    rows += [(f"p{k}a", f"p{k}b") for k in range(15)]
    pairs = pd.DataFrame(rows, columns=["var1", "var2"])
    n = len(pairs)
    pairs["z_diff"] = rng.normal(size=n) * 3
    pairs["r_A"], pairs["r_B"] = rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)
    pairs["q_diff"] = rng.uniform(0, 0.05, n)
    pairs["class"] = rng.choice(list(CLASSES), n)
    fig = fd.differential_network(pairs, "ctrl", "treated")
    # the most changed nodes carry their names (the others on hover)
    nodes = [t for t in fig.data if t.customdata is not None and t.mode == "markers+text"]
    assert len(nodes) == 3
    named = [x for x in nodes[0].text if x]
    assert len(named) == fd.LABELLED_NODES
    score = pd.concat([pd.Series(pairs["z_diff"].abs().to_numpy(), index=pairs[c]) for c in ("var1", "var2")]) \
        .groupby(level=0).sum().sort_values(ascending=False)
    assert set(named) == set(score.index[:fd.LABELLED_NODES])
    # every colour drawn is named by one legend entry, and no colour names two things
    legend = {}
    for t in fig.data:
        if t.showlegend is not False and t.name:
            colour = _colour(t) or t.marker.line.color
            assert colour not in legend, f"{colour} means {legend.get(colour)} and {t.name}"
            legend[colour] = t.name
    drawn = {_colour(t) for t in fig.data if _colour(t) and t.x is not None and len(t.x) > 1}
    assert drawn <= set(legend), drawn - set(legend)
    assert not set(fd.CLASS_COLOURS.values()) & {fd.MORE_IN_B, fd.LESS_IN_B}
    # groups packed: the picture holds few empty node-sized cells per node
    names = sorted(set(pairs["var1"]) | set(pairs["var2"]))
    pos = fd._positions(pairs, names)
    d = np.linalg.norm(pos[:, None] - pos[None], axis=2)
    np.fill_diagonal(d, np.inf)
    cells = np.ptp(pos, axis=0).prod() / (len(pos) * np.median(d.min(axis=1)) ** 2)
    assert cells < 8  # the earlier grid of equal cells: 14


def test_cli_options(tmp_path):
    args = cli_parser().parse_args(["differential", "a.csv", "b.csv", "-m", "spearman",
                                    "--adjust", "perm", "--n-perm", "50", "--node-method",
                                    "WGCNA", "-p", "P=4", "-o", str(tmp_path)])
    p = FLOW.validate_params(FLOW.cli_params(args))
    assert (p["method"], p["adjust"], p["n_perm"]) == ("spearman", "perm", 50)
    assert p["node_method_params"] == {"P": 4, "tol": 0.0} and args.files == ["a.csv", "b.csv"]


def test_panel_needs_two_conditions():
    from renette_widgets.widgets.differential import DifferentialPanel
    from renette_widgets.widgets.session import Session
    session = Session(client=object())
    for name, df in load_examples("data").items():
        session.add(name, df, "data", origin="example")
    panel = DifferentialPanel(session)
    panel.data.value = ("condition_A",)
    with pytest.raises(rw.InputError, match="at least two"):
        panel.collect()
    panel.data.value = ("condition_A", "condition_B")
    panel.form["method"].value = "spearman"
    assert panel.form.rows["n_perm"].layout.display == "none"  # only with permutation FDR
    panel.form["adjust"].value = "perm"
    assert panel.form.rows["n_perm"].layout.display is None
    inputs, params = panel.collect()
    assert list(inputs) == ["condition_A", "condition_B"]
    assert FLOW.validate_params(params)["node_method_params"]["method"] == "spearman"


# ---------------------------------------------------------------- on the cluster

def test_every_shared_case_through_the_api(client):
    for case in shared_cases():
        a, b = (pd.read_csv(SHARED / case["inputs"][k]) for k in ("A", "B"))
        args = case["args"]
        res = rw.differential(a, b, method=args["method"], adjust=args["adjust"],
                              cor_cutoff=args["cor_cutoff"], cor_alpha=args["cor_alpha"],
                              node_perm=0, client=client, store=False)
        got = res.comparison("A vs B").pairs.read()
        exp = pd.read_csv(SHARED / case["expected"])
        assert list(got.columns) == COLUMNS and len(got) == case["n_pairs"], case["id"]
        for col in ("var1", "var2", "class"):
            assert got[col].astype(str).tolist() == exp[col].tolist(), (case["id"], col)
        tol = case["tolerance"]
        for col in COLUMNS[2:9]:
            e = exp[col].to_numpy()
            bad = np.abs(got[col].to_numpy() - e) > tol["abs"] + tol["rel"] * np.abs(e)
            assert not bad.any(), (case["id"], col, np.flatnonzero(bad)[:5])


def test_null_p_values_are_uniform_and_q_controls_the_fdr(client):
    """60 samples x 50 variables, both conditions from one distribution, 20 seeds:
    independent variables (KS at 1 %), and correlated modules (q only: the pairs
    of a module are dependent, which a KS test on pooled pairs does not allow)."""
    cols = [f"v{j}" for j in range(50)]
    for modules in (False, True):
        jobs = []
        for seed in range(20):
            rng = np.random.default_rng(1000 + seed)

            def draw():
                x = rng.standard_normal((60, 50))
                if modules:
                    x = 0.6 * np.repeat(rng.standard_normal((60, 5)), 10, axis=1) + 0.8 * x
                return pd.DataFrame(x, columns=cols)
            jobs.append(rw.submit("differential", {"A": draw(), "B": draw()}, {"node_perm": 0},
                                  client=client, store=False))
        tables = [j.wait(300).result.comparison().pairs.read() for j in jobs]
        p = np.concatenate([t["p_diff"].to_numpy() for t in tables])
        q = np.concatenate([t["q_diff"].to_numpy() for t in tables])
        assert len(p) == 20 * 1225
        assert (q < 0.05).mean() <= 0.05
        assert max((t["q_diff"] < 0.05).mean() for t in tables) <= 0.05
        if not modules:
            assert stats.kstest(p, "uniform").pvalue > 0.01
            assert min(stats.kstest(t["p_diff"], "uniform").pvalue for t in tables) > 0.01


def test_the_rewired_modules_nodes_rank_first_on_the_example_data(client, tmp_path):
    data = load_examples("data")
    res = rw.differential(data["condition_A"], data["condition_B"], node_perm=200, seed=1,
                          client=client, store=Store(tmp_path))
    nodes = res.nodes()
    assert set(nodes["node"].head(24)) == REWIRED
    assert set(nodes["node"].tail(16)) == UNCHANGED
    top = nodes.head(24)
    assert (top["q"] < 0.05).all() and (top["n_significant"] >= 1).all()
    assert (nodes.set_index("node").loc[sorted(UNCHANGED), "q"] > 0.05).sum() >= 14
    assert nodes["hamming_share"].sum() == pytest.approx(1.0)
    # the rewired modules hold most of the Hamming distance
    assert nodes.set_index("node").loc[sorted(REWIRED), "hamming_share"].sum() > 0.7
    s = res.comparison().summary
    assert res.HIM.iat[0, 1] == s["HIM"] > 0 and res.HIM.iat[1, 0] == s["HIM"]
    sig = res.significant()
    pairs = {(a, b): c for a, b, c in zip(sig["var1"].astype(str), sig["var2"].astype(str),
                                          sig["class"].astype(str))}
    assert pairs.get(("G07", "G10")) == "+/0"  # M2 loses the half that moved to M3
    assert pairs.get(("G25", "G26")) == "0/+"  # M5 forms
    assert pairs.get(("G19", "G20")) == "+/0"  # M4 dissolves
    assert not any(a in UNCHANGED and b in UNCHANGED for a, b in pairs)
    # the edges of M1 are present with the same sign in both conditions
    edges = res.edges.read()
    m1 = edges[(edges["var1"].astype(str) == "G01") & (edges["var2"].astype(str) == "G02")]
    assert m1["summary"].astype(str).tolist() == ["same sign in all"]


def test_three_conditions_in_one_job_and_the_store(client, tmp_path):
    a, b, _ = two_conditions(n_samples=40, n_variables=30, seed=5)
    c = a.copy()
    c["G01"] = -c["G01"]  # in C, G01 is anti-correlated with the rest of M1
    store = Store(tmp_path)
    job = rw.submit("differential", {"A": a, "B": b, "C": c},
                    {"node_perm": 20, "seed": 3, "threshold": 0.3}, client=client,
                    store=store).wait(300)
    assert job.status == "done", job.error
    res = job.result
    assert list(res.comparisons) == ["A vs B", "A vs C", "B vs C"]
    assert res.HIM.shape == (3, 3) and np.allclose(np.diag(res.HIM), 0)
    assert np.allclose(res.HIM, res.HIM.T) and res.HIM.loc["A", "B"] > 0
    # |r| networks do not see a change of sign: A and C are the same network
    assert res.HIM.loc["A", "C"] == 0 and (res.nodes("A vs C")["d"] == 0).all()
    ac = res.significant(comparison=("A", "C"))
    assert ((ac["var1"].astype(str) == "G01") | (ac["var2"].astype(str) == "G01")).all()
    m1 = ac[ac["var2"].astype(str).isin([f"G0{i}" for i in range(2, 7)])]
    assert len(m1) == 5 and set(m1["class"].astype(str)) == {"+/-"}
    edges = res.edges.read().set_index(["var1", "var2"])
    assert edges.loc[("G01", "G02"), "summary"] == "different signs"
    assert edges.loc[("G02", "G03"), "summary"] == "same sign in all"
    assert edges.loc[("G02", "G03"), "n_present"] == 3
    assert set(edges.columns) >= {"r_A", "r_B", "r_C", "n_present"}
    # the store gives the same result back, lazily
    again = rw.load_result(job.id, store)
    assert again.comparisons.keys() == res.comparisons.keys()
    pd.testing.assert_frame_equal(again.nodes("B vs C"), res.nodes("B vs C"))
    assert isinstance(again.comparison().pairs.path, Path)
    assert rw.workflows.get("differential").output_networks(again).keys() == {
        "A_cor", "B_cor", "C_cor"}
    # exports: every table as CSV, the significant pairs as GraphML
    out = job.export(tmp_path / "csv")
    names = {p.name for p in out}
    assert {"A_vs_B_pairs.csv", "A_vs_C_nodes.csv", "HIM.csv",
            "edges_across_conditions.csv"} <= names
    pairs = pd.read_csv(tmp_path / "csv" / "A_vs_C_pairs.csv")
    assert list(pairs.columns) == COLUMNS and len(pairs) == 30 * 29 // 2
    graphs = job.export(tmp_path / "graphml", "graphml")
    g = igraph.Graph.Read_GraphML(str(next(p for p in graphs if p.name == "A_vs_C.graphml")))
    assert g.vcount() == 30 and g.ecount() == len(ac)
    assert set(g.es["class"]) <= {"+/-"} and "r_A" in g.es.attributes()


@pytest.mark.parametrize("method, params", [("WGCNA", {"P": 4}), ("ARACNE", {})])
def test_node_level_with_other_inference_methods(client, method, params):
    data = load_examples("data")
    res = rw.differential(data["condition_A"], data["condition_B"], node_method=method,
                          node_perm=10, seed=2, client=client, store=False, **params)
    assert res.params["node_method_params"] == {**params, "tol": 0.0}
    assert res.conditions == ["A", "B"]
    a, b = (np.asarray(res.networks[c], dtype=float) for c in res.conditions)
    if method == "WGCNA":  # |r|^P: the networks are those of the parameters given
        r = np.corrcoef(data["condition_A"].to_numpy(), rowvar=False)
        np.testing.assert_allclose(a, np.abs(r - np.diag(np.diag(r))) ** 4, atol=1e-12)
    nodes = res.nodes().set_index("node").loc[list(data["condition_A"].columns)]
    np.testing.assert_allclose(nodes["d"], ((a - b) ** 2).sum(axis=1), rtol=1e-12)
    assert nodes["p"].between(1 / 11, 1).all() and nodes["q"].notna().all()
    assert res.HIM.iat[0, 1] > 0


def test_the_command_line(stack, tmp_path):
    import os
    import subprocess
    import sys
    renette = str(Path(sys.executable).parent / "renette")
    env = {**os.environ, "DASK_SCHEDULER_ADDRESS": stack.scheduler_address,
           "RENETTE_HOME": str(tmp_path / "home")}
    files = []
    for name, df in load_examples("data").items():
        files.append(str(tmp_path / f"{name}.csv"))
        df.to_csv(files[-1])
    out = tmp_path / "out"
    run = subprocess.run([renette, "differential", *files, "-m", "spearman", "--node-perm", "20",
                          "-o", str(out), "-q"], env=env, capture_output=True, text=True,
                         timeout=300, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    pairs = pd.read_csv(out / "condition_A_vs_condition_B_pairs.csv")
    assert list(pairs.columns) == COLUMNS and len(pairs) == 780
    nodes = pd.read_csv(out / "condition_A_vs_condition_B_nodes.csv")
    assert set(nodes["node"].head(24)) == REWIRED
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["params"]["method"] == "spearman" and manifest["workflow"] == "differential"
    graph = subprocess.run([renette, "export", manifest["id"], "--format", "graphml",
                            "-o", str(tmp_path / "g")], env=env, capture_output=True, text=True,
                           timeout=120)
    assert graph.returncode == 0, graph.stderr
    g = igraph.Graph.Read_GraphML(str(tmp_path / "g" / "condition_A_vs_condition_B.graphml"))
    assert g.ecount() == int((pairs["q_diff"] <= 0.05).sum())
    bad = subprocess.run([renette, "differential", files[0], "-o", str(out)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "at least 2 conditions" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_the_benchmark_reference_times_the_floor(tmp_path):
    """benchmarks/reference.R's diffcor step (the floor of bench_differential.py)."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import common
    rng = np.random.default_rng(0)
    common.write_doubles(tmp_path / "x.bin", [rng.standard_normal((12, 8)) for _ in range(2)])
    ref = common.run_reference("diffcor", tmp_path / "x.bin", 12, 8, 1, timeout=120)
    assert set(ref) == {"cor2", "diffcor"} and ref["cor2"]["wall"] >= 0


def test_keep_q_stores_the_pairs_up_to_it_and_counts_all(client, tmp_path):
    """keep="q": the stored pairs are exactly those of the full table with q <= keep_q,
    with the same numbers; classes, per-node counts and n_pairs are over all pairs.
    The full table is written by the workers as a dataset of parts, in pair order."""
    a, b, _ = two_conditions(n_samples=30, n_variables=60, seed=9)
    every = rw.differential(a, b, node_perm=0, client=client, store=Store(tmp_path / "all"))
    some = rw.differential(a, b, node_perm=0, keep="q", keep_q=0.3, client=client,
                           store=Store(tmp_path / "q"))
    full = every.comparison().pairs.read()
    assert Path(every.comparison().pairs.path).is_dir() and len(full) == 60 * 59 // 2
    i, j = pair_index(60)
    assert (full["var1"].cat.codes.to_numpy() == i).all() and (full["var2"].cat.codes == j).all()
    np.testing.assert_array_equal(full["q_diff"].to_numpy(), bh(full["p_diff"].to_numpy()))
    kept = some.comparison().pairs.read()
    want = full[full["q_diff"] <= 0.3].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, want, check_categorical=False)
    assert 0 < len(kept) < len(full)
    pd.testing.assert_frame_equal(some.comparison().classes, every.comparison().classes)
    pd.testing.assert_frame_equal(some.nodes(), every.nodes())
    s = some.comparison().summary
    assert s["n_pairs"] == len(full) and s["n_stored"] == len(kept)
    assert s["n_significant"] == int((full["q_diff"] <= 0.05).sum())
