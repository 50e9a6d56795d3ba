"""The results store: every finished job as a folder under ``RENETTE_HOME``.

Layout (``RENETTE_HOME`` defaults to ``~/.renette``)::

    jobs/<id>/manifest.json    workflow, params, inputs (name, file, sha256,
                               shape), versions, seed, timings, status, error
    jobs/<id>/inputs/*.csv     the inputs themselves (so a job can be re-run)
    jobs/<id>/results/...      the workflow's result files (written and read
                               by the workflow: ``write_result``/``read_result``)
    tmp/                       jobs being written

A job is written into ``tmp/`` and then renamed into ``jobs/`` (atomic on one
file system), so a crash mid-write never leaves half a job in the list.
Listing reads the folders, so results survive kernel restarts. The store
knows folders and manifests, not workflows: reading a result back is
:func:`renette_widgets.api.load_result`.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import config
from .._version import __version__
from ..errors import InputError
from ..io.names import safe_name

FORMAT = 1
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


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


def dump_json(path: Path, obj: Any) -> None:
    """Write ``obj`` as indented JSON (numpy scalars and arrays as numbers and lists)."""
    path.write_text(json.dumps(obj, indent=2, default=_json_default))


class Store:
    """Job folders under a root directory.

    Parameters
    ----------
    root : str or Path, optional
        Defaults to :func:`renette_widgets.config.home`.
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else config.home()

    @property
    def jobs_dir(self) -> Path:
        return self.root / "jobs"

    # ------------------------------------------------------------ writing
    def write(self, job) -> Path:
        """Write a finished job atomically; returns its folder."""
        tmp = self.root / "tmp" / f"{job.id}-{secrets.token_hex(4)}"
        (tmp / "inputs").mkdir(parents=True)
        try:
            manifest = self._manifest(job)
            taken: set[str] = set()
            for entry, (name, df) in zip(manifest["inputs"], job.matrices.items()):
                entry["file"] = f"inputs/{safe_name(name, taken)}.csv"
                df.to_csv(tmp / entry["file"])
            if job.status == "done":
                (tmp / "results").mkdir()
                manifest["results"] = job.flow.write_result(job.result, tmp / "results")
            dump_json(tmp / "manifest.json", manifest)
            final = self.jobs_dir / job.id
            self.jobs_dir.mkdir(parents=True, exist_ok=True)
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return final

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
            "inputs": [{"name": name, "sha256": job.input_sha256[name],
                        "shape": list(df.shape)} for name, df in job.matrices.items()],
            "package": {"renette_widgets": __version__},
            "versions": job.versions,
            "timings": {"created": _iso(job.created), "started": _iso(job.started),
                        "finished": _iso(job.finished), "elapsed_s": job.elapsed,
                        "tasks": job.total},
            "results": {},
        }

    # ------------------------------------------------------------ reading
    def folder(self, job_id: str) -> Path:
        """The folder of a job (the id is checked: no path tricks)."""
        if not _ID_RE.match(str(job_id)):
            raise InputError(f"{job_id!r} is not a job id")
        return self.jobs_dir / job_id

    def list(self) -> list[dict]:
        """Manifests of all stored jobs, newest first."""
        out = []
        if self.jobs_dir.is_dir():
            for d in self.jobs_dir.iterdir():
                try:
                    out.append(json.loads((d / "manifest.json").read_text()))
                except (OSError, ValueError):
                    continue  # not a finished job folder
        return sorted(out, key=lambda m: m["timings"].get("created") or "", reverse=True)

    def manifest(self, job_id: str) -> dict:
        """The manifest of one job."""
        path = self.folder(job_id) / "manifest.json"
        if not path.is_file():
            raise InputError(f"no job {job_id!r} in the store {self.root}")
        return json.loads(path.read_text())

    def load_inputs(self, job_id_or_manifest: str | dict | Path) -> dict[str, pd.DataFrame]:
        """The job's input matrices, by their original names."""
        manifest, folder = self.resolve(job_id_or_manifest)
        return {e["name"]: pd.read_csv(folder / e["file"], index_col=0)
                for e in manifest["inputs"]}

    def resolve(self, ref: str | dict | Path) -> tuple[dict, Path]:
        """(manifest, folder) from an id, a manifest or a manifest path."""
        if isinstance(ref, dict):
            return ref, self.folder(ref["id"])
        path = Path(ref)
        if not _ID_RE.match(str(ref)) or path.exists():
            if path.is_dir():
                path = path / "manifest.json"
            if not path.is_file():
                raise InputError(f"no manifest at {ref}")
            return json.loads(path.read_text()), path.parent
        return self.manifest(str(ref)), self.folder(str(ref))
