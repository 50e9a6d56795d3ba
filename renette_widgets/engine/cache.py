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


def trim(keep: int) -> None:
    """Drop the least recently used spectra beyond ``SPECTRUM_CACHE_BYTES``, keeping
    at least the ``keep`` most recent."""
    while (sum(x.nbytes for v in SPECTRA.values() for x in v.values()
               if isinstance(x, np.ndarray)) > SPECTRUM_CACHE_BYTES and len(SPECTRA) > keep):
        SPECTRA.popitem(last=False)
