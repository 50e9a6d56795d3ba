"""The first visit's "start here" card: the example data, then a guided first job
(their correlation networks); it goes once the workspace has a job."""
from __future__ import annotations

from typing import Any, Callable

import ipywidgets as w

from .common import ErrorBox, guarded


class StartCard(w.VBox):
    """Two steps: load the two-condition example data, then open the Inference tab
    with it and the correlation method chosen (one more click runs it).

    Parameters
    ----------
    inputs, inference : the Inputs and Inference panels.
    select : callable
        Brings a tab (its title) to the front.
    has_jobs : callable
        Whether the workspace holds a job (the card then hides).
    """

    def __init__(self, inputs: Any, inference: Any, select: Callable[[str], None],
                 has_jobs: Callable[[], bool]) -> None:
        self.inputs, self.inference, self.select, self.has_jobs = inputs, inference, select, has_jobs
        self.errors = ErrorBox()
        self.load = w.Button(description="1. load the two-condition example", icon="database",
                             layout=w.Layout(width="auto"), button_style="info")
        self.guide = w.Button(description="2. infer its networks (a first job)", icon="play",
                              layout=w.Layout(width="auto"), button_style="info")
        self.load.on_click(guarded(self.errors)(lambda _b: self.load_examples()))
        self.guide.on_click(guarded(self.errors)(lambda _b: self.first_job()))
        super().__init__([
            w.HTML("<b>Start here</b> <span style='color:#444'>— new to ReNette? Load the example "
                   "data (expression of 40 genes in two conditions), then infer a correlation network "
                   "of each: the Inference tab opens with both chosen, and its button runs the job. "
                   "The results open by themselves; from there, compare the networks (Distance) or "
                   "the conditions (Differential).</span>"),
            w.HBox([self.load, self.guide]), self.errors],
            layout=w.Layout(border="1px solid #9ecae1", padding="6px 10px", margin="4px 0"))
        self.add_class("renette-start")

    def load_examples(self) -> list[str]:
        return self.inputs.load_example("example-data")

    def first_job(self) -> None:
        """The example data loaded (if not yet), chosen in the Inference tab with cor."""
        names = [n for n in ("condition_A", "condition_B") if n in self.inputs.session.data]
        if len(names) < 2:
            names = self.load_examples()
        self.inference.refresh_inputs()
        self.inference.data.value = tuple(names)
        self.inference.methods.value = ("cor",)
        self.select("Inference")

    def update(self, *_args: Any) -> None:
        """Shown until the workspace has a job."""
        self.layout.display = "none" if self.has_jobs() else None
