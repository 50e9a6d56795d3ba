"""Retention: workspaces left unused for ``RENETTE_RETENTION_DAYS`` are removed.

The clock is the workspace's last use (:meth:`~.workspace.Workspace.touch`: a
page opening it, and every minute while a page shows it), not a job's age: a
job a user still sees is never removed, and results stay N days after the last
visit, as ReNette kept them 7 days. A workspace with a job running is kept.
``make run``'s server sweeps once an hour; ``0`` days keeps everything.
"""
from __future__ import annotations

import json
import time

from ..io.location import Location, children, location, remove_tree
from .store import Store


def sweep(home: str | Location, days: float, now: float | None = None) -> list[str]:
    """Remove the workspaces under ``home`` unused for more than ``days`` days, and
    the share links that opened their jobs; returns the keys removed."""
    if not days or days <= 0:
        return []
    home, now = location(home), time.time() if now is None else now
    cutoff = now - days * 86400
    removed = []
    folder = home / "workspaces"
    for root in sorted(children(folder), key=lambda p: p.name):
        seen = _last_use(root)
        if seen > cutoff or any(r["alive"] for r in Store(root).live()):
            continue
        remove_tree(root)
        removed.append(root.name)
    if removed:
        _drop_shares(home, set(removed))
    return removed


def _last_use(root: Location) -> float:
    """When a workspace was last used: its ``seen`` mark, else its newest job or input."""
    try:
        return (root / "seen").stat().st_mtime
    except OSError:
        pass
    times = [p.stat().st_mtime for p in root.glob("*")] + [p.stat().st_mtime
                                                          for p in root.glob("jobs/*")]
    return max(times, default=0.0)


def _drop_shares(home: Location, keys: set[str]) -> None:
    for path in (home / "shares").glob("*.json"):
        try:
            if json.loads(path.read_text()).get("workspace") in keys:
                path.unlink()
        except (OSError, ValueError):
            continue
