"""notebooks/tutorial.ipynb runs from top to bottom (headless, nbclient) against a
real scheduler, so the analysts' walk-through never rots."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "tutorial.ipynb"


@pytest.mark.timeout(900)
def test_tutorial_executes(stack, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", stack.scheduler_address)  # the kernel inherits it
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # The figures are inline plotly figures (their data, no script from a CDN).
    plots = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(plots) == 6  # networks, heatmap, MDS map, stability, degree histogram, volcano
    text = "\n".join(str(o.get("data", {}).get("text/plain", o.get("text", ""))) for o in outputs)
    assert "align='position'" in text and "test_data_3" in text  # the refusal names the choices
    assert "'S':" in text and "betweenness" in text and "z_diff" in text
    # a genes-in-rows table read as samples x genes, GraphML read back, a multiplex distance
    assert "(60, 40) True" in text and "transposed to 60 samples x 40 variables" in text
    assert "condition_A_WGCNA.graphml" in text and "multiplex" in text
