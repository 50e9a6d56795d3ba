"""Parameter forms built from the specs in ``params.py`` (one widget per parameter).

Number boxes are not clamped: a value out of range is sent to
``params.validate_params``, whose message (naming the parameter and the
allowed range) the panel shows, instead of being silently changed.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w

from ..io.params import Param

_STYLE = {"description_width": "170px"}
_WIDTH = "360px"


class AutoNumber(w.HBox):
    """A number that may be "automatic" (None): a checkbox plus a number box."""

    def __init__(self, spec: Param, fallback: float) -> None:
        self.auto = w.Checkbox(value=spec.default is None, description="automatic", indent=False,
                               layout=w.Layout(width="110px"))
        # a count is a whole number (not "0.5 most variable"); a real stays a real
        box = w.IntText if spec.type is int else w.FloatText
        self.number = box(value=fallback if spec.default is None else spec.default,
                          description=spec.label, style=_STYLE, layout=w.Layout(width="270px"))
        self.number.disabled = self.auto.value
        self.auto.observe(lambda ch: setattr(self.number, "disabled", ch["new"]), "value")
        super().__init__([self.number, self.auto])

    @property
    def value(self) -> float | None:
        """None when automatic, else the number."""
        return None if self.auto.value else self.number.value

    @value.setter
    def value(self, v: float | None) -> None:
        self.auto.value = v is None
        if v is not None:
            self.number.value = v


def widget_for(spec: Param) -> w.Widget:
    """The input widget of one parameter spec, with its allowed values as tooltip."""
    common = {"description": spec.label, "style": _STYLE, "layout": w.Layout(width=_WIDTH)}
    if spec.choices:
        widget = w.Dropdown(options=spec.options(), value=spec.default, **common)
    elif spec.type is bool:
        widget = w.Checkbox(value=bool(spec.default), description=spec.label, indent=False)
    elif spec.nullable:
        # what the box shows while "automatic" is ticked: a value that means something
        fallback = max(int(spec.min or 1), 1000) if spec.type is int else 0.5
        widget = AutoNumber(spec, fallback=fallback)
    elif spec.type is int:
        widget = w.IntText(value=spec.default, **common)
    else:
        widget = w.FloatText(value=spec.default, **common)
    tip = f"{spec.help} Allowed: {spec.rule()}.".strip()
    # Boxes cannot carry a tooltip (their browser view fails): set it on the inputs.
    for part in getattr(widget, "children", None) or (widget,):
        part.tooltip = tip
    return widget


def help_text(spec: Param) -> w.HTML:
    """The parameter's help, shown beside its field (not only as a tooltip)."""
    text = html.escape(spec.help)
    return w.HTML(f"<div class='renette-help' style='color:#666;font-size:11px;line-height:1.3'>"
                  f"{text}</div>", layout=w.Layout(width="360px", margin="0 0 0 8px"))


def field_row(spec: Param, widget: w.Widget) -> w.HBox:
    """A parameter's field with its help beside it."""
    return w.HBox([widget, help_text(spec)], layout=w.Layout(align_items="center"))


class ParamForm(w.VBox):
    """Widgets for a list of parameter specs, each with its help beside it;
    ``values()`` gives ``{name: value}``, ``rows[name]`` a field with its help.

    A field shows only while its parameter matters (``Param.when``, e.g. the
    number of permutations only with permutation FDR), following the fields of
    this form it depends on; ``values()`` still gives every value (the
    workflow ignores what does not apply).

    Parameters
    ----------
    specs : iterable of Param
        From ``params.method_specs`` / ``params.workflow_specs``.
    skip : iterable of str
        Names not to show (handled elsewhere by the panel).
    """

    def __init__(self, specs: Iterable[Param], skip: Iterable[str] = ()) -> None:
        skip = set(skip)
        self.specs = {s.name: s for s in specs if s.name not in skip}
        self.inputs = {name: widget_for(s) for name, s in self.specs.items()}
        self.rows = {name: field_row(self.specs[name], wd) for name, wd in self.inputs.items()}
        super().__init__(list(self.rows.values()))
        for name in {n for s in self.specs.values() for n, _ in s.when} & set(self.inputs):
            self.inputs[name].observe(self._show_applicable, "value")
        self._show_applicable()

    def _show_applicable(self, _change: dict | None = None) -> None:
        values = {n: self.inputs[n].value for n, s in self.specs.items() if n in self.inputs}
        for name, spec in self.specs.items():
            if spec.when:
                self.rows[name].layout.display = None if spec.applies(values) else "none"

    def __getitem__(self, name: str) -> w.Widget:
        return self.inputs[name]

    def values(self) -> dict[str, Any]:
        """Current values of every parameter of the form."""
        return {n: wd.value for n, wd in self.inputs.items()}


class OnDemand(dict):
    """A dict whose value for a key is made the first time it is asked for.

    The panels offer a form per inference method; a page uses one or two. Every
    widget made is a model the browser builds when the page opens, and every
    method's form made at start was most of a page's widgets.

    Parameters
    ----------
    make : callable
        ``make(key)`` makes the value of ``key``.
    """

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        self[key] = value = self.make(key)
        return value
