"""A job's parameters in words, for people: ``name = value``, not JSON.

Names are the forms' labels (the workflow's :class:`~renette_widgets.io.params.Param`
specs); shares and probability levels (:data:`SHARES`) are percentages; booleans are
yes / no; automatic values say so.
"""
from __future__ import annotations

from typing import Any

from .. import workflows

#: Parameters that say nothing to a reader of a job's line (reproducibility only).
QUIET = ("seed",)
#: Parameters that are shares or probability levels, shown as percentages (a
#: correlation bounded by [0, 1], e.g. a cutoff, is not one: it stays a number).
SHARES = ("fdr", "cor_alpha", "alpha", "density")


def _specs(workflow: str) -> dict[str, Any]:
    try:
        flow = workflows.get(workflow)
    except Exception:  # noqa: BLE001 - an unknown workflow: plain names
        return {}
    return {p.name: p for p in getattr(flow, "params", ())}


def value_words(value: Any, spec: Any = None) -> str:
    """One value in words (``spec``: its Param, when known)."""
    if value is None:
        return "automatic"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if spec is not None and spec.name in SHARES and 0 <= value <= 1:
            return f"{value * 100:g} %"
        return f"{value:g}"
    if isinstance(value, dict):
        if all(not isinstance(v, dict) for v in value.values()):  # a method's parameters
            return ", ".join(f"{k} = {value_words(v)}" for k, v in value.items()) or "defaults"
        return "; ".join(f"{k} ({value_words(v)})" if isinstance(v, dict) and v else str(k)
                         for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(value_words(v) if not isinstance(v, dict) else
                         str(v.get("method", v)) for v in value)
    return str(value)


def params_words(params: dict | None, workflow: str = "", quiet: tuple[str, ...] = ()) -> str:
    """``label = value`` for each parameter that is set, separated by " · "."""
    specs = _specs(workflow) if workflow else {}
    bits = []
    for name, value in (params or {}).items():
        if name in quiet or value in ("", [], {}):
            continue
        spec = specs.get(name)
        label = spec.label if spec is not None and spec.label else name.replace("_", " ")
        if isinstance(value, dict) and all(not isinstance(v, dict) for v in value.values()):
            bits.append(f"{label} ({value_words(value, spec)})")  # e.g. a method's parameters
        else:
            bits.append(f"{label} = {value_words(value, spec)}")
    return " · ".join(bits)
