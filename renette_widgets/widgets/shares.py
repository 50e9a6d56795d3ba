"""The workspace's read-only share links, listed with a "revoke" button each.

A share link opens one job's results and nothing else; revoked, it opens
nothing and says it was revoked (``jobs.workspace.open_share``). The same list
is ``renette shares`` on the command line, and ``renette revoke TOKEN``.
"""
from __future__ import annotations

import html
from datetime import datetime
import ipywidgets as w

from .common import ErrorBox, guarded
from .session import Session


class SharesPanel(w.VBox):
    """Every read-only share link of the session's workspace, newest first."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors = ErrorBox()
        self.title = w.HTML()
        self.list = w.VBox()
        self.rows: dict[str, w.HBox] = {}
        session.on("workspace", lambda _ws: self.refresh())
        session.on("shares", lambda *_a: self.refresh())
        super().__init__([self.title, self.errors, self.list])
        self.add_class("renette-shares")

    def refresh(self) -> None:
        """Read the workspace's share links again."""
        ws = self.session.workspace
        shares = ws.shares() if ws is not None else []
        self.title.value = (
            "<b>Read-only share links</b> <span style='color:#555;font-size:12px'>(each opens one "
            "job's results, nothing else; make one with \"share read-only link\" in the Results tab)"
            "</span>" + ("" if shares else "<br><i style='font-size:12px'>none</i>"))
        self.rows = {s["token"]: self._row(s) for s in shares}
        self.list.children = list(self.rows.values())

    def _row(self, share: dict) -> w.HBox:
        when = datetime.fromtimestamp(share["created"]).strftime("%Y-%m-%d %H:%M") if share["created"] else ""
        job = self._describe(share["job"])
        link = w.HTML(f"<span style='font-size:12px'><a href='?share={html.escape(share['token'])}' "
                      f"target='_blank' class='renette-share-listed'>{html.escape(job)}</a> · "
                      f"made {when}</span>", layout=w.Layout(width="auto"))
        revoke = w.Button(description="revoke", icon="ban", layout=w.Layout(width="90px"),
                          tooltip="the link stops opening anything, for everyone who has it")
        revoke.on_click(guarded(self.errors)(lambda _b, t=share["token"]: self.revoke(t)))
        row = w.HBox([revoke, link], layout=w.Layout(align_items="center"))
        row.revoke_button = revoke  # type: ignore[attr-defined]
        return row

    def _describe(self, job_id: str) -> str:
        try:
            m = self.session.get_store().manifest(job_id)
        except Exception:  # noqa: BLE001 - a deleted job's link still lists (it opens nothing)
            return f"job {job_id[:8]} (deleted)"
        names = ", ".join(e["name"] for e in m.get("inputs", [])[:3])
        return f"{m['workflow']} of {names} (job {job_id[:8]})"

    def revoke(self, token: str) -> None:
        """Revoke one link of the workspace."""
        self.session.workspace.revoke(token)
        self.refresh()


__all__ = ["SharesPanel"]
