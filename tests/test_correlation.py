"""Correlation networks in blocks on the workers: within 1e-12 of R's stats::cor,
tiny variances too, and the same network (to the last bits BLAS may round
differently) however it is cut into blocks."""
from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets.engine.correlation import block_method, t_cor_block, t_standardize
from renette_widgets.io.arrays import StoredMatrix

# A fixed R script (no user input): stats::cor of raw doubles, written back raw.
R_COR = """
a <- commandArgs(TRUE)
dims <- as.integer(strsplit(a[3], ",")[[1]])
x <- matrix(readBin(a[1], "double", prod(dims)), dims[1], dims[2])
writeBin(as.vector(stats::cor(x, method = a[4])), a[2])
"""


def r_cor(x: np.ndarray, method: str, tmp_path) -> np.ndarray:
    src, out = tmp_path / "x.bin", tmp_path / "r.bin"
    np.asfortranarray(x).T.tofile(src)  # column-major, as R reads it
    subprocess.run(["Rscript", "-e", R_COR, str(src), str(out), f"{x.shape[0]},{x.shape[1]}",
                    method], check=True, capture_output=True)
    return np.fromfile(out).reshape(x.shape[1], x.shape[1], order="F")


def _data(seed=7):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(60, 8))
    x[:, 1] = 1 + x[:, 1] * 1e-4     # variance 1e-8 beside variance 1
    x[:, 2] = 1e6 + x[:, 2]          # a large offset
    x[:, 3] = np.round(x[:, 3], 1)   # ties, for Spearman
    return x


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_blocks_are_within_1e_12_of_stats_cor(method, tmp_path):
    x = _data()
    want = np.abs(r_cor(x, method, tmp_path))
    np.fill_diagonal(want, 0.0)
    z = t_standardize(x, method)
    got = np.concatenate([t_cor_block(z, a, b, 1.0) for a, b in ((0, 3), (3, 8))])
    assert np.max(np.abs(got - want)) < 1e-12
    # WGCNA: |r|^6, same blocks
    got6 = np.concatenate([t_cor_block(z, a, b, 6.0) for a, b in ((0, 5), (5, 8))])
    assert np.max(np.abs(got6 - want ** 6)) < 1e-12


def test_which_methods_go_in_blocks():
    assert block_method("cor", {"method": "pearson"}) and block_method("cor", {"method": "spearman"})
    assert block_method("WGCNA", {"P": 6})
    assert not block_method("cor", {"method": "kendall"}) and not block_method("bicor", {})


@pytest.mark.slow
def test_a_network_in_many_blocks_is_the_network_in_one(client, tmp_path, monkeypatch):
    """The inference plan cuts a 2500-variable network into blocks of whole chunks
    written by the workers; the stored network equals the in-memory one."""
    from renette_widgets.workflows import inference
    x = pd.DataFrame(np.random.default_rng(3).normal(size=(30, 2500)),
                     columns=[f"g{j}" for j in range(2500)])
    monkeypatch.setattr(inference, "BLOCK_BYTES", 8 * 2500 * 1024)  # 1024 rows a block
    job = rw.submit("inference", {"x": x}, {"method": "WGCNA", "P": 3}, client=client,
                    store=rw.Store(tmp_path)).wait(300)
    assert job.status == "done", job.error
    assert job.total == 1 + 1 + 3  # input, standardisation, three blocks of rows
    net = job.result["networks"]["x_WGCNA"]
    assert isinstance(net, StoredMatrix) and net.shape == (2500, 2500)
    # BLAS may round the last bit differently for another block shape
    z = t_standardize(x.to_numpy(), "pearson")
    np.testing.assert_allclose(net.block(slice(1000, 1100)), t_cor_block(z, 1000, 1100, 3.0),
                               rtol=0, atol=1e-15)
    whole = rw.infer(x, "WGCNA", P=3, client=client, store=False)
    np.testing.assert_allclose(net.to_numpy(), whole.to_numpy(), rtol=0, atol=1e-15)
    top = net.top_edges(5)
    assert len(top) == 5 and top["weight"].is_monotonic_decreasing
