"""One real `make run` stack (dask scheduler + 2 R workers + Voila) and one headless
Chromium for all end-to-end tests of this folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def screenshot_dir(tmp_path_factory) -> Path | None:
    """Where the tests' screenshots go: docs/screenshots with RENETTE_SCREENSHOTS=1 (to
    refresh the README's pictures), a tmp dir with any other value (to look at them),
    none without it (a screenshot and the wait for plotly to draw cost a second each)."""
    wanted = os.environ.get("RENETTE_SCREENSHOTS", "")
    if wanted == "1":
        return REPO / "docs" / "screenshots"
    return tmp_path_factory.mktemp("screenshots") if wanted else None


#: What keeps the page from having settled: every visible tab page must be built (a
#: results view builds a page when it is first opened: an empty box until then),
#: every visible figure box must have its figure and every figure be drawn. A hidden
#: page may be scaled to nothing rather than undisplayed: visible means displayed with
#: a width.
PENDING = """() => {
    const shown = e => e.offsetParent !== null && e.closest('.lm-mod-hidden, .p-mod-hidden') === null
        && e.getBoundingClientRect().width > 0;
    const what = e => e.className || e.tagName;
    const pages = Array.from(document.querySelectorAll('.widget-tab-contents')).filter(shown)
        .flatMap(p => Array.from(p.children).filter(shown));
    // nothing drawn with a height yet (the page's box may hold an empty box of its own)
    const empty = pages.filter(p => !Array.from(p.querySelectorAll('*'))
        .some(e => e.getBoundingClientRect().height > 0)).map(p => 'empty page ' + what(p));
    const undrawn = Array.from(document.querySelectorAll('.jp-RenderedPlotly')).filter(shown)
        .filter(o => { const d = o.matches('.js-plotly-plot') ? o : o.querySelector('.js-plotly-plot');
                       return d === null || d._fullData === undefined || d._fullData.length === 0; })
        .map(o => 'figure not drawn ' + what(o));
    // a figure's box (PlotBox, the dashboard's only Output widget) before its figure arrives
    const waiting = Array.from(document.querySelectorAll('.widget-output')).filter(shown)
        .filter(o => o.querySelector('.jp-OutputArea-output') === null)
        .map(o => 'figure not sent ' + what(o));
    return empty.concat(undrawn, waiting);
}"""


def settled(page, timeout: float = 60_000) -> None:
    """Wait until the page has settled: nothing :data:`PENDING` (opened pages built,
    figures drawn); a timeout says what was still pending."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:
        page.wait_for_function(f"() => ({PENDING})().length === 0", timeout=timeout, polling=50)
    except PlaywrightTimeout:
        raise AssertionError(f"the page did not settle: {page.evaluate(PENDING)}") from None


def plot_data(page, title: str, x: list[str] | None = None, timeout: float = 60_000) -> dict:
    """x and z of the first trace of the visible plotly figure whose title starts with
    ``title`` (and whose first trace's x is ``x``, when given), waited for until drawn
    (numbers arrive base64-packed: plotly's _fullData has them decoded)."""
    found = page.wait_for_function("""([title, x]) => {
        const d = Array.from(document.querySelectorAll('.js-plotly-plot')).find(d => d.offsetParent
            && d._fullData && d._fullData.length
            && ((d._fullLayout && d._fullLayout.title && d._fullLayout.title.text) || '').startsWith(title)
            && (x === null || JSON.stringify(Array.from(d._fullData[0].x || [])) === JSON.stringify(x)));
        if (!d) return null;
        const t = d._fullData[0];
        return {x: t.x ? Array.from(t.x) : null, z: t.z ? Array.from(t.z, r => Array.from(r)) : null};
    }""", arg=[title, x], timeout=timeout, polling=50)
    return found.json_value()


def shot(page, shots: Path | None, name: str) -> None:
    """A full-page screenshot ``name``.png in ``shots`` (none when None), once the
    page has settled."""
    if shots is None:
        return
    settled(page)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    return screenshot_dir(tmp_path_factory)


LOGS: list[Path] = []  # the stack's log folder, read when a test fails


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed end-to-end test reports what the server said meanwhile: the kernels'
    errors are in Voila's log, not in the page (CI keeps only this report)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and LOGS:
        log = LOGS[0] / "voila.log"
        lines = log.read_text(errors="replace").splitlines() if log.is_file() else []
        errors = [ln for ln in lines if any(k in ln for k in ("Traceback", "Error", "ERROR", "WARNING"))]
        report.sections.append(("voila.log (errors and warnings)", "\n".join(errors[-40:])))
        report.sections.append(("voila.log (last lines)", "\n".join(lines[-40:])))


@pytest.fixture(scope="session")
def dashboard(served):
    """The stack `make run` starts (tests/conftest.py's ``served``)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make test does)")
    LOGS.append(served.log_dir)
    return served


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser, dashboard):
    """A fresh dashboard page (its own Voila kernel) per test module, at 1400 x 900;
    ``page.requests`` lists every URL it asked for."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.set_default_timeout(60_000)
    pg.goto(dashboard.url)
    pg.wait_for_selector(".renette-app")
    pg.locator(".renette-ws-link").wait_for()  # its workspace is open: jobs may start
    yield pg
    pg.close(run_before_unload=True)  # as closing a tab: its kernel ends now
    context.close()


def write_data(folder: Path, names: list[str], rows: int, cols: int, seed: int) -> list[str]:
    """One CSV of standard normal data (samples s0.., variables g0..) per name, in
    ``folder``; returns their paths, as a file chooser takes them."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    paths = []
    for name in names:
        x = pd.DataFrame(rng.normal(size=(rows, cols)), index=[f"s{i}" for i in range(rows)],
                         columns=[f"g{j}" for j in range(cols)])
        x.to_csv(folder / f"{name}.csv")
        paths.append(str(folder / f"{name}.csv"))
    return paths


def download(page, button, link: str, folder: Path) -> Path:
    """Click the button named ``button`` (a regex), then the link ``link`` (a CSS
    selector) it offers; the file saved in ``folder``."""
    import re
    page.get_by_role("button", name=re.compile(button)).last.click()
    anchor = page.locator(link).last
    anchor.wait_for(timeout=120_000)
    with page.expect_download() as dl:
        anchor.click()
    path = folder / dl.value.suggested_filename
    dl.value.save_as(path)
    return path


def opened_offline(browser, path: Path) -> tuple[int, list[str]]:
    """Open an HTML file in a fresh browser context: how many plotly figures it drew,
    and every request it made that is not the file itself (data or blob)."""
    ctx = browser.new_context()
    page = ctx.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0",
                           timeout=60_000)
    drawn = page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length")
    ctx.close()
    return drawn, [u for u in asked if not u.startswith(("file:", "data:", "blob:", "about:"))]
