"""Inputs panel without a browser: uploads, options, examples, rejected files."""
from datetime import datetime, timezone

import numpy as np
import pytest

from renette_widgets.io import examples
from renette_widgets.widgets.inputs import InputsPanel
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
    # The button counts the files of the last upload; their bytes are not kept twice.
    assert [f["name"] for f in panel.upload.value] == ["semi.csv", "tabs.tsv"]
    assert all(len(f["content"]) == 0 for f in panel.upload.value)


def test_the_same_file_can_be_uploaded_again(panel):
    content = b"a,b\n1,2\n3,4\n5,7\n"
    _upload(panel, ("again.csv", content))
    panel.session.remove("again")
    _upload(panel, ("again.csv", content))
    assert panel.session.data["again"].shape == (3, 2)


def test_file_kind_is_detected_and_can_be_overridden(panel):
    _upload(panel, ("net.csv", b",x,y,z\nx,0,0.5,0.1\ny,0.5,0,0.2\nz,0.1,0.2,0\n"),
            ("data.csv", b"x,y,z\n1,2,3\n2,3,5\n4,5,1\n"))
    assert set(panel.session.networks) == {"net"} and set(panel.session.data) == {"data"}
    assert any("Read as a network" in n for n in panel.session.networks["net"].attrs["notes"])
    panel.kind.value = "data"  # a square data matrix with gene names on both sides: override
    panel.preview_name.value = "net"
    panel.reread.click()
    assert "net" in panel.session.data and "net" not in panel.session.networks


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


def test_renette_examples_ship_with_the_package(panel):
    panel.example_buttons["microbiome-networks"].click()
    shapes = {n: f.shape for n, f in panel.session.networks.items()}
    assert shapes == {"microbiome_Actinobacteria_0.0-diet_adj": (187, 187),
                      "microbiome_Actinobacteria_1.0-diet_adj": (187, 187)}
    panel.example_buttons["microbiome-data"].click()
    assert panel.session.data["microbiome_Actinobacteria_1.0-diet"].shape == (269, 187)
    panel.example_buttons["test-networks"].click()
    tests = [n for n in panel.session.networks if n.startswith("test_data_")]
    assert len(tests) == 10 and panel.session.networks["test_data_10"].shape == (1000, 1000)


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
