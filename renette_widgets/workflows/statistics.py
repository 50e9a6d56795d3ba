"""Statistics: node and network statistics of each network (degree, strength, ...).

Parameters: the specs below (docs/parameters.md): the seed of community
detection, and which edges count
(:func:`~renette_widgets.engine.graphs.keep_edges`). Tasks: one per network
(:func:`~renette_widgets.engine.tasks.t_netstats`). Result: ``{network name:
{"nodes": DataFrame (one row per node), "network": DataFrame (one row)}}``.
Weighted node measures (strength, pagerank, eigenvector, alpha,
clustering_weighted) use the weights of the kept edges; unweighted ones
(degree, eccentricity, betweenness, closeness, clustering) count kept edges.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..engine.tasks import t_netstats
from ..io.names import safe_name
from ..engine.graphs import THRESHOLDS
from ..io.params import SEED, Param
from ..jobs.grain import cost_priority
from ..io.arrays import read_table, write_table
from ..jobs.memory import Estimate
from ..jobs.plan import Context, Plan, gather, submit_task
from .base import Arg, Front, MatrixLike, Workflow
from .registry import register


THRESHOLD = (
    Param("threshold", str, "none", "edges counted",
          "Dense weighted networks (WGCNA, correlation) link almost every pair: keep the "
          "edges that matter first, or degree and density say nothing.",
          choices=THRESHOLDS, choice_labels=(
              "all edges (as given)", "weight above a cut", "k strongest edges per node",
              "strongest edges up to a density")),
    Param("cut", float, 0.1, "weight cut", "With 'weight above a cut': edges with |weight| "
          "above this are kept.", min=0, max=1e12, when=(("threshold", "weight"),)),
    Param("top_k", int, 5, "edges per node", "With 'k strongest edges per node': an edge "
          "stays when it is among the k strongest of either of its nodes.", min=1, max=100000,
          when=(("threshold", "top_k"),)),
    Param("density", float, 0.05, "target density", "With 'strongest edges up to a density': "
          "the fraction of all possible edges kept (0.05 = 5 %).", min=0, max=1, min_open=True,
          when=(("threshold", "density"),)),
)


class Statistics(Workflow):
    name = "statistics"
    title = "Statistics"
    input_kind = "adjacency"
    params = (SEED, *THRESHOLD)
    view = "renette_widgets.widgets.statistics:StatisticsView"
    cli_command = "stats"
    cli_help = "node and network statistics"
    front = Front(
        name="netstats",
        summary="Node and network statistics of one network.",
        inputs=(Arg("network", MatrixLike, "DataFrame, ndarray or path\n    The network "
                    "(a file: adjacency matrix, edge list, GraphML or GML)."),),
        positional=("seed",),
        returns="(DataFrame, DataFrame)\n    The node table (one row per node: weighted "
                "strength, pagerank, eigenvector, alpha and clustering_weighted; unweighted "
                "degree, eccentricity, betweenness, closeness and clustering; community) and "
                "the network table (one row, with the threshold, the weight cut and the edges "
                "given and kept).")

    def memory(self, matrices, params) -> Estimate:
        # igraph's graph of a dense network and R's copies of it
        n = max(df.shape[0] for df in matrices.values())
        return Estimate(6 * 8 * n * n, 0, f"a network of {n:,} nodes")

    def plan(self, ctx: Context, matrices, params):
        plan = Plan()
        client, job_id = ctx.client, ctx.job_id
        seed = int(params["seed"])
        prio = cost_priority(sum(df.shape[0] ** 3 for df in matrices.values()))
        futs = {}
        for i, (name, df) in enumerate(matrices.items()):
            futs[name] = (df.columns, submit_task(client, plan, f"statistics of {name}",
                                                  f"stats-{i}-{job_id}", t_netstats,
                                                  df.to_numpy(dtype=float), seed,
                                                  params["threshold"], params["cut"],
                                                  params["top_k"], params["density"],
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
            networks[name] = {}
            for part in ("nodes", "network"):
                write_table(folder / f"{stem}_{part}.parquet", tables[part])
                networks[name][part] = f"{stem}_{part}.parquet"
        return {"networks": networks}

    def read_result(self, files, folder: Path):
        return {name: {part: read_table(folder / f[part]) for part in ("nodes", "network")}
                for name, f in files["networks"].items()}

    def exportables(self, result):
        return {f"{name}_{part}": ("table", tables[part])
                for name, tables in result.items() for part in ("nodes", "network")}

    def api_inputs(self, args):
        return {"network": args["network"]}

    def api_result(self, result):
        tables = next(iter(result.values()))
        return tables["nodes"], tables["network"]


register(Statistics())
