"""Uploads without a browser: the messages the page's upload button sends
(renette_widgets/widgets/js/upload.js), handed to the widget's own handler in
the same order, so every test of the Inputs panel goes through the real
protocol (size check, pieces, acknowledgements, reading from disk)."""
from __future__ import annotations

import secrets


def send_file(upload, name: str, content: bytes, chunk: int | None = None) -> list[dict]:
    """Send one file as upload.js does; returns the kernel's replies."""
    replies: list[dict] = []
    upload.send = lambda msg, buffers=None: replies.append(msg)  # what the browser would get
    try:
        key = secrets.token_hex(6)
        if len(content) > upload.max_bytes:  # refused by the browser, before sending
            upload._message(upload, {"type": "refused", "id": key, "name": name,
                                     "size": len(content)}, [])
            return replies
        upload._message(upload, {"type": "start", "id": key, "name": name,
                                 "size": len(content)}, [])
        if replies[-1]["type"] != "ack":
            return replies
        step = chunk or upload.chunk_bytes
        for offset in range(0, len(content), step):
            upload._message(upload, {"type": "chunk", "id": key, "offset": offset},
                            [memoryview(content[offset:offset + step])])
        upload._message(upload, {"type": "end", "id": key}, [])
        return replies
    finally:
        del upload.send


def upload(panel, *files: tuple[str, bytes]) -> None:
    """Choose ``files`` (name, bytes) in the panel's upload button."""
    panel.upload.count = len(files)
    for name, content in files:
        send_file(panel.upload, name, content)
