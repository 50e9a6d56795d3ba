"""Small pieces every panel uses: the error box, guarded callbacks, download links, tables."""
from __future__ import annotations

import base64
import functools
import html
import traceback
from typing import Callable

import ipywidgets as w
import pandas as pd

from ..errors import InputError, JobError

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


def frame_html(df: pd.DataFrame, max_rows: int = 10, digits: int = 6) -> str:
    """A compact HTML table of the first ``max_rows`` rows of a DataFrame."""
    shown = df.head(max_rows)
    table = shown.to_html(float_format=lambda v: f"{v:.{digits}g}", border=0,
                          classes="renette-table", max_cols=12)
    more = f"<div style='color:#666'>{len(df)} rows × {df.shape[1]} columns</div>"
    return f"<div style='overflow-x:auto'>{table}</div>{more}"


TABLE_CSS = """<style>
.renette-table { border-collapse: collapse; font-size: 12px; }
.renette-table th, .renette-table td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right; }
.renette-table thead th { background: #f3f3f3; }
.renette-error { font-weight: 600; }
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
        self.table.value = (f"<div style='overflow-x:auto;max-height:420px'>"
                            + shown.to_html(index=False, border=0, classes="renette-table",
                                            float_format=lambda v: f"{v:.6g}", na_rep="NA")
                            + f"</div><div style='color:#666'>{len(self.df)} rows</div>")
