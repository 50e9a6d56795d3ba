"""Python API for analysts: the four ReNette workflows, synchronous or as jobs.

Synchronous functions (:func:`infer`, :func:`distance`, :func:`stability`,
:func:`netstats`) are :func:`submit` + ``wait`` + ``result``; they run on the
same dask cluster and write the same store as the dashboard and the CLI.

Parameters, in the canonical form stored in a job's manifest:

- inference: ``{"methods": {method: {param: value}}, "seed": 0}``
  (``{"method": "cor", **params}`` is accepted too);
- distance: ``{"metric": "HIM", "rho": 1.0, "gamma": None, "components": True}``;
- stability: ``{"method": "cor", "method_params": {}, "metric": "HIM",
  "resampling": "montecarlo", "k": 3, "h": 20, "seed": 0, "indicator": "all",
  "rho": 1.0, "gamma": None}``;
- statistics: ``{"seed": 0}``.

Every input problem raises :class:`~renette_widgets.errors.InputError`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError, JobError
from .jobs import WORKFLOWS, Job
from .results import StabilityResult

MatrixLike = pd.DataFrame | np.ndarray | str | Path


def read_matrix(path_or_buffer: Any, kind: str = "data", header: bool = True,
                row_names: bool | None = None, sep: str | None = None,
                **kwargs: Any) -> pd.DataFrame:
    """Read a data or adjacency matrix from CSV/TSV (see :mod:`reader`).

    Parameters
    ----------
    path_or_buffer : str, Path or file-like
    kind : {"data", "adjacency"}
    header : bool
        Column names in the first row.
    row_names : bool or None
        Row names in the first column; ``None`` detects them.
    sep : str, optional
        Separator; detected when not given.

    Returns
    -------
    DataFrame
        Float matrix with names; notes for the user in ``df.attrs["notes"]``.
    """
    from .reader import read_matrix as _read
    return _read(path_or_buffer, kind=kind, header=header, row_names=row_names,
                 sep=sep, **kwargs)


# ---------------------------------------------------------------- inputs

def _as_frame(x: MatrixLike, kind: str, name: str | None) -> pd.DataFrame:
    if isinstance(x, (str, Path)):
        path = Path(x)
        if not path.is_file():
            raise InputError("no such file", file=str(x), hint="Check the path.")
        df = read_matrix(path, kind=kind, name=name or path.name)
        df.attrs.setdefault("source", name or path.name)
        return df
    if isinstance(x, pd.DataFrame):
        return x
    if isinstance(x, np.ndarray):
        if x.ndim != 2:
            raise InputError(f"a matrix must be 2-dimensional, got shape {x.shape}",
                             file=name)
        cols = [f"V{j + 1}" for j in range(x.shape[1])]
        index = cols if kind == "adjacency" else None
        return pd.DataFrame(x, columns=cols, index=index)
    raise InputError(f"cannot use a {type(x).__name__} as a matrix", file=name,
                     hint="Give a pandas DataFrame, a numpy array or a file path.")


def _named_inputs(inputs: Any, kind: str) -> dict[str, pd.DataFrame]:
    """Inputs as ``{name: DataFrame}`` from a mapping, a sequence or one matrix."""
    if isinstance(inputs, Mapping):
        items = list(inputs.items())
    elif isinstance(inputs, Sequence) and not isinstance(inputs, str):
        items = []
        for i, x in enumerate(inputs):
            name = Path(x).stem if isinstance(x, (str, Path)) else None
            if isinstance(x, pd.DataFrame):
                name = x.attrs.get("name") or x.attrs.get("source")
            items.append((name or f"net{i + 1}", x))
    else:
        items = [(Path(inputs).stem if isinstance(inputs, (str, Path)) else "input", inputs)]
    out: dict[str, pd.DataFrame] = {}
    for name, x in items:
        name = str(name)
        if name in out:
            raise InputError(f"two inputs are named '{name}'", file=name,
                             hint="Give every input a distinct name.")
        out[name] = _as_frame(x, kind, name)
    if not out:
        raise InputError("no input given", hint="Give at least one matrix.")
    return out


# ---------------------------------------------------------------- params

def normalize_params(workflow: str, params: Mapping | None) -> dict:
    """Parameters in canonical form with defaults, typed (see :mod:`params`)."""
    from .params import validate_params
    if workflow not in WORKFLOWS:
        raise InputError(f"unknown workflow {workflow!r}",
                         hint=f"Use one of {', '.join(WORKFLOWS)}.")
    return validate_params(workflow, params)


# ---------------------------------------------------------------- validation

def _file(name: str, df: pd.DataFrame) -> str:
    """What messages call an input: the file it was read from, else its name."""
    return df.attrs.get("source") or name


def _validate_inputs(workflow: str, frames: dict[str, pd.DataFrame], p: dict,
                     drop_constant: bool = False) -> dict:
    """Check matrices with the shared validation layer (raises InputError)."""
    from . import validate
    if drop_constant and workflow not in ("inference", "stability"):
        raise InputError(f"drop_constant applies to data matrices, not to a {workflow} job",
                         hint="Use it with inference or stability.")
    if workflow == "inference":
        out = {}
        for name, df in frames.items():
            for method, mp in p["methods"].items():
                df = validate.check_data(df, method=method, tol=float(mp.get("tol") or 0.0),
                                         drop_constant=drop_constant, name=_file(name, df))
            out[name] = df
        return out
    if workflow == "stability":
        if len(frames) != 1:
            raise InputError(f"stability takes one data matrix, got {len(frames)}",
                             hint="Run one stability job per data set.")
        (name, df), = frames.items()
        df = validate.check_data(df, method=p["method"],
                                 tol=float(p["method_params"].get("tol") or 0.0),
                                 drop_constant=drop_constant, name=_file(name, df))
        validate.check_resampling(df.shape[0], p["resampling"], p["k"], p["method"], name)
        return {name: df}
    nets = {name: validate.check_adjacency(df, name=_file(name, df))
            for name, df in frames.items()}
    if workflow == "distance":
        nets = validate.check_network_set(nets, min_count=1)
    return nets


# ---------------------------------------------------------------- jobs

def submit(workflow: str, inputs: Any, params: Mapping | None = None, client=None,
           store=None, drop_constant: bool = False) -> Job:
    """Start a job and return at once.

    Parameters
    ----------
    workflow : {"inference", "distance", "stability", "statistics"}
    inputs : mapping, sequence, DataFrame or path
        Named matrices (``{name: DataFrame}``) or things to read: data
        matrices for inference/stability, adjacency matrices otherwise.
    params : mapping, optional
        Workflow parameters (module docstring); missing ones take defaults.
    client : distributed.Client, optional
        Default :func:`~renette_widgets.cluster.get_client`.
    store : Store or False, optional
        Default ``Store()`` (``RENETTE_HOME``); ``False`` keeps results in memory.
    drop_constant : bool
        Inference and stability: drop the data's constant columns (or those of
        variance below the method's ``tol``) with a note in the input's
        ``attrs["notes"]``, instead of refusing the data.

    Returns
    -------
    Job
        Running; watch ``status``/``done``/``total`` or call ``wait()``.

    Raises
    ------
    InputError
        For any problem with the inputs or parameters (before anything runs).
    """
    if workflow not in WORKFLOWS:
        raise InputError(f"unknown workflow {workflow!r}",
                         hint=f"Use one of {', '.join(WORKFLOWS)}.")
    kind = "data" if workflow in ("inference", "stability") else "adjacency"
    p = normalize_params(workflow, params)
    frames = _validate_inputs(workflow, _named_inputs(inputs, kind), p, drop_constant)
    return Job(workflow, frames, p, client=client, store=store).start()


def _run(workflow: str, inputs: Any, params: dict, client, store, timeout,
         drop_constant: bool = False) -> Any:
    job = submit(workflow, inputs, params, client=client, store=store,
                 drop_constant=drop_constant).wait(timeout)
    if job.status != "done":
        if job.error_type == "InputError":  # R rejected the input, in words
            raise InputError(job.error)
        raise JobError(job.error or job.status, job_id=job.id)
    return job.result


def infer(data: MatrixLike, method: str = "cor", *, client=None, store=None,
          timeout: float | None = None, seed: int = 0, drop_constant: bool = False,
          **params: Any) -> pd.DataFrame:
    """Infer a network from a data matrix (samples in rows, variables in columns).

    Parameters
    ----------
    data : DataFrame, ndarray or path
    method : str
        Any of rlib's ``mat2adj`` methods (cor, WGCNA, bicor, TOM, ARACNE,
        CLR, MINE, DTWMIC, c3net, bc3net and the FDR variants).
    seed : int
        ``set.seed`` before inference (stochastic methods).
    drop_constant : bool
        Drop constant columns (variance at most ``tol``) instead of refusing
        the data; the network then lacks those variables.
    **params
        Method parameters, as keyword arguments of R's ``mat2adj``
        (e.g. ``P=6``, ``measure="MIC"``, ``tol=0``).

    Returns
    -------
    DataFrame
        p x p adjacency with the variable names.
    """
    res = _run("inference", {"data": data}, {"methods": {method: params}, "seed": seed},
               client, store, timeout, drop_constant)
    return next(iter(res["networks"].values()))


def distance(networks: Any, metric: str = "HIM", rho: float = 1.0,
             gamma: float | None = None, components: bool = True, *, client=None,
             store=None, timeout: float | None = None) -> dict[str, Any]:
    """Distances between networks (Hamming, Ipsen-Mikhailov, HIM).

    Parameters
    ----------
    networks : mapping, sequence or path(s)
        Adjacency matrices on the same nodes; one network is compared with
        the empty network.
    metric : {"HIM", "IM", "H"}
    rho : float
        Weight of IM in HIM (ReNette's xi).
    gamma : float, optional
        Lorentz half-width; automatic (nettools' optimal gamma) by default.

    Returns
    -------
    dict
        ``H``, ``IM``, ``HIM``: k x k DataFrames with the network names;
        ``gamma``: the value used.
    """
    return _run("distance", networks, {"metric": metric, "rho": rho, "gamma": gamma,
                                       "components": components},
                client, store, timeout)


def stability(data: MatrixLike, method: str = "cor", metric: str = "HIM",
              resampling: str = "montecarlo", k: int = 3, h: int = 20, seed: int = 0,
              *, indicator: str = "all", client=None, store=None,
              timeout: float | None = None, drop_constant: bool = False,
              **params: Any) -> StabilityResult:
    """Stability of the inferred network under resampling (nettools' netSI).

    Parameters
    ----------
    data : DataFrame, ndarray or path
    method : str
        Inference method (``mat2adj``); method parameters go in ``**params``.
    metric : {"HIM", "IM", "H"}
    resampling : {"montecarlo", "kCV", "LOO"}
    k, h : int
        Folds / repetitions as in netSI.
    seed : int
        netSI's ``sseed``: the same seed gives nettools' resamples.
    drop_constant : bool
        Drop constant columns (variance at most ``tol``) instead of refusing
        the data.

    Returns
    -------
    StabilityResult
    """
    return _run("stability", {"data": data},
                {"method": method, "method_params": params, "metric": metric,
                 "resampling": resampling, "k": k, "h": h, "seed": seed,
                 "indicator": indicator}, client, store, timeout, drop_constant)


def netstats(network: MatrixLike, seed: int = 0, *, client=None, store=None,
             timeout: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and network statistics of one network.

    Returns
    -------
    (DataFrame, DataFrame)
        The node table (one row per node) and the network table (one row).
    """
    res = _run("statistics", {"network": network}, {"seed": seed}, client, store, timeout)
    tables = next(iter(res.values()))
    return tables["nodes"], tables["network"]
