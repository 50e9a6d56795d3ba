"""All-pairs MINE split into blocks of rows across workers equals one mat2adj call."""
from __future__ import annotations

import numpy as np
import pandas as pd

from renette_widgets import api
from renette_widgets.engine.tasks import t_infer
from renette_widgets.jobs.grain import MINE_BLOCKS, mine_row_blocks


def test_row_blocks_cover_each_row_once_with_even_loads():
    for p in (2, 3, 10, 100, 257):
        blocks = mine_row_blocks(p)
        rows = sorted(i for b in blocks for i in b)
        assert rows == list(range(p - 1))
        loads = [sum(p - 1 - i for i in b) for b in blocks]
        assert max(loads) <= max(p - 1, 2 * sum(loads) / len(loads))
    assert len(mine_row_blocks(100)) == MINE_BLOCKS


def test_split_mine_job_equals_single_mat2adj(client):
    rng = np.random.default_rng(11)
    x = rng.standard_normal((30, 12))
    x[:, 3] = x[:, 0] ** 2 + 0.1 * rng.standard_normal(30)
    df = pd.DataFrame(x, columns=[f"g{j}" for j in range(12)])
    params = {"measure": "MIC", "alpha": 0.6, "C": 15.0, "var.thr": 1e-5, "tol": 1e-5}
    whole = client.submit(t_infer, x, "MINE", params, 0, pure=False).result()
    net = api.infer(df, "MINE", client=client, store=False, measure="MIC")
    assert list(net.columns) == list(df.columns)
    np.testing.assert_array_equal(net.to_numpy(), whole)
    assert net.to_numpy()[0, 3] > 0.5  # the non-linear pair is found
