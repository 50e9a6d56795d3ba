"""Read a network as biologists have it: adjacency matrix, edge list, GraphML or GML.

One entry point, :func:`read_network`, which gives what
:func:`~renette_widgets.io.reader.read_matrix` gives for an adjacency matrix
(a checked square DataFrame with ``attrs["source"]`` and ``attrs["notes"]``),
whatever the file was:

- a square adjacency matrix (ReNette's own format), read by ``read_matrix``;
- an edge list (CSV/TSV: Cytoscape, STRING, BioGRID, R igraph's
  ``as_data_frame``, NetworkX), parsed here (:mod:`.edgelist`) so that every
  problem names its line;
- GraphML or GML, parsed by python-igraph (Cytoscape, Gephi, igraph, NetworkX
  and ReNette's own exports write them), problems naming the edge element.

Edges become the adjacency by :func:`edges_to_adjacency`, which also finds
duplicated edges and tells directed from undirected lists.
"""
from __future__ import annotations

import math
import os
import re
import tempfile
from typing import Literal

import numpy as np
import pandas as pd

from ..config import max_upload_bytes
from ..errors import InputError
from .checks import check_adjacency
from .edgelist import Edge, parse_edge_list, looks_like_edge_list
from .reader import _decode, _lines, _load_bytes, read_matrix

__all__ = ["read_network", "NETWORK_FORMATS", "detect_format", "edges_to_adjacency"]

NETWORK_FORMATS = ("auto", "adjacency", "edgelist", "graphml", "gml")
_GML = re.compile(r"^\s*(?:(?:Creator|Version|comment)\s+[^\n]*\n\s*)*graph\s*\[", re.MULTILINE)
_GRAPH_SUFFIX = {".graphml": "graphml", ".xml": "graphml", ".gml": "gml"}


def detect_format(raw: bytes, file: str) -> str:
    """``"graphml"``, ``"gml"``, ``"edgelist"`` or ``"adjacency"``: from the file name's
    suffix, else from the content (XML, GML's ``graph [``, a table of node pairs)."""
    suffix = os.path.splitext(file.lower().removesuffix(".gz"))[1]
    if suffix in _GRAPH_SUFFIX:
        return _GRAPH_SUFFIX[suffix]
    head = raw[:4096].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "graphml"
    if _GML.match(head):
        return "gml"
    head = raw[:65536]
    text, _ = _decode(head[:head.rfind(b"\n") + 1] or head, file)  # whole lines only
    return "edgelist" if looks_like_edge_list(_lines(text)[:50]) else "adjacency"


def read_network(
    path_or_buffer,
    format: Literal["auto", "adjacency", "edgelist", "graphml", "gml"] = "auto",
    *,
    directed: bool | None = None,
    weight: str | None = None,
    self_loops: Literal["error", "drop"] = "error",
    name: str | None = None,
    header: bool | None = None,
    row_names: bool | None = None,
    sep: str | None = None,
    na: Literal["error", "impute"] = "error",
    max_bytes: int | None = None,
) -> pd.DataFrame:
    """Read a network from an adjacency matrix, an edge list, GraphML or GML.

    Parameters
    ----------
    path_or_buffer : path, bytes or file-like
        The file. Uploads pass their bytes and the file name as ``name``.
    format : {"auto", "adjacency", "edgelist", "graphml", "gml"}
        ``"auto"`` detects it from the name (``.graphml``, ``.xml``, ``.gml``)
        and the content (XML; GML; a table whose rows are pairs of node names).
    directed : bool or None
        Edge lists: None detects it (directed when some pair appears in both
        orders with different weights, or a ``directed`` column says so);
        True reads every line as an arc source -> target; False refuses a pair
        listed both ways with different weights. Graph files: None follows the
        file; False makes a directed graph undirected (a pair with two different
        weights is refused); True keeps both directions of each edge.
    weight : str, optional
        The weight column (edge list) or edge attribute (GraphML/GML). Default:
        ``weight`` (edge lists: also ``score``, ``combined_score``, ``value``...,
        else the third column of a list without header); none: every edge 1.0.
        A name the file does not have is refused, naming those it has.
    self_loops : {"error", "drop"}
        An edge from a node to itself is refused (ReNette's networks have no
        self-loops), or dropped with a note.
    name : str, optional
        File name used in messages (default: the path's base name).
    header, row_names, sep, na
        As in :func:`~renette_widgets.io.reader.read_matrix` (adjacency
        matrices; ``header`` and ``sep`` also for edge lists, where None
        detects the header from its column names).
    max_bytes : int, optional
        Size cap; default ``RENETTE_MAX_UPLOAD_MB``.

    Returns
    -------
    DataFrame
        n x n float64 weights, index = columns = node names. Nodes are those of
        the edges plus isolated ones where the format has them (GraphML/GML
        nodes; edge-list lines with a source and no target), in order of first
        appearance (graph files: file order). ``attrs``: ``source``, ``notes``,
        ``kind`` (``"adjacency"``) and ``format``.

    Raises
    ------
    InputError
        For every problem, naming the file and the line (edge lists) or the
        edge element (graph files), and what to do.
    """
    if format not in NETWORK_FORMATS:
        raise InputError(f"format must be one of {', '.join(NETWORK_FORMATS)}, not {format!r}",
                         file=name, parameter="format")
    if self_loops not in ("error", "drop"):
        raise InputError(f"self_loops must be 'error' or 'drop', not {self_loops!r}",
                         file=name, parameter="self_loops")
    limit = max_upload_bytes() if max_bytes is None else int(max_bytes)
    raw, file = _load_bytes(path_or_buffer, name, limit)
    if not raw.strip():
        raise InputError("the file is empty", file=file,
                         hint="Upload a network: an adjacency matrix, an edge list or GraphML.")
    fmt = detect_format(raw, file) if format == "auto" else format
    if fmt == "adjacency":
        df = read_matrix(raw, kind="adjacency", header=True if header is None else header,
                         row_names=row_names, sep=sep, name=file, na=na, max_bytes=limit)
        df.attrs["format"] = "adjacency"
        return df
    notes: list[str] = []
    if fmt == "edgelist":
        text, enc = _decode(raw, file)
        notes += [enc] if enc else []
        nodes, edges, listed_direction = parse_edge_list(_lines(text), file, header, sep,
                                                         weight, notes)
        if directed is None and listed_direction is not None:
            directed = listed_direction
            notes.append(f"Read as {'directed' if directed else 'undirected'}, as its "
                         "'directed' column says.")
        graph_directed = None
    else:
        nodes, edges, graph_directed = _read_graph(raw, file, fmt, weight, notes)
    df = edges_to_adjacency(nodes, edges, file, directed, graph_directed, self_loops, notes)
    df.attrs.update({"source": file, "notes": notes, "kind": "adjacency", "format": fmt})
    out = check_adjacency(df, name=file)
    out.attrs["format"] = fmt
    return out


def edges_to_adjacency(nodes: list[str], edges: list[Edge], file: str, directed: bool | None,
                       graph_directed: bool | None, self_loops: str,
                       notes: list[str]) -> pd.DataFrame:
    """The adjacency of ``edges`` over ``nodes`` (first-appearance order).

    ``directed`` None: a graph file's own direction (``graph_directed``), else
    (edge lists) directed exactly when a pair appears in both orders with
    different weights. Notes say what was decided; conflicts raise InputError
    naming both places.
    """
    seen: dict[tuple[str, str], Edge] = {}
    repeats, loops = 0, 0
    for e in edges:
        if e.source == e.target:
            if self_loops == "drop":
                loops += 1
                continue
            raise InputError(
                f"a self-loop: node '{e.source}' is linked to itself ({e.where})", file=file,
                row=e.line, value=e.source,
                hint="ReNette's networks have no self-loops: remove that edge, or drop "
                     "self-loops (self_loops='drop' in Python).")
        old = seen.get((e.source, e.target))
        if old is not None:
            if old.weight != e.weight:
                raise _conflict(old, e, file, "twice")
            repeats += 1
            continue
        seen[(e.source, e.target)] = e
    if loops:
        notes.append(f"{loops} self-loop(s) were dropped.")
    if repeats:
        notes.append(f"{repeats} edge(s) listed more than once with the same weight were "
                     "read once.")
    differ = next(((e, seen[(e.target, e.source)]) for e in seen.values()
                   if (e.target, e.source) in seen
                   and seen[(e.target, e.source)].weight != e.weight), None)
    if directed is None:
        if graph_directed is not None:
            directed = graph_directed
        else:
            directed = differ is not None
            notes.append(
                f"Read as directed (source -> target): {differ[0].source} -> {differ[0].target} "
                f"is {differ[0].weight:g} ({differ[0].where}) but {differ[1].source} -> "
                f"{differ[1].target} is {differ[1].weight:g} ({differ[1].where})." if directed
                else "Read as undirected: no pair of nodes appears in both orders with "
                     "different weights (pass directed=True to read each line as an arc).")
    elif not directed and differ is not None:
        raise _conflict(differ[0], differ[1], file, "in both orders")
    pos = {n: i for i, n in enumerate(nodes)}
    a = np.zeros((len(nodes), len(nodes)))
    both = not directed or graph_directed is False  # an undirected graph's edge: both ways
    for (s, t), e in seen.items():
        a[pos[s], pos[t]] = e.weight
        if both:
            a[pos[t], pos[s]] = e.weight
    if graph_directed and not directed:
        notes.append("The directed graph was read as undirected, as asked.")
    idx = pd.Index(nodes, dtype=object)
    return pd.DataFrame(a, index=idx, columns=idx)


def _conflict(first: Edge, second: Edge, file: str, how: str) -> InputError:
    return InputError(
        f"the edge {first.source} - {first.target} appears {how} with different weights: "
        f"{first.weight:g} ({first.where}) and {second.weight:g} ({second.where})",
        file=file, row=second.line,
        hint="Keep one line per edge; if the list is directed (A -> B differs from "
             "B -> A), read it with directed=True (--directed).")


def _read_graph(raw: bytes, file: str, fmt: str, weight: str | None,
                notes: list[str]) -> tuple[list[str], list[Edge], bool]:
    """Nodes (file order), edges and direction of a GraphML or GML file (python-igraph)."""
    import igraph  # here, not at the top: importing igraph loads matplotlib
    with tempfile.TemporaryDirectory() as tmp:  # igraph reads files by name
        path = os.path.join(tmp, f"network.{fmt}")
        with open(path, "wb") as fh:
            fh.write(raw)
        try:
            g = igraph.Graph.Read_GraphML(path) if fmt == "graphml" else igraph.Graph.Read_GML(path)
        except Exception as exc:  # noqa: BLE001 - igraph's parse errors, said in words
            what = "GraphML" if fmt == "graphml" else "GML"
            raise InputError(f"cannot be read as {what} ({str(exc).strip()[:200]})", file=file,
                             hint=f"Export the network again as {what} (Cytoscape, Gephi, "
                                  "igraph, NetworkX), or as an edge list CSV.") from None
    attrs = g.vs.attributes()
    key = next((k for k in ("name", "label", "id") if k in attrs), None)
    nodes = [_node_name(v) for v in g.vs[key]] if key else [str(i) for i in range(g.vcount())]
    if len(set(nodes)) != len(nodes):
        dup = next(n for i, n in enumerate(nodes) if n in nodes[:i])
        raise InputError(f"two nodes are named '{dup}' (node attribute '{key}')", file=file,
                         value=dup, hint="Give every node a different name.")
    element = "edge element" if fmt == "graphml" else "edge"
    names = g.es.attributes()
    wanted = weight or "weight"
    if wanted not in names:
        if weight is not None:
            raise InputError(
                f"the edges have no attribute '{weight}'" + (
                    f"; they have {', '.join(repr(n) for n in names)}" if names else
                    "; they have no attributes at all"), file=file, parameter="weight",
                hint="Choose the weight attribute by one of those names (weight= in Python, "
                     "--weight with renette), or leave it out for an unweighted network.")
        if g.ecount():
            notes.append("The edges have no 'weight' attribute: every edge has weight 1"
                         + (f" (other attributes: {', '.join(names)}; choose one with weight=)."
                            if names else "."))
    values = g.es[wanted] if wanted in names else [1.0] * g.ecount()
    edges = []
    for k, (e, w) in enumerate(zip(g.es, values)):
        s, t = nodes[e.source], nodes[e.target]
        where = f"{element} {k + 1}, {s} - {t}"
        edges.append(Edge(s, t, _graph_weight(w, where, wanted, file), where, None))
    return nodes, edges, g.is_directed()


def _node_name(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # GML ids are numbers
    return str(value)


def _graph_weight(value, where: str, attr: str, file: str) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        raise InputError(f"missing weight ({where}: no '{attr}' value)", file=file,
                         hint=f"Give every edge a '{attr}' value, or remove that edge.")
    try:
        w = float(value)
    except (TypeError, ValueError):
        raise InputError(f"the weight {value!r} is not a number ({where})", file=file,
                         value=str(value), hint=f"Every '{attr}' must be a number.") from None
    if not math.isfinite(w):
        raise InputError(f"the weight {value!r} is not finite ({where})", file=file,
                         value=str(value), hint=f"Every '{attr}' must be a finite number.")
    return w


#: What a folder of layers holds (the other files are not layers).
NETWORK_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".graphml", ".xml", ".gml")


def network_files(folder) -> list[str]:
    """The network files of a folder (a multiplex network's layers), sorted by name."""
    path = os.fspath(folder)
    names = sorted(f for f in os.listdir(path) if f.lower().endswith(NETWORK_SUFFIXES)
                   and os.path.isfile(os.path.join(path, f)))
    if not names:
        raise InputError("the folder holds no network files", file=path,
                         hint=f"Put one file per layer in it ({', '.join(NETWORK_SUFFIXES)}).")
    return [os.path.join(path, f) for f in names]
