"""Differential panel (conditions, method, adjustment, FDR) and its results view.

The view reads the stored pair table with filters: only the significant or
top pairs (at most ``MAX_ROWS``) and a sample of the others (the volcano's
background) reach the browser, however many pairs a job has.
"""
from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import workflows
from ..errors import InputError
from ..figures import distance_heatmap
from ..figures.differential import (CLASS_COLOURS, CLASS_MEANING, class_counts,
                                    differential_network, node_ranking, summary_counts, volcano)
from ..io.params import method_specs
from ..workflows.differential import write_graphml
from .common import (ErrorBox, LazyDownloads, LazyTabs, PlotBox, SortableTable, download_link,
                     frame_html, guarded)
from .form import OnDemand, ParamForm
from .inference import method_guide
from .runner import RunPanel, select_options
from .session import Session

#: Most pairs read into the page at once (the table pages through them).
MAX_ROWS = 5000
#: Pairs drawn behind the significant ones in the volcano plot (a seeded sample).
VOLCANO_SAMPLE = 3000
#: Pairs drawn at first in the differential network view, and at most.
NETWORK_EDGES, MAX_NETWORK_EDGES = 200, 2000
#: Most significant pairs in a CSV download (a data URI in the page).
MAX_DOWNLOAD = 100_000
PAIR_COLUMNS = ["var1", "var2", "r_A", "p_A", "r_B", "p_B", "z_diff", "p_diff", "q_diff", "class"]

GUIDE = (
    "<div class='renette-guide' style='font-size:12px;color:#333;max-width:1100px;line-height:1.4;"
    "border-left:3px solid #d62728;padding-left:8px;margin:4px 0'><b>Reading a differential "
    "analysis</b>: each pair of variables is correlated in both conditions; <b>z</b> is the "
    "Fisher z difference (positive: more correlated in the second condition) and <b>q</b> its "
    "false discovery rate over all pairs. The <b>class</b> says what happens to the pair: "
    "<i>+/0</i> a positive correlation in A lost in B, <i>0/+</i> one that appears in B, "
    "<i>-/+</i> a sign change (each sign where that correlation is significant, else 0). "
    "Nodes are ranked by <b>d</b>, how much their connections change, with a permutation q; "
    "<b>share of H</b> is their part of the Hamming distance between the two networks.</div>")


class DifferentialPanel(RunPanel):
    """Two or more data matrices (conditions), the edge-level test and the node level."""

    workflow = "differential"

    def __init__(self, session: Session) -> None:
        self.data = w.SelectMultiple(description="conditions", rows=6,
                                     style={"description_width": "90px"},
                                     layout=w.Layout(width="460px"))
        self.data.add_class("renette-differential-data")
        self.form = ParamForm(workflows.get(self.workflow).params)
        # cor networks use the edge level's correlation: no second choice of it
        self.method_forms = OnDemand(  # each made when its method is chosen
            lambda m: ParamForm(method_specs(m), skip=("method",) if m == "cor" else ()))
        self.guide = w.HTML()
        self.sets = w.Combobox(options=["modules"], placeholder="none", description="gene sets",
                               style={"description_width": "90px"},
                               layout=w.Layout(width="420px"))
        self.sets.add_class("renette-differential-sets")
        self.method_area = w.VBox()
        self.form["node_method"].observe(self._show_method, "value")
        self._show_method()
        rows = self.form.rows
        column = (lambda title, names, *more: w.VBox(
            [w.HTML(f"<b>{title}</b>")] + [rows[n] for n in names] + list(more)))
        super().__init__(session, [
            w.HTML("Which pairs of variables and which nodes change between conditions? Choose two "
                   "or more data matrices on the same variables (ctrl/shift-click): every pair of "
                   "conditions is compared, in the order chosen here (A vs B)."),
            self.data,
            w.HBox([column("Pairs (edge level)", ("method", "adjust", "n_perm", "seed",
                                                  "cor_cutoff", "cor_alpha", "fdr")),
                    column("Nodes (node level)", ("node_method",), self.guide, self.method_area,
                           rows["lp"], rows["node_perm"]),
                    column("Across conditions", ("threshold", "top_variance", "keep", "keep_q",
                                                 "distances"),
                           w.HTML("<b>Gene sets</b>: a GMT or two-column CSV (set, gene) file "
                                  "on the server, or <i>modules</i> (of the pooled network)"),
                           self.sets)],
                   layout=w.Layout(flex_flow="row wrap", justify_content="space-between")),
        ], "Run differential analysis")

    def refresh_inputs(self) -> None:
        select_options(self.data, list(self.session.data))

    def _show_method(self, _change: dict | None = None) -> None:
        method = self.form["node_method"].value
        self.method_area.children = [self.method_forms[method]]
        self.guide.value = method_guide([method])

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        chosen = list(self.data.value)
        if len(chosen) < 2:
            raise InputError(f"{len(chosen)} condition(s) chosen; a differential analysis "
                             "compares at least two.",
                             hint="Load data in the Inputs tab (or the example data), then "
                                  "select two or more data matrices here.")
        params = self.form.values()
        params["node_method_params"] = self.method_forms[params["node_method"]].values()
        if self.sets.value.strip():
            params["sets"] = self.sets.value.strip()
        return {n: self.session.data[n] for n in chosen}, params


def classes_legend() -> str:
    """The classes and their colours, in words."""
    return "".join(f"<span style='margin-right:10px;white-space:nowrap'><span style='color:{c}'>"
                   f"&#9632;</span> <b>{html.escape(k)}</b> {html.escape(CLASS_MEANING[k])}</span>"
                   for k, c in CLASS_COLOURS.items())


class PairsBrowser(w.VBox):
    """The pairs of a comparison: filters (q, classes, a node), a sort, pages of rows.

    At most ``MAX_ROWS`` pairs are read from the stored table (the best by the
    chosen sort); the page shows ``page size`` of them at a time.
    """

    def __init__(self, table: Any, names: list[str], fdr: float, a: str, b: str,
                 filename: str) -> None:
        self.table, self.filename, self.a, self.b = table, filename, a, b
        self.errors = ErrorBox()
        self.q_max = w.BoundedFloatText(value=fdr, min=0, max=1, step=0.01, description="q at most",
                                        layout=w.Layout(width="200px"))
        self.classes = w.SelectMultiple(options=list(CLASS_COLOURS), value=tuple(CLASS_COLOURS),
                                        rows=5, description="classes",
                                        layout=w.Layout(width="200px"))
        self.node = w.Combobox(options=list(names), placeholder="all nodes", ensure_option=True,
                               description="node", layout=w.Layout(width="240px"))
        self.sort = w.Dropdown(options=[("q (lowest first)", "q_diff"), ("|z| (largest first)", "|z_diff|"),
                                        ("z (largest first)", "z_diff"), ("r in A", "r_A"),
                                        ("r in B", "r_B")],
                               description="sort by", layout=w.Layout(width="240px"))
        self.size = w.Dropdown(options=[10, 25, 50, 100], value=25, description="rows",
                               layout=w.Layout(width="140px"))
        self.prev = w.Button(description="◀ previous", layout=w.Layout(width="110px"))
        self.next = w.Button(description="next ▶", layout=w.Layout(width="110px"))
        self.where = w.HTML()
        self.where.add_class("renette-pairs-count")
        self.html = w.HTML()
        self.html.add_class("renette-pairs")
        self.link = w.HTML()
        self.csv = w.Button(description="CSV of these pairs", icon="download",
                            layout=w.Layout(width="auto"))
        self.page = 0
        self.rows = pd.DataFrame()
        for control in (self.q_max, self.classes, self.node, self.sort):
            control.observe(guarded(self.errors)(self.load), "value")
        self.size.observe(lambda _c: self.show(0), "value")
        self.prev.on_click(lambda _b: self.show(self.page - 1))
        self.next.on_click(lambda _b: self.show(self.page + 1))
        self.csv.on_click(guarded(self.errors)(self._csv))
        super().__init__([w.HBox([self.q_max, self.classes, w.VBox([self.node, self.sort])]),
                          w.HBox([self.prev, self.next, self.size, self.where]), self.html,
                          w.HBox([self.csv, self.link]), self.errors])
        self.load()

    def load(self, _change: dict | None = None) -> None:
        """Read the pairs the filters keep (the best ``MAX_ROWS``), back to page 1."""
        sort = self.sort.value
        self.rows = self.table.select(
            q_max=self.q_max.value, classes=list(self.classes.value),
            nodes=[self.node.value] if self.node.value else None, top=MAX_ROWS, sort=sort,
            descending=sort not in ("q_diff",))
        self.link.value = ""
        self.show(0)

    def show(self, page: int) -> None:
        """Draw page ``page`` (0-based) of the pairs read."""
        size = int(self.size.value)
        pages = max(1, -(-len(self.rows) // size))
        self.page = min(max(0, page), pages - 1)
        shown = self.rows.iloc[self.page * size:(self.page + 1) * size]
        capped = " (the first {:,}: narrow the filters to see others)".format(MAX_ROWS) \
            if len(self.rows) >= MAX_ROWS else ""
        first = self.page * size + 1 if len(self.rows) else 0
        self.where.value = (f"<span style='color:#555'>pairs {first}–{first + len(shown) - 1 if len(shown) else 0} "
                            f"of {len(self.rows):,}{capped} · page {self.page + 1} of {pages}</span>")
        self.prev.disabled, self.next.disabled = self.page == 0, self.page >= pages - 1
        table = shown.rename(columns={"r_A": f"r in {self.a}", "r_B": f"r in {self.b}",
                                      "p_A": f"p in {self.a}", "p_B": f"p in {self.b}"})
        self.html.value = ("<div style='overflow-x:auto'>" + table.to_html(
            index=False, border=0, classes="renette-table", float_format=lambda v: f"{v:.4g}")
            + "</div>")

    def _csv(self, _button=None) -> None:
        self.link.value = download_link(self.filename, self.rows.to_csv(index=False))


class DifferentialView(w.VBox):
    """Results of a differential analysis: per comparison its volcano plot, classes,
    pairs, nodes and differential network; the distances between the conditions'
    networks and the edges across conditions; downloads."""

    def __init__(self, result: Any, stem: str = "differential", params: dict | None = None) -> None:
        self.result, self.stem = result, stem
        self.fdr = float(result.params.get("fdr", 0.05))
        names = list(result.comparisons)
        self.choice = w.Dropdown(options=names, value=names[0], description="comparison",
                                 layout=w.Layout(width="480px",
                                                 display=None if len(names) > 1 else "none"))
        self.head = w.HTML()
        self.head.add_class("renette-differential")
        self.body = w.VBox()
        self.figs: dict[str, PlotBox] = {}
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
        self.choice.observe(self._show, "value")
        super().__init__([self.choice, self.head,
                          w.HTML(f"<ul style='color:#555;font-size:12px'>{notes}</ul>" if notes else ""),
                          w.HTML(GUIDE), self.body])
        self._show()

    def _show(self, _change: dict | None = None) -> None:
        c = self.result.comparison(self.choice.value)
        s = c.summary
        adjust = self.result.params.get("adjust", "BH")
        top = ", ".join(html.escape(str(n)) for n in c.nodes["node"].head(5))
        dist = (f"networks {html.escape(c.a)} and {html.escape(c.b)} at HIM = {s['HIM']:.3g} "
                f"(H = {s['H']:.3g}, IM = {s['IM']:.3g})" if s.get("HIM") == s.get("HIM")
                else "distances between the networks not computed")
        self.head.value = (
            f"<div style='font-size:15px'><b>{html.escape(c.name)}</b>: "
            f"<b>{s['n_significant']:,}</b> of {s['n_pairs']:,} pairs with q &le; {self.fdr:g} "
            f"({html.escape(str(adjust))}); {dist}; most rewired nodes: {top}</div>")
        tag = c.name.replace(" ", "_")
        pages = [("Volcano", lambda: self._volcano(c)),
                 ("Classes", lambda: w.VBox([self._plot("classes", class_counts(c.classes, self.fdr)),
                                             w.HTML(classes_legend())])),
                 ("Pairs", lambda: PairsBrowser(c.pairs, list(c.nodes["node"]), self.fdr, c.a, c.b,
                                                f"{self.stem}_{tag}_pairs.csv")),
                 ("Nodes", lambda: self._nodes(c, tag)),
                 ("Network", lambda: self._network(c)),
                 ("Conditions", self._conditions)]
        if getattr(c, "sets", None) is not None:
            pages.insert(4, ("Sets", lambda: SetsBrowser(c, self.fdr,
                                                         f"{self.stem}_{tag}_sets.csv")))
        self.tabs = LazyTabs(pages)
        self.body.children = [self.tabs, self._downloads(c, tag)]

    def _plot(self, key: str, fig) -> PlotBox:
        self.figs[key] = PlotBox(fig)
        return self.figs[key]

    def _volcano(self, c) -> w.Widget:
        cols = ["var1", "var2", "r_A", "r_B", "z_diff", "q_diff", "class"]
        best = c.pairs.select(top=MAX_ROWS, columns=cols)
        rest = c.pairs.sample(VOLCANO_SAMPLE, seed=0, columns=cols)
        rows = pd.concat([best, rest], ignore_index=True).drop_duplicates(["var1", "var2"])
        note = (f"<span style='color:#555;font-size:12px'>The {len(best):,} pairs of lowest q and "
                f"{len(rest):,} drawn at random of all {len(c.pairs):,}.</span>")
        return w.VBox([self._plot("volcano", volcano(rows, self.fdr, c.a, c.b)), w.HTML(note)])

    def _nodes(self, c, tag: str) -> w.Widget:
        return w.VBox([self._plot("nodes", node_ranking(c.nodes, 30, self.fdr)),
                       SortableTable(c.nodes, f"{self.stem}_{tag}_nodes.csv")])

    def _network(self, c) -> w.Widget:
        n_sig = int(c.summary["n_significant"])
        count = w.IntSlider(value=min(NETWORK_EDGES, max(n_sig, 1)), min=1,
                            max=max(1, min(MAX_NETWORK_EDGES, n_sig or MAX_NETWORK_EDGES)),
                            description="pairs shown", continuous_update=False,
                            layout=w.Layout(width="420px"))
        note = w.HTML()
        box = self._plot("network", differential_network(c.pairs.select(top=0), c.a, c.b))

        def draw(_change=None):
            if n_sig:
                rows = c.pairs.select(q_max=self.fdr, top=count.value, sort="|z_diff|",
                                      descending=True)
                note.value = (f"The {len(rows):,} significant pairs (q &le; {self.fdr:g}) of "
                              "largest |z|, coloured by class.")
            else:
                rows = c.pairs.select(top=count.value)
                note.value = (f"No pair has q &le; {self.fdr:g}: the {len(rows):,} pairs of "
                              "lowest q are shown.")
            box.show(differential_network(rows, c.a, c.b))
        count.observe(draw, "value")
        draw()
        return w.VBox([count, note, box])

    def _conditions(self) -> w.Widget:
        r = self.result
        computed = bool(r.HIM.notna().to_numpy().any())
        parts = [self._plot("him", distance_heatmap(r.HIM, "HIM distance between the "
                                                    "conditions' networks")) if computed
                 else w.HTML("H, IM and HIM between the conditions' networks were not "
                             "computed (see the notes above; <i>distances</i> computes them)."),
                 w.HTML("<b>H, IM, HIM</b> of each comparison"),
                 w.HTML(frame_html(r.summary(), max_rows=50)),
                 self._plot("edges", summary_counts(r.edge_counts,
                                                    float(r.params.get("threshold", 0.5))))]
        edges = r.edges.read() if len(r.edges) <= MAX_ROWS else r.edges.sample(MAX_ROWS)
        parts.append(SortableTable(edges, f"{self.stem}_edges_across_conditions.csv"))
        return w.VBox(parts)

    def _downloads(self, c, tag: str) -> w.Widget:
        def graphml() -> bytes:
            with tempfile.TemporaryDirectory() as tmp:
                path = write_graphml(self.result, c.name, Path(tmp) / "net.graphml",
                                     top_k=MAX_DOWNLOAD)
                return path.read_bytes()
        files = {f"{self.stem}_{tag}_significant_pairs.csv":
                 lambda: c.pairs.select(q_max=self.fdr, top=MAX_DOWNLOAD).to_csv(index=False),
                 f"{self.stem}_{tag}_nodes.csv": lambda: c.nodes.to_csv(index=False)}
        csv = LazyDownloads(files, "prepare downloads (CSV: significant pairs, nodes)")
        net = LazyDownloads({f"{self.stem}_{tag}_significant.graphml": graphml},
                            "prepare the network of significant pairs (GraphML)",
                            "application/xml")
        return w.VBox([csv, net])


class SetsBrowser(w.VBox):
    """The gene sets (or modules) of a comparison, ranked by q: choosing one draws
    its own differential network (its pairs, coloured by class)."""

    def __init__(self, c: Any, fdr: float, filename: str) -> None:
        self.c, self.fdr = c, fdr
        self.table = c.sets.reset_index(drop=True)
        fmt = (lambda v: "n/a" if v != v else f"{v:.3g}")
        self.pick = w.Select(options=[(f"{r.set}  ·  q {fmt(r.q)}  ·  {r.size} genes  ·  "
                                       f"mean z {r.mean_z:.2f}", i)
                                      for i, r in enumerate(self.table.itertuples())],
                             rows=min(12, max(2, len(self.table))),
                             layout=w.Layout(width="460px"))
        self.pick.add_class("renette-sets")
        self.note = w.HTML()
        self.box = PlotBox(differential_network(c.pairs.select(top=0), c.a, c.b))
        self.pick.observe(self.draw, "value")
        super().__init__([w.HTML("<b>Sets</b>, the most significant first (q: BH over sets of "
                                 "the permutation p of their summed d). Choose one to see its "
                                 "differential network."),
                          self.pick, self.note, self.box,
                          SortableTable(self.table, filename)])
        if len(self.table):
            self.pick.value = 0
            self.draw()

    def draw(self, _change: dict | None = None) -> None:
        """The chosen set's pairs (both ends in the set), the largest |z| first."""
        row = self.table.iloc[int(self.pick.value)]
        members = str(row["genes"]).split(";")
        rows = self.c.pairs.select(within=members, top=MAX_NETWORK_EDGES, sort="|z_diff|",
                                   descending=True)
        self.note.value = (f"<b>{html.escape(str(row['set']))}</b>: {int(row['size'])} genes, "
                           f"{len(rows):,} of its pairs stored (the {MAX_NETWORK_EDGES:,} of "
                           f"largest |z| at most); mean z {row['mean_z']:.3g}, mean "
                           f"|r_B| - |r_A| {row['mean_dr']:.3g}.")
        self.box.show(differential_network(rows, self.c.a, self.c.b))
