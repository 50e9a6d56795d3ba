"""Inputs panel without a browser: uploads, options, examples, rejected files."""
from datetime import datetime, timezone

import numpy as np
import pytest

from renette_widgets.io import examples
from renette_widgets.widgets.inputs import InputsPanel, shared_examples
from renette_widgets.widgets.session import Session


def _upload(panel, *files):
    """What the browser's file input sets: a tuple of dicts with name and content."""
    panel.upload.value = tuple({"name": n, "type": "text/csv", "size": len(c), "content": memoryview(c),
                                "last_modified": datetime.now(timezone.utc)} for n, c in files)


@pytest.fixture
def panel():
    return InputsPanel(Session())


def test_upload_several_files_separator_detected_per_file(panel):
    _upload(panel, ("semi.csv", b"a;b;c\n1,5;2;3\n2;3;4\n4;5;1\n"),
            ("tabs.tsv", b"a\tb\tc\n1\t2\t3\n2\t3\t5\n4\t5\t1\n"))
    s = panel.session
    assert set(s.data) == {"semi", "tabs"}
    assert s.data["semi"].iloc[0, 0] == 1.5  # decimal comma, ';' separated
    assert s.data["tabs"].shape == (3, 3)
    assert "semi" in panel.loaded.value and "3 × 3" in panel.loaded.value
    assert panel.upload.value == ()  # cleared: the same file can be uploaded again


def test_bad_file_listed_with_reason_others_usable(panel):
    _upload(panel, ("good.csv", b"a,b\n1,2\n3,4\n5,7\n"), ("bad.csv", b"a,b\n1,x\n2,3\n"))
    assert "good" in panel.session.data and "bad" not in panel.session.data
    assert "bad.csv" in panel.failed and "'x' is not a number" in panel.failed["bad.csv"]
    assert "bad.csv" in panel.rejected.value and "line 2" in panel.rejected.value
    assert panel.errors.text == ""  # a bad file is not a panel error: it is listed


def test_kind_and_options_reach_the_reader(panel):
    panel.kind.value = "adjacency"
    panel.sep.value = ";"
    panel.row_names.value = True
    _upload(panel, ("net.txt", b";x;y\nx;0;0.5\ny;0.5;0\n"))
    net = panel.session.networks["net"]
    assert list(net.index) == ["x", "y"] and net.loc["x", "y"] == 0.5


def test_reread_with_other_options(panel):
    _upload(panel, ("plain.csv", b"1,2\n3,4\n5,6\n"))
    assert panel.session.data["plain"].shape == (2, 2)  # first row taken as names
    panel.header.value = False
    panel.preview_name.value = "plain"
    panel.reread.click()
    assert panel.session.data["plain"].shape == (3, 2)


def test_preview_and_remove(panel):
    panel.example_buttons["example-data"].click()
    assert set(panel.session.data) == {"condition_A", "condition_B"}
    panel.preview_name.value = "condition_A"
    assert "60 rows × 40 columns" in panel.preview.value and "G01" in panel.preview.value
    panel.remove.click()
    assert set(panel.session.data) == {"condition_B"}


def test_example_networks_are_the_committed_files(panel):
    panel.example_buttons["example-networks"].click()
    nets = examples.load_examples("adjacency")
    for name, net in nets.items():
        np.testing.assert_allclose(panel.session.networks[name].to_numpy(), net.to_numpy())


@pytest.mark.skipif(shared_examples() is None, reason="ReNette examples not beside the repo")
def test_renette_examples(panel):
    panel.example_buttons["renette-networks"].click()
    shapes = {n: f.shape for n, f in panel.session.networks.items()}
    assert shapes == {"microbiome_Actinobacteria_0.0-diet_adj": (187, 187),
                      "microbiome_Actinobacteria_1.0-diet_adj": (187, 187)}


def test_drop_constant_columns_offered_for_data(panel):
    _upload(panel, ("flat.csv", b"a,b,c\n1,5,2\n2,5,3\n4,5,1\n3,5,7\n"))
    panel.preview_name.value = "flat"
    panel.drop_constant.click()
    frame = panel.session.data["flat"]
    assert list(frame.columns) == ["a", "c"]
    assert any("Dropped 1 constant column(s): 'b'" in n for n in frame.attrs["notes"])
    assert "Dropped 1 constant column" in panel.loaded.value
    panel.drop_constant.click()  # nothing left to drop: said in words, data unchanged
    assert "no constant column" in panel.errors.text
    assert list(panel.session.data["flat"].columns) == ["a", "c"]
