"""benchmarks/RESULTS.md is cited by section: every mention of it in the code,
the docs, the benchmarks and the tests names a heading that exists in it."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
# A mention, then (after quotes, a comma, a parenthesis or a colon) the quoted headings.
CITATION = re.compile(r"RESULTS\.md[`'\s,:(]*((?:\"[^\"]+\"\s*,?\s*)*)")


def citing_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "Makefile"]
    files += sorted((ROOT / "renette_widgets").rglob("*.py"))
    files += sorted((ROOT / "docs").rglob("*.md"))
    files += sorted((ROOT / "benchmarks").glob("*.py")) + sorted((ROOT / "benchmarks").glob("*.R"))
    files += sorted(p for p in (ROOT / "tests").rglob("*.py") if p.name != Path(__file__).name)
    return files


def headings(text: str) -> set[str]:
    return {m.group(1).strip() for m in re.finditer(r"^#+\s+(.+)$", text, re.M)}


def citations(text: str) -> list[tuple[int, list[str]]]:
    """(line, the headings named) of each mention of RESULTS.md; a heading may be
    broken across lines of a comment or docstring."""
    out = []
    for m in re.finditer(r"RESULTS\.md", text):
        # the next few lines, comment markers and line breaks as single spaces
        tail = re.sub(r"\s*\n\s*(#:?\s*)?", " ", text[m.start():m.start() + 300])
        named = re.findall(r"\"([^\"]+)\"", CITATION.match(tail).group(1))
        out.append((text.count("\n", 0, m.start()) + 1, named))
    return out


def test_the_citation_parser_reads_what_the_files_write():
    text = ('see ``benchmarks/RESULTS.md`` ("Dashboard at\n    scale"), and\n'
            '# benchmarks/RESULTS.md, "Many users", "Front-end\n# memory").\n'
            'nothing named: benchmarks/RESULTS.md.')
    assert citations(text) == [(1, ["Dashboard at scale"]), (3, ["Many users", "Front-end memory"]),
                               (5, [])]


def test_results_md_keeps_its_reference_sections():
    found = headings(RESULTS.read_text())
    assert {"Measurements the code relies on", "History", "How to read this file"} <= found


def test_every_citation_names_a_section_that_exists():
    found = headings(RESULTS.read_text())
    bad = []
    for path in citing_files():
        text = path.read_text(errors="replace")
        for line, named in citations(text):
            where = f"{path.relative_to(ROOT)}:{line}"
            if not named:
                bad.append(f"{where} cites benchmarks/RESULTS.md without naming a section")
            bad += [f"{where} cites a section RESULTS.md does not have: {name!r}"
                    for name in named if name not in found]
    assert not bad, "\n".join(bad) + f"\n(sections: {sorted(found)})"
