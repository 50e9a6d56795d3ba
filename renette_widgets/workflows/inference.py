"""Inference: networks from data matrices, one per (input, method).

Parameters (canonical form, as stored in a job's manifest):
``{"methods": {method: {param: value}}, "seed": 0}``; the flat form
``{"method": "WGCNA", "P": 6, "seed": 0}`` is accepted too. Method parameters
carry the names of R's ``mat2adj`` arguments (:mod:`renette_widgets.io.params`).

Tasks: correlation networks (``cor`` Pearson or Spearman, ``WGCNA``) as
blocks of rows computed by the workers (:mod:`renette_widgets.engine.correlation`)
and written by them to the store; other methods one task per (input, method)
in R, an all-pairs MINE as blocks of rows
(:func:`~renette_widgets.jobs.grain.mine_row_blocks`) and a last task that puts
them together. Result: ``{"networks": {"<input>_<method>": network}}``, each
network a :class:`~renette_widgets.io.arrays.StoredMatrix` (read lazily) for a
job in the store, a DataFrame for a job kept in memory.
"""
from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..engine.correlation import block_method, t_cor_block, t_standardize
from ..engine.tasks import t_infer, t_input, t_mine_finish, t_mine_rows
from ..errors import InputError
from ..io import checks
from ..io.arrays import (StoredMatrix, as_frame, create_matrix, read_matrix_file, row_blocks,
                         write_matrix)
from ..io.names import safe_name
from ..io.params import METHOD, SEED, TOP_VARIANCE, coerce, take, validate_method_params
from ..jobs.grain import DEFAULT_WORKERS, cost_priority, mine_row_blocks, tasks_per_worker
from ..jobs.memory import Estimate
from ..jobs.placement import cluster_state
from ..jobs.plan import Context, Plan, gather, submit_task
from . import options
from .base import Arg, Front, MatrixLike, Workflow, source
from .registry import register


class Inference(Workflow):
    name = "inference"
    title = "Inference"
    input_kind = "data"
    # the seed matters to the stochastic methods only (bc3net's bagging)
    params = (METHOD, replace(SEED, when=(("method", "bc3net"),)), TOP_VARIANCE)
    view = "renette_widgets.widgets.inference:InferenceView"
    cli_command = "infer"
    cli_help = "infer networks"
    cli_repeat = ("method",)
    front = Front(
        name="infer",
        summary="Infer a network from a data matrix (samples in rows, variables in columns).",
        inputs=(Arg("data", MatrixLike, "DataFrame, ndarray or path\n    The data matrix "
                    "(a file is read with :func:`read_matrix`)."),),
        positional=("method",),
        var_keyword=Arg("params", Any, "Method parameters, as keyword arguments of R's "
                        "``mat2adj`` (e.g. ``P=6``, ``measure=\"MIC\"``, ``tol=0``)."),
        returns="DataFrame\n    p x p adjacency with the variable names.")

    def validate_params(self, params: Mapping | None) -> dict:
        """``{"methods": {method: {...}} or [methods], "seed"}``, or the flat form
        ``{"method": "WGCNA", "P": 6, "seed": 0}``; strings from forms are typed."""
        p = dict(params or {})
        seed = take([SEED, TOP_VARIANCE], {k: p.pop(k) for k in ("seed", "top_variance") if k in p},
                    context=self.name)
        methods = p.pop("methods", None)
        if methods is None:
            methods = {p.pop("method", p.pop("infer.method", METHOD.default)): p}
        elif p:
            if isinstance(methods, Mapping):
                raise InputError(f"unknown parameter(s) {', '.join(map(str, p))} next to "
                                 "'methods'", parameter=str(next(iter(p))),
                                 hint="Put method parameters inside methods[method].")
            methods = {m: p for m in ([methods] if isinstance(methods, str) else methods)}
        elif isinstance(methods, str):
            methods = {methods: {}}
        elif not isinstance(methods, Mapping):
            methods = {m: {} for m in methods}
        if not methods:
            raise InputError("no inference method chosen", parameter="methods",
                             hint="Choose at least one method.")
        out = {}
        for method, mp in methods.items():
            if mp is not None and not isinstance(mp, Mapping):
                raise InputError(f"parameters of method {method} must be a mapping",
                                 parameter=str(method))
            out[coerce(METHOD, method)] = validate_method_params(method, mp)
        return {"methods": out, **seed}

    def check_inputs(self, matrices, params, drop_constant=False):
        out = {}
        for name, df in matrices.items():
            df = checks.keep_most_variable(df, params.get("top_variance"), source(name, df))
            for method, mp in params["methods"].items():
                df = checks.check_data(df, method=method, tol=float(mp.get("tol") or 0.0),
                                       drop_constant=drop_constant, name=source(name, df))
            out[name] = df
        return out

    def memory(self, matrices, params) -> Estimate:
        per_task, client, what = 0, 0, ""
        for df in matrices.values():
            n, p = df.shape
            for method, mp in params["methods"].items():
                if block_method(method, mp):  # the data twice and a block
                    need = 16 * n * p + 3 * min(BLOCK_BYTES, 8 * p * p)
                else:  # R holds the whole network, and its working copies
                    need = 8 * n * p + R_COPIES.get(method, 4) * 8 * p * p
                if need > per_task:
                    per_task, what = need, f"a {p:,} x {p:,} network by {method}"
                client += 8 * p * p
        return Estimate(per_task, client, what)

    def plan(self, ctx: Context, matrices, params):
        plan = Plan()
        client, job_id = ctx.client, ctx.job_id
        methods = params["methods"]
        cost = sum(df.shape[0] * df.shape[1] ** 2 * (1000 if m in ("MINE", "DTWMIC") else 1)
                   for df in matrices.values() for m in methods)
        prio = cost_priority(cost)
        addresses, _ = cluster_state(client)
        slots = tasks_per_worker(len(addresses) or DEFAULT_WORKERS) * (len(addresses)
                                                                        or DEFAULT_WORKERS)
        out = {}  # network name -> (its stored matrix or None, [futures], columns)
        taken: set[str] = set()
        for i, (name, df) in enumerate(matrices.items()):
            x = submit_task(client, plan, "sending inputs", f"input-{i}-{job_id}", t_input,
                            df.to_numpy(dtype=float), priority=prio)
            for method, mparams in methods.items():
                net = f"{name}_{method}"
                path = None
                if ctx.results is not None:  # the workers write it to the store
                    path = ctx.results / f"{safe_name(net, taken)}.zarr"
                stage = f"inferring {name} with {method}"
                if block_method(method, mparams):
                    futs = _plan_blocks(ctx, plan, stage, f"{i}-{method}", x, df, method,
                                        mparams, path, slots, prio)
                elif method == "MINE":
                    futs = [_plan_mine(client, plan, name, i, x, df, dict(mparams),
                                       job_id, prio, path)]
                else:
                    _create(path, df)
                    futs = [submit_task(client, plan, stage, f"infer-{i}-{method}-{job_id}",
                                        t_infer, x, method, dict(mparams), params["seed"],
                                        _path(path), priority=prio)]
                out[net] = (path, futs, [str(c) for c in df.columns])

        def assemble():
            got = gather(client, [f for _, futs, _ in out.values() for f in futs])
            nets = {}
            for net, (path, futs, cols) in out.items():
                if path is not None:
                    nets[net] = StoredMatrix(path)
                else:
                    values = np.concatenate([got[f.key] for f in futs if got[f.key] is not None])
                    nets[net] = pd.DataFrame(values, index=cols, columns=cols, copy=False)
            return {"networks": nets}
        plan.assemble = assemble
        return plan

    def write_result(self, result, folder: Path) -> dict:
        networks: dict[str, dict] = {}
        taken: set[str] = set()
        for name, net in result["networks"].items():
            stem = f"{safe_name(name, taken)}.zarr"
            if not (isinstance(net, StoredMatrix) and str(net.path) == str(folder / stem)):
                write_matrix(folder / stem, net)  # a job that kept it in memory
            networks[name] = {"matrix": stem}
        return {"networks": networks}

    def read_result(self, files, folder: Path):
        # format 1 stored {"csv": ..., "graphml": ...}
        return {"networks": {name: read_matrix_file(folder / (f.get("matrix") or f["csv"]))
                             for name, f in files["networks"].items()}}

    def output_networks(self, result):
        return dict(result["networks"])

    def exportables(self, result):
        return {name: ("network", net) for name, net in result["networks"].items()}

    def api_inputs(self, args):
        return {"data": args["data"]}

    def api_params(self, values, extra):
        return {"methods": {values.pop("method"): extra}, **values}

    def api_result(self, result):
        return as_frame(next(iter(result["networks"].values())))

    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        options.add_method_options(parser)

    def cli_extra(self, values, args: argparse.Namespace) -> dict:
        methods = values.pop("method") or [METHOD.default]
        return {"methods": options.method_params(methods, args.param), **values}


def _path(path: Path | None) -> str | None:
    return None if path is None else str(path)


# Largest block of a network one task computes (rows x p float64 values): two
# workers' blocks and the network the client reads back stay within a few times
# the network's size (benchmarks/RESULTS.md, "Genome scale").
BLOCK_BYTES = 32 * 2**20
# Copies of a p x p matrix R makes while inferring one by each method (measured
# peaks, rounded up; cor and WGCNA with Kendall or missing values go to R too).
R_COPIES = {"cor": 4, "WGCNA": 4, "bicor": 4, "TOM": 8, "WGCNAFDR": 6, "bicorFDR": 6,
            "ARACNE": 6, "CLR": 6, "MINE": 4, "MINEFDR": 6, "DTWMIC": 6, "c3net": 6,
            "bc3net": 6}


def _plan_blocks(ctx: Context, plan: Plan, stage: str, tag: str, x, df: pd.DataFrame,
                 method: str, mparams: dict, path: Path | None, slots: int,
                 prio: int) -> list:
    """A correlation network as blocks of rows: one task standardises the data,
    then each block task computes and writes its rows (enough blocks for every
    task slot of the cluster, none over ``BLOCK_BYTES``)."""
    n, p = df.shape
    kind = mparams.get("method", "pearson")
    power = float(mparams.get("P", 1)) if method == "WGCNA" else 1.0
    _create(path, df)
    z = submit_task(ctx.client, plan, stage, f"standardize-{tag}-{ctx.job_id}", t_standardize,
                    x, kind, priority=prio)
    rows = min(max(1, -(-p // slots)), max(1, BLOCK_BYTES // (8 * p)))
    return [submit_task(ctx.client, plan, stage, f"block-{tag}-{a}-{ctx.job_id}", t_cor_block,
                        z, a, b, power, _path(path), priority=prio)
            for a, b in row_blocks(p, rows)]


def _create(path: Path | None, df: pd.DataFrame) -> None:
    """The empty network a worker will fill (its names are known here)."""
    if path is not None:
        create_matrix(path, (df.shape[1], df.shape[1]), list(df.columns), list(df.columns))


def _plan_mine(client, plan: Plan, name: str, i: int, x, df: pd.DataFrame, mparams: dict,
               job_id: str, prio: int, path: Path | None):
    """All-pairs MINE as blocks of rows, then one task putting them together."""
    stage = f"inferring {name} with MINE"
    _create(path, df)
    blocks = [submit_task(client, plan, stage, f"mine-{i}-{b}-{job_id}", t_mine_rows, x, rows,
                          mparams, priority=prio)
              for b, rows in enumerate(mine_row_blocks(df.shape[1]))]
    return submit_task(client, plan, stage, f"infer-{i}-MINE-{job_id}", t_mine_finish, x,
                       blocks, mparams, _path(path), priority=prio)


register(Inference())
