"""Issue 14 in headless Chromium against the real stack: uploads of real size (in
pieces, with progress, over-cap files refused with the reason), and the results of a
5000-node network as pictures (pooled heatmap, strongest edges), never a message of
megabytes to the browser."""
from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from conftest import shot
from waiting import wait_until

from renette_widgets.config import max_upload_bytes

JOB_TIMEOUT = 300_000  # ms
#: No websocket message to or from the page may be larger (issue 14).
MAX_FRAME = 5 * 2**20

pytestmark = pytest.mark.timeout(900)


def tab(page, name: str) -> None:
    """Bring a tab of the dashboard (or of a result view) to the front."""
    page.locator(".lm-TabBar-tab:visible", has_text=re.compile(f"^{re.escape(name)}$")).first.click()


def upload(page, files) -> None:
    """Choose files through the Upload button, as a user does."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Upload files")).click()
    chooser.value.set_files(files)


def write_csv(path: Path, n: int, p: int, seed: int = 0, modules: int = 0) -> Path:
    """n samples x p variables of 5 decimals (about 9 bytes a value), with row names;
    ``modules``: groups of variables driven by a common factor (a network with structure)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    if modules:
        x += rng.standard_normal((n, modules))[:, rng.integers(0, modules, p)] * 1.5
    x = np.round(x, 5)
    columns = {"": pa.array([f"s{i}" for i in range(n)])}
    columns.update({f"g{j}": x[:, j] for j in range(p)})
    pa_csv.write_csv(pa.table(columns), path)
    return path


@pytest.fixture(scope="module")
def page(browser, dashboard):
    """A fresh dashboard page whose websocket frames are measured from the start:
    ``page.frames_sent`` / ``page.frames_received`` list each frame's size in bytes."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.frames_sent, pg.frames_received = [], []

    def watch(ws):
        ws.on("framesent", lambda payload: pg.frames_sent.append(len(payload)))
        ws.on("framereceived", lambda payload: pg.frames_received.append(len(payload)))
    pg.on("websocket", watch)  # before the page opens its kernel's socket
    pg.set_default_timeout(60_000)
    pg.goto(dashboard.url)
    pg.wait_for_selector(".renette-app")
    yield pg
    context.close()


def record_upload_texts(page) -> None:
    """Keep every text the upload's status lines show (progress is seen, not guessed)."""
    page.evaluate("""() => {
        window.__uploadTexts = [];
        const seen = () => document.querySelectorAll('.renette-upload-file span')
            .forEach(s => window.__uploadTexts.push([performance.now(), s.textContent]));
        new MutationObserver(seen).observe(document.body,
            {subtree: true, childList: true, characterData: true});
    }""")


def sending(page, name: str) -> str:
    """Browser-clock seconds from a file's start to all of it sent, and to loaded."""
    seen = page.evaluate("() => window.__uploadTexts")
    t = {}
    for when, text in seen:
        if name in text:
            key = "start" if "starting" in text else "sent" if "reading" in text else \
                "loaded" if text.startswith("✓") else None
            if key:
                t.setdefault(key, when)
    return (f"sent in {(t['sent'] - t['start']) / 1000:.1f} s, read in "
            f"{(t['loaded'] - t['sent']) / 1000:.1f} s" if len(t) == 3 else "")


def test_large_uploads_arrive_with_progress_and_are_listed(page, shots, tmp_path):
    mid = write_csv(tmp_path / "mid_100x20000.csv", 100, 20000)
    big = write_csv(tmp_path / "big_500x20000.csv", 500, 20000, seed=1)
    assert 15e6 < mid.stat().st_size < 20e6 and 80e6 < big.stat().st_size < 95e6
    record_upload_texts(page)
    for path, shape in ((mid, "100 × 20000"), (big, "500 × 20000")):
        start = time.monotonic()
        upload(page, str(path))
        row = page.locator(".renette-table tr", has_text=path.stem)
        row.wait_for(timeout=JOB_TIMEOUT)
        elapsed = time.monotonic() - start
        assert shape in row.inner_text()
        page.locator(".renette-upload-file", has_text=f"✓ {path.name}").wait_for()
        print(f"\n{path.name}: {path.stat().st_size / 2**20:.1f} MB listed {elapsed:.1f} s "
              f"after it was chosen ({sending(page, path.name)})")
    texts = [t for _, t in page.evaluate("() => window.__uploadTexts")]
    partial = [t for t in texts if re.search(r"big_500x20000\.csv: \d+\.\d MB of \d+\.\d MB sent", t)]
    assert len(set(partial)) > 3, texts  # the progress moved while the file was sent
    assert page.locator(".renette-rejected").count() == 0
    assert len(page.frames_sent) > 20 and max(page.frames_sent) < MAX_FRAME, max(page.frames_sent)
    assert page.get_by_role("button", name="Upload files (1)").is_visible()
    shot(page, shots, "inputs_large_upload")


def test_a_file_over_the_cap_is_refused_with_the_reason(page, tmp_path):
    cap = max_upload_bytes()
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as fh:  # sparse: the browser refuses it by its size alone
        fh.truncate(cap + 1)
    upload(page, str(huge))
    said = page.locator(".renette-upload-file", has_text="huge.csv")
    said.wait_for()
    assert f"more than the limit of {cap / 2**20:.1f} MB: not sent" in said.inner_text()
    rejected = page.locator(".renette-rejected", has_text="huge.csv")
    rejected.wait_for()
    assert "RENETTE_MAX_UPLOAD_MB" in rejected.inner_text()
    # the button still works: a small file goes through after the refusal
    small = write_csv(tmp_path / "after_refusal.csv", 5, 4)
    upload(page, str(small))
    page.locator(".renette-table tr", has_text="after_refusal").wait_for()


# Marks the figures already in the page, then notes (browser clock, as the DOM changes:
# not when a busy page gets round to a poll) when a new figure with each title is drawn.
WATCH_FIGURES = """titles => {
    document.querySelectorAll('.jp-RenderedPlotly').forEach(e => e.dataset.seen = 1);
    window.__drawn = {};
    new MutationObserver(() => {
        for (const t of titles) {
            if (window.__drawn[t]) continue;
            const e = [...document.querySelectorAll('.jp-RenderedPlotly')].find(e =>
                !e.dataset.seen && e.querySelector('.main-svg') && e.textContent.includes(t));
            if (e) window.__drawn[t] = Date.now();
        }
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_results_of_a_5000_node_network_are_pictures(page, dashboard, shots, tmp_path):
    """cor on 60 samples x 5000 variables through the page: the results open with a
    pooled heatmap and the strongest edges (how soon after the job's end is printed,
    not asserted), and no websocket message is over 5 MB; a zoom reads the region again."""
    from datetime import datetime

    from urllib.parse import parse_qs, urlparse

    from renette_widgets.jobs.workspace import Workspace
    store = Workspace(parse_qs(urlparse(page.url).query)["ws"][0], home=dashboard.home).store
    data = write_csv(tmp_path / "genes_60x5000.csv", 60, 5000, seed=2, modules=12)
    upload(page, str(data))
    page.locator(".renette-table tr", has_text="genes_60x5000").wait_for(timeout=JOB_TIMEOUT)
    tab(page, "Inference")
    page.locator("select[multiple]:visible").nth(0).select_option(["genes_60x5000"])
    page.locator("select[multiple]:visible").nth(1).select_option(label=["cor · correlation"])
    page.evaluate(WATCH_FIGURES, ["Adjacency (pooled)", "Strongest edges"])
    before = {m["id"] for m in store.list()}
    received = len(page.frames_received)
    page.get_by_role("button", name="Infer networks").click()
    heat = page.wait_for_function("t => window.__drawn[t]", arg="Adjacency (pooled)",
                                  timeout=JOB_TIMEOUT).json_value()
    edges = page.wait_for_function("t => window.__drawn[t]", arg="Strongest edges").json_value()
    def stored() -> list:  # the manifest is written once the page has the result
        new = [m for m in store.list() if m["id"] not in before]
        return new if new and new[0].get("timings", {}).get("finished") else []
    new = wait_until(stored, 60, "the job's manifest")
    finished = datetime.fromisoformat(new[0]["timings"]["finished"]).timestamp() * 1000
    largest = max(page.frames_received[received:])
    print(f"\n5000-node cor network: job end -> pooled heatmap {(heat - finished) / 1000:.2f} s, "
          f"-> strongest edges {(edges - finished) / 1000:.2f} s; largest websocket message "
          f"{largest / 2**20:.2f} MB (all page: received {max(page.frames_received) / 2**20:.2f} "
          f"MB, sent {max(page.frames_sent) / 2**20:.2f} MB)")
    # Speed is measured, not asserted (the 2 cores are shared): the times above go
    # to benchmarks/RESULTS.md ("Dashboard at scale").
    assert max(page.frames_received) < MAX_FRAME and max(page.frames_sent) < MAX_FRAME
    readout = page.locator(".renette-zoom-readout:visible").first
    assert "all 5,000 nodes, clustered order; cells of 9 × 9 nodes" in readout.inner_text()
    assert "1,000 strongest edges" in page.locator(".renette-top-edges:visible").first.inner_text()
    shot(page, shots, "results_large_network")

    # a zoom (a box dragged on the heatmap) is read again from the store, finer
    plot = page.locator(".renette-zoom .js-plotly-plot:visible").first
    box = plot.locator(".nsewdrag").first.bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.30, box["y"] + box["height"] * 0.30
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + box["width"] * 0.05, y0 + box["height"] * 0.05, steps=8)
    page.mouse.up()
    page.locator(".renette-zoom-readout:visible", has_text="one cell a node").wait_for()
    assert re.search(r"rows [\d,]+-[\d,]+ and columns [\d,]+-[\d,]+ of 5,000 nodes",
                     readout.inner_text())
    shot(page, shots, "results_large_network_zoom")
    page.get_by_role("button", name="whole matrix").click()
    page.locator(".renette-zoom-readout:visible", has_text="all 5,000 nodes").wait_for()

    # the edge table pages through the strongest edges, read from the store
    tab(page, "Edges table")
    pages = page.locator(".renette-edge-pages:visible")
    pages.wait_for()
    assert page.get_by_text(re.compile(r"rows 1-25 of the 10,000 strongest")).is_visible()
    tab(page, "Distributions")
    page.locator(".jp-RenderedPlotly:visible", has_text="Edge weight distribution").wait_for()
    shot(page, shots, "results_large_distributions")
    assert max(page.frames_received) < MAX_FRAME
