"""The parameter reference (docs/parameters.md), generated from the workflows' specs.

``python -m renette_widgets.workflows.reference > docs/parameters.md`` writes
it; tests/test_meaning.py fails when the committed file differs from
:func:`markdown`, so the reference cannot drift from the specs.
"""
from __future__ import annotations

from ..io.params import METHOD_PARAMS, Param
from . import get, names
from .options import option_strings

HEADER = """# Parameters of every workflow

Generated from the workflows' parameter specs (`Workflow.params`, the only
place a parameter is declared) by `python -m renette_widgets.workflows.reference
> docs/parameters.md`; do not edit by hand. The same specs build the Python
functions (`help(rw.distance)`), the `renette` options and the dashboard forms.
A job's manifest stores its parameters under these names. Every value is
checked before anything runs: a bad one is an `InputError` naming it.
"""


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row(spec: Param, cli: bool) -> str:
    when = spec.when_text() or "always"
    if spec.affects != "result":
        when += f"; {spec.affects}"
    option = " ".join(f"`{o}`" for o in option_strings(spec)) if cli else "-"
    aliases = f" (also {', '.join(f'`{a}`' for a in spec.aliases)})" if spec.aliases else ""
    return (f"| `{spec.name}`{aliases} | {_cell(spec.help)} | {_cell(spec.rule())} | "
            f"{option} | {_cell(when)} |")


def markdown() -> str:
    """The parameter reference of every registered workflow, as Markdown."""
    parts = [HEADER]
    for name in names():
        flow = get(name)
        doors = [f"`rw.submit({name!r}, ...)`"]
        if flow.front is not None:
            doors.insert(0, f"`rw.{flow.front.name}(...)`")
        if flow.cli_command:
            doors.append(f"`renette {flow.cli_command}`")
        parts.append(f"## {flow.title} (`{name}`)\n\n{', '.join(doors)}.\n")
        parts.append("| parameter | what it does | allowed values | option | matters when |\n"
                     "|---|---|---|---|---|")
        parts += [_row(spec, bool(flow.cli_command)) for spec in flow.params]
        parts.append("")
    parts.append("## Inference methods' parameters\n\nGiven to the methods that take them "
                 "(R's `mat2adj` argument names): keyword arguments of `rw.infer` and "
                 "`rw.stability` (`node_params` of `rw.differential`), `-p KEY=VALUE` on the "
                 "command line.\n")
    parts.append("| parameter | what it does | allowed values | methods |\n|---|---|---|---|")
    parts += [f"| `{p.name}` | {_cell(p.help)} | {_cell(p.rule())} | "
              f"{', '.join(p.methods or ('all',))} |" for p in METHOD_PARAMS]
    parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown(), end="")
