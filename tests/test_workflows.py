"""Every registered workflow, netrd-style: the same checks run over each member of
the registry (parameters, a tiny job, the store round trip, its view, its CLI),
and a toy workflow added in this process runs through submit, the store and
load_result without any other module knowing it."""
from __future__ import annotations

import argparse
import json
from dataclasses import fields, is_dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets import Store, workflows
from renette_widgets.cli import parser as cli_parser
from renette_widgets.io.arrays import StoredMatrix
from renette_widgets.jobs.grain import cost_priority
from renette_widgets.jobs.plan import Plan, gather, submit_task
from renette_widgets.workflows import Workflow

BUILT_IN = ["inference", "distance", "stability", "statistics"]


def tiny_inputs(kind: str, count: int = 1) -> dict[str, pd.DataFrame]:
    """Small inputs of the kind a workflow takes: ``count`` data matrices (at least
    the workflow's ``min_inputs``), or as many networks (two at least)."""
    rng = np.random.default_rng(0)
    names = [f"g{j}" for j in range(6)]
    if kind == "data":
        return {f"d{k or ''}": pd.DataFrame(rng.normal(size=(20, 6)), columns=names)
                for k in range(count)}
    out = {}
    for k in range(max(2, count)):
        a = rng.random((6, 6))
        a = np.triu(np.where(a > 0.5, a, 0.0), 1)
        out[f"n{k}"] = pd.DataFrame(a + a.T, index=names, columns=names)
    return out


def assert_same(a, b, where="result"):
    """Results equal as the store keeps them (numbers to the last bit; CSV dtypes aside)."""
    if isinstance(a, StoredMatrix):
        assert isinstance(b, StoredMatrix), where
        pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), obj=where)
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_index_type=False,
                                      obj=where)
    elif isinstance(a, dict):
        assert set(a) == set(b), where
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif is_dataclass(a):
        for f in fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    else:
        assert a == b, where


def test_the_built_in_workflows_are_registered():
    assert workflows.names()[:4] == BUILT_IN


@pytest.mark.parametrize("name", workflows.names())
def test_parameters_validate_with_their_defaults(name):
    flow = workflows.get(name)
    assert flow.name == name and flow.title and flow.input_kind in ("data", "adjacency")
    p = flow.validate_params({})
    assert flow.validate_params(p) == p  # canonical and typed: a fixed point
    json.dumps(p)  # manifests hold plain values
    with pytest.raises(rw.InputError, match="unknown parameter"):
        flow.validate_params({"no_such_parameter": 1})


@pytest.mark.parametrize("name", workflows.names())
def test_a_tiny_job_runs_round_trips_the_store_and_has_a_view(name, client, tmp_path):
    from renette_widgets.widgets.results import view_class
    flow = workflows.get(name)
    store = Store(tmp_path)
    job = rw.submit(name, tiny_inputs(flow.input_kind, flow.min_inputs), {},
                    client=client, store=store).wait(180)
    assert job.status == "done", job.error
    assert_same(job.result, rw.load_result(job.id, store))
    again = rw.load_job(job.id, store)
    assert again.workflow == name and again.status == "done"
    assert_same(job.result, again.result)
    view = view_class(name)(again.result, stem=f"{name}_x", params=again.params)
    assert view.children  # a widget with something in it
    for net in flow.output_networks(job.result).values():
        assert net.shape[0] == net.shape[1]


@pytest.mark.parametrize("name", [n for n in workflows.names() if workflows.get(n).cli_command])
def test_cli_options_give_valid_parameters(name, tmp_path):
    flow = workflows.get(name)
    args = cli_parser().parse_args([flow.cli_command, str(tmp_path / "x.csv")])
    assert args.flow is flow
    assert flow.validate_params(flow.cli_params(args)) == flow.validate_params({})


class Sum(Workflow):
    """A toy workflow: the sum of each matrix, computed on a worker."""

    name = "toy-sum"
    title = "Sum"
    input_kind = "data"

    def check_inputs(self, matrices, params, drop_constant=False):
        return matrices

    def plan(self, ctx, matrices, params):
        plan = Plan()
        client = ctx.client
        futs = {name: submit_task(client, plan, f"summing {name}", f"sum-{i}-{ctx.job_id}",
                                  np.sum, df.to_numpy(), priority=cost_priority(1))
                for i, (name, df) in enumerate(matrices.items())}

        def assemble():
            got = gather(client, list(futs.values()))
            return {name: float(got[f.key]) for name, f in futs.items()}
        plan.assemble = assemble
        return plan

    def write_result(self, result, folder: Path) -> dict:
        (folder / "sums.json").write_text(json.dumps(result))
        return {"sums": "sums.json"}

    def read_result(self, files, folder: Path):
        return json.loads((folder / files["sums"]).read_text())


def test_a_workflow_is_one_file(client, tmp_path):
    """Registering a workflow is all it takes: submit, the store, load_result,
    the dashboard's generic view and the job list know it."""
    from renette_widgets.widgets.results import GenericView, view_class
    workflows.register(Sum())
    try:
        store = Store(tmp_path)
        data = {"a": pd.DataFrame([[1.0, 2.0], [3.0, 4.5]]), "b": pd.DataFrame([[-1.0]])}
        job = rw.submit("toy-sum", data, client=client, store=store).wait(60)
        assert job.status == "done", job.error
        assert job.result == {"a": 10.5, "b": -1.0}
        assert rw.load_result(job.id, store) == {"a": 10.5, "b": -1.0}
        (m,) = store.list()
        assert m["workflow"] == "toy-sum" and m["results"] == {"sums": "sums.json"}
        assert view_class("toy-sum") is GenericView
        assert GenericView(job.result).children
    finally:
        workflows.unregister("toy-sum")
    with pytest.raises(rw.InputError, match="unknown workflow 'toy-sum'"):
        rw.submit("toy-sum", data, client=client, store=False)


def test_unknown_workflow_names_the_known_ones():
    with pytest.raises(rw.InputError) as info:
        workflows.get("nope")
    assert all(n in info.value.hint for n in BUILT_IN)
    assert isinstance(cli_parser(), argparse.ArgumentParser)
