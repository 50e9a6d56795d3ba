"""Read a data or adjacency matrix from whatever a spreadsheet exported.

One entry point, :func:`read_matrix`. It detects the separator (tab,
semicolon, comma, or runs of whitespace) and the decimal comma per file,
strips a byte-order mark, accepts CRLF and blank lines, finds row names
(ReNette's files have an empty first header field), and turns every problem
into an :class:`~renette_widgets.errors.InputError` whose message names the
file, the line (as numbered in the file, header = line 1), the column (its
header name; the spreadsheet letter is in the text) and the value.

Large tables of plain numbers (the common case: a data matrix of 20,000
variables) take a fast path: only the header, the row names and the first
lines are split in Python, and the numbers are parsed by pyarrow's CSV reader
in C. Anything unusual on that path (quotes, blanks, missing values, text,
ragged lines, a number too large) sends the file down the general path, which
finds the problem and says where it is: both paths give the same frame, bit
for bit, on the files both read.
"""
from __future__ import annotations

import csv
import os
import re
from collections import Counter
from typing import IO, Literal

import numpy as np
import pandas as pd

from ..errors import InputError
from ..config import max_upload_bytes
from .checks import check_adjacency, check_size
from .fields import SNIFF_LINES, PlainNumbers, count_fields, detect_decimal, split
from .orientation import decide, id_header

__all__ = ["read_matrix", "column_letter", "NA_TOKENS"]

NA_TOKENS = frozenset({"", "NA", "na", "N/A", "n/a", "#N/A", "NaN", "nan", "NAN",
                       "null", "NULL", "None"})
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NON_NUMBER_CHAR = re.compile(r"[^0-9eE+\-.]")
_EOL = re.compile(r"\r\n|\r|\n")
_SEPARATORS = ("\t", ";", ",")
_SEP_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma", None: "whitespace"}
Source = str | os.PathLike | bytes | bytearray | IO


def column_letter(index: int) -> str:
    """Spreadsheet letter of 1-based column `index` (1 -> A, 27 -> AA)."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _load_bytes(source: Source, name: str | None, limit: int) -> tuple[bytes, str]:
    """Raw bytes of `source` (at most `limit` + 1 read) and its display name."""
    if isinstance(source, (bytes, bytearray)):
        display = name or "upload"
        check_size(len(source), display, limit)
        return bytes(source), display
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        display = name or os.path.basename(path)
        try:
            check_size(os.path.getsize(path), display, limit)
            with open(path, "rb") as fh:
                return fh.read(), display
        except OSError as exc:
            raise InputError(f"cannot open the file ({exc.strerror})", file=display,
                             hint="Check the path.") from None
    if hasattr(source, "read"):
        display = name or os.path.basename(str(getattr(source, "name", ""))) or "upload"
        data = source.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        check_size(len(data), display, limit)
        return bytes(data), display
    raise InputError(f"cannot read a table from a {type(source).__name__}",
                     file=name, hint="Give a file path, bytes or an open file.")


def _printable(text: str) -> bool:
    return not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text) and \
        not any(0x7F <= ord(ch) <= 0x9F for ch in text)


def _decode(raw: bytes, file: str) -> tuple[str, str | None]:
    """Text of `raw` and a note about its encoding (None for UTF-8)."""
    not_text = InputError(
        "this is not a text table (it contains binary data)", file=file,
        hint="Save the sheet as CSV or tab-separated text (UTF-8) and upload that.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark.
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise not_text from None
        if not _printable(text):
            raise not_text
        return text, "The file was read as UTF-16 text."
    if b"\x00" in raw:
        raise not_text
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    text = raw.decode("latin-1")
    if not _printable(text):
        raise not_text
    return text, "The file is not UTF-8; it was read as Latin-1 text."


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based line numbers in the file."""
    # Only CR/LF end lines (str.splitlines also splits on form feeds etc.,
    # which would make our line numbers differ from the user's editor).
    return [(i, line) for i, line in enumerate(_EOL.split(text), start=1) if line.strip()]


def _detect_separator(lines: list[tuple[int, str]]) -> str | None:
    """The separator that splits the first lines most consistently."""
    sample = [line for _, line in lines[:SNIFF_LINES]]
    best, best_score = None, (0.0, 0)
    for sep in _SEPARATORS + (None,):
        counts = [count_fields(line, sep) for line in sample]
        body = counts[1:] or counts
        width, hits = Counter(body).most_common(1)[0]
        if width < 2:
            continue
        # The header may be one field short (R's write.table row names).
        head_ok = counts[0] in (width, width - 1)
        score = (hits / len(body) + (0.01 if head_ok else 0.0), width)
        if score[0] > best_score[0] + 1e-9:
            best, best_score = sep, score
    return best if best_score[0] > 0 else ","


def _is_number(cell: str, decimal: str) -> bool:
    cell = cell.strip()
    if decimal == ",":
        cell = cell.replace(",", ".")
    return bool(_NUMBER.fullmatch(cell))


def _is_text(cell: str, decimal: str) -> bool:
    return cell.strip() not in NA_TOKENS and not _is_number(cell, decimal)


def _where(col: int, names: list[str] | None, offset: int) -> tuple[str | int, str]:
    """Column as reported: (header name or position, '(spreadsheet column X)')."""
    pos = col + offset + 1
    label: str | int = names[col] if names else pos
    return label, f"(spreadsheet column {column_letter(pos)})"


def read_matrix(
    path_or_buffer: Source,
    kind: Literal["data", "adjacency", "auto"] = "data",
    header: bool = True,
    row_names: bool | None = None,
    sep: str | None = None,
    name: str | None = None,
    decimal: str | None = None,
    na: Literal["error", "drop", "impute"] = "error",
    max_bytes: int | None = None,
    orientation: str = "auto",
) -> pd.DataFrame:
    """Read a data matrix or an adjacency matrix from a text table.

    Parameters
    ----------
    path_or_buffer : path, bytes or file-like
        The table. Uploads pass their bytes and the file name as `name`.
    kind : {"data", "adjacency", "auto"}
        ``"data"``: samples in rows, variables in columns.
        ``"adjacency"``: a square matrix of edge weights; the diagonal is
        zeroed and weights outside [0, 1] or asymmetry are noted.
        ``"auto"``: a network when the matrix is square and its row names are
        its column names (in any order), else a data matrix (noted).
        ``attrs["kind"]`` says which it was read as.
    header : bool
        The first non-blank line holds column names (else V1..Vp).
    row_names : bool or None
        The first column holds row names. None (default) detects them: an
        empty first header field (ReNette's files), a header one field
        shorter than the rows (R's ``write.table``), or a first column of
        unique text labels.
    sep : str, optional
        Field separator; detected per file when None (tab, ``;``, ``,``,
        else whitespace). Pass ``" "`` for whitespace explicitly.
    name : str, optional
        File name used in messages (default: the path's base name).
    decimal : str, optional
        Decimal mark, ``"."`` or ``","``; detected when None (a decimal comma
        only in files not separated by commas).
    na : {"error", "drop", "impute"}
        Missing cells (empty, NA, NaN, ...): raise; drop the samples (rows)
        that have them; or impute the column mean. For adjacency, "impute"
        sets missing weights to 0 (no edge) and "drop" is not possible.
    max_bytes : int, optional
        Size cap; default ``RENETTE_MAX_UPLOAD_MB`` (200 MB).
    orientation : {"auto", "samples-in-rows", "variables-in-rows"}
        Data matrices: a file with genes in rows is transposed as it is read
        (before its notes and checks); ``"auto"`` decides from the labels and
        the shape, says why in a note, and refuses when the evidence points both
        ways (:mod:`.orientation`).

    Returns
    -------
    DataFrame
        float64 values; string column names; for adjacency the index equals
        the columns. ``attrs["source"]`` is the file name, ``attrs["notes"]``
        a list of sentences the user must be shown.

    Raises
    ------
    InputError
        For every problem with the file, naming the file, line and column.
    """
    if kind not in ("data", "adjacency", "auto"):
        raise InputError(f"kind must be 'data', 'adjacency' or 'auto', not {kind!r}")
    if na not in ("error", "drop", "impute"):
        raise InputError(f"na must be 'error', 'drop' or 'impute', not {na!r}")
    if decimal not in (None, ".", ","):
        raise InputError(f"decimal must be '.' or ',', not {decimal!r}")
    limit = max_upload_bytes() if max_bytes is None else int(max_bytes)
    raw, file = _load_bytes(path_or_buffer, name, limit)
    try:
        return _parse(raw, file, kind, header, row_names, sep, decimal, na, orientation)
    except InputError:
        raise
    except (ValueError, TypeError, csv.Error, UnicodeError, MemoryError) as exc:
        # Anything unforeseen is still the file's problem, said in words.
        raise InputError(f"cannot be read as a table ({exc})", file=file,
                         hint="Save it as CSV or tab-separated text.") from None


def _parse(raw: bytes, file: str, kind: str, header: bool, row_names: bool | None,
           sep: str | None, decimal: str | None, na: str, orientation: str) -> pd.DataFrame:
    notes: list[str] = []
    if not raw.strip():
        raise InputError("the file is empty", file=file,
                         hint="Upload a table with a header row and numbers.")
    text, enc_note = _decode(raw, file)
    if enc_note:
        notes.append(enc_note)
    lines = _lines(text)
    del text
    if not lines:
        raise InputError("the file is empty (only blank lines)", file=file)
    if sep == " ":
        sep = None
    elif sep is None:
        sep = _detect_separator(lines)
    args = (lines, file, kind, header, row_names, sep, decimal, na, orientation)
    frame = _frame(*args, notes=list(notes), fast=True)
    return frame if frame is not None else _frame(*args, notes=notes, fast=False)


def _frame(lines: list[tuple[int, str]], file: str, kind: str, header: bool,
           row_names: bool | None, sep: str | None, decimal: str | None, na: str,
           orientation: str, notes: list[str], fast: bool) -> pd.DataFrame | None:
    """The table of ``lines`` as a frame. ``fast``: numbers parsed in C, or None
    when a line is not plain numbers (the general path then says what is wrong)."""
    linenos = [n for n, _ in lines]
    plain = PlainNumbers.of(lines, sep, header, decimal) if fast else None
    if fast and plain is None:
        return None
    if plain is not None:
        names, first, width, decimal = plain.names, plain.first, plain.width, plain.decimal
        body_lines = linenos[1:] if header else linenos
    else:
        rows = [split(line, sep) for _, line in lines]
        if all(r and r[-1].strip() == "" for r in rows) and all(len(r) > 1 for r in rows):
            rows = [r[:-1] for r in rows]  # a separator at the end of every line
        decimal = decimal or detect_decimal(rows, sep)
        names, body, body_lines = None, rows, linenos
        if header:
            names, body, body_lines = [c.strip() for c in rows[0]], rows[1:], linenos[1:]
            if not body:
                raise InputError("the file has a header line but no data rows", file=file,
                                 row=linenos[0], hint="Add the data below the header.")
        width = Counter(len(r) for r in body).most_common(1)[0][0]
        first = [r[0] for r in body]
    if decimal == ",":
        notes.append("Numbers with a decimal comma were read (e.g. 1,5 = 1.5).")

    if row_names is None:
        row_names = _detect_row_names(names, first, width, decimal)
        if row_names and names is not None and names[0] != "" and len(names) == width \
                and all(_is_text(f, decimal) for f in first):
            notes.append(f"The first column ('{names[0]}') holds text labels; "
                         "it was used as row names.")
    first_header = names[0] if names and row_names and len(names) == width else ""
    if names is not None:
        if row_names and len(names) == width:
            names = names[1:]
        expected = width - 1 if row_names else width
        if len(names) != expected:
            raise InputError(
                f"the header has {len(names)} names but the data rows have "
                f"{expected} value columns", file=file, row=linenos[0],
                hint="Every column needs exactly one name; check the separator "
                     f"(read as {_SEP_NAMES[sep]}) and the 'row names' option.")
    if plain is None:
        for r, n in zip(body, body_lines):
            if len(r) != width:
                raise InputError(
                    f"this line has {len(r)} fields but the others have {width}",
                    file=file, row=n,
                    hint="Every row needs the same number of cells: fix the ragged "
                         f"row (fields read as {_SEP_NAMES[sep]}-separated).")
    offset = 1 if row_names else 0
    labels = [f.strip() for f in first] if row_names else None
    p = width - offset
    if names is None:
        names = [f"V{j + 1}" for j in range(p)]
    names = [nm if nm else f"V{j + 1}" for j, nm in enumerate(names)]
    _check_unique(names, "column", file, linenos[0] if header else None, offset)
    if labels is not None:
        _check_unique_rows(labels, body_lines, file)
    if plain is not None:
        cells: list[list[str]] = []  # only read for missing values: there are none here
        values = plain.values(bool(row_names), p)
        if values is None:
            return None
    else:
        cells = [r[offset:] for r in body]
        values = _to_float(cells, names if header else None, body_lines, file, decimal, offset)
    df = pd.DataFrame(values, columns=pd.Index(names, dtype=object),
                      index=pd.Index(labels, dtype=object) if labels is not None else None,
                      copy=False)
    if kind == "auto":
        kind = "adjacency" if labels is not None and len(labels) == p \
            and set(labels) == set(names) else "data"
        notes.append("Read as a network: a square matrix whose rows and columns name the same "
                     "nodes." if kind == "adjacency" else
                     "Read as a data matrix (not a square matrix of one node set).")
    turn, why = (decide(labels, names if header else None, df.shape, orientation, file,
                        first_header) if kind == "data" and p > 0 else (False, None))
    if turn:  # variables in rows: a missing cell is located in the file, then transposed
        if na == "error":
            _missing(df, na, kind, file, body_lines, offset, notes, cells)
        df = df.set_axis(labels or [f"V{i + 1}" for i in range(df.shape[0])], axis=0).T
    df = _missing(df, na, kind, file, body_lines, offset, notes, cells)
    notes += [why] if why else []
    df.attrs = {"source": file, "notes": notes, "kind": kind}
    if kind == "data":  # what was decided, so a panel can offer the other reading
        df.attrs["orientation"] = "variables-in-rows" if turn else "samples-in-rows"
    if p < 1:
        raise InputError("no value columns were found", file=file)
    if kind == "adjacency":
        return check_adjacency(df, name=file)
    if df.shape[1] < 2:
        raise InputError(
            "only one column of values was found; a network needs at least 2 "
            "variables", file=file,
            hint="If the file has more columns, choose the separator explicitly (sep).")
    if labels is None and not turn:
        df.index = pd.RangeIndex(df.shape[0])
    return df


def _detect_row_names(names: list[str] | None, first: list[str], width: int,
                      decimal: str) -> bool:
    """Whether the first column holds row names (``first``: each body line's first field)."""
    if names is not None:
        if len(names) == width - 1:
            return True
        if names and names[0] == "" and len(names) == width:
            return True
        if names and len(names) == width and id_header(names[0]) and width > 2 and \
                all(f.strip().isdigit() for f in first) and len(set(first)) == len(first):
            return True  # numeric ids (Entrez) under a header such as gene_id
    return width > 1 and all(_is_text(c, decimal) for c in first) and \
        len(set(c.strip() for c in first)) == len(first)


def _check_unique(names: list[str], what: str, file: str, line: int | None,
                  offset: int) -> None:
    seen: dict[str, int] = {}
    for j, nm in enumerate(names):
        if nm in seen:
            a, b = seen[nm] + offset + 1, j + offset + 1
            raise InputError(
                f"the {what} name '{nm}' appears twice (spreadsheet columns "
                f"{column_letter(a)} and {column_letter(b)})", file=file, row=line,
                column=nm, hint=f"Give every {what} a different name.")
        seen[nm] = j


def _check_unique_rows(labels: list[str], lines: list[int], file: str) -> None:
    seen: dict[str, int] = {}
    for lab, n in zip(labels, lines):
        if lab in seen:
            raise InputError(
                f"the row name '{lab}' appears twice (lines {seen[lab]} and {n})",
                file=file, row=n, column=1, hint="Give every row a different name.")
        seen[lab] = n


def _to_float(cells: list[list[str]], names: list[str] | None, lines: list[int],
              file: str, decimal: str, offset: int) -> np.ndarray:
    """Convert cells to float64; NA tokens become NaN; text raises."""
    table = np.array(cells, dtype=object).reshape(len(cells), -1)
    stripped = np.char.strip(table.astype(str))
    if decimal == ",":
        stripped = np.char.replace(stripped, ",", ".")
    missing = np.isin(stripped, list(NA_TOKENS))
    out = np.full(stripped.shape, np.nan)
    present = stripped[~missing]
    # Fast path: only number characters, then numpy's C parser; the per-cell
    # regex runs only to locate a problem.
    if not _NON_NUMBER_CHAR.search("".join(present.tolist())):
        try:
            out[~missing] = present.astype(np.float64)
            present = None
        except ValueError:
            pass
    if present is not None:
        flat = stripped.ravel()
        ok = np.fromiter((bool(_NUMBER.fullmatch(c)) for c in flat), dtype=bool,
                         count=flat.size).reshape(stripped.shape)
        bad = ~ok & ~missing
        if bad.any():
            _raise_text(bad, table, names, lines, file, offset)
        out[ok] = stripped[ok].astype(np.float64)
    inf = np.isinf(out)
    if inf.any():
        i, j = map(int, np.argwhere(inf)[0])
        col, letter = _where(j, names, offset)
        raise InputError(f"{table[i, j].strip()!r} is too large to be a number {letter}",
                         file=file, row=lines[i], column=col, value=table[i, j],
                         hint="Every cell must be a finite number.")
    return out


def _raise_text(bad: np.ndarray, table: np.ndarray, names: list[str] | None,
                lines: list[int], file: str, offset: int) -> None:
    i, j = map(int, np.argwhere(bad)[0])
    col, letter = _where(j, names, offset)
    value = str(table[i, j]).strip()
    if bad[:, j].all() and table.shape[0] > 1:
        examples = ", ".join(repr(str(v).strip()) for v in table[:3, j])
        hint = ("Remove that column" +
                (" or move it to the first column to use it as row names."
                 if j + offset > 0 else "."))
        raise InputError(f"the column holds text ({examples}, ...), not numbers {letter}",
                         file=file, row=lines[i], column=col, value=value, hint=hint)
    count = int(bad.sum())
    more = f"; {count} cells in all are not numbers" if count > 1 else ""
    raise InputError(
        f"{value!r} is not a number {letter}{more}", file=file, row=lines[i],
        column=col, value=value,
        hint="Every cell must be a number (use '.' or ',' as decimal mark, empty "
             "or NA for missing values).")


def _missing(df: pd.DataFrame, na: str, kind: str, file: str, lines: list[int],
             offset: int, notes: list[str], cells: list[list[str]]) -> pd.DataFrame:
    x = df.to_numpy()
    miss = np.isnan(x)
    if not miss.any():
        return df
    count = int(miss.sum())
    i, j = map(int, np.argwhere(miss)[0])
    if na == "error" or (kind == "adjacency" and na == "drop"):
        alt = ("choose na='impute' to treat missing weights as 0 (no edge)"
               if kind == "adjacency" else
               "choose na='drop' (drop samples with missing values) or "
               "na='impute' (fill in the column mean)")
        raise InputError(
            f"missing value ({cells[i][j].strip()!r}) "
            f"{_where(j, list(map(str, df.columns)), offset)[1]}; "
            f"{count} cell(s) in all are missing", file=file, row=lines[i],
            column=str(df.columns[j]), hint=f"Fill them in, or {alt}.")
    if kind == "adjacency":
        out = df.fillna(0.0)
        notes.append(f"{count} missing weight(s) were set to 0 (no edge).")
        return out
    if na == "drop":
        keep = ~miss.any(axis=1)
        if not keep.any():
            raise InputError("every sample (row) has a missing value; none is left "
                             "after dropping them", file=file,
                             hint="Fill in the missing cells, or choose na='impute'.")
        notes.append(f"{int((~keep).sum())} sample(s) with missing values were dropped.")
        return df.loc[keep]
    empty = [str(c) for c, all_na in zip(df.columns, miss.all(axis=0)) if all_na]
    if empty:
        raise InputError("the column has no values at all, nothing to impute from",
                         file=file, column=empty[0], hint="Remove that column.")
    out = df.fillna(df.mean())
    notes.append(f"{count} missing value(s) were replaced by their column's mean.")
    return out
