"""What a workflow is: the one class every workflow file subclasses.

A workflow holds everything about one kind of job, which used to be spread
over the API, the CLI, the store and the dashboard: its parameter specs, its
input check, its task plan, how its result is written to and read from a job
folder, its command-line options and a pointer to its results view. The API,
the CLI, the store (through the Job) and the dashboard look workflows up in
the registry (:mod:`renette_widgets.workflows`) by name; adding a workflow is
adding one file that subclasses :class:`Workflow` and registers an instance.
"""
from __future__ import annotations

import argparse
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io import checks, exports
from ..io.names import safe_name
from ..io.params import Param, take
from ..jobs.memory import Estimate
from ..jobs.plan import Context, Plan
from . import options

REQUIRED = inspect.Parameter.empty
#: One matrix as the Python functions take it: a DataFrame, an array or a file.
MatrixLike = pd.DataFrame | np.ndarray | str | Path


@dataclass(frozen=True)
class Arg:
    """An argument of a workflow's Python function that is not one of its
    :class:`~renette_widgets.io.params.Param` specs: its inputs, and extras
    such as the differential workflow's gene sets.

    Attributes
    ----------
    name : str
    annotation : Any
        Its type annotation (shown by ``help()`` and IDEs).
    doc : str
        The numpydoc description (type line first, then the text).
    default : Any
        ``REQUIRED`` for an argument without a default.
    """

    name: str
    annotation: Any
    doc: str
    default: Any = REQUIRED


@dataclass(frozen=True)
class Front:
    """How a workflow is called from Python: ``rw.<name>(inputs, params, ...)``.

    :mod:`renette_widgets.api` builds the function from this and the workflow's
    :class:`~renette_widgets.io.params.Param` specs: its signature, defaults,
    annotations and numpydoc text.

    Attributes
    ----------
    name : str
        The function's name in ``renette_widgets``.
    summary : str
        The docstring's first paragraph.
    inputs : tuple of Arg
        The inputs, first, by position.
    returns : str
        The numpydoc "Returns" section (type line, then the text).
    positional : tuple of str
        Parameters that may also be given by position, after the inputs (in
        this order); the others are keyword-only.
    extras : tuple of Arg
        Keyword-only arguments that are no Param.
    var_keyword : Arg or None
        The ``**kwargs`` argument (method parameters), if any.
    defaults : mapping
        A default of the function that differs from its spec's (kept from an
        earlier version of the API), by parameter name.
    variant : str or None
        Another workflow run instead when the boolean keyword of that name is
        true (``rw.distance(..., multiplex=True)``); its parameters are added.
    """

    name: str
    summary: str
    inputs: tuple[Arg, ...]
    returns: str
    positional: tuple[str, ...] = ()
    extras: tuple[Arg, ...] = ()
    var_keyword: Arg | None = None
    defaults: Mapping = field(default_factory=dict)
    variant: str | None = None


class Workflow:
    """One kind of job (subclass it, set the attributes, implement the methods).

    Attributes
    ----------
    name : str
        Registry key, stored in every job's manifest (``"distance"``).
    title : str
        What people call it (dashboard, job lists).
    input_kind : {"data", "adjacency"}
        Data matrices (samples x variables) or networks (adjacency matrices).
    params : tuple of Param
        The workflow's own parameters, with their defaults (the only place a
        default is written).
    view : str or None
        ``"module:Class"`` of the dashboard view of its results (a widget
        built as ``Class(result, stem=..., params=...)``); None: a generic
        view.
    cli_command, cli_help : str
        The ``renette`` subcommand and its one-line help (None: no command).
    cli_repeat : tuple of str
        Parameters whose option may be repeated (inference: ``-m cor -m WGCNA``).
    front : Front or None
        Its ``rw.<name>`` function (None: only through ``rw.submit``).
    min_inputs : int
        Fewest inputs a job takes (a differential analysis compares two).
    """

    name: str = ""
    title: str = ""
    input_kind: str = "adjacency"
    params: tuple[Param, ...] = ()
    view: str | None = None
    cli_command: str | None = None
    cli_help: str = ""
    cli_repeat: tuple[str, ...] = ()
    front: Front | None = None
    min_inputs: int = 1

    # ------------------------------------------------------------ checks
    def validate_params(self, params: Mapping | None) -> dict:
        """Typed parameters with every default filled in (raises InputError)."""
        return take(list(self.params), dict(params or {}), context=self.name)

    def check_inputs(self, matrices: dict[str, pd.DataFrame], params: dict,
                     drop_constant: bool = False) -> dict[str, pd.DataFrame]:
        """The inputs as the job will use them (raises InputError).

        By default each input is a network checked as an adjacency matrix.
        """
        if drop_constant:
            raise InputError(f"drop_constant applies to data matrices, not to a {self.name} job",
                             hint="Use it with inference or stability.")
        return {name: checks.check_adjacency(df, name=source(name, df))
                for name, df in matrices.items()}

    # ------------------------------------------------------------ compute
    def plan(self, ctx: Context, matrices: dict[str, pd.DataFrame], params: dict) -> Plan:
        """Submit the job's tasks; the returned plan's ``assemble()`` builds the result.

        Parameters
        ----------
        ctx : Context
            The client, the job id (every task key ends with it), the job's folder
            and where its inputs are stored (:class:`~renette_widgets.jobs.plan.Context`).
        matrices : dict of str to DataFrame
            The inputs as :meth:`check_inputs` returned them.
        params : dict
            The parameters as :meth:`validate_params` returned them.
        """
        raise NotImplementedError

    def memory(self, matrices: dict[str, pd.DataFrame], params: dict) -> Estimate | None:
        """Peak memory of the job's largest task and of what the client will hold
        (None: not estimated): checked against the cluster before it starts."""
        return None

    # ------------------------------------------------------------ results
    def write_result(self, result: Any, folder: Path) -> dict:
        """Write ``result`` into ``folder``; returns what the manifest records
        (file names by key), which :meth:`read_result` is given back."""
        raise NotImplementedError

    def read_result(self, files: dict, folder: Path) -> Any:
        """The result as :meth:`write_result` wrote it."""
        raise NotImplementedError

    def output_networks(self, result: Any) -> dict[str, pd.DataFrame]:
        """The networks in a result that other workflows can take as inputs."""
        return {}

    def exportables(self, result: Any) -> dict[str, tuple[str, Any]]:
        """What an export writes: ``{file stem: (kind, value)}``, kind
        ``"network"`` (a matrix that may go to GraphML), ``"matrix"``,
        ``"table"`` or ``"indexed"`` (a table whose index is a column)."""
        return {}

    def export(self, result: Any, folder: Path, fmt: str = "csv",
               threshold: float | None = None, top_k: int | None = None) -> list[Path]:
        """Write the result in a text format into ``folder``; returns the files.

        ``fmt``: csv, tsv, json, or graphml / edgelist (networks only, with ``threshold``
        or ``top_k`` for dense ones: :func:`renette_widgets.io.exports.edges`).
        """
        fmt = exports.check_format(fmt)
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        items = self.exportables(result)
        if fmt in exports.NETWORK_ONLY:
            items = {k: v for k, v in items.items() if v[0] == "network"}
            if not items:
                raise InputError(f"a {self.name} result has no network to export as {fmt}",
                                 hint="Export it as csv, tsv or json.")
        written = []
        taken: set[str] = set()
        for stem, (kind, value) in items.items():
            path = folder / f"{safe_name(stem, taken)}.{fmt}"
            if fmt == "graphml":
                written.append(exports.export_graphml(value, path, threshold, top_k))
            elif fmt == "edgelist":  # read back by read_network
                written.append(exports.export_edgelist(value, path.with_name(
                    f"{path.stem}_edges.csv"), threshold, top_k))
            elif kind in ("network", "matrix"):
                written.append(exports.export_matrix(value, path, fmt))
            else:
                written.append(exports.export_table(value, path, fmt, index=kind == "indexed"))
        return written

    # ------------------------------------------------------------ Python function
    def api_inputs(self, args: dict[str, Any]) -> Any:
        """The job's inputs from the values of the function's input arguments
        (by default ``{argument name: value}``)."""
        return dict(args)

    def api_params(self, values: dict[str, Any], extra: dict[str, Any]) -> dict:
        """The job's parameters from the function's parameter values (specs and
        extras, by name) and its ``**kwargs`` (``extra``)."""
        return {**values, **extra}

    def api_result(self, result: Any) -> Any:
        """What the function returns of the job's result (by default all of it)."""
        return result

    # ------------------------------------------------------------ command line
    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the subcommand's options that are no Param (each Param's option is
        added by the CLI, :func:`~renette_widgets.workflows.options.add_spec_options`;
        files and common options too)."""

    def cli_params(self, args: argparse.Namespace) -> dict:
        """The job's parameters from the parsed options: each Param's option
        (:func:`~renette_widgets.workflows.options.spec_values`), then
        :meth:`cli_extra`."""
        return self.cli_extra(options.spec_values(args, self.params), args)

    def cli_extra(self, values: dict, args: argparse.Namespace) -> dict:
        """The job's parameters from the Params' option ``values`` and the options
        :meth:`add_cli_arguments` added (by default ``values`` as they are)."""
        return values

    def cli_inputs(self, args: argparse.Namespace, read) -> dict[str, pd.DataFrame]:
        """The job's inputs from the command line: ``read(files)`` gives ``{name:
        DataFrame}`` (each file read as ``input_kind``); by default the files given."""
        return read(args.files)


def source(name: str, df: pd.DataFrame) -> str:
    """What messages call an input: the file it was read from, else its name."""
    return df.attrs.get("source") or name
