"""The upload button of the Inputs panel: files up to the upload cap, sent in pieces.

ipywidgets' ``FileUpload`` sends each file whole, as one websocket message:
the Jupyter server (tornado) closes the socket on a message over 10 MiB, so
a larger file vanished without a word and the button stayed dead until the
page was reloaded. :class:`ChunkedUpload` is a small anywidget instead: the
browser refuses a file over the cap before sending anything (the kernel is
told, and the file is listed as rejected with the reason), sends the others
in pieces of :data:`CHUNK_BYTES` with a progress bar, and the kernel
(:class:`Receiver`) writes the pieces to a file on disk, acknowledges each
one (the browser keeps at most two pieces in flight, so progress is what the
kernel has, and a slow kernel slows the sender instead of piling up
messages), and hands the file on once the last piece is in. The numbers
behind the choice are in ``benchmarks/RESULTS.md`` ("Dashboard at scale").
"""
from __future__ import annotations

import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable

import anywidget
import traitlets as t

from ..errors import InputError
from ..io.checks import check_size
from ..io.names import safe_name

#: Bytes per piece: far below the server's 10 MiB message limit, large enough
#: that the acknowledgements cost little.
CHUNK_BYTES = 4 * 2**20
_ESM = (Path(__file__).resolve().parent / "js" / "upload.js").read_text(encoding="utf-8")


@dataclass
class _Incoming:
    """A file being received."""

    name: str
    size: int
    path: Path
    handle: IO[bytes]
    received: int = 0


@dataclass
class Receiver:
    """The kernel's side of the upload protocol (plain Python: testable without a page).

    Messages (``content`` dicts, each with the file's ``id``):
    ``start`` (name, size), ``chunk`` (offset; the bytes in ``buffers[0]``),
    ``end``, ``refused`` (the browser did not send a file over the cap),
    ``abort`` (the browser could not go on). Replies: ``ack`` (bytes
    received), ``done`` (ok, message), ``refused`` / ``error`` (message).

    Parameters
    ----------
    folder : Path
        Where received files are written.
    max_bytes : callable
        The cap, in bytes (checked here too: the browser is not trusted).
    on_file : callable
        ``on_file(name, path) -> str | None``: called with each complete file;
        returns None when the file was read, else why it was not.
    on_refused : callable
        ``on_refused(name, message)``: a file that was refused or broke off.
    """

    folder: Path
    max_bytes: Callable[[], int]
    on_file: Callable[[str, Path], str | None]
    on_refused: Callable[[str, str], None]
    incoming: dict[str, _Incoming] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)

    def handle(self, content: dict, buffers: list | None = None) -> dict | None:
        """Act on one message from the browser; returns the reply (or None)."""
        kind, key = content.get("type"), str(content.get("id", ""))
        if not key or key in self.finished:
            return None  # e.g. the browser's abort after the kernel's own error
        try:
            if kind == "start":
                return self._start(key, str(content.get("name") or "upload"),
                                   int(content.get("size", 0)))
            if kind == "chunk":
                return self._chunk(key, int(content.get("offset", -1)), buffers or [])
            if kind == "end":
                return self._end(key)
            if kind in ("refused", "abort"):
                return self._refused(key, str(content.get("name") or "upload"), content)
        except InputError as exc:
            return self._fail(key, str(exc))
        return None

    def _start(self, key: str, name: str, size: int) -> dict:
        try:
            check_size(size, name, self.max_bytes())
        except InputError as exc:
            self.finished.add(key)
            self.on_refused(name, str(exc))
            return {"type": "refused", "id": key, "message": str(exc)}
        path = self.folder / f"{safe_name(key)}-{safe_name(Path(name).stem)}.upload"
        self.incoming[key] = _Incoming(name, size, path, open(path, "wb"))  # noqa: SIM115 - closed at end
        return {"type": "ack", "id": key, "received": 0}

    def _chunk(self, key: str, offset: int, buffers: list) -> dict:
        up = self._get(key)
        piece = memoryview(buffers[0]).cast("B") if buffers else memoryview(b"")
        if offset != up.received or up.received + len(piece) > up.size:
            raise InputError(f"a piece of the upload arrived out of order ({up.received} bytes "
                             f"received, a piece at {offset})", file=up.name,
                             hint="Upload the file again.")
        up.handle.write(piece)
        up.received += len(piece)
        return {"type": "ack", "id": key, "received": up.received}

    def _end(self, key: str) -> dict:
        up = self._get(key)
        up.handle.close()
        if up.received != up.size:  # _fail removes it and lists it
            raise InputError(f"the upload broke off: {up.received} of {up.size} bytes arrived",
                             file=up.name, hint="Upload the file again.")
        del self.incoming[key]
        self.finished.add(key)
        try:
            problem = self.on_file(up.name, up.path)
        except Exception as exc:  # noqa: BLE001 - listed with the file, never lost
            problem = f"file '{up.name}' could not be read ({type(exc).__name__}: {exc})"
            self.on_refused(up.name, problem)
        return {"type": "done", "id": key, "ok": problem is None, "message": problem or ""}

    def _refused(self, key: str, name: str, content: dict) -> None:
        up = self.incoming.pop(key, None)
        if up is not None:
            up.handle.close()
            up.path.unlink(missing_ok=True)
        self.finished.add(key)
        if content.get("type") == "refused":
            try:
                check_size(int(content.get("size", 0)), name, self.max_bytes())
                message = f"file '{name}': the browser did not send it"
            except InputError as exc:
                message = str(exc)  # the cap's own words, as for a file read here
        else:
            message = (f"file '{name}': the upload stopped "
                       f"({content.get('reason') or 'the browser gave no reason'})")
        self.on_refused(name, message)
        return None

    def _get(self, key: str) -> _Incoming:
        if key not in self.incoming:
            raise InputError("an upload piece arrived for a file that is not being received",
                             hint="Upload the file again.")
        return self.incoming[key]

    def _fail(self, key: str, message: str) -> dict:
        up = self.incoming.pop(key, None)
        self.finished.add(key)
        if up is not None:
            up.handle.close()
            up.path.unlink(missing_ok=True)
            self.on_refused(up.name, message)
        return {"type": "error", "id": key, "message": message}


class ChunkedUpload(anywidget.AnyWidget):
    """An upload button for files up to the cap, sent in pieces with progress.

    Parameters
    ----------
    on_file, on_refused : callable
        See :class:`Receiver`.
    max_bytes : int
        The cap (``config.max_upload_bytes()``).
    **kwargs
        Traits: ``description``, ``accept``, ``multiple``, ``chunk_bytes``.
    """

    _esm = _ESM
    description = t.Unicode("Upload files").tag(sync=True)
    accept = t.Unicode("").tag(sync=True)
    multiple = t.Bool(True).tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    max_bytes = t.Int(0).tag(sync=True)
    chunk_bytes = t.Int(CHUNK_BYTES).tag(sync=True)
    #: Files chosen last time (the button shows it, as FileUpload did).
    count = t.Int(0).tag(sync=True)

    def __init__(self, on_file: Callable[[str, Path], str | None],
                 on_refused: Callable[[str, str], None], max_bytes: int, **kwargs: Any) -> None:
        super().__init__(max_bytes=int(max_bytes), **kwargs)
        self.folder = Path(tempfile.mkdtemp(prefix="renette-upload-"))
        # Received files live as long as the page's kernel (they are re-read from disk).
        weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        # The kernel keeps its own copy of the cap: the trait is the page's, and a page
        # can change it.
        cap = int(max_bytes)
        self.receiver = Receiver(self.folder, lambda: cap, on_file, on_refused)
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: dict, buffers: list) -> None:
        try:
            reply = self.receiver.handle(content, buffers)
        except Exception as exc:  # noqa: BLE001 - said in the page, never a silent loss
            key = str(content.get("id", ""))
            reply = self.receiver._fail(key, f"the upload failed ({type(exc).__name__}: {exc})")
        if reply is not None:
            self.send(reply)
