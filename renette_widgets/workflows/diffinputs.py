"""The conditions of a differential analysis, as its jobs compare them: on the
variables all of them share, optionally only the most variable ones."""
from __future__ import annotations

import pandas as pd

from ..errors import InputError
from ..io import checks
from .base import source


def align(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The conditions on the variables all of them share, in the first one's order;
    a note on each condition that lost variables says how many and which."""
    items = list(frames.items())
    sets = [set(df.columns) for _, df in items]
    shared = [c for c in items[0][1].columns if all(c in s for s in sets[1:])]
    if len(shared) < 2:
        sizes = "; ".join(f"{source(n, df)} has {df.shape[1]}" for n, df in items)
        raise InputError(f"the conditions share {len(shared)} variable(s) (columns, by name: "
                         f"{sizes}); a differential analysis needs at least 2",
                         hint="Give every condition the same variables: the same column "
                              "names in the header of each file.")
    keep = set(shared)
    out = {}
    for name, df in items:
        sub = df.loc[:, shared]
        sub.attrs = dict(df.attrs)
        left = [str(c) for c in df.columns if c not in keep]
        if left:
            shown = ", ".join(f"'{c}'" for c in left[:5]) + (" ..." if len(left) > 5 else "")
            checks.add_note(sub, f"{source(name, df)}: {len(left)} of its {df.shape[1]} "
                                 f"variables are not in every condition and were left out "
                                 f"({shown}); the {len(shared)} shared variables are compared.")
        out[name] = sub
    return out


def _top_variance(frames: dict[str, pd.DataFrame], n: int | None) -> dict[str, pd.DataFrame]:
    """The ``n`` variables of largest variance over all conditions' samples (noted)."""
    p = next(iter(frames.values())).shape[1]
    if n is None or n >= p:
        return frames
    pooled = pd.concat(frames.values(), ignore_index=True)
    keep = checks.keep_most_variable(pooled, n).columns  # the same ranking as one matrix's
    out = {}
    for k, (name, df) in enumerate(frames.items()):
        out[name] = df.loc[:, keep]
        out[name].attrs = dict(df.attrs)
        if k == 0:
            checks.add_note(out[name], f"kept the {n:,} variables of largest variance (over the "
                                       f"samples of all conditions) out of {p:,}")
    return out
