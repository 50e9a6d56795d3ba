"""Memory as a limit: a job that would not fit is refused before it starts, saying
what it needs, what there is and what to do; keeping the most variable
variables is the common reduction."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets import workflows
from renette_widgets.io.checks import keep_most_variable
from renette_widgets.jobs import memory


class FakeClient:
    """Only what the check asks of a client: the workers' memory limits."""

    def __init__(self, limit):
        self.limit = limit

    def scheduler_info(self):
        return {"workers": {"a": {"memory_limit": self.limit}, "b": {"memory_limit": self.limit}}}


def test_each_workflow_estimates_the_largest_task():
    big = pd.DataFrame(np.zeros((100, 20000)))
    est = workflows.get("inference").memory({"x": big}, {"methods": {"cor": {}}})
    # blocks: the data twice and three blocks of at most 256 MB, not the network
    assert est.per_task < 1e9 and est.client == 8 * 20000 ** 2
    est = workflows.get("inference").memory({"x": big}, {"methods": {"TOM": {}}})
    assert est.per_task > 8 * 8 * 20000 ** 2 and "20,000 x 20,000 network by TOM" in est.what
    nets = {"a": pd.DataFrame(np.zeros((3000, 3000))), "b": pd.DataFrame(np.zeros((3000, 3000)))}
    assert workflows.get("distance").memory(nets, {}).per_task == 8 * 3000 ** 2 * 9


def test_a_job_too_large_for_the_workers_is_refused_in_words():
    est = memory.Estimate(per_task=30 * 2**30, client=0, what="a 20,000 x 20,000 network by TOM")
    with pytest.raises(rw.TooLargeError) as err:
        memory.check(est, FakeClient(12 * 2**30))
    text = str(err.value)
    assert "30.0 GB" in text and "12.0 GB" in text and "TOM" in text
    assert "top_variance" in err.value.hint and "DASK_SCHEDULER_ADDRESS" in err.value.hint
    memory.check(memory.Estimate(per_task=2**30), FakeClient(12 * 2**30))  # fits
    memory.check(est, FakeClient(0))  # no limit said: nothing to check
    memory.check(memory.Estimate(per_task=memory.SMALL - 1), None)  # small: not even asked


def test_keep_most_variable_keeps_order_and_says_so():
    df = pd.DataFrame({"a": [1.0, 1.1, 0.9], "b": [0, 10, -10.0], "c": [0, 1, 2.0],
                       "d": [5, 5, 5.0]})
    out = keep_most_variable(df, 2, "x.csv")
    assert list(out.columns) == ["b", "c"]
    assert "kept the 2 variables of largest variance out of 4" in out.attrs["notes"][-1]
    assert keep_most_variable(df, None) is df and keep_most_variable(df, 10) is df


@pytest.mark.slow
def test_refused_job_runs_nothing_and_top_variance_fits_it(client, monkeypatch):
    x = pd.DataFrame(np.random.default_rng(0).normal(size=(30, 300)),
                     columns=[f"g{j}" for j in range(300)])
    # workers of 2 MB: a 300 x 300 TOM (8 copies of 0.7 MB) does not fit
    monkeypatch.setattr(memory, "worker_memory", lambda c: 2 * 2**20)
    monkeypatch.setattr(memory, "SMALL", 0)  # check small jobs too
    with pytest.raises(rw.TooLargeError, match="300 x 300 network by TOM"):
        rw.infer(x, "TOM", client=client, store=False)
    job = rw.submit("inference", {"x": x}, {"method": "TOM"}, client=client, store=False).wait(60)
    assert job.status == "failed" and job.total == 0 and job.error_type == "TooLargeError"
    net = rw.infer(x, "TOM", client=client, store=False, top_variance=40)
    assert net.shape == (40, 40)


KEPT = """
import sys
import subprocess
import sys

import numpy as np
import psutil
from renette_widgets import config
if sys.argv[1] == "fixed":
    assert config.return_large_buffers()
big = np.ones(2**21)  # 16 MB, mmapped, freed: glibc's default now keeps buffers up to 16 MB
del big
base = psutil.Process().memory_info().rss
bufs = [np.ones(2**20) for _ in range(30)]  # 30 buffers of 8 MB, as a reader's chunks
last = bufs.pop()  # the newest stays (as a view still drawing holds it)
bufs.clear()
print((psutil.Process().memory_info().rss - base) / 2**20)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_a_kernel_gives_freed_chunk_buffers_back():
    """The dashboard's kernel reads networks a few MB at a time: with the fixed mmap
    threshold (``config.return_large_buffers``, set by every Session), freed 8 MB
    buffers go back to the system; under glibc's default they stay in the heap."""
    def kept(mode: str) -> float:
        out = subprocess.run([sys.executable, "-c", KEPT, mode], capture_output=True, text=True,
                             check=True)
        return float(out.stdout.strip())
    assert kept("default") > 150  # the default keeps most of the 240 MB: the test can fail
    assert kept("fixed") < 20
