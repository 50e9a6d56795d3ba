"""The multiplex distance (workflow ``multiplex``, ``rw.distance(..., multiplex=True)``):
R's renette::mpnetdist on the same layers, called directly through Rscript, gives the
same numbers; each layer's own distance is the distance workflow's."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import renette_widgets as rw
from renette_widgets.config import default_r_libs
from renette_widgets.errors import InputError
from renette_widgets.workflows.multiplex import layer_groups, layered_inputs

SCRIPT = Path(__file__).parent / "data" / "networks" / "mpnetdist_reference.R"
GENES = [f"g{i}" for i in range(12)]


def layer(seed: int, density: float = 0.4, names=GENES) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = len(names)
    a = np.triu(rng.random((n, n)) * (rng.random((n, n)) < density), 1)
    return pd.DataFrame(a + a.T, index=names, columns=names)


def raw_layer(seed: int) -> pd.DataFrame:
    """As R's mpnetdist example makes layers (runif arrays): not symmetric, diagonal too."""
    return pd.DataFrame(np.random.default_rng(seed).random((12, 12)), index=GENES, columns=GENES)


def write_layers(folder: Path, seeds: list[int], make=layer) -> list[Path]:
    folder.mkdir()
    paths = []
    for k, s in enumerate(seeds):
        paths.append(folder / f"layer{k + 1}.csv")
        make(s).to_csv(paths[-1], float_format="%.17g")
    return paths


def r_mpnetdist(files: list[Path], layers: int, coupling: float, rho: float) -> np.ndarray:
    env = {**os.environ, "R_LIBS": default_r_libs() or ""}
    out = subprocess.run(["Rscript", str(SCRIPT), str(coupling), str(rho), str(layers)]
                         + [str(f) for f in files], capture_output=True, text=True, env=env,
                         check=True)
    return np.array([float(v) for v in out.stdout.split()])


@pytest.mark.skipif(not shutil.which("Rscript"), reason="needs Rscript")
@pytest.mark.parametrize("coupling, rho, make", [(1.0, 1.0, layer), (0.5, 2.0, layer),
                                                (1.0, 1.0, raw_layer)])
def test_three_layers_match_r_mpnetdist(client, tmp_path, coupling, rho, make):
    x = write_layers(tmp_path / "x", [1, 2, 3], make)
    y = write_layers(tmp_path / "y", [4, 5, 6], make)
    got = rw.distance([tmp_path / "x", tmp_path / "y"], multiplex=True, coupling=coupling,
                      rho=rho, client=client, store=False)
    table = got["distances"]
    assert list(table.index) == ["layer 1: layer1", "layer 2: layer2", "layer 3: layer3",
                                 "multiplex"]
    want = r_mpnetdist(x + y, 3, coupling, rho)
    np.testing.assert_allclose(table.loc["multiplex"].to_numpy(), want, rtol=0, atol=1e-10)
    assert [got[c] for c in ("H", "IM", "HIM")] == table.loc["multiplex"].tolist()
    # each layer's own distance is the distance workflow's on that pair of layers
    pair = rw.distance({"a": make(2), "b": make(5)}, rho=rho, client=client, store=False)
    np.testing.assert_allclose(table.iloc[1].to_numpy(),
                               [pair[c].iat[0, 1] for c in ("H", "IM", "HIM")], atol=1e-12)
    assert got["networks"] == ["x", "y"]


def test_same_layers_are_at_distance_zero_and_the_store_keeps_the_table(client):
    layers = {"coexpr": layer(1), "ppi": layer(2, names=GENES[::-1])}  # node order differs
    job = rw.submit("multiplex", layered_inputs({"A": layers, "B": dict(layers)}), {},
                    client=client).wait(300)
    assert job.status == "done", job.error
    assert np.abs(job.result["distances"].to_numpy()).max() < 1e-12
    stored = rw.load_result(job.id)
    pd.testing.assert_frame_equal(stored["distances"], job.result["distances"])
    assert stored["layers"] == [["coexpr", "coexpr"], ["ppi", "ppi"]]


def test_layers_on_different_nodes_are_aligned_or_refused():
    from renette_widgets import workflows
    flow = workflows.get("multiplex")
    small = layer(3, names=GENES[:10])
    inputs = layered_inputs({"A": [layer(1), layer(2)], "B": [layer(3), small]})
    with pytest.raises(InputError, match="node"):
        flow.check_inputs(rw.api.named_inputs(inputs, "adjacency"), flow.validate_params({}))
    shared = flow.check_inputs(rw.api.named_inputs(inputs, "adjacency"),
                               flow.validate_params({"align": "shared"}))
    assert {df.shape for df in shared.values()} == {(10, 10)}
    union = flow.check_inputs(rw.api.named_inputs(inputs, "adjacency"),
                              flow.validate_params({"align": "union"}))
    assert {df.shape for df in union.values()} == {(12, 12)}


def test_grouping_needs_two_networks_of_as_many_layers():
    assert layer_groups(["A:1", "A:2", "B:1", "B:2"]) == {"A": ["A:1", "A:2"], "B": ["B:1", "B:2"]}
    with pytest.raises(InputError, match="2 layers but 'B' has 1"):
        layer_groups(["A:1", "A:2", "B:1"])
    with pytest.raises(InputError, match="not 3"):
        layer_groups(["A:1", "B:1", "C:1"])
    # plain names: the first half are the first network's layers
    assert list(layer_groups(["a", "b", "c", "d"]).values()) == [["a", "b"], ["c", "d"]]
    with pytest.raises(InputError, match="at least 2 each"):
        layer_groups(["A:1", "B:1"])
    with pytest.raises(InputError, match="'<network>:<layer>'"):
        layer_groups(["A:", "B:1"])


def test_distance_panel_multiplex_mode_runs_and_shows_layers_and_multiplex(client):
    from renette_widgets.widgets.distance import DistancePanel
    from renette_widgets.widgets.results import view_class
    from renette_widgets.widgets.session import Session
    session = Session(client=client)
    for k, seed in enumerate([1, 2, 3, 4]):
        session.add(f"L{k}", layer(seed), "adjacency")
    panel = DistancePanel(session)
    assert panel.workflow == "distance" and panel.multiplex.layout.display == "none"
    panel.mode.value = "multiplex"
    assert panel.workflow == "multiplex" and panel.networks.layout.display == "none"
    panel.multiplex.layers[0].value = ("L0", "L1")
    panel.multiplex.layers[1].value = ("L2",)
    panel.run.click()  # one layer against two: refused in the panel, nothing runs
    assert "2 layers but" in panel.errors.text and panel.last_job is None
    panel.multiplex.layers[1].value = ("L2", "L3")
    panel.multiplex.names[1].value = "treated"
    panel.run.click()
    job = panel.last_job.wait(300)
    assert job.status == "done", job.error
    table = job.result["distances"]
    assert list(table.index) == ["layer 1: L0 vs L2", "layer 2: L1 vs L3", "multiplex"]
    view = view_class("multiplex")(job.result, stem="m", params=job.params)
    assert "multiplex 1</b> vs <b>treated" in view.children[0].value
    assert len(view.table.df) == 3


def test_cli_multiplex_takes_two_folders_or_files_with_layers(tmp_path):
    from renette_widgets import cli
    x = write_layers(tmp_path / "x", [1, 2, 3])
    y = write_layers(tmp_path / "y", [4, 5, 6])
    flow = rw.workflows.get("multiplex")
    for argv in (["multiplex", str(tmp_path / "x"), str(tmp_path / "y")],
                 ["multiplex", "--layers", "3", *map(str, x + y)]):
        args = cli.parser().parse_args(argv)
        inputs = flow.cli_inputs(args, lambda files: cli._read(files, "adjacency", args))
        assert [n.split(":")[1] for n in inputs] == ["layer1", "layer2", "layer3"] * 2
        assert len(layer_groups(list(inputs))) == 2
        pd.testing.assert_frame_equal(inputs[list(inputs)[4]], layer(5), check_names=False)
        assert flow.validate_params(flow.cli_params(args)) == flow.validate_params({})
    args = cli.parser().parse_args(["multiplex", *map(str, x + y)])
    with pytest.raises(InputError, match="--layers"):
        flow.cli_inputs(args, lambda files: cli._read(files, "adjacency", args))
