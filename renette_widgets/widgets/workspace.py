"""The page's workspace: whose it is (from the request), its link, its quotas.

A Voila kernel started ahead of its visitor (``--preheat_kernel``) runs the
notebook before anyone asks for the page; who is asking is known only when the
request comes (:func:`identify_request` waits for it, in a thread: the page is
built meanwhile and filled once the workspace is known).
"""
from __future__ import annotations

import html
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

import anywidget
import ipywidgets as w
import traitlets

from ..errors import InputError
from ..jobs.workspace import Identity, Workspace, identify, is_token
from .loop import on_loop

_ESM = (Path(__file__).resolve().parent / "js" / "address.js").read_text(encoding="utf-8")


def identify_request(done: Callable[[Identity | None, Exception | None], None]) -> None:
    """Find who is asking, then ``done(identity, None)`` (or ``done(None, error)``);
    in a pre-heated Voila kernel this waits, in a thread, for the request.
    ``done`` runs on the kernel's thread (it builds the page: :mod:`.loop`)."""
    done = on_loop(done)

    def run() -> None:
        try:
            if os.environ.get("VOILA_PREHEAT") == "True":
                from voila.utils import wait_for_request  # only in a Voila kernel
                wait_for_request()
            identity = identify()
        except Exception as exc:  # noqa: BLE001 - shown in the page
            done(None, exc)
            return
        done(identity, None)
    threading.Thread(target=run, daemon=True, name="renette-identify").start()


class Address(anywidget.AnyWidget):
    """The workspaces this browser knows (``remembered``: ``own``, ``known``),
    reported once on render (``reported``); the workspace open (``token``, ``own``
    when it is the browser's own) is remembered and put in the address bar
    (``?ws=``) unless ``keep_address``; ``shown`` says it is there."""

    _esm = _ESM
    token = traitlets.Unicode("").tag(sync=True)
    own = traitlets.Bool(False).tag(sync=True)
    keep_address = traitlets.Bool(False).tag(sync=True)
    reported = traitlets.Bool(False).tag(sync=True)
    remembered = traitlets.Dict().tag(sync=True)
    shown = traitlets.Unicode("").tag(sync=True)


def choose(identity: Identity, remembered: dict) -> tuple[Identity, bool]:
    """Which workspace a page opens, and whether it is the browser's own.

    A link opens its workspace (the browser's own only when it is the one the
    browser made); the plain address opens the browser's own workspace, or a new
    one that becomes its own. Someone else's link never replaces the own one.
    """
    own = str((remembered or {}).get("own") or "")
    own = own if is_token(own) else ""
    if identity.kind == "new" and own:
        return Identity(own, "link", "your own", identity.share), True
    if identity.kind == "new":
        return identity, True
    return identity, bool(own) and identity.key == own


def _mb(n: float) -> str:
    if n < 2**20:
        return f"{n / 2**10:,.0f} KB"
    return f"{n / 2**20:,.0f} MB" if n < 2**30 else f"{n / 2**30:,.1f} GB"


def _running(n: int) -> str:
    return "no job running" if n == 0 else f"{n} job{'s' if n != 1 else ''} running"


#: Seconds the page waits for the browser to say what it remembers, then opens a new
#: workspace (a page whose scripts never run). Long: on a busy server a page takes
#: seconds to draw, and opening a new workspace for a browser that has one is the
#: very thing not to do.
REPORT_WAIT = 60.0
#: Seconds between two measures of the workspace's disk use (a walk of its folder).
SIZE_EVERY = 10.0


class WorkspaceBar(w.VBox):
    """The header's lines: which workspace is open (and how to come back to it, or
    to the browser's own), the cluster in words, running jobs and storage used;
    the keys, addresses and quotas behind a "details" toggle."""

    def __init__(self) -> None:
        self.address = Address()
        self.who = w.HTML("<span style='color:#777;font-size:12px'>opening your workspace…</span>")
        self.who.add_class("renette-workspace")
        self.switcher = w.HTML()
        self.switcher.add_class("renette-switcher")
        self.cluster = w.HTML()
        self.use = w.HTML()
        self.use.add_class("renette-quota")
        self.toggle = w.ToggleButton(description="details", layout=w.Layout(width="80px", height="22px"),
                                     tooltip="workspace key, cluster address, quotas")
        self.details = w.HTML(layout=w.Layout(display="none"))
        self.details.add_class("renette-details")
        self.toggle.observe(lambda c: setattr(self.details.layout, "display", None if c["new"] else "none"),
                            "value")
        self.workspace: Workspace | None = None
        self.identity: Identity | None = None
        self.is_own = False
        self.cluster_details = ""
        self._size = (0.0, 0)
        self._running_ids: Callable[[], set[str]] = set
        line = w.HBox([self.cluster, self.use, self.toggle],
                      layout=w.Layout(align_items="center", flex_flow="row wrap"))
        super().__init__([w.HBox([self.who, self.switcher], layout=w.Layout(flex_flow="row wrap",
                                                                            align_items="baseline")),
                          line, self.details, self.address])

    # ------------------------------------------------------------ which workspace
    def when_reported(self, fn: Callable[[dict], None]) -> None:
        """``fn(remembered)`` once the browser said what it remembers (at once if it
        has), or after :data:`REPORT_WAIT` s without a word (nothing remembered)."""
        fired = []

        def once(remembered: dict) -> None:
            if not fired:
                fired.append(1)
                self.address.unobserve(seen, "reported")
                fn(remembered)

        def seen(_change: dict | None = None) -> None:
            if self.address.reported:
                once(dict(self.address.remembered))
        self.address.observe(seen, "reported")
        seen()
        if not fired:
            later = on_loop(lambda: once({}))
            timer = threading.Timer(REPORT_WAIT, later)
            timer.daemon = True
            timer.start()

    def show(self, workspace: Workspace, identity: Identity, own: bool = False) -> None:
        """Open ``workspace``: say which it is and how to come back to it. A link's
        workspace is said once the browser has put it in the address bar."""
        self.workspace, self.identity, self.is_own = workspace, identity, own
        if identity.kind in ("link", "new"):
            def written(_change: dict | None = None) -> None:
                if self.address.shown == workspace.key:
                    self.address.unobserve(written, "shown")
                    self._say()
            self.address.observe(written, "shown")
            with self.address.hold_sync():
                self.address.own = own
                self.address.token = workspace.key
            # the browser acknowledges (``shown``); say it anyway if it does not
            timer = threading.Timer(3.0, on_loop(lambda: self.address.shown == workspace.key or self._say()))
            timer.daemon = True
            timer.start()
            written()
        else:
            self._say()
        self.refresh()

    def _say(self) -> None:
        ws, identity = self.workspace, self.identity
        if ws is None or identity is None:
            return
        key = html.escape(ws.key)
        style = "font-size:12px"
        if identity.kind == "user":
            self.who.value = (f"<span style='{style}'>Workspace of <b>{html.escape(identity.label)}</b>"
                              " (signed in)</span>")
        elif identity.kind in ("notebook", "given"):
            which = ("of <b>this notebook</b> (running the cell again reopens it)"
                     if identity.kind == "notebook" else "<b>given by its key</b>")
            self.who.value = (
                f"<span style='{style}'>Workspace {which}: <code class='renette-ws-key'>{key}</code>; "
                f"reopen it anywhere on this server with <code>build_app(workspace=\"{key}\")</code> "
                f"or <code>RENETTE_WORKSPACE={key}</code></span>")
        else:
            private = (f"<a href='?ws={key}' class='renette-ws-link' title='the key of this workspace'>"
                       "private key link</a>: anyone with it can change and delete this workspace, "
                       "so keep it like a password (it opens the workspace from another browser); "
                       "show results with a read-only share link (Results tab)")
            if self.is_own:
                which = "<b class='renette-ws-which'>your own</b> (this browser's)"
            else:
                which = "<b class='renette-ws-which'>opened by its link</b>, not this browser's own"
            self.who.value = f"<span style='{style}'>Workspace: {which} · {private}</span>"
        self._switcher()
        self._details()

    def _switcher(self) -> None:
        """Links to the other workspaces this browser knows (its own first)."""
        if self.identity is None or self.identity.kind not in ("link", "new"):
            self.switcher.value = ""
            return
        rec = dict(self.address.remembered or {})
        own = rec.get("own") or ""
        others = [k for k in ([own] if own else []) + list(rec.get("known") or [])
                  if is_token(k) and k != self.workspace.key]
        others = list(dict.fromkeys(others))
        if not others:
            self.switcher.value = ""
            return
        links = []
        for k in others:
            label = "your own workspace" if k == own else f"workspace {html.escape(k[:6])}…"
            links.append(f"<a href='?ws={html.escape(k)}' class='renette-ws-switch'>{label}</a>")
        back = (f"<a href='?ws={html.escape(own)}' class='renette-ws-own'>back to your own workspace</a> · "
                if own and own != self.workspace.key else "")
        self.switcher.value = (
            f"<span style='font-size:12px;margin-left:1em'>{back}<details style='display:inline-block'>"
            f"<summary>switch workspace ({len(others)} more known to this browser)</summary>"
            + " · ".join(links) + "</details></span>")

    def _details(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        lim = ws.limits
        kept = ("kept until deleted" if not lim.retention_days
                else f"kept {lim.retention_days:g} days after the workspace was last used")
        key = html.escape(ws.key)
        self.details.value = (
            "<div style='font-size:11px;color:#555'>"
            f"Workspace key <code>{key}</code>; from Python or the command line on this server: "
            f"<code>RENETTE_WORKSPACE={key}</code> (or <code>renette ... --workspace={key}</code>). "
            f"{self.cluster_details} Quotas: {lim.jobs} jobs at once, {_mb(lim.bytes)} of storage, "
            f"largest matrix {_mb(lim.matrix_bytes)}; results {kept}.</div>")

    # ------------------------------------------------------------ live lines
    def set_cluster(self, words: str, colour: str, details: str = "") -> None:
        """The cluster's state in words (``"2 workers ready"``); ``details`` (its
        address) goes behind the toggle."""
        self.cluster.value = (f"<span class='renette-cluster' style='color:{colour};font-size:12px'>"
                              f"{html.escape(words)}</span>")
        self.cluster_details = html.escape(details)
        self._details()

    def follow_running(self, ended: Callable[[], set[str]]) -> None:
        """``ended()``: ids of jobs this page knows have ended (their live record may
        still say running while the store writes them)."""
        self._running_ids = ended

    def refresh(self, size: bool = False) -> None:
        """Redraw running jobs (from the store, less those known to have ended) and storage
        (measured again at most every :data:`SIZE_EVERY` s, or now with ``size``)."""
        ws = self.workspace
        if ws is None:
            return
        ended = self._running_ids()
        running = sum(1 for r in ws.store.live()
                      if r["alive"] and r.get("status") not in ("done", "failed", "cancelled")
                      and r["id"] not in ended)
        now = time.monotonic()
        if size or now - self._size[0] > SIZE_EVERY:
            self._size = (now, ws.store.size())
        used = self._size[1]
        self.use.value = (
            f"<span style='font-size:12px;color:#555'> · <span class='renette-running'>{_running(running)}"
            f"</span> · {_mb(used)} of {_mb(ws.limits.bytes)} stored</span>")

    def failed(self, error: Exception) -> None:
        msg = str(error) if isinstance(error, InputError) else f"cannot open your workspace: {error}"
        self.who.value = f"<span style='color:#b00020'>{html.escape(msg)}</span>"


def shared_title(job: Any) -> str:
    """The header of a page opened by a share link."""
    return ("<div class='renette-shared' style='background:#eef5fb;padding:6px 10px;font-size:12px'>"
            f"Shared results, read-only: a <b>{html.escape(job.workflow)}</b> job someone shared "
            "by its link. Open the dashboard without the link for a workspace of your own.</div>")
