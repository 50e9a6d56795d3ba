"""Parameter forms built from the specs in ``params.py`` (one widget per parameter)."""
from __future__ import annotations

from typing import Any, Iterable

import ipywidgets as w

_STYLE = {"description_width": "150px"}
_LAYOUT = {"width": "340px"}


def _get(spec: Any, key: str, default: Any = None) -> Any:
    """A field of a spec, whether the spec is a dict or an object."""
    if isinstance(spec, dict):
        return spec.get(key, default)
    return getattr(spec, key, default)


def widget_for(spec: Any) -> w.Widget:
    """The input widget of one parameter spec (type, default, min, max, choices, label, help)."""
    kind = _get(spec, "type")
    kind = getattr(kind, "__name__", kind)
    label = _get(spec, "label") or _get(spec, "name")
    default = _get(spec, "default")
    choices = _get(spec, "choices")
    lo, hi = _get(spec, "min"), _get(spec, "max")
    common = {"description": label, "style": _STYLE, "layout": w.Layout(**_LAYOUT),
              "description_allow_html": False}
    if choices:
        widget = w.Dropdown(options=list(choices), value=default if default in choices else list(choices)[0],
                            **common)
    elif kind in ("bool", bool):
        widget = w.Checkbox(value=bool(default), indent=False, description=label)
    elif kind in ("int", int):
        widget = w.BoundedIntText(value=int(default if default is not None else lo or 0),
                                  min=int(lo) if lo is not None else -2**31,
                                  max=int(hi) if hi is not None else 2**31 - 1, **common)
    elif kind in ("float", float):
        widget = w.BoundedFloatText(value=float(default if default is not None else lo or 0.0),
                                    min=float(lo) if lo is not None else -1e300,
                                    max=float(hi) if hi is not None else 1e300,
                                    step=None, **common)
    else:
        widget = w.Text(value="" if default is None else str(default), **common)
    help_text = _get(spec, "help")
    if help_text:
        widget.tooltip = help_text
    return widget


class ParamForm(w.VBox):
    """Widgets for a set of parameter specs, showing only the relevant ones.

    Parameters
    ----------
    specs : iterable
        Parameter specs (objects or dicts with ``name``, ``type``, ``default``,
        ``min``, ``max``, ``choices``, ``label``, ``help``).
    """

    def __init__(self, specs: Iterable[Any]) -> None:
        self.specs = {_get(s, "name"): s for s in specs}
        self.inputs = {name: widget_for(s) for name, s in self.specs.items()}
        super().__init__(list(self.inputs.values()))

    def show_only(self, names: Iterable[str]) -> None:
        """Show the widgets of ``names``; hide the others."""
        names = set(names)
        for name, widget in self.inputs.items():
            widget.layout.display = None if name in names else "none"

    def visible(self) -> list[str]:
        """Names of the parameters shown."""
        return [n for n, wd in self.inputs.items() if wd.layout.display != "none"]

    def values(self, names: Iterable[str] | None = None) -> dict[str, Any]:
        """Current values of ``names`` (default: the visible parameters)."""
        names = self.visible() if names is None else names
        return {n: self.inputs[n].value for n in names}
