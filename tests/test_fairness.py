"""Fair sharing of one cluster: long tasks go only to workers offering the "long"
resource (when some do), and a workspace's further jobs step down in priority."""
from __future__ import annotations

from renette_widgets.jobs import plan
from renette_widgets.jobs.plan import LONG, LONG_PRIORITY, Plan, priority_offset, submit_task


class FakeClient:
    """Records what the plan asks of the scheduler (no cluster needed)."""

    def __init__(self, resources: list[dict]):
        self.workers = {f"tcp://w{i}": {"resources": r} for i, r in enumerate(resources)}
        self.submitted: list[dict] = []

    def scheduler_info(self):
        return {"workers": self.workers}

    def submit(self, fn, *args, **kw):
        self.submitted.append(kw)
        return type("F", (), {"key": kw["key"]})()


def test_long_tasks_need_the_long_resource_only_where_workers_offer_it():
    mixed = FakeClient([{}, {LONG: 1}])
    submit_task(mixed, Plan(), "s", "quick", print, priority=LONG_PRIORITY + 1)
    submit_task(mixed, Plan(), "s", "long", print, priority=LONG_PRIORITY)
    assert [s["resources"] for s in mixed.submitted] == [None, {LONG: 1}]
    # a long task is never pinned to a worker without the resource (it would fail there)
    submit_task(mixed, Plan(), "s", "long2", print, priority=LONG_PRIORITY, place={"long2": "tcp://w0"})
    submit_task(mixed, Plan(), "s", "long3", print, priority=LONG_PRIORITY, place={"long3": "tcp://w1"})
    assert [s["workers"] for s in mixed.submitted[2:]] == [None, ["tcp://w1"]]
    plain = FakeClient([{}, {}])  # a cluster without the resource: nothing would run them
    submit_task(plain, Plan(), "s", "long", print, priority=LONG_PRIORITY - 3)
    assert plain.submitted[0]["resources"] is None


def test_a_workspaces_other_running_jobs_lower_its_priority():
    c = FakeClient([{}])
    with priority_offset(-2):
        submit_task(c, Plan(), "s", "k1", print, priority=0)
    submit_task(c, Plan(), "s", "k2", print, priority=0)
    assert [s["priority"] for s in c.submitted] == [-2, 0]
    assert plan._OFFSET.get() == 0
