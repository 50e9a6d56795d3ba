"""The workflows, one file each, and their registry.

``get(name)`` gives a registered :class:`Workflow`; ``names()`` lists them.
The built-in workflows register themselves when this package is imported;
a new one is a file with a :class:`Workflow` subclass and a ``register(...)``
call (see ``docs/architecture.md``).
"""
from .base import Workflow
from .registry import get, names, register, unregister
from . import inference, distance, stability, statistics  # noqa: E402,F401 - they register
from . import differential  # noqa: E402,F401 - registers itself

__all__ = ["Workflow", "get", "names", "register", "unregister"]
