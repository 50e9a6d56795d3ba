"""align="shared" compares each pair of networks on the nodes both have, so networks
on different gene sets (ReNette's ten test networks) compare in one job."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw


def _net(names, seed):
    rng = np.random.default_rng(seed)
    a = np.triu(rng.random((len(names), len(names))) * (rng.random((len(names),) * 2) < 0.4), 1)
    return pd.DataFrame(a + a.T, index=names, columns=names)


@pytest.mark.slow
def test_each_pair_on_the_nodes_both_have(client):
    nets = {"a": _net([f"g{j}" for j in range(0, 30)], 1),
            "b": _net([f"g{j}" for j in range(10, 45)], 2),
            "c": _net([f"g{j}" for j in range(20, 40)][::-1], 3)}  # another order too
    got = rw.distance(nets, align="shared", client=client, store=False)
    assert got["shared_nodes"].loc["a", "b"] == 20 and got["shared_nodes"].loc["a", "c"] == 10
    for x, y in (("a", "b"), ("a", "c"), ("b", "c")):
        common = [c for c in nets[x].columns if c in set(nets[y].columns)]
        pair = rw.distance({x: nets[x].loc[common, common], y: nets[y].loc[common, common]},
                           client=client, store=False)
        for comp in ("H", "IM", "HIM"):
            assert got[comp].loc[x, y] == pytest.approx(pair[comp].loc[x, y], abs=1e-14)
            assert got[comp].loc[y, x] == got[comp].loc[x, y]
    assert got["gamma"] is None  # each pair its own optimal gamma
    # all on one node list: the usual plan, one gamma
    same = {"a": nets["a"], "a2": nets["a"] * 0.5}
    assert isinstance(rw.distance(same, align="shared", client=client, store=False)["gamma"],
                      float)
    with pytest.raises(rw.InputError, match="share 0 node"):
        rw.distance({"a": nets["a"], "d": _net(["x1", "x2", "x3"], 4)}, align="shared",
                    client=client, store=False)
