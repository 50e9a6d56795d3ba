"""Names: one rule for making a name unique, and file-safe stems of user names."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def unique_name(name: str, taken: Collection[str] | Callable[[str], bool]) -> str:
    """``name``, or the first of ``name_2``, ``name_3``, ... that is not ``taken``
    (a collection of names, or a predicate)."""
    is_taken = taken if callable(taken) else taken.__contains__
    out, k = name, 2
    while is_taken(out):
        out, k = f"{name}_{k}", k + 1
    return out


def safe_name(name: str, taken: set[str] | None = None) -> str:
    """A file-system-safe file stem for a user-given name, unique (ignoring case,
    as some file systems do) among ``taken``, to which it is added."""
    stem = _UNSAFE.sub("_", str(name)).strip("._")[:80] or "input"
    taken = taken if taken is not None else set()
    out = unique_name(stem, lambda n: n.lower() in taken)
    taken.add(out.lower())
    return out
