"""What the served dashboard adds to Voila 0.5.13 (issue 16: kernels and resources).

``serve.Stack`` starts Voila with this directory on ``PYTHONPATH`` and names two
classes of this module on Voila's command line:

``RenetteKernelManager`` (``--VoilaConfiguration.multi_kernel_manager_class``)
    Tells the kernels of pages from those waiting in the pre-heated pool,
    culls a page's kernel once no page has been connected to it for
    ``cull_idle_timeout`` seconds (never a connected one, never a pool one),
    says when ``max_pages`` pages are open, and which visitor owns a kernel.
``RenetteIdentityProvider`` (``--Voila.identity_provider_class``)
    Voila's default identity provider, plus what must happen on the request
    of a page before Voila hands it a kernel (the ``_xsrf`` cookie, the
    "server is full" page) and on a request naming a kernel (only its
    visitor's). It also mounts two small handlers. Voila 0.5.13
    has no setting for extra handlers nor a page hook that works with the
    pre-heated pool (``prelaunch_hook`` is refused with ``preheat_kernel``);
    the identity provider is the one configurable class that sees every
    request before its handler runs and whose ``get_handlers()`` Voila mounts.

Why the ``_xsrf`` cookie: on ``beforeunload`` Voila's page posts
``voila/api/shutdown/<kernel>`` with the ``_xsrf`` cookie's value as the form's
``_xsrf`` field. jupyter_server checks that the two match (tornado's
double-submit check). Voila sets that cookie only when it renders the page
for the request; a pre-heated page was rendered ahead, without a request, so
the page had no cookie, sent an empty field and got 403 ("'_xsrf' argument
missing from POST", voila-dashboards/voila#1458): closed pages kept their
kernels until the cull. Setting the cookie on the page's response keeps
the check and lets the shutdown through.

Why kernels have owners: in stock Voila anyone who knows a kernel's id (it
is in its page, and in the URL of the page's websocket, hence in proxies'
logs) can read and drive that page's widgets through
``/api/kernels/<id>/channels`` and shut it down, with any client and no
cookie of the page's. Here the first visitor to use a page's kernel (the
page's own script, seconds after the page is served) owns it, known by the
signed anonymous-user cookie jupyter_server gives each browser; other
visitors get 403. A browser refusing cookies owns nothing and, as before,
is not protected.

This module is imported by the Voila server, not as ``renette_widgets.*``:
importing that package would load dask and numpy (~200 MB, seconds) into a
process that needs neither.
"""
from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import os
import time
import uuid
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.identity import PasswordIdentityProvider, User
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Float, Integer

#: Seconds between two looks at a kernel whose shutdown waits for its jobs.
BUSY_POLL = 5.0


def _busy(kernel_id: str) -> bool:
    """Whether a kernel runs jobs: it keeps ``RENETTE_HOME/busy/<kernel id>`` while it
    does (``renette_widgets.widgets.session``); a job lives in its page's kernel.
    A store on an object store keeps these marks in ``~/.renette`` (they are this
    machine's: ``renette_widgets.config.local_home``, not imported here)."""
    home = os.environ.get("RENETTE_HOME") or ""
    if "://" in home:
        home = home.split("://", 1)[1] if home.lower().startswith(("file://", "local://")) else ""
    home = os.path.expanduser(home or os.path.join("~", ".renette"))
    return os.path.exists(os.path.join(home, "busy", kernel_id))


#: Environment variable holding the token of ``GET /api/kernels`` (unset: no listing).
ADMIN_TOKEN_ENV = "RENETTE_ADMIN_TOKEN"
#: Request header carrying that token.
ADMIN_TOKEN_HEADER = "X-Renette-Admin-Token"

FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ReNette: the server is full</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:4em auto;line-height:1.5;color:#222}}</style>
</head><body><h1>ReNette</h1>
<p>The server is full: {pages} people are using it. Please try again in a few minutes.</p>
</body></html>
"""


class RenetteKernelManager(AsyncMappingKernelManager):
    """The kernel manager Voila wraps with its pre-heated pool.

    Voila subclasses this class (``voila_kernel_manager_factory``): its pool
    (``self._pools``: notebook -> tasks, each starting a kernel and running
    the notebook) is only reachable from here as an attribute.
    """

    max_pages = Integer(16, config=True,
                        help="Pages open at once (kernels outside the pool); 0: no cap.")
    load_grace = Float(60, config=True,
                       help="Seconds a page's kernel may wait for its page to connect "
                            "before the cull may take it (if longer than cull_idle_timeout).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool_kernel: dict[asyncio.Task, str] = {}  # pool task -> the kernel it started
        self._alone_since: dict[str, float] = {}  # kernel -> monotonic time it lost its last page
        self._ever_connected: set[str] = set()
        self._owner: dict[str, str] = {}  # page's kernel -> username of its visitor
        self._stopping: set[str] = set()  # listed until their process exits (seconds)
        self._waiting: set[str] = set()  # closed pages' kernels finishing their jobs
        self._exiting = False

    # -- which kernels are pages' ------------------------------------------------
    def _pool_tasks(self) -> list[asyncio.Task]:
        return [t for pool in getattr(self, "_pools", {}).values() for t in pool]

    async def start_kernel(self, **kwargs: Any) -> str:
        """Start a kernel; remember it as a pool kernel when a pool task starts it."""
        env = kwargs.get("env")
        if isinstance(env, dict):
            env.pop(ADMIN_TOKEN_ENV, None)  # the notebook's code has no use for it
        # Voila's pool task calls this; a task a visitor already took is a page's.
        task = asyncio.current_task()
        if task is not None and task in self._pool_tasks():
            # Named before it starts, so a starting pool kernel never counts as a page's.
            kwargs.setdefault("kernel_id", str(uuid.uuid4()))
            self._pool_kernel[task] = kwargs["kernel_id"]
        return await super().start_kernel(**kwargs)

    def pool_kernel_ids(self) -> set[str]:
        """Kernels still waiting in the pre-heated pool (started or starting)."""
        tasks = self._pool_tasks()
        for task in list(self._pool_kernel):
            if task not in tasks:  # handed to a page (or shut down)
                del self._pool_kernel[task]
        return set(self._pool_kernel.values())

    def page_kernel_ids(self) -> list[str]:
        """Kernels handed to pages (alive, connected or not, not shutting down)."""
        skip = self.pool_kernel_ids() | self._stopping
        return [k for k in self.list_kernel_ids() if k not in skip]

    def is_full(self) -> bool:
        """Whether a new page would exceed ``max_pages``."""
        return self.max_pages > 0 and len(self.page_kernel_ids()) >= self.max_pages

    def pool_ready(self) -> bool:
        """Whether a pool kernel has run the notebook (a visitor gets a page at once)."""
        return any(task.done() and not task.cancelled() and task.exception() is None
                   and task.result()["task"].done() for task in self._pool_tasks())

    def may_use(self, kernel_id: str, username: str, claim: bool) -> bool:
        """Whether ``username`` may use a page's kernel; its first user owns it.

        ``claim=False`` (a visitor without a cookie) uses an unowned kernel
        without owning it. Pool kernels have no owner yet: their ids reach
        no one before a page is served.
        """
        if kernel_id not in self or kernel_id in self.pool_kernel_ids():
            return True  # an unknown id is the handler's 404
        owner = self._owner.get(kernel_id)
        if owner is None:
            if claim:
                self._owner[kernel_id] = username
            return True
        return hmac.compare_digest(owner.encode(), username.encode())

    # -- culling ----------------------------------------------------------------
    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._ever_connected.add(kernel_id)
        self._alone_since.pop(kernel_id, None)

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if self._kernel_connections.get(kernel_id, 0) <= 0:
            self._alone_since[kernel_id] = time.monotonic()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Shut a page's kernel down once no page has been connected for a while.

        Replaces jupyter_server's rule (idle since the kernel's last message):
        a page left open without a click for an hour keeps its kernel, and a
        page gone a minute ago loses it whatever it did before. A kernel that
        never had a page (its visitor left while loading) gets ``load_grace``,
        counted from when a cull pass first sees it without a page.
        """
        kernel = self._kernels[kernel_id]
        if getattr(kernel, "execution_state", None) == "dead":
            self.log.warning("Culling dead kernel %s", kernel_id)
            await ensure_async(self.shutdown_kernel(kernel_id))
            return
        # Voila's subclass skips the pool kernels that are ready; these are still starting.
        if kernel_id in self.pool_kernel_ids() or self._kernel_connections.get(kernel_id, 0) > 0:
            return
        if not self.cull_busy and getattr(kernel, "execution_state", None) == "busy":
            return
        now = time.monotonic()
        since = self._alone_since.setdefault(kernel_id, now)
        limit = self.cull_idle_timeout
        if kernel_id not in self._ever_connected:
            limit = max(limit, self.load_grace)
        if now - since >= limit:
            self.log.info("Culling kernel %s: no page connected for %d s", kernel_id, now - since)
            await ensure_async(self.shutdown_kernel(kernel_id))

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        self._exiting = True  # the server stops: jobs or not, every kernel goes
        return await super().shutdown_all(*args, **kwargs)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Shut a kernel down; one running jobs (its page closed, or culled) first
        finishes them, so that no job is lost with its page."""
        if not self._exiting and _busy(kernel_id):
            if kernel_id not in self._waiting:
                self._waiting.add(kernel_id)
                self.log.info("Kernel %s runs jobs: shut down when they end", kernel_id)
                asyncio.ensure_future(self._shutdown_when_done(kernel_id, args, kwargs))
            return None
        return await self._shutdown_now(kernel_id, *args, **kwargs)

    async def _shutdown_when_done(self, kernel_id: str, args: tuple, kwargs: dict) -> None:
        try:
            while kernel_id in self and _busy(kernel_id) and not self._exiting:
                await asyncio.sleep(BUSY_POLL)
            if kernel_id in self:
                await self._shutdown_now(kernel_id, *args, **kwargs)
        finally:
            self._waiting.discard(kernel_id)

    async def _shutdown_now(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self._alone_since.pop(kernel_id, None)
        self._ever_connected.discard(kernel_id)
        self._owner.pop(kernel_id, None)
        # A reload's new page may come before the old kernel's process is gone.
        self._stopping.add(kernel_id)
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._stopping.discard(kernel_id)


def _is_page(handler: web.RequestHandler) -> bool:
    """Whether the request is for the dashboard page (the one that takes a kernel)."""
    from voila.handler import VoilaHandler  # imported late: Voila imports this module
    return (isinstance(handler, VoilaHandler) and handler.request.method == "GET"
            and not any(handler.path_args))


def _kernel_named(handler: web.RequestHandler) -> str | None:
    """The kernel a request acts on (its model, websocket or shutdown), if any."""
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    if handler.path_kwargs.get("kernel_id"):
        return handler.path_kwargs["kernel_id"]
    if isinstance(handler, VoilaShutdownKernelHandler) and handler.path_args:
        return handler.path_args[0]
    return None


class RenetteIdentityProvider(PasswordIdentityProvider):
    """Voila's identity provider, plus the page's ``_xsrf`` cookie, the cap on
    pages and kernels' owners.

    See the module's docstring for why this is the place.
    """

    retry_after = Integer(120, config=True,
                          help="Seconds in the Retry-After header of the 'server is full' page.")

    async def get_user(self, handler: web.RequestHandler) -> User | None:  # type: ignore[override]
        user = await ensure_async(super().get_user(handler))
        if user is None:
            return user
        # Set early (prepare sets it again): the xsrf token and error pages read it.
        handler.current_user = user
        km = handler.settings["kernel_manager"]
        kernel_id = _kernel_named(handler)
        if kernel_id and hasattr(km, "may_use"):
            cookie_user = await ensure_async(self.get_user_cookie(handler))
            from_cookie = cookie_user is not None and cookie_user.username == user.username
            if not km.may_use(kernel_id, user.username, claim=from_cookie):
                handler.log.warning("refused %s %s: another visitor's kernel",
                                    handler.request.method, handler.request.path)
                # Finished here: jupyter_server's HTML error page fails in Voila
                # (no static_path) for the websocket's handler.
                handler.set_status(403)
                handler.set_header("Content-Type", "application/json")
                raise web.Finish(json.dumps({"message": "another visitor's kernel"}))
        if not _is_page(handler):
            return user
        if getattr(km, "is_full", lambda: False)():
            pages = len(km.page_kernel_ids())
            handler.log.warning("server full (%d pages): refusing a page", pages)
            handler.set_status(503)
            handler.set_header("Retry-After", str(self.retry_after))
            handler.set_header("Content-Type", "text/html; charset=UTF-8")
            raise web.Finish(FULL_PAGE.format(pages=html.escape(str(pages))))
        _ = handler.xsrf_token  # tornado sets the _xsrf cookie when the token is first read
        return user

    def get_handlers(self) -> list[tuple[str, Any]]:
        base = getattr(self.parent, "server_url", None) or "/"
        return super().get_handlers() + [
            (url_path_join(base, r"/api/kernels/?"), KernelListHandler),
            (url_path_join(base, r"/renette/ready"), PoolReadyHandler),
        ]


def _is_admin(request: Any) -> bool:
    """A request from this machine carrying ``RENETTE_ADMIN_TOKEN`` (when it is set)."""
    token = os.environ.get(ADMIN_TOKEN_ENV, "")
    given = request.headers.get(ADMIN_TOKEN_HEADER, "")
    try:
        local = ipaddress.ip_address(request.remote_ip).is_loopback
    except ValueError:
        local = False
    return bool(token) and local and hmac.compare_digest(given.encode(), token.encode())


class KernelListHandler(web.RequestHandler):
    """``GET /api/kernels``: every kernel, for the machine's administrator only.

    Stock Voila has no such listing (the path falls through to its file
    handler: 403). With ``RENETTE_ADMIN_TOKEN`` set, a request from a
    loopback address with that token in ``X-Renette-Admin-Token`` gets
    jupyter_server's kernel models, each with ``"pool": true|false``;
    anyone else still gets 403. Loopback alone is not enough: behind a
    reverse proxy on the same machine every visitor comes from 127.0.0.1.
    """

    def get(self) -> None:
        if not _is_admin(self.request):
            raise web.HTTPError(403)
        km = self.settings["kernel_manager"]
        pool = km.pool_kernel_ids() if hasattr(km, "pool_kernel_ids") else set()
        models = [{**m, "pool": m["id"] in pool} for m in km.list_kernels()]
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(models))


class PoolReadyHandler(web.RequestHandler):
    """``GET /renette/ready``: 200 once a pre-heated kernel has run the notebook, else 503.

    What ``serve.Stack`` waits for; reveals nothing else and takes no kernel.
    """

    def get(self) -> None:
        km = self.settings["kernel_manager"]
        ready = bool(getattr(km, "pool_ready", lambda: True)())
        self.set_status(200 if ready else 503)
        self.set_header("Cache-Control", "no-store")
        self.finish({"ready": ready})
