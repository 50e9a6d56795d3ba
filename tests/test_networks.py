"""read_network: edge lists, GraphML and GML as other software writes them read to the
adjacency that produced them (R igraph's files made by tests/data/networks/r_igraph_fixtures.R)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets.errors import InputError
from renette_widgets.io.exports import network_text
from renette_widgets.io.networks import detect_format, read_network
from renette_widgets.io.reader import read_matrix

NETS = Path(__file__).parent / "data" / "networks"
SCRIPT = NETS / "r_igraph_fixtures.R"


def _r_igraph() -> bool:
    if not shutil.which("Rscript"):
        return False
    return subprocess.run(["Rscript", "-e", "library(igraph)"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def r_files(tmp_path_factory):
    """R's igraph writes the fixtures now (the committed copies when R or igraph is missing)."""
    if not _r_igraph():
        return NETS
    out = tmp_path_factory.mktemp("r-igraph")
    subprocess.run(["Rscript", str(SCRIPT), str(out)], check=True, capture_output=True)
    return out


def same(got, want):
    """``got`` is ``want``: the same node names (any order) and exactly the same weights."""
    assert sorted(got.index) == sorted(want.index) and list(got.index) == list(got.columns)
    np.testing.assert_array_equal(got.loc[want.index, want.index].to_numpy(), want.to_numpy())


@pytest.mark.parametrize("file, fmt", [("r_igraph.graphml", "graphml"), ("r_igraph.gml", "gml"),
                                       ("r_igraph_edges.csv", "edgelist")])
def test_r_igraph_files_read_to_their_adjacency(r_files, file, fmt):
    want = read_matrix(r_files / "r_adjacency.csv", kind="adjacency")
    got = read_network(r_files / file)
    assert got.attrs["format"] == fmt and got.attrs["kind"] == "adjacency"
    same(got, want)
    if fmt != "edgelist":  # graph files keep the file's node order
        assert list(got.index) == list(want.index)
    else:  # an edge list: nodes in order of first appearance, and undirected (said)
        assert "undirected" in " ".join(got.attrs["notes"])


def test_r_igraph_directed_graph_and_its_edge_list(r_files):
    want = read_matrix(r_files / "r_directed_adjacency.csv", kind="adjacency")
    got = read_network(r_files / "r_directed.graphml")
    assert list(got.index) == list(want.index)  # SESN1, isolated, is a GraphML node
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())
    edges = read_network(r_files / "r_directed_edges.csv", directed=True)
    assert "SESN1" not in edges.index  # an edge list has no isolated nodes
    same(edges, want.loc[edges.index, edges.index])
    # this one lists a pair both ways with different weights: detected as directed
    detected = read_network(r_files / "r_directed_edges.csv")
    assert "Read as directed" in detected.attrs["notes"][0]
    same(detected, edges)


def test_edge_list_columns_by_name_or_position_and_isolated_nodes():
    by_name = read_network(b"weight;target;source\n0.5;B;A\n0.25;C;B\n", name="n.csv")
    by_position = read_network(b"A\tB\t0.5\nB\tC\t0.25\nD\n", name="p.tsv")
    assert list(by_name.index) == ["A", "B", "C"] and list(by_position.index) == list("ABCD")
    same(by_position.loc[list("ABC"), list("ABC")], by_name)
    assert by_position.loc["D"].sum() == 0  # a line with a source only: an isolated node
    assert by_name.loc["A", "B"] == by_name.loc["B", "A"] == 0.5
    unweighted = read_network(b"from,to\nx,y\ny,z\n", name="u.csv")
    assert unweighted.loc["x", "y"] == 1.0 and "no weight column" in unweighted.attrs["notes"][0]
    chosen = read_network(b"a,b,interaction,score\nx,y,pp,0.9\n", name="c.csv", weight="score",
                          format="edgelist", header=True)
    assert chosen.loc["x", "y"] == 0.9


def test_direction_detected_and_overridden():
    both_same = b"from,to,weight\nA,B,0.5\nB,A,0.5\nB,C,0.1\n"
    und = read_network(both_same, name="s.csv")
    assert np.array_equal(und.to_numpy(), und.to_numpy().T)
    arcs = read_network(b"from,to,weight\nA,B,0.5\nB,C,0.1\n", name="a.csv", directed=True)
    assert arcs.loc["A", "B"] == 0.5 and arcs.loc["B", "A"] == 0
    with pytest.raises(InputError, match="in both orders") as info:
        read_network(b"from,to,weight\nA,B,0.5\nB,A,0.7\n", name="d.csv", directed=False)
    assert info.value.row == 3
    undirected_file = read_network(NETS / "r_igraph.graphml", directed=True)
    assert np.array_equal(undirected_file.to_numpy(), undirected_file.to_numpy().T)
    with pytest.raises(InputError, match="in both orders with different weights"):
        read_network(NETS / "r_directed.graphml", directed=False)  # CDKN1A <-> GADD45A differ
    arcs = pd.DataFrame([[0, 0.5, 0], [0, 0, 0.25], [0, 0, 0]], index=list("abc"),
                        columns=list("abc"))
    one_way = network_text(arcs, "graphml").encode()
    assert read_network(one_way, name="d.graphml").loc["b", "a"] == 0  # directed, as the file
    made_undirected = read_network(one_way, name="d.graphml", directed=False)
    assert made_undirected.loc["b", "a"] == 0.5 and made_undirected.loc["c", "b"] == 0.25
    assert "read as undirected, as asked" in " ".join(made_undirected.attrs["notes"])
    dropped = read_network(b"from,to,weight\nA,A,1\nA,B,0.5\n", name="l.csv", self_loops="drop")
    assert "1 self-loop(s) were dropped" in dropped.attrs["notes"][0]


def test_format_detection_and_adjacency_passthrough():
    adj = b",A,B,C\nA,0,1,0\nB,1,0,1\nC,0,1,0\n"
    assert detect_format(adj, "x.csv") == "adjacency"
    assert detect_format(b"A,B,1\nB,C,1\n", "x.csv") == "edgelist"
    numbers = b"1,2,0.5\n2,3,0.5\n3,4,0.1\n4,5,1\n5,1,1\n"  # ids or data: not guessed
    assert detect_format(numbers, "x.csv") == "adjacency"
    assert list(read_network(numbers, "edgelist", name="x.csv").index) == list("12345")
    assert detect_format(b"<?xml version='1.0'?><graphml/>", "x.txt") == "graphml"
    assert detect_format(b"anything", "x.gml") == "gml"
    # test_data_*.csv headers are V1, V2, ...: still adjacency matrices
    assert detect_format(b"\tV1\tV2\nV1\t0\t1\nV2\t1\t0\n", "t.tsv") == "adjacency"
    pd_adj = read_network(adj, name="adj.csv")
    assert pd_adj.attrs["format"] == "adjacency"
    same(pd_adj, read_matrix(adj, kind="adjacency", name="adj.csv"))


def test_networks_in_any_format_through_the_api(r_files):
    """The API reads network paths in any format (what the CLI and submit take)."""
    from renette_widgets.api import named_inputs
    nets = named_inputs([str(r_files / "r_igraph.graphml"), str(r_files / "r_igraph_edges.csv")],
                        "adjacency")
    assert list(nets) == ["r_igraph", "r_igraph_edges"]
    same(nets["r_igraph_edges"], nets["r_igraph"])


def test_distance_between_r_graphml_and_r_edge_list_is_zero(client, r_files):
    got = rw.distance([str(r_files / "r_igraph.graphml"), str(r_files / "r_igraph_edges.csv")],
                      client=client, store=False)
    for c in ("H", "IM", "HIM"):
        assert got[c].iat[0, 1] == 0.0


def test_cli_reads_networks_in_any_format_and_data_either_way(r_files, tmp_path):
    """Every command that takes networks reads these formats; data tables take --orientation."""
    from renette_widgets import cli
    args = cli.parser().parse_args(["distance", str(r_files / "r_igraph.graphml"),
                                    str(r_files / "r_igraph_edges.csv")])
    nets = cli._read(args.files, "adjacency", args)
    same(nets["r_igraph_edges"], nets["r_igraph"])
    args = cli.parser().parse_args(["stats", str(r_files / "r_directed_edges.csv"), "--undirected"])
    with pytest.raises(InputError, match="in both orders"):
        cli._read(args.files, "adjacency", args)
    headless = tmp_path / "pairs.csv"  # an edge list without header: read by position
    headless.write_text("A,B,0.5\nB,C,0.25\n")
    args = cli.parser().parse_args(["stats", str(headless)])
    assert list(cli._read(args.files, "adjacency", args)["pairs"].index) == ["A", "B", "C"]
    table = tmp_path / "genes.csv"
    table.write_text("gene_id,GSM1,GSM2,GSM3\n" + "".join(
        f"ENSG{i:011d},{i % 7},{(i * 3) % 5},{(i * 5) % 11}\n" for i in range(40)))
    args = cli.parser().parse_args(["infer", str(table)])
    assert cli._read(args.files, "data", args)["genes"].shape == (3, 40)
    args = cli.parser().parse_args(["infer", str(table), "--orientation", "samples-in-rows"])
    assert cli._read(args.files, "data", args)["genes"].shape == (40, 3)
