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
from pathlib import Path
from typing import Any, Callable

import anywidget
import ipywidgets as w
import traitlets

from ..errors import InputError
from ..jobs.workspace import Identity, Workspace, identify
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
    """Puts ``?ws=<token>`` in the page's address and remembers it in the browser;
    a first visit (``fresh``) from a browser that has a workspace goes back to it."""

    _esm = _ESM
    token = traitlets.Unicode("").tag(sync=True)
    fresh = traitlets.Bool(False).tag(sync=True)


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB" if n < 2**30 else f"{n / 2**30:,.1f} GB"


class WorkspaceBar(w.VBox):
    """One line under the title: the workspace (its link, or the signed-in user)
    and its quotas, with how much of each is used."""

    def __init__(self) -> None:
        self.address = Address()
        self.who = w.HTML("<span style='color:#777;font-size:12px'>opening your workspace…</span>")
        self.who.add_class("renette-workspace")
        self.use = w.HTML()
        self.use.add_class("renette-quota")
        self.workspace: Workspace | None = None
        super().__init__([self.who, self.use, self.address])

    def show(self, workspace: Workspace, identity: Identity) -> None:
        """Say whose workspace this is, and how to come back to it."""
        self.workspace = workspace
        key = html.escape(workspace.key)
        if identity.kind == "user":
            self.who.value = (f"<span style='font-size:12px'>Workspace of <b>{html.escape(identity.label)}</b>"
                              " (signed in). From Python or the command line on this server: "
                              f"<code>RENETTE_WORKSPACE={key}</code></span>")
        else:
            self.who.value = (
                f"<span style='font-size:12px'>Your workspace: <a href='?ws={key}' "
                f"class='renette-ws-link'>?ws={key}</a> — <b>bookmark or share this link</b>: "
                "whoever has it sees and changes this workspace; nobody else does. "
                f"From Python or the command line on this server: <code>RENETTE_WORKSPACE={key}</code>"
                "</span>")
            self.address.fresh = identity.kind == "new"
            self.address.token = workspace.key
        self.refresh()

    def refresh(self) -> None:
        """Redraw the quotas' use."""
        ws = self.workspace
        if ws is None:
            return
        use, lim = ws.usage(), ws.limits
        kept = ("kept until deleted" if not lim.retention_days
                else f"kept {lim.retention_days:g} days after the workspace was last used")
        self.use.value = (
            f"<span style='font-size:11px;color:#555'>{use['running']} of {lim.jobs} jobs running · "
            f"{_mb(use['bytes'])} of {_mb(lim.bytes)} used · largest matrix "
            f"{_mb(lim.matrix_bytes)} · results {kept}</span>")

    def failed(self, error: Exception) -> None:
        msg = str(error) if isinstance(error, InputError) else f"cannot open your workspace: {error}"
        self.who.value = f"<span style='color:#b00020'>{html.escape(msg)}</span>"


def shared_title(job: Any) -> str:
    """The header of a page opened by a share link."""
    return ("<div class='renette-shared' style='background:#eef5fb;padding:6px 10px;font-size:12px'>"
            f"Shared results, read-only: a <b>{html.escape(job.workflow)}</b> job someone shared "
            "by its link. Open the dashboard without the link for a workspace of your own.</div>")
