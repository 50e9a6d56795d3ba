"""Differential networks: which edges and which nodes change between conditions.

Inputs: k >= 2 data matrices (conditions, samples x variables), named by the
user; they are compared on the variables all of them share (in the first
one's order; a note says how many were left out). Every pair of conditions
is a comparison ``"A vs B"``.

Parameters: the specs below (each one's text and default: docs/parameters.md),
plus ``node_method_params`` (the node-level method's parameters, given flat or
as a mapping; the correlation type of ``cor`` defaults to ``method``) and
``sets`` (None, ``{set: [genes]}``, a GMT or two-column CSV file read into it
by :meth:`Differential.validate_params`, or ``"modules"``). The edge level
correlates each pair in each condition and adjusts the Fisher z differences
over all pairs; the node level infers each condition's network and tests
each node's change ``d`` with label permutations; across conditions, an
edge's presence in each condition and the H, IM and HIM of the networks.

Tasks (:mod:`.diffplan`): per comparison the pair table in blocks of rows
(BH exactly in two passes; each block a part of a Parquet dataset written by
its worker) or, for the permutation FDR, R's one task and its blocks of
permutation counts; the node differences and blocks of node permutations
(numpy for correlation networks, else R), which also count the gene sets;
per condition its network; the k x k distances (the distance step,
:mod:`.diststep`); one task for the summary across conditions. Result:
a :class:`~renette_widgets.results.DifferentialResult` (:mod:`.diffresult`).
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..engine import differential as ed
from ..engine import nodeperm, pairs
from ..engine.tasks import t_input
from ..errors import InputError
from ..io import checks, exports
from ..io.arrays import as_frame, create_matrix, read_matrix_file, read_table, write_matrix
from ..io.genesets import match_sets, read_sets
from ..io.location import location
from ..io.params import (INFERENCE_METHODS, METHOD, SEED, TOP_VARIANCE, Param, take,
                         validate_method_params)
from ..jobs.grain import (DEFAULT_WORKERS, cost_priority, infer_cost, network_cost,
                          tasks_per_worker, upper_pairs)
from ..jobs.memory import Estimate
from ..jobs.placement import cluster_state
from ..jobs.plan import Context, Plan, gather, submit_task
from ..jobs.store import dump_json
from ..results import Comparison, DifferentialResult, PairTable
from . import options
from .base import Arg, Front, MatrixLike, Workflow, source
from .diffplan import (PERM_BYTES, node_blocks, node_power, numpy_nodes,  # noqa: F401
                       perm_blocks, plan_network, plan_nodes, plan_pairs, plan_sets,
                       standardized)
from .diffinputs import _top_variance, align
from .diststep import COMPONENT_NAMES, DistanceStep
from .diffresult import _stems, _write_frame, _write_pairs, comparison, write_graphml
from .inference import R_COPIES
from .registry import register

PARAMS = (
    Param("method", str, "pearson", "correlation", "How each pair is correlated in each "
          "condition (edge level).", choices=("pearson", "spearman"),
          aliases=("cor_method",), cli=("-m",)),
    Param("adjust", str, "BH", "adjustment", "How the p-values of the differences are adjusted "
          "over all pairs: Benjamini-Hochberg, none, or a permutation FDR (sample labels "
          "permuted between the conditions).", choices=("BH", "none", "perm"),
          choice_labels=("Benjamini-Hochberg (BH)", "none", "permutation FDR")),
    Param("n_perm", int, 1000, "permutations (pairs)", "Label permutations of the "
          "permutation FDR.", min=1, max=10**6, when=(("adjust", "perm"),)),
    SEED,
    Param("cor_cutoff", float, 0.99, "correlation cutoff", "Correlations above it are set to "
          "it before the Fisher transformation (as DGCA).", min=0, max=1, min_open=True),
    Param("cor_alpha", float, 0.05, "correlation alpha", "A correlation counts as + or - in a "
          "pair's class (e.g. +/0) when its p-value is below this; else 0.",
          min=0, max=1, min_open=True),
    Param("fdr", float, 0.05, "FDR threshold", "Pairs with q <= this are significant (tables, "
          "network view, GraphML).", min=0, max=1, min_open=True),
    Param("node_method", str, "cor", "inference method (nodes)", "The network of each "
          "condition for the node level and the distances (any inference method).",
          choices=INFERENCE_METHODS, choice_labels=METHOD.choice_labels),
    Param("lp", float, 2.0, "exponent lp", "A node's change d = sum over its edges of "
          "|A_ij - B_ij|^lp.", min=0, max=100, min_open=True),
    Param("node_perm", int, 100, "permutations (nodes)", "Label permutations of the node "
          "test (both networks inferred again each time); 0: no test.", min=0, max=10**5),
    Param("keep", str, "all", "pairs stored", "Which pairs the job stores: all of them, or "
          "those with q <= keep_q (class counts are over all pairs either way).",
          choices=("all", "q"), choice_labels=("all pairs", "pairs with q <= keep_q")),
    Param("keep_q", float, 0.25, "keep q", "With keep = q: the pairs with q_diff at most "
          "this are stored.", min=0, max=1, min_open=True, when=(("keep", "q"),)),
    Param("distances", str, "auto", "distances (HIM)", "Compute H, IM and HIM between the "
          "conditions' networks (a full spectrum each, whose cost grows as p^3: above "
          "2,000 variables more than the rest of the analysis). auto: up to 2,000 "
          "variables.", choices=("auto", "yes", "no")),
    Param("threshold", float, 0.5, "presence threshold", "Across conditions: an edge is "
          "present in a condition when |r| is above this.", min=0, max=1, max_open=True),
    TOP_VARIANCE,
)
MIN_SAMPLES = 4  # the Fisher z test divides by n - 3
# distances=None: H, IM and HIM up to this many variables (two spectra of 2,000
# nodes take a few seconds (5 s each on a loaded core); of 5,000 about 20 s each,
# more than all the rest of the job)
DISTANCES_AUTO = 2000
# The conditions' networks are compared by HIM with rho 1 and the optimal gamma.
STEP = DistanceStep()


class Differential(Workflow):
    name = "differential"
    title = "Differential"
    input_kind = "data"
    min_inputs = 2
    params = PARAMS
    view = "renette_widgets.widgets.differential:DifferentialView"
    cli_command = "differential"
    cli_help = "differential networks: which pairs and nodes change between conditions"
    front = Front(
        name="differential",
        summary="Differential network analysis: which pairs and which nodes change between "
                "conditions.",
        inputs=(Arg("a", Any, "DataFrame, ndarray, path, mapping or list\n    The data matrix "
                    "of condition A (samples in rows, variables in columns); for k >= 2 "
                    "conditions a mapping ``{name: matrix}`` (or a list), with ``b`` left out: "
                    "every pair of conditions is compared."),
                Arg("b", MatrixLike | None, "DataFrame, ndarray or path, optional\n    The data "
                    "matrix of condition B. The two are named ``\"A\"`` and ``\"B\"``, or by "
                    "their file names, and compared on the variables they share.", None)),
        positional=("method", "adjust"),
        extras=(Arg("sets", Any, "path, mapping or \"modules\", optional\n    Gene sets: a GMT "
                    "file, a two-column CSV (set, gene) or ``{set: [genes]}``; ``\"modules\"``: "
                    "the modules of the pooled network (hierarchical clustering cut by "
                    "``dynamicTreeCut``). Per set: mean z_diff and mean |r_B| - |r_A| of its "
                    "pairs, its summed ``d`` and a permutation p-value of it, BH over sets: "
                    "``result.comparison().sets``.", None),),
        var_keyword=Arg("node_params", Any, "Parameters of ``node_method`` (e.g. ``P=6`` for "
                        "WGCNA)."),
        # None (or True / False) as well as "auto", "yes", "no": the first API's form
        defaults={"distances": None},
        returns="DifferentialResult\n    ``pairs()``, ``significant()``, ``nodes()``, "
                "``comparison(name)``, the k x k ``H``, ``IM``, ``HIM`` between the conditions' "
                "networks, ``edges`` (the summary across conditions) and ``networks``.")

    def validate_params(self, params: Mapping | None) -> dict:
        """Its own parameters plus ``node_method_params`` (or those given flat)."""
        p = dict(params or {})
        own = {k for s in self.params for k in (s.name, *s.aliases)}
        mp = dict(p.pop("node_method_params", None) or {})
        sets = read_sets(p.pop("sets", None))  # a file becomes {set: [genes]} here
        if p.get("distances") is None or isinstance(p.get("distances"), bool):
            p["distances"] = {None: "auto", True: "yes", False: "no"}[p.get("distances")]
        mp.update({k: p.pop(k) for k in list(p) if k not in own})
        out = take(list(self.params), p, context=self.name)
        out["sets"] = sets
        if out["node_method"] == "cor" and not {"method", "cor_method", "correlation"} & set(mp):
            mp["method"] = out["method"]  # cor networks of the edge level's correlation
        out["node_method_params"] = validate_method_params(out["node_method"], mp)
        return out

    def check_inputs(self, matrices, params, drop_constant=False):
        if len(matrices) < 2:
            raise InputError(f"a differential analysis compares at least 2 conditions (data "
                             f"matrices); {len(matrices)} given",
                             hint="Choose two or more data matrices, e.g. condition_A and "
                                  "condition_B.")
        method = params["node_method"]
        tol = float(params["node_method_params"].get("tol") or 0.0)
        out = {}
        for name, df in matrices.items():
            df = df.rename(columns=str)
            df = checks.check_data(df, method=method, tol=tol, drop_constant=drop_constant,
                                   name=source(name, df))
            if df.shape[0] < MIN_SAMPLES:
                raise InputError(
                    f"{df.shape[0]} samples (rows); a differential analysis needs at least "
                    f"{MIN_SAMPLES} per condition (the Fisher z test divides by n - 3)",
                    file=source(name, df), hint="Add samples, or check whether the table "
                    "should be transposed (samples in rows, variables in columns).")
            out[name] = df
        return _top_variance(align(out), params["top_variance"])

    def memory(self, matrices, params) -> Estimate:
        n = max(df.shape[0] for df in matrices.values())
        p, k = next(iter(matrices.values())).shape[1], len(matrices)
        m = p * (p - 1) // 2
        what = f"{m:,} pairs of {p:,} variables in {k} conditions"
        if params["adjust"] == "perm":  # R's path: the whole table in one task
            per_task = max(8 * m * 20 + 48 * p * p, 8 * m * 6 + 24 * p * p)
        else:
            # the BH merge: the blocks' sorted p-values, their merge and q (24 bytes a
            # pair), plus this worker's share of the first passes (12 bytes a pair);
            # storing every pair sends the merge's s and q to every worker (16 more)
            per_task = 8 * m * 3 + 12 * m // 2 if params["adjust"] == "BH" else 0
            if params["adjust"] == "BH" and params.get("keep", "all") == "all":
                per_task += 16 * m
            per_task = max(per_task, 8 * 8 * pairs.BLOCK_VALUES + 120 * pairs.BLOCK_PAIRS)
        if numpy_nodes(params):
            per_task = max(per_task, 16 * n * p + 4 * 8 * nodeperm.BLOCK_VALUES)
        else:
            copies = R_COPIES.get(params["node_method"], 4)
            per_task = max(per_task, 2 * copies * 8 * p * p + 16 * n * p)
        if distances(params, p):  # spectra and tiles of the distances
            per_task = max(per_task, 8 * p * p * (5 + 2 * k))
            what += " (and the spectra of their networks: distances=False leaves them out)"
        return Estimate(per_task, 8 * p * p * k + 8 * m, what)

    def plan(self, ctx: Context, matrices, params):
        plan = Plan()
        client, job_id = ctx.client, ctx.job_id
        conds = list(matrices)
        frames = list(matrices.values())
        names = [str(c) for c in frames[0].columns]
        p, k, n = len(names), len(conds), max(df.shape[0] for df in frames)
        ns = [df.shape[0] for df in frames]
        m = p * (p - 1) // 2
        method, seed = params["node_method"], int(params["seed"])
        mparams = dict(params["node_method_params"])
        addresses, _ = cluster_state(client)
        workers = len(addresses) or DEFAULT_WORKERS
        slots = tasks_per_worker(workers) * workers
        fast = numpy_nodes(params)
        per_perm = (1e-11 * n * p * p + 4e-9 * p * p if fast
                    else 2 * infer_cost(n, p, method) + 1e-8 * p * p)
        perm = params["adjust"] == "perm"
        cost = k * k * (m * 1e-6 + params["node_perm"] * per_perm
                        + (params["n_perm"] * m * 1e-7 if perm else 0)) + k * network_cost(p)
        prio = cost_priority(cost)
        res = ctx.results
        labels = [f"{conds[a]} vs {conds[b]}" for a, b in upper_pairs(k).tolist()]
        net_stems, pair_stems = _stems(conds), dict(zip(labels, _stems(labels)))
        xs = [submit_task(client, plan, "sending inputs", f"input-{c}-{job_id}", t_input,
                          df.to_numpy(dtype=float), priority=prio + 1)
              for c, df in enumerate(frames)]
        zs = standardized(client, plan, xs, params["method"], job_id, prio)
        zn = None
        if fast:  # the node networks' standardised data (the pairs' when the same)
            kind = mparams.get("method", "pearson") if method == "cor" else "pearson"
            zn = zs if kind == params["method"] else standardized(
                client, plan, xs, kind, job_id, prio)
        nets = []
        for c in range(k):
            path = None if res is None else res / f"network_{net_stems[c]}.zarr"
            if fast:  # the distances' spectra start early: above the pairs
                nets.append(plan_network(client, plan, c, job_id, zn[c], p, names,
                                         node_power(params), path, slots, prio + 1))
                continue
            if path is not None:
                create_matrix(path, (p, p), names, names)
            nets.append(submit_task(client, plan, "inferring networks", f"net-{c}-{job_id}",
                                    ed.t_network, xs[c], method, mparams, seed,
                                    None if path is None else str(path), priority=prio + 1))
        comps = {}
        notes = [n for df in frames for n in df.attrs.get("notes", [])]
        given = None
        if isinstance(params.get("sets"), dict):
            given, set_notes = match_sets(params["sets"], names)
            notes += set_notes
        if params.get("sets") is not None and not fast and params["node_perm"]:
            notes.append(f"gene sets: no permutation p-values with node_method "
                         f"{method!r} (the sets' test runs with correlation networks: cor, "
                         f"WGCNA)")
        for a, b in upper_pairs(k).tolist():
            label, tag = f"{conds[a]} vs {conds[b]}", f"{a}-{b}-{job_id}"
            sets = plan_sets(client, plan, label, tag, params, given, zs[a], zs[b],
                             zn[a] if fast else zs[a], zn[b] if fast else zs[b], ns[a], ns[b],
                             p, prio)
            stem = pair_stems[label]
            if perm:  # R's permutation streams: the pair table in one task
                counts = [submit_task(client, plan, f"permutations of {label}",
                                      f"perm-{t}-{tag}", ed.t_perm_counts, xs[a], xs[b], block,
                                      params["method"], params["cor_cutoff"], seed, priority=prio)
                          for t, block in enumerate(perm_blocks(params["n_perm"], m, slots))]
                out = None if res is None else str(res / f"pairs_{stem}.parquet")
                pairs = submit_task(client, plan, f"pairs of {label}", f"pairs-{tag}",
                                    ed.t_pairs, xs[a], xs[b], names, params["method"],
                                    params["cor_cutoff"], params["cor_alpha"], params["adjust"],
                                    params["fdr"], out, counts, params["n_perm"],
                                    params["keep_q"] if params["keep"] == "q" else None,
                                    priority=prio)
            else:
                out = None if res is None else str(res / f"pairs_{stem}")
                pairs = plan_pairs(client, plan, label, tag, zs[a], zs[b], ns[a], ns[b], names,
                                   params, out, slots, prio)
            diff, blocks = plan_nodes(client, plan, label, tag, xs[a], xs[b],
                                      zn[a] if fast else None, zn[b] if fast else None, params,
                                      (nets[a], nets[b]), per_perm, slots, prio,
                                      sets=None if sets is None else sets[0])
            comps[(a, b)] = (label, out, pairs, diff, blocks, sets)
        tiles = []
        if distances(params, p):  # the k x k distances of the networks: the distance step
            spectra = [STEP.chunk(client, plan, f"spectra-{c}-{job_id}", [nets[c]], prio + 1)
                       for c in range(k)]
            tiles = STEP.tiles(client, plan, [(f, 0) for f in spectra], upper_pairs(k), p,
                               workers, job_id, prio, "diff")
        edges_out = None if res is None else str(res / "edges_across_conditions.parquet")
        summary = submit_task(client, plan, "edges across conditions", f"edges-{job_id}",
                              ed.t_edge_summary, xs, names, conds, params["method"],
                              params["threshold"], edges_out, priority=prio)
        if not tiles and params["distances"] == "auto":
            notes.append(f"H, IM and HIM between the conditions' networks were not computed: "
                         f"{p:,} variables (a full spectrum of each network costs more than "
                         f"the rest of the analysis above {DISTANCES_AUTO:,}); distances=True "
                         f"(--distances yes) computes them.")

        def assemble() -> DifferentialResult:
            futs = [f for c in comps.values() for f in (c[2], c[3], *c[4], *(c[5] or ()))]
            got = gather(client, futs + [f for _, f in tiles] + [summary]
                         + (nets if res is None else []))
            dist = {key: pd.DataFrame(STEP.values(tiles, got, k, key,
                                                  0.0 if tiles else np.nan),
                                      index=conds, columns=conds)
                    for key in COMPONENT_NAMES}
            comparisons = {}
            for (a, b), (label, out, pf, df_, blocks, sets) in comps.items():
                comparisons[label] = comparison(
                    label, conds[a], conds[b], names, got[pf.key], got[df_.key],
                    [got[f.key] for f in blocks], params, out,
                    {key: float(dist[key].iat[a, b]) for key in dist},
                    None if sets is None else (list(given) if given is not None else None,
                                               got[sets[0].key], got[sets[1].key]))
            edges = got[summary.key]
            networks = {cond: (pd.DataFrame(got[nets[c].key], index=names, columns=names)
                               if res is None else
                               read_matrix_file(res / f"network_{net_stems[c]}.zarr"))
                        for c, cond in enumerate(conds)}
            return DifferentialResult(
                conditions=conds, comparisons=comparisons, **dist,
                edges=PairTable(path=None if edges_out is None else location(edges_out),
                                frame=edges["frame"]),
                edge_counts=edges["counts"], networks=networks, params=dict(params),
                notes=notes)
        plan.assemble = assemble
        return plan

    # ------------------------------------------------------------ results
    def write_result(self, result: DifferentialResult, folder: Path) -> dict:
        files: dict = {"comparisons": {}, "networks": {}}
        for c, stem in zip(result.comparisons.values(), _stems(list(result.comparisons))):
            files["comparisons"][c.name] = {
                "a": c.a, "b": c.b, "summary": c.summary,
                "pairs": _write_pairs(c.pairs, folder, f"pairs_{stem}"),
                "nodes": _write_frame(c.nodes, folder / f"nodes_{stem}.parquet"),
                "classes": _write_frame(c.classes, folder / f"classes_{stem}.parquet")}
            if c.sets is not None:
                files["comparisons"][c.name]["sets"] = _write_frame(
                    c.sets, folder / f"sets_{stem}.parquet")
        for key in COMPONENT_NAMES:
            write_matrix(folder / f"{key}.zarr", getattr(result, key))
            files[key] = f"{key}.zarr"
        files["edges"] = _write_pairs(result.edges, folder, "edges_across_conditions")
        for cond, stem in zip(result.conditions, _stems(result.conditions)):
            path, net = folder / f"network_{stem}.zarr", result.networks[cond]
            if str(getattr(net, "path", None)) != str(path):  # a job kept in memory
                write_matrix(path, as_frame(net))
            files["networks"][cond] = path.name
        dump_json(folder / "summary.json", {"conditions": result.conditions,
                                            "edge_counts": result.edge_counts,
                                            "params": result.params, "notes": result.notes})
        files["summary"] = "summary.json"
        return files

    def read_result(self, files, folder: Path) -> DifferentialResult:
        s = json.loads((folder / files["summary"]).read_text())
        comparisons = {
            name: Comparison(name=name, a=f["a"], b=f["b"],
                             pairs=PairTable(path=folder / f["pairs"]),
                             nodes=read_table(folder / f["nodes"]),
                             classes=read_table(folder / f["classes"]),
                             summary=f["summary"],
                             sets=read_table(folder / f["sets"]) if "sets" in f else None)
            for name, f in files["comparisons"].items()}
        return DifferentialResult(
            conditions=s["conditions"], comparisons=comparisons,
            **{k: as_frame(read_matrix_file(folder / files[k])) for k in COMPONENT_NAMES},
            edges=PairTable(path=folder / files["edges"]), edge_counts=s["edge_counts"],
            networks={c: read_matrix_file(folder / f) for c, f in files["networks"].items()},
            params=s["params"], notes=s["notes"])

    def output_networks(self, result: DifferentialResult) -> dict:
        method = result.params.get("node_method", "net")
        return {f"{c}_{method}": net for c, net in result.networks.items()}

    def exportables(self, result: DifferentialResult) -> dict:
        out = {}
        for c in result.comparisons.values():
            stem = c.name.replace(" ", "_")
            out[f"{stem}_pairs"] = ("table", c.pairs)
            out[f"{stem}_nodes"] = ("table", c.nodes)
            out[f"{stem}_classes"] = ("table", c.classes)
            if c.sets is not None:
                out[f"{stem}_sets"] = ("table", c.sets)
        out.update({key: ("matrix", getattr(result, key)) for key in COMPONENT_NAMES})
        out["edges_across_conditions"] = ("table", result.edges)
        return out

    def export(self, result, folder: Path, fmt: str = "csv", threshold: float | None = None,
               top_k: int | None = None) -> list[Path]:
        """Tables as csv/tsv/json (the pair tables streamed); ``graphml``: per comparison
        the network of its significant pairs (q <= fdr; ``threshold``: |z_diff| above
        it, ``top_k``: the strongest by |z_diff|), with each pair's numbers and class."""
        if exports.check_format(fmt) != "graphml":
            return super().export(result, folder, fmt, threshold, top_k)
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return [write_graphml(result, c.name, folder / f"{stem}.graphml", threshold, top_k)
                for c, stem in zip(result.comparisons.values(), _stems(list(result.comparisons)))]

    # ------------------------------------------------------------ command line
    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                            help="parameter of the node-level method, e.g. P=6")
        parser.add_argument("--sets", default=None, metavar="FILE|modules",
                            help="gene sets: a GMT file, a two-column CSV (set, gene), or "
                                 "'modules' (modules of the pooled network)")
        parser.add_argument("--drop-constant", action="store_true",
                            help="drop constant columns instead of refusing the data")

    def cli_extra(self, values, args: argparse.Namespace) -> dict:
        return {**values, "node_method_params": options.key_values(args.param),
                "sets": args.sets}

    # ------------------------------------------------------------ Python function
    def api_inputs(self, args):
        """``a`` and ``b`` named by their files (else "A" and "B"), or ``a`` alone:
        the conditions as a mapping or a list."""
        a, b = args["a"], args["b"]
        if b is None:
            return a
        names = [Path(x).stem if isinstance(x, (str, Path)) else d
                 for x, d in ((a, "A"), (b, "B"))]
        if names[0] == names[1]:
            names = ["A", "B"]
        return dict(zip(names, (a, b)))

    def api_params(self, values, extra):
        return {**values, "node_method_params": extra}


def distances(params: dict, p: int) -> bool:
    """Whether the job computes H, IM and HIM (``distances``: "yes", "no", or
    "auto": up to ``DISTANCES_AUTO`` variables; True/False/None as given to the API)."""
    want = {None: "auto", True: "yes", False: "no"}.get(params.get("distances"),
                                                       params.get("distances"))
    return p <= DISTANCES_AUTO if want == "auto" else want == "yes"


register(Differential())
