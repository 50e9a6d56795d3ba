"""The multiplex distance task: nettools' ``mpnetdist`` and each layer's own distance.

A multiplex network is several layers (networks) over one node set, coupled by
an inter-layer matrix ``I``; its supra-adjacency is ``blockdiag(L_1, ..., L_l) +
I (x) I_n``. ``mpnetdist`` compares two of them through their supra-adjacencies
(layers symmetrised from their lower triangle, no rescaling, as nettools);
each pair of layers is also compared as ``netdist`` would (rescaled, directed
when asymmetric), so a result says which layer moved.
"""
from __future__ import annotations

import numpy as np

from .spectra import t_pair_distances
from .worker import engine


def inter_layer(layers: int, coupling: float) -> np.ndarray:
    """The l x l inter-layer matrix: every layer coupled to every other with ``coupling``
    (a node is linked to its copies in the other layers)."""
    return coupling * (np.ones((layers, layers)) - np.eye(layers))


def t_multiplex(x: list[np.ndarray], y: list[np.ndarray], coupling: float, rho: float,
                gamma: float | None) -> dict:
    """H, IM, HIM of two multiplex networks (``x``, ``y``: their layers, n x n each, in
    matching order, diagonals as given) and of each pair of layers (diagonals zeroed).

    Returns
    -------
    dict
        ``multiplex``: array [H, IM, HIM] (``renette::mpnetdist``); ``layers``: l x 3
        array, row k the distance between layer k of ``x`` and of ``y`` (``netdist``).
    """
    r = engine()
    stack = [np.stack([np.asarray(a, dtype=float) for a in layers], axis=2) for layers in (x, y)]
    multiplex = r.mpnetdist(stack[0], stack[1], inter_layer(len(x), coupling), rho, gamma)
    return {"multiplex": multiplex,
            "layers": t_pair_distances([(_no_loops(a), _no_loops(b)) for a, b in zip(x, y)],
                                       rho, gamma)}


def _no_loops(a: np.ndarray) -> np.ndarray:
    """A layer without its diagonal, as the distance workflow takes networks."""
    a = np.array(a, dtype=float)
    np.fill_diagonal(a, 0.0)
    return a
