"""The dashboard in headless Chromium against the real stack: upload, run, read the results."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
EXAMPLES = SHARED / "data" / "renette-examples"
NETWORKS = [EXAMPLES / f"microbiome_Actinobacteria_{d}-diet_adj.csv" for d in ("0.0", "1.0")]
JOB_TIMEOUT = 180_000  # ms

pytestmark = pytest.mark.timeout(600)


def tab(page, name: str) -> None:
    """Bring a tab of the dashboard (or of a result view) to the front."""
    page.locator(".lm-TabBar-tab:visible", has_text=re.compile(f"^{name}$")).first.click()


def upload(page, files) -> None:
    """Choose files through the Upload button, as a user does (its <input> is not in the DOM)."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Upload files")).click()
    chooser.value.set_files(files)


def shot(page, shots: Path, name: str) -> None:
    time.sleep(0.8)  # let plotly finish drawing
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def plotly_data(page) -> list:
    """x and z of the first trace of every plotly figure on the page."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .filter(d => d.data && d.data.length)
        .map(d => ({x: d.data[0].x, z: d.data[0].z || null}))""")


def test_page_is_usable_within_seconds(browser, dashboard, shots):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    start = time.monotonic()
    pg.goto(dashboard.url)
    pg.wait_for_selector(".renette-app", timeout=60_000)
    pg.get_by_role("button", name="Example networks").wait_for(state="visible")
    elapsed = time.monotonic() - start
    # Voila strips the sources: no code cell is shown.
    assert pg.locator(".jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").count() == 0
    pg.wait_for_selector(".renette-cluster >> text=/workers? at tcp/", timeout=30_000)
    context.close()
    assert elapsed < 15, f"the page took {elapsed:.1f} s to become usable"


def test_bad_file_is_rejected_with_its_message(page, tmp_path):
    bad = tmp_path / "bad_values.csv"
    bad.write_text("a,b,c\n1,2,3\n4,oops,6\n7,8,9\n")
    upload(page, str(bad))
    rejected = page.locator(".renette-rejected", has_text="bad_values.csv")
    rejected.wait_for()
    text = rejected.inner_text()
    assert "line 3" in text and "'oops' is not a number" in text, text


@pytest.mark.skipif(not NETWORKS[0].is_file(), reason="ReNette example networks not in ../shared")
def test_upload_networks_and_run_him(page, shots):
    expected = next(c for c in json.loads((SHARED / "conformance" / "cases.json").read_text())
                    if c["id"] == "netdist_renette_microbiome_adj_HIM")["expected"]
    page.locator(".widget-dropdown:visible", has_text="files are").locator("select") \
        .select_option(label="network (adjacency matrix)")
    upload(page, [str(p) for p in NETWORKS])
    page.locator(".renette-table", has_text="microbiome_Actinobacteria_1.0-diet_adj").wait_for()
    assert "187 × 187" in page.locator(".renette-table", has_text="from").first.inner_text()
    page.locator(".widget-dropdown:visible", has_text="preview").locator("select") \
        .select_option(NETWORKS[0].stem)
    shot(page, shots, "inputs")  # loaded networks, the rejected file and a preview
    tab(page, "Distance")
    names = [p.stem for p in NETWORKS]
    page.locator("select[multiple]:visible").select_option(names)
    shot(page, shots, "distance")
    page.get_by_role("button", name="Compute distances").click()
    matrix = page.locator(".renette-matrix", has_text="microbiome")
    matrix.wait_for(timeout=JOB_TIMEOUT)
    # The numbers in the page's table (10 significant digits) ...
    cells = [float(v) for v in re.findall(r"\d\.\d+(?:e-?\d+)?", matrix.inner_text())]
    assert any(abs(v - expected["HIM"]) < 1e-9 for v in cells), cells
    # ... and in the heatmap itself (full precision), for each component.
    for comp in ("HIM", "IM", "H"):
        page.locator(".widget-toggle-button:visible", has_text=re.compile(f"^{comp}$")).click()
        page.locator(f".renette-matrix[data-component='{comp}']").wait_for()
        heat = next(d for d in plotly_data(page) if d["z"] and d["x"] == names)
        assert abs(heat["z"][0][1] - expected[comp]) < 1e-9, (comp, heat["z"])
    page.locator(".widget-toggle-button:visible", has_text=re.compile("^HIM$")).click()
    shot(page, shots, "results_distance")
    tab(page, "H vs IM")
    shot(page, shots, "results_h_vs_im")
    tab(page, "Heatmap")


def test_inference_on_example_data(page, shots):
    tab(page, "Inputs")
    page.get_by_role("button", name="Example data (2 conditions)").click()
    page.locator(".renette-table", has_text="condition_B").wait_for()
    tab(page, "Inference")
    page.locator("select[multiple]:visible").nth(0).select_option(["condition_A", "condition_B"])
    page.locator("select[multiple]:visible").nth(1).select_option(["cor", "WGCNA"])
    page.get_by_label("power P").wait_for()  # only the chosen methods' parameters are shown
    assert page.get_by_label("MINE measure").count() == 0 or not page.get_by_label("MINE measure").is_visible()
    shot(page, shots, "inference")
    page.get_by_role("button", name="Infer networks").click()
    page.locator(".js-plotly-plot", has_text="edges with weight").wait_for(timeout=JOB_TIMEOUT)
    shot(page, shots, "results_network")
    tab(page, "Jobs")
    page.locator(".renette-status", has_text="done").first.wait_for()
    shot(page, shots, "jobs")
    # The inferred networks are now choices of the Statistics panel.
    tab(page, "Statistics")
    options = page.locator("select[multiple]:visible option").all_inner_texts()
    assert "condition_A_WGCNA" in options and "condition_B_cor" in options
    page.locator("select[multiple]:visible").select_option(["condition_A_WGCNA"])
    shot(page, shots, "statistics")
    page.get_by_role("button", name="Compute statistics").click()
    page.get_by_text("Node statistics").wait_for(timeout=JOB_TIMEOUT)
    shot(page, shots, "results_statistics")


def test_stability_on_example_data(page, shots):
    tab(page, "Stability")
    page.locator(".widget-dropdown:visible", has_text="data matrix").locator("select") \
        .select_option("condition_A")
    h = page.get_by_label("h", exact=True)
    h.fill("5")
    h.press("Enter")
    shot(page, shots, "stability")
    page.get_by_role("button", name="Run stability").click()
    summary = page.locator(".renette-stability")
    summary.wait_for(timeout=JOB_TIMEOUT)
    text = summary.inner_text()
    assert "5 resamples" in text and re.search(r"S = 0\.\d+", text), text
    page.locator(".js-plotly-plot", has_text="Stability").wait_for()
    shot(page, shots, "results_stability")
