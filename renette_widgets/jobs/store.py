"""The results store: every job as a folder under ``RENETTE_HOME``.

Layout (``RENETTE_HOME`` defaults to ``~/.renette``; a store's root is
``RENETTE_HOME`` itself, or one workspace's folder ``workspaces/<key>``, see
:mod:`renette_widgets.jobs.workspace`)::

    jobs/<id>/live.json        while the job runs: what it is and how far it
                               got (other pages of the workspace list it)
    jobs/<id>/manifest.json    workflow, params, inputs (name, file, hash,
                               shape), versions, seed, timings, status, error
    jobs/<id>/inputs/*.zarr    the inputs themselves (so a job can be re-run,
                               and workers read them from here)
    jobs/<id>/results/...      the workflow's result files: matrices as Zarr,
                               tables as Parquet (:mod:`renette_widgets.io.arrays`),
                               written by the workflow (``write_result``) or, for
                               large matrices, by the workers that computed them
    tmp/                       manifests being written

The root is a local folder or an fsspec URL (``s3://bucket/store``, ``gs://``,
``abfs://``, ``file://``: :mod:`renette_widgets.io.location`); every read and
write below goes through that location, so the same code serves both.

A job's folder is made when it starts (:meth:`Store.begin`); its
``manifest.json`` is written last, atomically (locally a temporary file renamed
into place; on an object store one whole object, which a reader sees entirely
or not at all), so a folder without one is a job still running, or one that
never finished: listing shows only jobs with a manifest, and a failure while
writing removes the folder. A job whose process died while writing (a kernel
killed, a machine gone) leaves a folder without a manifest: it is not listed,
its ``live.json`` reads as interrupted (:meth:`Store.live`), and
:meth:`Store.delete` (the Jobs list's delete button) or retention removes it. Listing reads the folders, so results survive kernel
restarts. The store knows folders and manifests, not workflows: reading a
result back is :func:`renette_widgets.api.load_result`.

Format 1 (CSV and GraphML files, SHA-256 of the CSV text) is still read.
"""
from __future__ import annotations

import json
import os
import re
import socket
import time
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd

from .. import config
from .._version import __version__
from ..errors import InputError
from ..io.arrays import as_frame, read_matrix_file, write_matrix
from ..io.location import (Location, check_reachable, children, is_remote, location,
                           read_json_many, remove_tree, tree_size, write_json)
from ..io.names import safe_name

FORMAT = 2
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
#: Workspace folder names: a link's token, or ``user-`` and a user's name made safe.
KEY_RE = re.compile(r"^[A-Za-z0-9_.-]{8,120}$")
#: Seconds between two rewrites of a running job's live record.
LIVE_EVERY = 0.5


def workspace_root(key: str, home: str | Location | None = None) -> Location:
    """The folder of workspace ``key`` (checked: no path tricks)."""
    if not KEY_RE.match(str(key)) or str(key).startswith("."):
        raise InputError(f"{key!r} is not a workspace key",
                         hint="A workspace key is the token of a workspace link.")
    return location(home if home is not None else config.home()) / "workspaces" / key


def default_root() -> Location:
    """``RENETTE_HOME``, or the folder of the workspace ``RENETTE_WORKSPACE`` names."""
    key = os.environ.get("RENETTE_WORKSPACE", "").strip()
    return workspace_root(key) if key else location(config.home())


def _iso(t: float | None) -> str | None:
    return datetime.fromtimestamp(t, timezone.utc).isoformat() if t else None


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


def dump_json(path: Location, obj: Any) -> None:
    """Write ``obj`` as indented JSON (numpy scalars and arrays as numbers and lists)."""
    path.write_text(json.dumps(obj, indent=2, default=_json_default))


class Store:
    """Job folders under a root: a local folder or an fsspec URL.

    Parameters
    ----------
    root : str, Path or UPath, optional
        Defaults to :func:`renette_widgets.config.home` (``RENETTE_HOME``), or the
        workspace ``RENETTE_WORKSPACE`` names.
    """

    def __init__(self, root: str | Location | None = None) -> None:
        self.root = location(root) if root is not None else default_root()

    @property
    def jobs_dir(self) -> Location:
        return self.root / "jobs"

    @property
    def remote(self) -> bool:
        """Is the store on an object store (or another machine's filesystem)?"""
        return is_remote(self.root)

    def check(self) -> None:
        """Fail with an :class:`InputError` (URL, reason, what to set) when the store
        cannot be written; checked once per store and process, before a job's
        tasks are planned."""
        key = str(self.root)
        if key not in _REACHABLE:
            check_reachable(self.root)
            _REACHABLE.add(key)

    # ------------------------------------------------------------ writing
    def begin(self, job) -> tuple[Location, dict[str, Location]]:
        """Make the job's folder and write its inputs there (before its tasks run,
        so that workers can read them); returns the folder and each input's path."""
        folder = self.folder(job.id)
        if not self.remote:  # an object store has no folders: a key makes its prefix
            (folder / "inputs").mkdir(parents=True, exist_ok=True)
            (folder / "results").mkdir(parents=True, exist_ok=True)
        paths = {}
        for name, rel in _input_files(job).items():
            path = folder / rel
            if not path.exists():
                write_matrix(path, job.matrices[name])
            paths[name] = path
        if job.status not in ("done", "failed", "cancelled") and not (folder / "live.json").exists():
            self._follow(job, folder / "live.json")
        return folder, paths

    def _follow(self, job, path: Location) -> None:
        """Keep ``live.json`` up to date while ``job`` runs (at most every
        :data:`LIVE_EVERY` s, and at each change of status), so that other pages and
        processes of the workspace can list it."""
        last = {"t": 0.0, "status": None}

        def record(j) -> None:
            now = time.monotonic()
            if j.status == last["status"] and now - last["t"] < LIVE_EVERY:
                return
            if j.status in ("done", "failed", "cancelled"):
                # the manifest takes over (write removes the record; should that
                # fail, an outage of the store, the record no longer reads as alive)
                _ENDED.add(j.id)
                return
            last["t"], last["status"] = now, j.status
            _write_atomic(path, {
                "id": j.id, "workflow": j.workflow, "status": j.status, "done": j.done,
                "total": j.total, "message": j.message, "params": j.params,
                "inputs": [{"name": n, "shape": list(m.shape)} for n, m in j.matrices.items()],
                "created": _iso(j.created), "started": _iso(j.started),
                "updated": _iso(time.time()), "pid": os.getpid(), "host": socket.gethostname()},
                self.root / "tmp")
        record(job)
        job.add_callback(record)

    def write(self, job) -> Location:
        """Record a job that has ended (done, failed or cancelled); returns its folder.

        Results are written only for a job that is done; the manifest last.
        Should anything fail, the folder is removed: the store never lists half
        a job.
        """
        folder = self.folder(job.id)
        try:
            self.begin(job)
            self._ended(job, folder / "live.json")
            manifest = self._manifest(job)
            files = _input_files(job)
            for entry in manifest["inputs"]:
                entry["file"] = files[entry["name"]]
            if job.status == "done":
                manifest["results"] = job.flow.write_result(job.result, folder / "results")
            else:  # a failed job's partial results mean nothing
                remove_tree(folder / "results")
            _write_atomic(folder / "manifest.json", manifest, self.root / "tmp")
            _unlink(folder / "live.json")
        except BaseException:
            remove_tree(folder)
            raise
        return folder

    def _ended(self, job, path: Location) -> None:
        """Say in the live record that the job has ended, while its results are written
        (seconds for a large job): other pages no longer count it as running."""
        try:
            rec = json.loads(path.read_text())
        except (OSError, ValueError):
            return
        rec.update(status=job.status, message=f"{job.status}; writing its results",
                   updated=_iso(time.time()))
        _write_atomic(path, rec, self.root / "tmp")

    def _manifest(self, job) -> dict:
        params = job.params
        return {
            "format": FORMAT,
            "id": job.id,
            "workflow": job.workflow,
            "status": job.status,
            "error": job.error,
            "error_type": job.error_type,
            "message": job.message,
            "params": params,
            "seed": params.get("seed"),
            "inputs": [{"name": name, "hash": job.input_hashes[name],
                        "shape": list(df.shape)} for name, df in job.matrices.items()],
            "package": {"renette_widgets": __version__},
            "versions": job.versions,
            "timings": {"created": _iso(job.created), "started": _iso(job.started),
                        "finished": _iso(job.finished), "elapsed_s": job.elapsed,
                        "tasks": job.total},
            "results": {},
        }

    # ------------------------------------------------------------ reading
    def folder(self, job_id: str) -> Location:
        """The folder of a job (the id is checked: no path tricks)."""
        if not _ID_RE.match(str(job_id)):
            raise InputError(f"{job_id!r} is not a job id")
        return self.jobs_dir / job_id

    def list(self) -> list[dict]:
        """Manifests of all stored jobs (those that have ended), newest first."""
        # a folder without a manifest is not a finished job: not listed
        out = read_json_many(d / "manifest.json" for d in children(self.jobs_dir))
        return sorted(out, key=lambda m: m["timings"].get("created") or "", reverse=True)

    def live(self) -> list[dict]:
        """Jobs running now (their ``live.json``; no manifest yet), newest first.

        Each record has ``alive``: False when the process running it has gone
        (on this host; a record from another host counts as alive while it was
        updated in the last hour), i.e. the job was interrupted.
        """
        found = (self.live_record(d.name) for d in children(self.jobs_dir))
        return sorted((r for r in found if r is not None),
                      key=lambda r: r.get("created") or "", reverse=True)

    def live_record(self, job_id: str) -> dict | None:
        """One running job's live record (with ``alive``, see :meth:`live`), or None
        when the job has ended (it has a manifest) or has no record."""
        d = self.jobs_dir / job_id
        if (d / "manifest.json").exists():
            return None
        try:
            rec = json.loads((d / "live.json").read_text())
        except (OSError, ValueError):
            return None
        rec["alive"] = _alive(rec)
        return rec

    def delete(self, job_id: str) -> None:
        """Remove a job that has ended (or whose process has gone) and its files."""
        folder = self.folder(job_id)
        if not folder.exists():
            raise InputError(f"no job {job_id!r} in this workspace")
        if not (folder / "manifest.json").exists():
            try:
                rec = json.loads((folder / "live.json").read_text())
            except (OSError, ValueError):
                rec = None
            if rec is not None and _alive(rec):
                raise InputError("this job is still running", hint="Cancel it first.")
        remove_tree(folder)

    def size(self) -> int:
        """Bytes of every file under the store's root."""
        return tree_size(self.root)

    def manifest(self, job_id: str) -> dict:
        """The manifest of one job."""
        path = self.folder(job_id) / "manifest.json"
        if not path.is_file():
            raise InputError(f"no job {job_id!r} in the store {self.root}")
        return json.loads(path.read_text())

    def load_inputs(self, job_id_or_manifest: str | dict | Location) -> dict[str, pd.DataFrame]:
        """The job's input matrices, by their original names."""
        manifest, folder = self.resolve(job_id_or_manifest)
        return {e["name"]: as_frame(read_matrix_file(folder / e["file"]))
                for e in manifest["inputs"]}

    def resolve(self, ref: str | dict | Location) -> tuple[dict, Location]:
        """(manifest, folder) from an id, a manifest or a manifest path (or URL)."""
        if isinstance(ref, dict):
            return ref, self.folder(ref["id"])
        path = location(ref)
        if not _ID_RE.match(str(ref)) or path.exists():
            if path.is_dir():
                path = path / "manifest.json"
            if not path.is_file():
                raise InputError(f"no manifest at {ref}")
            return json.loads(path.read_text()), path.parent
        return self.manifest(str(ref)), self.folder(str(ref))


#: Stores found writable by this process (:meth:`Store.check`).
_REACHABLE: set[str] = set()
#: Jobs of this process that ended after keeping a live record.
_ENDED: set[str] = set()


def _write_atomic(path: Location, obj: Any, tmp_dir: Location) -> None:
    """Write JSON so that a reader sees the old file or the new one, never half of
    one (:func:`renette_widgets.io.location.write_json`)."""
    write_json(path, obj, tmp_dir, default=_json_default)


def _unlink(path: Location) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _alive(rec: dict) -> bool:
    """Is the process that runs a live record's job still there (and, when it is
    this process, is the job still running)?"""
    if rec.get("id") in _ENDED and rec.get("pid") == os.getpid() \
            and rec.get("host") == socket.gethostname():
        return False  # ended here, but its record could not be removed (store outage)
    if rec.get("host") == socket.gethostname():
        try:
            os.kill(int(rec["pid"]), 0)
        except (ProcessLookupError, ValueError, KeyError, TypeError):
            return False
        except PermissionError:
            return True
        return True
    try:
        updated = datetime.fromisoformat(rec["updated"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return False
    return time.time() - updated < 3600


def _input_files(job) -> dict[str, str]:
    """Each input's file in the job folder (the same names every time they are asked)."""
    taken: set[str] = set()
    return {name: f"inputs/{safe_name(name, taken)}.zarr" for name in job.matrices}
