"""Jobs on the embedded cluster: progress, states, R errors, priorities, cancel."""
from __future__ import annotations

import json
import threading
import time

import numpy as np
import pandas as pd

from renette_widgets import Job, Store, api, workflows
from renette_widgets.engine import cache, packing
from renette_widgets.engine.reductions import edge_extremes
from renette_widgets.engine.spectra import chunk_spec, stack_specs, t_block, t_spectra
from renette_widgets.engine.tasks import t_sw
from renette_widgets.engine.worker import engine
from renette_widgets.jobs import grain
from renette_widgets.jobs.placement import chunk_placement, planning_for
from renette_widgets.symmetry import is_directed
from renette_widgets.workflows.stability import edge_table


def _job(workflow, inputs, params, store=True):
    """A Job of ``workflow`` whose params are taken as given (no validation)."""
    return Job(workflows.get(workflow), inputs, params, store=Store() if store else None)


def _nets(k, n, seed=0):
    rng = np.random.default_rng(seed)
    names = [f"g{i}" for i in range(n)]
    out = {}
    for j in range(k):
        a = rng.random((n, n))
        a = np.where((a + a.T) / 2 > 0.7, (a + a.T) / 2, 0.0)
        np.fill_diagonal(a, 0)
        out[f"net{j}"] = pd.DataFrame(a, index=names, columns=names)
    return out


def _data(n, p, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(n, p)), columns=[f"v{i}" for i in range(p)])


def test_progress_states_and_store(client, renette_home):
    seen = []
    job = api.submit("distance", _nets(6, 30), {"metric": "HIM"})
    job.add_callback(lambda j: seen.append((j.status, j.done, j.total)))
    job.wait(120)
    assert job.status == "done", job.error
    # at least one chunk of spectra and one tile of the 15 pairs
    assert job.total >= 2 and job.done == job.total
    dones = [d for _, d, _ in seen]
    assert dones == sorted(dones) and seen[-1] == ("done", job.total, job.total)
    assert job.message.startswith("done")
    assert len(job.id) >= 16 and job.id != api.submit("distance", _nets(2, 5)).wait(60).id
    assert all(h.startswith("blake3:") and len(h) == 71 for h in job.input_hashes.values())
    m = json.loads((job.folder / "manifest.json").read_text())
    assert job.folder.parent == renette_home / "jobs"
    assert m["status"] == "done" and m["timings"]["tasks"] == job.total
    assert job.result["HIM"].shape == (6, 6)
    assert np.allclose(job.result["HIM"], job.result["HIM"].T)


def test_r_error_fails_the_job_in_words_and_the_worker_keeps_serving(client):
    data = _data(20, 4)
    # Bypass validation (params.py would reject these) to reach R with bad values.
    bad = _job("inference", {"d": data},
               {"methods": {"cor": {"method": "nonsense"}}, "seed": 0}).start()
    bad.wait(60)
    assert bad.status == "failed"
    assert "R error in mat2adj()" in bad.error and "pearson" in bad.error
    assert "Traceback" not in bad.error
    # An input error signalled by R (class renette_input_error) keeps its words.
    worded = _job("inference", {"d": data}, {"methods": {"TOM": {"P": "six"}},
                                             "seed": 0}).wait(60)
    assert worded.status == "failed" and "soft-threshold power" in worded.error
    assert worded.error_type == "InputError" and bad.error_type == "RuntimeError"
    assert api.load_job(worded.id).error_type == "InputError"
    stored = Store().manifest(bad.id)
    assert stored["status"] == "failed" and "pearson" in stored["error"]
    good = api.infer(data, "cor")  # same workers, still serving
    assert good.shape == (4, 4)


def test_quick_job_is_not_stuck_behind_a_long_one_and_cancel(client):
    # ~1.5 s in 60 tasks (blocks of MINE pairs): a quick job waits for one task,
    # not for the job (a stability job on 2 workers is two long chunks)
    long = api.submit("inference", {"big": _data(100, 60, seed=2)},
                      {"methods": {"MINE": {}}})
    started = threading.Event()
    long.add_callback(lambda j: j.done > 0 and started.set())
    assert started.wait(120), long
    quick = api.submit("distance", _nets(2, 20, seed=3))
    quick.wait(120)
    long_state = (long.status, long.done, long.total)
    assert quick.status == "done", quick.error
    assert long_state[0] == "running" and long_state[1] < long_state[2], long_state
    long.cancel()
    long.wait(60)
    assert long.status == "cancelled"
    assert Store().manifest(long.id)["status"] == "cancelled"


def test_cancel_before_start_is_recorded(client):
    job = _job("statistics", _nets(1, 5), {"seed": 0})
    job.cancel()
    assert job.status == "cancelled" and job.wait(0) is job
    assert Store().manifest(job.id)["error"] == "cancelled by the user"


def _cache_size():
    return len(cache.SPECTRA)


def test_the_spectrum_cache_counts_its_bytes_and_drops_the_oldest(monkeypatch):
    monkeypatch.setattr(cache, "SPECTRA", type(cache.SPECTRA)())
    monkeypatch.setattr(cache, "_held_bytes", 0)
    monkeypatch.setattr(cache, "SPECTRUM_CACHE_BYTES", 10_000)
    for i in range(50):
        cache.put(f"k{i}", {"P": np.zeros(100), "D": np.zeros(50), "gamma": 1.0})
        cache.put(f"k{i}", {"P": np.zeros(100), "D": np.zeros(50), "gamma": 1.0})  # again
        cache.trim(keep=2)
    held = sum(x.nbytes for v in cache.SPECTRA.values() for x in v.values()
               if isinstance(x, np.ndarray))
    assert cache._held_bytes == held <= 10_000
    assert list(cache.SPECTRA) == [f"k{i}" for i in range(42, 50)]  # the newest kept
    cache.SPECTRUM_CACHE_BYTES = 0
    cache.trim(keep=3)
    assert list(cache.SPECTRA) == ["k47", "k48", "k49"]


def _idle(client):
    """Wait for the workers to finish what they run (a cancelled job's running
    task, a chunk of spectra, may still be filling the cache)."""
    def executing(dask_worker):
        return len(dask_worker.state.executing)
    deadline = time.monotonic() + 60
    while sum(client.run(executing).values()) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_spectra_are_reused_across_jobs(client):
    cache_size = _cache_size
    _idle(client)
    worker = sorted(client.scheduler_info()["workers"])[0]
    nets = _nets(2, 25, seed=7)
    net, other = nets["net0"].to_numpy(), nets["net1"].to_numpy()
    before = client.run(cache_size, workers=[worker])[worker]

    def spectra(*mats, directed=False):
        chunk = client.submit(t_spectra, list(mats), directed, 0.1, workers=[worker],
                              pure=False).result()
        return [chunk_spec(chunk, k) for k in range(len(mats))]
    first, = spectra(net)
    assert client.run(cache_size, workers=[worker])[worker] == before + 1
    # The same network again (another job would send a new copy): from the cache,
    # in its place in a chunk whose other network is new.
    second, new = spectra(net.copy(), other)
    assert client.run(cache_size, workers=[worker])[worker] == before + 2
    np.testing.assert_array_equal(second["omega"], first["omega"])
    np.testing.assert_array_equal(second["D"], first["D"])
    assert not np.array_equal(new["omega"], first["omega"])
    # Packed, as a distance job sends it: the same network, from the cache.
    third, = spectra(packing.pack(net))
    assert client.run(cache_size, workers=[worker])[worker] == before + 2
    np.testing.assert_array_equal(third["omega"], first["omega"])
    np.testing.assert_array_equal(third["P"], packing.pack(net))
    # As directed, it is another spectrum.
    spectra(net, directed=True)
    assert client.run(cache_size, workers=[worker])[worker] == before + 3


def test_a_job_sent_again_finds_its_spectra(client):
    """Each chunk of spectra goes back to the worker that computed it: a job on
    the same networks (here with other rho) computes no spectrum again."""
    nets = _nets(10, 100, seed=11)  # two chunks on two workers
    assert grain.n_parts(10, 10 * grain.network_cost(100), 2) == 2
    _idle(client)
    before = sum(client.run(_cache_size).values())
    first = api.submit("distance", nets, {"metric": "HIM"}, store=False).wait()
    assert sum(client.run(_cache_size).values()) == before + 10
    for rho in (0.5, 2.0, 1.0):
        again = api.submit("distance", nets, {"metric": "HIM", "rho": rho}, store=False).wait()
        assert again.status == "done", again.error
        assert sum(client.run(_cache_size).values()) == before + 10
    pd.testing.assert_frame_equal(again.result["HIM"], first.result["HIM"])


def test_a_stability_job_sent_again_finds_its_spectra(client):
    """The same data and seed give the same resampled networks: another
    indicator or rho computes none of their spectra again."""
    data = _data(30, 12, seed=9)
    _idle(client)
    before = sum(client.run(_cache_size).values())
    params = {"method": "cor", "h": 6, "seed": 3}
    first = api.submit("stability", {"d": data}, params, store=False).wait()
    assert first.status == "done", first.error
    assert sum(client.run(_cache_size).values()) == before + 7  # 6 resamples + all rows
    for extra in ({"indicator": "S"}, {"rho": 0.5}, {}):
        again = api.submit("stability", {"d": data}, {**params, **extra}, store=False).wait()
        assert again.status == "done", again.error
        assert sum(client.run(_cache_size).values()) == before + 7
    assert again.result.S == first.result.S


def test_chunk_placement_spreads_chunks_and_jobs():
    workers = ["tcp://a:1", "tcp://b:2", "tcp://c:3"]
    keys = ["spectra-0-j", "spectra-1-j", "spectra-2-j"]
    rng = np.random.default_rng(0)
    nets = [rng.random(10) for _ in range(12)]
    place = [chunk_placement(workers, set(workers), keys, a) for a in nets]
    for p in place:  # one chunk per worker
        assert sorted(p) == keys and sorted(p.values()) == workers
    # the same network, the same place; jobs with other first networks start elsewhere
    assert chunk_placement(workers, set(workers), keys, nets[0].copy()) == place[0]
    assert len({p[keys[0]] for p in place}) == 3
    # a chunk whose worker is busy is not placed
    busy = place[0][keys[1]]
    assert chunk_placement(workers, set(workers) - {busy}, keys, nets[0]) == \
        {k: w for k, w in place[0].items() if w != busy}
    assert chunk_placement([], set(), keys, nets[0]) == {}


def _r_sw(nets, symm):
    return engine().netsi_sw(nets, symm=symm)


def test_sw_from_chunk_extremes_is_netsi_sw(client):
    """Sw combined from each chunk's per-edge max/min/sum has the same bits as
    renette::netsi_sw over all the resamples (undirected, and directed with a
    chunk of symmetric networks among directed ones)."""
    rng = np.random.default_rng(7)

    def sym(p):
        a = np.triu(rng.random((p, p)) * (rng.random((p, p)) < 0.5), 1)
        return a + a.T

    und = [sym(9) for _ in range(7)]
    mixed = und[:4] + [rng.random((9, 9)) for _ in range(3)]
    for a in und + mixed:
        a[0, 1] = a[1, 0] = 0.0  # an edge absent everywhere: NA, as all.equal(mean, 0)
    for nets in (und, mixed):
        chunks = [{"nets": c, "directed": [is_directed(a) for a in c],
                   "edges": edge_extremes(c, not all(np.array_equal(a, a.T) for a in c))}
                  for c in (nets[:3], nets[3:5], nets[5:])]
        symm = not any(d for c in chunks for d in c["directed"])
        got = t_sw(chunks)
        ref = client.submit(_r_sw, nets, symm, pure=False).result()
        assert len(got) == (36 if symm else 72) and np.isnan(got[0])
        np.testing.assert_array_equal(got, ref)


def test_sw_edges_follow_netsi_sw_order():
    nodes = ["a", "b", "c"]
    und = edge_table(np.arange(3.0), nodes)
    assert list(zip(und["i"], und["j"])) == [("a", "b"), ("a", "c"), ("b", "c")]
    # directed: by first node, then second, as renette::netsi_sw(symm = FALSE) names them
    di = edge_table(np.arange(6.0), nodes)
    assert list(zip(di["i"], di["j"])) == [("a", "b"), ("a", "c"), ("b", "a"), ("b", "c"),
                                           ("c", "a"), ("c", "b")]


def test_task_grain_does_not_change_the_numbers(client):
    """The plan for 2 workers and for 16 (finer chunks and tiles, each resample's
    spectrum a task of its own) give the same numbers."""
    data, nets = _data(30, 12, seed=4), _nets(12, 100, seed=5)
    params = {"method": "cor", "h": 6, "seed": 3}
    results, totals = {}, {}
    for workers in (2, 16):
        # 16: the 14 workers the cluster lacks, made up and busy
        with planning_for(workers):
            stab = api.submit("stability", {"d": data}, params, store=False).wait(120)
            dist = api.submit("distance", nets, {"metric": "HIM"}, store=False).wait(120)
        assert stab.status == dist.status == "done", (stab.error, dist.error)
        results[workers] = (stab.result, dist.result)
        totals[workers] = (stab.total, dist.total)
    assert totals[16][0] > totals[2][0] and totals[16][1] > totals[2][1]
    (s2, d2), (s16, d16) = results[2], results[16]
    assert s2.S == s16.S and s2.SI == s16.SI
    for field in ("Sw", "Sd", "S_boot", "SI_boot", "Sd_boot"):
        pd.testing.assert_frame_equal(getattr(s2, field), getattr(s16, field))
    for field in ("H", "IM", "HIM"):
        pd.testing.assert_frame_equal(d2[field], d16[field])
    assert d2["gamma"] == d16["gamma"]


def test_symmetric_networks_travel_packed_and_give_the_same_distances(client):
    """Chunks send exactly symmetric networks as R's c(A[upper.tri(A)], diag(A)),
    other networks whole; a tile of packed networks, and a tile mixing both,
    give the numbers of the full networks."""
    a = np.array([[0.0, 0.1, 0.2], [0.1, 0.5, 0.3], [0.2, 0.3, 0.0]])
    assert packing.pack(a).tolist() == [0.1, 0.2, 0.3, 0.0, 0.5, 0.0]
    np.testing.assert_array_equal(packing.unpack(packing.pack(a)), a)
    nets = [df.to_numpy() for df in _nets(5, 30, seed=12).values()]
    nets[1] = nets[1] * 4  # outside [0, 1]: R rescales it, and that is what is packed
    nets[4] = nets[4] + np.triu(nets[4], 1) * 0.5  # not symmetric: sent whole
    chunk = client.submit(t_spectra, nets, False, 0.3, pure=False).result()
    specs = [chunk_spec(chunk, k) for k in range(5)]
    assert ["P" in s for s in specs] == [True] * 4 + [False]
    full = [{**{k: v for k, v in s.items() if k != "P"},
             "A": s["A"] if "A" in s else packing.unpack(s["P"])} for s in specs]
    assert full[1]["A"].max() == 1.0
    pairs = np.array([(0, 1), (0, 2), (1, 3), (3, 2)])
    for packed, ks in ((stack_specs(specs[:4]), range(4)), (chunk, range(5))):
        got = client.submit(t_block, [packed], [(0, k) for k in ks], pairs, 0.5,
                            pure=False).result()
        want = client.submit(t_block, [stack_specs(full)], [(0, k) for k in ks],
                             pairs, 0.5, pure=False).result()
        np.testing.assert_allclose(got["values"], want["values"], rtol=1e-14, atol=0)


def test_tile_count_weighs_network_copies_against_workers():
    from renette_widgets.jobs.grain import TASKS_PER_WORKER, n_parts, n_tiles, tasks_per_worker
    # one task per worker per stage on 1-2 workers, two on larger clusters
    assert [tasks_per_worker(w) for w in (1, 2, 3, 16)] == [1, 1, 2, TASKS_PER_WORKER]
    assert n_parts(100, 1.0, 2) == 2 and n_parts(100, 1.0, 16) == 32
    assert n_tiles(45, 10, 500, 1) == 1 and n_tiles(3, 3, 20, 16) == 1
    # 2 workers: 10 networks of 500 nodes are mostly copying: one tile; 50 of 200, two
    assert n_tiles(45, 10, 500, 2) == 1 and n_tiles(1225, 50, 200, 2) == 2
    for workers in (4, 8, 16):  # a large cluster: most workers get a tile, none two
        t = n_tiles(1225, 50, 200, workers)
        assert workers / 2 < t <= TASKS_PER_WORKER * workers


def test_job_ids_never_look_like_options():
    from renette_widgets.jobs.job import new_id
    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000 and not any(i.startswith("-") for i in ids)
    assert all(len(i) == 16 for i in ids)


def test_large_inputs_travel_in_tasks_without_dask_advice(client):
    """A job's inputs travel inside its tasks (recomputable); dask's "Sending large
    graph" advice would be noise in the user's notebook, so the plan silences it,
    for single tasks and mapped ones."""
    import warnings

    from renette_widgets.jobs.plan import Plan, map_tasks, submit_task
    big = np.ones(2_000_000)  # 16 MB: over dask's 10 MB warning threshold
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        one = submit_task(client, Plan(), "s", "big-one", np.sum, big, priority=0)
        many = map_tasks(client, Plan(), "s", ["big-a"], np.sum, [big], priority=0, place={})
        assert one.result() == many[0].result() == 2_000_000
    assert not [w for w in seen if "large graph" in str(w.message)]
