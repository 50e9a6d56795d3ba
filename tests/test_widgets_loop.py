"""widgets.loop: work found in a thread is handed to the kernel's loop (its thread
makes the widgets), and runs at once where there is no loop."""
from __future__ import annotations

import asyncio
import threading

from renette_widgets.widgets.loop import on_loop


def test_without_a_kernel_the_call_runs_where_it_is_made():
    def fn(x):
        return x
    assert on_loop(fn) is fn

    async def elsewhere() -> bool:  # another library's running loop is not a kernel's
        return on_loop(fn) is fn
    got: list[bool] = []  # in a thread of its own: this one may run playwright's loop
    t = threading.Thread(target=lambda: got.append(asyncio.run(elsewhere())))
    t.start()
    t.join(10)
    assert got == [True]


def test_a_call_from_another_thread_runs_on_the_loops_thread():
    ran: list[tuple[str, int]] = []
    done = threading.Event()

    async def kernel() -> None:  # as a kernel's cell: the loop runs on this thread
        call = on_loop(lambda x: (ran.append((threading.current_thread().name, x)), done.set()),
                       asyncio.get_running_loop())
        call(1)  # on the loop's own thread: at once
        assert ran == [("kernel", 1)]
        threading.Thread(target=call, args=(2,), name="worker").start()
        while not done.is_set() or len(ran) < 2:
            await asyncio.sleep(0.01)

    t = threading.Thread(target=lambda: asyncio.run(kernel()), name="kernel")
    t.start()
    t.join(10)
    assert ran == [("kernel", 1), ("kernel", 2)]
