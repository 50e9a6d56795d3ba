"""Compute through a dask-gateway server (JupyterHub + Kubernetes, a lab's Hadoop,
or its local backend).

Configured with dask's own settings, as every dask-gateway user has them:
``gateway.address`` (``DASK_GATEWAY__ADDRESS``), ``gateway.auth.type``
(``DASK_GATEWAY__AUTH__TYPE``), ``gateway.proxy-address``, ... plus the number
of workers (``RENETTE_WORKERS``). The workers' environment goes through the
gateway's cluster options when the server offers them: ``worker_threads`` = 1
(R is single-threaded: add workers, not threads) and ``environment`` (one BLAS
thread, ``RENETTE_R_LIBS`` when set here); a server that offers neither gives
its workers an image built for them (``docs/deployment.md``, "Worker image").
"""
from __future__ import annotations

import os
from typing import Any

import dask

from .. import config


def address() -> str:
    """The dask-gateway server configured in dask's settings, or ""."""
    return str(dask.config.get("gateway.address", default=None) or "")


def worker_environment() -> dict[str, str]:
    """What the workers' environment needs from here: one thread per numeric
    library, and the R library with ``renette`` when ``RENETTE_R_LIBS`` is set
    (an image sets its own otherwise)."""
    env = dict(config.SINGLE_THREAD_ENV)
    if os.environ.get("RENETTE_R_LIBS"):
        env["RENETTE_R_LIBS"] = os.environ["RENETTE_R_LIBS"]
    return env


def start(n_workers: int | None = None, **options: Any):
    """A new cluster on the gateway, scaled to ``n_workers``; returns (cluster, client).

    ``options`` set cluster options by name (those the server offers); ``worker_threads``
    and ``environment`` are filled in as this module says when offered and not given.
    """
    from dask_gateway import Gateway  # deferred: only a gateway user needs it
    gateway = Gateway()
    opts = gateway.cluster_options()
    offered = set(opts)
    if "worker_threads" in offered and "worker_threads" not in options:
        options["worker_threads"] = 1
    if "environment" in offered:
        options["environment"] = {**worker_environment(), **dict(options.get("environment") or {})}
    for name, value in options.items():
        if name in offered:
            opts[name] = value
    cluster = gateway.new_cluster(opts, shutdown_on_close=True)
    try:
        cluster.scale(n_workers or config.n_workers())
        client = cluster.get_client(set_as_default=False)
    except BaseException:
        cluster.shutdown()
        raise
    return cluster, client


def describe(cluster) -> str:
    """The cluster in words (what :func:`~renette_widgets.jobs.cluster.get_client` says)."""
    return f"dask-gateway cluster {cluster.name} at {address()}"
