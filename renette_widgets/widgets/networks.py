"""The network view (one network or two side by side) with its controls, shared by
the results views of every workflow that shows networks."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from .. import figures
from ..io.arrays import as_frame
from ..io.exports import network_text
from .common import LazyDownloads, LazyTabs, PlotBox, SortableTable
from ..figures import large as pictures
from .large import EdgePages, LargeNetworks, ZoomHeatmap, distributions, is_large

#: Edges shown at first in the network view (the strongest of each network):
#: two per node on average, at most this many.
SHOWN_EDGES = 300
#: Edges of the networks' sum used to lay them out (the strongest), per node.
LAYOUT_EDGES_PER_NODE = 3


def edge_table(a: pd.DataFrame) -> pd.DataFrame:
    """Edges of a network (upper triangle, weight != 0), strongest first."""
    m = a.to_numpy(dtype=float)
    i, j = np.triu_indices(len(m), 1)
    keep = m[i, j] != 0
    df = pd.DataFrame({"node 1": a.index[i[keep]].astype(str), "node 2": a.columns[j[keep]].astype(str),
                       "weight": m[i, j][keep]})
    return df.sort_values("weight", ascending=False, kind="stable").reset_index(drop=True)


def partner(names: list[str], first: str, methods: list[str] | None = None) -> str | None:
    """The network shown beside ``first`` at first: the other condition inferred
    with the same method (``<input>_<method>`` names), else the next network."""
    for m in methods or ():
        if first.endswith(f"_{m}"):
            same = [n for n in names if n != first and n.endswith(f"_{m}")]
            if same:
                return same[0]
    others = [n for n in names if n != first]
    return others[0] if others else None


class NetworkExplorer(w.VBox):
    """One network, or two on the same layout, with the controls a reader needs.

    Edges shown: the same number (the strongest) in each network, or those
    above one weight; the readout says the cut and how many edges each
    network shows. Node labels on demand, a node search that highlights a
    node and its neighbours in both networks, and the edges shown in one
    network only in red.

    Parameters
    ----------
    networks : dict of name to DataFrame
        Networks on the same nodes.
    second : str, optional
        The network shown beside the first at first (default: none).
    edges : int, optional
        How many edges to show at first (default ``SHOWN_EDGES``).
    """

    def __init__(self, networks: dict[str, pd.DataFrame], second: str | None = None,
                 edges: int | None = None) -> None:
        self.networks = networks
        names = list(networks)
        self.first = w.Dropdown(options=names, value=names[0], description="network",
                                layout=w.Layout(width="340px"))
        self.second = w.Dropdown(options=["(none)"] + names, value=second or "(none)",
                                 description="beside it", layout=w.Layout(width="340px"))
        self.mode = w.ToggleButtons(options=[("same number in each", "count"),
                                             ("weight above", "weight")],
                                    tooltips=[("the strongest edges of each network (networks "
                                               "on different scales compare fairly)"),
                                              "one weight cut for every network"],
                                    style={"button_width": "185px"})
        top = max(float(np.abs(f.to_numpy()).max()) for f in networks.values()) or 1.0
        most = max(len(figures.edge_weights(f)) for f in networks.values())
        n = max(len(f) for f in networks.values())
        self.count = w.IntSlider(value=min(edges or min(SHOWN_EDGES, 2 * n), most), min=0,
                                 max=max(most, 1),
                                 step=1, readout=False, continuous_update=False,
                                 layout=w.Layout(width="360px"))
        self.cut = w.FloatSlider(value=0.0, min=0.0, max=top, step=top / 400, readout=False,
                                 continuous_update=False, layout=w.Layout(width="360px",
                                                                          display="none"))
        self.readout = w.HTML()
        self.readout.add_class("renette-threshold")
        self.labels = w.Checkbox(value=False, description="node labels", indent=False,
                                 layout=w.Layout(width="120px"))
        self.differences = w.Checkbox(value=True, description="red: edges in one network only",
                                      indent=False, layout=w.Layout(width="250px"))
        nodes = sorted({str(c) for f in networks.values() for c in f.columns})
        self.find = w.Combobox(options=nodes, placeholder="find a node (name)", ensure_option=True,
                               description="highlight", layout=w.Layout(width="320px"))
        self.plot = PlotBox()
        self._layouts: dict[tuple, np.ndarray] = {}
        for control in (self.first, self.second, self.count, self.cut, self.labels,
                        self.differences, self.find):
            control.observe(self.draw, "value")
        self.mode.observe(self._mode_changed, "value")
        super().__init__([w.HBox([self.first, self.second]),
                          w.HBox([w.HTML("<b>edges shown</b>&nbsp;"), self.mode, self.count, self.cut]),
                          self.readout,
                          w.HBox([self.labels, self.differences, self.find]), self.plot])
        self.draw()

    def shown(self) -> dict[str, pd.DataFrame]:
        """The network(s) drawn, by name."""
        out = {self.first.value: self.networks[self.first.value]}
        if self.second.value not in ("(none)", self.first.value):
            out[self.second.value] = self.networks[self.second.value]
        return out

    def cuts(self) -> dict[str, float]:
        """Each shown network's weight cut (edges with ``|w| > cut`` are drawn)."""
        nets = self.shown()
        if self.mode.value == "weight":
            return {n: float(self.cut.value) for n in nets}
        return {n: figures.edges_cut(f, int(self.count.value)) for n, f in nets.items()}

    def _mode_changed(self, _change: dict | None = None) -> None:
        if self.mode.value == "weight":
            # start from the cut that shows what was shown
            self.cut.value = min(self.cuts_from_count(), self.cut.max)
        self.count.layout.display = None if self.mode.value == "count" else "none"
        self.cut.layout.display = None if self.mode.value == "weight" else "none"
        self.draw()

    def cuts_from_count(self) -> float:
        return figures.edges_cut(self.networks[self.first.value], int(self.count.value))

    def _positions(self, nets: dict[str, pd.DataFrame]) -> np.ndarray:
        """Node positions of these networks together (cached): the layout of the
        strongest edges of their sum."""
        key = tuple(nets)
        if key not in self._layouts:
            total = sum(np.abs(f.to_numpy(dtype=float)) for f in nets.values())
            n = len(total)
            total = np.where(np.abs(total) > figures.edges_cut(total, LAYOUT_EDGES_PER_NODE * n),
                             total, 0.0)
            self._layouts[key] = figures.layout(total)
        return self._layouts[key]

    def draw(self, _change: dict | None = None) -> None:
        """Redraw the figure and the readout from the controls."""
        nets = self.shown()
        cuts = self.cuts()
        counts = {n: int((np.abs(figures.edge_weights(f)) > cuts[n]).sum()) for n, f in nets.items()}
        self.differences.layout.display = None if len(nets) == 2 else "none"
        parts = [f"<b>{html.escape(n)}</b>: {counts[n]} edges with weight &gt; "
                 f"{figures.fmt_weight(cuts[n])}" for n in nets]
        self.readout.value = "<span style='font-size:13px'>" + " &nbsp;·&nbsp; ".join(parts) + "</span>"
        self.plot.show(figures.network_pair(nets, cuts, pos=self._positions(nets),
                                            labels=self.labels.value, focus=self.find.value or None,
                                            differences=self.differences.value))


class NetworksView(w.VBox):
    """Network view, adjacency heatmap, distributions and edge table of networks
    (each page built when first opened), and their downloads.

    Networks of more than ``large.LARGE_NODES`` nodes get the pictures of
    :mod:`.large` instead (a pooled heatmap read again where zoomed, the
    strongest edges, a paged edge table), read from the store a block at a
    time: such a network is never loaded whole to draw it (``large`` is True).
    """

    def __init__(self, networks: dict[str, Any], stem: str = "networks",
                 second: str | None = None, edges: int | None = None) -> None:
        self.large = any(is_large(v) for v in networks.values())
        if self.large:
            self.networks = dict(networks)  # as given: stored ones stay on disk
            pages = LargeNetworks(self.networks, stem, edges)
            self.tabs = pages.tabs()
            self.downloads = pages.downloads()
            super().__init__([pages.note(), self.tabs, self.downloads])
            return
        self.networks = {k: as_frame(v) for k, v in networks.items()}
        names = list(self.networks)
        second = second if second in names else None
        self.tabs = LazyTabs([
            ("Network view", lambda: NetworkExplorer(self.networks, second, edges)),
            ("Adjacency", self._adjacency),
            ("Distributions", self._distributions),
            ("Edges table", self._edges),
        ])
        # Above MAX_CELLS nodes, what has the matrix's shape (heatmap, weights, edge table,
        # CSV) is sent as pictures and pages too: 600 x 600 values is what one message holds.
        self.pooled = max(len(f) for f in self.networks.values()) > pictures.MAX_CELLS
        if self.pooled:
            self.downloads = LargeNetworks(self.networks, stem).downloads()
        else:
            # the matrix, and what other tools read (read_network reads both back)
            self.downloads = LazyDownloads(
                {name: make for n, f in self.networks.items() for name, make in (
                    (f"{n}.csv", lambda f=f: f.to_csv()),
                    (f"{n}_edges.csv", lambda f=f: network_text(f, "edgelist")),
                    (f"{n}.graphml", lambda f=f: network_text(f, "graphml")))},
                "prepare downloads (matrix CSV, edge list CSV, GraphML)")
        super().__init__([self.tabs, self.downloads])

    @property
    def explorer(self) -> NetworkExplorer:
        """The network view's page (built now if it was not)."""
        return self.tabs.page(0)

    def _picker(self, draw) -> w.VBox:
        pick = w.Dropdown(options=list(self.networks), description="network",
                          layout=w.Layout(width="340px"))
        body = w.VBox()
        pick.observe(lambda _ch: draw(pick.value, body), "value")
        draw(pick.value, body)
        return w.VBox([pick, body])

    def _adjacency(self) -> w.Widget:
        def draw(n: str, body: w.VBox) -> None:
            f = self.networks[n]
            body.children = [ZoomHeatmap(f, f"Adjacency (pooled): {n}")
                             if len(f) > pictures.MAX_CELLS else
                             PlotBox(figures.adjacency_heatmap(f, f"Adjacency matrix: {n}"))]
        return self._picker(draw)

    def _distributions(self) -> w.Widget:
        nets = {n: self.networks[n] for n in list(self.networks)[:2]}
        if self.pooled:
            return distributions(nets)
        return w.VBox([PlotBox(figures.degree_histogram(nets)), PlotBox(figures.weight_histogram(nets))])

    def _edges(self) -> w.Widget:
        def draw(n: str, body: w.VBox) -> None:
            f = self.networks[n]
            body.children = [EdgePages(f, n) if len(f) > pictures.MAX_CELLS else
                             SortableTable(edge_table(f), f"{n}_edges.csv")]
        return self._picker(draw)
