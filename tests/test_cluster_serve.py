"""`make run`'s launcher: prints the dashboard URL, serves it, and Ctrl-C
stops every process it started."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from renette_widgets.serve import free_port

pytestmark = pytest.mark.slow  # starts the whole `make run` stack


def _children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout
    return {int(p) for p in out.split()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True,
                          text=True).stdout.strip()[:1] not in ("", "Z")


def test_run_prints_the_url_serves_it_and_ctrl_c_stops_everything(tmp_path):
    port = free_port()
    env = {**os.environ, "RENETTE_HOME": str(tmp_path)}
    env.pop("DASK_SCHEDULER_ADDRESS", None)
    proc = subprocess.Popen([sys.executable, "-m", "renette_widgets.serve", "--workers", "1",
                             "--port", str(port), "--scheduler-port", str(free_port())],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, stdin=subprocess.DEVNULL)
    try:
        url, lines, deadline = None, [], time.time() + 240
        while url is None and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"ReNette dashboard: (http://\S+)", line)
            url = m.group(1) if m else None
        assert url == f"http://127.0.0.1:{port}/", "".join(lines)
        with urllib.request.urlopen(url, timeout=60) as page:
            html = page.read().decode()
        assert page.status == 200 and "widget-view" in html
        children = _children(proc.pid)
        assert len(children) == 3  # scheduler, one worker, voila
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
        deadline = time.time() + 30
        while any(_alive(c) for c in children) and time.time() < deadline:
            time.sleep(0.5)
        assert not any(_alive(c) for c in children)
    finally:
        if proc.poll() is None:  # SIGTERM stops the stack as Ctrl-C does
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
