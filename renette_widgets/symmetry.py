"""R's ``isSymmetric``, the one rule that says whether a network is directed.

The client (input checks) and the workers (which spectrum to compute) must
agree with R, which decides with ``isSymmetric(unname(A))``.
"""
from __future__ import annotations

import numpy as np

# R's isSymmetric.matrix: all.equal(A, t(A), tolerance = 100 * .Machine$double.eps)
TOLERANCE = 100 * np.finfo(float).eps


def is_symmetric(a: np.ndarray) -> bool:
    """R's ``isSymmetric(unname(a))``.

    ``all.equal.numeric``: the mean absolute difference of ``a`` and its
    transpose, relative to the mean absolute value when that exceeds the
    tolerance (else absolute), at most ``100 * eps``.
    """
    a = np.asarray(a, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        return False
    if np.array_equal(a, a.T):  # the common case, much faster than the sums below
        return True
    mean_diff = np.abs(a - a.T).sum() / a.size
    scale = np.abs(a).sum() / a.size
    return bool((mean_diff / scale if scale > TOLERANCE else mean_diff) <= TOLERANCE)


def is_directed(a: np.ndarray) -> bool:
    """A network is directed when it is not symmetric as R sees it."""
    return not is_symmetric(a)
