"""Which way round a data table is: samples in rows, or variables (genes) in rows.

Public repositories and count pipelines (GEO series matrices, DESeq2/edgeR
counts, Seurat pseudobulk exports) write genes in rows and samples in
columns; ReNette infers networks among the *columns*. Read the wrong way
round, a 500 genes x 30 samples table becomes a 30 x 30 network of samples,
without a word. :func:`decide` looks at the evidence (identifier-like row
labels, sample-like column names, the table's shape), decides, and says why;
when the evidence points both ways it refuses and names both readings and
the option that chooses.
"""
from __future__ import annotations

import re
from typing import Literal

from ..errors import InputError

__all__ = ["ORIENTATIONS", "Orientation", "decide", "feature_kind", "sample_like",
           "id_header"]

Orientation = Literal["auto", "samples-in-rows", "variables-in-rows"]
ORIENTATIONS = ("auto", "samples-in-rows", "variables-in-rows")

# Identifiers of genes and other features, by kind (what the note names).
_FEATURES = [
    ("Ensembl ids", re.compile(r"ENS[A-Z]*[GTPE]\d{6,}(\.\d+)?")),
    ("probe ids", re.compile(r"(\d+(_[a-z]+)*_at|AFFX-[\w-]+|ILMN_\d+|A_\d+_P\d+|"
                             r"cg\d{8})", re.IGNORECASE)),
    ("RefSeq ids", re.compile(r"[NX][MRP]_\d+(\.\d+)?")),
    ("Entrez ids", re.compile(r"\d{1,6}")),
    ("generic feature names", re.compile(r"(gene|feature|probe|transcript|otu|asv|taxon|"
                                         r"protein|metabolite)[ _.-]?\d+", re.IGNORECASE)),
]
# Gene symbols: TP53, BRCA1, HLA-A, Actb, C1orf112 (two letters at least: G1 is
# not one, nor are x or V1).
_SYMBOL = re.compile(r"(?=(?:[^A-Za-z]*[A-Za-z]){2})[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
_SAMPLES = re.compile(
    r"(GSM\d+|[SED]RR\d+|[SED]RS\d+|SAM[NED][A-Z]?\d+|TCGA-[\w-]+|"
    r"(s|d|t)[ _.-]?\d+([ _.-]?[A-Za-z0-9]+)*|"  # S1, d3, t0 (not TP53: no letters after)
    r"(sample|samp|smp|subject|patient|donor|individual|ctrl|control|case|treated|"
    r"treatment|trt|tumou?r|normal|wt|ko|mut|rep|replicate|cell|well|run|lib|day|time)"
    r"[ _.-]?[A-Za-z]{0,2}\d+([ _.-]?[A-Za-z0-9]+)*)", re.IGNORECASE)
# The first header field of a column of identifiers (then numeric ids are row names).
# (Not a bare "id": a patient or sample number is one too.)
_ID_HEADER = re.compile(r"(gene|entrez|ensembl|probe|feature|transcript|symbol|id_ref|"
                        r"geneid|probeset|otu|taxon)([ _.-]?(id|ids|name|symbol))?",
                        re.IGNORECASE)
# Share of labels that must look alike to count as evidence, among the first SAMPLE.
SHARE = 0.8
SAMPLE = 2000
# "Far more rows than columns" (supports genes in rows; never decides alone).
RATIO = 5
# Gene symbols count as evidence on the side with at least this many times more labels.
SYMBOLS = 2


def _share(labels: list[str], test) -> float:
    # the first labels are evidence enough (a count table has 60,000 genes)
    labels = [s.strip() for s in labels[:SAMPLE] if s.strip()]
    return sum(1 for s in labels if test(s)) / len(labels) if labels else 0.0


def sample_like(label: str) -> bool:
    """A sample id: GSM/SRR accessions, TCGA barcodes, sample1, S1, ctrl_2, ..."""
    return bool(_SAMPLES.fullmatch(label.strip()))


def feature_kind(labels: list[str], numeric: bool = False, symbols: bool = True) -> str | None:
    """What kind of feature identifiers most ``labels`` are (e.g. "Ensembl ids"), or None.

    ``numeric``: plain numbers count as Entrez ids (only under an id header such as
    ``gene_id``: R numbers its rows 1, 2, ... by default). ``symbols``: words like
    TP53 count as gene symbols (sample names are often words too, so the caller
    allows it only where genes would be the many labels).
    """
    for kind, pattern in _FEATURES:
        if kind == "Entrez ids" and not numeric:
            continue
        if _share(labels, pattern.fullmatch) >= SHARE:
            return kind
    if symbols and _share(labels, lambda s: bool(_SYMBOL.fullmatch(s))
                          and not sample_like(s)) >= SHARE:
        return "gene symbols"
    return None


def id_header(name: str) -> bool:
    """Whether a first header field names a column of identifiers (gene_id, ID_REF, ...)."""
    return bool(_ID_HEADER.fullmatch(name.strip()))


def _examples(labels: list[str]) -> str:
    return ", ".join(f"'{s}'" for s in labels[:2])


def decide(row_labels: list[str] | None, col_names: list[str] | None, shape: tuple[int, int],
           orientation: str, file: str | None, first_header: str = "") -> tuple[bool, str]:
    """Whether to transpose a data table read from ``file``, and the note saying why.

    Parameters
    ----------
    row_labels, col_names : list of str or None
        The first column's labels (None: no row names) and the header (None: none).
    shape : (int, int)
        Rows and columns of values, as in the file.
    orientation : {"auto", "samples-in-rows", "variables-in-rows"}
        ``"auto"`` decides from the evidence; the others are the user's choice.
    file : str or None
        For messages.
    first_header : str
        The header's first field (``gene_id``: numeric row labels are Entrez ids).

    Returns
    -------
    (bool, str)
        True when the file has variables in rows (transpose it), and a note.

    Raises
    ------
    InputError
        ``orientation`` unknown, or ``"auto"`` and the evidence points both ways.
    """
    if orientation not in ORIENTATIONS:
        raise InputError(f"orientation must be one of {', '.join(ORIENTATIONS)}, not "
                         f"{orientation!r}", file=file, parameter="orientation")
    n, p = shape
    as_is = f"{n:,} samples (rows) x {p:,} variables (columns)"
    turned = f"{p:,} samples x {n:,} variables (the file's rows)"
    if orientation == "samples-in-rows":
        return False, f"Read as chosen with samples in rows: {as_is}."
    if orientation == "variables-in-rows":
        return True, f"Read as chosen with variables in rows: transposed to {turned}."
    rows, cols = list(row_labels or []), list(col_names or [])
    for_turn, for_keep = [], []
    many_rows = n >= RATIO * p
    # words may be sample names as well as gene symbols: symbols count where they are
    # clearly the more numerous labels
    kind = feature_kind(rows, numeric=id_header(first_header), symbols=n >= SYMBOLS * p) \
        if rows else None
    if kind:
        for_turn.append(f"the first column's labels look like {kind} ({_examples(rows)}, ...)")
    if cols and _share(cols, sample_like) >= SHARE:
        for_turn.append(f"the column names look like sample ids ({_examples(cols)}, ...)")
    kind = feature_kind(cols, symbols=p >= SYMBOLS * n) if cols else None
    if kind:
        for_keep.append(f"the column names look like {kind} ({_examples(cols)}, ...)")
    if rows and _share(rows, sample_like) >= SHARE:
        for_keep.append(f"the row labels look like sample ids ({_examples(rows)}, ...)")
    if for_turn and for_keep:
        raise InputError(
            f"the table's orientation is ambiguous: {'; '.join(for_turn)}, which "
            f"suggests variables (genes) in rows, but {'; '.join(for_keep)}, which suggests "
            f"samples in rows. Read as samples in rows it is {as_is}; read as variables in "
            f"rows it is {turned}", file=file, parameter="orientation",
            hint="Choose: orientation='samples-in-rows' or 'variables-in-rows' in Python, "
                 "--orientation with renette, 'table layout' in the dashboard's Inputs tab.")
    if for_turn:
        shape_too = " and it has far more rows than columns" if many_rows else ""
        return True, (f"Read with variables in rows (genes in rows, samples in columns), so "
                      f"the table was transposed to {turned}: {'; '.join(for_turn)}"
                      f"{shape_too}. If the rows are samples, choose "
                      "orientation='samples-in-rows'.")
    if for_keep:
        return False, (f"Read with samples in rows ({as_is}): {'; '.join(for_keep)}. "
                       "If the rows are genes, choose orientation='variables-in-rows'.")
    if many_rows:
        return False, (f"Read with samples in rows ({as_is}), the default: no labels look like "
                       "gene or sample ids. The table has far more rows than columns: if its "
                       "rows are genes, choose orientation='variables-in-rows'.")
    return False, (f"Read with samples in rows ({as_is}), the default: no labels look like gene "
                   "or sample ids.")
