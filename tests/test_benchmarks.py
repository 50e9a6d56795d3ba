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


def test_the_distance_floor_and_the_job_compute_the_same_distances(tmp_path, client):
    """What bench_distance.py times in plain R (the pairs from the spectra, netdist) and
    the job it measures against them give the same HIM: the ratios compare like with like."""
    nets = common.random_networks(4, 12, seed=1)
    raw = tmp_path / "nets.bin"
    common.write_doubles(raw, nets)
    ref = common.run_reference("distance", raw, 4, 12, 1, timeout=120)
    assert {"spectra", "pairs", "netdist"} <= set(ref)
    job, _, _ = common.run_job(client, "distance", bench_distance.frames(nets), {"metric": "HIM"})
    him = job.result["HIM"].to_numpy()[np.triu_indices(4, 1)]  # i < j, row-major, as R's pairs
    assert np.all(him > 0)
    np.testing.assert_allclose(ref["him"]["pairs"], him, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ref["him"]["netdist"], him, rtol=0, atol=1e-12)


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
