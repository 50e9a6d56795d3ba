"""Correlation networks in blocks of rows, on the workers (numpy and BLAS, no R).

A correlation-type network (``cor``: |r|; ``WGCNA``: |r|^P) of p variables is
``|Z' Z|`` for the standardised data ``Z`` (n x p, unit-norm centred columns):
one task standardises the data once, then each block task multiplies its
columns of ``Z`` by all of ``Z`` (a BLAS matrix product) and writes its rows
of the network to the store. A 20,000-variable network is built by as many
tasks as blocks, on as many workers as there are, and never sits whole in
one process.

Exactness: the columns are centred with a two-pass mean (the mean, then the
mean of the residuals: what R's ``cov`` does) before they are scaled, so a
column of variance 1e-8 next to one of variance 1 keeps its correlations to
within 1e-15 of ``stats::cor`` (a one-pass formula loses about 1e-11 there;
tested in ``tests/test_correlation.py``).
"""
from __future__ import annotations

import numpy as np

from ..io.arrays import write_rows

# The methods (and correlation types) computed here; any other goes to R whole.
BLOCK_METHODS = {"cor": ("pearson", "spearman"), "WGCNA": ("pearson",)}


def block_method(method: str, params: dict) -> bool:
    """Whether ``method`` with ``params`` is computed in blocks here."""
    kind = params.get("method", "pearson") if method == "cor" else "pearson"
    return kind in BLOCK_METHODS.get(method, ())


def t_standardize(x: np.ndarray, kind: str = "pearson") -> np.ndarray:
    """Centred, unit-norm columns (ranks first for Spearman: R's average ties),
    in Fortran order for the block products."""
    x = np.asarray(x, dtype=float)
    if kind == "spearman":
        # scipy.stats is imported here, not at the top: it costs a second of every
        # dashboard kernel's start (this module is imported by the page too)
        from scipy.stats import rankdata
        x = rankdata(x, axis=0, method="average")
    mean = x.mean(axis=0)
    z = x - mean
    z -= z.mean(axis=0)  # second pass: what rounding left of the mean
    norm = np.sqrt(np.einsum("ij,ij->j", z, z))
    return np.asfortranarray(z / norm)


def t_cor_block(z: np.ndarray, start: int, stop: int, power: float,
                out: str | None = None) -> np.ndarray | None:
    """Rows ``start:stop`` of ``|Z' Z| ** power`` with a zero diagonal; written to
    the stored matrix ``out`` when given (returns None), else returned."""
    block = z[:, start:stop].T @ z
    np.abs(block, out=block)
    np.minimum(block, 1.0, out=block)  # rounding can pass 1 by an ulp
    if power != 1:
        np.power(block, power, out=block)
    idx = np.arange(start, stop)
    block[idx - start, idx] = 0.0
    if out is None:
        return block
    write_rows(out, start, block)
    return None
