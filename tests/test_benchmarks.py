"""Smoke tests of benchmarks/: the pieces `make bench` relies on still fit the
package (benchmarks are run by hand, so nothing else would notice them break).

No timing is asserted here: speed is measured by `make bench`, not tested.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_distance  # noqa: E402
import bench_scaling  # noqa: E402
import common  # noqa: E402


def test_reference_r_times_every_distance_step(tmp_path):
    nets = common.random_networks(3, 12, seed=1)
    raw = tmp_path / "nets.bin"
    common.write_doubles(raw, nets)
    ref = common.run_reference("distance", raw, 3, 12, 1, timeout=120)
    assert set(ref) == {"spectra", "pairs", "netdist"}
    assert all(ref[k]["wall"] >= 0 for k in ref)


def test_dask_floor_carries_the_networks(client):
    assert bench_distance.dask_floor(client, common.random_networks(4, 10, seed=2), 1) > 0


def test_scaling_records_the_graph_planned_for_16_workers(client):
    """The recorded graph is the one a 16-worker cluster gets (finer than on 2),
    and the schedulers of the model run on it."""
    from renette_widgets.jobs.placement import cluster_state, planning_for
    workflow, frames, params = next(job for name, job in bench_scaling.jobs(True).items()
                                    if name.startswith("stability"))
    on_two = bench_scaling.record(client, workflow, frames, params)["graph"]
    with planning_for(16):
        assert len(cluster_state(client)[0]) == 16
        graph = bench_scaling.record(client, workflow, frames, params)["graph"]
    assert len(cluster_state(client)[0]) == 2
    assert len(graph) > len(on_two)
    work = sum(s for s, _, _ in graph.values())
    one = bench_scaling.list_schedule(graph, 1)
    assert one == pytest.approx(work)
    assert bench_scaling.critical_path(graph) <= bench_scaling.list_schedule(graph, 16) <= one
    assert np.isfinite(bench_scaling.list_schedule(graph, 8, overhead=0.001))
