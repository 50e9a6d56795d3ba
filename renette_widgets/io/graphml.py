"""GraphML export of weighted networks (written with xml.etree, no extra deps)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

NS = "http://graphml.graphdrawing.org/xmlns"


def write_graphml(adj: pd.DataFrame, path: str | Path, name: str = "network") -> None:
    """Write an adjacency matrix as GraphML (edges for non-zero weights).

    Symmetric matrices become undirected graphs (one edge per i < j);
    others directed (edge i -> j for entry (i, j)).
    """
    a = adj.to_numpy(dtype=float)
    directed = not np.allclose(a, a.T, equal_nan=True)
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}graphml")
    ET.SubElement(root, f"{{{NS}}}key", id="weight", attrib={
        "for": "edge", "attr.name": "weight", "attr.type": "double"})
    graph = ET.SubElement(root, f"{{{NS}}}graph", id=str(name),
                          edgedefault="directed" if directed else "undirected")
    names = [str(n) for n in adj.index]
    for n in names:
        ET.SubElement(graph, f"{{{NS}}}node", id=n)
    rows, cols = np.nonzero(np.nan_to_num(a))
    for i, j in zip(rows, cols):
        if i == j or (not directed and j < i):
            continue
        edge = ET.SubElement(graph, f"{{{NS}}}edge", source=names[i], target=names[j])
        ET.SubElement(edge, f"{{{NS}}}data", key="weight").text = repr(float(a[i, j]))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def read_graphml(path: str | Path) -> pd.DataFrame:
    """Read a GraphML file written by :func:`write_graphml` back to a matrix."""
    tree = ET.parse(path)
    graph = tree.getroot().find(f"{{{NS}}}graph")
    names = [n.get("id") for n in graph.findall(f"{{{NS}}}node")]
    pos = {n: k for k, n in enumerate(names)}
    a = np.zeros((len(names), len(names)))
    undirected = graph.get("edgedefault") == "undirected"
    for e in graph.findall(f"{{{NS}}}edge"):
        w = float(e.find(f"{{{NS}}}data").text)
        i, j = pos[e.get("source")], pos[e.get("target")]
        a[i, j] = w
        if undirected:
            a[j, i] = w
    return pd.DataFrame(a, index=names, columns=names)
