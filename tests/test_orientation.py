"""read_matrix(orientation=...): tables with genes in rows (GEO, DESeq2/edgeR counts,
Seurat pseudobulk) are read as samples x genes, with a note saying why; mixed evidence
is refused naming both readings; the user's choice wins."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from renette_widgets.errors import InputError
from renette_widgets.io.checks import check_data
from renette_widgets.io.reader import read_matrix


def table(rows: list[str], cols: list[str], first: str = "gene_id", seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    lines = [",".join([first] + cols)]
    lines += [",".join([r] + [f"{v:.6f}" for v in rng.random(len(cols))]) for r in rows]
    return ("\n".join(lines) + "\n").encode()


ENSEMBL = [f"ENSG{i:011d}" for i in range(500)]
GSM = [f"GSM{2000 + j}" for j in range(30)]


@pytest.mark.parametrize("rows, evidence", [
    (ENSEMBL, "Ensembl ids"),
    ([f"ENSMUSG{i:011d}.{i % 3 + 1}" for i in range(500)], "Ensembl ids"),
    ([f"{1007 + i}_s_at" for i in range(500)], "probe ids"),
    ([f"ILMN_{1651199 + i}" for i in range(500)], "probe ids"),
    ([s + (str(i) if i >= 6 else "") for i, s in
      enumerate(["TP53", "BRCA1", "ACTB", "GAPDH", "MYC", "HLA-A"] * 84)][:500], "gene symbols"),
])
def test_genes_in_rows_read_as_samples_by_genes_with_a_note(rows, evidence):
    raw = table(rows, GSM)
    df = read_matrix(raw, name="counts.csv")
    assert df.shape == (30, 500)
    assert list(df.index) == GSM and list(df.columns) == rows
    # the values follow their names: cell (sample j, gene i) is the file's row i, column j
    by_file = pd.read_csv(pd.io.common.BytesIO(raw), index_col=0)
    np.testing.assert_array_equal(df.to_numpy(), by_file.to_numpy().T)
    note = df.attrs["notes"][-1]
    assert "transposed to 30 samples x 500 variables" in note and evidence in note
    assert note.startswith("Read with variables in rows (genes in rows, samples in columns)")
    assert "sample ids" in note and "orientation='samples-in-rows'" in note
    assert df.attrs["orientation"] == "variables-in-rows"
    check_data(df)  # what inference checks next: 30 samples, 500 variables


def test_entrez_ids_under_a_gene_id_header_are_row_names_and_genes():
    df = read_matrix(table([str(7157 + 3 * i) for i in range(200)], [f"S{j}" for j in range(12)]),
                     name="entrez.csv")
    assert df.shape == (12, 200) and df.columns[0] == "7157" and "Entrez ids" in df.attrs["notes"][-1]


def test_samples_in_rows_kept_and_said():
    rows = [f"GSM{j}" for j in range(30)]
    df = read_matrix(table(rows, ENSEMBL[:200], first="sample"), name="samples.csv")
    assert df.shape == (30, 200) and df.attrs["orientation"] == "samples-in-rows"
    note = df.attrs["notes"][-1]
    assert note.startswith("Read with samples in rows") and "Ensembl ids" in note
    plain = read_matrix(b"G1,G2,G3\n1,2,3\n4,5,7.5\n7,9,8\n2,1,-5e-1\n", name="plain.csv")
    assert plain.shape == (4, 3) and "the default" in plain.attrs["notes"][-1]


def test_square_table_of_sample_ids_on_both_sides_is_refused_naming_both_readings():
    raw = table([f"GSM{j}" for j in range(20)], [f"GSM{100 + j}" for j in range(20)], "sample")
    with pytest.raises(InputError) as info:
        read_matrix(raw, name="square.csv")
    msg = str(info.value)
    assert "square.csv" in msg and "ambiguous" in msg
    assert "samples in rows" in msg and "variables in rows" in msg
    assert "orientation='samples-in-rows'" in msg and info.value.parameter == "orientation"
    kept = read_matrix(raw, name="square.csv", orientation="samples-in-rows")
    turned = read_matrix(raw, name="square.csv", orientation="variables-in-rows")
    assert kept.index[0] == "GSM0" and turned.index[0] == "GSM100"
    np.testing.assert_array_equal(kept.to_numpy(), turned.to_numpy().T)
    assert "as chosen" in kept.attrs["notes"][-1] and "as chosen" in turned.attrs["notes"][-1]


def test_forced_orientation_overrides_the_evidence_and_missing_values_follow():
    raw = table(ENSEMBL[:50], GSM[:6])
    df = read_matrix(raw, name="c.csv", orientation="samples-in-rows")
    assert df.shape == (50, 6)
    with pytest.raises(InputError, match="orientation must be"):
        read_matrix(raw, name="c.csv", orientation="sideways")
    holes = raw.replace(b"\nENSG00000000002,", b"\nENSG00000000002,NA,", 1)
    holes = b"\n".join(line.rsplit(b",", 1)[0] if line.startswith(b"ENSG00000000002") else line
                       for line in holes.split(b"\n"))
    with pytest.raises(InputError) as info:  # located in the file, before transposing
        read_matrix(holes, name="h.csv")
    assert info.value.row == 4 and info.value.column == "GSM2000"
    dropped = read_matrix(holes, name="h.csv", na="drop")  # the sample with a hole goes
    assert dropped.shape == (5, 50) and "GSM2000" not in dropped.index


def test_adjacency_matrices_are_never_transposed():
    adj = read_matrix(b",ENSG1,ENSG2\nENSG1,0,0.5\nENSG2,0.2,0\n", kind="adjacency", name="a.csv")
    assert adj.loc["ENSG1", "ENSG2"] == 0.5 and "orientation" not in adj.attrs
