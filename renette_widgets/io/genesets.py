"""Gene sets for the differential workflow: a GMT file (MSigDB/GSEA), a two-column
CSV (set, gene) or a mapping, read into ``{set: [genes]}`` and matched against
the variables of a job (unknown genes are noted, not refused).

GMT: one set a line, tab-separated: the set's name, a description (may be
empty), then its genes. A line with a name but no gene, or an empty file, is an
:class:`~renette_widgets.errors.InputError` naming the file and the line.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError

#: ``sets="modules"``: modules of the pooled network instead of given sets.
MODULES = "modules"
# A set needs at least two of the variables (one pair) to be tested.
MIN_SIZE = 2


def read_sets(source: Any) -> dict[str, list[str]] | str | None:
    """``source`` as ``{set: [genes]}`` (or ``"modules"``, or None).

    Parameters
    ----------
    source : None, "modules", path, or mapping
        A ``.gmt`` file, a ``.csv``/``.tsv``/``.txt`` file of two columns (set,
        gene; a header line is recognised by its not being a set of the rest), or
        a mapping of set names to lists of genes.
    """
    if source is None or (isinstance(source, str) and source == MODULES):
        return source
    if isinstance(source, Mapping):
        out = {}
        for name, genes in source.items():
            if isinstance(genes, str) or not hasattr(genes, "__iter__"):
                raise InputError(f"gene set {name!r}: its genes must be a list of names "
                                 f"(got {type(genes).__name__})", parameter="sets",
                                 hint="Give sets as {\"set name\": [\"gene1\", \"gene2\"]}.")
            out[str(name)] = [str(g) for g in genes]
        if not out:
            raise InputError("no gene set given (an empty mapping)", parameter="sets",
                             hint="Give at least one set, or sets=None for none.")
        return out
    path = Path(source)
    if not path.is_file():
        raise InputError(f"gene set file {path} not found", file=str(path), parameter="sets",
                         hint="Give a GMT file, a two-column CSV (set, gene), or 'modules'.")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".gmt":
        return _gmt(text, path.name)
    return _two_columns(text, path.name)


def _gmt(text: str, name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.rstrip("\r\n").split("\t")
        genes = [g.strip() for g in fields[2:] if g.strip()]
        if not fields[0].strip() or len(fields) < 3 or not genes:
            raise InputError(
                f"line {row} of the GMT file is not a gene set: it needs a set name, a "
                f"description and at least one gene, separated by tabs (got "
                f"{len(fields)} field(s): {line[:60]!r})", file=name, row=row,
                parameter="sets", hint="Each line: NAME<tab>DESCRIPTION<tab>GENE1<tab>GENE2 ...")
        out.setdefault(fields[0].strip(), []).extend(genes)
    if not out:
        raise InputError("the GMT file holds no gene set (it is empty)", file=name, row=1,
                         parameter="sets",
                         hint="Each line: NAME<tab>DESCRIPTION<tab>GENE1<tab>GENE2 ...")
    return out


def _two_columns(text: str, name: str) -> dict[str, list[str]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if "\t" in first else ","))
    out: dict[str, list[str]] = {}
    for row, fields in enumerate(rows, start=1):
        fields = [f.strip() for f in fields]
        if not any(fields):
            continue
        if len(fields) < 2 or not fields[0] or not fields[1]:
            raise InputError(f"line {row} of the gene set table has no set and gene (two "
                             f"columns: set, gene; got {fields!r})", file=name, row=row,
                             parameter="sets", hint="Each line: SET,GENE")
        if row == 1 and fields[0].lower() in ("set", "gene_set", "geneset", "module", "pathway"):
            continue  # a header
        out.setdefault(fields[0], []).append(fields[1])
    if not out:
        raise InputError("the gene set table holds no set (it is empty)", file=name, row=1,
                         parameter="sets", hint="Each line: SET,GENE")
    return out


def match_sets(sets: Mapping[str, list[str]], variables: list[str]) -> tuple[dict, list[str]]:
    """Each set's positions among ``variables`` (in the variables' order), and notes:
    how many genes were not found, which sets had fewer than two left."""
    pos = {v: k for k, v in enumerate(variables)}
    out, missing, total, small = {}, set(), set(), []
    for name, genes in sets.items():
        total.update(genes)
        found = sorted({pos[g] for g in genes if g in pos})
        missing.update(g for g in genes if g not in pos)
        if len(found) < MIN_SIZE:
            small.append(name)
            continue
        out[name] = found
    notes = []
    if missing:
        shown = ", ".join(sorted(missing)[:5]) + (" ..." if len(missing) > 5 else "")
        notes.append(f"gene sets: {len(missing):,} of their {len(total):,} genes are not among "
                     f"the variables and were left out ({shown})")
    if small:
        shown = ", ".join(small[:5]) + (" ..." if len(small) > 5 else "")
        notes.append(f"gene sets: {len(small):,} set(s) have fewer than {MIN_SIZE} of the "
                     f"variables and are not tested ({shown})")
    return out, notes
