"""Worker-side caches: spectra by content, optimal gammas by size.

The eigen-decomposition is the costly part of a distance, and the same
networks come back across jobs (another metric or rho, the same data and
seed): each worker keeps the spectra it computed, keyed by content.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
from blake3 import blake3

SPECTRUM_CACHE_BYTES = 256 * 2**20
SPECTRA: OrderedDict[str, dict] = OrderedDict()
GAMMAS: dict[tuple[int, bool], float] = {}


def content_hash(a: np.ndarray):
    """BLAKE3 of an array's memory as it lies (C- or Fortran-ordered: not copied).

    A cryptographic hash (one user's network must not be able to pass for
    another's), several times faster than SHA-256: it runs on every network of
    every job.
    """
    if a.flags.f_contiguous and not a.flags.c_contiguous:
        a = a.T  # the same bytes, C-contiguous
    return blake3(np.ascontiguousarray(a).data.cast("B"))


def spectrum_key(a: np.ndarray, directed: bool, gamma: float) -> str:
    """Content key of a network, packed or Fortran-ordered, for a directedness and gamma."""
    h = content_hash(a)
    h.update(repr((a.shape, directed, float(gamma))).encode())
    return h.hexdigest()


def _nbytes(entry: dict) -> int:
    return sum(x.nbytes for x in entry.values() if isinstance(x, np.ndarray))


_held_bytes = 0  # of the arrays in SPECTRA, counted as entries come and go


def put(key: str, entry: dict) -> None:
    """Keep the spectrum entry ``entry`` under ``key`` (the most recent)."""
    global _held_bytes
    old = SPECTRA.pop(key, None)
    if old is not None:
        _held_bytes -= _nbytes(old)
    SPECTRA[key] = entry
    _held_bytes += _nbytes(entry)


def trim(keep: int) -> None:
    """Drop the least recently used spectra beyond ``SPECTRUM_CACHE_BYTES``, keeping
    at least the ``keep`` most recent (a running total: summing every entry on each
    call cost a full cache's walk per task, and one per entry dropped)."""
    global _held_bytes
    while _held_bytes > SPECTRUM_CACHE_BYTES and len(SPECTRA) > keep:
        _, entry = SPECTRA.popitem(last=False)
        _held_bytes -= _nbytes(entry)
