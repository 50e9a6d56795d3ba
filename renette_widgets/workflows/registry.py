"""The workflow registry: workflows by name."""
from __future__ import annotations

from ..errors import InputError
from .base import Workflow

_REGISTRY: dict[str, Workflow] = {}


def register(flow: Workflow) -> Workflow:
    """Add a workflow (replacing one of the same name); returns it."""
    if not flow.name:
        raise ValueError("a workflow needs a name")
    _REGISTRY[flow.name] = flow
    return flow


def unregister(name: str) -> None:
    """Remove a workflow (tests add toy workflows and take them away)."""
    _REGISTRY.pop(name, None)


def get(name: str) -> Workflow:
    """The workflow called ``name`` (raises InputError naming the known ones)."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown workflow {name!r}",
                         hint=f"Use one of {', '.join(_REGISTRY)}.") from None


def names() -> list[str]:
    """The registered workflows' names, in registration order."""
    return list(_REGISTRY)
