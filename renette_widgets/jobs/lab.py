"""Clusters started from JupyterLab's Dask sidebar (dask-labextension).

dask-labextension runs clusters in the Jupyter server and lists them at the
server's ``/dask/clusters``. A kernel knows its server by ``JPY_PARENT_PID``
(set by jupyter_client for every kernel it starts); the server's runtime file
gives its URL and token. When that server has a cluster, the kernel uses it
(the first listed): every notebook of the JupyterLab then computes on the
cluster its sidebar shows, as with the sidebar's own "inject client" button.
For sidebar clusters with one thread per worker, as R wants, set the
extension's factory (``labextension.factory.kwargs.threads_per_worker: 1``,
``docs/deployment.md``).
"""
from __future__ import annotations

import json
import os
import urllib.request


def _server() -> dict | None:
    """The running Jupyter server that started this kernel, or None."""
    parent = os.environ.get("JPY_PARENT_PID", "").strip()
    if not parent.isdigit():
        return None
    try:
        from jupyter_server.serverapp import list_running_servers
    except ImportError:
        return None
    for info in list_running_servers():
        if str(info.get("pid")) == parent:
            return info
    return None


def clusters(server: dict | None = None, timeout: float = 3.0) -> list[dict]:
    """The dask-labextension clusters of ``server`` (default: this kernel's), each
    with ``id``, ``name``, ``scheduler_address``; none when there is no such server
    or it has no dask-labextension."""
    server = server if server is not None else _server()
    if not server:
        return []
    url = server["url"].rstrip("/") + "/dask/clusters"
    req = urllib.request.Request(url, headers={"Authorization": f"token {server.get('token', '')}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - the local server
            found = json.load(r)
    except (OSError, ValueError):
        return []
    return [c for c in found if isinstance(c, dict) and c.get("scheduler_address")]


def cluster_address() -> tuple[str, str] | None:
    """(scheduler address, words) of this kernel's JupyterLab's sidebar cluster, or None."""
    found = clusters()
    if not found:
        return None
    c = found[0]
    return c["scheduler_address"], f"the JupyterLab Dask sidebar's cluster {c.get('name') or c['id']}"
