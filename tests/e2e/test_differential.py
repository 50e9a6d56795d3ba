"""The Differential tab in headless Chromium against the real stack (issue 15): the
package's two-condition example data, the volcano plot, the pairs table (paged,
filtered), the nodes, the differential network view, and a download of the pairs."""
from __future__ import annotations

import re

import igraph
import pandas as pd
import pytest
import zipfile

from conftest import download, opened_offline, shot

JOB_TIMEOUT = 180_000  # ms
pytestmark = pytest.mark.timeout(600)


def tab(page, name: str) -> None:
    """Bring a tab of the dashboard (or of a result view) to the front."""
    page.locator(".lm-TabBar-tab:visible", has_text=re.compile(f"^{re.escape(name)}$")).first.click()


def test_differential_on_the_example_data(page, shots, tmp_path, browser):
    page.set_viewport_size({"width": 1400, "height": 1500})  # whole figures in the pictures
    page.locator(".renette-start").wait_for()  # a first visit: "start here"
    tab(page, "Inputs")
    page.get_by_role("button", name="Example data (2 conditions)").click()
    page.locator(".renette-table", has_text="condition_B").wait_for()
    tab(page, "Differential")
    page.locator(".renette-differential-data select").select_option(["condition_A", "condition_B"])
    # the permutation count applies to the permutation FDR only: shown with it alone
    permutations = page.get_by_label("permutations (pairs)")
    assert permutations.is_hidden()
    adjustment = page.get_by_label("adjustment")
    adjustment.select_option(label="permutation FDR")
    permutations.wait_for(state="visible")
    adjustment.select_option(label="Benjamini-Hochberg (BH)")
    permutations.wait_for(state="hidden")
    shot(page, shots, "differential")
    page.get_by_role("button", name="Run differential analysis").click()
    head = page.locator(".renette-differential")
    head.wait_for(timeout=JOB_TIMEOUT)
    page.locator(".renette-start").wait_for(state="hidden")  # the workspace has a job now
    text = head.inner_text()
    assert re.search(r"condition_A vs condition_B: [\d,]+ of 780 pairs with q ≤ 0.05", text), text
    volcano = page.locator(".js-plotly-plot", has_text="Volcano plot").first
    volcano.wait_for()
    # the volcano: significant pairs by class, the others grey, hover names both conditions
    names = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .flatMap(d => (d._fullData || []).map(t => t.name))""")
    assert "q > 0.05" in names and "+/0" in names and "0/+" in names, names
    shot(page, shots, "results_differential")
    tab(page, "Classes")
    page.locator(".js-plotly-plot", has_text="Pairs per class").first.wait_for()
    shot(page, shots, "results_differential_classes")
    tab(page, "Pairs")
    table = page.locator(".renette-pairs .renette-table")
    table.wait_for()
    count = page.locator(".renette-pairs-count").inner_text()
    total = int(re.search(r"of ([\d,]+)", count).group(1).replace(",", ""))
    assert total > 25 and "page 1 of" in count, count
    assert "r in condition_A" in table.inner_text()
    page.get_by_role("button", name="next ▶").click()
    page.locator(".renette-pairs-count", has_text="page 2 of").wait_for()
    shot(page, shots, "results_differential_pairs")
    # the download of the pairs shown: the CSV holds them all, with their classes
    page.get_by_role("button", name="CSV of these pairs").click()
    link = page.locator("a[download$='_pairs.csv']")
    link.wait_for()
    with page.expect_download() as dl:
        link.click()
    path = tmp_path / "pairs.csv"
    dl.value.save_as(path)
    pairs = pd.read_csv(path)
    assert len(pairs) == total and (pairs["q_diff"] <= 0.05).all()
    assert set(pairs["class"]) <= {"+/0", "0/+", "-/0", "0/-", "+/-", "-/+", "+/+", "-/-", "0/0"}
    # a node's pairs only
    page.get_by_placeholder("all nodes").fill("G13")
    page.get_by_placeholder("all nodes").press("Enter")
    page.locator(".renette-pairs-count", has_text=re.compile(r"of [1-9]\d* ·")).wait_for()
    assert "G13" in page.locator(".renette-pairs .renette-table").inner_text()
    tab(page, "Nodes")
    page.locator(".js-plotly-plot", has_text="Most rewired nodes").first.wait_for()
    top = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .filter(d => (d.layout.title.text || '').startsWith('Most rewired'))
        .map(d => Array.from(d._fullData[0].y))[0]""")
    rewired = {f"G{i:02d}" for i in range(7, 31)}
    assert set(top[-24:]) == rewired, top  # the bars, the most rewired at the top
    shot(page, shots, "results_differential_nodes")
    tab(page, "Network")
    net = page.locator(".js-plotly-plot", has_text="in condition_A").first
    net.wait_for()
    assert "change (condition_B vs condition_A)" in net.inner_text()
    # the most changed nodes named, and a legend that names every colour drawn
    drawn = page.evaluate("""() => { const d = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(d => d.offsetParent && (d.layout.annotations || []).some(a => a.text === 'in condition_A'));
        const lines = d._fullData.filter(t => t.mode && t.mode.includes('lines') && t.x.length > 1)
            .map(t => t.line.color);
        const legend = d._fullData.filter(t => t.showlegend).map(t => [t.name, t.line ? t.line.color : '']);
        const nodes = d._fullData.find(t => t.mode === 'markers+text' && t.customdata);
        return {lines, legend, named: nodes.text.filter(x => x).length, nodes: nodes.text.length,
                shown: d.querySelectorAll('.textpoint').length}; }""")
    named = {c for _, c in drawn["legend"]}
    assert set(drawn["lines"]) <= named, (set(drawn["lines"]) - named, drawn["legend"])
    assert len(named) == len(drawn["legend"])  # no colour names two things
    assert any("more correlated in condition_B" in n for n, _ in drawn["legend"])
    assert drawn["named"] == min(25, drawn["nodes"]) and drawn["shown"] >= drawn["named"]
    shot(page, shots, "results_differential_network")
    tab(page, "Conditions")
    page.locator(".js-plotly-plot", has_text="HIM distance between").first.wait_for()
    shot(page, shots, "results_differential_conditions")
    # GraphML of the significant pairs
    page.get_by_role("button", name=re.compile("network of significant pairs")).click()
    page.locator("a[download$='_significant.graphml']").wait_for()
    with page.expect_download() as dl:
        page.locator("a[download$='_significant.graphml']").click()
    dl.value.save_as(tmp_path / "net.graphml")
    g = igraph.Graph.Read_GraphML(str(tmp_path / "net.graphml"))
    assert g.vcount() == 40 and g.ecount() == total
    # the job's zip: CSV tables and a README of their columns beside the binary store files
    path = download(page, "zip of the job folder", "a[download^='renette_'][download$='.zip']", tmp_path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        readme = z.read(next(n for n in names if n.endswith("/csv/README.md"))).decode()
        pairs = pd.read_csv(z.open(next(n for n in names if n.endswith("_pairs.csv") and "/csv/" in n)))
    assert any(n.endswith(".parquet") for n in names) and any(n.endswith("/manifest.json") for n in names)
    assert len(pairs) == 780 and "| q_diff |" in readme and "| class |" in readme
    # every figure in one HTML page that asks nothing of the network
    html = download(page, "all figures as one HTML page", "a[download$='_all_figures.html']", tmp_path)
    drawn, asked = opened_offline(browser, html)
    assert drawn >= 5 and asked == [], asked
