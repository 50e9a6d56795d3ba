"""Inputs panel without a browser: uploads, options, examples, rejected files."""
import numpy as np
import pytest
from upload_driver import send_file
from upload_driver import upload as _upload

from renette_widgets.io import examples
from renette_widgets.widgets.inputs import InputsPanel
from renette_widgets.widgets.session import Session


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
    # The button counts the files of the last upload; their bytes are on disk, not in memory.
    assert panel.upload.count == 2
    assert all(p.is_file() and p.parent == panel.upload.folder for p in panel.raw.values())


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


# ------------------------------------------------------------ uploads in pieces
GOOD = b"a,b,c\n1,2,3\n4,5,7.5\n7,9,8\n2,1,-0.5\n"


def test_a_file_in_many_pieces_reads_as_a_whole(panel):
    replies = send_file(panel.upload, "pieces.csv", GOOD, chunk=7)
    acks = [r["received"] for r in replies if r["type"] == "ack"]
    assert acks == [0, *range(7, len(GOOD), 7), len(GOOD)]  # one per piece, in order
    assert replies[-1] == {"type": "done", "id": replies[-1]["id"], "ok": True, "message": ""}
    from renette_widgets.io.reader import read_matrix
    np.testing.assert_array_equal(panel.session.data["pieces"].to_numpy(),
                                  read_matrix(GOOD).to_numpy())
    assert panel.preview_name.value == "pieces"


def test_a_file_over_the_cap_is_refused_with_the_reason(monkeypatch):
    monkeypatch.setenv("RENETTE_MAX_UPLOAD_MB", "0.00005")  # 52 bytes
    panel = InputsPanel(Session())
    assert panel.upload.max_bytes == 52
    assert send_file(panel.upload, "small.csv", GOOD)[-1]["ok"]
    big = GOOD + b"3,3,3\n" * 10
    assert send_file(panel.upload, "big.csv", big) == []  # the browser sent nothing
    assert "big" not in panel.session.data
    assert "more than the limit of 52 bytes" in panel.failed["big.csv"]
    assert "RENETTE_MAX_UPLOAD_MB" in panel.failed["big.csv"]
    assert "big.csv" in panel.rejected.value
    # a page that sends it anyway is refused by the kernel too, before any byte is kept
    panel.upload.max_bytes = 10**9
    replies = send_file(panel.upload, "big2.csv", big)
    assert replies[-1]["type"] == "refused" and "limit of 52 bytes" in replies[-1]["message"]
    assert "big2.csv" in panel.failed and list(panel.upload.folder.iterdir()) == [
        panel.raw["small.csv"]]


def test_a_broken_upload_is_listed_never_lost(panel):
    r = panel.upload.receiver
    sent = []
    panel.upload.send = lambda msg, buffers=None: sent.append(msg)
    panel.upload._message(panel.upload, {"type": "start", "id": "a", "name": "cut.csv",
                                         "size": len(GOOD)}, [])
    panel.upload._message(panel.upload, {"type": "chunk", "id": "a", "offset": 0},
                          [memoryview(GOOD[:10])])
    panel.upload._message(panel.upload, {"type": "end", "id": "a"}, [])
    assert sent[-1]["type"] == "error" and "10 of 35 bytes arrived" in sent[-1]["message"]
    assert "10 of 35 bytes arrived" in panel.failed["cut.csv"]
    # a piece out of order
    panel.upload._message(panel.upload, {"type": "start", "id": "b", "name": "order.csv",
                                         "size": len(GOOD)}, [])
    panel.upload._message(panel.upload, {"type": "chunk", "id": "b", "offset": 5},
                          [memoryview(GOOD[5:9])])
    assert sent[-1]["type"] == "error" and "out of order" in panel.failed["order.csv"]
    # the browser could not read the file
    panel.upload._message(panel.upload, {"type": "start", "id": "c", "name": "gone.csv",
                                         "size": len(GOOD)}, [])
    panel.upload._message(panel.upload, {"type": "abort", "id": "c", "name": "gone.csv",
                                         "reason": "NotReadableError"}, [])
    assert "NotReadableError" in panel.failed["gone.csv"]
    assert r.incoming == {} and list(panel.upload.folder.iterdir()) == []  # nothing left behind
    assert panel.session.data == {}
    del panel.upload.send


def test_uploading_a_file_again_replaces_it_on_disk(panel):
    send_file(panel.upload, "again.csv", GOOD)
    first = panel.raw["again.csv"]
    send_file(panel.upload, "again.csv", GOOD.replace(b"7.5", b"8.5"))
    assert not first.exists() and panel.raw["again.csv"].is_file()
    assert panel.session.data["again"].iloc[1, 2] == 8.5
    panel.preview_name.value = "again"
    panel.remove.click()
    assert list(panel.upload.folder.iterdir()) == []


def _genes_in_rows(n_genes: int = 60, n_samples: int = 8) -> bytes:
    rng = np.random.default_rng(25)
    lines = ["gene_id," + ",".join(f"GSM{100 + j}" for j in range(n_samples))]
    lines += [f"ENSG{i:011d}," + ",".join(f"{v:.5f}" for v in rng.random(n_samples))
              for i in range(n_genes)]
    return ("\n".join(lines) + "\n").encode()


def test_genes_in_rows_transposed_and_the_toggle_reads_it_the_other_way(panel):
    _upload(panel, ("counts.csv", _genes_in_rows()))
    frame = panel.session.data["counts"]
    assert frame.shape == (8, 60) and frame.index[0] == "GSM100"
    assert "transposed" in panel.loaded.value  # the note says what was decided
    panel.preview_name.value = "counts"
    panel.flip.click()
    assert panel.session.data["counts"].shape == (60, 8)
    assert "Read as chosen with samples in rows" in " ".join(
        panel.session.data["counts"].attrs["notes"])
    panel.flip.click()  # and back
    assert panel.session.data["counts"].shape == (8, 60)


def test_ambiguous_layout_listed_then_read_as_chosen(panel):
    square = b"sample," + b",".join(b"GSM%d" % j for j in range(6)) + b"\n" + b"".join(
        b"S%d," % i + b",".join(b"%d" % ((i * 7 + j * 3) % 11) for j in range(6)) + b"\n"
        for i in range(6))
    _upload(panel, ("square.csv", square))
    assert "square.csv" in panel.failed and "orientation" in panel.failed["square.csv"]
    panel.layout_choice.value = "samples-in-rows"
    _upload(panel, ("square.csv", square))
    assert panel.session.data["square"].index[0] == "S0"


def test_edge_list_and_graphml_upload_as_networks(panel):
    from pathlib import Path
    nets = Path(__file__).parent / "data" / "networks"
    _upload(panel, ("edges.csv", (nets / "r_igraph_edges.csv").read_bytes()),
            ("graph.graphml", (nets / "r_igraph.graphml").read_bytes()),
            ("bad_edges.csv", b"source,target,weight\nA,B,0.5\nA,B,0.7\n"))
    s = panel.session
    assert set(s.networks) == {"edges", "graph"} and not s.data
    assert s.networks["graph"].shape == (8, 8)
    assert "line 3" in panel.failed["bad_edges.csv"]


def _other(panel, name):
    rows = [r for r in panel.other.children if f"<b>{name}</b>" in r.children[0].value]
    assert len(rows) == 1, [r.children[0].value for r in panel.other.children]
    return rows[0]


def test_what_auto_detection_assumed_is_said_and_the_other_reading_is_one_click(panel):
    """Issue 23: a square file with gene names on both sides read as a network (and a
    matrix read as data) say so, and the other reading is one click away; a reading that
    cannot be is said, and the file stays listed once, as it was."""
    net = b",x,y,z\nx,0,0.5,0.1\ny,0.5,0,0.2\nz,0.1,0.2,0\n"
    _upload(panel, ("both.csv", net), ("wide.csv", b"x,y,z\n1,2,3\n2,3,5\n4,5,1\n7,1,2\n"))
    row = _other(panel, "both")
    assert "read as a <b>network</b>" in row.children[0].value
    assert row.children[1].description == "read it as a data matrix instead"
    row.children[1].click()
    s = panel.session
    assert "both" in s.data and "both" not in s.networks and s.data["both"].shape == (3, 3)
    assert "read as a <b>data matrix</b>" not in "".join(r.children[0].value for r in panel.other.children
                                                         if "<b>both</b>" in r.children[0].value)
    # a 4 x 3 matrix cannot be a network: said, and it stays a data matrix, listed once
    row = _other(panel, "wide")
    assert row.children[1].description == "read it as a network instead"
    row.children[1].click()
    assert "wide" in s.data and "wide" not in s.networks
    assert "cannot be read as a network" in panel.errors.text and "stays loaded" in panel.errors.text
    assert "wide" not in panel.rejected.value and panel.loaded.value.count("<td>wide</td>") == 1
    assert "read it as a network instead" in _other(panel, "wide").children[1].description


def test_a_failed_reading_of_a_loaded_file_keeps_it_listed_once(panel):
    _upload(panel, ("m.csv", b"x,y,z\n1,2,3\n2,3,5\n4,5,1\n7,1,2\n"))
    panel.kind.value = "adjacency"
    _upload(panel, ("m.csv", b"x,y,z\n1,2,3\n2,3,5\n4,5,1\n7,1,2\n"))  # not square: no network
    assert "m" in panel.session.data and "m.csv" not in panel.failed
    assert "rejected" not in panel.rejected.value and "stays loaded as a data matrix" in panel.errors.text
