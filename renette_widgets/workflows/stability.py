"""Stability: how much the inferred network changes under resampling (nettools' netSI).

Parameters: the specs below (docs/parameters.md), plus ``method_params`` (the
inference method's parameters; they may be given flat).

Tasks: the network on all rows; chunks of resamples (networks, spectra
(none for ``metric="H"``), per-edge extremes and node strengths,
:func:`~renette_widgets.engine.tasks.t_resamples`); tiles of pairs for S (all
rows vs each resample) and SI (between resamples), the distance step
(:mod:`.diststep`); one small task each for Sw and Sd. Result: a :class:`~renette_widgets.results.StabilityResult`.
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..engine.spectra import t_resample_spectra
from ..engine.tasks import t_indices, t_infer, t_input, t_resamples, t_sd, t_sw
from ..errors import InputError
from ..io import checks
from ..io.arrays import as_frame, read_matrix_file, read_table, write_matrix, write_table
from ..io.params import (DISTANCE, METHOD, SEED_MAX, TOP_VARIANCE, Param, number, take,
                         validate_method_params)
from ..jobs.grain import (DEFAULT_WORKERS, cost_priority, infer_cost, n_parts, n_resamples,
                          network_cost, split, tasks_per_worker, upper_pairs)
from ..jobs.memory import Estimate
from ..jobs.placement import chunk_placement, cluster_state
from ..jobs.plan import Context, Plan, gather, submit_task
from ..jobs.store import dump_json
from ..results import StabilityResult
from . import options
from .base import Arg, Front, MatrixLike, Workflow, source
from .diststep import DistanceStep
from .inference import R_COPIES
from .registry import register

K = Param("k", int, 3, "k", "Monte Carlo keeps (1 - 1/k) of the samples; kCV uses k "
          "folds; LOO ignores k.", min=2, max=100, cli=("-k",),
          when=(("resampling", ("montecarlo", "kCV")),))
INDICATORS = ("all", "S", "SI", "Sw", "Sd")


class Stability(Workflow):
    name = "stability"
    title = "Stability"
    input_kind = "data"
    params = (
        METHOD,
        *DISTANCE,
        Param("resampling", str, "montecarlo", "resampling", "Monte Carlo subsamples, "
              "k-fold cross-validation or leave-one-out.",
              choices=("montecarlo", "kCV", "LOO"), aliases=("resamp.method",)),
        K,
        Param("h", int, 20, "h", "Number of Monte Carlo draws or kCV repetitions.",
              min=1, max=1000, when=(("resampling", ("montecarlo", "kCV")),)),
        Param("seed", int, 0, "seed", "Seed of the resampling (nettools' sseed).",
              min=0, max=SEED_MAX, aliases=("sseed",)),
        Param("indicator", str, "all", "indicators", "Which stability indicators.",
              choices=INDICATORS),
        TOP_VARIANCE,
    )
    view = "renette_widgets.widgets.stability:StabilityView"
    cli_command = "stability"
    cli_help = "network stability under resampling (netSI)"
    front = Front(
        name="stability",
        summary="Stability of the inferred network under resampling (nettools' netSI).",
        inputs=(Arg("data", MatrixLike, "DataFrame, ndarray or path\n    The data matrix "
                    "(samples in rows, variables in columns)."),),
        positional=("method", "metric", "resampling", "k", "h", "seed"),
        var_keyword=Arg("params", Any, "Parameters of the inference method, as keyword "
                        "arguments of R's ``mat2adj`` (e.g. ``P=6``)."),
        returns="StabilityResult\n    S, SI (means of the distances from the network "
                "inferred on all samples, and between resamples), Sw (per edge), Sd (per "
                "node) and their per-resample values.")

    def validate_params(self, params: Mapping | None) -> dict:
        """Its own parameters plus ``method_params`` (or method parameters given flat)."""
        p = dict(params or {})
        own = {k for s in self.params for k in (s.name, *s.aliases)}
        mp = dict(p.pop("method_params", None) or {})
        mp.update({k: p.pop(k) for k in list(p) if k not in own})
        loo = str(p.get("resampling", p.get("resamp.method", ""))).strip().upper() == "LOO"
        k_given = p.pop("k", None) if loo else None
        out = take(list(self.params), p, context=self.name)
        if loo and k_given is not None:
            # LOO ignores k (nettools' own LOO cases pass k = 1).
            out["k"] = number(K, k_given)
        out["method_params"] = validate_method_params(out["method"], mp)
        return out

    def check_inputs(self, matrices, params, drop_constant=False):
        if len(matrices) != 1:
            raise InputError(f"stability takes one data matrix, got {len(matrices)}",
                             hint="Run one stability job per data set.")
        (name, df), = matrices.items()
        df = checks.keep_most_variable(df, params["top_variance"], source(name, df))
        df = checks.check_data(df, method=params["method"],
                               tol=float(params["method_params"].get("tol") or 0.0),
                               drop_constant=drop_constant, name=source(name, df))
        checks.check_resampling(df.shape[0], params["resampling"], params["k"],
                                params["method"], name)
        return {name: df}

    def memory(self, matrices, params) -> Estimate:
        # a chunk infers a resampled network in R, its spectrum and edge extremes
        (df,) = matrices.values()
        n, p = df.shape
        copies = R_COPIES.get(params["method"], 4) + 8
        return Estimate(8 * n * p + copies * 8 * p * p, 24 * p * p,
                        f"resampled {p:,} x {p:,} networks by {params['method']}")

    def plan(self, ctx: Context, matrices, params):
        plan = Plan()
        client, job_id = ctx.client, ctx.job_id
        (name, df), = matrices.items()
        nrow, p = df.shape
        method, mparams = params["method"], dict(params["method_params"])
        metric, seed = params["metric"], int(params["seed"])
        indicator = params["indicator"]
        want = {"S", "SI", "Sw", "Sd"} if indicator == "all" else {indicator}
        R = n_resamples(nrow, params["resampling"], params["k"], params["h"])
        prio = cost_priority(R * (nrow * p ** 2 + p ** 3))
        addresses, idle = cluster_state(client)  # before this job's first tasks
        data = df.to_numpy(dtype=float)
        x = submit_task(client, plan, "sending inputs", f"input-{job_id}", t_input, data,
                        priority=prio + 1)
        idx = submit_task(client, plan, "resampling", f"indices-{job_id}", t_indices, nrow,
                          params["resampling"], params["k"], params["h"], seed,
                          priority=prio + 1)
        full = submit_task(client, plan, "inferring on all rows", f"adj-{job_id}", t_infer, x,
                           method, mparams, seed, priority=prio + 1)
        # network 0 is the one inferred on all rows, r + 1 resample r
        si = upper_pairs(R, by_column=True) + 1  # column-major upper triangle: r2 outer
        pairs = []
        if "S" in want:
            pairs.append(np.column_stack([np.zeros(R, np.int64), np.arange(1, R + 1)]))
        if "SI" in want:
            pairs.append(si)
        pairs = np.concatenate(pairs) if pairs else np.empty((0, 2), np.int64)
        spectra = len(pairs) > 0
        # gamma None: the tasks with spectra find it from `full` (no gamma task to wait for)
        step = DistanceStep.of(params)
        gamma = params["gamma"]
        workers = len(addresses) or DEFAULT_WORKERS
        cost = infer_cost(nrow, p, method) + (network_cost(p) if spectra else 0.0)
        groups = split(list(range(R)), n_parts(R, R * cost, workers))
        # The same data again (another indicator, metric or rho; the same seed):
        # the same resampled networks, whose spectra the workers have cached.
        keys = [f"resamples-{c}-{job_id}" for c in range(len(groups))] + [f"spectra-full-{job_id}"]
        place = chunk_placement(addresses, idle, keys, data)
        where = []
        if spectra:
            where.append((step.chunk(client, plan, keys[-1], [full], prio, place), 0))
        # Fewer resamples than task slots (a large cluster): each resample's spectrum
        # is a task of its own, so spectra of the first resamples run while the
        # last ones are still inferred (else a stage of R tasks on W < R workers
        # takes two full rounds).
        alone = spectra and R < tasks_per_worker(workers) * workers
        chunks = []
        for c, rs in enumerate(groups):
            fut = submit_task(client, plan, "inferring resampled networks", keys[c], t_resamples,
                              x, idx, rs, method, mparams, seed, gamma, spectra and not alone,
                              full if step.eigen and gamma is None else None, "Sw" in want,
                              step.eigen, priority=prio, place=place)
            chunks.append(fut)
            if alone:
                fut = submit_task(client, plan, step.stage, f"spectra-{c}-{job_id}",
                                  t_resample_spectra, fut, gamma,
                                  full if step.eigen and gamma is None else None, step.eigen,
                                  priority=prio)
            where += [(fut, k) for k in range(len(rs))]
        tiles = []
        if spectra:
            tiles = step.tiles(client, plan, where, pairs, p, workers, job_id, prio, "stab")
        sw = []  # Sw from the chunks' per-edge extremes: a small last task
        if "Sw" in want:
            sw = [submit_task(client, plan, "edge stability", f"sw-{job_id}", t_sw, chunks,
                  priority=prio)]
        sd = None
        if "Sd" in want:
            sd = submit_task(client, plan, "node stability", f"sd-{job_id}", t_sd, chunks,
                             priority=prio)

        def assemble() -> StabilityResult:
            got = gather(client, [fut for _, fut in tiles] + sw + [sd, full, idx])
            dist = step.values(tiles, got, R + 1, metric, fill=np.nan)
            nodes = list(df.columns)
            res = StabilityResult(S=None, SI=None, Sw=None, Sd=None, S_boot=None, SI_boot=None,
                                  Sd_boot=None, ADJ=pd.DataFrame(got[full.key], index=nodes,
                                  columns=nodes),
                                  indices=got[idx.key], metric=metric)
            if "S" in want:
                s = dist[0, 1:]
                res.S_boot = pd.DataFrame({"resample": np.arange(1, R + 1), "S": s})
                res.S = float(np.mean(s))
            if "SI" in want and R > 1:
                r1, r2 = si.T
                res.SI_boot = pd.DataFrame({"r1": r1, "r2": r2, "SI": dist[r1, r2]})
                res.SI = float(res.SI_boot["SI"].mean())
            if sw:
                res.Sw = edge_table(np.concatenate([got[f.key] for f in sw]), nodes)
            if sd is not None:
                out = got[sd.key]
                res.Sd = pd.DataFrame({"node": nodes, "Sd": out["Sd"][:len(nodes)]})
                res.Sd_boot = pd.DataFrame(out["Sd_boot"], columns=nodes,
                                           index=pd.RangeIndex(1, R + 1, name="resample"))
            return res
        plan.assemble = assemble
        return plan

    def write_result(self, result: StabilityResult, folder: Path) -> dict:
        files = {}
        dump_json(folder / "summary.json", result.summary())
        files["summary"] = "summary.json"
        for key in ("Sw", "Sd", "S_boot", "SI_boot", "Sd_boot"):
            table = getattr(result, key)
            if table is not None:
                # Sd_boot: one row per resample, its index the resample number
                write_table(folder / f"{key}.parquet", table, index=key == "Sd_boot")
                files[key] = f"{key}.parquet"
        write_matrix(folder / "ADJ.zarr", result.ADJ)
        files["ADJ"] = "ADJ.zarr"
        idx = pd.DataFrame([(r + 1, int(row) + 1) for r, rows in enumerate(result.indices)
                            for row in rows], columns=["resample", "row"])
        write_table(folder / "resampling_indices.parquet", idx)
        files["resampling_indices"] = "resampling_indices.parquet"
        return files

    def read_result(self, files, folder: Path) -> StabilityResult:
        summary = json.loads((folder / files["summary"]).read_text())

        def table(key, **csv_options):
            return read_table(folder / files[key], **csv_options) if key in files else None
        idx = table("resampling_indices")
        indices = [g["row"].to_numpy() - 1 for _, g in idx.groupby("resample", sort=True)]
        return StabilityResult(S=summary["S"], SI=summary["SI"], Sw=table("Sw"),
                               Sd=table("Sd"), S_boot=table("S_boot"),
                               SI_boot=table("SI_boot"), Sd_boot=table("Sd_boot", index_col=0),
                               ADJ=as_frame(read_matrix_file(folder / files["ADJ"])),
                               indices=indices,
                               metric=summary["metric"])

    def exportables(self, result: StabilityResult):
        out = {"network_all_samples": ("network", result.ADJ),
               "summary": ("table", pd.DataFrame([result.summary()]))}
        for key in ("Sw", "Sd", "S_boot", "SI_boot", "Sd_boot"):
            if getattr(result, key) is not None:
                out[key] = ("indexed" if key == "Sd_boot" else "table", getattr(result, key))
        return out

    def api_inputs(self, args):
        return {"data": args["data"]}

    def api_params(self, values, extra):
        return {**values, "method_params": extra}

    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        options.add_method_options(parser)

    def cli_extra(self, values, args: argparse.Namespace) -> dict:
        if len(args.files) != 1:
            raise InputError("stability takes exactly one data file",
                             hint="Run one stability job per data set.")
        return {**values, "method_params": options.key_values(args.param)}


def edge_table(sw: np.ndarray, nodes: list) -> pd.DataFrame:
    """Sw values with their edges, in netsi_sw's order (by first node, then second)."""
    p = len(nodes)
    i, j = np.triu_indices(p, 1)  # i < j, R's combn order
    if len(sw) != len(i):  # directed: every ordered pair i != j
        i, j = np.nonzero(~np.eye(p, dtype=bool))
    names = np.asarray(nodes, dtype=object)
    return pd.DataFrame({"edge": np.arange(1, len(sw) + 1), "i": names[i], "j": names[j],
                        "Sw": sw})


register(Stability())
