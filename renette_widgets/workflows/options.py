"""Command-line options that several workflows share (``renette`` subcommands).

Defaults come from the parameter specs (:func:`~renette_widgets.io.params.defaults`):
an option left out takes the spec's default.
"""
from __future__ import annotations

import argparse
from typing import Any

from ..errors import InputError
from ..io.params import Param, method_specs


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


def option_strings(spec: Param) -> list[str]:
    """The option strings of a parameter: its extra ones (``Param.cli``, e.g.
    ``-m``), then ``--<name>`` (``_`` and ``.`` as ``-``)."""
    return [*spec.cli, "--" + spec.name.replace("_", "-").replace(".", "-")]


def spec_help(spec: Param) -> str:
    """A parameter's option help: its help text and its rule (argparse-escaped)."""
    rule = spec.rule()
    return f"{spec.help} {rule[:1].upper()}{rule[1:]}.".replace("%", "%%")


def add_spec_options(parser: argparse.ArgumentParser, specs, repeat=()) -> None:
    """One option per parameter spec: typed, its choices, its default; a boolean
    as ``--x/--no-x``; a name in ``repeat`` may be given several times (a list,
    None when not given)."""
    for spec in specs:
        names, dest = option_strings(spec), spec.name
        if spec.type is bool:
            parser.add_argument(*names, dest=dest, default=spec.default, help=spec_help(spec),
                                action=argparse.BooleanOptionalAction)
            continue
        kw = {"choices": list(spec.choices), "type": _choice(spec)} if spec.choices else {
            "type": spec.type}
        if spec.name in repeat:
            kw.update(action="append", default=None)
        else:
            kw.update(default=spec.default)
        parser.add_argument(*names, dest=dest, help=spec_help(spec), **kw)


def _choice(spec: Param):
    """A choice as written in the spec whatever its case (``-m wgcna`` is WGCNA, as
    the specs accept it); anything else as given, for argparse to refuse."""
    by_case = {str(c).lower(): c for c in spec.choices}
    return lambda text: by_case.get(text.strip().lower(), text)


def spec_values(args: argparse.Namespace, specs) -> dict:
    """``{name: value}`` of the parameters' options (:func:`add_spec_options`)."""
    return {spec.name: getattr(args, spec.name) for spec in specs}


def add_method_options(parser: argparse.ArgumentParser) -> None:
    """``-p KEY=VALUE`` and ``--drop-constant``: the options of a workflow that
    infers networks, besides its parameters' own."""
    parser.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                        help="method parameter, e.g. P=6, measure=MIC, tol=0 (given to the "
                        "methods that take it), or METHOD.KEY=VALUE for one method")
    parser.add_argument("--drop-constant", action="store_true",
                        help="drop constant columns (variance at most tol) instead of "
                        "refusing the data")


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
