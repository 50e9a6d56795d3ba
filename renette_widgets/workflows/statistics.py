"""Statistics: node and network statistics of each network (degree, strength, ...).

Parameters: ``{"seed": 0}`` (community detection). Tasks: one per network
(:func:`~renette_widgets.engine.tasks.t_netstats`). Result: ``{network name:
{"nodes": DataFrame (one row per node), "network": DataFrame (one row)}}``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..engine.tasks import t_netstats
from ..io.names import safe_name
from ..io.params import SEED
from ..jobs.grain import cost_priority
from ..jobs.plan import Plan, gather, submit_task
from .base import Workflow
from .registry import register


class Statistics(Workflow):
    name = "statistics"
    title = "Statistics"
    input_kind = "adjacency"
    params = (SEED,)
    view = "renette_widgets.widgets.results:StatisticsView"
    cli_command = "stats"
    cli_help = "node and network statistics"

    def plan(self, client, matrices, params, job_id):
        plan = Plan()
        seed = int(params["seed"])
        prio = cost_priority(sum(df.shape[0] ** 3 for df in matrices.values()))
        futs = {}
        for i, (name, df) in enumerate(matrices.items()):
            futs[name] = (df.columns, submit_task(client, plan, f"statistics of {name}",
                                                  f"stats-{i}-{job_id}", t_netstats,
                                                  df.to_numpy(dtype=float), seed,
                                                  priority=prio))

        def assemble():
            out = {}
            got = gather(client, [fut for _, fut in futs.values()])
            for name, (cols, fut) in futs.items():
                r = got[fut.key]
                nodes = pd.DataFrame(r["nodes"])
                if len(nodes) == len(cols):  # R gets a bare matrix: put the node names back
                    nodes = nodes.drop(columns="node", errors="ignore")
                    nodes.insert(0, "node", [str(c) for c in cols])
                out[name] = {"nodes": nodes, "network": pd.DataFrame(r["network"])}
            return out
        plan.assemble = assemble
        return plan

    def write_result(self, result, folder: Path) -> dict:
        networks: dict[str, dict] = {}
        taken: set[str] = set()
        for name, tables in result.items():
            stem = safe_name(name, taken)
            tables["nodes"].to_csv(folder / f"{stem}_nodes.csv", index=False)
            tables["network"].to_csv(folder / f"{stem}_network.csv", index=False)
            networks[name] = {"nodes": f"{stem}_nodes.csv", "network": f"{stem}_network.csv"}
        return {"networks": networks}

    def read_result(self, files, folder: Path):
        return {name: {"nodes": pd.read_csv(folder / f["nodes"]),
                       "network": pd.read_csv(folder / f["network"])}
                for name, f in files["networks"].items()}

    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=SEED.default)

    def cli_params(self, args: argparse.Namespace) -> dict:
        return {"seed": args.seed}


register(Statistics())
