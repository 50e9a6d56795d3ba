"""The pair table of two conditions in blocks of rows, on the workers (numpy, no R).

What R's ``diffcor_values`` computes, at the cost of its arithmetic: each task
takes a block of rows ``start:stop`` of the variables, multiplies those
columns of each condition's standardised data by all of them (one BLAS product
per condition, :func:`~.correlation.t_standardize`), and computes its pairs
``i < j`` (``i`` in the block) with vectorised p-values, Fisher z, ``p_diff``
and classes. Blocks of rows are written by their workers as parts of one
Parquet dataset (a folder, ``part-00000.parquet``, ...): nothing is gathered
through one process.

Benjamini-Hochberg needs every p-value's global rank. It is exact here in two
passes: :func:`t_pair_pvalues` returns a block's sorted ``p_diff``;
:func:`t_bh_cut` merges them (the only place all p-values are held, once) and
computes ``q`` of each rank (``m / rank * p`` and the running minimum from the
top, bit for bit :func:`~.differential.bh`), keeping only the ranks whose ``q``
is at most the cut (all of them when every pair is stored); then
:func:`t_pair_block` computes its block again (a BLAS product is cheaper than
keeping the block) and finds each pair's ``q`` by its p-value's rank. Tied
p-values share the ``q`` of the last of them, as in R's ``p.adjust``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import special

from ..io.arrays import write_table_part
from .differential import CLASSES

# Pairs of a block (about): its arrays stay small, and every worker gets several.
BLOCK_PAIRS = 1 << 21
# Values of a block's full rows (rows x p; a task holds a few such arrays): 32 MB.
BLOCK_VALUES = 1 << 22
# Rows of a Parquet row group: a reader filtering on q reads whole groups.
ROW_GROUP = 1 << 20
# The series of the t test's p-value (below) for up to this many degrees of freedom.
SERIES_DF = 200
# Values of the series at a time (in cache).
CHUNK = 1 << 14


def pair_blocks(p: int, slots: int, block_pairs: int = BLOCK_PAIRS,
                block_values: int = BLOCK_VALUES) -> list[tuple[int, int]]:
    """``(start, stop)`` of blocks of rows holding about equal numbers of pairs
    ``i < j``: at least four per task slot, about ``block_pairs`` each, and no
    block of more than ``block_values / p`` rows (a task holds its full rows)."""
    m = p * (p - 1) // 2
    n = int(max(1, min(p - 1, max(4 * slots, -(-m // block_pairs)))))
    # row i has p - 1 - i pairs; cut the cumulative count in n equal parts
    cum = np.cumsum(np.arange(p - 1, -1, -1, dtype=np.int64))
    cuts = np.searchsorted(cum, np.linspace(0, m, n + 1)[1:-1], side="left") + 1
    bounds = np.unique(np.concatenate([[0], cuts, [p]]))
    most = max(1, block_values // max(p, 1))
    out = []
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        out += [(c, min(c + most, b)) for c in range(a, b, most)]
    return out


def block_offset(p: int, start: int) -> int:
    """Row-major position of the first pair of row ``start`` (pairs i < j)."""
    return start * (p - 1) - start * (start - 1) // 2


def cor_pvalue(r: np.ndarray, n: int) -> np.ndarray:
    """Two-sided t-test p-value of correlations ``r`` of ``n`` samples, as R's
    ``2 * pt(|r| sqrt(n-2) / sqrt(1-r^2), n-2, lower.tail = FALSE)`` (0 at |r| = 1).

    With ``sin(theta) = |r|``, the t distribution's two-sided tail has a finite
    series in ``cos(theta)^2 = 1 - r^2`` (Abramowitz and Stegun 26.7.3/26.7.4):
    about 3x faster than the incomplete beta function for the usual sample
    sizes, and within 1e-14 of it where p >= 1e-3; below that (cancellation)
    and for more than ``SERIES_DF`` degrees of freedom, ``stdtr``."""
    r = np.asarray(r, dtype=float)
    df = n - 2
    a = np.abs(r)
    c2 = 1.0 - r * r
    if df <= SERIES_DF:
        p = np.empty_like(r)
        for a0 in range(0, len(r), CHUNK):  # a chunk at a time: the series in cache
            p[a0:a0 + CHUNK] = _series(a[a0:a0 + CHUNK], c2[a0:a0 + CHUNK], df)
        small = p < 1e-3
        if small.any():
            p[small] = _t_tail(a[small], df)
    else:
        p = _t_tail(a, df)
    p[a >= 1] = 0.0
    return p


def _series(a: np.ndarray, c2: np.ndarray, df: int) -> np.ndarray:
    if df % 2 == 0:  # 1 - |r| sum_k (2k-1)!!/(2k)!! c2^k, k < df/2
        coef = np.cumprod([1.0] + [(2 * k - 1) / (2 * k) for k in range(1, df // 2)])
        s = np.full_like(a, coef[-1])
        for c in coef[-2::-1]:
            s *= c2
            s += c
        return 1.0 - a * s
    # 1 - 2/pi (theta + |r| sqrt(c2) sum_k (2k)!!/(2k+1)!! c2^k), k <= (df-3)/2
    theta = np.arcsin(np.minimum(a, 1.0))
    if df == 1:
        return 1.0 - 2.0 / np.pi * theta
    coef = np.cumprod([1.0] + [2 * k / (2 * k + 1) for k in range(1, (df - 1) // 2)])
    s = np.full_like(a, coef[-1])
    for c in coef[-2::-1]:
        s *= c2
        s += c
    return 1.0 - 2.0 / np.pi * (theta + a * np.sqrt(c2) * s)


def _t_tail(a: np.ndarray, df: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = a * np.sqrt(df) / np.sqrt(1.0 - a * a)
    return 2.0 * special.stdtr(df, -t)


def _rows(z: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Rows ``start:stop`` of the correlation matrix ``Z' Z``, clamped to [-1, 1]
    (R's ``cor_matrix``). Both passes call this: the same product, the same bits."""
    r = z[:, start:stop].T @ z
    np.clip(r, -1.0, 1.0, out=r)
    return r


def _upper(full: np.ndarray, start: int) -> np.ndarray:
    """The pairs i < j of rows ``start:`` (of a block of full rows), row-major."""
    b, p = full.shape
    out = np.empty(b * p - b * (2 * start + b + 1) // 2, dtype=full.dtype)
    at = 0
    for k in range(b):
        row = full[k, start + k + 1:]
        out[at:at + len(row)] = row
        at += len(row)
    return out


def _fisher(r: np.ndarray, cor_cutoff: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.arctanh(np.minimum(r, cor_cutoff))


def z_se(na: int, nb: int, method: str) -> float:
    """Standard error of a difference of Fisher z values (1.06 for Spearman)."""
    v = 1.06 if method == "spearman" else 1.0
    return float(np.sqrt(v / (na - 3) + v / (nb - 3)))


def _p_diff(z: np.ndarray) -> np.ndarray:
    return special.erfc(np.abs(z) / np.sqrt(2.0))


def t_pair_pvalues(za: np.ndarray, zb: np.ndarray, na: int, nb: int, start: int, stop: int,
                   method: str, cor_cutoff: float) -> tuple[np.ndarray, np.ndarray]:
    """First pass: the sorted ``p_diff`` of the pairs of rows ``start:stop``, and
    their order (what sorts them: the second pass needs no sort of its own)."""
    se = z_se(na, nb, method)
    fa = _fisher(_upper(_rows(za, start, stop), start), cor_cutoff)
    fb = _fisher(_upper(_rows(zb, start, stop), start), cor_cutoff)
    fb -= fa
    del fa
    fb /= se
    p = _p_diff(fb)
    order = np.argsort(p).astype(np.int32)
    return p[order], order


def t_bh_cut(blocks: list[np.ndarray], cut: float) -> dict:
    """The BH ``q`` of every rank whose ``q`` is at most ``cut`` (1: all): ``s``,
    the sorted p-values of those ranks, and ``q``; ``m`` the number of p-values."""
    s = np.concatenate(blocks)
    del blocks
    s.sort(kind="stable")  # sorted runs: merged
    m = len(s)
    q = np.empty(m)
    low, b, step = np.inf, m, CHUNK * 64
    while b > 0:  # from the top, a chunk at a time: the operations of bh(),
        a = max(0, b - step)  # n / i * p, and the running minimum
        g = m / np.arange(a + 1, b + 1, dtype=float) * s[a:b]
        g = np.minimum.accumulate(g[::-1])[::-1]
        np.minimum(g, low, out=g)
        low = g[0]
        q[a:b] = g
        b = a
    np.minimum(q, 1.0, out=q)
    k = int(np.searchsorted(q, cut, side="right")) if cut < 1 else m
    return {"s": s[:k].copy(), "q": q[:k].copy(), "m": m}


def lookup_q(p: np.ndarray, lookup: dict, order: np.ndarray | None = None) -> np.ndarray:
    """``q`` of p-values (the very numbers :func:`t_bh_cut` merged) from its
    ranks (NaN: above its cut); ``order`` sorts ``p`` (sorted needles: a search
    that stays in cache, where random ones cost a cache miss per step)."""
    s, qs = lookup["s"], lookup["q"]
    q = np.full(len(p), np.nan)
    if not len(s):
        return q
    if order is None:
        order = np.argsort(p)
    ps = p[order]
    n = int(np.searchsorted(ps, s[-1], side="right"))  # those within the cut
    rank = np.searchsorted(s, ps[:n], side="right")  # its ties' last rank
    q[order[:n]] = qs[rank - 1]
    return q


def t_pair_block(za: np.ndarray, zb: np.ndarray, na: int, nb: int, start: int, stop: int,
                 names: list[str], method: str, cor_cutoff: float, cor_alpha: float,
                 adjust: str, fdr: float, keep_q: float | None, lookup: dict | None,
                 out: str | None, part: int, first: tuple | None = None) -> dict:
    """Second pass: the pairs of rows ``start:stop`` with their ``q_diff``
    (``lookup`` from :func:`t_bh_cut` for BH; ``p_diff`` for ``none``). ``first``:
    the block's first pass, whose p-values are taken as they are (a BLAS
    product computed again may differ in its last bit, and a rank must be found
    for the very number that was ranked). Written
    as part ``part`` of the Parquet dataset ``out`` (only those with
    ``q_diff <= keep_q`` when given), else returned as ``frame``.

    Returns
    -------
    dict
        ``classes`` (per class code: pairs, pairs with ``q <= fdr``, over all
        pairs of the block), ``n_pairs``, ``n_kept``, and per node of the
        block's rows ``z_sum`` and ``z_median`` (of its p - 1 pairs), and over
        all nodes ``n_significant`` (its pairs in the block with ``q <= fdr``).
    """
    p = za.shape[1]
    se = z_se(na, nb, method)
    ra_full, rb_full = _rows(za, start, stop), _rows(zb, start, stop)
    zfull = _fisher(rb_full, cor_cutoff)
    zfull -= _fisher(ra_full, cor_cutoff)
    zfull /= se
    b = stop - start
    rows = np.arange(b)
    zfull[rows, rows + start] = 0.0  # the diagonal is no pair
    off = ~np.zeros((b, p), dtype=bool)
    off[rows, rows + start] = False
    z_sum = zfull.sum(axis=1)
    z_median = np.median(zfull[off].reshape(b, p - 1), axis=1) if p > 1 else np.zeros(b)
    del off
    ra, rb, z = _upper(ra_full, start), _upper(rb_full, start), _upper(zfull, start)
    del ra_full, rb_full, zfull
    pa_, pb_ = cor_pvalue(ra, na), cor_pvalue(rb, nb)
    if first is None:
        p_diff = _p_diff(z)
    else:  # the first pass's numbers, in table order
        p_diff = np.empty(len(z))
        p_diff[first[1]] = first[0]
    q = lookup_q(p_diff, lookup, None if first is None else first[1]) if adjust == "BH" \
        else p_diff.copy()
    code = (3 * ((pa_ < cor_alpha) * np.sign(ra)).astype(np.int8)
            + ((pb_ < cor_alpha) * np.sign(rb)).astype(np.int8) + 4).astype(np.int8)
    i = np.repeat(np.arange(start, stop, dtype=np.int32), np.arange(p - 1 - start, p - 1 - stop, -1))
    j = _second(p, start, stop)
    sig = q <= fdr
    res = {"classes": [np.bincount(code, minlength=9).tolist(),
                       np.bincount(code[sig], minlength=9).tolist()],
           "n_pairs": len(z), "start": start, "stop": stop,
           "z_sum": z_sum, "z_median": z_median,
           "n_significant": (np.bincount(i[sig], minlength=p)
                             + np.bincount(j[sig], minlength=p)).astype(np.int64)}
    keep = None if keep_q is None or keep_q >= 1 else np.flatnonzero(q <= keep_q)
    cols = {"r_A": ra, "p_A": pa_, "r_B": rb, "p_B": pb_, "z_diff": z, "p_diff": p_diff,
            "q_diff": q}
    if keep is not None:
        i, j, code = i[keep], j[keep], code[keep]
        cols = {k: v[keep] for k, v in cols.items()}
    res["n_kept"] = len(i)
    if out is None:
        res["frame"] = pd.DataFrame({"var1": pd.Categorical.from_codes(i, names),
                                     "var2": pd.Categorical.from_codes(j, names),
                                     **cols,
                                     "class": pd.Categorical.from_codes(code, list(CLASSES))})
        return res
    table = pa.table({"var1": _dictionary(i, names), "var2": _dictionary(j, names),
                      **{k: pa.array(v) for k, v in cols.items()},
                      "class": _dictionary(code, list(CLASSES))})
    # uncompressed (these doubles do not compress), dictionaries only where they
    # are, statistics only of q (what readers filter on): 5x faster than defaults
    write_table_part(out, part, table, row_group_size=ROW_GROUP, compression="none",
                     use_dictionary=["var1", "var2", "class"], write_statistics=["q_diff"])
    return res


def _second(p: int, start: int, stop: int) -> np.ndarray:
    """``j`` of the pairs i < j of rows ``start:stop``, row-major (int32): a
    cumulative sum of ones that jumps back to ``i + 1`` where row ``i`` starts."""
    rows = np.arange(start, min(stop, p - 1))  # the rows that have pairs
    lengths = p - 1 - rows
    step = np.ones(int(lengths.sum()), dtype=np.int32)
    if not len(step):
        return step
    firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    step[firsts] = rows + 1 - np.where(np.arange(len(rows)) == 0, 0, p - 1)
    return np.cumsum(step, dtype=np.int32)


def _dictionary(codes: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(labels, pa.string()))


def t_pair_summary(parts: list[dict], p: int) -> dict:
    """What the client needs of a comparison's blocks (:func:`t_pair_block`):
    class counts over all pairs, per node ``mean_z``, ``median_z`` and
    ``n_significant``, and the table when the blocks returned it."""
    classes = np.zeros((2, 9), dtype=np.int64)
    mean_z, median_z = np.zeros(p), np.zeros(p)
    n_sig = np.zeros(p, dtype=np.int64)
    frames = []
    for part in parts:
        classes += np.asarray(part["classes"], dtype=np.int64)
        a, b = part["start"], part["stop"]
        mean_z[a:b] = part["z_sum"] / max(p - 1, 1)
        median_z[a:b] = part["z_median"]
        n_sig += part["n_significant"]
        if part.get("frame") is not None:
            frames.append(part["frame"])
    return {"classes": {c: [int(n), int(s)] for c, n, s in zip(CLASSES, *classes)},
            "n_pairs": int(sum(part["n_pairs"] for part in parts)),
            "n_kept": int(sum(part["n_kept"] for part in parts)),
            "n_significant": int(classes[1].sum()),
            "nodes": {"mean_z": mean_z, "median_z": median_z, "n_significant": n_sig},
            "frame": pd.concat(frames, ignore_index=True) if frames else None}
