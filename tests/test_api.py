"""The Python API against a sample of the nettools conformance corpus
(../shared/conformance; the R suite checks every case)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conformance_helpers import assert_within, case_network, read_case_csv

import renette_widgets as rw


@pytest.mark.parametrize("case_id", ["mat2adj_small_30x8_cor_pearson",
                                     "mat2adj_small_30x8_cor_spearman",
                                     "mat2adj_small_30x8_WGCNA_P6"])
def test_infer_matches_corpus(client, cases, case_id):
    case = cases[case_id]
    args = dict(case["args"])
    method = args.pop("infer.method")
    if "method" in args:  # mat2adj's correlation type; `method` is infer's own
        args["cor_method"] = args.pop("method")
    data = read_case_csv(case["inputs"][0])
    got = rw.infer(data, method, **args)
    expected = read_case_csv(case["expected"]["matrix"])
    assert list(got.columns) == list(data.columns) == list(got.index)
    assert_within(got.to_numpy(), expected.to_numpy(), case, "matrix")


def test_distance_pair_matches_corpus(client, cases):
    case = cases["netdist_cor_pair_HIM"]
    a, b = (case_network(p) for p in case["inputs"])
    got = rw.distance([a, b], metric="HIM")
    for field in ("H", "IM", "HIM"):
        assert_within(got[field].iloc[0, 1], case["expected"][field], case, field)


def test_distance_list_matches_corpus(client, cases):
    case = cases["netdist_list3_cor_HIM"]
    nets = {n: case_network(p) for n, p in zip(case["list_names"], case["inputs"])}
    got = rw.distance(nets)
    for field in ("H", "IM", "HIM"):
        expected = read_case_csv(case["expected"][field])
        assert list(got[field].columns) == case["list_names"]
        assert_within(got[field].to_numpy(), expected.to_numpy(), case, field)


def test_distance_with_gamma_and_rho(client, cases):
    case = cases["netdist_binary_pair_HIM_rho0.5_ga0.2"]
    a, b = (case_network(p) for p in case["inputs"])
    got = rw.distance({"a": a, "b": b}, rho=case["args"]["rho"], gamma=case["args"]["ga"])
    assert got["gamma"] == 0.2
    for field in ("H", "IM", "HIM"):
        if field in case["expected"]:
            assert_within(got[field].iloc[0, 1], case["expected"][field], case, field)


def test_stability_matches_corpus(client, cases):
    case = cases["netSI_small_30x8_montecarlo_cor_HIM"]
    args, exp = case["args"], case["expected"]
    data = read_case_csv(case["inputs"][0])
    res = rw.stability(data, method=args["adj.method"], metric=args["d"],
                       resampling=args["resamp.method"], k=args["k"], h=args["h"],
                       seed=args["sseed"])
    assert isinstance(res, rw.StabilityResult)
    # The same seed gives nettools' resamples.
    idx = read_case_csv(exp["resampling_indices"])
    assert len(res.indices) == exp["n_resamples"]
    for r, rows in enumerate(res.indices):
        np.testing.assert_array_equal(rows + 1, idx.loc[idx["resample"] == r + 1, "row"])
    assert_within(res.S, exp["S"], case, "S")
    assert_within(res.SI, exp["SI"], case, "SI")
    assert_within(res.S_boot["S"], read_case_csv(exp["S_boot"])["S"], case, "S_boot")
    si_boot = read_case_csv(exp["SI_boot"])
    np.testing.assert_array_equal(res.SI_boot[["r1", "r2"]], si_boot[["r1", "r2"]])
    assert_within(res.SI_boot["SI"], si_boot["SI"], case, "SI_boot")
    assert_within(res.Sw["Sw"], read_case_csv(exp["Sw"])["Sw"], case, "Sw")
    sd = read_case_csv(exp["Sd"])
    assert list(res.Sd["node"]) == list(sd["node"])
    assert_within(res.Sd["Sd"], sd["Sd"], case, "Sd")
    assert_within(res.Sd_boot.to_numpy(), read_case_csv(exp["Sd_boot"]).to_numpy(),
                  case, "Sd_boot")
    assert_within(res.ADJ.to_numpy(), read_case_csv(exp["ADJ"]).to_numpy(), case, "ADJ")


def test_stability_single_indicator(client, cases):
    case = cases["netSI_small_30x8_kCV_cor_IM"]
    args = case["args"]
    data = read_case_csv(case["inputs"][0])
    res = rw.stability(data, method="cor", metric="IM", resampling="kCV", k=args["k"],
                       h=args["h"], seed=args["sseed"], indicator="S")
    assert_within(res.S, case["expected"]["S"], case, "S")
    assert res.SI is None and res.Sw is None


def test_networks_of_different_sizes_are_an_input_error(client):
    rng = np.random.default_rng(0)
    a = pd.DataFrame(rng.random((5, 5)), columns=list("abcde"), index=list("abcde"))
    a = (a + a.T) / 2
    b = a.iloc[:4, :4]
    with pytest.raises(rw.InputError, match="different sizes"):
        rw.distance({"first.csv": a, "second.csv": b})


def test_injection_in_a_parameter_is_rejected_before_anything_runs(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = pd.DataFrame(np.random.default_rng(1).random((20, 4)), columns=list("abcd"))
    with pytest.raises(rw.InputError):
        rw.submit("inference", {"d": data},
                  {"method": "WGCNA", "P": "6); system('touch pwned')"})
    assert not (tmp_path / "pwned").exists()


def test_netstats_tables_carry_node_names(client):
    names = ["alpha", "beta", "gamma", "delta"]
    a = np.array([[0, 1, 0.5, 0], [1, 0, 0, 0], [0.5, 0, 0, 0.2], [0, 0, 0.2, 0]])
    nodes, network = rw.netstats(pd.DataFrame(a, index=names, columns=names))
    assert list(nodes["node"]) == names
    np.testing.assert_allclose(nodes["strength"], a.sum(axis=1))
    np.testing.assert_array_equal(nodes["degree"], (a > 0).sum(axis=1))
    assert network["n_nodes"].iloc[0] == 4 and network["n_edges"].iloc[0] == 3


def test_one_network_is_compared_with_the_empty_network(client, cases):
    case = cases["netdist_cor_pair_HIM"]
    a = case_network(case["inputs"][0])
    got = rw.distance({"a": a})
    assert list(got["H"].columns) == ["a", "empty"]
    n = a.shape[0]
    h = np.abs(a.to_numpy()).sum() / (n * (n - 1))  # nettools' H against no edges
    assert got["H"].loc["a", "empty"] == pytest.approx(h, abs=1e-12)


def test_several_inputs_and_methods_in_one_inference_job(client, cases):
    a = read_case_csv("inputs/small_30x8_a.csv")
    job = rw.submit("inference", {"a": a, "b": a.iloc[:20]},
                    {"methods": {"cor": {}, "bicor": {}}}).wait(120)
    assert job.status == "done", job.error
    assert sorted(job.result["networks"]) == ["a_bicor", "a_cor", "b_bicor", "b_cor"]
    expected = read_case_csv(cases["mat2adj_small_30x8_bicor"]["expected"]["matrix"])
    assert_within(job.result["networks"]["a_bicor"].to_numpy(), expected.to_numpy(),
                  cases["mat2adj_small_30x8_bicor"], "matrix")
    # input tasks + one R task per (input, bicor) + for cor, computed in blocks by
    # the workers: one standardisation and one block (8 variables) per input
    assert job.total == 2 + 2 + 2 * 2


def test_constant_columns_are_refused_or_dropped_on_request(client):
    data = pd.DataFrame(np.random.default_rng(2).random((20, 4)), columns=list("abcd"))
    data["flat"] = 3.0
    with pytest.raises(rw.InputError, match="constant") as err:
        rw.infer(data, "cor", store=False)
    assert "drop_constant=True" in err.value.hint and err.value.column == "flat"
    net = rw.infer(data, "cor", store=False, drop_constant=True)
    np.testing.assert_allclose(net.to_numpy(),
                               rw.infer(data.drop(columns="flat"), "cor", store=False)
                               .to_numpy())
    assert list(net.columns) == list("abcd")
    res = rw.stability(data, "cor", h=3, indicator="S", store=False, drop_constant=True)
    assert 0 <= res.S and list(res.ADJ.columns) == list("abcd")
    with pytest.raises(rw.InputError, match="data matrices"):
        rw.submit("distance", {"n": net}, {}, drop_constant=True)


def test_renette_test_networks_by_position_are_nettools(client, cases):
    """ReNette's test networks hold different genes: by position (names ignored),
    the package's copies give nettools' netdist of the matrices as read."""
    from renette_widgets.io import examples
    case = cases["netdist_renette_testdata_1-5_HIM"]
    nets = examples.load_renette("test-networks")
    with pytest.raises(rw.InputError, match="align='position'"):
        rw.distance({n: nets[n] for n in case["list_names"][:2]})
    got = rw.distance({n: nets[n] for n in case["list_names"]}, align="position")
    for field in ("H", "IM", "HIM"):
        expected = read_case_csv(case["expected"][field])
        assert list(got[field].columns) == case["list_names"]
        assert_within(got[field].to_numpy(), expected.to_numpy(), case, field)


def test_distance_on_shared_and_on_all_nodes(client):
    """H of the aligned networks, checked by hand: sum |A - B| / (n (n - 1))."""
    rng = np.random.default_rng(3)

    def net(nodes):
        m = np.triu(rng.random((len(nodes), len(nodes))), 1)
        return pd.DataFrame(m + m.T, index=nodes, columns=nodes)
    a, b = net(list("ABCDEF")), net(list("DEFGHIJ"))
    shared = rw.distance({"a": a, "b": b}, align="shared")
    s = list("DEF")
    h = np.abs(a.loc[s, s].to_numpy() - b.loc[s, s].to_numpy()).sum() / (3 * 2)
    assert shared["H"].iat[0, 1] == pytest.approx(h, abs=1e-12)
    union = rw.distance({"a": a, "b": b}, align="union")
    nodes = list("ABCDEFGHIJ")
    fa = a.reindex(index=nodes, columns=nodes, fill_value=0.0).to_numpy()
    fb = b.reindex(index=nodes, columns=nodes, fill_value=0.0).to_numpy()
    assert union["H"].iat[0, 1] == pytest.approx(np.abs(fa - fb).sum() / (10 * 9), abs=1e-12)
    job = rw.submit("distance", {"a": a, "b": b}, {"align": "union"}).wait(120)
    manifest = rw.Store().manifest(job.id)
    assert manifest["params"]["align"] == "union"
    assert [e["shape"] for e in manifest["inputs"]] == [[10, 10], [10, 10]]


def test_statistics_with_a_density_threshold_against_igraph(client):
    """The WGCNA example network links every pair; kept to 5 % of its edges, its
    degrees vary and the centralities are igraph's on those edges."""
    import igraph
    from renette_widgets.io import examples
    a = examples.load_renette("microbiome-networks")["microbiome_Actinobacteria_0.0-diet_adj"]
    m = a.to_numpy()
    n = len(m)
    nodes, network = rw.netstats(a)  # every edge: the complaint of issue 17
    assert set(nodes["degree"]) == {n - 1} and network["density"].iloc[0] == 1
    nodes, network = rw.netstats(a, threshold="density", density=0.05)
    # the strongest floor(5 % of n (n - 1) / 2) edges, found here independently
    iu = np.triu_indices(n, 1)
    order = np.argsort(-m[iu], kind="stable")[: int(0.05 * n * (n - 1) / 2)]
    g = igraph.Graph(n=n, edges=list(zip(iu[0][order], iu[1][order])))
    assert network["n_edges"].iloc[0] == g.ecount() and network["edges_given"].iloc[0] == n * (n - 1) // 2
    assert network["threshold"].iloc[0] == "density"
    np.testing.assert_array_equal(nodes["degree"], g.degree())
    assert nodes["degree"].nunique() > 5
    np.testing.assert_allclose(nodes["betweenness"],
                               np.array(g.betweenness()) / ((n - 1) * (n - 2) / 2), atol=1e-12)
    np.testing.assert_allclose(nodes["closeness"], g.closeness(normalized=True), atol=1e-12)
    np.testing.assert_allclose(nodes["clustering"], g.transitivity_local_undirected(mode="zero"),
                               atol=1e-12)
    top_k, _ = rw.netstats(a, threshold="top_k", top_k=3)
    assert top_k["degree"].min() >= 3
