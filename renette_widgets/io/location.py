"""Where the store lives: a local folder, or an fsspec URL (``s3://``, ``gs://``,
``abfs://``, ``file://``).

A *location* is what the store's code joins and reads with the ``pathlib`` API:
a :class:`pathlib.Path` for a local folder (so a local store behaves exactly as
it did before URLs), and a :class:`upath.UPath` (universal_pathlib: the pathlib
API over an fsspec filesystem) for anything else. What crosses to a dask worker
is always the location's *string* (:func:`url`): a worker opens it with its
own credentials, from each storage library's standard configuration
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL``,
fsspec's config files, ...). Nothing here writes a credential anywhere.

Object stores have no ``rename``: :func:`write_json` writes a whole object in one
request (a reader sees the old object or the new one), and a local file through a
temporary file renamed into place, as before.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any, Iterable, Union

from upath import UPath

from ..errors import InputError

#: A local folder or a remote location, both with the pathlib API.
Location = Union[Path, UPath]

_LOCAL_SCHEMES = ("file", "local")
#: Variables each storage library reads for its credentials and endpoint, named in
#: the messages of a store that cannot be reached (and copied to workers that lack
#: them, :func:`storage_environ`).
STORAGE_VARIABLES = {
    "s3": ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
           "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION", "AWS_REGION",
           "AWS_PROFILE"),
    "gs": ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT"),
    "abfs": ("AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT_KEY",
             "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_SAS_TOKEN"),
}
_EXTRAS = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "abfs": "adlfs",
           "az": "adlfs", "abfss": "adlfs"}


def scheme(where: str | os.PathLike) -> str:
    """The URL scheme of ``where`` ("" for a local path)."""
    text = str(where)
    return text.split("://", 1)[0].lower() if "://" in text else ""


def location(where: str | os.PathLike | UPath) -> Location:
    """``where`` as a location: a :class:`~pathlib.Path` when it is local (a path,
    ``~/...``, or a ``file://`` URL), a :class:`~upath.UPath` otherwise."""
    if isinstance(where, UPath) and not isinstance(where, Path):
        return where
    text = os.fspath(where) if isinstance(where, os.PathLike) else str(where)
    sch = scheme(text)
    if not sch:
        return Path(text).expanduser()
    if sch in _LOCAL_SCHEMES:
        return Path(text.split("://", 1)[1]).expanduser()
    try:
        return UPath(text)
    except (ImportError, ValueError) as err:
        extra = _EXTRAS.get(sch)
        raise InputError(
            f"the store {text!r} cannot be opened: {err}",
            hint=(f"Install {extra} (pip install 'renette-widgets[{sch}]')" if extra else
                  "Use a local folder or an fsspec URL (s3://, gs://, abfs://, file://).")
        ) from None


def is_remote(loc: Location) -> bool:
    """Is ``loc`` on an object store or any filesystem other than this machine's?"""
    return not isinstance(loc, Path)


def url(loc: Location | str) -> str:
    """The string a dask task is given for ``loc`` (a local path, or a URL)."""
    return str(loc)


def write_json(path: Location, obj: Any, tmp_dir: Location | None = None,
               default: Any = None) -> None:
    """Write ``obj`` as JSON so that a reader sees the old file or the new one,
    never half of one: a local file through a temporary file renamed into place
    (in ``tmp_dir``), an object in one request (object stores write whole objects)."""
    text = json.dumps(obj, indent=2, default=default)
    if is_remote(path):
        path.write_text(text)
        return
    tmp_dir = Path(tmp_dir) if tmp_dir is not None else path.parent
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"{path.parent.name}-{path.stem}-{secrets.token_hex(4)}.json"
    tmp.write_text(text)
    os.replace(tmp, path)


def read_json_many(paths: Iterable[Location]) -> list[Any]:
    """The JSON documents at ``paths`` that exist and parse, in order (on an object
    store, fetched concurrently in one call: a listing of 100 jobs is not 100
    sequential requests)."""
    paths = list(paths)
    if not paths:
        return []
    if not is_remote(paths[0]):
        texts = []
        for p in paths:
            try:
                texts.append(p.read_bytes())
            except OSError:
                continue
    else:
        fs = paths[0].fs
        found = fs.cat([p.path for p in paths], on_error="omit")
        texts = [found[p.path] for p in paths if p.path in found]
    out = []
    for text in texts:
        try:
            out.append(json.loads(text))
        except ValueError:
            continue
    return out


def remove_tree(loc: Location) -> None:
    """Remove a folder and everything under it (nothing when it is not there)."""
    if not is_remote(loc):
        shutil.rmtree(loc, ignore_errors=True)
        return
    try:
        loc.fs.rm(loc.path, recursive=True)
    except FileNotFoundError:
        pass
    loc.fs.invalidate_cache(loc.path)


def tree_size(loc: Location) -> int:
    """Bytes of every file under ``loc``."""
    if is_remote(loc):
        try:
            return int(loc.fs.du(loc.path, total=True))
        except FileNotFoundError:
            return 0
    total = 0
    for dirpath, _dirs, files in os.walk(loc):
        for f in files:
            try:
                total += os.stat(os.path.join(dirpath, f)).st_size
            except OSError:
                continue  # removed while we walked
    return total


def children(loc: Location) -> list[Location]:
    """The entries of a folder (none when it is not there); an object store's
    listing is asked afresh (fsspec caches listings, and other processes add jobs)."""
    if is_remote(loc):
        loc.fs.invalidate_cache(loc.path)
        try:
            return list(loc.iterdir())
        except (FileNotFoundError, NotADirectoryError):
            return []
    return list(loc.iterdir()) if loc.is_dir() else []


def open_file(where: str | Location, mode: str = "rb"):
    """A file object for a store file, local or remote (Parquet through pyarrow)."""
    loc = location(where) if not isinstance(where, (Path, UPath)) else where
    if not is_remote(loc):
        return open(loc, mode)
    return loc.fs.open(loc.path, mode)


def storage_environ(root: str | Location) -> dict[str, str]:
    """The standard storage variables set here for the store ``root``'s scheme (to
    give workers that lack them: see :mod:`renette_widgets.jobs.cluster`)."""
    names = STORAGE_VARIABLES.get(_family(scheme(str(root))), ())
    return {n: os.environ[n] for n in names if os.environ.get(n)}


def _family(sch: str) -> str:
    return {"s3a": "s3", "gcs": "gs", "az": "abfs", "abfss": "abfs"}.get(sch, sch)


def check_reachable(root: Location) -> None:
    """Write and remove a small object at the store ``root``; an
    :class:`~renette_widgets.errors.InputError` naming the URL, the library's reason
    and the variables to set when that fails (before any task is planned)."""
    probe = root / "tmp" / f"probe-{secrets.token_hex(6)}"
    try:
        if not is_remote(root):
            probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_text("renette")
        probe.unlink()
    except Exception as err:  # noqa: BLE001 - any library's failure, reported in words
        names = STORAGE_VARIABLES.get(_family(scheme(str(root))), ())
        hint = ("Check that the folder exists and that you may write there (RENETTE_HOME)."
                if not is_remote(root) else
                "Check the URL (RENETTE_HOME) and the storage's credentials and endpoint"
                + (f" ({', '.join(names[:4])})" if names else "") + ".")
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(f"the results store {url(root)} cannot be written: {reason}",
                         hint=hint) from None


def copy_file(src: Location, dst: Location) -> None:
    """Copy one store file (on one filesystem: the object store copies it itself)."""
    if not is_remote(src) and not is_remote(dst):
        shutil.copyfile(src, dst)
    elif is_remote(src) and is_remote(dst) and src.protocol == dst.protocol:
        src.fs.copy(src.path, dst.path)
    else:
        with open_file(src, "rb") as a, open_file(dst, "wb") as b:
            shutil.copyfileobj(a, b, 2**24)


def files_under(loc: Location) -> list[tuple[str, Location]]:
    """Every file under a folder, as (path relative to it with ``/``, location),
    sorted by relative path."""
    if not is_remote(loc):
        return sorted((p.relative_to(loc).as_posix(), p) for p in loc.rglob("*") if p.is_file())
    base = loc.path.rstrip("/")
    found = loc.fs.find(base)
    return sorted((f[len(base) + 1:], loc / f[len(base) + 1:]) for f in found
                  if f.startswith(base + "/"))


def copy_tree(src: Location, dst: Location) -> None:
    """Copy a folder (a Parquet dataset of parts) into ``dst``, file by file."""
    for rel, path in files_under(src):
        target = dst / rel
        if not is_remote(target):
            target.parent.mkdir(parents=True, exist_ok=True)
        copy_file(path, target)
