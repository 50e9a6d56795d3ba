"""Real parts for tests of a store on object storage: an S3 server on loopback
(moto's server, in this process, so it can be stopped and started again with its
buckets kept) and the check that workers can be put in a mount namespace of
their own (``unshare --mount``, as root)."""
from __future__ import annotations

import contextlib
import os
import subprocess
import uuid

from renette_widgets.serve import free_port

#: Why the tests of workers on "another machine" cannot run here, or None.
UNSHARE_REASON: str | None
try:
    _probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, text=True,
                            timeout=20)
    UNSHARE_REASON = (None if _probe.returncode == 0 else
                      f"unshare --mount is not permitted here: {_probe.stderr.strip()}")
except (OSError, subprocess.SubprocessError) as _err:
    UNSHARE_REASON = f"unshare --mount is not available here: {_err}"


class S3Server:
    """moto's S3 server on 127.0.0.1, with the ``AWS_*`` variables pointing at it.

    ``stop()`` and ``start()`` again keep its buckets and objects (moto's state
    lives in this process), as a real store keeps them across an outage.
    """

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer
        self.port = free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.env = {"AWS_ACCESS_KEY_ID": "renette-test", "AWS_SECRET_ACCESS_KEY": "renette-test",
                    "AWS_ENDPOINT_URL": f"http://127.0.0.1:{self.port}",
                    "AWS_DEFAULT_REGION": "us-east-1"}
        self.running = False

    def start(self) -> "S3Server":
        if not self.running:
            self._server.start()
            self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self._server.stop()
            self.running = False

    def bucket(self) -> str:
        """A new, empty bucket; returns its ``s3://`` URL."""
        import fsspec
        name = f"renette-{uuid.uuid4().hex[:12]}"
        with set_env(self.env):
            fs = fsspec.filesystem("s3", skip_instance_cache=True)
            fs.mkdir(name)
        return f"s3://{name}"


def _fresh_s3() -> None:
    """fsspec keeps S3 filesystems made with the endpoint of their time: another
    server (another port) needs new ones."""
    try:
        import s3fs
        s3fs.S3FileSystem.clear_instance_cache()
    except ImportError:
        pass


@contextlib.contextmanager
def set_env(values: dict[str, str | None]):
    """Environment variables set (None: removed) inside the block, restored after
    (S3 filesystems made meanwhile are forgotten on both sides)."""
    old = {k: os.environ.get(k) for k in values}
    _fresh_s3()
    try:
        _apply(values)
        yield
    finally:
        _apply(old)
        _fresh_s3()


def _apply(values: dict[str, str | None]) -> None:
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
