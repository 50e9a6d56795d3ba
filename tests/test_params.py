"""Parameter specs and each workflow's validate_params: typed values or an InputError naming
the parameter, the value and the allowed range."""
from __future__ import annotations

import json

import numpy as np
import pytest

from renette_widgets import workflows
from renette_widgets.errors import InputError
from renette_widgets.io.params import INFERENCE_METHODS, METHOD_PARAMS, method_specs


def validate_params(workflow: str, params: dict) -> dict:
    return workflows.get(workflow).validate_params(params)


def test_every_spec_is_complete_and_its_default_valid():
    specs = list(METHOD_PARAMS) + [s for w in workflows.names() for s in workflows.get(w).params]
    for spec in specs:
        assert spec.label and spec.help, spec.name
        assert spec.type in (int, float, str, bool)
        json.dumps(spec.as_dict())  # forms and manifests need plain values
        if spec.default is None:
            assert spec.nullable
        elif spec.choices:
            assert spec.default in spec.choices
    # Every method's defaults validate to themselves.
    for method in INFERENCE_METHODS:
        out = validate_params("inference", {"method": method})["methods"][method]
        assert out == {s.name: s.default for s in method_specs(method)}


def test_nettools_and_renette_defaults():
    got = validate_params("inference", {"methods": ["WGCNA", "MINE", "DTWMIC", "WGCNAFDR"]})
    m = got["methods"]
    assert m["WGCNA"]["P"] == 6 and m["WGCNAFDR"]["FDR"] == 1e-3
    assert (m["MINE"]["alpha"], m["MINE"]["C"], m["MINE"]["measure"]) == (0.6, 15, "MIC")
    assert m["DTWMIC"]["DP"] == 1 and m["MINE"]["var.thr"] == 1e-15
    st = validate_params("stability", {})
    assert (st["resampling"], st["k"], st["h"], st["seed"], st["metric"]) == \
        ("montecarlo", 3, 20, 0, "HIM")
    assert validate_params("distance", {}) == \
        {"metric": "HIM", "rho": 1.0, "gamma": None, "components": True, "align": "names", "spectrum": "exact"}
    assert validate_params("statistics", {}) == \
        {"seed": 0, "threshold": "none", "cut": 0.1, "top_k": 5, "density": 0.05}


def test_strings_from_forms_are_typed():
    out = validate_params("inference", {"method": "wgcna", "P": " 4 ", "tol": "1e-6",
                                        "seed": "7"})
    assert out == {"methods": {"WGCNA": {"P": 4, "tol": 1e-6}}, "seed": 7, "top_variance": None}
    assert type(out["methods"]["WGCNA"]["P"]) is int
    d = validate_params("distance", {"d": "im", "ga": "0.3", "rho": np.float32(2),
                                     "components": "false"})
    assert d == {"metric": "IM", "gamma": pytest.approx(0.3), "rho": 2.0, "components": False,
                 "align": "names", "spectrum": "exact"}
    assert type(d["rho"]) is float
    assert validate_params("distance", {"gamma": "auto"})["gamma"] is None


def test_stability_splits_method_params_and_aliases():
    out = validate_params("stability", {"adj.method": "cor", "cor_method": "kendall",
                                        "resamp.method": "kcv", "k": 4, "sseed": 5})
    assert out["method"] == "cor" and out["resampling"] == "kCV"
    assert out["method_params"] == {"method": "kendall", "tol": 0.0}
    assert out["k"] == 4 and out["seed"] == 5
    # LOO ignores k: nettools' own LOO calls pass k = 1.
    assert validate_params("stability", {"resampling": "LOO", "k": 1})["k"] == 1


@pytest.mark.parametrize("workflow, params, names", [
    ("inference", {"method": "WGCNA", "P": "6); system('touch pwned')"}, ["P", "whole number", "1", "30"]),
    ("inference", {"method": "WGCNA", "P": 0}, ["P", "out of range", ">= 1"]),
    ("inference", {"method": "WGCNA", "P": 6.5}, ["P", "not a whole number"]),
    ("inference", {"method": "WGCNA", "P": True}, ["P", "true/false"]),
    ("inference", {"method": "WGCNA", "P": [6]}, ["P", "list"]),
    ("inference", {"method": "cor", "P": 6}, ["P", "does not apply", "cor"]),
    ("inference", {"method": "MINE", "alpha": "0.6; q()"}, ["alpha", "not a number"]),
    ("inference", {"method": "MINE", "measure": "MIC'); q('"}, ["measure", "MIC, MAS"]),
    ("inference", {"method": "WGCNAFDR", "FDR": 0}, ["FDR", "out of range"]),
    ("inference", {"method": "cor", "tol": float("inf")}, ["tol", "finite"]),
    ("inference", {"method": "system('x')"}, ["method", "not an allowed choice"]),
    ("inference", {"method": "cor", "zzz": 1}, ["zzz", "unknown parameter"]),
    ("distance", {"metric": "HIM", "gamma": 0}, ["gamma", "> 0"]),
    ("distance", {"rho": -1}, ["rho", ">= 0"]),
    ("distance", {"rho": float("nan")}, ["rho", "finite"]),
    ("stability", {"k": 1}, ["k", ">= 2"]),
    ("stability", {"h": 0}, ["h", ">= 1"]),
    ("stability", {"h": 1001}, ["h", "<= 1000"]),
    ("stability", {"resampling": "bootstrap"}, ["resampling", "montecarlo, kCV, LOO"]),
    ("statistics", {"seed": -1}, ["seed", "out of range"]),
    ("nonsense", {}, ["unknown workflow"]),
])
def test_bad_values_raise_input_error_naming_them(workflow, params, names):
    with pytest.raises(InputError) as info:
        validate_params(workflow, params)
    for text in names:
        assert text in str(info.value), str(info.value)
    if info.value.parameter is not None:
        assert info.value.parameter in str(info.value)


def test_validated_values_are_plain_python():
    out = validate_params("stability", {"method": "MINE", "alpha": np.float64(0.5),
                                        "k": np.int64(4), "h": "10"})
    flat = {**{k: v for k, v in out.items() if k != "method_params"}, **out["method_params"]}
    for value in flat.values():
        assert value is None or type(value) in (int, float, str, bool), (value, type(value))
