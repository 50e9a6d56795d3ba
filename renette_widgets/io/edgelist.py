"""Edge lists: one edge a line (source, target, optional weight), as tools write them.

Columns are found by their header names (``source``/``target``, ``from``/``to``
as R igraph's ``as_data_frame`` writes, ``node1``/``node2`` as STRING,
``Interactor A``/``B`` as BioGRID, ReNette's own ``node 1``/``node 2``), else
by position (1st, 2nd, and the 3rd as weight). A line with a source and no
target is an isolated node (Cytoscape's SIF does that; ReNette's exports
write one for each node that would otherwise be missing or out of order).
Every problem names its line (header = line 1) and column.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import InputError
from .fields import split
from .reader import NA_TOKENS, _detect_separator

__all__ = ["Edge", "parse_edge_list", "looks_like_edge_list"]

_SOURCE = {"source", "from", "node1", "nodea", "gene1", "genea", "protein1", "proteina",
           "interactora", "officialsymbolinteractora", "symbola", "tail", "regulator",
           "tf", "sourcenode"}
_TARGET = {"target", "to", "node2", "nodeb", "gene2", "geneb", "protein2", "proteinb",
           "interactorb", "officialsymbolinteractorb", "symbolb", "head", "targetnode"}
_WEIGHT = ("weight", "weights", "score", "combinedscore", "value", "w", "strength", "cor",
           "correlation", "r", "confidence", "edgeweight")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE, _FALSE = {"true", "t", "yes", "1", "directed"}, {"false", "f", "no", "0", "undirected"}


@dataclass(frozen=True)
class Edge:
    """One edge as read: its nodes, weight, where it is (for messages) and its line."""

    source: str
    target: str
    weight: float
    where: str
    line: int | None


def _norm(name: str) -> str:
    return re.sub(r"[\s_.#\-\"']", "", name.lower())


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell.strip()))


def looks_like_edge_list(lines: list[tuple[int, str]]) -> bool:
    """Whether a table's first lines are an edge list rather than an adjacency matrix:
    source/target header names, or rows of at most 4 fields whose first two fields are
    node names (text)."""
    if not lines:
        return False
    sep = _detect_separator(lines)
    rows = [split(line, sep) for _, line in lines]
    head = {_norm(c) for c in rows[0]}
    if head & _SOURCE and head & _TARGET:
        return True
    body = rows[1:] or rows
    width = max(len(r) for r in body)
    if width > 4:
        return False
    # the first line may be a header: judged by the others (alone, by a numeric weight)
    first = [] if len(rows[0]) > 2 and not _is_number(rows[0][2]) else rows[:1]
    pairs = [r for r in (rows[1:] or first) if len(r) > 1 and r[1].strip()]
    if width < 2 or not pairs:
        return False
    # (a decimal comma is a number: 1,25 in a ;-separated table)
    names = sum(1 for r in pairs if not _is_number(r[0].replace(",", "."))
                and not _is_number(r[1].replace(",", "."))) / max(len(pairs), 1)
    # (numbers as node ids are not guessed: a small table of integers is data as well;
    # such a list needs a source/target header, or format="edgelist")
    return names >= 0.8


def _find(header: list[str], names: set[str] | tuple[str, ...]) -> int | None:
    normed = [_norm(c) for c in header]
    for want in names:
        if want in normed:
            return normed.index(want)
    return None


def parse_edge_list(lines: list[tuple[int, str]], file: str, header: bool | None,
                    sep: str | None, weight: str | None,
                    notes: list[str]) -> tuple[list[str], list[Edge], bool | None]:
    """Nodes (first appearance), edges and what a ``directed`` column says (None: no column).

    ``header`` None detects it (source/target names, or a non-numeric weight
    cell above numeric ones); ``weight`` names the weight column.
    """
    if not lines:
        raise InputError("the file is empty (only blank lines)", file=file)
    sep = (None if sep == " " else sep) if sep is not None else _detect_separator(lines)
    rows = [[c.strip() for c in split(line, sep)] for _, line in lines]
    first = rows[0]
    named = _find(first, _SOURCE) is not None and _find(first, _TARGET) is not None
    if header is None:
        header = named or (len(first) >= 3 and len(rows) > 1 and len(rows[1]) >= 3
                           and not _is_number(first[2]) and _is_number(rows[1][2]))
    cols = first if header else [f"column {j + 1}" for j in range(max(map(len, rows)))]
    body = list(zip([n for n, _ in lines], rows))[1 if header else 0:]
    if not body:
        raise InputError("the edge list has a header but no edges", file=file,
                         row=lines[0][0], hint="Add one line per edge below the header.")
    s = _find(cols, _SOURCE) if header and named else 0
    t = _find(cols, _TARGET) if header and named else 1
    w = _weight_column(cols, header, weight, file, lines[0][0], s, t)
    d = _find(cols, ("directed",)) if header else None
    ignored = [c for j, c in enumerate(cols) if j not in (s, t, w, d)] if header else []
    if ignored:
        notes.append(f"Read as an edge list; column(s) {', '.join(repr(c) for c in ignored)} "
                     "were not used" + ("" if w is not None else
                                        " (choose a weight column with weight=)") + ".")
    if w is None:
        notes.append("The edge list has no weight column: every edge has weight 1.")
    nodes: dict[str, None] = {}
    edges: list[Edge] = []
    flags: set[bool] = set()
    for line, r in body:
        src = r[s] if s < len(r) else ""
        tgt = r[t] if t < len(r) else ""
        if not src:
            raise InputError(f"line {line} has no source node", file=file, row=line,
                             column=cols[s], hint="Every line needs a source node.")
        nodes.setdefault(src)
        if not tgt:  # a node without edges
            continue
        nodes.setdefault(tgt)
        value = 1.0 if w is None else _weight(r[w] if w < len(r) else "", line, cols[w], file)
        if d is not None and d < len(r) and r[d]:
            flag = r[d].lower()
            if flag not in _TRUE | _FALSE:
                raise InputError(f"the 'directed' value {r[d]!r} is not true or false "
                                 f"(line {line})", file=file, row=line, column=cols[d],
                                 value=r[d], hint="Write true or false.")
            flags.add(flag in _TRUE)
        edges.append(Edge(src, tgt, value, f"line {line}", line))
    return list(nodes), edges, (next(iter(flags)) if len(flags) == 1 else None)


def _weight_column(cols: list[str], header: bool, weight: str | None, file: str,
                   line: int, s: int, t: int) -> int | None:
    if weight is not None:
        j = _find(cols, (_norm(weight),)) if header else None
        if j is None:
            raise InputError(
                f"there is no weight column named '{weight}'; the columns are "
                f"{', '.join(repr(c) for c in cols)}", file=file, row=line,
                parameter="weight",
                hint="Choose the weight column by one of those names (weight= in Python, "
                     "--weight with renette), or leave it out to detect it.")
        return j
    if header:
        return _find(cols, _WEIGHT)
    return 2 if len(cols) >= 3 and 2 not in (s, t) else None


def _weight(cell: str, line: int, column: str, file: str) -> float:
    if cell in NA_TOKENS:
        raise InputError("missing weight", file=file,
                         row=line, column=column,
                         hint="Give every edge a weight, or remove that line.")
    if not _is_number(cell):
        raise InputError(f"the weight {cell!r} is not a number", file=file, row=line, column=column,
                         value=cell, hint="Every weight must be a number ('.' as decimal mark).")
    value = float(cell)
    if not math.isfinite(value):
        raise InputError(f"the weight {cell!r} is not finite", file=file,
                         row=line, column=column, value=cell,
                         hint="Every weight must be a finite number.")
    return value
