"""Files made in the kernel, sent to the page in pieces: no message of megabytes.

A download used to be a ``data:`` URI in one message (a zip of a job folder
holding a 5,000-node network is hundreds of MB). :class:`FileSender` sends
the file in pieces of :data:`~.upload.CHUNK_BYTES`; the page (``js/download.js``)
joins them into a Blob and shows a link to it.
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import IO

import anywidget

from .upload import CHUNK_BYTES

_ESM = (Path(__file__).resolve().parent / "js" / "download.js").read_text(encoding="utf-8")


class FileSender(anywidget.AnyWidget):
    """Where the links of the files sent to the page appear (``send_file``)."""

    _esm = _ESM

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        #: (name, size in bytes) of each file sent, in order.
        self.sent: list[tuple[str, int]] = []

    def send_file(self, name: str, source: bytes | str | Path, mime: str = "application/octet-stream",
                  chunk: int = CHUNK_BYTES) -> None:
        """Send ``source`` (bytes, or a file on this machine, read a piece at a time)
        as the file ``name``."""
        key = secrets.token_hex(6)
        if isinstance(source, (bytes, bytearray)):
            size = len(source)
            pieces = (memoryview(source)[a:a + chunk] for a in range(0, size, chunk))
            self._send_pieces(key, name, size, mime, pieces)
        else:
            path = Path(source)
            with open(path, "rb") as fh:
                self._send_pieces(key, name, path.stat().st_size, mime, _read(fh, chunk))
        self.sent.append((name, len(source) if isinstance(source, (bytes, bytearray))
                          else Path(source).stat().st_size))

    def clear(self) -> None:
        """Remove the links shown (another job's files)."""
        self.sent.clear()
        self.send({"type": "clear", "id": ""})

    def _send_pieces(self, key: str, name: str, size: int, mime: str, pieces) -> None:
        self.send({"type": "begin", "id": key, "name": name, "size": size, "mime": mime})
        for piece in pieces:
            self.send({"type": "piece", "id": key}, buffers=[piece])
        self.send({"type": "end", "id": key})


def _read(fh: IO[bytes], chunk: int):
    while piece := fh.read(chunk):
        yield piece
