"""Command-line options that several workflows share (``renette`` subcommands).

Defaults come from the parameter specs (:func:`~renette_widgets.io.params.defaults`):
an option left out takes the spec's default.
"""
from __future__ import annotations

import argparse
from typing import Any

from ..errors import InputError
from ..io.params import DISTANCE, defaults, method_specs


def typed_value(text: str) -> Any:
    """A ``-p KEY=VALUE`` value as a typed scalar (validated later by the specs)."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("none", "null", "auto"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def key_values(pairs: list[str] | None) -> dict:
    """``["P=6", "measure=MIC"]`` as ``{"P": 6, "measure": "MIC"}``."""
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise InputError(f"parameter {pair!r} is not KEY=VALUE",
                             hint="Write parameters as -p P=6.")
        key, value = pair.split("=", 1)
        out[key.strip()] = typed_value(value)
    return out


def add_method_options(parser: argparse.ArgumentParser, several: bool) -> None:
    """``-m/--method`` (repeatable when ``several``), ``-p KEY=VALUE`` and
    ``--drop-constant``: the options of a workflow that infers networks."""
    if several:
        parser.add_argument("-m", "--method", action="append",
                            help="inference method (repeat for several; default cor)")
    else:
        parser.add_argument("-m", "--method", help="inference method (default cor)")
    parser.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                        help="method parameter, e.g. P=6, measure=MIC, tol=0 (given to the "
                        "methods that take it), or METHOD.KEY=VALUE for one method")
    parser.add_argument("--drop-constant", action="store_true",
                        help="drop constant columns (variance at most tol) instead of "
                        "refusing the data")
    parser.add_argument("--top-variance", type=int, metavar="N",
                        help="keep only the N variables of largest variance")


def add_distance_options(parser: argparse.ArgumentParser) -> None:
    """``--metric``, ``--rho`` and ``--gamma`` (the distance's parameters)."""
    d = defaults(DISTANCE)
    metric = next(p for p in DISTANCE if p.name == "metric")
    parser.add_argument("--metric", default=d["metric"], choices=list(metric.choices))
    parser.add_argument("--rho", type=float, default=d["rho"], help="weight of IM in HIM")
    parser.add_argument("--gamma", type=float, default=d["gamma"],
                        help="Lorentz half-width (default: optimal gamma)")


def method_params(methods: list[str], pairs: list[str] | None) -> dict:
    """``-p KEY=VALUE`` to the methods that take KEY; ``-p METHOD.KEY=VALUE`` to one.

    A key no chosen method takes goes to all of them, so validation names it.
    """
    out: dict[str, dict] = {m: {} for m in methods}
    for key, value in key_values(pairs).items():
        target, _, name = key.rpartition(".")
        if target in out:
            out[target][name] = value
            continue
        takers = []
        for m in methods:
            try:
                names = {n for s in method_specs(m) for n in (s.name, *s.aliases)}
            except InputError:  # unknown method: validation reports it
                names = set()
            if key in names:
                takers.append(m)
        for m in takers or methods:
            out[m][key] = value
    return out
