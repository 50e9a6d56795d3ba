"""Parameter specs, their validation, and the inference methods' parameters.

Each workflow declares its own parameters (``Workflow.params``, in
:mod:`renette_widgets.workflows`) with the :class:`Param` specs and shared
specs defined here; the dashboard builds its forms from them, and the API and
the CLI validate every job's parameters with :func:`take` before it is
submitted, so only typed values (int, float, str from a fixed list, bool,
None) ever reach R, as keyword arguments. A string such as
``"6); system('touch pwned')"`` for ``P`` is an
:class:`~renette_widgets.errors.InputError`, never R code.

Defaults follow nettools / ReNette (``../shared/reference/nettools-methods.md``):
P = 6, FDR = 1e-3, MINE alpha = 0.6, C = 15, measure MIC, DP = 1; ReNette's
``var.thr = 1e-15`` and ``tol = 0`` (nettools' 1e-5 rejects data with small
values, such as the microbiome examples; constant columns are still rejected
by :func:`renette_widgets.io.checks.check_data`). Method parameters carry the
names of R's ``mat2adj`` arguments (``P``, ``FDR``, ``measure``, ``alpha``,
``C``, ``var.thr``, ``DP``, ``tol``, and ``method`` for the correlation type).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = ["Param", "INFERENCE_METHODS", "METHOD_INFO", "METHOD_PARAMS", "METHOD", "SEED",
           "TOP_VARIANCE", "DISTANCE",
           "COMPONENTS", "method_specs", "validate_method_params", "take", "coerce",
           "number", "defaults"]

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
    choice_labels : tuple
        What forms show for each of `choices` (default: the choices themselves).
    when : tuple of (str, Any)
        Other parameters' values under which this one matters (e.g. ``cut`` only
        with ``threshold="weight"``), all of them; a tuple value means any of its
        values (``("resampling", ("montecarlo", "kCV"))``). Empty: always. Forms
        show the parameter only then (`applies`), the parameter reference says
        it, and the meaning test (tests/test_meaning.py) moves the parameter with
        the first of these set (`when_example`).
    affects : str
        ``"result"`` (moving it changes the plan or the result), or
        ``"display: <why>"`` for a parameter that only changes what is shown.
    cli : tuple of str
        Extra option strings of its ``renette`` option besides ``--<name>``
        (e.g. ``("-m",)``).
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
    choice_labels: tuple = field(default=())
    when: tuple = field(default=())
    affects: str = "result"
    cli: tuple = field(default=())

    def applies(self, values: Mapping[str, Any]) -> bool:
        """Whether the parameter matters given other parameters' ``values`` (see
        `when`); a parameter named in `when` but missing from ``values`` is not
        held against it."""
        def holds(name: str, wanted: Any) -> bool:
            if name not in values:
                return True
            return values[name] in wanted if isinstance(wanted, tuple) else values[name] == wanted
        return all(holds(name, wanted) for name, wanted in self.when)

    def when_example(self) -> dict[str, Any]:
        """Values of the other parameters under which this one matters (the first
        of each choice in `when`)."""
        return {name: wanted[0] if isinstance(wanted, tuple) else wanted
                for name, wanted in self.when}

    def when_text(self) -> str:
        """`when` in words, for the parameter reference (empty: always)."""
        def one(name: str, wanted: Any) -> str:
            if isinstance(wanted, tuple):
                return f"`{name}` in " + ", ".join(f"`{v}`" for v in wanted)
            return f"`{name}` = `{wanted}`"
        return ", ".join(one(name, wanted) for name, wanted in self.when)

    def options(self) -> list[tuple[str, Any]]:
        """``(label, value)`` of each choice, for forms."""
        labels = self.choice_labels or tuple(map(str, self.choices or ()))
        return list(zip(labels, self.choices or ()))

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
            def shown(x: float) -> str:
                return str(int(x)) if self.type is int else f"{x:g}"
            lo = (None if self.min is None else
                  (">" if self.min_open else ">=") + f" {shown(self.min)}")
            hi = (None if self.max is None else
                  ("<" if self.max_open else "<=") + f" {shown(self.max)}")
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

#: What forms call each method, beside its R name.
METHOD_NAMES = {
    "cor": "correlation", "WGCNA": "soft-thresholded correlation",
    "WGCNAFDR": "WGCNA + permutation filter", "bicor": "robust correlation",
    "bicorFDR": "bicor + permutation filter", "TOM": "topological overlap",
    "ARACNE": "mutual information, pruned", "CLR": "mutual information vs background",
    "MINE": "maximal information (MIC)", "MINEFDR": "MIC + permutation filter",
    "DTWMIC": "time series (DTW + MIC)", "c3net": "mutual-information core",
    "bc3net": "bagged c3net",
}


# The inference method (of an inference or a stability job).
METHOD = Param("method", str, "cor", "inference method", "How edges are weighted.",
               choices=INFERENCE_METHODS, aliases=("infer.method", "adj.method"), cli=("-m",),
               choice_labels=tuple(f"{m} · {METHOD_NAMES[m]}" for m in INFERENCE_METHODS))
# Keep only the most variable variables (a common reduction of genome-scale data).
TOP_VARIANCE = Param("top_variance", int, None, "keep the N most variable",
                     "Keep only the N variables of largest variance (all when automatic).",
                     min=2, max=10**7, nullable=True)
SEED = Param("seed", int, 0, "seed", "Random seed (results are reproducible).",
              min=0, max=SEED_MAX)
DISTANCE = (
    Param("metric", str, "HIM", "distance", "Hamming (H), Ipsen-Mikhailov (IM) or "
          "their combination HIM (H alone computes no spectrum: much faster on large "
          "networks).", choices=("HIM", "IM", "H"), aliases=("d",)),
    Param("rho", float, 1.0, "rho (xi)", "Weight of IM in HIM = sqrt((H^2 + rho IM^2)/(1 + rho)).",
          min=0, max=1e6, aliases=("xi",)),
    Param("gamma", float, None, "gamma", "Lorentz half-width of IM; automatic: the value "
          "making IM(empty, complete) = 1.", min=0, max=10, min_open=True, nullable=True,
          aliases=("ga",)),
)
COMPONENTS = Param("components", bool, True, "all components",
                    "With HIM: also return H and IM (they are computed anyway); off: HIM "
                    "alone is stored and shown.", when=(("metric", "HIM"),))

def method_specs(method: str) -> list[Param]:
    """Specs of the parameters that apply to inference method `method`."""
    method = coerce(METHOD, method)
    return [p for p in METHOD_PARAMS if p.methods is None or method in p.methods]


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


def coerce(spec: Param, value: Any) -> Any:
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
    x = number(spec, value)
    lo_bad = spec.min is not None and (x <= spec.min if spec.min_open else x < spec.min)
    hi_bad = spec.max is not None and (x >= spec.max if spec.max_open else x > spec.max)
    if lo_bad or hi_bad:
        raise _bad(spec, value, "is out of range")
    return x


def number(spec: Param, value: Any) -> int | float:
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


def take(specs: list[Param], given: Mapping, *, context: str) -> dict:
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
        out[spec.name] = coerce(spec, value)
    for spec in specs:
        out.setdefault(spec.name, spec.default)
    return out


def validate_method_params(method: str, params: Mapping | None) -> dict:
    """Typed parameters of one inference method (R argument names), with defaults.

    A parameter of another method (e.g. ``P`` for ``cor``) is an error.
    """
    method = coerce(METHOD, method)
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
    return take(applicable, params, context=f"method {method}")


def defaults(specs: Iterable[Param]) -> dict[str, Any]:
    """``{name: default}`` of ``specs``: where signatures and option parsers take
    their defaults from, so that each default is written once, in its spec."""
    return {p.name: p.default for p in specs}


#: One line per inference method: what its weights measure, when to use it, a reference.
METHOD_INFO = {
    "cor": "Correlation |r| (Pearson, Spearman or Kendall): linear or rank co-variation; a fast "
           "first look at any data.",
    "WGCNA": "|r|^P, soft-thresholded correlation: strong co-expression stands out; gene "
             "co-expression modules. Langfelder & Horvath 2008, BMC Bioinformatics 9:559.",
    "WGCNAFDR": "|r| kept only where it beats shuffled data (1/FDR permutation rounds): sparser, "
                "fewer chance edges; slow on many variables. nettools (Filosi et al. 2014).",
    "bicor": "Biweight midcorrelation: a correlation robust to outliers, for noisy measurements. "
             "Langfelder & Horvath 2012, J Stat Softw 46(11).",
    "bicorFDR": "bicor kept only where it beats shuffled data (permutation filter). nettools.",
    "TOM": "Topological overlap of the WGCNA network: two variables are close when they share "
           "neighbours; smoother modules. Zhang & Horvath 2005, Stat Appl Genet Mol Biol 4:17.",
    "ARACNE": "Mutual information, minus the weakest edge of each triangle (indirect links): "
              "sparse regulatory networks. Margolin et al. 2006, BMC Bioinformatics 7:S7.",
    "CLR": "Mutual information scored against each variable's background (z-scores): fewer links "
           "from promiscuous variables. Faith et al. 2007, PLoS Biol 5:e8.",
    "MINE": "Maximal information coefficient: any functional association, non-linear too; slow "
            "(all pairs). Reshef et al. 2011, Science 334:1518.",
    "MINEFDR": "MIC kept only where it beats shuffled data (permutation filter); very slow. nettools.",
    "DTWMIC": "Dynamic time warping combined with MIC, for time series (samples in time order). "
              "Riccadonna et al. 2016, PLoS One 11:e0152648.",
    "c3net": "Conservative causal core: each variable keeps its strongest mutual-information "
             "edge; very sparse. Altay & Emmert-Streib 2010, BMC Syst Biol 4:132.",
    "bc3net": "Bagged (bootstrapped) c3net: more robust than c3net, random (seeded). de Matos "
              "Simoes & Emmert-Streib 2012, PLoS One 7:e33624.",
}

def method_options() -> list[tuple[str, str]]:
    """``(label, method)`` of every inference method, for forms."""
    return METHOD.options()
