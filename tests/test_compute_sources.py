"""Where compute comes from: a dask-gateway server (a real one, its local backend,
on loopback), and one embedded cluster shared by the processes of a machine.

Each case runs the API in a new process, as a kernel or a script would, so that
``get_client`` chooses from the environment alone.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from renette_widgets.serve import free_port

pytestmark = pytest.mark.slow

# A job whose numbers are known: the conformance case of the microbiome networks.
SCRIPT = textwrap.dedent("""
    import json, os
    import renette_widgets as rw
    from renette_widgets.jobs.cluster import describe
    from conformance_helpers import EXAMPLES
    nets = [str(EXAMPLES / f"microbiome_Actinobacteria_{n}_adj.csv") for n in ("0.0-diet", "1.0-diet")]
    client = rw.get_client()
    res = rw.distance({p: rw.read_matrix(p, kind="adjacency") for p in nets}, metric="HIM",
                      store=False)
    pids = sorted(client.run(os.getpid).values())
    print(json.dumps({"where": describe(client), "address": client.scheduler.address,
                      "pids": pids, "HIM": float(res["HIM"].iat[0, 1])}), flush=True)
    if os.environ.get("HOLD_UNTIL"):  # stay connected until that file exists
        import pathlib, time
        while not pathlib.Path(os.environ["HOLD_UNTIL"]).exists():
            time.sleep(0.1)
""")
TESTS = Path(__file__).resolve().parent


def _run(env: dict, timeout: float = 300) -> dict:
    run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                         timeout=timeout, stdin=subprocess.DEVNULL, cwd=TESTS)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DASK_SCHEDULER_ADDRESS", "JPY_PARENT_PID")
           and not k.startswith("DASK_GATEWAY__")}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return {**env, **extra}


GATEWAY_CONFIG = """
from dask_gateway_server.options import Integer, Mapping, Options
c.DaskGateway.address = "127.0.0.1:{api}"
c.Proxy.address = "127.0.0.1:{proxy}"
c.DaskGateway.backend_class = "dask_gateway_server.backends.local.UnsafeLocalBackend"
c.DaskGateway.authenticator_class = "dask_gateway_server.auth.SimpleAuthenticator"
c.LocalBackend.clusters_directory = {clusters!r}
c.ClusterConfig.scheduler_cmd = [{dask!r}, "scheduler"]
c.ClusterConfig.worker_cmd = [{dask!r}, "worker"]
c.ClusterConfig.worker_memory = "4 G"
c.ClusterConfig.idle_timeout = 120


def handler(options):
    return {{"worker_threads": options.worker_threads, "environment": dict(options.environment)}}


c.Backend.cluster_options = Options(
    Integer("worker_threads", default=1, min=1, max=1, label="Threads per worker"),
    Mapping("environment", default={{}}, label="Environment variables"),
    handler=handler)
"""


@pytest.fixture()
def gateway_server(tmp_path):
    api, proxy = free_port(), free_port()
    cfg = tmp_path / "dask_gateway_config.py"
    cfg.write_text(GATEWAY_CONFIG.format(api=api, proxy=proxy, clusters=str(tmp_path / "clusters"),
                                         dask=str(Path(sys.executable).parent / "dask")))
    log = open(tmp_path / "gateway.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen([str(Path(sys.executable).parent / "dask-gateway-server"), "-f",
                               str(cfg)], stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
                              start_new_session=True)
    address = f"http://127.0.0.1:{proxy}"
    deadline = time.monotonic() + 60
    import urllib.request
    while True:  # ready when the public address answers its API
        try:
            with urllib.request.urlopen(f"{address}/api/health", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("dask-gateway-server did not start:\n"
                            + (tmp_path / "gateway.log").read_text()[-3000:])
            time.sleep(0.2)
    yield address
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def test_a_dask_gateway_server_gives_the_compute(gateway_server, cases, tmp_path):
    from conformance_helpers import assert_within
    out = _run(_env(DASK_GATEWAY__ADDRESS=gateway_server, DASK_GATEWAY__AUTH__TYPE="basic",
                    RENETTE_WORKERS="1", RENETTE_HOME=str(tmp_path / "home")))
    assert out["where"].startswith("dask-gateway cluster") and gateway_server in out["where"]
    assert out["address"].startswith(("tls://", "gateway://"))
    assert len(out["pids"]) == 1
    case = cases["netdist_renette_microbiome_adj_HIM"]
    assert_within(out["HIM"], case["expected"]["HIM"], case, "HIM")


def test_processes_of_one_machine_share_one_embedded_cluster(tmp_path):
    home = tmp_path / "home"
    env = _env(RENETTE_HOME=str(home), RENETTE_WORKERS="2", RENETTE_CLUSTER_IDLE_S="4")
    # the first kernel stays open while the second starts (as two notebooks do): the
    # sharing does not hang on how fast a process starts on a busy machine
    release = tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", SCRIPT], env={**env, "HOLD_UNTIL": str(release)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL, cwd=TESTS)
    try:
        line = holder.stdout.readline()
        assert line, holder.stderr.read()[-3000:]
        first = json.loads(line)
        second = _run(env)  # a later kernel: finds the cluster the first one started
    finally:
        release.touch()
        holder.wait(60)
    assert first["where"].startswith("the embedded cluster of this machine")
    assert second["address"] == first["address"]
    assert second["pids"] == first["pids"] and len(first["pids"]) == 2  # counted, not multiplied
    assert first["HIM"] == second["HIM"]
    announced = home / "cluster" / "scheduler.json"
    assert json.loads(announced.read_text())["address"] == first["address"]
    # with no client left, it ends by itself and withdraws its scheduler file
    deadline = time.monotonic() + 60
    while announced.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not announced.exists()
    for pid in first["pids"]:
        gone_by = time.monotonic() + 30
        while time.monotonic() < gone_by:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"worker {pid} outlived its idle cluster")
