"""Results views of large networks: the browser gets pictures, not matrices.

A network of more than :data:`LARGE_NODES` nodes (5,000 nodes: 200 MB; 20,000:
3.2 GB) is never sent to the page, nor loaded whole into the kernel to draw
it: the views read it from the results store a block at a time
(:class:`~renette_widgets.io.arrays.StoredMatrix`; a network held in memory,
e.g. a job's input, is read the same way):

- a pooled heatmap (at most 600 x 600 cells, float32, in a clustered order)
  that is read again at a finer resolution where the user zooms
  (:class:`ZoomHeatmap`);
- the network of its strongest edges, with a control for how many
  (:class:`TopEdgesView`, at most ``figures.large.MAX_EDGES``);
- an edge table that pages through the strongest edges, or through one node's
  edges (its row, read from the store) (:class:`EdgePages`);
- strength and edge-weight histograms counted in the kernel, a block at a
  time (the browser gets the bins).

Why 2,000 nodes: the rich view (:class:`~renette_widgets.widgets.networks.NetworkExplorer`)
lays out every node; measured in ``benchmarks/RESULTS.md`` ("Dashboard at
scale"), it stays under about 2 s up to 2,000 nodes and doubles by 3,000.
"""
from __future__ import annotations

import html
import math
import secrets
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import anywidget
import ipywidgets as w
import numpy as np
import pandas as pd
import traitlets as t

from ..figures import large as pictures
from ..io.arrays import SLICE_ROWS, read_rows, row_blocks, top_edges
from .common import ErrorBox, LazyDownloads, LazyTabs, PlotBox, guarded

#: Networks with more nodes than this get the views of this module.
LARGE_NODES = 2000
#: Strongest edges the edge table pages through (and the CSV download holds).
TABLE_EDGES = 10_000
#: Strongest edges drawn at first in the network view.
SHOWN_EDGES = 1000
#: Bins of the weight histogram.
WEIGHT_BINS = 40
#: One background pass over a large network at a time (the strongest edges, a
#: density): two at once only slow each other, and the page drawing, on a small machine.
PASSES = threading.Lock()
_ZOOM_ESM = (Path(__file__).resolve().parent / "js" / "zoom.js").read_text(encoding="utf-8")


def is_large(m: Any) -> bool:
    """Whether a network is drawn by this module's views (more than ``LARGE_NODES`` nodes)."""
    return int(m.shape[0]) > LARGE_NODES


def names_of(m: Any) -> tuple[list[str], list[str]]:
    """Row and column names of a DataFrame or a stored matrix."""
    if isinstance(m, pd.DataFrame):
        return [str(n) for n in m.index], [str(n) for n in m.columns]
    return list(m.rows), list(m.cols)


def blocks_of(m: Any) -> Iterator[tuple[int, np.ndarray]]:
    """``(first row, block)`` over a matrix, about 32 MB at a time (from the store
    when it is stored: the whole never sits in memory)."""
    n, p = m.shape
    for a, b in row_blocks(n, read_rows(p)):
        block = m.block(slice(a, b)) if hasattr(m, "block") else m.iloc[a:b].to_numpy(dtype=float)
        yield a, block


def upper_weight_slices(a: int, block: np.ndarray) -> Iterator[np.ndarray]:
    """:func:`upper_weights` of a block in slices of :data:`SLICE_ROWS` rows."""
    for s in range(0, block.shape[0], SLICE_ROWS):
        yield upper_weights(a + s, block[s:s + SLICE_ROWS])


def upper_weights(a: int, block: np.ndarray) -> np.ndarray:
    """Non-zero weights of pairs i < j among rows ``a..`` of a block (each edge once)."""
    rows = np.arange(a, a + block.shape[0])[:, None]
    w = block[np.arange(block.shape[1])[None, :] > rows]
    return w[w != 0]


def strengths(m: Any) -> np.ndarray:
    """Each node's strength (row sum without the diagonal), a block at a time."""
    out = np.empty(m.shape[0])
    for a, block in blocks_of(m):
        diag = block[np.arange(block.shape[0]), np.arange(a, a + block.shape[0])]
        out[a:a + block.shape[0]] = block.sum(axis=1) - diag
    return out


def weight_counts(m: Any, bins: int = WEIGHT_BINS) -> tuple[np.ndarray, np.ndarray]:
    """Histogram (counts, bin edges) of the non-zero edge weights, two passes of blocks."""
    lo, hi = np.inf, -np.inf
    for a, block in blocks_of(m):
        for weights in upper_weight_slices(a, block):
            if len(weights):
                lo, hi = min(lo, weights.min()), max(hi, weights.max())
    if not np.isfinite(lo):
        lo, hi = 0.0, 1.0
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    counts = np.zeros(bins, dtype=np.int64)
    for a, block in blocks_of(m):
        for weights in upper_weight_slices(a, block):
            counts += np.histogram(weights, bins=edges)[0]
    return counts, edges


def density(m: Any) -> float:
    """Fraction of the possible edges (i != j) with a non-zero weight, a block at a time."""
    n = m.shape[0]
    nonzero = 0
    for a, block in blocks_of(m):
        diag = block[np.arange(block.shape[0]), np.arange(a, a + block.shape[0])]
        nonzero += int(np.count_nonzero(block)) - int(np.count_nonzero(diag))
    return nonzero / max(n * (n - 1), 1)


class ZoomWatch(anywidget.AnyWidget):
    """Tells the kernel where the user zoomed the heatmap drawn beside it (in the
    box of class ``target``); no picture of its own (``js/zoom.js``)."""

    _esm = _ZOOM_ESM
    target = t.Unicode("").tag(sync=True)

    def __init__(self, target: str, on_zoom: Callable[[dict], None]) -> None:
        super().__init__(target=target)
        self.on_msg(lambda _widget, content, _buffers: on_zoom(content))


class ZoomHeatmap(w.VBox):
    """A large network's heatmap, pooled, in clustered order; a zoom reads that
    region again at a finer resolution (down to single nodes, named).

    The clustered order is the order of an average-linkage clustering of the
    first picture's cells, each cell's nodes in their own order; a zoom keeps
    it, so the picture does not reshuffle under the user.

    Parameters
    ----------
    m : StoredMatrix or DataFrame
        A square network.
    title : str
        The figure's title.
    """

    def __init__(self, m: Any, title: str) -> None:
        self.m, self.title = m, title
        self.n = int(m.shape[0])
        self.errors = ErrorBox()
        values, rows, cols = pictures.pool(m, pictures.MAX_CELLS)
        f = max(1, math.ceil(max(m.shape) / pictures.MAX_CELLS))
        square = m.shape[0] == m.shape[1] and len(rows) == len(cols)
        order = pictures.cluster_order(values) if square else np.arange(len(rows))
        # nodes in display order: each cell's nodes, the cells in clustered order
        self.order = np.concatenate([np.arange(c * f, min((c + 1) * f, self.n)) for c in order])
        sizes = np.array([min((c + 1) * f, self.n) - c * f for c in order])
        self._whole = (values[np.ix_(order, order)] if square else values,
                       [rows[i] for i in order], [cols[i] for i in order],
                       np.concatenate([[0], np.cumsum(sizes)]))
        self.region = (0, self.n, 0, self.n)
        self.bounds = (self._whole[3], self._whole[3])
        self.target = f"renette-zoom-{secrets.token_hex(6)}"
        self.plot = PlotBox()
        self.readout = w.HTML()
        self.readout.add_class("renette-zoom-readout")
        self.whole = w.Button(description="whole matrix", icon="expand",
                              layout=w.Layout(width="auto", flex="0 0 auto"))
        self.whole.on_click(guarded(self.errors)(lambda _b: self.show_whole()))
        self.watch = ZoomWatch(self.target, guarded(self.errors)(self.asked))
        super().__init__([w.HBox([self.readout, self.whole], layout=w.Layout(align_items="center")),
                          self.errors, self.plot, self.watch])
        self.add_class(self.target)
        self.add_class("renette-zoom")
        self.show_whole()

    # ------------------------------------------------------------ what is shown
    def show_whole(self) -> None:
        """The whole matrix, as first drawn (no second read)."""
        z, rows, cols, bounds = self._whole
        self.region, self.bounds = (0, self.n, 0, self.n), (bounds, bounds)
        self._draw(z, rows, cols)

    def show(self, a: int, b: int, c: int, d: int) -> None:
        """Rows ``a:b`` and columns ``c:d`` of the display order, read from the store
        and pooled to at most ``MAX_CELLS`` cells a side."""
        a, c = max(0, int(a)), max(0, int(c))
        b, d = min(self.n, int(b)), min(self.n, int(d))
        if b <= a or d <= c:
            return
        if (a, b, c, d) == (0, self.n, 0, self.n):
            self.show_whole()
            return
        z, rows, cols = pictures.pool(self.m, pictures.MAX_CELLS,
                                      region=(self.order[a:b], self.order[c:d]))
        f = max(1, math.ceil(max(b - a, d - c) / pictures.MAX_CELLS))
        self.region = (a, b, c, d)
        self.bounds = (np.append(np.arange(a, b, f), b), np.append(np.arange(c, d, f), d))
        self._draw(z, rows, cols)

    def asked(self, message: dict) -> None:
        """A zoom in the page (``{"type": "zoom", "x": [..], "y": [..]}`` in cells of
        the picture shown) or a request for the whole (``{"type": "reset"}``)."""
        if message.get("type") == "reset":
            if self.region != (0, self.n, 0, self.n):
                self.show_whole()
            return
        if message.get("type") != "zoom":
            return
        rows, cols = self.bounds
        i0, i1 = _cells(message.get("y"), len(rows) - 1)
        j0, j1 = _cells(message.get("x"), len(cols) - 1)
        if i1 < i0 or j1 < j0:
            return
        self.show(rows[i0], rows[i1 + 1], cols[j0], cols[j1 + 1])

    def _draw(self, z: np.ndarray, rows: list[str], cols: list[str]) -> None:
        a, b, c, d = self.region
        f = max(1, math.ceil(max(b - a, d - c) / pictures.MAX_CELLS))
        whole = (a, b, c, d) == (0, self.n, 0, self.n)
        where = (f"all {self.n:,} nodes" if whole else
                 f"rows {a + 1:,}-{b:,} and columns {c + 1:,}-{d:,} of {self.n:,} nodes")
        cells = f"cells of {f} × {f} nodes (mean weight)" if f > 1 else "one cell a node"
        self.readout.value = (f"<span style='font-size:12px;color:#444'>{where}, clustered "
                              f"order; {cells}. Drag a box to zoom in (read again at a finer "
                              "resolution); double-click for the whole matrix.</span>")
        self.whole.layout.display = "none" if whole else None
        self.plot.show(pictures.cell_heatmap(z, rows, cols, self.title,
                                             f"{where} in clustered order, {cells}"))


def _cells(span: Any, last: int) -> tuple[int, int]:
    """The cells (first, last index) a plotly category range covers."""
    try:
        lo, hi = sorted(float(v) for v in span)
    except (TypeError, ValueError):
        return 0, -1
    return max(0, math.floor(lo + 0.5)), min(last, math.ceil(hi - 0.5))


class TopEdgesView(w.VBox):
    """The network of a large network's strongest edges, with how many to draw.

    The strongest ``MAX_EDGES`` are read once (one pass over the store); fewer
    are the first of those. With ``background``, they are read in a thread,
    so that the page shows the heatmap beside it meanwhile (``wait()`` joins).
    """

    def __init__(self, m: Any, name: str, edges: int | None = None,
                 background: bool = False) -> None:
        self.m, self.name, self.wanted = m, name, edges or SHOWN_EDGES
        self.edges = pd.DataFrame({"node 1": [], "node 2": [], "weight": []})
        self.errors = ErrorBox()
        self.count = w.IntSlider(value=1, min=0, max=1, step=10, continuous_update=False,
                                 description="edges shown", disabled=True,
                                 style={"description_width": "90px"},
                                 layout=w.Layout(width="420px"))
        self.readout = w.HTML("<span style='font-size:12px;color:#777'>reading the strongest "
                              "edges from the results store…</span>")
        self.readout.add_class("renette-top-edges")
        self.plot = PlotBox()
        super().__init__([w.HBox([self.count, self.readout], layout=w.Layout(align_items="center")),
                          self.errors, self.plot])
        self._thread = threading.Thread(target=guarded(self.errors)(self._load), daemon=True,
                                        name="renette-top-edges")
        if background:
            self._thread.start()
        else:
            self._thread.run()

    def wait(self, timeout: float | None = None) -> None:
        """Until the strongest edges are read and drawn."""
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _load(self) -> None:
        with PASSES:
            self.edges = top_edges(self.m, pictures.MAX_EDGES)
        top = max(1, len(self.edges))
        self.count.max = top  # before min: min may not pass max
        self.count.min = min(10, top)
        self.count.value = min(self.wanted, top)
        self.count.disabled = False
        self.count.observe(self.draw, "value")
        self.draw()

    def shown(self) -> pd.DataFrame:
        """The edges drawn: the strongest ``count``."""
        return self.edges.head(int(self.count.value))

    def draw(self, _change: dict | None = None) -> None:
        """Redraw from the slider."""
        edges = self.shown()
        cut = float(np.abs(edges["weight"]).min()) if len(edges) else 0.0
        self.readout.value = (f"<span style='font-size:12px'>the {len(edges):,} strongest edges "
                              f"(|weight| &ge; {cut:.3g})</span>")
        if len(edges):
            self.plot.show(pictures.top_edge_network(edges, f"Strongest edges: {self.name}",
                                                     n_nodes=self.m.shape[0]))


class EdgePages(w.VBox):
    """A large network's edges, a page at a time: its strongest ``TABLE_EDGES``
    (read once from the store), or one node's edges (its row), strongest first."""

    def __init__(self, m: Any, name: str) -> None:
        self.m, self.name = m, name
        self.names = names_of(m)
        self._top: pd.DataFrame | None = None
        self.errors = ErrorBox()
        self.node = w.Combobox(options=self.names[0], placeholder="a node's edges (name)",
                               ensure_option=True, description="node",
                               layout=w.Layout(width="300px"))
        self.size = w.Dropdown(options=[25, 50, 100], value=25, description="rows",
                               layout=w.Layout(width="140px"))
        self.page = w.BoundedIntText(value=1, min=1, max=1, description="page",
                                     layout=w.Layout(width="150px"))
        self.previous = w.Button(icon="chevron-left", layout=w.Layout(width="40px"))
        self.next = w.Button(icon="chevron-right", layout=w.Layout(width="40px"))
        self.readout = w.HTML()
        self.table = w.HTML()
        self.table.add_class("renette-edge-pages")
        self.previous.on_click(guarded(self.errors)(lambda _b: self._step(-1)))
        self.next.on_click(guarded(self.errors)(lambda _b: self._step(1)))
        draw = guarded(self.errors)(self.draw)
        self.page.observe(lambda _ch: draw(), "value")
        self.size.observe(lambda _ch: self._restart(), "value")
        self.node.observe(lambda _ch: self._restart(), "value")
        self.downloads = LazyDownloads({f"{name}_edges.csv": lambda: self.rows().to_csv(index=False)},
                                       "prepare the edges listed (CSV)")
        super().__init__([w.HBox([self.node, self.size, self.previous, self.page, self.next],
                                 layout=w.Layout(align_items="center")),
                          self.errors, self.readout, self.table, self.downloads])
        draw()

    def rows(self) -> pd.DataFrame:
        """Every row listed: the node's edges when a node is chosen, else the strongest."""
        node = self.node.value
        if node:
            row = (self.m.row(node) if hasattr(self.m, "row") else self.m.loc[node]).astype(float)
            row = row[(row != 0) & (row.index.astype(str) != node)]
            row = row.iloc[np.argsort(-np.abs(row.to_numpy()), kind="stable")]
            return pd.DataFrame({"node 1": node, "node 2": row.index.astype(str),
                                 "weight": row.to_numpy()})
        if self._top is None:
            self._top = top_edges(self.m, TABLE_EDGES)
        return self._top

    def _restart(self) -> None:
        self.downloads.links.value = ""
        self.downloads.button.layout.display = None
        if self.page.value != 1:
            self.page.value = 1  # draws
        else:
            guarded(self.errors)(self.draw)()

    def _step(self, by: int) -> None:
        self.page.value = min(max(1, self.page.value + by), self.page.max)

    def draw(self) -> None:
        """Show the page asked for."""
        rows = self.rows()
        size = int(self.size.value)
        pages = max(1, math.ceil(len(rows) / size))
        self.page.max = pages
        page = min(self.page.value, pages)
        shown = rows.iloc[(page - 1) * size:page * size]
        n = self.m.shape[0]
        what = (f"the edges of <b>{html.escape(self.node.value)}</b> ({len(rows):,}, strongest "
                "first, read from its row)" if self.node.value else
                f"the {len(rows):,} strongest of the {n * (n - 1) // 2:,} pairs")
        first = (page - 1) * size + 1 if len(rows) else 0
        self.readout.value = (f"<span style='font-size:12px'>rows {first:,}-"
                              f"{(page - 1) * size + len(shown):,} of {what}; page {page} of "
                              f"{pages:,}</span>")
        self.table.value = shown.to_html(index=False, border=0, classes="renette-table",
                                         float_format=lambda v: f"{v:.6g}")


class LargeNetworks:
    """The pages of the network views of large networks (one at a time, chosen in a list).

    Parameters
    ----------
    networks : dict of name to StoredMatrix or DataFrame
    stem : str
        File names' stem.
    edges : int, optional
        Strongest edges drawn at first.
    """

    def __init__(self, networks: dict[str, Any], stem: str = "networks",
                 edges: int | None = None) -> None:
        self.networks, self.stem, self.edges = networks, stem, edges
        self._overviews: dict[str, w.Widget] = {}

    def tabs(self) -> LazyTabs:
        """Overview (heatmap and strongest edges), edge table, distributions."""
        return LazyTabs([("Overview", self._overview), ("Edges table", self._edge_pages),
                         ("Distributions", self._distributions)])

    def note(self) -> w.HTML:
        """What the page shows of a large network, and where the whole is."""
        n = max(int(m.shape[0]) for m in self.networks.values())
        return w.HTML(
            "<div class='renette-large-note' style='font-size:12px;color:#444;max-width:1100px'>"
            f"Networks of more than {LARGE_NODES:,} nodes (here up to {n:,}) are shown as pictures "
            "read from the results store: the matrix pooled into cells (zoom in to read a region "
            "at a finer resolution), its strongest edges, and its edges a page at a time. The "
            "whole matrix stays on the server, in the job's folder (the job's zip holds it); "
            "<code>renette export &lt;job id&gt; -o out/</code> writes a job's networks as "
            "text (CSV, or GraphML of their strongest edges).</div>")

    def downloads(self) -> LazyDownloads:
        """The strongest edges of each network as CSV (the whole matrix is not sent)."""
        return LazyDownloads(
            {f"{self.stem}_{name}_top_edges.csv":
             (lambda m=m: top_edges(m, TABLE_EDGES).to_csv(index=False))
             for name, m in self.networks.items()},
            f"prepare downloads (CSV: the {TABLE_EDGES:,} strongest edges of each network)")

    def _picker(self, build: Callable[[str], w.Widget]) -> w.VBox:
        pick = w.Dropdown(options=list(self.networks), description="network",
                          layout=w.Layout(width="420px"))
        body = w.VBox()
        errors = ErrorBox()

        def draw(_change: dict | None = None) -> None:
            body.children = [build(pick.value)]
        pick.observe(guarded(errors)(draw), "value")
        guarded(errors)(draw)()
        return w.VBox([pick, errors, body])

    def _overview(self) -> w.Widget:
        def build(name: str) -> w.Widget:
            if name not in self._overviews:
                m = self.networks[name]
                # the strongest edges are read (in a thread) while the heatmap is pooled
                # and drawn: two passes over the store at once, on two cores
                net = TopEdgesView(m, name, self.edges, background=True)
                heat = ZoomHeatmap(m, f"Adjacency (pooled): {name}")
                heat.layout = w.Layout(width="50%", min_width="480px")
                net.layout = w.Layout(width="50%", min_width="480px")
                self._overviews[name] = w.HBox([heat, net], layout=w.Layout(flex_flow="row wrap"))
            return self._overviews[name]
        return self._picker(build)

    def _edge_pages(self) -> w.Widget:
        return self._picker(lambda name: EdgePages(self.networks[name], name))

    def _distributions(self) -> w.Widget:
        return distributions(self.networks)


def distributions(networks: dict[str, Any]) -> w.VBox:
    """Strength and edge-weight histograms of (the first two) networks, counted here a
    block at a time: the browser gets the bins, not the n^2 / 2 weights."""
    shown = dict(list(networks.items())[:2])
    counts, edges = {}, None
    for name, m in shown.items():
        c, e = weight_counts(m)
        if edges is None or np.array_equal(e, edges):
            counts[name], edges = c, e
        else:  # on one set of bins: count again on the bins of both
            edges = np.linspace(min(edges[0], e[0]), max(edges[-1], e[-1]), WEIGHT_BINS + 1)
            counts = {k: _recount(shown[k], edges) for k in [*counts, name]}
    strength = {name: strengths(m) for name, m in shown.items()}
    s_edges = np.histogram_bin_edges(np.concatenate(list(strength.values())), bins=30)
    s_counts = {name: np.histogram(s, bins=s_edges)[0] for name, s in strength.items()}
    return w.VBox([
        PlotBox(pictures.binned_histogram(s_counts, s_edges, "Node strength distribution",
                                          "strength (sum of edge weights)", "nodes")),
        PlotBox(pictures.binned_histogram(counts, edges, "Edge weight distribution",
                                          "edge weight", "edges"))])


def _recount(m: Any, edges: np.ndarray) -> np.ndarray:
    counts = np.zeros(len(edges) - 1, dtype=np.int64)
    for a, block in blocks_of(m):
        for weights in upper_weight_slices(a, block):
            counts += np.histogram(weights, bins=edges)[0]
    return counts
