"""Checks of user inputs: data matrices, adjacency matrices, sets of networks.

Every check raises :class:`~renette_widgets.errors.InputError` with a message
naming the file (``df.attrs["source"]`` or the ``name`` argument) and what to
do. Fixes that are safe and expected (zeroing an uploaded diagonal,
reordering rows to the header's order) are applied and reported in
``df.attrs["notes"]``, a list of sentences for the user. Nothing here rescales
weights: the R engine does that, as nettools does; we only say it will.

Limits (largest file, largest network) are settings: :mod:`renette_widgets.config`.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..config import max_nodes, max_upload_bytes
from ..errors import InputError
from ..symmetry import is_symmetric

__all__ = [
    "MIN_SAMPLES", "check_size", "min_samples", "constant_columns", "check_data", "check_adjacency",
    "check_network_set", "check_resampling", "add_note", "ALIGN",
]

# Fewest samples (rows) for which each inference method means something.
# Correlations of 2 samples are always +-1; MIC needs a grid of at least
# 2x2 cells with points in them (minerva returns constants below 5 samples);
# the permutation filters and bootstraps need a few distinct reshuffles.
MIN_SAMPLES = {
    "cor": 3, "WGCNA": 3, "bicor": 3, "TOM": 3, "ARACNE": 3, "CLR": 3,
    "c3net": 3, "MINE": 5, "DTWMIC": 5,
    "WGCNAFDR": 5, "bicorFDR": 5, "MINEFDR": 5, "bc3net": 5,
}


def add_note(df: pd.DataFrame, note: str) -> None:
    """Append a sentence for the user to ``df.attrs["notes"]`` (in place)."""
    df.attrs["notes"] = list(df.attrs.get("notes", [])) + [note]


def check_size(nbytes: int, file: str | None, limit: int | None = None) -> None:
    """Raise InputError when a file of `nbytes` exceeds the upload cap."""
    limit = max_upload_bytes() if limit is None else limit
    if nbytes > limit:
        raise InputError(
            f"the file is {_size(nbytes)}, more than the limit of {_size(limit)}",
            file=file,
            hint="Use a smaller file, or raise the limit with the environment "
                 "variable RENETTE_MAX_UPLOAD_MB.")


def _size(nbytes: float) -> str:
    for unit in ("bytes", "KB", "MB"):
        if nbytes < 1024 or unit == "MB":
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.1f} GB"


def _source(df: pd.DataFrame, name: str | None) -> str | None:
    return name or df.attrs.get("source")


def keep_most_variable(df: pd.DataFrame, n: int | None, name: str | None = None) -> pd.DataFrame:
    """The ``n`` columns of largest variance, in their order (all when ``n`` is None
    or at least the number of columns), with a note saying what was kept."""
    if n is None or n >= df.shape[1]:
        return df
    var = df.var(axis=0, ddof=1).to_numpy()
    keep = np.sort(np.argsort(-var, kind="stable")[:n])
    out = df.iloc[:, keep]
    out.attrs = dict(df.attrs)
    add_note(out, f"{name or 'the data'}: kept the {n:,} variables of largest variance out of "
                  f"{df.shape[1]:,} (the smallest kept has variance {var[keep].min():.3g})")
    return out


def min_samples(method: str) -> int:
    """Fewest samples (rows) method `method` accepts (3 for unknown methods)."""
    return MIN_SAMPLES.get(method, 3)


def constant_columns(df: pd.DataFrame, tol: float = 0.0) -> list[str]:
    """Names of columns that are constant or nearly so.

    A column counts as constant when its range is zero or below 1e-10 of its
    largest absolute value (floating-point noise), or when its variance
    (``ddof=1``, as R's ``var``) is below `tol` (nettools' ``tol``).
    """
    x = df.to_numpy(dtype=np.float64)
    if x.shape[0] < 2:
        return [str(c) for c in df.columns]
    spread = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    scale = np.nanmax(np.abs(x), axis=0)
    flat = spread <= 1e-10 * scale
    if tol > 0:
        flat |= np.nanvar(x, axis=0, ddof=1) < tol
    return [str(c) for c, f in zip(df.columns, flat) if f]


def _list_names(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def names_of(labels: pd.Index) -> list[str]:
    """The labels as a list of str. Checks walk names as lists: iterating pandas'
    pyarrow-backed string indexes goes one element at a time, and a job's checks
    walk every name of every network several times."""
    return [str(v) for v in labels.tolist()]


def _check_duplicates(labels: list[str], what: str, file: str | None) -> None:
    if len(set(labels)) == len(labels):
        return
    seen: set[str] = set()
    for first in labels:  # the first name seen twice
        if first in seen:
            break
        seen.add(first)
    where = [i + 1 for i, v in enumerate(labels) if v == first]
    raise InputError(
        f"the {what} name '{first}' appears more than once "
        f"({what}s {', '.join(map(str, where[:5]))})", file=file,
        column=str(first) if what == "column" else None,
        hint=f"Give every {what} a different name.")


def _check_finite(x: np.ndarray, df: pd.DataFrame, file: str | None) -> None:
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        kind = "missing (NA)" if np.isnan(x[i, j]) else "infinite"
        raise InputError(
            f"row {df.index[i]!s} has a {kind} value ({int(bad.sum())} such cells in all)",
            file=file, column=str(df.columns[j]),
            hint="Every cell must be a finite number: fill in or remove those cells.")


def check_data(
    df: pd.DataFrame,
    *,
    method: str = "cor",
    tol: float = 0.0,
    drop_constant: bool = False,
    name: str | None = None,
) -> pd.DataFrame:
    """Check a data matrix (samples x variables) for an inference method.

    Parameters
    ----------
    df : DataFrame
        Samples in rows, variables in columns, float values.
    method : str
        Inference method; decides the minimum number of samples.
    tol : float
        Variance threshold (nettools' ``tol``); 0 rejects only constant columns.
    drop_constant : bool
        Drop constant columns (with a note) instead of raising.
    name : str, optional
        File name for messages (default ``df.attrs["source"]``).

    Returns
    -------
    DataFrame
        `df`, or a copy without the constant columns (note added).
    """
    file = _source(df, name)
    n, p = df.shape
    if n == 0 or p == 0:
        raise InputError("the data matrix is empty", file=file,
                         hint="Upload samples in rows and variables in columns.")
    _check_duplicates(names_of(df.columns), "column", file)
    x = df.to_numpy(dtype=np.float64)
    _check_finite(x, df, file)
    need = min_samples(method)
    if n < need:
        raise InputError(
            f"{n} sample{'s' if n != 1 else ''} (rows); method {method} needs at least {need}",
            file=file,
            hint="Samples go in rows and variables in columns: add samples, or "
                 "check whether the table should be transposed.")
    flat = constant_columns(df, tol)
    if flat and drop_constant:
        df = df.drop(columns=flat)
        add_note(df, f"Dropped {len(flat)} constant column(s): {_list_names(flat)}.")
        p = df.shape[1]
    elif flat:
        what = "constant" if tol == 0 else f"constant or of variance below tol={tol:g}"
        raise InputError(
            f"{len(flat)} column(s) are {what}: {_list_names(flat)}", file=file,
            column=flat[0],
            hint="A constant variable has no correlation with anything: remove "
                 "those columns, or drop them: 'drop constant columns' in the dashboard, "
                 "drop_constant=True in Python, --drop-constant with renette.")
    if p < 2:
        raise InputError(
            f"only {p} variable (column) left; a network needs at least 2", file=file,
            hint="If the file has more columns, its separator may not have been "
                 "recognised: choose it explicitly (sep).")
    return df


def check_adjacency(
    df: pd.DataFrame,
    *,
    name: str | None = None,
    symmetric: bool = False,
    zero_diagonal: bool = True,
) -> pd.DataFrame:
    """Check an adjacency matrix and apply the uploader's fixes.

    Square, finite, unique names; when the index holds names they must be
    the column names (rows are reordered, with a note, when they are the
    same names in another order). A non-zero diagonal is zeroed (self-loops
    are not supported, as in ReNette) and weights outside [0, 1] and
    asymmetry are reported in ``attrs["notes"]``.

    Parameters
    ----------
    df : DataFrame
        n x n weights.
    name : str, optional
        File name for messages (default ``df.attrs["source"]``).
    symmetric : bool
        Require an undirected (symmetric) network instead of noting that an
        asymmetric one will be treated as directed.
    zero_diagonal : bool
        Zero a non-zero diagonal (with a note) instead of keeping it.

    Returns
    -------
    DataFrame
        A float64 copy with index equal to the column names.
    """
    file = _source(df, name)
    n, m = df.shape
    if n == 0:
        raise InputError("the adjacency matrix is empty", file=file)
    if n != m:
        raise InputError(
            f"an adjacency matrix must be square, but this one has {n} rows and "
            f"{m} columns", file=file,
            hint="Upload an n x n matrix of edge weights, with node names in the "
                 "header (and optionally in the first column).")
    if n < 2:
        raise InputError("a network needs at least 2 nodes; this one has 1", file=file)
    cap = max_nodes()
    if n > cap:
        raise InputError(
            f"the network has {n} nodes, more than the limit of {cap}", file=file,
            hint="Raise the limit with the environment variable RENETTE_MAX_NODES.")
    notes = list(df.attrs.get("notes", []))
    names = names_of(df.columns)
    _check_duplicates(names, "column", file)
    cols = pd.Index(names)
    order = None  # rows in the order of the columns, when they come in another
    if not isinstance(df.index, pd.RangeIndex):
        rows = names_of(df.index)
        _check_duplicates(rows, "row", file)
        if rows != names:
            if set(rows) == set(names):
                order = pd.Index(rows).get_indexer(cols)
                notes.append("Rows were reordered to follow the order of the column names.")
            else:
                k = next(i for i, (r, c) in enumerate(zip(rows, names)) if r != c)
                raise InputError(
                    f"row name '{rows[k]}' (row {k + 1}) does not match column name "
                    f"'{cols[k]}'; the row and column names of an adjacency matrix "
                    "must be the same nodes", file=file, column=cols[k],
                    hint="Use the same node names in the first column and in the "
                         "header, or leave out the row names.")
    # One copy, ours to fix, in Fortran order: the DataFrame below wraps it as is
    # (and R, which gets it next, reads columns).
    x = df.to_numpy(dtype=np.float64)
    x = np.array(x if order is None else x[order], dtype=np.float64, order="F")
    _check_finite(x, pd.DataFrame(x, index=cols, columns=cols, copy=False), file)
    diag = np.diag(x).copy()
    if np.any(diag != 0):
        if not zero_diagonal:
            notes.append("The diagonal is not zero; it is kept as given.")
        else:
            np.fill_diagonal(x, 0.0)
            notes.append(f"The diagonal had {int(np.count_nonzero(diag))} non-zero value(s); "
                         "it was set to zero (self-loops are not supported).")
    lo, hi = float(x.min()), float(x.max())
    if lo < 0 or hi > 1:
        notes.append(
            f"Weights range from {lo:g} to {hi:g}, outside [0, 1]; as in nettools, "
            "the network will be rescaled to [0, 1] (min-max) before distances "
            "are computed.")
    if not is_symmetric(x):
        i, j = map(int, np.argwhere(np.abs(x - x.T) > 0)[0])
        if symmetric:
            raise InputError(
                f"the matrix is not symmetric: row '{cols[i]}', column '{cols[j]}' "
                f"is {x[i, j]:g} but row '{cols[j]}', column '{cols[i]}' is {x[j, i]:g}",
                file=file, column=cols[j],
                hint="This analysis needs an undirected network: make the matrix symmetric.")
        notes.append(
            "The matrix is not symmetric, so the network is treated as directed "
            f"(e.g. {cols[i]}->{cols[j]} = {x[i, j]:g}, {cols[j]}->{cols[i]} = {x[j, i]:g}).")
    result = pd.DataFrame(x, index=cols, columns=cols, copy=False)
    result.attrs = dict(df.attrs)
    result.attrs["notes"] = notes
    if zero_diagonal and diag.any():  # what was zeroed: the multiplex distance keeps it
        result.attrs["zeroed_diagonal"] = diag.tolist()
    return result


#: How networks on different node sets are matched (``check_network_set``'s ``align``).
ALIGN = ("names", "shared", "union", "position")


def check_network_set(
    networks: Mapping[str, pd.DataFrame], *, min_count: int = 2, align: str = "names"
) -> dict[str, pd.DataFrame]:
    """Check that networks can be compared, matching their nodes as ``align`` says.

    Parameters
    ----------
    networks : mapping of name to DataFrame
        Checked adjacency matrices (see :func:`check_adjacency`).
    min_count : int
        Fewest networks the job needs.
    align : {"names", "shared", "union", "position"}
        ``"names"``: the same node names in every network (another order is
        reordered to the first network's, with a note); ``"shared"``: each
        pair of networks on the nodes both have (when every pair shares the
        same nodes, all networks are put on that list here; otherwise they are
        returned as they are, and :func:`shared_pairs` says which pairs share
        which nodes); ``"union"``: every node of any network,
        a node missing from a network being isolated in it (a zero row and
        column); ``"position"``: names ignored, node i of every network is
        node i of the first (nettools' behaviour; sizes must match).

    Returns
    -------
    dict
        The networks on one node list, in the first network's order (then,
        for ``"union"``, the other networks' extra nodes in order of
        appearance); what was changed is noted in ``attrs["notes"]``.
    """
    if len(networks) < min_count:
        raise InputError(
            f"{len(networks)} network(s) given; at least {min_count} are needed",
            hint="Upload or select more networks.")
    if align not in ALIGN:
        raise InputError(f"align must be one of {', '.join(ALIGN)}, not {align!r}",
                         parameter="align")
    items = list(networks.items())
    first_name = items[0][0]
    sets = [names_of(net.columns) for _, net in items]
    if align == "position":
        return _by_position(items, sets)
    if align == "names":
        _same_names(items, sets)
    if align == "shared":
        members = [set(s) for s in sets]
        nodes = [c for c in sets[0] if all(c in m for m in members[1:])]
        overlap = {(i, j): len(members[i] & members[j])
                   for i in range(len(sets)) for j in range(i + 1, len(sets))}
        few = min(((k, i, j) for (i, j), k in overlap.items()), default=(len(nodes), 0, 0))
        if few[0] < 2:
            _, i, j = few
            raise InputError(
                f"'{items[i][0]}' and '{items[j][0]}' share {few[0]} node(s); distances "
                "need at least 2", hint=_align_hint(sets))
        if any(k != len(nodes) for k in overlap.values()):
            for name, net in items:  # pair by pair: each pair's own shared nodes
                add_note(net, "Each pair of networks is compared on the nodes both have.")
            return dict(items)
    else:  # names (same sets) or union
        nodes = list(dict.fromkeys(c for s in sets for c in s))
    out = {}
    for (name, net), cols in zip(items, sets):
        if cols == nodes:
            out[name] = net
            continue
        aligned = net.reindex(index=nodes, columns=nodes, fill_value=0.0)
        aligned.attrs = dict(net.attrs)
        kept, added = len(set(cols) & set(nodes)), len(nodes) - len(set(cols) & set(nodes))
        if align == "names":
            add_note(aligned, f"Nodes were reordered to follow '{first_name}'.")
        elif align == "shared":
            add_note(aligned, f"Compared on the {len(nodes)} nodes every network has "
                              f"({len(cols) - kept} of its {len(cols)} nodes left out).")
        else:
            add_note(aligned, f"Compared on all {len(nodes)} nodes of the networks: its "
                              f"{added} missing nodes were added as isolated nodes.")
        out[name] = aligned
    return out


def shared_pairs(networks: Mapping[str, pd.DataFrame]) -> list[list[str]] | None:
    """For ``align="shared"``: the nodes each pair of networks shares (pairs in
    ``upper_pairs`` order, nodes in the first network's order), or None when all
    networks are on one node list (then the pairs need no restriction)."""
    sets = [names_of(net.columns) for net in networks.values()]
    if all(s == sets[0] for s in sets):
        return None
    members = [set(s) for s in sets]
    return [[c for c in a if c in b] for i, a in enumerate(sets) for b in members[i + 1:]]


def _same_names(items: list, sets: list[list[str]]) -> None:
    """Raise InputError, offering the other alignments, unless every network has the
    first one's nodes."""
    first_name, nodes = items[0][0], sets[0]
    for (name, _), cols in zip(items[1:], sets[1:]):
        if len(cols) != len(nodes):
            raise InputError(
                f"networks of different sizes: '{first_name}' has {len(nodes)} nodes "
                f"but '{name}' has {len(cols)}", file=name, hint=_align_hint(sets))
        if cols != nodes and set(cols) != set(nodes):
            present = set(cols)
            missing = [c for c in nodes if c not in present]
            raise InputError(
                f"networks have different node names: '{first_name}' has node "
                f"'{missing[0]}' which '{name}' lacks ({len(missing)} such nodes)",
                file=name, hint=_align_hint(sets))


def _align_hint(sets: list[list[str]]) -> str:
    """How to compare networks on different nodes, with the node counts each way gives."""
    shared = len(set.intersection(*(set(s) for s in sets)))
    union = len(set().union(*(set(s) for s in sets)))
    sizes = {len(s) for s in sets}
    position = (f"by position (align='position': names ignored, node i is node i, as nettools "
                f"did; all have {sizes.pop()} nodes)" if len(sizes) == 1
                else "by position (impossible here: the sizes differ)")
    pair = min((len(set(a) & set(b)) for i, a in enumerate(sets) for b in sets[i + 1:]),
               default=shared)
    shared_text = (f"shared nodes only (align='shared': each pair on the nodes both have, "
                   f"at least {pair}; {shared} are in every network)" if pair >= 2 else
                   f"shared nodes only (impossible here: two networks share {pair} node(s))")
    return ("Choose how to match the nodes ('node sets' in the dashboard, align= in Python, "
            f"--align with renette): {shared_text}, all nodes (align='union': {union} nodes, "
            f"a node missing from a network is isolated in it) or {position}.")


def _by_position(items: list, sets: list[list[str]]) -> dict[str, pd.DataFrame]:
    """Networks of one size relabelled with the first one's node names (noted)."""
    first_name, nodes = items[0][0], sets[0]
    out = {first_name: items[0][1]}
    for (name, net), cols in zip(items[1:], sets[1:]):
        if len(cols) != len(nodes):
            raise InputError(
                f"comparing by position needs networks of one size: '{first_name}' has "
                f"{len(nodes)} nodes but '{name}' has {len(cols)}", file=name,
                hint=_align_hint(sets))
        if cols != nodes:
            net = pd.DataFrame(net.to_numpy(), index=nodes, columns=nodes).__finalize__(net)
            add_note(net, f"Compared by position: node i is node i of '{first_name}' "
                          "(names ignored).")
        out[name] = net
    return out


def check_resampling(
    n_samples: int,
    resampling: str,
    k: int,
    method: str = "cor",
    name: str | None = None,
) -> None:
    """Check that a resampling scheme leaves enough samples in each subset.

    Parameters
    ----------
    n_samples : int
        Rows of the data matrix.
    resampling : str
        ``"montecarlo"``, ``"kCV"`` or ``"LOO"``.
    k : int
        Fold count (ignored by LOO).
    method : str
        Inference method (its minimum number of samples applies per subset).
    name : str, optional
        File name for messages.
    """
    need = min_samples(method)
    if resampling == "kCV" and k >= n_samples:
        raise InputError(
            f"k-fold cross-validation needs k smaller than the number of samples "
            f"(k = {k}, {n_samples} samples)", file=name, hint="Choose a smaller k.")
    if resampling == "LOO":
        kept = n_samples - 1
    elif resampling == "kCV":
        kept = n_samples - int(np.ceil(n_samples / k))
    else:
        kept = int(np.floor(n_samples * (1 - 1 / k)))
    if kept < need:
        raise InputError(
            f"each resample keeps {kept} of the {n_samples} samples, but method "
            f"{method} needs at least {need}", file=name,
            hint="Use more samples, or a larger k.")
