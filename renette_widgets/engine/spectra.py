"""Spectra and distances on the workers: the tasks of distance and stability jobs.

A chunk task computes the spectra (and IM-grid densities) of a few networks
(:func:`t_spectra`, cached per worker by content); a tile task computes H, IM
and HIM of a tile of pairs from the chunks it is given (:func:`t_block`).
Symmetric networks travel packed (:mod:`.packing`: half the bytes), and a
chunk sends its spectra stacked into a few arrays (:func:`stack_specs`:
dask's cost is per array). The optimal gamma is found by the tasks that need
it (cached per worker): no stage waits for a gamma task.
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..io.arrays import StoredMatrix
from ..symmetry import is_directed
from . import cache, packing
from .worker import engine


def t_spectra(nets: list[np.ndarray], directed: bool | None,
              gamma: float | None = None, eigen: bool = True, networks: bool = True) -> dict:
    """Rescaled network, spectrum ``omega``, IM-grid density ``D`` and ``gamma`` of
    each network (:func:`stack_specs`; :func:`chunk_spec` gets one): the network as ``P``,
    packed (:mod:`packing`), when it is exactly symmetric, else as ``A``.

    ``nets`` are n x n matrices, packed symmetric ones (1-D), or the paths of
    stored matrices (:class:`~renette_widgets.io.arrays.StoredMatrix`).
    Cached by content (and gamma); the networks not in the cache go to R in
    one call per directedness (``directed=None``: each network's own).
    ``gamma=None``: the optimal gamma of the networks' size (directed if any
    is), computed here so that no chunk waits for a gamma task.

    ``eigen=False`` (a Hamming-only distance): no spectrum, no density and no
    gamma, only each network rescaled as R rescales it (:func:`_rescaled`) and
    packed when symmetric: no R call at all. ``networks=False`` (an
    IM-only distance): the entries leave out the networks, which the tiles do
    not read then (less to send).
    """
    # A stored job's networks are read here, from the store (a path).
    nets = [StoredMatrix(a).to_numpy() if isinstance(a, str) else a for a in nets]
    # Matrices in Fortran order, R's: one from a DataFrame already is (no copy
    # here, and a straight one into R rather than a transposing one).
    full = [np.asfortranarray(a, dtype=float) if np.ndim(a) == 2 else None for a in nets]
    # Symmetric networks packed: the cache key is the same however they came.
    packed = [np.asarray(a, dtype=float) if f is None else
              packing.pack(f) if np.array_equal(f, f.T) else None for a, f in zip(nets, full)]
    flags = [bool(p is None and is_directed(f) if directed is None else directed)
             for p, f in zip(packed, full)]
    if not eigen:
        return stack_specs([_travelling({"A": _rescaled(f if p is None else p, i),
                                         "directed": d, "gamma": None, "omega": None,
                                         "D": None}, f, p)
                            for i, (p, f, d) in enumerate(zip(packed, full, flags))])
    if gamma is None:
        gamma = t_gamma(full[0].shape[0] if full[0] is not None else packing.nodes(packed[0]),
                        any(flags))
    keys = [cache.spectrum_key(f if p is None else p, d, gamma)
            for p, f, d in zip(packed, full, flags)]
    for flag in sorted({d for d, k in zip(flags, keys) if k not in cache.SPECTRA}):
        todo = [i for i, (d, k) in enumerate(zip(flags, keys))
                if d == flag and k not in cache.SPECTRA]
        got = engine().network_spectra([packed[i] if full[i] is None else full[i]
                                         for i in todo], flag, gamma)
        _count(len(todo))
        for i, spec in zip(todo, got):
            cache.put(keys[i], _travelling({**spec, "directed": flag, "gamma": float(gamma)},
                                           full[i], packed[i]))
    out = []
    for k in keys:
        cache.SPECTRA.move_to_end(k)
        out.append(cache.SPECTRA[k])
    cache.trim(keep=len(keys))
    if not networks:
        out = [{k: v for k, v in e.items() if k not in ("P", "A")} for e in out]
    return stack_specs(out)


#: Laplacian eigendecompositions this worker process has performed (read with
#: ``client.run(eigendecompositions)``: a Hamming-only job must perform none).
_EIGEN = [0]


def _count(networks: int) -> None:
    _EIGEN[0] += networks


def eigendecompositions() -> int:
    """How many Laplacian spectra this process computed (cached ones not counted)."""
    return _EIGEN[0]


def _rescaled(a: np.ndarray, j: int) -> np.ndarray | None:
    """``a`` (n x n or packed) min-max rescaled to [0, 1] as R's ``rescale_network``
    does when a weight lies outside, bit for bit (the same elementwise operations);
    None when it is already in [0, 1] (as ``network_spectra`` says "unchanged")."""
    lo, hi = float(np.min(a)), float(np.max(a))
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise InputError(f"Network {j + 1} has missing or infinite weights.")
    if lo >= 0 and hi <= 1:
        return None
    if hi == lo:
        raise InputError(f"Network {j + 1} has all weights equal to {lo:g}, outside "
                         "[0, 1], so it cannot be rescaled.")
    return (a - lo) / (hi - lo)


SPEC_ARRAYS = ("P", "A", "omega", "D")


def stack_specs(specs: list[dict]) -> dict:
    """Spectrum entries as a chunk sends them: each field of equal-length arrays
    stacked into one matrix, one row per network (dask sends every array of a
    result as a frame of its own, and its cost is per frame: see
    benchmarks/RESULTS.md, "Measurements the code relies on"); others (a network
    sent whole, a longer spectrum) stay lists, None where a network has no such
    field."""
    out = {"gamma": specs[0]["gamma"], "directed": [s["directed"] for s in specs]}
    for f in SPEC_ARRAYS:
        vals = [s.get(f) for s in specs]
        same = all(v is not None for v in vals) and len({v.shape for v in vals}) == 1
        out[f] = np.stack(vals) if same and f != "A" else vals
    return out


def chunk_spec(chunk: dict, k: int) -> dict:
    """Entry ``k`` of :func:`stack_specs`'s ``chunk`` (or of a :func:`t_resamples`
    result's), with the fields it has."""
    chunk = chunk["specs"] if "specs" in chunk else chunk
    out = {"gamma": chunk["gamma"], "directed": chunk["directed"][k]}
    out.update({f: chunk[f][k] for f in SPEC_ARRAYS if chunk[f][k] is not None})
    return out


def _travelling(spec: dict, full: np.ndarray | None, packed: np.ndarray | None) -> dict:
    """A spectrum entry as chunks send it: an exactly symmetric network as ``P``,
    packed (:mod:`packing`), half the bytes to send to the tiles and to copy
    into R there; any other as ``A``.

    ``spec["A"]`` is the network R rescaled (None: used as it came, ``full``
    and/or ``packed``; ``packed`` None: not exactly symmetric).
    """
    a = spec.pop("A")
    if packed is None:
        return {**spec, "A": full if a is None else a}
    # min-max rescaling keeps a network symmetric
    return {**spec, "P": packed if a is None else a if np.ndim(a) == 1 else packing.pack(a)}



def t_gamma(n: int, directed: bool, net: np.ndarray | None = None) -> float:
    """Optimal gamma for n nodes (directedness of ``net`` when given); cached."""
    key = (int(n), bool(is_directed(net) if net is not None else directed))
    if key not in cache.GAMMAS:
        cache.GAMMAS[key] = engine().optimal_gamma(*key)
    return cache.GAMMAS[key]


def t_pair_distances(pairs: list[tuple[np.ndarray, np.ndarray]], rho: float,
                     gamma: float | None, metric: str = "HIM") -> np.ndarray:
    """H, IM, HIM (one row per pair) of pairs of networks, each pair on its own
    node list (e.g. the nodes both networks share): both spectra, with the
    optimal gamma of the pair's size unless ``gamma`` is given, then the pair.
    ``metric="H"``: H alone (IM and HIM NaN), no spectrum."""
    r, out = engine(), []
    for a, b in pairs:
        nets = [np.asfortranarray(a, dtype=float), np.asfortranarray(b, dtype=float)]
        if metric == "H":
            scaled = [x if s is None else s for x, s in
                      ((x, _rescaled(x, j)) for j, x in enumerate(nets))]
            out.append([r.hamming_pairs(scaled, np.array([[0, 1]]))[0], np.nan, np.nan])
            continue
        directed = any(is_directed(x) for x in nets)
        g = t_gamma(a.shape[0], directed) if gamma is None else gamma
        specs = r.network_spectra(nets, directed, g)
        _count(2)
        scaled = [s["A"] if s["A"] is not None else x for s, x in zip(specs, nets)]
        out.append(r.distance_block_dens(scaled, [s["D"] for s in specs],
                                         np.array([[0, 1]]), rho)[0])
    return np.array(out).reshape(len(pairs), 3)


def t_resample_spectra(chunk: dict, gamma: float | None,
                       full: np.ndarray | None = None, eigen: bool = True) -> dict:
    """:func:`t_spectra` of the networks of a :func:`t_resamples` result; ``gamma=None``:
    the optimal gamma for ``full``, the network inferred on all rows (found here);
    ``eigen=False``: the networks only, rescaled (a Hamming-only distance)."""
    if gamma is None and eigen:
        gamma = t_gamma(full.shape[0], False, full)
    return t_spectra(chunk["nets"], None, gamma, eigen)


def t_block(chunks: list, refs: np.ndarray, pairs: np.ndarray,
            rho: float, metric: str = "HIM") -> dict:
    """H, IM, HIM of a tile of pairs (``values``, one row per pair) and the ``gamma`` used.

    ``refs[l] = (c, k)``: local network ``l`` is spectrum ``k`` of ``chunks[c]``
    (a :func:`t_spectra` or :func:`t_resamples` result); ``pairs`` are local.
    ``metric="H"``: only the Hamming column (the chunks hold networks, no
    spectra); ``"IM"``: only the IM column (the Hamming pass skipped) when the
    densities share one grid. A column not computed is NaN.
    """
    specs = [chunk_spec(chunks[c], k) for c, k in refs]
    gamma, r = specs[0]["gamma"], engine()
    values = np.full((len(pairs), 3), np.nan)
    if metric == "H":  # the same Hamming code as the full blocks', on the same networks
        if all("P" in s for s in specs):
            values[:, 0] = r.hamming_pairs([s["P"] for s in specs], pairs)
        else:
            values[:, 0] = r.hamming_pairs([s["A"] if "A" in s else packing.unpack(s["P"])
                                            for s in specs], pairs)
        return {"values": values, "gamma": gamma}
    same_grid = len({len(s["D"]) for s in specs}) == 1
    if metric == "IM" and same_grid:  # the same IM code as the full blocks', no networks
        values[:, 1] = r.ipsen_pairs([s["D"] for s in specs], pairs)
        return {"values": values, "gamma": gamma}
    if all("P" in s for s in specs):  # symmetric networks, packed
        dens = ({"dens": [s["D"] for s in specs]} if same_grid else
                {"omegas": [s["omega"] for s in specs], "gamma": gamma})
        values = r.distance_block_packed([s["P"] for s in specs], pairs, rho, **dens)
    else:
        nets = [s["A"] if "A" in s else packing.unpack(s["P"]) for s in specs]
        if same_grid:  # pair the densities
            values = r.distance_block_dens(nets, [s["D"] for s in specs], pairs, rho)
        else:  # spectra beyond the rescaled-network bound widen the grid: let R pick one
            values = r.distance_block(nets, [s["omega"] for s in specs], pairs, gamma,
                                           rho)
    if metric == "IM":
        values = np.array(values, dtype=float)
        values[:, [0, 2]] = np.nan
    return {"values": values, "gamma": gamma}
