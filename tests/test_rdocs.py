"""The R API is documented once: rlib/man and rlib/NAMESPACE are what roxygen2
makes of the ``#'`` comments in rlib/R, and every export is documented with
its arguments, a value and an example that calls it."""
from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

RLIB = Path(__file__).resolve().parent.parent / "rlib"
GENERATED = ("man", "NAMESPACE")


def _rscript(code: str, cwd: Path) -> subprocess.CompletedProcess:
    if shutil.which("Rscript") is None:
        pytest.fail("Rscript is not on PATH: install r-base-core (make apt)")
    return subprocess.run(["Rscript", "-e", code], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def _generated_files(root: Path) -> dict[str, Path]:
    files = {"NAMESPACE": root / "NAMESPACE"} if (root / "NAMESPACE").exists() else {}
    files.update({f"man/{p.name}": p for p in (root / "man").glob("*.Rd")})
    return files


def test_man_and_namespace_are_what_roxygen_makes_of_the_sources(tmp_path):
    copy = tmp_path / "rlib"
    # Compiled objects are not sources; a copy without them is what roxygen reads in CI.
    shutil.copytree(RLIB, copy, ignore=shutil.ignore_patterns("*.o", "*.so"))
    shutil.rmtree(copy / "man")
    (copy / "NAMESPACE").unlink()
    # what `make rdocs` runs (rlib/tools/rdocs.R), on the copy
    done = _rscript('if (!requireNamespace("roxygen2", quietly = TRUE)) '
                    'stop("roxygen2 is missing: install r-cran-roxygen2 (make apt)"); '
                    'source("rlib/tools/rdocs.R")', tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    committed, regenerated = _generated_files(RLIB), _generated_files(copy)
    stale = sorted(set(committed) ^ set(regenerated))
    stale += sorted(name for name in set(committed) & set(regenerated)
                    if not filecmp.cmp(committed[name], regenerated[name], shallow=False))
    assert not stale, (f"rlib/{', rlib/'.join(stale)} differ from what roxygen2 generates from "
                       "rlib/R: edit the #' comments in rlib/R, then run `make rdocs` and commit")


def test_every_export_has_arguments_value_and_an_example_calling_it(tmp_path):
    # parseNamespaceFile wants <lib>/<package>/NAMESPACE.
    (tmp_path / "renette").mkdir()
    shutil.copy(RLIB / "NAMESPACE", tmp_path / "renette" / "NAMESPACE")
    code = f"""
    db <- tools::Rd_db(dir = {str(RLIB)!r})
    exports <- parseNamespaceFile("renette", {str(tmp_path)!r})$exports
    tag <- function(rd, t) rd[vapply(rd, attr, "", "Rd_tag") == t]
    flat <- function(x) paste(unlist(lapply(x, as.character)), collapse = "")
    for (name in names(db)) {{
      rd <- db[[name]]
      aliases <- unlist(lapply(tag(rd, "\\\\alias"), as.character))
      ex <- flat(tag(rd, "\\\\examples"))
      for (f in intersect(aliases, exports)) {{
        if (!length(tag(rd, "\\\\value"))) cat("no @return:", name, f, "\\n")
        if (!grepl(paste0("\\\\b", f, "\\\\("), ex)) cat("no example calls:", name, f, "\\n")
      }}
      exports <- setdiff(exports, aliases)
    }}
    if (length(exports)) cat("undocumented:", exports, "\\n")
    print(tools::checkDocFiles(dir = {str(RLIB)!r}))
    """
    done = _rscript(code, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "", done.stdout
