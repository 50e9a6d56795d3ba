"""The results store: every finished job as a folder under ``RENETTE_HOME``.

Layout (``RENETTE_HOME`` defaults to ``~/.renette``)::

    jobs/<id>/manifest.json    workflow, params, inputs (name, file, sha256,
                               shape), versions, seed, timings, status, error
    jobs/<id>/inputs/*.csv     the inputs themselves (so a job can be re-run)
    jobs/<id>/results/...      CSV tables with names, GraphML networks,
                               summary.json
    tmp/                       jobs being written

A job is written into ``tmp/`` and then renamed into ``jobs/`` (atomic on one
file system), so a crash mid-write never leaves half a job in the list.
Listing reads the folders, so results survive kernel restarts.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from .errors import InputError
from .graphml import write_graphml
from .results import StabilityResult

FORMAT = 1
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def default_home() -> Path:
    """``RENETTE_HOME`` or ``~/.renette``."""
    return Path(os.environ.get("RENETTE_HOME") or Path.home() / ".renette")


def safe_name(name: str, taken: set[str] | None = None) -> str:
    """A file-system-safe, unique file stem for a user-given name."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("._") or "input"
    stem = stem[:80]
    taken = taken if taken is not None else set()
    out, k = stem, 2
    while out.lower() in taken:
        out, k = f"{stem}_{k}", k + 1
    taken.add(out.lower())
    return out


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


class Store:
    """Job folders under a root directory.

    Parameters
    ----------
    root : str or Path, optional
        Defaults to :func:`default_home`.
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_home()

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
            for entry, (name, df) in zip(manifest["inputs"], job.frames.items()):
                entry["file"] = f"inputs/{safe_name(name, taken)}.csv"
                df.to_csv(tmp / entry["file"])
            if job.status == "done":
                (tmp / "results").mkdir()
                manifest["results"] = _write_result(job.workflow, job.result,
                                                    tmp / "results")
            (tmp / "manifest.json").write_text(
                json.dumps(manifest, indent=2, default=_json_default))
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
            "error_type": getattr(job, "error_type", None),
            "message": job.message,
            "params": params,
            "seed": params.get("seed"),
            "inputs": [{"name": name, "sha256": job.inputs[name],
                        "shape": list(df.shape)} for name, df in job.frames.items()],
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
        manifest, folder = self._resolve(job_id_or_manifest)
        return {e["name"]: pd.read_csv(folder / e["file"], index_col=0)
                for e in manifest["inputs"]}

    def load_result(self, job_id: str) -> Any:
        """The job's result, in the same form as ``Job.result``."""
        manifest, folder = self._resolve(job_id)
        return _read_result(manifest["workflow"], manifest.get("results") or {},
                            folder / "results")

    def load_job(self, job_id: str):
        """A finished :class:`Job` rebuilt from the store (result loaded now)."""
        from .jobs import Job
        manifest, folder = self._resolve(job_id)
        job = Job(manifest["workflow"], {}, manifest["params"], store=False)
        job.id = manifest["id"]
        job.inputs = {e["name"]: e["sha256"] for e in manifest["inputs"]}
        job.status, job.error = manifest["status"], manifest.get("error")
        job.error_type = manifest.get("error_type")
        job.message = manifest.get("message") or job.status
        job.total = job.done = manifest["timings"].get("tasks") or 0
        job.versions = manifest.get("versions") or {}
        t = manifest["timings"]
        job.created = _epoch(t.get("created")) or 0.0
        job.started, job.finished = _epoch(t.get("started")), _epoch(t.get("finished"))
        job.folder = folder
        if job.status == "done":
            job._result = self.load_result(job.id)
        job._finished_event.set()
        return job

    def delete(self, job_id: str) -> None:
        """Remove a job folder (renamed away first, so listing never sees half)."""
        folder = self.folder(job_id)
        trash = self.root / "tmp" / f"deleted-{job_id}-{secrets.token_hex(4)}"
        trash.parent.mkdir(parents=True, exist_ok=True)
        os.rename(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def rerun(self, job_id_or_manifest: str | dict | Path, client=None, **changed):
        """Run a stored job again (same inputs), optionally with changed params.

        Parameters
        ----------
        job_id_or_manifest : str, dict or Path
            A job id, a manifest dict, or the path of a ``manifest.json``
            (or of its folder).
        client : distributed.Client, optional
        **changed
            Parameters to change (top-level keys of the job's params).

        Returns
        -------
        Job
            The new job, started (call ``.wait()``).
        """
        from .api import submit
        manifest, _ = self._resolve(job_id_or_manifest)
        params = {**manifest["params"], **changed}
        return submit(manifest["workflow"], self.load_inputs(job_id_or_manifest),
                      params, client=client, store=self)

    def _resolve(self, ref: str | dict | Path) -> tuple[dict, Path]:
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


def _epoch(iso: str | None) -> float | None:
    return datetime.fromisoformat(iso).timestamp() if iso else None


# ---------------------------------------------------------------- results I/O

def _write_result(workflow: str, result: Any, out: Path) -> dict:
    """Write a result as files; returns {key: relative path} for the manifest."""
    files: dict[str, Any] = {}
    if workflow == "inference":
        files["networks"] = {}
        taken: set[str] = set()
        for name, net in result["networks"].items():
            stem = safe_name(name, taken)
            net.to_csv(out / f"{stem}.csv")
            write_graphml(net, out / f"{stem}.graphml", name=stem)
            files["networks"][name] = {"csv": f"{stem}.csv", "graphml": f"{stem}.graphml"}
    elif workflow == "distance":
        for key in ("H", "IM", "HIM"):
            result[key].to_csv(out / f"{key}.csv")
            files[key] = f"{key}.csv"
        _dump(out / "summary.json", {"gamma": result["gamma"]})
        files["summary"] = "summary.json"
    elif workflow == "stability":
        _dump(out / "summary.json", result.summary())
        files["summary"] = "summary.json"
        for key in ("Sw", "Sd", "S_boot", "SI_boot"):
            table = getattr(result, key)
            if table is not None:
                table.to_csv(out / f"{key}.csv", index=False)
                files[key] = f"{key}.csv"
        if result.Sd_boot is not None:
            result.Sd_boot.to_csv(out / "Sd_boot.csv")
            files["Sd_boot"] = "Sd_boot.csv"
        result.ADJ.to_csv(out / "ADJ.csv")
        write_graphml(result.ADJ, out / "ADJ.graphml", name="ADJ")
        files["ADJ"] = "ADJ.csv"
        idx = pd.DataFrame([(r + 1, int(row) + 1) for r, rows in enumerate(result.indices)
                            for row in rows], columns=["resample", "row"])
        idx.to_csv(out / "resampling_indices.csv", index=False)
        files["resampling_indices"] = "resampling_indices.csv"
    elif workflow == "statistics":
        files["networks"] = {}
        taken = set()
        for name, tables in result.items():
            stem = safe_name(name, taken)
            tables["nodes"].to_csv(out / f"{stem}_nodes.csv", index=False)
            tables["network"].to_csv(out / f"{stem}_network.csv", index=False)
            files["networks"][name] = {"nodes": f"{stem}_nodes.csv",
                                       "network": f"{stem}_network.csv"}
    return files


def _dump(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, default=_json_default))


def _read_result(workflow: str, files: dict, folder: Path) -> Any:
    """Inverse of :func:`_write_result`."""
    if workflow == "inference":
        return {"networks": {name: pd.read_csv(folder / f["csv"], index_col=0)
                             for name, f in files["networks"].items()}}
    if workflow == "distance":
        res = {k: pd.read_csv(folder / files[k], index_col=0) for k in ("H", "IM", "HIM")}
        res["gamma"] = json.loads((folder / files["summary"]).read_text())["gamma"]
        return res
    if workflow == "stability":
        summary = json.loads((folder / files["summary"]).read_text())

        def table(key, **kw):
            return pd.read_csv(folder / files[key], **kw) if key in files else None
        idx = pd.read_csv(folder / files["resampling_indices"])
        indices = [g["row"].to_numpy() - 1 for _, g in idx.groupby("resample", sort=True)]
        sd_boot = table("Sd_boot", index_col=0)
        return StabilityResult(S=summary["S"], SI=summary["SI"], Sw=table("Sw"),
                               Sd=table("Sd"), S_boot=table("S_boot"),
                               SI_boot=table("SI_boot"), Sd_boot=sd_boot,
                               ADJ=table("ADJ", index_col=0), indices=indices,
                               metric=summary["metric"])
    if workflow == "statistics":
        return {name: {"nodes": pd.read_csv(folder / f["nodes"]),
                       "network": pd.read_csv(folder / f["network"])}
                for name, f in files["networks"].items()}
    raise ValueError(f"unknown workflow {workflow!r}")


def now() -> float:
    """Current time (kept here so tests can reason about timings)."""
    return time.time()
