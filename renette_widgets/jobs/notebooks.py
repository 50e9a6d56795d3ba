"""The workspace of a notebook run in JupyterLab (or any kernel that is not Voila's).

A Voila page learns its workspace from its request and the browser; a notebook
in JupyterLab has neither (its address bar is JupyterLab's). Its workspace is
its own instead: an unguessable key made the first time the dashboard runs in
that notebook and remembered in ``RENETTE_HOME/notebooks.json`` under the
notebook's path, so running the cell again (or restarting the kernel) opens
the same workspace. The key is random, not derived from the path: a visitor
of the Voila dashboard on the same store cannot guess it.
"""
from __future__ import annotations

import json
import os
import threading

from .. import config
from ..io.location import Location, is_remote, location
from .store import _write_atomic
from .workspace import new_token

_LOCK = threading.Lock()


def notebook_path(environ: dict[str, str] | None = None) -> str:
    """What names the running notebook: the kernel's folder and the notebook's
    path as jupyter_server tells its kernels (``JPY_SESSION_NAME``)."""
    env = os.environ if environ is None else environ
    return f"{os.getcwd()}::{env.get('JPY_SESSION_NAME', '')}"


def notebook_workspace(path: str | None = None, home: str | Location | None = None) -> str:
    """The workspace key of the notebook ``path`` (default: the running one),
    made and remembered on first use."""
    home = location(home if home is not None else config.home())
    path = notebook_path() if path is None else path
    index = home / "notebooks.json"
    with _LOCK:
        try:
            known = json.loads(index.read_text())
        except (OSError, ValueError):
            known = {}
        key = known.get(path)
        if not key:
            key = known[path] = new_token()
            if not is_remote(home):
                home.mkdir(parents=True, exist_ok=True)
            _write_atomic(index, known, home / "tmp")
    return key
