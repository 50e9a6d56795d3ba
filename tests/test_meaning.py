"""Tests of meaning, over every registered workflow: each parameter changes
something, every distance behaves like a distance, stability indicators lie in
their ranges, a differential analysis is antisymmetric in its conditions.

The parameter check runs each workflow on small inputs with its defaults, then
with one parameter moved to another valid value (with the other parameters it
needs, ``Param.when``): the result must change, unless the parameter is
declared display-only (``Param.affects``). A parameter nothing reads fails it;
a throwaway workflow with such a parameter proves the check can fail.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import renette_widgets as rw
from renette_widgets import workflows
from renette_widgets.errors import InputError
from renette_widgets.io.arrays import StoredMatrix
from renette_widgets.io.params import Param, coerce
from renette_widgets.jobs.grain import cost_priority
from renette_widgets.jobs.plan import Plan, gather, submit_task
from renette_widgets.results import PairTable
from renette_widgets.symmetry import is_directed
from renette_widgets.workflows import Workflow
from renette_widgets.workflows.reference import markdown

from conformance_helpers import REPO

NODES = [f"g{j}" for j in range(8)]


# ---------------------------------------------------------------- small inputs

def small_inputs(flow: Workflow) -> dict[str, pd.DataFrame]:
    """Inputs of the kind ``flow`` takes, as many as it needs (two networks at least).

    Data: 24 samples of 8 variables in two correlated groups, each condition its
    own grouping (so that a differential analysis finds changes). Networks: the
    same 8 nodes in a different order in each (so that matching nodes by name
    or by position differs), weights in [0, 1], some zero.
    """
    rng = np.random.default_rng(7)
    if flow.input_kind == "data":
        out = {}
        for k in range(flow.min_inputs):
            hidden = rng.normal(size=(24, 2))
            groups = np.arange(8) % 2 if k % 2 == 0 else (np.arange(8) < 4).astype(int)
            x = hidden[:, groups] + 0.7 * rng.normal(size=(24, 8))
            out[f"c{k}"] = pd.DataFrame(x, columns=NODES)
        return out
    out = {}
    for k in range(max(2, flow.min_inputs)):
        a = rng.random((8, 8))
        a = np.triu(np.where(a > 0.4, a, 0.0), 1)
        order = rng.permutation(8)
        names = [NODES[i] for i in order]
        out[f"n{k}"] = pd.DataFrame((a + a.T)[np.ix_(order, order)], index=names, columns=names)
    return out


# ---------------------------------------------------------------- the checker

def alternatives(spec: Param) -> list:
    """Other valid values of a parameter, the likeliest to change something first."""
    if spec.choices:
        return [c for c in spec.choices if c != spec.default]
    if spec.type is bool:
        return [not spec.default]
    if spec.default is None:  # automatic: a small explicit value
        lo = spec.min or 0
        candidates = [lo + 1] if spec.type is int else [lo + 0.5]
    else:
        d = spec.default
        candidates = [d // 2 if spec.type is int else d / 2, d * 2, d + 1]
    out = []
    for value in candidates:
        try:
            value = coerce(spec, value)
        except InputError:
            continue
        if value != spec.default and value not in out:
            out.append(value)
    return out


def fingerprint(value, echoes: frozenset = frozenset()):
    """A comparable digest of a result: numbers to the last bit, names, shapes.
    Fields and keys named like a parameter (``echoes``) are left out: a result
    that only repeats its parameters has not changed."""
    if isinstance(value, StoredMatrix):
        value = value.to_frame()
    if isinstance(value, PairTable):  # in memory (store=False) or read whole
        value = value.frame if value.frame is not None else value.select(sort=value.columns()[0])
    if isinstance(value, pd.DataFrame):
        h = hashlib.blake2b(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        h.update(repr((list(value.columns), value.shape)).encode())
        return ("frame", h.hexdigest())
    if isinstance(value, np.ndarray):
        return ("array", value.shape, hashlib.blake2b(np.ascontiguousarray(value).tobytes())
                .hexdigest())
    if is_dataclass(value):
        return tuple((f.name, fingerprint(getattr(value, f.name), echoes))
                     for f in fields(value) if f.name not in echoes)
    if isinstance(value, dict):
        return tuple((str(k), fingerprint(v, echoes)) for k, v in value.items()
                     if k not in echoes)
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(v, echoes) for v in value)
    if isinstance(value, float) and np.isnan(value):
        return "nan"
    return value


def dead_parameters(flow: Workflow, client, inputs: dict) -> dict[str, str]:
    """``{parameter: why}`` of the parameters of ``flow`` that change nothing when
    moved off their default (display-only ones, ``affects != "result"``, skipped)."""
    echoes = frozenset({"params"} | {p.name for p in flow.params})
    seen: dict = {}

    def run(params: dict):
        key = tuple(sorted(params.items()))
        if key not in seen:
            job = rw.submit(flow.name, inputs, params, client=client, store=False).wait(300)
            assert job.status == "done", f"{flow.name} {params}: {job.error}"
            seen[key] = fingerprint(job.result, echoes)
        return seen[key]

    dead = {}
    for spec in flow.params:
        if spec.affects != "result":
            assert spec.affects.startswith("display: ") and len(spec.affects) > 12, (
                f"{flow.name}.{spec.name}: a display-only parameter says why")
            continue
        context = spec.when_example()
        base = run(context)
        tried = []
        for value in alternatives(spec):
            tried.append(value)
            try:
                changed = run({**context, spec.name: value}) != base
            except InputError:  # not valid for these inputs: try the next value
                continue
            if changed:
                break
        else:
            dead[spec.name] = f"unchanged by {tried} (with {context or 'the defaults'})"
    return dead


@pytest.mark.parametrize("name", workflows.names())
def test_every_parameter_changes_the_result(name, client):
    flow = workflows.get(name)
    assert dead_parameters(flow, client, small_inputs(flow)) == {}


class Deaf(Workflow):
    """A throwaway workflow with a parameter nothing reads (and one it does)."""

    name = "deaf-toy"
    title = "Deaf"
    input_kind = "adjacency"
    params = (Param("scale", float, 1.0, "scale", "Multiplies the sums.", min=0, max=10),
              Param("ignored", int, 3, "ignored", "Read by nothing.", min=1, max=10))

    def plan(self, ctx, matrices, params):
        plan = Plan()
        futs = {n: submit_task(ctx.client, plan, "summing", f"deaf-{i}-{ctx.job_id}", np.sum,
                               df.to_numpy() * params["scale"], priority=cost_priority(1))
                for i, (n, df) in enumerate(matrices.items())}

        def assemble():
            got = gather(ctx.client, list(futs.values()))
            return {n: float(got[f.key]) for n, f in futs.items()}
        plan.assemble = assemble
        return plan


def test_the_parameter_check_reports_a_dead_parameter(client):
    flow = workflows.register(Deaf())
    try:
        dead = dead_parameters(flow, client, small_inputs(flow))
    finally:
        workflows.unregister(flow.name)
    assert list(dead) == ["ignored"] and "unchanged by [1, 6, 4]" in dead["ignored"]


def test_the_parameter_reference_is_generated_from_the_specs():
    committed = (REPO / "docs" / "parameters.md").read_text()
    assert committed == markdown(), (
        "docs/parameters.md differs from the specs: run "
        "python -m renette_widgets.workflows.reference > docs/parameters.md")


# ---------------------------------------------------------------- distances

def network(draw_weights: np.ndarray, directed: bool) -> np.ndarray:
    """A network from weights in [0, 1]: symmetric unless ``directed``, no self-loops."""
    a = np.where(draw_weights > 0.35, draw_weights, 0.0)
    if not directed:
        a = np.triu(a, 1)
        a = a + a.T
    np.fill_diagonal(a, 0.0)
    return a


@st.composite
def network_pairs(draw, directed: bool):
    n = draw(st.integers(4, 9))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a, b = (network(rng.random((n, n)), directed) for _ in range(2))
    if draw(st.booleans()):  # weights outside [0, 1]: each network min-max rescaled
        a = 3 * a - 1
    return a, b, rng.permutation(n), directed


@pytest.mark.parametrize("directed", [False, True])
def test_every_distance_is_zero_on_itself_symmetric_and_blind_to_node_order(client, directed):
    @settings(max_examples=3, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(network_pairs(directed))
    def check(nets):
        distance_properties(client, *nets)
    check()


def distance_properties(client, a, b, perm, directed):
    """d(a, a copy) = 0, d(a, b) = d(b, a), d(pa, pb) = d(a, b) for H, IM and HIM, and
    each of H and IM alone equal to its value in the HIM job."""
    assert is_directed(a) == directed and is_directed(b) == directed
    names = [f"v{j}" for j in range(len(a))]

    def frame(x):
        return pd.DataFrame(x, index=names, columns=names)
    # by position: a permuted network is another network, not the same one re-read
    d = rw.distance({"a": frame(a), "b": frame(b), "a2": frame(a.copy()),
                     "ap": frame(a[np.ix_(perm, perm)]), "bp": frame(b[np.ix_(perm, perm)])},
                    align="position", client=client, store=False)
    back = rw.distance({"b": frame(b), "a": frame(a)}, align="position", client=client,
                       store=False)
    for c in ("H", "IM", "HIM"):
        m = d[c]
        assert np.all(np.isfinite(m.to_numpy())) and (m.to_numpy() >= 0).all(), c
        assert m.loc["a", "a2"] == 0.0, c  # a network and its copy
        assert np.allclose(np.diag(m), 0.0), c
        assert back[c].loc["b", "a"] == pytest.approx(m.loc["a", "b"], abs=1e-12), c
        assert m.loc["ap", "bp"] == pytest.approx(m.loc["a", "b"], abs=1e-9), (c, directed)
    # one distance alone is the same number as in the HIM job (H: the same bits)
    for metric in ("H", "IM"):
        alone = rw.distance({"a": frame(a), "b": frame(b)}, metric=metric,
                            align="position", client=client, store=False)
        assert set(alone) == {metric, "gamma"}
        assert alone[metric].loc["a", "b"] == pytest.approx(d[metric].loc["a", "b"], abs=1e-14)


def test_empty_and_complete_are_at_distance_one(client):
    n = 7
    complete = pd.DataFrame(np.ones((n, n)) - np.eye(n))
    d = rw.distance({"complete": complete}, client=client, store=False)
    # one network is compared with the empty one; gamma makes IM(empty, complete) = 1
    for c in ("H", "IM", "HIM"):
        assert d[c].loc["complete", "empty"] == pytest.approx(1.0, abs=1e-9), c
    h = rw.distance({"complete": complete}, metric="H", client=client, store=False)
    assert h["H"].loc["complete", "empty"] == 1.0


def test_hamming_alone_performs_no_eigendecomposition(client):
    from renette_widgets.engine.spectra import eigendecompositions
    rng = np.random.default_rng(3)
    nets = {f"n{k}": pd.DataFrame(network(rng.random((30, 30)), k == 2)) for k in range(3)}
    counts = lambda: sum(client.run(eigendecompositions).values())  # noqa: E731
    before = counts()
    h = rw.distance(nets, metric="H", client=client, store=False)
    assert counts() == before and set(h) == {"H", "gamma"} and h["gamma"] is None
    full = rw.distance(nets, client=client, store=False)
    assert counts() > before  # the counter counts: HIM computes spectra
    np.testing.assert_array_equal(h["H"].to_numpy(), full["H"].to_numpy())
    only = rw.distance(nets, components=False, client=client, store=False)
    assert set(only) == {"HIM", "gamma"}
    np.testing.assert_array_equal(only["HIM"].to_numpy(), full["HIM"].to_numpy())


# ---------------------------------------------------------------- stability, differential

@pytest.mark.parametrize("resampling, metric", [("montecarlo", "HIM"), ("kCV", "H"),
                                                ("montecarlo", "IM")])
def test_stability_indicators_lie_in_their_ranges(client, resampling, metric):
    from renette_widgets.engine.spectra import eigendecompositions
    (data,) = small_inputs(workflows.get("stability")).values()
    before = sum(client.run(eigendecompositions).values())
    s = rw.stability(data, "WGCNA", metric, resampling=resampling, k=3, h=4, client=client,
                     store=False)
    if metric == "H":  # S and SI of Hamming distances: no spectrum
        assert sum(client.run(eigendecompositions).values()) == before
    for value in (s.S, s.SI, *s.S_boot["S"], *s.SI_boot["SI"]):  # distances: [0, 1]
        assert 0.0 <= value <= 1.0 + 1e-12
    assert s.SI == pytest.approx(s.SI_boot["SI"].mean()) and s.S == pytest.approx(
        s.S_boot["S"].mean())
    # (max - min) / mean of non-negative weights and strengths: >= 0, NaN where the mean is 0
    for table, col in ((s.Sw, "Sw"), (s.Sd, "Sd")):
        v = table[col].to_numpy(dtype=float)
        assert (v[np.isfinite(v)] >= 0).all() and np.isfinite(v).any()
    assert len(s.Sw) == 8 * 7 // 2 and list(s.Sd["node"]) == NODES


def test_swapping_the_conditions_swaps_signs_and_classes(client):
    (a, b) = small_inputs(workflows.get("differential")).values()
    ab = rw.differential(a, b, node_perm=10, client=client, store=False)
    ba = rw.differential(b, a, node_perm=10, client=client, store=False)
    key = ["var1", "var2"]
    p = ab.pairs().sort_values(key).reset_index(drop=True)
    q = ba.pairs().sort_values(key).reset_index(drop=True)
    assert len(p) == 8 * 7 // 2 and (p[key] == q[key]).all().all()
    np.testing.assert_allclose(q["z_diff"], -p["z_diff"], atol=1e-12)
    np.testing.assert_allclose(q["r_A"], p["r_B"], atol=0)
    np.testing.assert_allclose(q["p_diff"], p["p_diff"], rtol=1e-12)
    np.testing.assert_allclose(q["q_diff"], p["q_diff"], rtol=1e-12)
    swapped = p["class"].astype(str).map(lambda c: "/".join(reversed(c.split("/"))))
    assert (q["class"].astype(str) == swapped).all()
    assert (p["z_diff"] != 0).any() and (swapped != p["class"].astype(str)).any()
    na, nb = (r.nodes().set_index("node").sort_index() for r in (ab, ba))
    np.testing.assert_allclose(nb["d"], na["d"], rtol=1e-12)
    assert ab.HIM.iat[0, 1] == pytest.approx(ba.HIM.iat[0, 1], abs=1e-12)


@pytest.mark.parametrize("params, shown", [({"components": False}, ["HIM"]),
                                           ({"metric": "H"}, ["H"]), ({"metric": "IM"}, ["IM"])])
def test_a_job_stores_and_shows_only_the_distance_asked_for(client, tmp_path, params, shown):
    from renette_widgets.widgets.results import view_class
    flow = workflows.get("distance")
    store = rw.Store(tmp_path)
    job = rw.submit("distance", small_inputs(flow), params, client=client, store=store).wait(120)
    assert job.status == "done", job.error
    stored = sorted(p.name for p in (job.folder / "results").iterdir() if p.suffix == ".zarr")
    assert stored == [f"{c}.zarr" for c in shown]
    again = rw.load_result(job.id, store)
    assert [c for c in ("H", "IM", "HIM") if c in again] == shown
    view = view_class("distance")(again, stem="d", params=job.params)
    assert view.components == shown and "h_vs_im" not in view.figs


# ---------------------------------------------------------------- one distance alone, the corpus

def _corpus(function: str, metrics: tuple, ids: str = "") -> list[str]:
    """Ids of the corpus cases of ``function`` with ``d`` in ``metrics`` (and ``ids``
    in their id): the conftest's ``cases`` fixture fails when the corpus is missing."""
    from conformance_helpers import CONFORMANCE
    path = CONFORMANCE / "cases.json"
    cases = json.loads(path.read_text()) if path.is_file() else []
    return [c["id"] for c in cases if c["function"] == function
            and c["args"].get("d") in metrics and ids in c["id"]]


@pytest.mark.parametrize("case_id", _corpus("netdist", ("H", "IM")))
def test_one_distance_alone_matches_the_corpus(client, cases, case_id):
    from conformance_helpers import assert_within, case_network, read_case_csv
    case = cases[case_id]
    args = case["args"]
    nets = {f"n{k}": case_network(p) for k, p in enumerate(case["inputs"])}
    got = rw.distance(nets, metric=args["d"], rho=args["rho"], gamma=args["ga"],
                      components=args["components"], client=client, store=False)
    assert set(got) == {args["d"], "gamma"}
    (field, expected), = case["expected"].items()
    value = got[field].to_numpy()
    if isinstance(expected, str):
        assert_within(value, read_case_csv(expected).to_numpy(), case, field)
    else:
        assert_within(value[0, 1], expected, case, field)


@pytest.mark.parametrize("case_id", _corpus("netSI", ("H",), "_cor_H"))
def test_stability_by_hamming_alone_matches_the_corpus(client, cases, case_id):
    from conformance_helpers import assert_within, read_case_csv
    case = cases[case_id]
    args, exp = case["args"], case["expected"]
    s = rw.stability(read_case_csv(case["inputs"][0]), args["adj.method"], "H",
                     args["resamp.method"], args["k"], args["h"], args["sseed"],
                     client=client, store=False)
    assert_within(s.S, exp["S"], case, "S")
    assert_within(s.SI, exp["SI"], case, "SI")
    assert_within(s.SI_boot["SI"], read_case_csv(exp["SI_boot"])["SI"], case, "SI_boot")
