"""Distance: Hamming, Ipsen-Mikhailov and HIM between every pair of networks.

Parameters: the specs below (docs/parameters.md). One network is compared
with the empty network, as ReNette did.

Tasks: the distance step (:mod:`.diststep`): one per chunk of networks
(spectrum and IM-grid density of each, none for H alone), one per tile of
pairs. Result: ``H``, ``IM``, ``HIM`` (k x k DataFrames with the networks'
names; only the chosen ``metric`` unless it is HIM with ``components``) and
``gamma``.

``spectrum="approximate"`` (undirected networks of 10,000+ nodes) estimates
each spectrum's density by stochastic Lanczos quadrature
(:mod:`renette_widgets.engine.approx`) instead of an eigendecomposition; the
result then has ``IM_error`` and ``HIM_error``, the estimated bound of each
pair's error next to its number. It is used only when asked for.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..engine import packing
from ..engine.approx import t_spectra_approx
from ..engine.spectra import t_pair_distances
from ..io import checks
from ..io.arrays import as_frame, read_matrix_file, write_matrix
from ..io.params import COMPONENTS, DISTANCE, Param
from ..jobs.grain import (DEFAULT_WORKERS, cost_priority, n_parts, network_cost, split,
                          upper_pairs)
from ..jobs.memory import Estimate
from ..jobs.placement import chunk_placement, cluster_state
from ..jobs.plan import Context, Plan, gather, map_tasks
from ..jobs.store import dump_json
from ..symmetry import is_directed
from ..errors import InputError
from .base import Arg, Front, Workflow
from .diststep import COMPONENT_NAMES, DistanceStep
from .registry import register

# with approximate spectra: each pair's error; pair by pair on shared nodes: their number
ERROR_NAMES = ("IM_error", "HIM_error", "shared_nodes")
ALIGN = Param("align", str, "names", "node sets",
              "How nodes are matched between networks: by name (the same nodes in each), the "
              "nodes all networks share, all nodes (a node missing from a network is isolated "
              "in it), or by position (names ignored, as nettools did).",
              choices=checks.ALIGN,
              choice_labels=("same names in each network", "shared nodes only",
                             "all nodes (missing = isolated)", "by position (names ignored)"))


SPECTRUM = Param("spectrum", str, "exact", "spectrum",
                 "Exact Laplacian spectra, or approximate ones (stochastic Lanczos quadrature: "
                 "for undirected networks of 10,000+ nodes, with the estimated error shown "
                 "next to each IM and HIM).", choices=("exact", "approximate"))
# Random vectors and Lanczos steps of an approximate spectrum (engine/approx.py).
SLQ_VECTORS, SLQ_STEPS = 16, 80


class Distance(Workflow):
    name = "distance"
    title = "Distance"
    input_kind = "adjacency"
    params = DISTANCE + (COMPONENTS, ALIGN, SPECTRUM)
    view = "renette_widgets.widgets.distance:DistanceView"
    cli_command = "distance"
    cli_help = "distances between networks"
    front = Front(
        name="distance",
        summary="Distances between networks (Hamming, Ipsen-Mikhailov, HIM).",
        inputs=(Arg("networks", Any, "mapping, sequence or path(s)\n    Networks (DataFrames, "
                    "or files: adjacency matrices, edge lists, GraphML, GML); one network is "
                    "compared with the empty network. With ``multiplex=True``: two multiplex "
                    "networks, each a folder of layer files, a list of layers or ``{layer: "
                    "network}`` (the two as a list, or as ``{name: layers}``)."),),
        positional=("metric", "rho", "gamma", "components"),
        variant="multiplex",
        returns="dict\n    ``H``, ``IM``, ``HIM`` (k x k DataFrames with the network names: "
                "those ``metric`` and ``components`` ask for); ``gamma``: the value used "
                "(None with H alone); with approximate spectra ``IM_error`` and ``HIM_error``. "
                "With ``multiplex=True``: ``distances`` (columns H, IM, HIM; a row per pair of "
                "layers, then ``\"multiplex\"``), ``networks`` and ``layers`` (the names "
                "compared).")

    def check_inputs(self, matrices, params, drop_constant=False):
        nets = super().check_inputs(matrices, params, drop_constant)
        nets = checks.check_network_set(nets, min_count=1, align=params["align"])
        if params["spectrum"] == "approximate":
            directed = [name for name, df in nets.items() if is_directed(df.to_numpy())]
            if directed:
                raise InputError(f"approximate spectra are for undirected networks, and "
                                 f"{directed[0]} is directed", file=directed[0],
                                 hint="Use spectrum='exact' (--spectrum exact), or make the "
                                      "networks symmetric.")
        return nets

    def memory(self, matrices, params) -> Estimate:
        # a chunk: its network in numpy and R (rescaled, Laplacian, eigen work);
        # a tile: every network it touches, twice (fetched, and in R)
        n, k = next(iter(matrices.values())).shape[0], len(matrices) + (len(matrices) == 1)
        return Estimate(8 * n * n * (5 + 2 * k), 8 * n * n * k,
                        f"{k} networks of {n:,} nodes")

    def plan(self, ctx: Context, matrices, params):
        if params["align"] == "shared" and len(matrices) > 1:
            nodes = checks.shared_pairs(matrices)
            if nodes is not None:
                return _plan_pairs(ctx, matrices, params, nodes)
        plan = Plan()
        client, job_id = ctx.client, ctx.job_id
        names = list(matrices)
        mats = [df.to_numpy(dtype=float) for df in matrices.values()]
        if len(mats) == 1:  # as ReNette: one network is compared with the empty one
            names.append("empty")
            mats.append(np.zeros_like(mats[0]))
        n = mats[0].shape[0]
        prio = cost_priority(len(mats) * n ** 3 + len(mats) ** 2 * n ** 2)
        exact = [np.array_equal(a, a.T) for a in mats]  # exactly symmetric: sent packed
        directed = any(not e and is_directed(a) for a, e in zip(mats, exact))
        addresses, idle = cluster_state(client)
        workers = len(addresses) or DEFAULT_WORKERS
        gamma = params["gamma"]  # None: each chunk finds the optimal one (cached)
        # Each network is needed by its chunk's task only. A stored job's chunks
        # read their networks from the store; otherwise a network travels inside
        # its chunk's task (recomputable too), packed when symmetric.
        if ctx.inputs is not None:
            send = [str(ctx.inputs[name]) for name in matrices]
            send += [np.zeros_like(mats[0])] if len(send) < len(mats) else []
        else:
            send = [packing.pack(a) if e else a for a, e in zip(mats, exact)]
        step = DistanceStep.of(params)
        approx = params["spectrum"] == "approximate" and step.eigen
        chunks = split(list(range(len(mats))),
                       n_parts(len(mats), len(mats) * network_cost(n), workers))
        keys = [f"spectra-{c}-{job_id}" for c in range(len(chunks))]
        groups = [[send[i] for i in members] for members in chunks]
        place = chunk_placement(addresses, idle, keys, mats[0])
        if approx:
            futs = map_tasks(client, plan, "spectra", keys, t_spectra_approx, groups,
                             [gamma] * len(chunks), [SLQ_VECTORS] * len(chunks),
                             [SLQ_STEPS] * len(chunks), priority=prio, place=place)
        else:
            futs = step.chunks(client, plan, keys, groups, directed, prio, place)
        where = [(fut, k) for fut, members in zip(futs, chunks) for k in range(len(members))]
        tiles = step.tiles(client, plan, where, upper_pairs(len(mats)), n, workers, job_id,
                           prio, "dist")

        def assemble():
            got = gather(client, [fut for _, fut in tiles] + (futs if approx else []))
            res: dict = step.matrices(tiles, got, names)
            res["gamma"] = step.gamma_used(tiles, got)
            if approx:  # each pair's bound: the sum of its two networks' errors
                err = np.array([got[f.key]["error"][k] for f, k in where])
                im = np.add.outer(err, err)
                np.fill_diagonal(im, 0.0)
                if "IM" in res:
                    res["IM_error"] = pd.DataFrame(im, index=names, columns=names)
                if "HIM" in res:  # HIM is sqrt(rho / (1 + rho))-Lipschitz in IM
                    scale = np.sqrt(params["rho"] / (1 + params["rho"]))
                    res["HIM_error"] = pd.DataFrame(scale * im, index=names, columns=names)
            return res
        plan.assemble = assemble
        return plan

    def write_result(self, result, folder: Path) -> dict:
        files = {}
        for key in COMPONENT_NAMES + ERROR_NAMES:
            if key in result:
                write_matrix(folder / f"{key}.zarr", result[key])
                files[key] = f"{key}.zarr"
        dump_json(folder / "summary.json", {"gamma": result["gamma"]})
        files["summary"] = "summary.json"
        return files

    def read_result(self, files, folder: Path):
        res = {k: as_frame(read_matrix_file(folder / files[k]))
               for k in COMPONENT_NAMES + ERROR_NAMES if k in files}
        res["gamma"] = json.loads((folder / files["summary"]).read_text())["gamma"]
        return res

    def exportables(self, result):
        return {key: ("matrix", result[key]) for key in COMPONENT_NAMES + ERROR_NAMES
                if key in result}

    def api_inputs(self, args):
        return args["networks"]


def _plan_pairs(ctx: Context, matrices: dict, params: dict, nodes: list[list[str]]) -> Plan:
    """Each pair of networks on the nodes both have (``align="shared"`` when the node
    sets differ pair by pair): tasks of whole pairs, two spectra each."""
    plan = Plan()
    names = list(matrices)
    pairs = upper_pairs(len(names))
    subs = [(matrices[names[i]].loc[common, common].to_numpy(dtype=float),
             matrices[names[j]].loc[common, common].to_numpy(dtype=float))
            for (i, j), common in zip(pairs, nodes)]
    sizes = [len(c) for c in nodes]
    cost = sum(2 * network_cost(n) for n in sizes)
    addresses, _ = cluster_state(ctx.client)
    groups = split(list(range(len(subs))), n_parts(len(subs), cost,
                                                    len(addresses) or DEFAULT_WORKERS))
    keys = [f"pairs-{g}-{ctx.job_id}" for g in range(len(groups))]
    futs = map_tasks(ctx.client, plan, "distances", keys, t_pair_distances,
                     [[subs[p] for p in g] for g in groups], [params["rho"]] * len(groups),
                     [params["gamma"]] * len(groups), [params["metric"]] * len(groups),
                     priority=cost_priority(sum(2 * n ** 3 for n in sizes)), place={})

    def assemble():
        got = gather(ctx.client, futs)
        values = np.concatenate([got[f.key] for f in futs])
        res = {}
        for c in DistanceStep.of(params).outputs:
            out = np.zeros((len(names), len(names)))
            col = COMPONENT_NAMES.index(c)
            out[pairs[:, 0], pairs[:, 1]] = out[pairs[:, 1], pairs[:, 0]] = values[:, col]
            res[c] = pd.DataFrame(out, index=names, columns=names)
        shared = np.diag([float(matrices[n].shape[0]) for n in names])
        shared[pairs[:, 0], pairs[:, 1]] = shared[pairs[:, 1], pairs[:, 0]] = sizes
        res["shared_nodes"] = pd.DataFrame(shared, index=names, columns=names)
        # None: each pair's own optimal gamma (or no spectrum: H alone)
        res["gamma"] = params["gamma"] if params["metric"] != "H" else None
        return res
    plan.assemble = assemble
    return plan


register(Distance())
