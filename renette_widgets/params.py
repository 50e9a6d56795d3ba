"""Parameter specs of every workflow and method, and their validation.

The dashboard builds its forms from these specs; the API and the CLI call
:func:`validate_params` before a job is submitted, so only typed values
(int, float, str from a fixed list, bool, None) ever reach R, as keyword
arguments. A string such as ``"6); system('touch pwned')"`` for ``P`` is an
:class:`~renette_widgets.errors.InputError`, never R code.

Defaults follow nettools / ReNette (``../shared/reference/nettools-methods.md``):
P = 6, FDR = 1e-3, MINE alpha = 0.6, C = 15, measure MIC, DP = 1; ReNette's
``var.thr = 1e-15`` and ``tol = 0`` (nettools' 1e-5 rejects data with small
values, such as the microbiome examples; constant columns are still rejected
by :func:`renette_widgets.validate.check_data`).

Parameter layout (the canonical form stored in a job's manifest, as the
API defines it): inference ``{"methods": {method: {param: value}}, "seed"}``;
distance ``{"metric", "rho", "gamma", "components"}``; stability ``{"method",
"method_params", "metric", "resampling", "k", "h", "seed", "indicator",
"rho", "gamma"}``; statistics ``{"seed"}``. Method parameters carry the names
of R's ``mat2adj`` arguments (``P``, ``FDR``, ``measure``, ``alpha``, ``C``,
``var.thr``, ``DP``, ``tol``, and ``method`` for the correlation type).
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["Param", "INFERENCE_METHODS", "WORKFLOW_PARAMS", "METHOD_PARAMS",
           "method_specs", "workflow_specs", "validate_params", "validate_method_params"]

INFERENCE_METHODS = ("cor", "WGCNA", "WGCNAFDR", "bicor", "bicorFDR", "TOM", "ARACNE",
                     "CLR", "MINE", "MINEFDR", "DTWMIC", "c3net", "bc3net")
SEED_MAX = 2**31 - 1


@dataclass(frozen=True)
class Param:
    """One parameter: how to show it, check it and type it.

    Attributes
    ----------
    name : str
        Key in the parameter dict (for method parameters: the R argument).
    type : type
        ``int``, ``float``, ``str`` or ``bool``.
    default : Any
        Default value (``None`` = automatic, only when `nullable`).
    label, help : str
        Short label and one-sentence help for forms.
    min, max : float, optional
        Bounds; exclusive when `min_open` / `max_open`.
    choices : tuple, optional
        Allowed values (strings are matched case-insensitively).
    nullable : bool
        ``None`` (or "auto") is allowed and means automatic.
    methods : tuple, optional
        Inference methods the parameter applies to (None: all).
    aliases : tuple
        Other accepted names (R's name, nettools' name).
    """

    name: str
    type: type
    default: Any
    label: str
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple | None = None
    min_open: bool = False
    max_open: bool = False
    nullable: bool = False
    methods: tuple | None = None
    aliases: tuple = field(default=())

    def as_dict(self) -> dict:
        """Plain dict (type as its name), e.g. for JSON."""
        out = asdict(self)
        out["type"] = self.type.__name__
        return out

    def rule(self) -> str:
        """The allowed values in words."""
        if self.choices:
            text = "one of " + ", ".join(map(str, self.choices))
        elif self.type is bool:
            text = "true or false"
        else:
            kind = "a whole number" if self.type is int else "a number"
            lo = None if self.min is None else (">" if self.min_open else ">=") + f" {self.min:g}"
            hi = None if self.max is None else ("<" if self.max_open else "<=") + f" {self.max:g}"
            bounds = " and ".join(b for b in (lo, hi) if b)
            text = kind + (f" {bounds}" if bounds else "")
        if self.nullable:
            text += ", or automatic"
        default = "automatic" if self.default is None else self.default
        return f"{text} (default {default})"


_FDR_METHODS = ("WGCNAFDR", "bicorFDR", "MINEFDR")
_MINE = ("MINE", "MINEFDR")

METHOD_PARAMS: tuple[Param, ...] = (
    Param("method", str, "pearson", "correlation", "Correlation coefficient.",
          choices=("pearson", "spearman", "kendall"), methods=("cor",),
          aliases=("cor_method", "correlation")),
    Param("P", int, 6, "power P", "Soft-threshold power: weights are |r|^P.",
          min=1, max=30, methods=("WGCNA", "TOM")),
    Param("FDR", float, 1e-3, "FDR", "Permutation filter: floor(1/FDR) rounds "
          "(not a true false discovery rate).", min=1e-4, max=0.5, methods=_FDR_METHODS),
    Param("measure", str, "MIC", "MINE measure", "Which MINE statistic is the weight.",
          choices=("MIC", "MAS", "MEV", "MCN", "MICR2", "GMIC", "TIC"), methods=_MINE),
    Param("alpha", float, 0.6, "alpha", "MINE grid size exponent: B = n^alpha.",
          min=0, max=1, min_open=True, methods=_MINE),
    Param("C", float, 15, "C", "MINE: clumps per column in the grid search.",
          min=1, max=100, methods=_MINE),
    Param("var.thr", float, 1e-15, "variance threshold (MINE)",
          "minerva gives zero weights to variables with variance below this.",
          min=0, max=1, methods=_MINE, aliases=("var_thr",)),
    Param("DP", float, 1, "DP", "DTWMIC: exponent of the combined weight.",
          min=0, max=10, min_open=True, methods=("DTWMIC",)),
    Param("tol", float, 0.0, "variance tolerance",
          "Columns with variance below tol are rejected (0: only constant columns).",
          min=0, max=1e6),
)

_SEED = Param("seed", int, 0, "seed", "Random seed (results are reproducible).",
              min=0, max=SEED_MAX)
_DISTANCE = (
    Param("metric", str, "HIM", "distance", "Hamming (H), Ipsen-Mikhailov (IM) or "
          "their combination HIM.", choices=("HIM", "IM", "H"), aliases=("d",)),
    Param("rho", float, 1.0, "rho (xi)", "Weight of IM in HIM = sqrt((H^2 + rho IM^2)/(1 + rho)).",
          min=0, max=1e6, aliases=("xi",)),
    Param("gamma", float, None, "gamma", "Lorentz half-width of IM; automatic: the value "
          "making IM(empty, complete) = 1.", min=0, max=10, min_open=True, nullable=True,
          aliases=("ga",)),
)
_COMPONENTS = Param("components", bool, True, "all components",
                    "Also return H and IM besides HIM.")

WORKFLOW_PARAMS: dict[str, tuple[Param, ...]] = {
    "inference": (
        Param("method", str, "cor", "inference method", "How edges are weighted.",
              choices=INFERENCE_METHODS, aliases=("infer.method",)),
        _SEED,
    ),
    "distance": _DISTANCE + (_COMPONENTS,),
    "stability": (
        Param("method", str, "cor", "inference method", "How edges are weighted.",
              choices=INFERENCE_METHODS, aliases=("adj.method",)),
        *_DISTANCE,
        Param("resampling", str, "montecarlo", "resampling", "Monte Carlo subsamples, "
              "k-fold cross-validation or leave-one-out.",
              choices=("montecarlo", "kCV", "LOO"), aliases=("resamp.method",)),
        Param("k", int, 3, "k", "Monte Carlo keeps (1 - 1/k) of the samples; kCV uses k "
              "folds; LOO ignores k.", min=2, max=100),
        Param("h", int, 20, "h", "Number of Monte Carlo draws or kCV repetitions.",
              min=1, max=1000),
        Param("seed", int, 0, "seed", "Seed of the resampling (nettools' sseed).",
              min=0, max=SEED_MAX, aliases=("sseed",)),
        Param("indicator", str, "all", "indicators", "Which stability indicators.",
              choices=("all", "S", "SI", "Sw", "Sd")),
    ),
    "statistics": (_SEED,),
}


def method_specs(method: str) -> list[Param]:
    """Specs of the parameters that apply to inference method `method`."""
    method = _coerce(WORKFLOW_PARAMS["inference"][0], method)
    return [p for p in METHOD_PARAMS if p.methods is None or method in p.methods]


def workflow_specs(workflow: str) -> list[Param]:
    """Specs of a workflow's own parameters (method parameters: :func:`method_specs`)."""
    if workflow not in WORKFLOW_PARAMS:
        raise InputError(f"unknown workflow {workflow!r}",
                         hint="Use inference, distance, stability or statistics.")
    return list(WORKFLOW_PARAMS[workflow])


_INT = re.compile(r"\s*[+-]?\d+(?:\.0*)?\s*")
_FLOAT = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def _bad(spec: Param, value: Any, why: str) -> InputError:
    shown = repr(value) if isinstance(value, str) else str(value)
    return InputError(
        f"parameter {spec.name}"
        f"{'' if spec.label == spec.name else f' ({spec.label})'} = {shown[:80]} {why}",
        parameter=spec.name, value=shown[:200],
        hint=f"{spec.name} must be {spec.rule()}.")


def _coerce(spec: Param, value: Any) -> Any:
    """`value` as the spec's Python type, within its range, or InputError."""
    if value is None or (spec.nullable and isinstance(value, str)
                         and value.strip().lower() in ("", "auto", "automatic", "none")):
        if spec.nullable:
            return None
        raise _bad(spec, value, "is missing")
    if spec.type is bool:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, np.integer)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _bad(spec, value, "is not true or false")
    if spec.type is str:
        if not isinstance(value, str):
            raise _bad(spec, value, "is not text")
        for choice in spec.choices or ():
            if value.strip().lower() == str(choice).lower():
                return choice
        raise _bad(spec, value, "is not an allowed choice")
    number = _number(spec, value)
    lo_bad = spec.min is not None and (number <= spec.min if spec.min_open else number < spec.min)
    hi_bad = spec.max is not None and (number >= spec.max if spec.max_open else number > spec.max)
    if lo_bad or hi_bad:
        raise _bad(spec, value, "is out of range")
    return number


def _number(spec: Param, value: Any) -> int | float:
    if isinstance(value, (bool, np.bool_)):
        raise _bad(spec, value, "is true/false, not a number")
    if isinstance(value, str):
        pattern = _INT if spec.type is int else _FLOAT
        if not pattern.fullmatch(value):
            kind = "a whole number" if spec.type is int else "a number"
            raise _bad(spec, value, f"is not {kind}")
        value = float(value)
    if not isinstance(value, (int, float, np.integer, np.floating)):
        raise _bad(spec, value, f"is a {type(value).__name__}, not a number")
    if not math.isfinite(float(value)):
        raise _bad(spec, value, "is not a finite number")
    if spec.type is int:
        if float(value) != int(value):
            raise _bad(spec, value, "is not a whole number")
        return int(value)
    return float(value)


def _take(specs: list[Param], given: Mapping, *, context: str) -> dict:
    """Validate `given` against `specs` (aliases accepted); fill in defaults."""
    by_name = {}
    for spec in specs:
        for key in (spec.name, *spec.aliases):
            by_name[key] = spec
    out: dict[str, Any] = {}
    for key, value in given.items():
        spec = by_name.get(str(key))
        if spec is None:
            allowed = ", ".join(s.name for s in specs) or "none"
            raise InputError(f"unknown parameter {key!r} for {context}",
                             parameter=str(key), value=str(value)[:200],
                             hint=f"Parameters of {context}: {allowed}.")
        if spec.name in out:
            raise InputError(f"parameter {spec.name} is given twice (as {key!r} too)",
                             parameter=spec.name)
        out[spec.name] = _coerce(spec, value)
    for spec in specs:
        out.setdefault(spec.name, spec.default)
    return out


def validate_method_params(method: str, params: Mapping | None) -> dict:
    """Typed parameters of one inference method (R argument names), with defaults.

    A parameter of another method (e.g. ``P`` for ``cor``) is an error.
    """
    method = _coerce(WORKFLOW_PARAMS["inference"][0], method)
    params = dict(params or {})
    applicable = method_specs(method)
    names = {k for s in applicable for k in (s.name, *s.aliases)}
    for key in params:
        other = next((s for s in METHOD_PARAMS if key in (s.name, *s.aliases)), None)
        if key not in names and other is not None:
            raise InputError(
                f"parameter {key} does not apply to method {method}",
                parameter=str(key), value=str(params[key])[:200],
                hint=f"{key} is used by {', '.join(other.methods or ())}; "
                     f"{method} takes: {', '.join(s.name for s in applicable)}.")
    return _take(applicable, params, context=f"method {method}")


def validate_params(workflow: str, params: Mapping | None) -> dict:
    """Check and type the parameters of a job.

    Parameters
    ----------
    workflow : {"inference", "distance", "stability", "statistics"}
    params : mapping
        Inference: ``{"methods": {method: {...}} or [methods], "seed"}``, or
        the flat form ``{"method": "WGCNA", "P": 6, "seed": 0}``. Stability:
        its own parameters plus ``method_params`` (or method parameters
        given flat). Strings from forms (``"6"``, ``"1e-3"``, ``"true"``,
        ``"auto"``) are accepted and converted.

    Returns
    -------
    dict
        The canonical layout (see the module docstring) with plain Python
        values and every default filled in.

    Raises
    ------
    InputError
        Naming the parameter, the value given and the allowed values.
    """
    specs = workflow_specs(workflow)
    p = dict(params or {})
    if workflow == "inference":
        seed = _take([_SEED], {k: p.pop(k) for k in ("seed",) if k in p}, context="inference")
        methods = p.pop("methods", None)
        if methods is None:
            methods = {p.pop("method", p.pop("infer.method", "cor")): p}
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
            checked = validate_method_params(method, mp)
            out[_coerce(specs[0], method)] = checked
        return {"methods": out, **seed}
    if workflow == "stability":
        own = {k for s in specs for k in (s.name, *s.aliases)}
        mp = dict(p.pop("method_params", None) or {})
        mp.update({k: p.pop(k) for k in list(p) if k not in own})
        loo = str(p.get("resampling", p.get("resamp.method", ""))).strip().upper() == "LOO"
        k_given = p.pop("k", None) if loo else None
        out = _take(specs, p, context="stability")
        if loo and k_given is not None:
            # LOO ignores k (nettools' own LOO cases pass k = 1).
            out["k"] = _number(specs[[s.name for s in specs].index("k")], k_given)
        out["method_params"] = validate_method_params(out["method"], mp)
        return out
    return _take(specs, p, context=workflow)
