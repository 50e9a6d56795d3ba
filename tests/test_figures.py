"""Plotly figure builders: the figures carry the numbers of the results they draw."""
import numpy as np
import pandas as pd
import pytest

from renette_widgets import figures
from renette_widgets.io import examples


@pytest.fixture(scope="module")
def nets():
    n = examples.load_examples("adjacency")
    return n["network_A"], n["network_B"]


def _dist(values, names):
    return pd.DataFrame(np.array(values, dtype=float), index=names, columns=names)


D = _dist([[0, 0.1, 0.5, 0.52], [0.1, 0, 0.45, 0.5], [0.5, 0.45, 0, 0.05], [0.52, 0.5, 0.05, 0]],
          ["a", "b", "c", "d"])


def test_heatmap_has_names_and_values():
    fig = figures.distance_heatmap(D, "HIM distance")
    heat = fig.data[0]
    assert list(heat.x) == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(np.asarray(heat.z), D.to_numpy())
    assert "%{z" in heat.hovertemplate and heat.texttemplate


def test_clustered_order_puts_close_items_together():
    shuffled = D.iloc[[0, 2, 1, 3], [0, 2, 1, 3]]
    fig = figures.distance_heatmap(shuffled, clustered=True)
    order = list(fig.data[0].x)
    assert abs(order.index("a") - order.index("b")) == 1
    assert abs(order.index("c") - order.index("d")) == 1
    z = np.asarray(fig.data[0].z)
    assert z[order.index("a"), order.index("c")] == 0.5  # values move with their names


def test_mds_reproduces_euclidean_distances():
    pts = np.array([[0, 0], [3, 0], [0, 4], [1, 1]], float)
    d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
    xy = figures.mds_coordinates(d)
    np.testing.assert_allclose(np.linalg.norm(xy[:, None] - xy[None], axis=2), d, atol=1e-9)
    fig = figures.mds_map(_dist(d, list("pqrs")))
    assert list(fig.data[0].text) == list("pqrs")


def test_him_scatter_one_point_per_pair():
    h = D * 0.5
    fig = figures.him_scatter(h, D)
    pts = fig.data[-1]
    assert len(pts.x) == 6
    pairs = [(a, b) for a, b, _ in pts.customdata]
    assert ("a", "b") in pairs and all(f"{a} · {b}" in pts.text for a, b in pairs)
    i = pairs.index(("c", "d"))
    assert pts.x[i] == 0.025 and pts.y[i] == 0.05
    assert np.isclose(float(pts.customdata[i][2]), np.sqrt((0.025**2 + 0.05**2) / 2))
    # comparable axes (0.26 and 0.52): the H = IM diagonal means something, and is drawn
    assert any(t.name == "H = IM" for t in fig.data)


def test_him_scatter_axes_span_their_own_data():
    """The ten test networks: H about 0.003, IM about 0.01 to 0.3. Each axis spans its
    data (H, far from 0, on a log axis), the diagonal (meaningless across such scales)
    is not drawn."""
    rng = np.random.default_rng(1)
    names = [f"test_data_{i}" for i in range(1, 11)]
    k = len(names)
    hv = np.triu(rng.uniform(0.0028, 0.0034, (k, k)), 1)
    iv = np.triu(rng.uniform(0.01, 0.3, (k, k)), 1)
    fig = figures.him_scatter(_dist(hv + hv.T, names), _dist(iv + iv.T, names))
    pts = fig.data[-1]
    assert len(pts.x) == 45
    lo, hi = fig.layout.yaxis.range
    assert fig.layout.yaxis.type == "linear" and lo == 0
    assert max(pts.y) <= hi <= 1.25 * max(pts.y)  # spans the data, not [0, 1]
    lo, hi = fig.layout.xaxis.range
    assert fig.layout.xaxis.type == "log"
    assert np.log10(min(pts.x)) - 0.05 <= lo < np.log10(min(pts.x))  # the data, not a sliver
    assert np.log10(max(pts.x)) < hi <= np.log10(max(pts.x)) + 0.05
    assert not any(t.name == "H = IM" for t in fig.data)
    assert all(len(t.x) == 45 for t in fig.data if t.mode and "lines" in t.mode) is True
    assert "vs %{customdata[1]}" in pts.hovertemplate
    # values over four decades: a log axis
    iv[0, 1:] = 1e-5
    fig = figures.him_scatter(_dist(hv + hv.T, names), _dist(iv + iv.T, names))
    assert fig.layout.yaxis.type == "log"
    lo, hi = fig.layout.yaxis.range
    assert lo <= np.log10(1e-5) and hi >= np.log10(iv.max())


def test_names_that_look_like_numbers_stay_names():
    names = [f"microbiome_Actinobacteria_{d}-diet_adj" for d in ("0.0", "1.0")]
    short = figures.short_labels(names)
    assert short == ["0.0-diet", "1.0-diet"]
    fig = figures.distance_heatmap(_dist([[0, 0.2], [0.2, 0]], ["0.0", "1.0"]))
    assert fig.layout.xaxis.type == fig.layout.yaxis.type == "category"
    assert list(fig.data[0].x) == ["0.0", "1.0"]


def test_adjacency_histograms(nets):
    a, _ = nets
    fig = figures.adjacency_heatmap(a)
    np.testing.assert_array_equal(np.asarray(fig.data[0].z), a.to_numpy())
    deg = figures.degree_histogram(a).data[0].x
    np.testing.assert_allclose(deg, a.to_numpy().sum(axis=1))
    w = figures.weight_histogram(a).data[0].x
    assert len(w) == np.count_nonzero(np.triu(a.to_numpy(), 1))
    both = figures.degree_histogram({"A": a, "B": nets[1]})
    assert [t.name for t in both.data] == ["A", "B"]
    np.testing.assert_allclose(both.data[1].x, nets[1].to_numpy().sum(axis=1))


def test_communities_find_the_example_modules(nets):
    a, b = nets
    truth = examples.two_conditions()[2]
    names = list(a.index)
    for net, cond in ((a, "A"), (b, "B")):
        groups = figures.communities(net, threshold=0.05)
        for members in truth[cond].values():
            labels = {groups[names.index(m)] for m in members}
            assert len(labels) == 1, f"{cond}: module {members} split into {labels}"


def test_network_view_threshold_hides_edges(nets):
    a, b = nets

    def n_edges(fig, col_traces):
        return sum(int(np.isnan(np.asarray(t.x, float)).sum()) for t in col_traces)

    low = figures.network_view(a, threshold=0.01)
    high = figures.network_view(a, threshold=0.3)
    expected_high = int((np.triu(a.to_numpy(), 1) > 0.3).sum())
    assert n_edges(high, high.data[:3]) == expected_high
    assert n_edges(low, low.data[:3]) > expected_high
    pair = figures.network_pair({"A": a, "B": b}, threshold=0.2)
    nodes = [t for t in pair.data if t.mode == "markers"]
    assert len(nodes) == 2
    np.testing.assert_array_equal(nodes[0].x, nodes[1].x)  # same layout both sides


def test_default_threshold_caps_edges(nets):
    a, _ = nets
    t = figures.default_threshold(a, max_edges=50)
    assert (np.triu(a.to_numpy(), 1) > t).sum() <= 50


def test_stability_figures():
    rng = np.random.default_rng(0)
    s_boot, si_boot = rng.random(20), rng.random(190)
    fig = figures.stability_boxes(s_boot, si_boot, s_boot.mean(), si_boot.mean())
    boxes = [t for t in fig.data if t.type == "box"]
    np.testing.assert_array_equal(boxes[0].y, s_boot)
    sd = pd.DataFrame(rng.random((20, 30)), columns=[f"n{i}" for i in range(30)])
    sd["n7"] += 5
    hubs = figures.hub_strength_boxes(sd, top=5)
    assert len(hubs.data) == 5 and hubs.data[0].name == "n7"
    hist = figures.stability_histogram(pd.Series([0.1, np.nan, 0.3]), "Sw")
    assert len(hist.data[0].x) == 2


def test_heatmap_values_only_where_they_fit():
    small = figures.distance_heatmap(D, "HIM distance")
    assert small.data[0].texttemplate == "%{text}" and small.data[0].text[0][2] == "0.5"
    names = [f"network_{i}" for i in range(20)]
    big = figures.distance_heatmap(_dist(np.ones((20, 20)) - np.eye(20), names), "HIM distance")
    assert not big.data[0].texttemplate  # 20 x 20: values on hover only
    assert big.layout.height > small.layout.height  # sized to the number of networks


def test_long_names_are_shortened_on_axes_and_maps_full_on_hover():
    names = [f"microbiome_Actinobacteria_{d}-diet_adj" for d in ("0.0", "1.0", "2.0")]
    short = ["0.0-diet", "1.0-diet", "2.0-diet"]  # not "0.0": a name, not a number
    assert figures.short_labels(names) == short
    assert figures.short_labels(["a", "b"]) == ["a", "b"]
    d = _dist([[0, 0.1, 0.2], [0.1, 0, 0.15], [0.2, 0.15, 0]], names)
    heat = figures.distance_heatmap(d)
    assert list(heat.data[0].x) == names and list(heat.layout.xaxis.ticktext) == short
    mds = figures.mds_map(d).data[0]
    assert list(mds.text) == short and list(mds.customdata) == names
    tests = [f"test_data_{i}" for i in range(1, 11)]
    assert figures.mds_map(_dist(np.ones((10, 10)) - np.eye(10), tests)).data[0].text[9] == "data_10"


def test_close_points_get_labels_on_different_sides():
    xy = np.array([[0, 0], [0.001, 0], [1, 1]])
    pos = figures.label_positions(xy)
    assert pos[0] != pos[1] and pos[2] == "top center"


def test_network_pair_per_network_cuts_focus_and_differences(nets):
    a, b = nets
    cuts = {"A": figures.edges_cut(a, 40), "B": figures.edges_cut(b, 40)}
    fig = figures.network_pair({"A": a, "B": b}, cuts, differences=True, focus="G01", labels=True)
    assert [ann.text.split(":")[1].strip().split()[0] for ann in fig.layout.annotations] == ["40", "40"]
    lines = [t for t in fig.data if t.mode == "lines"]
    nodes = [t for t in fig.data if t.mode != "lines"]
    assert nodes[0].mode == "markers+text" and "G01" in nodes[0].text
    red = [t for t in lines if t.line.color == figures.network.ONLY_HERE]
    kept = {n: set(zip(*np.nonzero(np.triu(m.to_numpy(), 1) > cuts[n]))) for n, m in (("A", a), ("B", b))}
    # edges drawn red in A: in A's 40 and not in B's (except those of the focused node)
    only_a = {e for e in kept["A"] - kept["B"] if 0 not in e}
    assert int(np.isnan(np.asarray(red[0].x, float)).sum()) == len(only_a)
    focus = [t for t in lines if t.line.color == figures.network.FOCUS]
    assert int(np.isnan(np.asarray(focus[0].x, float)).sum()) == sum(1 for e in kept["A"] if 0 in e)
    assert nodes[0].marker.opacity[0] == 1.0 and min(nodes[0].marker.opacity) < 1
