"""Widgets are made on the kernel's own thread.

ipywidgets keeps every model in one dict, and the kernel's thread walks it when a
page connects (the front end's ``request_states``). A thread that adds widgets
during that walk breaks it ("dictionary changed size during iteration"), and the
page never gets those widgets. Work that waits in a thread (for the request, for
the cluster, for the store) therefore hands what it found back to the kernel's
loop, which runs it between two messages.
"""
from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop, when called from a Jupyter kernel's cell (Voila's
    or JupyterLab's), else None (another library's loop, e.g. playwright's in
    the tests, is not one that hands widgets their messages)."""
    from IPython import get_ipython  # ipywidgets' own dependency
    if getattr(get_ipython(), "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def on_loop(fn: Callable[..., None], loop: asyncio.AbstractEventLoop | None = None) -> Callable[..., None]:
    """``fn``, made safe to call from any thread: the call runs on ``loop``'s thread
    (by default the kernel's, :func:`kernel_loop`; call this on that thread).
    Without a loop (plain Python, tests) the call runs at once, where it is made."""
    loop = loop if loop is not None else kernel_loop()
    if loop is None:
        return fn
    owner = threading.current_thread()

    @functools.wraps(fn)
    def call(*args, **kwargs) -> None:
        if threading.current_thread() is owner:
            fn(*args, **kwargs)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(functools.partial(fn, *args, **kwargs))
    return call
