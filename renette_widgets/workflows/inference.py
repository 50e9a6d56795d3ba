"""Inference: networks from data matrices, one per (input, method).

Parameters (canonical form, as stored in a job's manifest):
``{"methods": {method: {param: value}}, "seed": 0}``; the flat form
``{"method": "WGCNA", "P": 6, "seed": 0}`` is accepted too. Method parameters
carry the names of R's ``mat2adj`` arguments (:mod:`renette_widgets.io.params`).

Tasks: one per (input, method); an all-pairs MINE as blocks of rows
(:func:`~renette_widgets.jobs.grain.mine_row_blocks`) and a last task that
puts them together. Result: ``{"networks": {"<input>_<method>": DataFrame}}``.
"""
from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..engine.tasks import t_infer, t_input, t_mine_finish, t_mine_rows
from ..errors import InputError
from ..io import checks
from ..io.graphml import write_graphml
from ..io.names import safe_name
from ..io.params import METHOD, SEED, coerce, take, validate_method_params
from ..jobs.grain import cost_priority, mine_row_blocks
from ..jobs.plan import Plan, gather, submit_task
from . import options
from .base import Workflow, source
from .registry import register


class Inference(Workflow):
    name = "inference"
    title = "Inference"
    input_kind = "data"
    params = (METHOD, SEED)
    view = "renette_widgets.widgets.results:InferenceView"
    cli_command = "infer"
    cli_help = "infer networks"

    def validate_params(self, params: Mapping | None) -> dict:
        """``{"methods": {method: {...}} or [methods], "seed"}``, or the flat form
        ``{"method": "WGCNA", "P": 6, "seed": 0}``; strings from forms are typed."""
        p = dict(params or {})
        seed = take([SEED], {k: p.pop(k) for k in ("seed",) if k in p}, context=self.name)
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
            for method, mp in params["methods"].items():
                df = checks.check_data(df, method=method, tol=float(mp.get("tol") or 0.0),
                                       drop_constant=drop_constant, name=source(name, df))
            out[name] = df
        return out

    def plan(self, client, matrices, params, job_id):
        plan = Plan()
        methods = params["methods"]
        cost = sum(df.shape[0] * df.shape[1] ** 2 * (1000 if m in ("MINE", "DTWMIC") else 1)
                   for df in matrices.values() for m in methods)
        prio = cost_priority(cost)
        jobs = []
        for i, (name, df) in enumerate(matrices.items()):
            x = submit_task(client, plan, "sending inputs", f"input-{i}-{job_id}", t_input,
                            df.to_numpy(dtype=float), priority=prio)
            for method, mparams in methods.items():
                if method == "MINE":
                    fut = _plan_mine(client, plan, name, i, x, df.shape[1], dict(mparams),
                                     job_id, prio)
                else:
                    fut = submit_task(client, plan, f"inferring {name} with {method}",
                                      f"infer-{i}-{method}-{job_id}", t_infer, x, method,
                                      dict(mparams), params["seed"], priority=prio)
                jobs.append((name, method, df.columns, fut))

        def assemble():
            got = gather(client, [fut for *_, fut in jobs])
            return {"networks": {f"{name}_{method}": pd.DataFrame(got[fut.key], index=cols,
                                                                   columns=cols)
                                 for name, method, cols, fut in jobs}}
        plan.assemble = assemble
        return plan

    def write_result(self, result, folder: Path) -> dict:
        networks: dict[str, dict] = {}
        taken: set[str] = set()
        for name, net in result["networks"].items():
            stem = safe_name(name, taken)
            net.to_csv(folder / f"{stem}.csv")
            write_graphml(net, folder / f"{stem}.graphml", name=stem)
            networks[name] = {"csv": f"{stem}.csv", "graphml": f"{stem}.graphml"}
        return {"networks": networks}

    def read_result(self, files, folder: Path):
        return {"networks": {name: pd.read_csv(folder / f["csv"], index_col=0)
                             for name, f in files["networks"].items()}}

    def output_networks(self, result):
        return dict(result["networks"])

    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        options.add_method_options(parser, several=True)
        parser.add_argument("--seed", type=int, default=SEED.default)

    def cli_params(self, args: argparse.Namespace) -> dict:
        return {"methods": options.method_params(args.method or [METHOD.default], args.param),
                "seed": args.seed}


def _plan_mine(client, plan: Plan, name: str, i: int, x, p: int, mparams: dict,
               job_id: str, prio: int):
    """All-pairs MINE as blocks of rows, then one task putting them together."""
    stage = f"inferring {name} with MINE"
    blocks = [submit_task(client, plan, stage, f"mine-{i}-{b}-{job_id}", t_mine_rows, x, rows,
                          mparams, priority=prio)
              for b, rows in enumerate(mine_row_blocks(p))]
    return submit_task(client, plan, stage, f"infer-{i}-MINE-{job_id}", t_mine_finish, x,
                       blocks, mparams, priority=prio)


register(Inference())
