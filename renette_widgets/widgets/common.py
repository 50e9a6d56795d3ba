"""Small pieces every panel uses: the error box, guarded callbacks, download links, tables."""
from __future__ import annotations

import base64
import functools
import html
import traceback
from typing import Callable

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..errors import InputError, JobError
from .download import FileSender

#: Errors whose message is written for users: shown as is, without details.
USER_ERRORS = (InputError, JobError)


class ErrorBox(w.VBox):
    """Where a panel says, in red words, what went wrong (empty when all is well).

    An unexpected exception gets one short line plus a "details" toggle with
    the traceback, closed by default, so nothing is hidden in a log.
    """

    def __init__(self) -> None:
        self.message = w.HTML(layout=w.Layout(margin="2px 0"))
        self.message.add_class("renette-error")
        self.details = w.HTML()
        self.toggle = w.ToggleButton(description="details", layout=w.Layout(width="90px", display="none"))
        self.toggle.observe(self._toggle, "value")
        super().__init__([self.message, self.toggle, self.details])

    def _toggle(self, change: dict) -> None:
        self.details.layout.display = None if change["new"] else "none"

    def show(self, exc: BaseException | str) -> None:
        """Show an exception (or a plain message) in words."""
        if isinstance(exc, str):
            text, details = exc, ""
        elif isinstance(exc, USER_ERRORS):
            text, details = str(exc), ""
        elif isinstance(exc, ValueError):
            text, details = str(exc), "".join(traceback.format_exception(exc))
        else:
            text = f"Unexpected error ({type(exc).__name__}): {str(exc)[:300]}"
            details = "".join(traceback.format_exception(exc))
        self.message.value = f'<span style="color:#b00020">&#9888; {html.escape(text)}</span>'
        self.details.value = f"<pre style='font-size:11px'>{html.escape(details)}</pre>" if details else ""
        self.details.layout.display = "none"
        self.toggle.value = False
        self.toggle.layout.display = None if details else "none"

    def clear(self) -> None:
        """Remove the message."""
        self.message.value = ""
        self.details.value = ""
        self.toggle.layout.display = "none"

    @property
    def text(self) -> str:
        """The message shown, as plain text ('' when none)."""
        return html.unescape(self.message.value.split("</span>")[0].split("&#9888; ")[-1]) \
            if self.message.value else ""


def guarded(box: ErrorBox) -> Callable:
    """Decorator for widget callbacks: clear ``box`` first, show any exception in it.

    ipywidgets swallows exceptions raised in callbacks into the kernel log,
    which Voila users never see; this puts them in the panel instead.
    """
    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args, **kwargs):
            box.clear()
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown to the user, in words
                box.show(exc)
                return None
        return run
    return wrap


def download_link(filename: str, data: bytes | str, mime: str = "text/csv",
                  label: str | None = None) -> str:
    """An HTML ``<a download>`` link carrying ``data`` as a base64 data URI.

    Built on the server side, so it works in Voila without a file server.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    b64 = base64.b64encode(data).decode("ascii")
    text = html.escape(label or f"⬇ {filename}")
    return (f'<a download="{html.escape(filename)}" href="data:{mime};base64,{b64}" '
            f'class="renette-download" style="margin-right:1em">{text}</a>')


def frame_html(df: pd.DataFrame, max_rows: int = 10, digits: int = 6,
               shape: tuple[int, int] | None = None) -> str:
    """A compact HTML table of the first ``max_rows`` rows of a DataFrame (``shape``:
    the whole matrix's, when ``df`` is only its corner)."""
    shown = df.head(max_rows)
    table = shown.to_html(float_format=lambda v: f"{v:.{digits}g}", border=0,
                          classes="renette-table", max_cols=12)
    rows, cols = shape or df.shape
    more = f"<div style='color:#666'>{rows} rows × {cols} columns</div>"
    return f"<div style='overflow-x:auto'>{table}</div>{more}"


TABLE_CSS = """<style>
.renette-table { border-collapse: collapse; font-size: 12px; }
.renette-table th, .renette-table td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right; }
.renette-table thead th { background: #f3f3f3; }
.renette-error { font-weight: 600; }
.renette-app a, .renette-shared a { color: #1a5fb4; text-decoration: underline; }
.renette-job-row .widget-button { flex: 0 0 auto; width: auto; min-width: 0; overflow: visible; }
.renette-job-what { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; display: block; }
.renette-job-mid .widget-html, .renette-job-mid .widget-html-content { min-width: 0; overflow: hidden; }
</style>"""


class SortableTable(w.VBox):
    """A DataFrame as an HTML table with "sort by" / order controls and a CSV download."""

    def __init__(self, df: pd.DataFrame, filename: str = "table.csv", rows: int = 25,
                 index_name: str = "name") -> None:
        # Named rows (nodes, networks) become the first, sortable column.
        if not isinstance(df.index, pd.RangeIndex):
            df = df.rename_axis(df.index.name or index_name).reset_index()
        self.df = df
        self.filename = filename
        cols = [str(c) for c in self.df.columns]
        self.sort_by = w.Dropdown(options=["(as computed)"] + cols, description="sort by",
                                  layout=w.Layout(width="260px"))
        self.order = w.ToggleButtons(options=[("high → low", "descending"), ("low → high", "ascending")],
                                     style={"button_width": "95px"})
        self.rows = w.BoundedIntText(value=rows, min=1, max=max(len(self.df), 1), description="rows",
                                     layout=w.Layout(width="150px"))
        self.table = w.HTML()
        self.link = w.HTML(download_link(filename, self.df.to_csv(index=False)))
        for control in (self.sort_by, self.order, self.rows):
            control.observe(self._draw, "value")
        self._draw()
        super().__init__([w.HBox([self.sort_by, self.order, self.rows]), self.table, self.link])

    def sorted_frame(self) -> pd.DataFrame:
        """The table in its current order."""
        if self.sort_by.value == "(as computed)":
            return self.df
        col = self.df.columns[[str(c) for c in self.df.columns].index(self.sort_by.value)]
        return self.df.sort_values(col, ascending=self.order.value == "ascending",
                                   na_position="last", kind="stable")

    def _draw(self, _change: dict | None = None) -> None:
        shown = self.sorted_frame().head(self.rows.value)
        self.table.value = ("<div style='overflow-x:auto;max-height:420px'>"
                            + shown.to_html(index=False, border=0, classes="renette-table",
                                            float_format=lambda v: f"{v:.6g}", na_rep="NA")
                            + f"</div><div style='color:#666'>{len(self.df)} rows</div>")


#: Plotly's options for every figure of the page: no plotly logo, PNG export at
#: twice the screen resolution, the figure follows its container's width.
PLOT_CONFIG = {"displaylogo": False, "responsive": False,
               "toImageButtonOptions": {"format": "png", "scale": 2}}
_PLOTLY_MIME = "application/vnd.plotly.v1+json"


class PlotBox(w.Output):
    """A plotly figure in the page, drawn by the plotly renderer JupyterLab and
    Voila already load (served by the notebook server, cached by the browser).

    A ``go.FigureWidget`` would send plotly.js's 5 MB bundle with every figure;
    this sends the figure's JSON only. ``show(fig)`` replaces the figure;
    ``figure``, ``data`` and ``layout`` are the figure shown.
    """

    def __init__(self, fig: go.Figure | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.figure = go.Figure()
        if fig is not None:
            self.show(fig)

    def show(self, fig: go.Figure) -> None:
        """Draw ``fig`` in place of the figure shown."""
        self.figure = fig
        bundle = {_PLOTLY_MIME: {**fig.to_plotly_json(), "config": PLOT_CONFIG},
                  "text/plain": f"<figure: {fig.layout.title.text or 'plot'}>"}
        # Set outputs directly: works from any thread (a job's, a callback's),
        # where "with self:" may capture nothing.
        self.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)

    @property
    def data(self) -> tuple:
        """The traces shown."""
        return self.figure.data

    @property
    def layout(self) -> go.Layout:
        """The layout shown."""
        return self.figure.layout


class LazyTabs(w.Tab):
    """Tabs whose pages are built when first opened (the first one at once).

    Parameters
    ----------
    pages : list of (title, callable)
        Each callable returns the page's widget.
    """

    def __init__(self, pages: list[tuple[str, Callable[[], w.Widget]]]) -> None:
        self.builders = [build for _, build in pages]
        self.built: dict[int, w.Widget] = {}
        super().__init__(children=[w.VBox() for _ in pages])
        for i, (title, _) in enumerate(pages):
            self.set_title(i, title)
        self.observe(lambda ch: self.page(ch["new"]), "selected_index")
        if pages:
            self.page(0)

    def page(self, index: int | None) -> w.Widget | None:
        """The page ``index``, built now if it was not yet."""
        if index is None or not 0 <= index < len(self.builders):
            return None
        if index not in self.built:
            try:
                self.built[index] = self.builders[index]()
            except Exception as exc:  # noqa: BLE001 - said in the page, not in a log
                box = ErrorBox()
                box.show(exc)
                self.built[index] = box
            self.children[index].children = [self.built[index]]
        return self.built[index]


def figures_html(figs: dict[str, go.Figure], title: str) -> str:
    """One standalone HTML page holding ``figs``, with plotly.js inside (works offline)."""
    parts = [f"<h2 style='font-family:sans-serif'>{html.escape(name)}</h2>"
             + fig.to_html(full_html=False, include_plotlyjs=False, config=PLOT_CONFIG)
             for name, fig in figs.items()]
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<script>{get_plotlyjs()}</script></head><body>{''.join(parts)}</body></html>")


class LazyDownloads(w.HBox):
    """Download links made when asked (a large table as a data URI is megabytes
    sent to the browser: not worth it until someone wants the file).

    A file over :data:`LINK_BYTES` is not a data URI (one message of its whole
    size, plus a third for base64) but sent in pieces (:class:`.download.FileSender`,
    ``sender``): the figures' HTML page holds plotly.js's 4.8 MB, a network's CSV
    can be tens of MB.

    Parameters
    ----------
    files : dict of file name to callable
        Each callable returns the file's content (str or bytes).
    label : str
        The button's label.
    mime : str
        The files' MIME type.
    """

    def __init__(self, files: dict[str, Callable[[], str | bytes]],
                 label: str = "prepare downloads (CSV)", mime: str = "text/csv") -> None:
        self.files, self.mime = files, mime
        self.button = w.Button(description=label, icon="download", layout=w.Layout(width="auto"))
        self.links = w.HTML()
        self.links.add_class("renette-downloads")
        self.sender = FileSender()
        self.button.on_click(lambda _b: self.make())
        super().__init__([self.button, self.links, self.sender], layout=w.Layout(align_items="center"))

    def make(self) -> None:
        """Build the links (the button then hides)."""
        links = []
        for name, make in self.files.items():
            data = make()
            data = data.encode("utf-8") if isinstance(data, str) else data
            if len(data) > LINK_BYTES:
                self.sender.send_file(name, data, self.mime)
            else:
                links.append(download_link(name, data, self.mime))
        self.links.value = "".join(links)
        self.button.layout.display = "none"


#: Files up to this size are links carrying their bytes (data URIs); larger ones
#: are sent to the page in pieces.
LINK_BYTES = 2**20
