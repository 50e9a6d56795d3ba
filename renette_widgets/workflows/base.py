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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..io import checks, exports
from ..io.names import safe_name
from ..io.params import Param, take
from ..jobs.memory import Estimate
from ..jobs.plan import Plan


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
    def plan(self, client, matrices: dict[str, pd.DataFrame], params: dict,
             job_id: str) -> Plan:
        """Submit the job's tasks; the returned plan assembles the result."""
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

    # ------------------------------------------------------------ command line
    def add_cli_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the subcommand's own options (files and common options are added
        by the CLI)."""

    def cli_params(self, args: argparse.Namespace) -> dict:
        """The job's parameters from the parsed options."""
        return {}

    def cli_inputs(self, args: argparse.Namespace, read) -> dict[str, pd.DataFrame]:
        """The job's inputs from the command line: ``read(files)`` gives ``{name:
        DataFrame}`` (each file read as ``input_kind``); by default the files given."""
        return read(args.files)


def source(name: str, df: pd.DataFrame) -> str:
    """What messages call an input: the file it was read from, else its name."""
    return df.attrs.get("source") or name
