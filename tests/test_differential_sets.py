"""Gene sets and modules of the differential workflow (issue 22): reading GMT/CSV/dict
sets, a rewired set ranks first, set p-values are uniform under the null, modules of
the pooled network (dynamicTreeCut), the store and the CSV export."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import renette_widgets as rw
from renette_widgets import Store, workflows
from renette_widgets.io.genesets import match_sets, read_sets

FLOW = workflows.get("differential")


def test_gmt_two_column_csv_and_dict(tmp_path):
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("KEGG_A\thttp://x\tg1\tg2\tg3\nKEGG_B\t\tg4\tg5\tNOPE1\tNOPE2\n")
    sets = read_sets(gmt)
    assert sets == {"KEGG_A": ["g1", "g2", "g3"], "KEGG_B": ["g4", "g5", "NOPE1", "NOPE2"]}
    found, notes = match_sets(sets, [f"g{j}" for j in range(6)])
    assert found == {"KEGG_A": [1, 2, 3], "KEGG_B": [4, 5]}
    assert "2 of their 7 genes are not among the variables" in notes[0]
    csv = tmp_path / "sets.csv"
    csv.write_text("set,gene\nS1,g1\nS1,g2\nS2,g3\n")
    assert read_sets(csv) == {"S1": ["g1", "g2"], "S2": ["g3"]}
    _, notes = match_sets(read_sets(csv), ["g1", "g2", "g3"])
    assert "1 set(s) have fewer than 2" in notes[0]  # S2: one gene, no pair
    assert read_sets({"x": ("a", "b")}) == {"x": ["a", "b"]}
    assert read_sets("modules") == "modules" and read_sets(None) is None
    # the workflow reads the file into its parameters (the manifest keeps the sets)
    assert FLOW.validate_params({"sets": str(gmt)})["sets"] == sets


def test_empty_or_malformed_gmt_names_the_line(tmp_path):
    empty = tmp_path / "empty.gmt"
    empty.write_text("\n\n")
    with pytest.raises(rw.InputError, match="no gene set") as info:
        read_sets(empty)
    assert info.value.file == "empty.gmt"
    bad = tmp_path / "bad.gmt"
    bad.write_text("OK\tdesc\tg1\tg2\nBROKEN g1 g2 g3\n")  # spaces, not tabs
    with pytest.raises(rw.InputError, match="line 2 of the GMT file") as info:
        read_sets(bad)
    assert info.value.row == 2 and info.value.file == "bad.gmt"
    with pytest.raises(rw.InputError, match="not found"):
        read_sets(tmp_path / "missing.gmt")


def rewired(seed: int, n: int = 40, p: int = 40, rewire: bool = True) -> dict:
    """Four modules of 8 (M1..M4) and 8 noise variables; M2 is a module in A only
    (``rewire``), the others in both conditions."""
    rng = np.random.default_rng(seed)
    cols = [f"g{j:02d}" for j in range(p)]

    def draw(module2: bool) -> pd.DataFrame:
        x = rng.standard_normal((n, p))
        for k in range(4):
            if k == 1 and not module2:
                continue
            x[:, 8 * k:8 * k + 8] += 1.2 * rng.standard_normal((n, 1))
        return pd.DataFrame(x, columns=cols)
    return {"A": draw(True), "B": draw(not rewire)}


SETS = {f"M{k + 1}": [f"g{j:02d}" for j in range(8 * k, 8 * k + 8)] for k in range(4)}
SETS["R1"] = ["g32", "g33", "g34", "g35", "g00", "g10"]  # noise and a bit of M1/M2


def test_the_rewired_set_ranks_first(client, tmp_path):
    store = Store(tmp_path)
    sets = {**SETS, "unknown": ["g01", "g02", "NOT_A_GENE"]}
    job = rw.submit("differential", rewired(3), {"sets": sets, "node_perm": 199, "seed": 2},
                    client=client, store=store).wait(300)
    assert job.status == "done", job.error
    table = job.result.comparison().sets
    assert table["set"].iloc[0] == "M2" and table["q"].iloc[0] < 0.05
    m2 = table.set_index("set").loc["M2"]
    assert m2["mean_z"] < -2 and m2["mean_dr"] < -0.2  # M2 loses its correlations in B
    assert m2["size"] == 8 and m2["n_pairs"] == 28
    assert (table.set_index("set").loc[["M1", "M3", "M4"], "q"] > 0.05).all()
    assert any("1 of their" in n and "NOT_A_GENE" in n for n in job.result.notes)
    # d of a set is the sum of its members' d
    nodes = job.result.nodes().set_index("node")["d"]
    assert m2["d"] == pytest.approx(nodes.loc[SETS["M2"]].sum())
    # the dashboard's Sets view: ranked by q, a click draws that set's network
    from renette_widgets.widgets.differential import DifferentialView, SetsBrowser
    view = DifferentialView(job.result)
    titles = [view.tabs.get_title(i) for i in range(len(view.tabs.children))]
    sets_page = view.tabs.page(titles.index("Sets"))
    browser = sets_page if isinstance(sets_page, SetsBrowser) else next(
        c for c in sets_page.children if isinstance(c, SetsBrowser))
    assert browser.pick.options[0][0].startswith("M2")
    m4 = [v for label, v in browser.pick.options if label.startswith("M4")][0]
    browser.pick.value = m4
    assert "M4" in browser.note.value and "28 of its pairs" in browser.note.value
    shown = job.result.comparison().pairs.select(within=SETS["M4"])
    assert len(shown) == 28 and set(shown["var1"].astype(str)) <= set(SETS["M4"])
    assert any(d.x is not None and len(d.x) for d in browser.box.figure.data)
    # stored and exported
    again = rw.load_result(job.id, store)
    pd.testing.assert_frame_equal(again.comparison().sets, table)
    out = job.export(tmp_path / "csv")
    assert "A_vs_B_sets.csv" in {p.name for p in out}
    assert pd.read_csv(tmp_path / "csv" / "A_vs_B_sets.csv")["set"].iloc[0] == "M2"


def test_set_p_values_are_uniform_under_the_null(client):
    """20 seeds, both conditions from one distribution (modules in both): the sets'
    permutation p-values (99 permutations) are uniform by a KS test at 1 %."""
    jobs = [rw.submit("differential", rewired(100 + s, n=30, p=32, rewire=False),
                      {"sets": {k: v for k, v in SETS.items() if k != "R1"}, "node_perm": 99,
                       "seed": s, "distances": False}, client=client, store=False)
            for s in range(20)]
    p = np.concatenate([j.wait(300).result.comparison().sets["p"].to_numpy() for j in jobs])
    assert len(p) == 80 and np.isfinite(p).all()
    # (count + 1) / 100: uniform on {0.01, ..., 1}; compared with a continuous
    # uniform after spreading each value over its step (a randomised p-value)
    spread = p - np.random.default_rng(0).uniform(0, 0.01, len(p))
    assert stats.kstest(spread, "uniform").pvalue > 0.01


def test_modules_of_the_pooled_network(client):
    """sets="modules": modules of the pooled network come back from dynamicTreeCut;
    the one holding the rewired M2 ranks first, the conserved modules do not rewire."""
    res = rw.differential(rewired(3), sets="modules", node_perm=99, seed=1, client=client,
                          store=False)
    table = res.comparison().sets
    assert len(table) >= 3 and table["set"].str.match(r"M\d+$").all()
    genes = [set(g.split(";")) for g in table["genes"]]
    for k, members in enumerate(SETS[m] for m in ("M1", "M2", "M3", "M4")):
        holding = [g for g in genes if len(g & set(members)) >= 6]
        assert len(holding) == 1, (k, genes)  # each true module is (mostly) one module
    assert len(genes[0] & set(SETS["M2"])) >= 6 and table["p"].iloc[0] < 0.05
    conserved = [i for i, g in enumerate(genes) if not g & set(SETS["M2"])]
    assert (table["p"].iloc[conserved] > 0.01).all()
