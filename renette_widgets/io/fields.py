"""Lines of a text table split into fields: the csv way, and the fast way for
tables of plain numbers (:class:`PlainNumbers`), for :mod:`.reader`."""
from __future__ import annotations

import csv
import re

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

#: Lines looked at to detect the separator and the decimal mark.
SNIFF_LINES = 50
_COMMA_NUMBER = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
# Python's csv module refuses fields over 128 kB by default: the header of a
# 20,000-column file, or a whole line split with the wrong separator while
# the separator is being detected, is longer than that.
_FIELD_LIMIT = 2**31 - 1
# What a cell may hold on the fast path, besides the separator: digits, sign,
# decimal point and exponent (the characters of reader._NUMBER).
_NUMBER_BYTES = b"0123456789eE+-."


def split(line: str, sep: str | None) -> list[str]:
    """The fields of a line (``sep`` None: runs of whitespace, quotes stripped)."""
    if sep is None:
        return [f.strip('"\'') for f in line.split()]
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    return next(csv.reader([line], delimiter=sep, skipinitialspace=True))


def count_fields(line: str, sep: str | None) -> int:
    """``len(split(line, sep))`` without making the fields when nothing is quoted."""
    if sep is None:
        return len(line.split())
    if '"' not in line:
        return line.count(sep) + 1
    return len(split(line, sep))


def detect_decimal(rows: list[list[str]], sep: str | None) -> str:
    """"," when a cell of the first lines is a number with a decimal comma, else "."."""
    if sep == ",":
        return "."
    for row in rows[1:SNIFF_LINES]:
        if any(_COMMA_NUMBER.fullmatch(cell.strip()) for cell in row):
            return ","
    return "."


class PlainNumbers:
    """A table whose cells are all plain numbers, split the cheap way.

    Only the header, the first field of each line and the first lines (for the
    decimal mark) are split in Python; the numbers are parsed by pyarrow in C
    (correctly rounded, as Python's ``float``). ``of`` returns None for any
    table this path does not read exactly as the general one (quotes outside
    the first field, a separator closing every line, a whitespace separator,
    lines of different lengths), and ``values`` None for any cell that is not
    a plain number: the general path then reads the file and locates the
    problem.
    """

    def __init__(self, names: list[str] | None, first: list[str], rests: list[str],
                 width: int, sep: str, decimal: str) -> None:
        self.names, self.first, self.rests = names, first, rests
        self.width, self.sep, self.decimal = width, sep, decimal

    @classmethod
    def of(cls, lines: list[tuple[int, str]], sep: str | None, header: bool,
           decimal: str | None) -> "PlainNumbers | None":
        body = [line for _, line in lines[1:]] if header else [line for _, line in lines]
        if sep is None or not body:
            return None
        head = lines[0][1]
        width = body[0].count(sep) + 1
        if header and ('"' in head or head.rstrip(" ").endswith(sep)):
            # a quoted header is split by csv (one line); a trailing separator is not plain
            names = [c.strip() for c in split(head, sep)] if '"' in head else None
            if names is None or (names and names[-1] == ""):
                return None
        else:
            names = [c.strip() for c in head.split(sep)] if header else None
        first, rests = [], []
        for line in body:
            if line.count(sep) + 1 != width or line.rstrip(" ").endswith(sep):
                return None
            label, _, rest = line.partition(sep)
            if '"' in rest:
                return None
            if '"' in label:  # a quoted row name, as R's write.csv writes them
                if label.count('"') % 2:
                    return None
                label = split(label, sep)[0]
            first.append(label)
            rests.append(rest)
        if decimal is None:
            decimal = "."
            sample = [line for _, line in lines[1:SNIFF_LINES]]
            if sep != "," and any("," in line for line in sample):
                decimal = detect_decimal([split(line, sep) for _, line in lines[:SNIFF_LINES]],
                                          sep)
        return cls(names, first, rests, width, sep, decimal)

    def values(self, row_names: bool, p: int) -> np.ndarray | None:
        """The n x p numbers (after the row names when ``row_names``), or None."""
        if p < 1:
            return None
        lines = self.rests if row_names else [f + self.sep + r if r or self.width > 1 else f
                                              for f, r in zip(self.first, self.rests)]
        try:
            text = "\n".join(lines).encode("ascii")
        except UnicodeEncodeError:
            return None
        allowed = _NUMBER_BYTES + self.sep.encode() + b"\n" + (b"," if self.decimal == "," else b"")
        if text.translate(None, allowed):
            return None  # text, spaces, quotes or missing-value tokens: the general path
        # one number a line (the separator first: it may be the decimal comma's ',')
        text = text.replace(self.sep.encode(), b"\n")
        if self.decimal == ",":
            text = text.replace(b",", b".")
        try:
            column = pa_csv.read_csv(
                pa.py_buffer(text),
                read_options=pa_csv.ReadOptions(column_names=["v"], block_size=1 << 24),
                parse_options=pa_csv.ParseOptions(delimiter="\t", quote_char=False,
                                                  ignore_empty_lines=False),
                convert_options=pa_csv.ConvertOptions(column_types={"v": pa.float64()},
                                                      null_values=[""],
                                                      quoted_strings_can_be_null=False),
            ).column(0)
        except (pa.ArrowInvalid, pa.ArrowException):
            return None
        n = len(self.rests)
        if column.null_count or len(column) != n * p:
            return None
        out = column.to_numpy().reshape(n, p)
        return out if np.isfinite(out).all() else None
