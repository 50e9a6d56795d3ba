"""Symmetric networks in half their bytes: R's ``c(A[upper.tri(A)], diag(A))``.

Distance jobs send exactly symmetric networks this way, from the client to
the chunks of spectra and from the chunks to the tiles (where
``renette::distance_block_packed`` reads them as they are): half the bytes to
move, hash and copy into R.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=8)
def _lower(n: int) -> np.ndarray:
    """The strict lower triangle of an n x n matrix, as a mask."""
    return np.tril(np.ones((n, n), dtype=bool), -1)


@lru_cache(maxsize=8)
def _index(n: int) -> np.ndarray:
    """Where the packed entries sit in a Fortran-ordered n x n matrix (flat,
    column-major positions): the strict upper triangle by column, then the diagonal."""
    c, r = np.nonzero(_lower(n))  # r < c, by column
    return np.concatenate([r + c * n, np.arange(n) * (n + 1)])


def nodes(p: np.ndarray) -> int:
    """The number of nodes of a packed network."""
    return int(round((math.sqrt(8 * len(p) + 1) - 1) / 2))


def pack(a: np.ndarray) -> np.ndarray:
    """The packed form of a symmetric matrix (its lower triangle is not read)."""
    return np.asfortranarray(a).T.reshape(-1)[_index(a.shape[0])]


def unpack_into(p: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Write the symmetric matrix of ``p`` into ``out`` (n x n, Fortran-ordered,
    e.g. a view of R's memory)."""
    n = out.shape[0]
    out.T.reshape(-1)[_index(n)] = p  # a view: out.T is C-contiguous
    np.copyto(out, out.T, where=_lower(n))  # the lower triangle from the upper
    return out


def unpack(p: np.ndarray) -> np.ndarray:
    """The symmetric matrix :func:`pack` packed."""
    n = nodes(p)
    return unpack_into(p, np.empty((n, n), order="F"))
