"""A result as files a spreadsheet opens: CSV tables with a README of their columns,
and networks as GraphML, for any workflow (what its ``exportables`` names).

A network of more than :data:`LARGE_NODES` nodes is not written whole as text (a
5,000-node network is 25 million numbers): its strongest :data:`TOP_EDGES` edges
are, as ``renette export --top-edges`` does; the whole matrix stays in the job's
folder. A dense network's GraphML takes its strongest edges likewise.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io import exports
from ..io.names import safe_name
from ..io.readme import readme

#: Above this many nodes a network's CSV is its strongest edges (the dashboard's limit too).
LARGE_NODES = 2000
#: Edges kept of a network too large for text, or too dense for GraphML.
TOP_EDGES = 100_000
#: Edges of a dense network's GraphML (what a viewer draws).
GRAPHML_EDGES = 50_000


def write_tables(flow: Any, result: Any, folder: str | Path, title: str = "") -> list[Path]:
    """Every table and matrix of ``result`` as CSV in ``folder``, and ``README.md``
    saying what each file and column holds; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, described, taken = [], [], set()
    for stem, (kind, value) in flow.exportables(result).items():
        path = folder / f"{safe_name(stem, taken)}.csv"
        if kind == "network" and int(value.shape[0]) > LARGE_NODES:
            table, _ = exports.edges(value, top_k=TOP_EDGES)
            exports.export_table(table, path, "csv")
            kind = "edges"
            columns = list(table.columns)
        elif kind in ("network", "matrix"):
            exports.export_matrix(value, path, "csv")
            columns = []
        else:
            exports.export_table(value, path, "csv", index=kind == "indexed")
            columns = [str(c) for c in getattr(value, "columns", [])]
        written.append(path)
        described.append((path.name, kind, columns))
    doc = folder / "README.md"
    doc.write_text(readme(title or f"ReNette {flow.name} results", described), encoding="utf-8")
    return [doc] + written


def write_graphml(flow: Any, result: Any, folder: str | Path, inputs: dict | None = None) -> list[Path]:
    """The result's networks as GraphML in ``folder`` (a workflow without networks
    of its own, e.g. statistics: its input networks, ``inputs``). A network with
    too many edges for a viewer keeps its :data:`GRAPHML_EDGES` strongest."""
    folder = Path(folder)
    items = {k: v for k, (kind, v) in flow.exportables(result).items() if kind == "network"}
    folder.mkdir(parents=True, exist_ok=True)
    if not items:
        try:  # a workflow's own GraphML (differential: the network of significant pairs)
            return flow.export(result, folder, "graphml")
        except InputError:
            if flow.input_kind != "adjacency" or not inputs:
                raise
        items = dict(inputs)
    written, taken = [], set()
    for stem, net in items.items():
        path = folder / f"{safe_name(stem, taken)}.graphml"
        try:
            written.append(exports.export_graphml(net, path))
        except InputError:  # too many edges for a viewer: the strongest, as the CLI's --top-edges
            written.append(exports.export_graphml(net, path, top_k=GRAPHML_EDGES))
    return written
