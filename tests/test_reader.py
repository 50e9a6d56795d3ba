"""read_matrix: formats spreadsheets export, located errors, and nothing but
InputError for any damaged file."""
from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from renette_widgets.errors import InputError
from renette_widgets.io.reader import column_letter, read_matrix

SHARED = Path(os.environ.get("RENETTE_SHARED") or Path(__file__).resolve().parents[2] / "shared")
EXAMPLES = SHARED / "data" / "renette-examples"
CONFORMANCE = SHARED / "conformance" / "inputs"
GOOD = b"G1,G2,G3\n1,2,3\n4,5,7.5\n7,9,8\n2,1,-5e-1\n"


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="ReNette examples not beside the repo")
def test_renette_example_files_read_like_r_read_table():
    data = read_matrix(EXAMPLES / "microbiome_Actinobacteria_1.0-diet.csv")
    ref = pd.read_csv(EXAMPLES / "microbiome_Actinobacteria_1.0-diet.csv", sep="\t", index_col=0)
    assert data.shape == (269, 187) and list(data.columns) == list(ref.columns)
    np.testing.assert_array_equal(data.to_numpy(), ref.to_numpy())  # bit for bit
    adj = read_matrix(EXAMPLES / "microbiome_Actinobacteria_1.0-diet_adj.csv", kind="adjacency")
    assert adj.shape == (187, 187) and list(adj.index) == list(adj.columns)
    assert adj.attrs["notes"] == []  # symmetric, in [0, 1], zero diagonal


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="conformance inputs not beside the repo")
def test_conformance_input_without_row_names():
    path = CONFORMANCE / "modules_120x40.csv"
    df = read_matrix(path)
    np.testing.assert_array_equal(df.to_numpy(), pd.read_csv(path).to_numpy())


def test_path_bytes_and_file_like_agree_and_name_the_file():
    from_bytes = read_matrix(GOOD, name="up.csv")
    from_file = read_matrix(io.BytesIO(GOOD), name="up.csv")
    from_text = read_matrix(io.StringIO(GOOD.decode()), name="up.csv")
    pd.testing.assert_frame_equal(from_bytes, from_file)
    pd.testing.assert_frame_equal(from_bytes, from_text)
    assert from_bytes.attrs["source"] == "up.csv"
    assert from_bytes.dtypes.eq("float64").all()
    assert from_bytes.iloc[3, 2] == -0.5


@pytest.mark.parametrize("text, sep", [
    ("G1\tG2\tG3\n1\t2\t3\n4\t5\t7.5\n7\t9\t8\n2\t1\t-0.5\n", "\t"),
    ("G1;G2;G3\n1;2;3\n4;5;7,5\n7;9;8\n2;1;-0,5\n", ";"),
    ("G1 G2   G3\n1 2 3\n  4 5 7.5\n7 9 8\n2 1 -0.5\n", " "),
    ('"G1","G2","G3"\r\n1,2,3\r\n4,5,7.5\r\n7,9,8\r\n2,1,-0.5\r\n', ","),
    ("\ufeffG1,G2,G3\n1,2,3\n\n4,5,7.5\n7,9,8\n2,1,-0.5\n\n", ","),
    ("G1,G2,G3,\n1,2,3,\n4,5,7.5,\n7,9,8,\n2,1,-0.5,\n", ","),
])
def test_separators_quotes_bom_blank_lines_trailing_separator(text, sep):
    want = read_matrix(GOOD)
    got = read_matrix(text.encode())
    pd.testing.assert_frame_equal(got, want, check_like=False)
    explicit = read_matrix(text.encode(), sep=sep)
    pd.testing.assert_frame_equal(explicit, want)


def test_row_names_detected_three_ways_and_forced():
    renette = read_matrix(b"\tA\tB\nx\t1\t2\ny\t3\t5\nz\t4\t1\n")
    r_style = read_matrix(b"A,B\nx,1,2\ny,3,5\nz,4,1\n")
    labels = read_matrix(b"id,A,B\nx,1,2\ny,3,5\nz,4,1\n")
    for df in (renette, r_style, labels):
        assert list(df.index) == ["x", "y", "z"] and list(df.columns) == ["A", "B"]
    assert "row names" in labels.attrs["notes"][0]
    numeric_names = read_matrix(b"id,A,B\n10,1,2\n20,3,5\n30,4,1\n", row_names=True)
    assert list(numeric_names.index) == ["10", "20", "30"]
    with pytest.raises(InputError, match="column 'id'"):
        read_matrix(b"id,A,B\nx,1,2\ny,3,5\nz,4,1\n", row_names=False)


def test_no_header_gives_v_names():
    df = read_matrix(b"1,2,3\n4,5,6\n7,8,10\n", header=False)
    assert list(df.columns) == ["V1", "V2", "V3"] and df.shape == (3, 3)


def test_na_policies():
    text = b"A,B,C\n1,2,3\n4,NA,6\n7,8,\n2,4,9\n"
    with pytest.raises(InputError) as info:
        read_matrix(text, name="na.csv")
    assert (info.value.row, info.value.column) == (3, "B")
    dropped = read_matrix(text, na="drop")
    assert dropped.shape == (2, 3) and "dropped" in dropped.attrs["notes"][0]
    imputed = read_matrix(text, na="impute")
    assert imputed.loc[1, "B"] == pytest.approx((2 + 8 + 4) / 3)
    assert imputed.loc[2, "C"] == pytest.approx((3 + 6 + 9) / 3)
    adj = read_matrix(b"A,B\n0,NA\n1,0\n", kind="adjacency", na="impute")
    assert adj.loc["A", "B"] == 0 and "set to 0" in " ".join(adj.attrs["notes"])


def test_adjacency_rows_in_other_order_are_aligned():
    df = read_matrix(b"\tA\tB\tC\nB\t0.5\t0\t0.2\nA\t0\t0.5\t0.1\nC\t0.1\t0.2\t0\n",
                     kind="adjacency")
    assert list(df.index) == ["A", "B", "C"]
    np.testing.assert_array_equal(df.to_numpy(), df.to_numpy().T)
    assert "reordered" in " ".join(df.attrs["notes"])


def test_size_cap_from_environment(monkeypatch, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(GOOD * 2000)  # about 80 kB
    monkeypatch.setenv("RENETTE_MAX_UPLOAD_MB", "0.01")
    with pytest.raises(InputError, match="big.csv.*limit"):
        read_matrix(path)
    monkeypatch.setenv("RENETTE_MAX_UPLOAD_MB", "1")
    with pytest.raises(InputError, match="line 6"):  # read, then the repeated header
        read_matrix(path)


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nothere.csv"):
        read_matrix(tmp_path / "nothere.csv")


def test_column_letters():
    assert [column_letter(i) for i in (1, 2, 26, 27, 52, 703)] == ["A", "B", "Z", "AA", "AZ", "AAA"]


def test_damaged_files_give_only_input_errors():
    """Random corruption of good files: a DataFrame or an InputError, nothing else."""
    rng = np.random.default_rng(5)
    seeds = [GOOD, b"\tA\tB\tC\nA\t0\t0.5\t0.1\nB\t0.5\t0\t0.9\nC\t0.1\t0.9\t0\n",
             "G1;G2\n1,5;2\n3;4,25\n5;6\n".encode()]
    alphabet = np.frombuffer(b"\x00\xff\xfe\"';,\t\n\r .eE-+0123456789abcNA\xc3\xa9", np.uint8)
    outcomes = {"ok": 0, "error": 0}
    for trial in range(300):
        data = bytearray(seeds[trial % len(seeds)])
        for _ in range(rng.integers(1, 6)):
            pos = int(rng.integers(0, len(data)))
            op = rng.integers(0, 3)
            if op == 0:
                data[pos] = int(rng.choice(alphabet))
            elif op == 1:
                data.insert(pos, int(rng.choice(alphabet)))
            elif len(data) > 1:
                del data[pos]
        kind = "adjacency" if trial % 3 == 1 else "data"
        try:
            df = read_matrix(bytes(data), kind=kind, name=f"fuzz{trial}.csv")
        except InputError as exc:
            assert f"fuzz{trial}.csv" in str(exc)
            outcomes["error"] += 1
        else:
            assert df.dtypes.eq("float64").all() and np.isfinite(df.to_numpy()).all()
            outcomes["ok"] += 1
    assert outcomes["ok"] > 10 and outcomes["error"] > 10


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="conformance inputs not beside the repo")
def test_every_small_conformance_input_reads_bit_for_bit():
    files = [p for p in sorted(CONFORMANCE.glob("*.csv")) if p.stat().st_size < 500_000]
    assert len(files) > 20
    for path in files:
        kind = "adjacency" if path.name.startswith(("net_", "renette_")) else "data"
        df = read_matrix(path, kind=kind)
        want = pd.read_csv(path).to_numpy()
        if kind == "adjacency":
            np.fill_diagonal(want, 0.0)  # uploaded self-loops are zeroed (noted)
            assert list(df.index) == list(df.columns)
        np.testing.assert_array_equal(df.to_numpy(), want, err_msg=path.name)


# ------------------------------------------------------------- the fast path
def _general_only(monkeypatch):
    """Make read_matrix take its general (per-cell) path only."""
    from renette_widgets.io import fields
    monkeypatch.setattr(fields.PlainNumbers, "of", classmethod(lambda cls, *a, **k: None))


def _both(monkeypatch, data: bytes, **options):
    """(fast-path outcome, general-path outcome): a frame or the InputError's text."""
    def outcome():
        try:
            return read_matrix(data, name="t.csv", **options)
        except InputError as exc:
            return f"InputError: {exc} (row {exc.row}, column {exc.column})"
    fast = outcome()
    with monkeypatch.context() as m:
        _general_only(m)
        general = outcome()
    return fast, general


def _assert_same(fast, general):
    assert type(fast) is type(general), (fast, general)
    if isinstance(fast, str):
        assert fast == general
    else:
        pd.testing.assert_frame_equal(fast, general)
        np.testing.assert_array_equal(fast.to_numpy(), general.to_numpy())  # bit for bit
        assert fast.attrs == general.attrs


def _table(values: np.ndarray, fmt: str, sep: str = ",", row_names: str | None = "",
           quote: bool = False, decimal: str = ".") -> bytes:
    q = (lambda s: f'"{s}"') if quote else (lambda s: s)
    cells = np.char.mod(fmt, values)
    if decimal == ",":
        cells = np.char.replace(cells, ".", ",")
    head = ([q(row_names)] if row_names is not None else []) + \
        [q(f"g{j}") for j in range(values.shape[1])]
    lines = [sep.join(head)]
    for i, row in enumerate(cells):
        lines.append(sep.join(([q(f"s{i}")] if row_names is not None else []) + row.tolist()))
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("fmt, sep, row_names, quote, decimal", [
    ("%.17g", ",", "", False, "."),        # every bit of a float64
    ("%.5f", ",", "", True, "."),          # R's write.csv: quoted names
    ("%.3e", "\t", "", False, "."),
    ("%.4f", ";", "", False, ","),         # a spreadsheet's decimal comma
    ("%+.6g", ",", None, False, "."),      # no row names, explicit signs
    ("%.2f", ",", "id", False, "."),       # row names under a header name
    ("%d", "\t", "", False, "."),
])
def test_fast_path_reads_as_the_general_path(monkeypatch, fmt, sep, row_names, quote, decimal):
    rng = np.random.default_rng(3)
    values = rng.standard_normal((30, 12)) * 10.0 ** rng.integers(-5, 5, (30, 12))
    if fmt == "%d":
        values = np.rint(values * 100)
    data = _table(values, fmt, sep, row_names, quote, decimal)
    from renette_widgets.io import fields
    parsed, values_of = [], fields.PlainNumbers.values
    monkeypatch.setattr(fields.PlainNumbers, "values",
                        lambda self, *a: parsed.append(values_of(self, *a)) or parsed[-1])
    fast, general = _both(monkeypatch, data)
    _assert_same(fast, general)
    assert isinstance(fast, pd.DataFrame) and fast.shape == (30, 12)
    assert parsed and parsed[0] is not None  # read by the fast path indeed
    _assert_same(*_both(monkeypatch, data, kind="auto"))
    _assert_same(*_both(monkeypatch, data, row_names=False))
    _assert_same(*_both(monkeypatch, data, header=False))


@pytest.mark.parametrize("token", [
    "-", "+", ".", "e", "E5", "1e", "1e+", "--1", "1-2", "1.2.3", ".e5", "1e5.5", "+-1", "1+",
    "0x1", "1_0", "inf", "-Infinity", "nan", "NA", "", " 1", "1 ", "1e400", "-1e999", "5e-324",
    "1e-400", "+.5", "1.", "-.0", "007", "1E+05", '"1"', "1,5", "١",
])
def test_any_cell_reads_the_same_on_both_paths(monkeypatch, token):
    """A table of plain numbers but one cell: the same frame, or the same message."""
    cells = [["0.5", "1", "2"], ["3", token, "4"], ["5", "6", "7.25"]]
    text = "a,b,c\n" + "\n".join(",".join(r) for r in cells) + "\n"
    _assert_same(*_both(monkeypatch, text.encode()))
    _assert_same(*_both(monkeypatch, text.encode(), na="impute"))
    semi = text.replace(",", ";").replace("0.5", "0,5")
    _assert_same(*_both(monkeypatch, semi.encode()))


def test_lines_longer_than_the_csv_field_limit(monkeypatch):
    """20,000 columns with R's quoted header (a header line of 160 kB: Python's csv
    module refuses a field over 128 kB by default, e.g. while another separator
    is tried)."""
    values = np.random.default_rng(4).standard_normal((3, 20000))
    data = _table(values, "%.5f", ",", "", quote=True)
    fast, general = _both(monkeypatch, data)
    _assert_same(fast, general)
    assert fast.shape == (3, 20000) and fast.columns[-1] == "g19999" and fast.index[0] == "s0"
    tabbed = _table(values, "%.5f", "\t", "", quote=True)
    _assert_same(*_both(monkeypatch, tabbed))
