"""The task functions of inference, resampling and statistics (they run on workers).

Each takes and returns numpy arrays and plain Python values (never R objects)
and reaches R through :func:`.worker.engine`, which starts it once per worker.
The spectra and distance tasks are in :mod:`.spectra`.
"""
from __future__ import annotations

import numpy as np

from ..io.arrays import write_rows
from ..symmetry import is_directed
from .graphs import centralities, keep_edges
from .reductions import edge_extremes, full_edges, strengths
from .spectra import t_resample_spectra
from .worker import engine


def t_input(x: np.ndarray) -> np.ndarray:
    """Hold an input matrix on a worker (recomputable, unlike scattered data)."""
    return x


def t_versions() -> dict:
    """R and package versions of the worker."""
    return engine().versions()


def t_infer(x: np.ndarray, method: str, params: dict, seed: int | None,
            out: str | None = None) -> np.ndarray | None:
    """One network inferred from one data matrix; written to the stored matrix
    ``out`` when given (returns None: the client never holds it), else returned."""
    return _deliver(engine().mat2adj(x, method, params, seed), out)


def _deliver(a: np.ndarray, out: str | None) -> np.ndarray | None:
    if out is None:
        return a
    write_rows(out, 0, a)
    return None


def t_mine_rows(x: np.ndarray, rows: list[int], params: dict) -> dict:
    """MINE of columns ``rows`` (0-based) against every later column."""
    return {"rows": list(rows), "values": engine().mine_rows(x, rows, params)}


def t_mine_finish(x: np.ndarray, blocks: list[dict], params: dict,
                  out: str | None = None) -> np.ndarray | None:
    """The MINE network from all blocks of rows (as ``mat2adj(x, "MINE")``),
    written to ``out`` when given (as :func:`t_infer`)."""
    p = x.shape[1]
    upper = np.zeros((p, p))
    for b in blocks:
        upper[b["rows"], :] = b["values"]
    return _deliver(engine().mine_finish(x, upper, params), out)


def t_resamples(x: np.ndarray, indices: list, rs: list[int], method: str, params: dict,
                seed: int | None, gamma: float | None, spectra: bool,
                full: np.ndarray | None = None, edges: bool = True,
                eigen: bool = True) -> dict:
    """Networks of resamples ``rs`` (``nets``, None when their spectra are computed
    here), whether each is directed, their node strengths,
    if ``edges`` their :func:`edge_extremes` and, if ``spectra``, their spectra and
    densities (:func:`t_resample_spectra`; ``eigen=False``: the networks rescaled,
    no spectra, for a Hamming-only distance)."""
    nets = [engine().mat2adj(x[indices[r], :], method, params, seed) for r in rs]
    exact = [np.array_equal(a, a.T) for a in nets]  # exactly symmetric
    # The networks travel on only to a separate spectra task (the tiles get them
    # with the spectra, packed when symmetric).
    return {"nets": None if spectra else nets,
            "directed": [not e and is_directed(a) for a, e in zip(nets, exact)],
            "out": np.stack([strengths(a, 1) for a in nets]),
            "in": np.stack([strengths(a, 0) for a in nets]),
            # the lower triangles too unless every network equals its transpose
            "edges": edge_extremes(nets, not all(exact)) if edges else None,
            "specs": t_resample_spectra({"nets": nets}, gamma, full, eigen) if spectra else None}


def t_indices(n: int, method: str, k: int, h: int, seed: int) -> list:
    """Resampling index sets (0-based), as R's ``resampling_indices``."""
    return engine().resampling_indices(n, method, k, h, seed)


def t_sw(chunks: list[dict]) -> np.ndarray:
    """Edge stability Sw from the chunks' :func:`edge_extremes`, in netsi_sw's order.

    ``renette::netsi_sw``: per edge (max - min) / mean over the resamples, NA
    where the mean is 0 (``all.equal``); edges i < j, or every i != j when a
    network is directed, by first node then second (row-major).
    """
    parts = [c["edges"] for c in chunks]
    if any(d for c in chunks for d in c["directed"]):
        parts = [full_edges(e) for e in parts]
    count = sum(len(c["directed"]) for c in chunks)  # one flag per resample
    mx = np.max([e["max"] for e in parts], axis=0)
    mn = np.min([e["min"] for e in parts], axis=0)
    total = parts[0]["sum"].copy()
    for e in parts[1:]:  # chunk after chunk: resample order, as rowMeans adds
        total += e["sum"]
    mean = (total / count).astype(float)
    zero = np.abs(mean) <= np.sqrt(np.finfo(float).eps)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(zero, np.nan, (mx - mn) / np.where(zero, 1.0, mean))


def t_sd(chunks: list[dict]) -> dict:
    """Node stability Sd and the node (out) strengths of each resample."""
    out_s = np.concatenate([c["out"] for c in chunks])
    in_s = np.concatenate([c["in"] for c in chunks])
    return {"Sd": engine().netsi_sd_strengths(out_s, in_s), "Sd_boot": out_s}


def t_netstats(a: np.ndarray, seed: int, threshold: str = "none", cut: float = 0.0,
               top_k: int = 5, density: float = 0.05) -> dict:
    """Node and network statistics of one network, after :func:`.graphs.keep_edges`:
    R's ``netstats`` of the edges kept, plus their :func:`.graphs.centralities`
    and, in the network table, what was kept."""
    kept, level = keep_edges(a, threshold, cut, top_k, density)
    out = engine().netstats(kept, seed)
    out["nodes"].update(centralities(kept))
    given = int(np.count_nonzero(a - np.diag(np.diag(a))))
    out["network"].update({"threshold": [threshold], "weight_cut": [level],
                           "edges_given": [given if is_directed(a) else given // 2]})
    return out
