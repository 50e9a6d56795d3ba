"""What every workflow panel shares: a Run button that submits a job and reports in words."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pandas as pd

from ..errors import InputError
from .. import workflows
from .common import ErrorBox, guarded
from .form import ParamForm
from .session import Session


class RunPanel(w.VBox):
    """Base of the Inference, Distance, Stability and Statistics panels.

    Subclasses define ``workflow`` and ``collect() -> (inputs, params)``; the
    Run button submits them. Problems with inputs or parameters appear in this
    panel's error box before anything runs; a job that fails later is reported
    here too (and in the Jobs tab).
    """

    workflow = ""

    def __init__(self, session: Session, children: list[w.Widget], run_label: str) -> None:
        self.session = session
        self.errors = ErrorBox()
        self.notice = w.HTML()
        self.run = w.Button(description=run_label, icon="play", button_style="primary",
                            layout=w.Layout(width="auto"))
        self.run.on_click(guarded(self.errors)(self._run))
        self.last_job: Any = None
        session.on("inputs", self.refresh_inputs)
        super().__init__(children + [w.HBox([self.run, self.notice]), self.errors])
        self.refresh_inputs()

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        """The inputs and parameters the form describes (raises InputError)."""
        raise NotImplementedError

    def refresh_inputs(self) -> None:
        """Update the input choices after files were loaded or removed."""

    def _run(self, _button=None) -> Any:
        self.notice.value = ""
        inputs, params = self.collect()
        job = self.session.submit(self.workflow, inputs, params)
        self.last_job = job
        self.notice.value = (f"<span style='color:#555'>submitted job <code>{html.escape(job.id)}</code>: "
                             "follow it in the Jobs tab</span>")
        job.add_callback(self._job_changed)
        return job

    def _job_changed(self, job: Any) -> None:
        if job.status == "failed" and job is self.last_job:
            self.errors.show(f"Job {job.id} failed: {job.error}")


class NetworksRunPanel(RunPanel):
    """A workflow panel over a choice of the session's networks (Distance, Statistics)."""

    def __init__(self, session: Session, intro: str, run_label: str) -> None:
        self.networks = w.SelectMultiple(description="networks", rows=8, style={"description_width": "80px"},
                                         layout=w.Layout(width="520px"))
        self.form = ParamForm(workflows.get(self.workflow).params)
        super().__init__(session, [w.HTML(intro), self.networks, self.form], run_label)

    def refresh_inputs(self) -> None:
        select_options(self.networks, list(self.session.networks))

    def collect(self) -> tuple[dict[str, pd.DataFrame], dict]:
        if not self.networks.value:
            raise InputError("No network chosen.",
                             hint="Load networks in the Inputs tab or infer them, then select them here.")
        return {n: self.session.networks[n] for n in self.networks.value}, self.form.values()


def select_options(widget: w.SelectMultiple | w.Dropdown, names: list[str]) -> None:
    """Replace the options of a selector, keeping what is still available selected.

    A multiple choice also selects the names that are new: every matrix loaded
    is selected until the user deselects it.
    """
    if isinstance(widget, w.SelectMultiple):
        old = set(widget.options)
        keep = tuple(n for n in names if n in widget.value or n not in old)
        widget.options = names
        widget.value = keep
    else:
        keep = widget.value
        widget.options = names
        widget.value = keep if keep in names else (names[0] if names else None)
