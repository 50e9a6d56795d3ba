"""Python API for analysts: every registered workflow, synchronous or as jobs.

Synchronous functions (:func:`infer`, :func:`distance`, :func:`stability`,
:func:`netstats`, :func:`differential`) are :func:`submit` + ``wait`` + ``result``; they run on the
same dask cluster and write the same store as the dashboard and the CLI.
:func:`submit` runs any workflow of the registry
(:mod:`renette_widgets.workflows`) by name, :func:`load_result`,
:func:`load_job` and :func:`rerun` read the store.

The one-call functions are generated from the workflows: each one's signature,
defaults, annotations and numpydoc "Parameters" come from its parameter specs
(``Workflow.params``, the only place a parameter is declared; all of them in
docs/parameters.md) and its ``Workflow.front`` (inputs, what it returns).
Each workflow's module documents its result. Every input problem raises
:class:`~renette_widgets.errors.InputError`.
"""
from __future__ import annotations

import inspect
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import workflows
from .errors import InputError, JobError, TooLargeError
from .io.arrays import StoredMatrix
from .io.params import Param
from .io.networks import read_network as _read_network
from .io.reader import read_matrix as _read_matrix
from .jobs.job import Job
from .jobs.store import Store
from .workflows.base import Arg

MatrixLike = pd.DataFrame | np.ndarray | str | Path



def read_matrix(path_or_buffer: Any, kind: str = "data", header: bool = True,
                row_names: bool | None = None, sep: str | None = None,
                orientation: str = "auto", **kwargs: Any) -> pd.DataFrame:
    """Read a data or adjacency matrix from CSV/TSV (see :mod:`renette_widgets.io.reader`).

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
    orientation : {"auto", "samples-in-rows", "variables-in-rows"}
        Data matrices: a table with genes in rows (GEO, DESeq2/edgeR counts) is
        transposed as it is read; ``"auto"`` decides from its labels and shape,
        says why in ``attrs["notes"]`` and refuses when the evidence is mixed.

    Returns
    -------
    DataFrame
        Float matrix with names; notes for the user in ``df.attrs["notes"]``.
    """
    return _read_matrix(path_or_buffer, kind=kind, header=header, row_names=row_names,
                        sep=sep, orientation=orientation, **kwargs)


def read_network(path_or_buffer: Any, format: str = "auto", *, directed: bool | None = None,
                 weight: str | None = None, **kwargs: Any) -> pd.DataFrame:
    """Read a network: a square adjacency matrix, an edge list (CSV/TSV), GraphML or GML.

    See :func:`renette_widgets.io.networks.read_network` (``self_loops``, ``header``,
    ``row_names``, ``sep``, ``na``, ``name``, ``max_bytes``).

    Parameters
    ----------
    path_or_buffer : str, Path, bytes or file-like
    format : {"auto", "adjacency", "edgelist", "graphml", "gml"}
        Detected from the name and content by default.
    directed : bool or None
        Edge lists: detected (directed when a pair is listed both ways with
        different weights) unless given; graph files follow the file.
    weight : str, optional
        The weight column or edge attribute (default ``weight``; none: 1.0).

    Returns
    -------
    DataFrame
        n x n adjacency with the node names, ``attrs["notes"]`` for the user.
    """
    return _read_network(path_or_buffer, format, directed=directed, weight=weight, **kwargs)


# ---------------------------------------------------------------- inputs

def _as_frame(x: MatrixLike, kind: str, name: str | None) -> pd.DataFrame:
    if isinstance(x, (str, Path)):
        path = Path(x)
        if not path.is_file():
            raise InputError("no such file", file=str(x), hint="Check the path.")
        # a network file may be an adjacency matrix, an edge list, GraphML or GML
        df = (read_network(path, name=name or path.name) if kind == "adjacency"
              else read_matrix(path, kind=kind, name=name or path.name))
        df.attrs.setdefault("source", name or path.name)
        return df
    if isinstance(x, pd.DataFrame):
        return x
    if isinstance(x, StoredMatrix):  # a stored result, e.g. an inferred network
        return x.to_frame()
    if isinstance(x, np.ndarray):
        if x.ndim != 2:
            raise InputError(f"a matrix must be 2-dimensional, got shape {x.shape}",
                             file=name)
        cols = [f"V{j + 1}" for j in range(x.shape[1])]
        index = cols if kind == "adjacency" else None
        return pd.DataFrame(x, columns=cols, index=index)
    raise InputError(f"cannot use a {type(x).__name__} as a matrix", file=name,
                     hint="Give a pandas DataFrame, a numpy array or a file path.")


def named_inputs(inputs: Any, kind: str) -> dict[str, pd.DataFrame]:
    """Inputs as ``{name: DataFrame}`` from a mapping, a sequence or one matrix
    (files are read as ``kind``: ``"data"`` or ``"adjacency"``)."""
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


# ---------------------------------------------------------------- jobs

def submit(workflow: str, inputs: Any, params: Mapping | None = None, client=None,
           store=None, drop_constant: bool = False) -> Job:
    """Start a job and return at once.

    Parameters
    ----------
    workflow : str
        A registered workflow (``renette_widgets.workflows.names()``):
        "inference", "distance", "stability", "statistics", ...
    inputs : mapping, sequence, DataFrame or path
        Named matrices (``{name: DataFrame}``) or things to read: data
        matrices or networks, as the workflow takes.
    params : mapping, optional
        Workflow parameters (its module docstring); missing ones take defaults.
    client : distributed.Client, optional
        Default :func:`~renette_widgets.jobs.cluster.get_client`.
    store : Store or False, optional
        Default ``Store()`` (``RENETTE_HOME``); ``False`` keeps results in memory.
    drop_constant : bool
        Data matrices only: drop constant columns (or those of variance below
        the method's ``tol``) with a note in the input's ``attrs["notes"]``,
        instead of refusing the data.

    Returns
    -------
    Job
        Running; watch ``status``/``done``/``total`` or call ``wait()``.

    Raises
    ------
    InputError
        For any problem with the inputs or parameters (before anything runs).
    """
    flow = workflows.get(workflow)
    p = flow.validate_params(params)
    matrices = flow.check_inputs(named_inputs(inputs, flow.input_kind), p, drop_constant)
    store = None if store is False else (store or Store())
    if store is not None:
        store.check()  # a store that cannot be written: an InputError, before any task
    return Job(flow, matrices, p, client=client, store=store).start()


def _run(workflow: str, inputs: Any, params: dict, client, store, timeout,
         drop_constant: bool = False) -> Any:
    job = submit(workflow, inputs, params, client=client, store=store,
                 drop_constant=drop_constant).wait(timeout)
    if job.status != "done":
        if job.error_type == "InputError":  # R rejected the input, in words
            raise InputError(job.error)
        if job.error_type == "TooLargeError":  # refused before it started
            raise TooLargeError(job.error)
        raise JobError(job.error or job.status, job_id=job.id)
    return job.result


def load_result(job_id: str | dict | Path, store: Store | None = None) -> Any:
    """A stored job's result, in the same form as ``Job.result``.

    ``job_id`` may also be a manifest or the path of a ``manifest.json``.
    """
    store = store or Store()
    manifest, folder = store.resolve(job_id)
    return workflows.get(manifest["workflow"]).read_result(manifest.get("results") or {},
                                                           folder / "results")


def load_job(job_id: str | dict | Path, store: Store | None = None) -> Job:
    """A finished :class:`Job` rebuilt from the store (result loaded now)."""
    store = store or Store()
    manifest, folder = store.resolve(job_id)
    flow = workflows.get(manifest["workflow"])
    result = (flow.read_result(manifest.get("results") or {}, folder / "results")
              if manifest["status"] == "done" else None)
    return Job.from_manifest(manifest, folder, flow, result)


def rerun(job_id_or_manifest: str | dict | Path, client=None, store: Store | None = None,
          **changed: Any) -> Job:
    """Run a stored job again (same inputs), optionally with changed params.

    Parameters
    ----------
    job_id_or_manifest : str, dict or Path
        A job id, a manifest dict, or the path of a ``manifest.json``
        (or of its folder).
    client : distributed.Client, optional
    store : Store, optional
        Where the job is read from and the new one written (default ``Store()``).
    **changed
        Parameters to change (top-level keys of the job's params).

    Returns
    -------
    Job
        The new job, started (call ``.wait()``).
    """
    store = store or Store()
    manifest, _ = store.resolve(job_id_or_manifest)
    params = {**manifest["params"], **changed}
    return submit(manifest["workflow"], store.load_inputs(manifest), params, client=client,
                  store=store)


# ---------------------------------------------------------------- one call each
# Each workflow's ``rw.<name>`` function is built from its declaration: its inputs
# and extras (``Workflow.front``) and its parameter specs (``Workflow.params``),
# whose defaults, allowed values and help text are written once, in the spec.

#: The arguments every function takes, documented once.
_COMMON = (
    Arg("client", Any, "distributed.Client, optional\n    The dask cluster (default: "
        ":func:`~renette_widgets.jobs.cluster.get_client`).", None),
    Arg("store", Any, "Store or False, optional\n    Where the job is kept (default: "
        "``Store()``, ``RENETTE_HOME``); ``False`` keeps the results in memory.", None),
    Arg("timeout", float | None, "float, optional\n    Seconds to wait for the job "
        "(default: as long as it takes).", None),
)
#: ...and those whose inputs are data matrices.
_DATA = (Arg("drop_constant", bool, "bool\n    Drop constant columns (variance at most "
             "``tol``) instead of refusing the data, with a note in the input's "
             "``attrs[\"notes\"]``.", False),)


def _annotation(spec: Param) -> Any:
    """A parameter's type as IDEs show it: its choices as a ``Literal``."""
    kind = Literal[tuple(spec.choices)] if spec.choices else spec.type
    return kind | None if spec.nullable else kind


def _doc(spec: Param) -> str:
    """A parameter's numpydoc entry text, from its spec."""
    return f"{spec.help} {spec.rule()[:1].upper()}{spec.rule()[1:]}."


def _arguments(flow) -> list[tuple[inspect.Parameter, str]]:
    """The function's parameters in order, each with its numpydoc entry."""
    front, pk, ko = flow.front, inspect.Parameter.POSITIONAL_OR_KEYWORD, \
        inspect.Parameter.KEYWORD_ONLY
    specs = {p.name: p for p in flow.params}
    variant = workflows.get(front.variant) if front.variant else None
    out = [(inspect.Parameter(a.name, pk, default=a.default, annotation=a.annotation), a.doc)
           for a in front.inputs]

    def param(spec: Param, kind) -> tuple[inspect.Parameter, str]:
        default = front.defaults.get(spec.name, spec.default)
        ann = _annotation(spec) if spec.name not in front.defaults else Any
        text = f"{_type_line(spec)}\n    {_doc(spec)}"
        return inspect.Parameter(spec.name, kind, default=default, annotation=ann), text
    out += [param(specs[name], pk) for name in front.positional]
    out += [param(s, ko) for s in flow.params if s.name not in front.positional]
    if variant is not None:
        out.append((inspect.Parameter(variant.name, ko, default=False, annotation=bool),
                    f"bool\n    Run the {variant.title.lower()} workflow instead "
                    f"(``renette_widgets.workflows.get({variant.name!r})``) with the "
                    "parameters it takes."))
        out += [param(s, ko) for s in variant.params if s.name not in specs]
    extras = front.extras + _COMMON + (_DATA if flow.input_kind == "data" else ())
    out += [(inspect.Parameter(a.name, ko, default=a.default, annotation=a.annotation), a.doc)
            for a in extras]
    if front.var_keyword is not None:
        a = front.var_keyword
        out.append((inspect.Parameter(a.name, inspect.Parameter.VAR_KEYWORD,
                                      annotation=a.annotation), a.doc))
    return out


def _type_line(spec: Param) -> str:
    """A parameter's numpydoc type line."""
    if spec.choices:
        text = "{" + ", ".join(repr(c) for c in spec.choices) + "}"
    else:
        text = spec.type.__name__
    return text + (", optional" if spec.nullable else "")


def _docstring(flow, arguments) -> str:
    front = flow.front
    entries = []
    for p, text in arguments:
        name = ("**" + p.name) if p.kind is inspect.Parameter.VAR_KEYWORD else p.name
        kind, _, rest = text.partition("\n")
        body = textwrap.fill(" ".join(rest.split()), 88, initial_indent="    ",
                             subsequent_indent="    ")
        if not rest:  # a text without a type line
            body = textwrap.fill(kind, 88, initial_indent="    ", subsequent_indent="    ")
        entries.append(f"{name} : {kind}\n{body}" if rest else f"{name}\n{body}")
    kind, _, rest = front.returns.partition("\n")
    returns = kind + "\n" + textwrap.fill(" ".join(rest.split()), 88, initial_indent="    ",
                                          subsequent_indent="    ")
    article = "An" if flow.name[0] in "aeiou" else "A"
    intro = textwrap.fill(f"{article} ``{flow.name}`` job (:func:`submit`), waited for; every "
                          "parameter is validated before anything runs (an "
                          ":class:`InputError` names it).", 88)
    return (f"{front.summary}\n\n{intro}\n\nParameters\n----------\n"
            + "\n".join(entries) + f"\n\nReturns\n-------\n{returns}\n")


def _front(name: str):
    """The function ``rw.<front name>`` of workflow ``name``, built from its specs."""
    flow = workflows.get(name)
    arguments = _arguments(flow)
    sig = inspect.Signature([p for p, _ in arguments])
    inputs = [a.name for a in flow.front.inputs]
    var = flow.front.var_keyword.name if flow.front.var_keyword else None

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        extra = values.pop(var, {}) if var else {}
        common = {a.name: values.pop(a.name) for a in _COMMON}
        drop = values.pop("drop_constant", False)
        given = {k: values.pop(k) for k in inputs}
        run = flow
        if flow.front.variant and values.pop(flow.front.variant):
            run = workflows.get(flow.front.variant)
        own = {p.name for p in run.params} | {a.name for a in flow.front.extras}
        values = {k: v for k, v in values.items() if k in own}
        result = _run(run.name, run.api_inputs(given), run.api_params(values, extra),
                      common["client"], common["store"], common["timeout"], drop)
        return run.api_result(result)

    call.__name__ = call.__qualname__ = flow.front.name
    call.__module__ = __name__
    call.__doc__ = _docstring(flow, arguments)
    call.__signature__ = sig
    call.__annotations__ = {p.name: p.annotation for p, _ in arguments}
    return call


infer = _front("inference")
distance = _front("distance")
stability = _front("stability")
netstats = _front("statistics")
differential = _front("differential")
