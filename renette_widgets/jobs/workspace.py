"""Workspaces: whose jobs, inputs and results are whose.

Every job, upload and result belongs to one workspace, a folder of the results
store (``RENETTE_HOME/workspaces/<key>``) holding a :class:`~.store.Store` of its
own and the inputs loaded into it::

    workspaces/<key>/jobs/<id>/...         the workspace's jobs (see store.py)
    workspaces/<key>/inputs/<stem>.zarr    its uploaded matrices
    workspaces/<key>/inputs.json           its inputs: name, kind, origin, and a
                                           file, or the job and network they
                                           came from
    workspaces/<key>/seen                  touched whenever it is used (retention)
    shares/<token>.json                    a job shared read-only by its link

Who is who (:func:`identify`): behind an authenticating proxy, the user it names
in ``RENETTE_USER_HEADER`` (Voila hands the header to the kernel as
``HTTP_<NAME>``); on a JupyterHub single-user server, ``JUPYTERHUB_USER``;
otherwise the workspace is an unguessable link (``?ws=<token>``), as ReNette's
permanent links were. A share link (``?share=<token>``) opens one job read-only.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs

import pandas as pd

from .. import config
from ..errors import InputError
from ..io.arrays import read_matrix_file, write_matrix
from ..io.location import Location, location, remove_tree
from ..io.names import safe_name
from .store import KEY_RE, Store, _write_atomic, workspace_root

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Identity:
    """Who is asking: a workspace key and how it was found.

    Attributes
    ----------
    key : str
        The workspace's folder name.
    kind : str
        ``"user"`` (a signed-in user, from a proxy or JupyterHub), ``"link"``
        (an unguessable link; whoever has it owns the workspace), or ``"new"``
        (a link made just now, for a first visit).
    label : str
        What the page shows: the user's name, or "this link".
    share : str
        A share token asked for (``?share=``), or "".
    """

    key: str
    kind: str
    label: str
    share: str = ""


def is_token(text: str) -> bool:
    """Whether ``text`` has the form of a workspace or share token."""
    return isinstance(text, str) and bool(_TOKEN_RE.match(text))


def new_token() -> str:
    """An unguessable workspace or share token (128 random bits)."""
    return secrets.token_urlsafe(16)


def user_key(name: str) -> str:
    """The workspace key of a signed-in user: readable, and distinct for distinct names."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=6).hexdigest()
    return f"user-{safe_name(name)[:60]}-{digest}"


def identify(environ: dict[str, str] | None = None) -> Identity:
    """The workspace of a request, from the kernel's environment (see the module).

    Raises
    ------
    InputError
        When the server expects a user from its proxy and the request has none,
        or a link's token is malformed.
    """
    env = os.environ if environ is None else environ
    query = parse_qs(env.get("QUERY_STRING", ""))
    share = (query.get("share") or [""])[0]
    if share and not _TOKEN_RE.match(share):
        raise InputError("this share link is not valid", hint="Ask for the link again.")
    header = config.user_header() if environ is None else env.get("RENETTE_USER_HEADER", "")
    if header:
        user = env.get("HTTP_" + header.upper().replace("-", "_"), "").strip()
        if not user:
            raise InputError(f"the server expects your user name from its proxy (header {header}) "
                             "and this request has none",
                             hint="Open the dashboard through your group's sign-in page.")
        return Identity(user_key(user), "user", user, share)
    if env.get("JUPYTERHUB_USER"):
        user = env["JUPYTERHUB_USER"]
        return Identity(user_key(user), "user", user, share)
    token = (query.get("ws") or [""])[0]
    if token:
        if not _TOKEN_RE.match(token):
            raise InputError("this workspace link is not valid",
                             hint="Check the link, or open the dashboard without it for a new workspace.")
        return Identity(token, "link", "this link", share)
    return Identity(new_token(), "new", "this link", share)


@dataclass
class Limits:
    """A workspace's quotas (``config``): running jobs, disk, largest matrix."""

    jobs: int
    bytes: int
    matrix_bytes: int
    retention_days: float

    @classmethod
    def from_config(cls) -> "Limits":
        return cls(config.quota_jobs(), config.quota_bytes(), config.quota_matrix_bytes(),
                   config.retention_days())


class Workspace:
    """One workspace's folder: its store, its inputs, its quotas.

    Parameters
    ----------
    key : str
        The workspace's key (a link token, or :func:`user_key`).
    home : str, Path or UPath, optional
        ``RENETTE_HOME`` (a folder or a URL) by default.
    limits : Limits, optional
        Default: from the environment.
    """

    def __init__(self, key: str, home: str | Location | None = None,
                 limits: Limits | None = None) -> None:
        self.key = key
        self.home = location(home if home is not None else config.home())
        self.root = workspace_root(key, self.home)
        self.store = Store(self.root)
        self.limits = limits or Limits.from_config()

    # ------------------------------------------------------------ inputs
    @property
    def _index(self) -> Location:
        return self.root / "inputs.json"

    def inputs(self) -> list[dict]:
        """The workspace's inputs, in the order they were added."""
        try:
            return json.loads(self._index.read_text())
        except (OSError, ValueError):
            return []

    def save_input(self, name: str, frame: Any, kind: str, origin: str,
                   network: str | None = None, notes: list[str] | None = None) -> None:
        """Keep an input: a matrix is written (Zarr); a network a job of this
        workspace made (``origin`` "job <id>", ``network`` its name there) is only
        referred to."""
        entries = [e for e in self.inputs() if e["name"] != name]
        entry = {"name": name, "kind": kind, "origin": origin, "notes": list(notes or [])}
        job = _job_of(origin)
        if job and network is not None and (self.store.jobs_dir / job).is_dir():
            entry.update(job=job, network=network)
        else:
            taken = {Path(e["file"]).stem.lower() for e in entries if "file" in e}
            rel = f"inputs/{safe_name(name, taken)}.zarr"
            self.check_matrix(name, frame.shape)
            self.check_room(8 * int(frame.shape[0]) * int(frame.shape[1]))
            write_matrix(self.root / rel, frame if isinstance(frame, pd.DataFrame) else frame.to_frame())
            entry["file"] = rel
        self._old_file(name)
        _write_atomic(self._index, entries + [entry], self.root / "tmp")

    def remove_input(self, name: str) -> None:
        """Forget an input (and its file)."""
        self._old_file(name)
        _write_atomic(self._index, [e for e in self.inputs() if e["name"] != name], self.root / "tmp")

    def _old_file(self, name: str) -> None:
        for e in self.inputs():
            if e["name"] == name and "file" in e:
                remove_tree(self.root / e["file"])

    def load_inputs(self, networks_of: Callable[[str], dict]) -> list[tuple[dict, Any]]:
        """Each kept input with its matrix (stored ones read lazily); inputs whose
        job or file is gone are dropped.

        ``networks_of(job_id)`` gives the networks a stored job made (the
        workflows know how; the store does not).
        """
        out, results = [], {}
        for e in self.inputs():
            try:
                if "file" in e:
                    out.append((e, read_matrix_file(self.root / e["file"])))
                    continue
                if e["job"] not in results:
                    results[e["job"]] = networks_of(e["job"])
                out.append((e, results[e["job"]][e["network"]]))
            except (OSError, KeyError, ValueError, InputError):
                continue
        return out

    # ------------------------------------------------------------ quotas
    def check_matrix(self, name: str, shape: tuple[int, int]) -> None:
        """Refuse a matrix over the largest allowed, saying what to do."""
        need = 8 * int(shape[0]) * int(shape[1])
        if need > self.limits.matrix_bytes:
            raise InputError(
                f"'{name}' is {shape[0]:,} x {shape[1]:,}: {need / 2**20:,.0f} MB as numbers, more "
                f"than this server's largest matrix ({self.limits.matrix_bytes / 2**20:,.0f} MB)",
                file=name, hint="Keep fewer variables (e.g. the most variable ones), or ask the "
                "server's administrator (RENETTE_QUOTA_MATRIX_MB).")

    def check_room(self, nbytes: int) -> None:
        """Refuse to keep ``nbytes`` more when the workspace would exceed its disk quota."""
        used = self.store.size()
        if used + nbytes > self.limits.bytes:
            raise InputError(f"this workspace holds {used / 2**20:,.0f} MB; {nbytes / 2**20:,.1f} MB "
                             f"more would exceed its quota of {self.limits.bytes / 2**20:,.0f} MB",
                             hint="Delete jobs or inputs you no longer need (Jobs and Inputs tabs).")

    def usage(self) -> dict:
        """Running jobs and disk used, against the limits."""
        # a job that ended is not running, even while the store writes its results
        live = [r for r in self.store.live()
                if r["alive"] and r.get("status") not in ("done", "failed", "cancelled")]
        return {"running": len(live), "jobs": self.limits.jobs, "bytes": self.store.size(),
                "quota_bytes": self.limits.bytes}

    def check_submit(self) -> None:
        """Refuse a new job over the workspace's quotas (before anything runs)."""
        use = self.usage()
        if use["running"] >= use["jobs"]:
            raise InputError(f"this workspace already has {use['running']} jobs running, "
                             f"the most this server allows at once",
                             hint="Wait for one to finish, or cancel one in the Jobs tab.")
        if use["bytes"] >= use["quota_bytes"]:
            raise InputError(f"this workspace holds {use['bytes'] / 2**20:,.0f} MB, its quota is "
                             f"{use['quota_bytes'] / 2**20:,.0f} MB",
                             hint="Delete jobs or inputs you no longer need (Jobs and Inputs tabs).")

    # ------------------------------------------------------------ use, shares
    def touch(self) -> None:
        """Record that the workspace is in use (retention counts from here); a
        workspace that holds nothing yet (a first visit) is not made for this."""
        if self.root.is_dir():
            (self.root / "seen").touch()

    def last_seen(self) -> float | None:
        try:
            return (self.root / "seen").stat().st_mtime
        except OSError:
            return None

    def share(self, job_id: str) -> str:
        """A token opening ``job_id`` read-only (the same one each time)."""
        self.store.manifest(job_id)  # exists, in this workspace
        shares = self.home / "shares"
        for path in shares.glob("*.json") if shares.is_dir() else []:
            try:
                rec = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if rec.get("workspace") == self.key and rec.get("job") == job_id and not rec.get("revoked"):
                return path.stem
        token = new_token()
        shares.mkdir(parents=True, exist_ok=True)
        _write_atomic(shares / f"{token}.json", {"workspace": self.key, "job": job_id,
                                                 "created": time.time()}, self.home / "tmp")
        return token

    def shares(self) -> list[dict]:
        """The workspace's read-only share links that still open something, newest
        first: ``token``, ``job``, ``created`` (epoch seconds)."""
        shares = self.home / "shares"
        out = []
        for path in shares.glob("*.json") if shares.is_dir() else []:
            try:
                rec = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if rec.get("workspace") == self.key and not rec.get("revoked"):
                out.append({"token": path.stem, "job": rec.get("job"), "created": rec.get("created", 0)})
        return sorted(out, key=lambda r: r["created"] or 0, reverse=True)

    def revoke(self, token: str) -> None:
        """Revoke a share link of this workspace: it opens nothing from now on (and
        says it was revoked). InputError when the workspace has no such link."""
        path = self.home / "shares" / f"{token}.json"
        try:
            rec = json.loads(path.read_text()) if _TOKEN_RE.match(token) else None
        except (OSError, ValueError):
            rec = None
        if rec is None or rec.get("workspace") != self.key:
            raise InputError(f"this workspace has no share link {token!r}",
                             hint="List them with `renette shares`.")
        rec["revoked"] = time.time()
        _write_atomic(path, rec, self.home / "tmp")


def remember_result(workspace: Workspace, job_id: str) -> None:
    """Remember the result a page of the workspace opened last (a reload reopens it)."""
    if workspace.root.is_dir():
        _write_atomic(workspace.root / "last_result.json", {"job": job_id}, workspace.root / "tmp")


def last_result(workspace: Workspace) -> str | None:
    """The job whose result a page of the workspace opened last, if any."""
    try:
        return json.loads((workspace.root / "last_result.json").read_text()).get("job")
    except (OSError, ValueError, AttributeError):
        return None


def open_share(token: str, home: str | Location | None = None) -> tuple[Store, str]:
    """The store and job id a share token opens (InputError when it opens nothing)."""
    home = location(home if home is not None else config.home())
    gone = InputError("this share link opens nothing: the job was deleted, or the link is wrong",
                      hint="Ask whoever shared it for a new link.")
    if not _TOKEN_RE.match(token):
        raise gone
    try:
        rec = json.loads((home / "shares" / f"{token}.json").read_text())
    except (OSError, ValueError):
        raise gone from None
    if rec.get("revoked"):
        raise InputError("this share link was revoked by the workspace's owner: it opens nothing",
                         hint="Ask whoever shared it for a new link.")
    try:
        store = Store(workspace_root(rec["workspace"], home))
        store.manifest(rec["job"])
    except (OSError, ValueError, KeyError, InputError):
        raise gone from None
    return store, rec["job"]


def _job_of(origin: str) -> str | None:
    m = re.fullmatch(r"job ([A-Za-z0-9_-]{8,64})", origin or "")
    return m.group(1) if m else None


__all__ = ["Identity", "Limits", "Workspace", "identify", "is_token", "last_result", "new_token",
           "remember_result", "open_share", "user_key",
           "KEY_RE"]
