"""Statistics panel: node and network statistics of any network, after keeping the
edges that matter; and the statistics workflow's results view."""
from __future__ import annotations

import threading
import weakref
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from .. import figures
from . import large
from .common import LazyDownloads, LazyTabs, PlotBox, SortableTable, frame_html, guarded
from .networks import NetworksView
from .runner import NetworksRunPanel
from .session import Session


class StatisticsPanel(NetworksRunPanel):
    """Degree, strength, centralities, communities... of the chosen networks.

    Only the value of the chosen threshold is shown. Choosing a dense network
    (more than half of the possible edges) while every edge is counted switches
    to the strongest 5 % of the edges, with a note: every degree would be n - 1.
    """

    workflow = "statistics"

    def __init__(self, session: Session) -> None:
        super().__init__(
            session,
            "Node statistics (degree, strength, betweenness, closeness, clustering coefficient, "
            "PageRank, eigenvector and alpha centrality, eccentricity, community) and network "
            "statistics (density, total weight, modularity, radius, ...) of each chosen network, "
            "on the edges counted.",
            "Compute statistics")
        self.reading: threading.Thread | None = None  # densities of stored networks
        self.networks.observe(self._dense, "value")
        self._dense()

    def _dense(self, _change: dict | None = None) -> None:
        if self.form["threshold"].value != "none":
            return
        chosen = [n for n in self.networks.value if n in self.session.networks]
        unread = [n for n in chosen if not known_density(self.session.networks[n])]
        if unread:
            # A network kept in the store (a large inferred one) is read a block at a
            # time, in a thread: it is chosen as a job ends, when the page is busy
            # drawing that job's results. This runs again once it is read.
            self.reading = threading.Thread(
                target=guarded(self.errors)(self._read_densities),
                args=([self.session.networks[n] for n in unread],), daemon=True,
                name="renette-density")
            self.reading.start()
            chosen = [n for n in chosen if n not in unread]
        dense = [n for n in chosen if density(self.session.networks[n]) > 0.5]
        if dense:
            self.form["threshold"].value = "density"
            self.notice.value = (f"<span style='color:#8a5a00'>{dense[0]} links "
                                 f"{density(self.session.networks[dense[0]]):.0%} of all node pairs: "
                                 "only its strongest edges are counted (choose 'all edges' to "
                                 "count every one).</span>")


    def _read_densities(self, networks: list[Any]) -> None:
        for m in networks:
            density(m)
        self._dense()


#: Densities of stored networks (read a block at a time once: they do not change).
_STORED_DENSITY: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()


def known_density(a: Any) -> bool:
    """Whether :func:`density` answers at once (a DataFrame, or a stored network read before)."""
    return isinstance(a, pd.DataFrame) or a in _STORED_DENSITY


def density(a: Any) -> float:
    """Fraction of the possible edges (i != j) with a non-zero weight (a network kept
    in the store is read a block at a time, once)."""
    if not isinstance(a, pd.DataFrame):
        if a not in _STORED_DENSITY:
            with large.PASSES:
                _STORED_DENSITY[a] = large.density(a)
        return _STORED_DENSITY[a]
    m = a.to_numpy(dtype=float)
    n = len(m)
    return float(np.count_nonzero(m - np.diag(np.diag(m)))) / max(n * (n - 1), 1)


#: How the statistics' node measures use weights (shown in the view's headers).
WEIGHTED = ("strength", "pagerank", "eigenvector", "alpha", "clustering_weighted")
UNWEIGHTED = ("degree", "eccentricity", "betweenness", "closeness", "clustering")


def labelled(nodes: pd.DataFrame) -> pd.DataFrame:
    """The node table with each measure's header saying whether it is weighted."""
    return nodes.rename(columns={**{c: f"{c} (weighted)" for c in WEIGHTED},
                                 **{c: f"{c} (unweighted)" for c in UNWEIGHTED}})


class StatisticsView(w.VBox):
    """Network and node statistics of each network, a histogram of any node
    statistic, and (given the networks) the network view of the edges counted."""

    def __init__(self, result: dict, stem: str = "statistics", params: dict | None = None,
                 inputs: dict | None = None) -> None:
        self.result, self.params = result, params or {}
        self.network = w.Dropdown(options=list(result), description="network",
                                  layout=w.Layout(width="420px"))
        self.column = w.Dropdown(description="histogram of", style={"description_width": "100px"},
                                 layout=w.Layout(width="360px"))
        self.advice = w.HTML()
        self.summary = w.HTML()
        self.nodes = w.VBox()
        self.hist = PlotBox()
        self.network.observe(self._draw, "value")
        self.column.observe(self._draw_hist, "value")
        self._draw()
        pages = [("Tables", lambda: w.VBox([
            w.HTML("<b>Network statistics</b>"), self.summary,
            w.HTML("<b>Node statistics</b> <span style='color:#555'>(weighted measures use "
                   "the weights of the edges counted; unweighted ones count those edges; "
                   "betweenness and closeness in hops)</span>"), self.nodes])),
                 ("Histogram", lambda: w.VBox([self.column, self.hist]))]
        if inputs:
            pages.append(("Network view", lambda: self._network_view(inputs, stem)))
        self.downloads = LazyDownloads(
            {f"{stem}_{n}_{part}.csv": (lambda t=t, part=part: t[part].to_csv(index=False))
             for n, t in result.items() for part in ("nodes", "network")})
        super().__init__([self.network, self.advice, LazyTabs(pages), self.downloads])

    def _draw(self, _change: dict | None = None) -> None:
        tables = self.result[self.network.value]
        net = tables["network"]
        self.summary.value = frame_html(net, max_rows=50)
        self.advice.value = self._advice(net)
        nodes = tables["nodes"]
        self.nodes.children = [SortableTable(labelled(nodes), f"{self.network.value}_nodes.csv")]
        numeric = [str(c) for c in nodes.columns
                   if pd.api.types.is_numeric_dtype(nodes[c]) and str(c) != "node"]
        self.column.options = numeric
        # ipywidgets keeps value None after new options: choose one (degree if there is one).
        self.column.value = "degree" if "degree" in numeric else (numeric[0] if numeric else None)
        self._draw_hist()

    def _advice(self, net: pd.DataFrame) -> str:
        """A warning when the statistics describe an (almost) complete network."""
        density = float(net["density"].iloc[0]) if "density" in net else 0.0
        if density < 0.5:
            return ""
        return ("<div class='renette-advice' style='color:#8a5a00'>&#9888; Density "
                f"{density:.2f}: almost every pair of nodes is linked, so degree, density, "
                "betweenness and clustering say little. Run the statistics again with "
                "<i>edges counted</i> set to a weight cut, the k strongest edges per node or a "
                "target density (e.g. 0.05).</div>")

    def _draw_hist(self, _change: dict | None = None) -> None:
        col = self.column.value
        if col is None:
            return
        self.hist.show(figures.value_histogram(self.result[self.network.value]["nodes"][col],
                                               f"{col} of the nodes of {self.network.value}",
                                               str(col)))

    def _network_view(self, inputs: dict, stem: str) -> w.Widget:
        """The networks with the edges the statistics counted (the same number)."""
        kept = {n: int(t["network"]["n_edges"].iloc[0]) for n, t in self.result.items()
                if "n_edges" in t["network"]}
        edges = min(kept.values()) if kept else None
        return NetworksView({n: inputs[n] for n in self.result if n in inputs}, stem, edges=edges)
