"""Workflow panels without a cluster: forms built from params specs, what they would submit,
and bad parameters refused in the panel before anything runs."""
import pytest
from waiting import wait_until

from renette_widgets import workflows
from renette_widgets.widgets.app import App


@pytest.fixture
def app(tmp_path):
    from renette_widgets import Store
    a = App(store=Store(tmp_path), connect=False)
    a.inputs.example_buttons["example-data"].click()
    a.inputs.example_buttons["example-networks"].click()
    return a


def test_inference_shows_only_the_chosen_methods_parameters(app):
    panel = app.inference
    panel.methods.value = ("cor", "WGCNA", "MINE")
    shown = [box.children[0].value for box in panel.params_area.children]
    assert shown == ["<b>cor</b> parameters", "<b>WGCNA</b> parameters", "<b>MINE</b> parameters"]
    assert set(panel.forms["WGCNA"].inputs) == {"P", "tol"}
    assert set(panel.forms["MINE"].inputs) == {"measure", "alpha", "C", "var.thr", "tol"}
    assert "P" not in panel.forms["cor"].inputs and "method" in panel.forms["cor"].inputs
    # defaults are those of params.py (nettools / ReNette)
    assert panel.forms["MINE"]["alpha"].value == 0.6 and panel.forms["MINE"]["C"].value == 15


def test_inference_collects_several_methods(app):
    panel = app.inference
    panel.data.value = ("condition_A", "condition_B")
    panel.methods.value = ("cor", "WGCNA")
    panel.forms["cor"]["method"].value = "spearman"
    panel.forms["WGCNA"]["P"].value = 8
    panel.common["seed"].value = 7
    panel.common["top_variance"].value = "30"
    inputs, p = panel.collect()
    assert list(inputs) == ["condition_A", "condition_B"]
    assert inputs["condition_A"] is app.session.data["condition_A"]
    assert p == {"methods": {"cor": {"method": "spearman", "tol": 0.0}, "WGCNA": {"P": 8, "tol": 0.0}},
                 "seed": 7, "top_variance": 30}
    assert workflows.get("inference").validate_params(p) == p  # already canonical and typed


def test_out_of_range_parameter_is_refused_in_the_panel(app):
    panel = app.inference
    panel.data.value = ("condition_A",)
    panel.methods.value = ("WGCNA",)
    panel.forms["WGCNA"]["P"].value = 50
    panel.run.click()
    assert "parameter P" in panel.errors.text and "out of range" in panel.errors.text
    assert "1" in panel.errors.text and "30" in panel.errors.text  # the allowed range is said
    assert app.session.jobs == []  # nothing submitted


def test_nothing_chosen_is_said_in_words(app):
    app.inference.data.value = ()
    app.inference.run.click()
    assert app.inference.errors.text.startswith("No data matrix chosen")
    app.distance.networks.value = ()
    app.distance.run.click()
    assert "No network chosen" in app.distance.errors.text
    app.statistics.networks.value = ()
    app.statistics.run.click()
    assert "No network chosen" in app.statistics.errors.text


def test_distance_form(app):
    panel = app.distance
    assert panel.networks.options == ("network_A", "network_B")
    panel.networks.value = ("network_A", "network_B")
    assert panel.collect()[1] == {"metric": "HIM", "rho": 1.0, "gamma": None, "components": True,
                                  "align": "names", "spectrum": "exact"}
    assert panel.form["gamma"].number.disabled  # automatic by default
    panel.form["metric"].value = "IM"
    panel.form["rho"].value = 0.5
    panel.form["gamma"].auto.value = False
    panel.form["gamma"].number.value = 0.2
    panel.form["align"].value = "shared"
    assert panel.collect()[1] == {"metric": "IM", "rho": 0.5, "gamma": 0.2, "components": True,
                                  "align": "shared", "spectrum": "exact"}
    assert "shared nodes only" in [label for label, _ in panel.form["align"].options]
    assert "nettools" in panel.form.rows["align"].children[1].value  # its help, beside it
    panel.form["gamma"].number.value = -1
    panel.run.click()
    assert "gamma" in panel.errors.text and app.session.jobs == []


def test_stability_form(app):
    panel = app.stability
    assert panel.data.value == "condition_A"
    panel.form["method"].value = "WGCNA"
    assert panel.method_area.children[0] is panel.method_forms["WGCNA"]
    panel.form["resampling"].value = "kCV"
    panel.form["k"].value = 4
    panel.form["h"].value = 2
    panel.form["seed"].value = 3
    inputs, p = panel.collect()
    assert list(inputs) == ["condition_A"]
    assert p == {"method": "WGCNA", "metric": "HIM", "rho": 1.0, "gamma": None, "resampling": "kCV",
                 "k": 4, "h": 2, "seed": 3, "indicator": "all", "top_variance": None,
                 "method_params": {"P": 6, "tol": 0.0}}
    panel.form["resampling"].value = "LOO"
    # LOO leaves out each sample once: k and h do not apply, so they are not shown
    assert {panel.form.rows[n].layout.display for n in ("k", "h")} == {"none"}
    panel.form["resampling"].value = "montecarlo"
    assert {panel.form.rows[n].layout.display for n in ("k", "h")} == {None}
    panel.form["resampling"].value = "LOO"
    panel.form["top_variance"].auto.value = False
    panel.form["top_variance"].number.value = 40
    assert panel.collect()[1]["top_variance"] == 40


def _shown(widget) -> list:
    """Every widget in the tree under ``widget``."""
    out, todo = [], [widget]
    while todo:
        wd = todo.pop()
        out.append(wd)
        todo.extend(getattr(wd, "children", ()) or ())
    return out


@pytest.mark.parametrize("name, form", [("inference", "common"), ("distance", "form"),
                                        ("stability", "form"), ("statistics", "form")])
def test_every_parameter_of_a_panel_is_in_its_page(app, name, form):
    """A panel that places its fields by name shows every parameter of its workflow
    (the stability panel once left out top_variance)."""
    panel = getattr(app, name)
    shown = {id(wd) for wd in _shown(panel)}
    rows = getattr(panel, form).rows
    missing = [n for n, row in rows.items() if id(row) not in shown]
    assert missing == []
    skipped = {"method"} if name == "inference" else set()  # the methods' list, not a field
    assert set(rows) | skipped == {s.name for s in workflows.get(panel.workflow).params}


def test_inferred_networks_become_choices(app):
    import pandas as pd
    net = app.session.networks["network_A"]
    app.session.add("condition_A_cor", pd.DataFrame(net), "adjacency", origin="job x")
    assert "condition_A_cor" in app.distance.networks.options
    assert "condition_A_cor" in app.statistics.networks.options


def test_unreachable_cluster_is_said_in_the_panel_and_stored_jobs_stay_browsable(tmp_path):
    """A dead client: the job fails in words in the Distance panel, the page keeps working."""
    from distributed import Client, LocalCluster

    from renette_widgets import Store
    lc = LocalCluster(n_workers=0, processes=False, dashboard_address=None)
    dead = Client(lc)
    dead.close()
    lc.close()
    a = App(client=dead, store=Store(tmp_path))
    assert "unreachable" in a.status.value
    a.inputs.example_buttons["example-networks"].click()
    a.distance.networks.value = ("network_A", "network_B")
    a.distance.run.click()
    job = a.distance.last_job
    job.wait(60)
    assert job.status == "failed"
    # the failure callback runs in the job's thread
    wait_until(lambda: a.distance.errors.text, 30, "the panel to say the job failed")
    assert a.distance.errors.text.startswith(f"Job {job.id} failed: ")
    assert "failed" in a.jobs.rows[job.id].status.value
    a.jobs.refresh()  # the store is still listed
    assert job.id in a.jobs.rows


@pytest.mark.parametrize("name", workflows.names())
def test_forms_show_a_parameter_only_when_it_matters(name):
    """Over every registered workflow: a field whose ``Param.when`` holds is shown,
    and hidden as soon as a field it depends on moves to a value where it does not
    (the one declaration, not code in each panel)."""
    from renette_widgets.widgets.form import ParamForm
    specs = workflows.get(name).params
    form = ParamForm(specs)
    conditional = [s for s in specs if s.when]
    for spec in conditional:
        for other, value in spec.when_example().items():
            form[other].value = value
        assert form.rows[spec.name].layout.display is None, spec.name
        for other, wanted in spec.when:
            allowed = wanted if isinstance(wanted, tuple) else (wanted,)
            elsewhere = [v for _, v in form.specs[other].options() if v not in allowed]
            form[other].value = elsewhere[0]
            assert form.rows[spec.name].layout.display == "none", (spec.name, other, elsewhere[0])
            form[other].value = allowed[0]
            assert form.rows[spec.name].layout.display is None
    always = [n for n, s in form.specs.items() if not s.when]
    assert all(form.rows[n].layout.display is None for n in always)
