"""The network view's controls without a browser: edges shown, the other condition
beside the first, a node search, the edges that differ."""
import numpy as np
import pytest

from renette_widgets.io import examples
from renette_widgets.widgets.networks import NetworkExplorer, NetworksView, partner


@pytest.fixture(scope="module")
def nets():
    return examples.load_examples("adjacency")


def _edges(ex, col):
    """Edges drawn in subplot ``col`` (1 or 2)."""
    axis = "x" if col == 1 else "x2"
    return sum(int(np.isnan(np.asarray(t.x, float)).sum()) for t in ex.plot.data
               if t.mode == "lines" and (t.xaxis or "x") == axis)


def test_partner_is_the_other_condition():
    names = ["condition_A_cor", "condition_A_WGCNA", "condition_B_cor", "condition_B_WGCNA"]
    assert partner(names, "condition_A_cor", ["cor", "WGCNA"]) == "condition_B_cor"
    assert partner(names, "condition_A_WGCNA", ["cor", "WGCNA"]) == "condition_B_WGCNA"
    assert partner(["x", "y"], "x") == "y" and partner(["x"], "x") is None


def test_same_number_of_edges_or_one_weight_cut(nets):
    ex = NetworkExplorer(dict(nets), second="network_B")
    assert ex.count.value == 80  # two per node for 40 nodes
    assert _edges(ex, 1) == _edges(ex, 2) == 80
    # one truthful readout: each network's cut and count, as the figure's titles say
    for name, cut in ex.cuts().items():
        assert f"{name}</b>: 80 edges with weight &gt; {cut:.3g}" in ex.readout.value
        assert any(a.text == f"{name}: 80 edges with weight > {cut:.3g}" for a in ex.plot.layout.annotations)
    ex.mode.value = "weight"
    ex.cut.value = 0.05
    a, b = (np.triu(nets[n].to_numpy(), 1) for n in ("network_A", "network_B"))
    assert (_edges(ex, 1), _edges(ex, 2)) == (int((a > 0.05).sum()), int((b > 0.05).sum()))


def test_find_a_node_and_labels(nets):
    ex = NetworkExplorer(dict(nets), second="network_B")
    ex.find.value = "G13"
    markers = [t for t in ex.plot.data if t.mode != "lines"]
    names = list(markers[0].customdata[:, 0])
    i = names.index("G13")
    assert markers[0].marker.opacity[i] == 1 and markers[0].marker.line.width[i] == 3
    assert "G13 and its neighbours highlighted" in ex.plot.layout.title.text
    ex.labels.value = True
    assert markers[0].mode == "markers" and ex.plot.data[-1].mode == "markers+text"


def test_pages_are_built_when_opened(nets):
    view = NetworksView(dict(nets))
    assert set(view.tabs.built) == {0}
    view.tabs.selected_index = 3
    assert 3 in view.tabs.built and len(view.tabs.built[3].children[1].children[0].df) > 0
    view.downloads.button.click()
    # per network: its matrix, its edge list and its GraphML
    assert view.downloads.links.value.count("data:text/csv;base64,") == 6
    assert view.downloads.links.value.count(".graphml</a>") == 2
