"""Seeded two-condition example data: modules of correlated variables that rewire.

The dashboard and the tests need a small, fast data set whose two networks
differ in a known way. :func:`two_conditions` draws it: each condition has
``n_samples`` samples of ``n_variables`` variables; some variables belong to
modules, i.e. they share a latent factor and are therefore correlated with each
other. Between condition A and condition B:

- module M1 is conserved (same members, same strength),
- modules M2 and M3 exchange half of their members (edges rewire),
- module M4 dissolves (its variables become independent noise),
- a new module M5 forms among variables that were noise in A.

So a distance between the two inferred networks is clearly non-zero, and a
network view shows which edges moved. The committed CSVs in
``renette_widgets/data/`` are made by :func:`write_examples` with the default
arguments (see ``data/README.md``).

ReNette's own examples (MPBA/renette, GPL-3) are shipped gzipped beside them:
:data:`RENETTE_SETS` names them, :func:`load_renette` reads one set.
"""
from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

#: Names of the committed example files (inside ``renette_widgets/data``).
EXAMPLE_FILES = {
    "data": ("condition_A.csv", "condition_B.csv"),
    "adjacency": ("network_A.csv", "network_B.csv"),
}


#: ReNette's example files (``data/<stem>.csv.gz``, tab-separated with row names),
#: by set: the kind of matrix and the file stems. See ``data/README.md``.
RENETTE_SETS = {
    "microbiome-data": ("data", tuple(f"microbiome_Actinobacteria_{d}-diet" for d in ("0.0", "1.0"))),
    "microbiome-networks": ("adjacency",
                            tuple(f"microbiome_Actinobacteria_{d}-diet_adj" for d in ("0.0", "1.0"))),
    "test-networks": ("adjacency", tuple(f"test_data_{i}" for i in range(1, 11))),
}


def _modules(n_variables: int, size: int) -> dict[str, dict[str, list[int]]]:
    """Module membership (0-based variable indices) in each condition."""
    if n_variables < 5 * size:
        raise ValueError(f"n_variables must be at least 5 * module_size = {5 * size}")
    block = [list(range(i * size, (i + 1) * size)) for i in range(5)]
    half = size // 2
    a = {"M1": block[0], "M2": block[1], "M3": block[2], "M4": block[3]}
    b = {
        "M1": block[0],
        # Half of M2 moves into M3 and half of M3 into M2.
        "M2": block[1][:half] + block[2][:half],
        "M3": block[1][half:] + block[2][half:],
        # M4 dissolves; M5 forms from variables that were noise in A.
        "M5": block[4],
    }
    return {"A": a, "B": b}


def _draw(rng: np.random.Generator, n: int, p: int,
          modules: dict[str, list[int]], loading: float) -> np.ndarray:
    """One condition: x_j = loading * z_module + sqrt(1 - loading^2) * noise."""
    x = rng.standard_normal((n, p))
    noise = np.sqrt(1.0 - loading**2)
    for members in modules.values():
        z = rng.standard_normal(n)
        x[:, members] = loading * z[:, None] + noise * x[:, members]
    return x


def two_conditions(n_samples: int = 60, n_variables: int = 40, module_size: int = 6,
                   loading: float = 0.8, seed: int = 20150424
                   ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Draw the two-condition example.

    Parameters
    ----------
    n_samples : int
        Samples (rows) per condition.
    n_variables : int
        Variables (columns), named ``G01``, ``G02``, ...; at least ``5 * module_size``.
    module_size : int
        Variables per module.
    loading : float
        Loading of each module member on its latent factor, in (0, 1); the
        expected correlation inside a module is ``loading**2``.
    seed : int
        Seed of numpy's ``default_rng``: the same arguments give the same data.

    Returns
    -------
    condition_a, condition_b : pandas.DataFrame
        ``n_samples x n_variables`` data matrices; rows named ``A01``/``B01``...
    truth : dict
        ``{"A": {module: [variable names]}, "B": {...}}``.
    """
    if not 0.0 < loading < 1.0:
        raise ValueError("loading must be in (0, 1)")
    rng = np.random.default_rng(seed)
    width = len(str(n_variables))
    names = [f"G{j + 1:0{width}d}" for j in range(n_variables)]
    mods = _modules(n_variables, module_size)
    frames = []
    for cond in ("A", "B"):
        x = _draw(rng, n_samples, n_variables, mods[cond], loading)
        rows = [f"{cond}{i + 1:02d}" for i in range(n_samples)]
        frames.append(pd.DataFrame(x.round(6), index=rows, columns=names))
    truth = {c: {m: [names[j] for j in idx] for m, idx in mods[c].items()} for c in mods}
    return frames[0], frames[1], truth


def wgcna_adjacency(x: pd.DataFrame, power: int = 6) -> pd.DataFrame:
    """``|Pearson r|^power`` with a zero diagonal (what ``mat2adj(x, "WGCNA", P=6)`` gives).

    Computed here in numpy only to ship ready-made example networks; the
    dashboard's own inference always runs in R.
    """
    a = np.abs(np.corrcoef(x.to_numpy(), rowvar=False)) ** power
    np.fill_diagonal(a, 0.0)
    return pd.DataFrame(a.round(10), index=x.columns, columns=x.columns)


def write_examples(folder: str | Path, **kwargs) -> list[Path]:
    """Write the example CSVs (comma-separated, header row, row names).

    Parameters
    ----------
    folder : str or Path
        Destination folder (created if missing).
    **kwargs
        Passed to :func:`two_conditions`.

    Returns
    -------
    list of Path
        The files written, data matrices first.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    a, b, _ = two_conditions(**kwargs)
    frames = [a, b, wgcna_adjacency(a), wgcna_adjacency(b)]
    paths = [folder / f for f in EXAMPLE_FILES["data"] + EXAMPLE_FILES["adjacency"]]
    for frame, path in zip(frames, paths):
        frame.to_csv(path, float_format="%.10g")
    return paths


def example_path(filename: str) -> Path:
    """Path of a committed example file, e.g. ``example_path("condition_A.csv")``."""
    return Path(str(resources.files("renette_widgets") / "data" / filename))


def load_examples(kind: str = "data") -> dict[str, pd.DataFrame]:
    """The committed example matrices of one kind.

    Parameters
    ----------
    kind : {"data", "adjacency"}
        Data matrices (samples x variables) or their WGCNA networks.

    Returns
    -------
    dict
        File stem (e.g. ``"condition_A"``) -> DataFrame.
    """
    return {Path(f).stem: pd.read_csv(example_path(f), index_col=0)
            for f in EXAMPLE_FILES[kind]}


def load_renette(name: str) -> dict[str, pd.DataFrame]:
    """One set of ReNette's example matrices, as the files hold them.

    Parameters
    ----------
    name : str
        A key of :data:`RENETTE_SETS`: ``"microbiome-data"`` (389 and 269
        samples x 187 taxa), ``"microbiome-networks"`` (their WGCNA networks)
        or ``"test-networks"`` (ten 1000-gene yeast networks, each on another
        set of genes).

    Returns
    -------
    dict
        File stem -> DataFrame (``attrs["source"]`` is the file name); values
        read exactly (round-trip parsing), as R's ``read.table`` reads them.
    """
    if name not in RENETTE_SETS:
        raise ValueError(f"unknown example set {name!r}; one of {', '.join(RENETTE_SETS)}")
    out = {}
    for stem in RENETTE_SETS[name][1]:
        with gzip.open(example_path(f"{stem}.csv.gz"), "rt", encoding="utf-8") as f:
            df = pd.read_csv(f, sep="\t", index_col=0, float_precision="round_trip")
        df.columns = df.columns.astype(str)
        df.index = df.index.astype(str)
        df.attrs = {"source": f"{stem}.csv", "notes": []}
        out[stem] = df
    return out


if __name__ == "__main__":  # python -m renette_widgets.examples: regenerate data/
    for written in write_examples(Path(__file__).parent / "data"):
        print(written)
