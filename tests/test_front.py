"""The Python functions and the command line are generated from the workflows'
parameter specs: they keep the public names, argument names and defaults of the
hand-written API they replaced, document every parameter, and the examples of
the README, the docs and the tutorial still call them as written."""
from __future__ import annotations

import ast
import inspect
import json
import re
import shlex

import numpy as np
import pytest

import renette_widgets as rw
from renette_widgets import workflows
from renette_widgets.cli import parser as cli_parser
from renette_widgets.io.examples import load_examples
from renette_widgets.workflows.options import option_strings

from conformance_helpers import REPO

E = inspect.Parameter.empty
# The public signatures before they were generated (issue 24): name, kind, default.
# Generated ones may add keyword-only parameters, never change or drop these.
BEFORE = {
    "infer": "data:P:- method:P:'cor' client:K:None store:K:None timeout:K:None seed:K:0 "
             "top_variance:K:None drop_constant:K:False params:V:-",
    "distance": "networks:P:- metric:P:'HIM' rho:P:1.0 gamma:P:None components:P:True "
                "align:K:'names' spectrum:K:'exact' multiplex:K:False coupling:K:1.0 "
                "client:K:None store:K:None timeout:K:None",
    "stability": "data:P:- method:P:'cor' metric:P:'HIM' resampling:P:'montecarlo' k:P:3 h:P:20 "
                 "seed:P:0 indicator:K:'all' client:K:None store:K:None timeout:K:None "
                 "top_variance:K:None drop_constant:K:False params:V:-",
    "netstats": "network:P:- seed:P:0 threshold:K:'none' cut:K:0.1 top_k:K:5 density:K:0.05 "
                "client:K:None store:K:None timeout:K:None",
    "differential": "a:P:- b:P:None method:P:'pearson' adjust:P:'BH' n_perm:K:1000 seed:K:0 "
                    "cor_cutoff:K:0.99 cor_alpha:K:0.05 fdr:K:0.05 node_method:K:'cor' lp:K:2.0 "
                    "node_perm:K:100 threshold:K:0.5 top_variance:K:None keep:K:'all' "
                    "keep_q:K:0.25 distances:K:None sets:K:None drop_constant:K:False "
                    "client:K:None store:K:None timeout:K:None node_params:V:-",
}
KINDS = {"P": inspect.Parameter.POSITIONAL_OR_KEYWORD, "K": inspect.Parameter.KEYWORD_ONLY,
         "V": inspect.Parameter.VAR_KEYWORD}


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_generated_functions_keep_the_public_signatures(name):
    sig = inspect.signature(getattr(rw, name))
    got = sig.parameters
    positional = [n for n, p in got.items() if p.kind is KINDS["P"]]
    want_positional = []
    for item in BEFORE[name].split():
        arg, kind, default = item.split(":", 2)
        assert arg in got, f"{name} lost {arg}"
        assert got[arg].kind is KINDS[kind], f"{name}({arg}) is {got[arg].kind}"
        if kind != "V":
            want = E if default == "-" else ast.literal_eval(default)
            assert got[arg].default == want and type(got[arg].default) is type(want), (name, arg)
        if kind == "P":
            want_positional.append(arg)
    assert positional == want_positional  # the same order, so positional calls still work


@pytest.mark.parametrize("name", [n for n in workflows.names() if workflows.get(n).front])
def test_every_parameter_is_documented_once_from_its_spec(name):
    flow = workflows.get(name)
    fn = getattr(rw, flow.front.name)
    doc = inspect.getdoc(fn)
    assert fn.__name__ == flow.front.name and "Parameters\n----------" in doc
    assert "Returns\n-------" in doc
    sig = inspect.signature(fn)
    for spec in flow.params:
        assert spec.name in sig.parameters
        assert re.search(rf"^{re.escape(spec.name)} : ", doc, re.M), spec.name
        # the help text, as written in the spec (wrapped)
        assert " ".join(spec.help.split()) in " ".join(doc.split()), spec.name
        default = flow.front.defaults.get(spec.name, spec.default)
        assert sig.parameters[spec.name].default == default
    for arg in sig.parameters:  # and nothing undocumented
        assert re.search(rf"^(\*\*)?{re.escape(arg)}( : |$)", doc, re.M), arg


@pytest.mark.parametrize("name", [n for n in workflows.names() if workflows.get(n).cli_command])
def test_every_parameter_has_its_generated_option(name):
    flow = workflows.get(name)
    ap = cli_parser()
    sub = next(a for a in ap._actions if a.dest == "command").choices[flow.cli_command]
    options = {o for a in sub._actions for o in a.option_strings}
    for spec in flow.params:
        assert set(option_strings(spec)) <= options, spec.name
    moved = [f"--{s.name.replace('_', '-')}" if s.type is not bool else f"--no-{s.name}"
             for s in flow.params if s.type is bool]
    args = ap.parse_args([flow.cli_command, "x.csv", *moved])
    assert all(getattr(args, s.name) is (not s.default) for s in flow.params if s.type is bool)


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def _documents() -> dict[str, str]:
    """The Python code the docs show: README.md, docs/*.md and the tutorial's cells."""
    out = {p.name: "\n".join(_blocks(p.read_text(), "python"))
           for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]}
    nb = json.loads((REPO / "notebooks" / "tutorial.ipynb").read_text())
    out["tutorial.ipynb"] = "\n".join("".join(c["source"]) for c in nb["cells"]
                                      if c["cell_type"] == "code")
    return out


def test_documented_calls_bind_to_the_generated_signatures():
    fronts = {workflows.get(n).front.name for n in workflows.names() if workflows.get(n).front}
    calls = 0
    for doc, code in _documents().items():
        code = "\n".join(line for line in code.splitlines() if not line.startswith(("%", "!")))
        for node in ast.walk(ast.parse(code)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "rw"
                    and node.func.attr in fronts):
                args = [object() for a in node.args if not isinstance(a, ast.Starred)]
                kwargs = {k.arg: object() for k in node.keywords if k.arg}
                inspect.signature(getattr(rw, node.func.attr)).bind(*args, **kwargs)
                calls += 1
    assert calls >= 15  # README, tutorial: infer, distance, stability, netstats, differential


def test_documented_command_lines_parse():
    lines = [line.split("  #")[0].strip() for block in _blocks((REPO / "README.md").read_text(), "sh")
             for line in block.splitlines() if line.startswith("renette ")]
    parsed = 0
    for line in lines:
        if re.search(r"[\[\]<>|]", line):  # a pattern of choices, not a command
            continue
        cli_parser().parse_args(shlex.split(line)[1:])
        parsed += 1
    assert parsed >= 5


def test_readme_examples_run_as_written(client, tmp_path, monkeypatch):
    """The README's Python lines that need no file of the reader's, run unchanged
    (its file names read the package's two-condition example)."""
    data = load_examples("data")
    frames = {"condition_a.csv": data["condition_A"], "condition_b.csv": data["condition_B"]}
    monkeypatch.setattr(rw, "read_matrix", lambda path, **kw: frames[path])
    (code,) = [b for b in _blocks((REPO / "README.md").read_text(), "python")
               if "rw.infer(" in b]
    keep = [s for s in ast.parse(code).body
            if not re.search(r"string_edges|load_renette|x_layers|rerun|load_result|job\.",
                             ast.unparse(s))]
    ns: dict = {"rw": rw}
    exec(compile(ast.Module(keep, []), "README.md", "exec"), ns)  # noqa: S102
    assert ns["net_a"].shape == (40, 40) and set(ns["d"]) == {"H", "IM", "HIM", "gamma"}
    assert 0 <= ns["s"].S <= 1 and len(ns["nodes"]) == 40
    assert np.isfinite(ns["dr"].HIM.iat[0, 1]) and ns["job"].workflow == "distance"
