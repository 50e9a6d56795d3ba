"""Multiplex: the distance between two multiplex networks (nettools' ``mpnetdist``).

A multiplex network is several layers (networks, e.g. co-expression, protein
interactions and co-regulation) over one node set. Inputs are named
``"<network>:<layer>"`` (``api.distance(..., multiplex=True)``, the CLI and the
Distance panel name them so; plain names: the first half are the first
network's layers), two networks with the same number of layers (2 or more),
layer k of one compared with layer k of the other. The layers' node sets are
matched as ``align`` says (:func:`~renette_widgets.io.checks.check_network_set`:
the same names, the nodes every layer shares, all nodes, or by position).

Parameters: the specs below (docs/parameters.md; the inter-layer matrix is
``I = coupling (1 - diag(l))``). One task
(:func:`~renette_widgets.engine.multiplex.t_multiplex`) on the engine's R
``mpnetdist``. Result: ``{"distances": DataFrame, "networks": [x, y],
"layers": [[x layer, y layer], ...], "H": float, "IM": float, "HIM": float}``,
``distances`` with columns H, IM, HIM and one row per pair of layers (``netdist``
of the two layers, diagonals zeroed) then the row ``"multiplex"`` (``mpnetdist``
of the two multiplex networks, layers as given: their diagonals too, since its
Hamming distance counts them as nettools does), and that row's ``H``, ``IM``,
``HIM`` as floats.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..engine.multiplex import t_multiplex
from ..errors import InputError
from ..io import checks
from ..io.arrays import read_table, write_table
from ..io.networks import network_files
from ..io.params import DISTANCE, Param
from ..jobs.grain import cost_priority
from ..jobs.memory import Estimate
from ..jobs.plan import Context, Plan, gather, submit_task
from ..jobs.store import dump_json
from .base import Workflow, source
from .distance import ALIGN
from .diststep import COMPONENT_NAMES
from .registry import register

SEP = ":"
COUPLING = Param("coupling", float, 1.0, "inter-layer coupling",
                 "Weight of the link between a node and its copies in the other layers "
                 "(nettools' inter-layer matrix I = coupling on every pair of layers).",
                 min=0, max=1e6)
MULTIPLEX = "multiplex"


def layer_groups(names: list[str]) -> dict[str, list[str]]:
    """``{network: [input names of its layers]}`` from ``"<network>:<layer>"`` names
    (names without ':': the first half of the inputs are the first network's layers):
    two networks, each with the same number of layers, at least 2 (InputError otherwise)."""
    if not any(SEP in n for n in names):
        half = len(names) // 2
        return ({f"{MULTIPLEX} 1": names[:half], f"{MULTIPLEX} 2": names[half:]}
                if len(names) % 2 == 0 and half >= 2 else _refuse_layers(names))
    groups: dict[str, list[str]] = {}
    for name in names:
        net, sep, layer = name.partition(SEP)
        if not sep or not net or not layer:
            raise InputError(f"the input '{name}' is not named '<network>:<layer>'", file=name,
                             hint="Give each multiplex network as a list of layers (files or a "
                                  "folder): rw.distance([x_layers, y_layers], multiplex=True).")
        groups.setdefault(net, []).append(name)
    if len(groups) != 2:
        raise InputError(f"a multiplex distance compares 2 multiplex networks, not {len(groups)}"
                         f" ({', '.join(groups)})", hint="Give two lists of layers.")
    (a, la), (b, lb) = groups.items()
    if len(la) != len(lb):
        raise InputError(f"'{a}' has {len(la)} layers but '{b}' has {len(lb)}: layer k of one "
                         "is compared with layer k of the other", file=b,
                         hint="Give both multiplex networks the same layers, in the same order.")
    return groups if len(la) >= 2 else _refuse_layers(names)


def _refuse_layers(names: list[str]) -> dict:
    raise InputError(f"a multiplex distance needs two multiplex networks of the same number of "
                     f"layers, at least 2 each ({len(names)} network(s) given)",
                     hint="Give each multiplex network as a folder or a list of its layers; "
                          "for single networks use the plain distance.")


def layered_inputs(networks) -> dict:
    """``{"<network>:<layer>": matrix or path}`` from two multiplex networks, each a
    folder of layer files, a list of layers (paths, DataFrames) or ``{layer: matrix}``;
    the networks as a list or as ``{name: layers}``."""
    items = list(networks.items()) if isinstance(networks, dict) else [
        (Path(n).name if isinstance(n, (str, Path)) else f"{MULTIPLEX} {i + 1}", n)
        for i, n in enumerate(networks)]
    out: dict = {}
    for net, layers in items:
        if isinstance(layers, (str, Path)):
            if not Path(layers).is_dir():
                raise InputError("a multiplex network is a folder of layers or a list of them",
                                 file=str(layers), hint="Give a folder, or a list of files.")
            layers = network_files(layers)
        pairs = list(layers.items()) if isinstance(layers, dict) else [
            (Path(x).stem if isinstance(x, (str, Path)) else
             getattr(x, "attrs", {}).get("source") or f"layer {k + 1}", x)
            for k, x in enumerate(layers)]
        for layer, x in pairs:
            out[f"{net}{SEP}{layer}"] = x
    return out


class Multiplex(Workflow):
    name = "multiplex"
    title = "Multiplex distance"
    input_kind = "adjacency"
    min_inputs = 4  # two networks of two layers at least
    params = tuple(p for p in DISTANCE if p.name != "metric") + (COUPLING, ALIGN)
    view = "renette_widgets.widgets.multiplex:MultiplexView"
    cli_command = "multiplex"
    cli_help = "distance between two multiplex networks (folders or lists of layers)"

    def check_inputs(self, matrices, params, drop_constant=False):
        layer_groups(list(matrices))
        if drop_constant:
            raise InputError("drop_constant applies to data matrices, not to a multiplex job")
        # layers as given, diagonal too: mpnetdist's Hamming counts it, as in nettools
        # (each pair of layers' own distance zeroes it, as the distance workflow does)
        nets = {name: checks.check_adjacency(_with_diagonal(df), name=source(name, df),
                                             zero_diagonal=False)
                for name, df in matrices.items()}
        nets = checks.check_network_set(nets, min_count=2, align=params["align"])
        sets = [checks.names_of(df.columns) for df in nets.values()]
        if any(s != sets[0] for s in sets):  # "shared", pair by pair: one node set for all
            common = set.intersection(*map(set, sets))
            nodes = [c for c in sets[0] if c in common]
            nets = {name: _restrict(df, nodes) for name, df in nets.items()}
        return nets

    def memory(self, matrices, params) -> Estimate:
        n, k = next(iter(matrices.values())).shape[0], len(matrices)
        # two supra-adjacencies of (n l)^2 and their eigendecompositions in R
        return Estimate(8 * (n * k / 2) ** 2 * 8 + 8 * n * n * k, 8 * n * n * k,
                        f"two multiplex networks of {k // 2} layers over {n:,} nodes")

    def plan(self, ctx: Context, matrices, params):
        plan = Plan()
        groups = layer_groups(list(matrices))
        (x, xs), (y, ys) = groups.items()
        arrays = [[matrices[n].to_numpy(dtype=float) for n in g] for g in (xs, ys)]
        n = arrays[0][0].shape[0]
        fut = submit_task(ctx.client, plan, "multiplex distance", f"multiplex-{ctx.job_id}",
                          t_multiplex, arrays[0], arrays[1], params["coupling"], params["rho"],
                          params["gamma"], priority=cost_priority((n * len(xs)) ** 3))

        def assemble():
            got = gather(ctx.client, [fut])[fut.key]
            layers = [[a.rpartition(SEP)[2], b.rpartition(SEP)[2]] for a, b in zip(xs, ys)]
            rows = [f"layer {k + 1}: {a}" if a == b else f"layer {k + 1}: {a} vs {b}"
                    for k, (a, b) in enumerate(layers)]
            values = np.vstack([got["layers"], got["multiplex"]])
            table = pd.DataFrame(values, columns=list(COMPONENT_NAMES),
                                 index=pd.Index(rows + [MULTIPLEX], name="comparison"))
            return _with_totals({"distances": table, "networks": [x, y], "layers": layers})
        plan.assemble = assemble
        return plan

    def write_result(self, result, folder: Path) -> dict:
        write_table(folder / "distances.parquet", result["distances"], index=True)
        dump_json(folder / "summary.json", {"networks": result["networks"],
                                            "layers": result["layers"]})
        return {"distances": "distances.parquet", "summary": "summary.json"}

    def read_result(self, files, folder: Path):
        summary = json.loads((folder / files["summary"]).read_text())
        return _with_totals({"distances": read_table(folder / files["distances"]), **summary})

    def exportables(self, result):
        return {"multiplex_distances": ("indexed", result["distances"])}

    def cli_inputs(self, args: argparse.Namespace, read: Callable[[list[str]], dict]) -> dict:
        """Two folders of layers, or the layer files of both with ``--layers L`` (the
        first L files are the first network's)."""
        files = args.files
        if all(Path(f).is_dir() for f in files):
            networks = {Path(f).name: network_files(f) for f in files}
        elif args.layers and len(files) == 2 * args.layers:
            networks = {"x": files[:args.layers], "y": files[args.layers:]}
        else:
            raise InputError("give two folders of layers, or 2 L layer files with --layers L",
                             hint="renette multiplex x_layers/ y_layers/, or "
                                  "renette multiplex --layers 3 x1.csv x2.csv x3.csv y1.csv ...")
        named = layered_inputs(networks)
        frames = read(list(named.values()))
        return dict(zip(named, frames.values()))

    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--layers", type=int, metavar="L",
                            help="layers per network, when files are given (not folders)")

    def api_inputs(self, args):
        """``rw.distance(networks, multiplex=True)``: the two multiplex networks."""
        return layered_inputs(args["networks"])


def _with_diagonal(df: pd.DataFrame) -> pd.DataFrame:
    """A layer with the diagonal its file had (reading zeroes it: ReNette's networks have
    no self-loops, but mpnetdist's H counts the diagonal, as nettools)."""
    diag = df.attrs.get("zeroed_diagonal")
    if diag is None:
        return df
    x = df.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(x, diag)
    out = pd.DataFrame(x, index=df.index, columns=df.columns)
    out.attrs = {k: v for k, v in df.attrs.items() if k != "zeroed_diagonal"}
    out.attrs["notes"] = [n for n in df.attrs.get("notes", [])
                          if not n.startswith("The diagonal had")]
    return out


def _with_totals(result: dict) -> dict:
    """The multiplex distance also as ``H``, ``IM``, ``HIM`` (floats), as a distance
    result names its components."""
    row = result["distances"].loc[MULTIPLEX]
    return {**result, **{c: float(row[c]) for c in COMPONENT_NAMES}}


def _restrict(df: pd.DataFrame, nodes: list[str]) -> pd.DataFrame:
    out = df.loc[nodes, nodes]
    out.attrs = dict(df.attrs)
    if len(nodes) < df.shape[0]:
        checks.add_note(out, f"Compared on the {len(nodes)} nodes every layer has "
                             f"({df.shape[0] - len(nodes)} of its nodes left out).")
    return out


register(Multiplex())
