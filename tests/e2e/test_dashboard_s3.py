"""The dashboard with its store on S3 (moto's server on loopback) and its only
worker in a mount namespace of its own (it shares nothing with Voila's kernels
but the store's URL and dask): upload, infer, differential, results, the zip of
a job and a share link, all through the object store."""
from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CHROMIUM, LOGS, write_data
from test_dashboard import tab, upload

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from s3_helpers import UNSHARE_REASON, S3Server, set_env  # noqa: E402

JOB_TIMEOUT = 180_000  # ms
pytestmark = [pytest.mark.timeout(600),
              pytest.mark.skipif(UNSHARE_REASON is not None, reason=str(UNSHARE_REASON))]


@pytest.fixture(scope="module")
def s3_dashboard(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make test does)")
    from renette_widgets.serve import Stack
    server = S3Server().start()
    logs = tmp_path_factory.mktemp("e2e-s3-logs")
    LOGS.insert(0, logs)
    try:
        with set_env(server.env):
            home = server.bucket() + "/store"
            with Stack(n_workers=1, voila=True, home=home, isolate=True, log_dir=logs) as stack:
                yield stack, home
    finally:
        LOGS.remove(logs)
        server.stop()


def test_the_dashboard_works_with_its_store_on_s3(browser, s3_dashboard, tmp_path):
    import fsspec
    stack, home = s3_dashboard
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(stack.url)
    page.wait_for_selector(".renette-app")
    # the workspace opens from the store (on S3: some requests) before anything is kept
    page.wait_for_function("() => { const w = document.querySelector('.renette-workspace');"
                           " return w && w.innerText && !w.innerText.includes('opening'); }")
    upload(page, write_data(tmp_path, ["condA", "condB"], rows=20, cols=30, seed=3))
    page.locator(".renette-table", has_text="condB").wait_for()
    tab(page, "Inference")
    page.locator("select[multiple]:visible").nth(0).select_option(["condA"])
    page.locator("select[multiple]:visible").nth(1).select_option(label=["cor · correlation"])
    page.get_by_role("button", name="Infer networks").click()
    page.locator(".renette-threshold:visible", has_text="condA_cor").wait_for(timeout=JOB_TIMEOUT)
    tab(page, "Differential")
    page.locator(".renette-differential-data select").select_option(["condA", "condB"])
    page.get_by_role("button", name="Run differential analysis").click()
    head = page.locator(".renette-differential")
    head.wait_for(timeout=JOB_TIMEOUT)
    assert re.search(r"condA vs condB: [\d,]+ of 435 pairs", head.inner_text()), head.inner_text()
    # the job's zip, read from the object store
    zip_button = page.get_by_role("button", name=re.compile("zip of the job folder"))
    page.wait_for_function("b => !b.disabled", arg=zip_button.element_handle())
    zip_button.click()
    link = page.locator("a[download$='.zip']")
    link.wait_for()
    with page.expect_download() as dl:
        link.click()
    dl.value.save_as(tmp_path / "job.zip")
    with zipfile.ZipFile(tmp_path / "job.zip") as z:
        names = z.namelist()
    assert any(n.endswith("/manifest.json") for n in names), names
    assert any(n.endswith(".parquet") for n in names), names
    # a read-only link to it opens the results for someone else
    page.get_by_role("button", name="share read-only link").click()
    href = page.locator("a.renette-share").get_attribute("href")
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.goto(stack.url + href)
    other.locator(".renette-shared").wait_for()
    other.locator(".renette-differential").wait_for(timeout=JOB_TIMEOUT)
    other.context.close()
    # everything is in the bucket: two finished jobs of one workspace
    with set_env({}):
        fs = fsspec.filesystem("s3", skip_instance_cache=True)
        manifests = fs.glob(home.removeprefix("s3://") + "/workspaces/*/jobs/*/manifest.json")
    assert len(manifests) == 2, manifests
    context.close()
