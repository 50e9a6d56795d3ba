"""Issue 16, kernels and resources, against a real stack in headless Chromium: a closed
or reloaded page ends its kernel, a page whose connection dropped is culled after
RENETTE_KERNEL_IDLE_S (connected pages and the pre-heated kernel never are), at most
RENETTE_MAX_KERNELS pages are open (the next visitor gets a polite 503), and a page's
kernel answers only its own visitor. Kernels are read through Voila's GET /api/kernels,
which answers only the machine's administrator (``Stack.kernels``)."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from waiting import wait_until

#: Small, so that the cap and the cull are reached quickly.
MAX_PAGES = 2
IDLE_S = 10
#: Deadline for a kernel to end (a hang fails; how soon is not asserted). Who ended
#: it, its page or the cull, is read in Voila's log (:func:`culled`), not on a clock.
GONE_S = 60
LOAD_MS = 90_000

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def kstack(tmp_path_factory):
    """A stack of its own with a small cap and a short idle time (no R worker: these
    pages run no job)."""
    from renette_widgets.serve import Stack
    with Stack(n_workers=0, home=tmp_path_factory.mktemp("kernels-home"),
               log_dir=tmp_path_factory.mktemp("kernels-logs"),
               max_kernels=MAX_PAGES, kernel_idle_s=IDLE_S) as stack:
        yield stack


def culled(stack, kernel_id: str) -> bool:
    """Whether the cull ended the kernel (``renette_voila`` logs each kernel it culls)."""
    log = stack.log_dir / "voila.log"
    return f"Culling kernel {kernel_id}" in log.read_text(errors="replace")


def page_kernels(stack) -> list[str]:
    return [k["id"] for k in stack.kernels() if not k["pool"]]


def listed_kernels(stack) -> list[str]:
    """Every kernel Voila lists, a stopping one included."""
    return [k["id"] for k in stack.kernels()]


def pool_kernels(stack) -> list[str]:
    return [k["id"] for k in stack.kernels() if k["pool"]]


def open_dashboard(context, url: str):
    """A page of the dashboard, once interactive; its kernel's id is ``page.kernel_id``."""
    page = context.new_page()
    page.set_default_timeout(LOAD_MS)
    response = page.goto(url)
    assert response.status == 200
    page.wait_for_selector(".renette-app", state="visible")
    page.kernel_id = kernel_of(page)
    return page


def kernel_of(page) -> str:
    return page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def close(context) -> None:
    """Close a browser's pages as a user closes tabs (their kernels end), then the browser."""
    for page in context.pages:
        page.close(run_before_unload=True)
    context.close()


@pytest.fixture
def clean(kstack):
    """Start from no page's kernel (a previous test's pages are closed)."""
    wait_until(lambda: not page_kernels(kstack), IDLE_S + 15, "previous pages' kernels gone",
               interval=0.2)
    return kstack


def test_settings_from_environment(monkeypatch):
    """RENETTE_KERNEL_IDLE_S and RENETTE_MAX_KERNELS reach Voila's command line."""
    from renette_widgets.serve import Stack
    monkeypatch.setenv("RENETTE_KERNEL_IDLE_S", "42")
    monkeypatch.setenv("RENETTE_MAX_KERNELS", "3")
    args = Stack(n_workers=1)._voila_args()
    assert "--MappingKernelManager.cull_idle_timeout=42" in args
    assert "--RenetteKernelManager.max_pages=3" in args
    monkeypatch.setenv("RENETTE_MAX_KERNELS", "many")
    with pytest.raises(ValueError, match="RENETTE_MAX_KERNELS"):
        Stack(n_workers=1)


def test_kernels_api_is_for_the_administrator_only(kstack):
    """Without the token (or with a wrong one) GET /api/kernels is refused."""
    for headers in ({}, {"X-Renette-Admin-Token": "wrong"}):
        req = urllib.request.Request(kstack.url + "api/kernels", headers=headers)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        assert err.value.code == 403
    assert all(set(k) >= {"id", "connections", "pool"} for k in kstack.kernels())


def test_closed_and_reloaded_pages_end_their_kernels(clean, browser):
    """3 page views (one of them reloaded first), each closed once interactive:
    each closed page's kernel ends because its page closed (the cull takes none of
    them), and only the pre-heated kernel remains.

    Each view is a new visitor (browser context): a browser that has been here
    before is sent back to its workspace's link, a second page load. A view's
    kernel is checked once the next view is loaded (the views do not wait for
    each other)."""
    closed: list[list[str]] = []  # kernels of a closed view
    gone: list[str] = []

    def check_shutdowns() -> None:
        while closed:
            ended = closed.pop(0)
            wait_until(lambda ended=ended: not set(ended) & set(page_kernels(clean)), GONE_S,
                       f"kernels {ended} shutting down after their page closed", interval=0.2)
            assert not [k for k in ended if culled(clean, k)], f"{ended}: culled, not ended by the page"
            gone.extend(ended)

    for i in range(3):
        context = browser.new_context()
        try:
            page = open_dashboard(context, clean.url)
            check_shutdowns()
            ended = [page.kernel_id]
            if i == 1:  # a reload ends the old kernel and takes a new one
                page.reload()
                page.wait_for_selector(".renette-app", state="visible")
                page.kernel_id = kernel_of(page)
                assert page.kernel_id != ended[0]
                ended.append(page.kernel_id)
            assert page.kernel_id in page_kernels(clean)
            page.close(run_before_unload=True)  # as closing a tab does
            closed.append(ended)
        finally:
            context.close()
    check_shutdowns()
    assert len(gone) == 4
    # Their processes exit within seconds; only the pre-heated kernel is left.
    wait_until(lambda: not set(gone) & set(listed_kernels(clean)), GONE_S,
               "the closed pages' kernels gone", interval=0.2)
    assert [k["pool"] for k in clean.kernels()] == [True]


def test_full_server_says_so_and_lets_the_next_visitor_in(clean, browser):
    contexts = [browser.new_context() for _ in range(MAX_PAGES + 1)]
    try:
        pages = [open_dashboard(c, clean.url) for c in contexts[:MAX_PAGES]]
        late = contexts[-1].new_page()
        response = late.goto(clean.url, timeout=30_000)  # an answer, not a hanging page
        assert response.status == 503
        assert int(response.headers["retry-after"]) > 0
        assert (f"The server is full: {MAX_PAGES} people are using it. "
                "Please try again in a few minutes.") in late.inner_text("body")
        assert "Traceback" not in late.content()
        assert len(page_kernels(clean)) == MAX_PAGES  # the refused visitor took none

        pages[0].close(run_before_unload=True)
        wait_until(lambda: len(page_kernels(clean)) < MAX_PAGES, GONE_S,
                   "a closed page frees its place", interval=0.2)
        assert not culled(clean, pages[0].kernel_id), "freed by the cull, not by the closed page"
        response = late.reload()
        assert response.status == 200
        late.wait_for_selector(".renette-app", state="visible")
        assert kernel_of(late) in page_kernels(clean)
    finally:
        for c in contexts:
            close(c)


def test_another_visitor_cannot_reach_a_kernel_and_a_dropped_page_is_culled(clean, browser):
    """A visitor who learnt another's kernel id can neither read nor end it; once that
    page's connection drops (no unload), the cull ends its kernel after IDLE_S, while
    an idle page still connected and the never-connected pre-heated kernel stay."""
    kept_context, dropped_context = browser.new_context(), browser.new_context()
    try:
        kept = open_dashboard(kept_context, clean.url)
        dropped = open_dashboard(dropped_context, clean.url)
        victim = dropped.kernel_id
        model = "async (k) => (await fetch('api/kernels/' + k)).status"
        shutdown = """async (k) => { const f = new FormData();
            f.append('_xsrf', (document.cookie.match('\\b_xsrf=([^;]*)\\b') || [])[1] || '');
            return (await fetch('voila/api/shutdown/' + k, {method: 'POST', body: f})).status }"""
        socket = """(k) => new Promise(done => { const ws = new WebSocket(
            location.href.replace(/^http/, 'ws').replace(/[?#].*$/, '') + 'api/kernels/' + k + '/channels');
            ws.onopen = () => { ws.close(); done('open'); }; ws.onerror = () => done('refused'); })"""
        assert kept.evaluate(model, kept.kernel_id) == 200  # its own
        assert kept.evaluate(socket, kept.kernel_id) == "open"
        assert kept.evaluate(model, victim) == 403
        assert kept.evaluate(socket, victim) == "refused"
        assert kept.evaluate(shutdown, victim) == 403
        with pytest.raises(urllib.error.HTTPError) as err:  # nor a client without cookies
            urllib.request.urlopen(clean.url + f"api/kernels/{victim}", timeout=10)
        assert err.value.code == 403

        wait_until(lambda: bool(pool_kernels(clean)), 60, "the pool refilled", interval=0.2)
        pool = pool_kernels(clean)
        dropped_context.close()  # no beforeunload: the page's connection just drops
        wait_until(lambda: victim not in listed_kernels(clean), IDLE_S + GONE_S,
                   "the dropped page's kernel culled", interval=0.2)
        assert culled(clean, victim), "the dropped page's kernel ended, but not by the cull"
        # The open page (idle all along) and the never-connected pool kernel stay.
        assert kept.kernel_id in page_kernels(clean)
        assert set(pool) <= set(pool_kernels(clean))
        assert kept.locator(".renette-app").is_visible()
    finally:
        close(kept_context)
