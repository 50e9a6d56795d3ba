"""Worker-side calls into the R engine (the only module that imports rpy2).

This module is imported only inside dask worker processes (by
:mod:`renette_widgets.engine.worker`, from the worker plugin and the task
functions).  Importing rpy2 starts an embedded R and
rewrites ``LD_LIBRARY_PATH``; doing that in the notebook kernel would break
worker processes started later.

Every call converts numpy arrays in and out inside
``localconverter(default_converter + numpy2ri.converter)`` and passes
parameters as typed keyword arguments of R functions fetched by name: no R
source text is ever built from user input.
"""
from __future__ import annotations

import math
import os
import threading
from typing import Any

import numpy as np

from ..config import r_vsize
from ..errors import InputError
from . import packing

_STARTED = False
_RENGINE_CACHE: dict[str, Any] = {}
# R is single-threaded: should a worker run with more than one thread anyway,
# calls into R still go one at a time.
_R_LOCK = threading.RLock()


def start(r_libs: str | None = None, memory_limit: int | None = None) -> None:
    """Start R once in this process and load renette (idempotent, cheap).

    Parameters
    ----------
    r_libs : str, optional
        Directory with the installed ``renette`` R package, prepended to
        ``.libPaths()``.
    memory_limit : int, optional
        The worker's memory limit in bytes, to size R's heap (:func:`r_vsize`);
        an ``R_VSIZE`` set in the environment wins.
    """
    global _STARTED
    if _STARTED:  # every task calls this: no lock, no R call once started
        return
    with _R_LOCK:
        if not _STARTED:
            _start(r_libs, memory_limit)
            _STARTED = True


def _start(r_libs: str | None, memory_limit: int | None) -> None:
    # BLAS threads would fight the dask workers for the same cores.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    # Read by R when it starts, i.e. when rpy2 is first imported below.
    os.environ.setdefault("R_VSIZE", str(r_vsize(memory_limit)))
    import warnings
    # R is started on purpose in the worker's task thread (see worker.RPlugin).
    warnings.filterwarnings("ignore", message="R is not initialized by the main thread")
    import rpy2.rinterface_lib.callbacks as callbacks
    import rpy2.robjects as ro

    # R's console chatter (package start-up messages) must not flood the
    # worker log.
    callbacks.consolewrite_print = lambda s: None
    callbacks.consolewrite_warnerror = lambda s: None
    if r_libs:
        ro.r[".libPaths"](ro.StrVector([r_libs] + list(ro.r[".libPaths"]())))
    suppress = ro.r["suppressPackageStartupMessages"]
    for pkg in ("WGCNA", "renette"):
        if not str(ro.r["system.file"](package=pkg)[0]):
            raise RuntimeError(
                f"the R package {pkg!r} is not installed for this worker "
                f"(.libPaths: {list(ro.r['.libPaths']())}); run `make` or set "
                "RENETTE_R_LIBS to the library holding it")
    suppress(ro.r["requireNamespace"]("renette", quietly=True))
    # WGCNA takes seconds of CPU to load and only the WGCNA, TOM and bicor methods
    # use it: R loads it (once) when one of them first runs here, not at every
    # worker's start. It may start threads of its own; one per worker is the rule.
    ro.r("setHook(packageEvent('WGCNA', 'onLoad'), "
         "function(...) WGCNA::disableWGCNAThreads())")


def _rfun(name: str, pkg: str = "renette"):
    """An R function (raw rinterface object) by name from a package namespace."""
    key = f"{pkg}::{name}"
    if key not in _RENGINE_CACHE:
        import rpy2.rinterface as ri
        ns = ri.baseenv["asNamespace"](ri.StrSexpVector([pkg]))
        _RENGINE_CACHE[key] = ri.baseenv["get"](ri.StrSexpVector([name]), envir=ns)
    return _RENGINE_CACHE[key]


def _r_doubles(shape: tuple[int, ...]) -> tuple[Any, np.ndarray]:
    """A new R double vector (an array when ``shape`` has 2+ dimensions) and a
    writable numpy view of its memory (column-major), to fill in one copy.

    numpy2ri copies twice (into an R vector, then R's ``array()`` copies
    again), and a numpy array handed over as a buffer is copied once more;
    networks are megabytes (the saving is measured in benchmarks/RESULTS.md,
    "Measurements the code relies on").
    """
    import rpy2.rinterface as ri
    with _R_LOCK:
        vec = ri.baseenv["numeric"](ri.IntSexpVector([math.prod(shape)]))
    # (rpy2 gives no memoryview of an empty vector: nothing to write there)
    view = (np.frombuffer(vec.memoryview(), dtype=np.float64).reshape(shape, order="F")
            if math.prod(shape) else np.empty(shape))
    if len(shape) > 1:
        vec.do_slot_assign("dim", ri.IntSexpVector(list(shape)))
    return vec, view


def _r_array(a: np.ndarray) -> Any:
    """A float64 array as an R double vector/matrix/array, copied once."""
    vec, view = _r_doubles(a.shape)
    view[...] = a
    return vec


def _r_value(value: Any) -> Any:
    """A Python parameter as an R value (typed, never source text)."""
    import rpy2.rinterface as ri
    import rpy2.robjects as ro
    if value is None:
        return ro.NULL
    if isinstance(value, bool):
        return ro.BoolVector([value])
    if isinstance(value, (int, np.integer)):
        return ro.IntVector([int(value)])
    if isinstance(value, (float, np.floating)):
        return ro.FloatVector([float(value)])
    if isinstance(value, str):
        return ro.StrVector([value])
    if isinstance(value, np.ndarray):
        return _r_array(value) if value.dtype == np.float64 else value
    if isinstance(value, ri.Sexp):  # already an R value (e.g. :func:`_stack`)
        return value
    raise TypeError(f"parameter value {value!r} of type {type(value).__name__} "
                    "cannot be passed to R")


# A fixed R wrapper (constant source, never user input): it tells input
# errors (class renette_input_error) from other R errors and keeps R's own
# message, which rpy2's exception text mangles. R's warnings are muffled: the
# methods' own (e.g. WGCNA's on zero-variance columns) restate what the input
# checks already told the user, and they would flood the worker log.
_SAFE_CALL = """
function(f, args) {
  withCallingHandlers(
    tryCatch(do.call(f, args),
             renette_input_error = function(e) structure(list(conditionMessage(e)), class = "renette_failed_input"),
             error = function(e) structure(list(conditionMessage(e)), class = "renette_failed")),
    warning = function(w) invokeRestart("muffleWarning"))
}
"""


def _call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call an R function of renette with converted, typed arguments.

    Returns the raw R value (convert it with :func:`_py`).

    Raises
    ------
    InputError
        When R signals a ``renette_input_error`` (a user mistake).
    RuntimeError
        For any other R error, with R's message (a builtin exception, so the
        client can unpickle it without rpy2; the worker keeps serving).
    """
    import rpy2.rinterface as ri
    import rpy2.robjects as ro
    if "safe_call" not in _RENGINE_CACHE:
        _RENGINE_CACHE["safe_call"] = ri.baseenv["eval"](ri.parse(_SAFE_CALL))
    py2rpy = ro.conversion.get_conversion().py2rpy
    values = [py2rpy(_r_value(v)) for v in list(args) + list(kwargs.values())]
    with _R_LOCK:
        rargs = ri.ListSexpVector(values)
        names = [""] * len(args) + list(kwargs)
        rargs = ri.baseenv["names<-"](rargs, ri.StrSexpVector(names))
        value = _RENGINE_CACHE["safe_call"](_rfun(name), rargs)
    klass = list(ri.baseenv["class"](value))
    if "renette_failed_input" in klass:
        raise InputError(str(value[0][0]))
    if "renette_failed" in klass:
        raise RuntimeError(f"R error in {name}(): {value[0][0]}")
    return value


def _py(value: Any) -> Any:
    """A raw R value as Python (numpy arrays for vectors and matrices)."""
    import rpy2.robjects as ro
    return ro.conversion.get_conversion().rpy2py(value)


def converter():
    """The conversion context every task opens."""
    from rpy2.robjects import default_converter, numpy2ri
    from rpy2.robjects.conversion import localconverter
    return localconverter(default_converter + numpy2ri.converter)


def _matrix(a: np.ndarray) -> np.ndarray:
    """A float64 Fortran-ordered copy (what numpy2ri sends to R as a matrix)."""
    return np.asfortranarray(np.asarray(a, dtype=float))


def _stack(nets: list[np.ndarray]) -> Any:
    """Networks as one n x n x N R double array (R's ``adj`` / ``A`` arguments),
    each copied once, straight into R's memory; a 1-D network is a packed
    symmetric one (:mod:`packing`), unpacked there."""
    n = max(packing.nodes(a) if np.ndim(a) == 1 else np.shape(a)[0] for a in nets)
    vec, view = _r_doubles((n, n, len(nets)))
    for j, a in enumerate(nets):
        if np.ndim(a) == 1:
            packing.unpack_into(a, view[:, :, j])
        else:
            view[:, :, j] = a
    return vec


def _packed(packed: list[np.ndarray]) -> Any:
    """Packed networks as the columns of one R matrix, copied once, straight into R."""
    vec, view = _r_doubles((len(packed[0]), len(packed)))
    for j, p in enumerate(packed):
        view[:, j] = p
    return vec


def _r_pairs(pairs: np.ndarray) -> np.ndarray:
    """0-based index pairs as R's 1-based integer matrix."""
    return np.asfortranarray(np.asarray(pairs, dtype=np.int32) + 1)


def versions() -> dict:
    """R version, its BLAS and LAPACK, and the R packages the engine uses.

    BLAS/LAPACK are recorded because they set the last digits of results
    (and the speed): Debian switches them system-wide through alternatives.
    """
    import rpy2.rinterface as ri
    with _R_LOCK:
        out = {"R": str(ri.baseenv["R.version.string"][0]), "packages": {}}
        soft = _rfun("extSoftVersion", pkg="base")()
        out["BLAS"] = str(soft[list(soft.names).index("BLAS")])
        out["LAPACK"] = str(_rfun("La_library", pkg="base")()[0])
        for pkg in ("renette", "WGCNA", "minerva", "igraph"):
            try:
                v = _rfun("packageVersion", pkg="utils")(ri.StrSexpVector([pkg]))
                out["packages"][pkg] = str(ri.baseenv["as.character"](v)[0])
            except Exception:  # noqa: BLE001 - a missing package is reported, not fatal
                out["packages"][pkg] = None
    return out


def mat2adj(x: np.ndarray, method: str, params: dict, seed: int | None = 0) -> np.ndarray:
    """``renette::mat2adj`` on a samples x variables matrix.

    ``set.seed(seed)`` runs first so that stochastic methods (FDR, bc3net)
    are reproducible, as with nettools' own calling convention.
    """
    import rpy2.rinterface as ri
    with _R_LOCK, converter():  # set.seed and mat2adj together
        if seed is not None:
            ri.baseenv["set.seed"](ri.IntSexpVector([int(seed)]))
        res = _call("mat2adj", _matrix(x), **{"infer.method": method, **params})
        if res is ri.NULL:
            raise RuntimeError(f"mat2adj({method}) returned NULL: a column has "
                               "(near-)zero variance")
        return np.array(_py(res), dtype=float)


def mine_rows(x: np.ndarray, rows: list[int], params: dict) -> np.ndarray:
    """``renette::mine_rows``: MINE of columns ``rows`` (0-based) vs later ones.

    Returns the ``len(rows) x p`` rows of the upper triangle.
    """
    kw = {k: v for k, v in params.items() if k in ("measure", "alpha", "C", "tol")}
    with converter():
        res = _call("mine_rows", _matrix(x), np.asarray(rows, dtype=np.int32) + 1, **kw)
        return np.array(_py(res), dtype=float)[list(rows), :]


def mine_finish(x: np.ndarray, upper: np.ndarray, params: dict) -> np.ndarray:
    """``renette::mine_finish``: the MINE network from its upper triangle."""
    kw = {k: v for k, v in params.items() if k in ("measure", "var.thr", "tol")}
    with converter():
        return np.array(_py(_call("mine_finish", _matrix(x), _matrix(upper), **kw)),
                        dtype=float)


def network_spectra(nets: list[np.ndarray], directed: bool, gamma: float) -> list[dict]:
    """``renette::network_spectra`` of n x n or packed (:mod:`packing`) networks, in
    one R call: per network ``A`` (rescaled as nettools does; None when already in
    [0, 1]), ``omega`` (Laplacian spectrum) and ``D`` (density on the IM grid)."""
    import rpy2.rinterface as ri
    with converter():
        res = _call("network_spectra", _stack(nets), directed=bool(directed),
                    gamma=float(gamma))
        return [{"A": None if s is ri.NULL else np.asarray(_py(s), dtype=float),
                 "omega": np.asarray(_py(om), dtype=float).ravel(),
                 "D": np.asarray(_py(d), dtype=float).ravel()}
                for s, om, d in zip(res[0], res[1], res[2])]


def spectrum_density(omega: np.ndarray, gamma: float) -> np.ndarray:
    """``renette::spectrum_density``: a spectrum's IM density on the quadrature grid."""
    with converter():
        res = _py(_call("spectrum_density", np.asarray(omega, dtype=float), float(gamma)))
        return np.asarray(res, dtype=float).ravel()


def optimal_gamma(n: int, directed: bool = False) -> float:
    """``renette::optimal_gamma``."""
    with converter():
        res = _py(_call("optimal_gamma", int(n), directed=bool(directed)))
        return float(np.ravel(res)[0])


def distance_block(nets: list[np.ndarray], omegas: list[np.ndarray],
                   pairs: np.ndarray, gamma: float, rho: float) -> np.ndarray:
    """``renette::distance_block`` of rescaled networks and their spectra (local
    numbering), ``pairs`` m x 2 0-based: m x 3, columns H, IM, HIM."""
    with converter():
        res = _py(_call("distance_block", _stack(nets), _matrix(np.column_stack(omegas)),
                        _r_pairs(pairs), float(gamma), rho=float(rho)))
        return np.array(res, dtype=float).reshape(len(pairs), 3)


def distance_block_dens(nets: list[np.ndarray], dens: list[np.ndarray], pairs: np.ndarray,
                        rho: float) -> np.ndarray:
    """``renette::distance_block_dens``: as :func:`distance_block`, from densities."""
    with converter():
        res = _py(_call("distance_block_dens", _stack(nets), _matrix(np.column_stack(dens)),
                        _r_pairs(pairs), rho=float(rho)))
        return np.array(res, dtype=float).reshape(len(pairs), 3)


def distance_block_packed(packed: list[np.ndarray], pairs: np.ndarray, rho: float,
                          dens: list[np.ndarray] | None = None,
                          omegas: list[np.ndarray] | None = None,
                          gamma: float | None = None) -> np.ndarray:
    """``renette::distance_block_packed``: as :func:`distance_block_dens` for symmetric
    networks packed (:mod:`packing`), or from ``omegas`` and ``gamma``."""
    kw = ({"D": _matrix(np.column_stack(dens))} if dens is not None else
          {"spectra": _matrix(np.column_stack(omegas)), "gamma": float(gamma)})
    with converter():
        res = _py(_call("distance_block_packed", _packed(packed), packing.nodes(packed[0]),
                        _r_pairs(pairs), rho=float(rho), **kw))
        return np.array(res, dtype=float).reshape(len(pairs), 3)


def hamming_pairs(nets: list[np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """H of each pair (0-based) by the loops the distance blocks run (renette's
    ``packed_hamming_sums`` when every network is packed, else ``pair_hamming``):
    the same numbers as their H column, without spectra."""
    n = packing.nodes(nets[0]) if np.ndim(nets[0]) == 1 else np.shape(nets[0])[0]
    with converter():
        if all(np.ndim(a) == 1 for a in nets):
            sums = _call("packed_hamming_sums", _packed(nets), _r_pairs(pairs), n * (n - 1) // 2)
            return np.asarray(_py(sums), dtype=float).ravel() / (n * (n - 1))
        res = _call("pair_hamming", _stack(nets), _r_pairs(pairs), int(n))
        return np.asarray(_py(res), dtype=float).ravel()


def ipsen_pairs(dens: list[np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """IM of each pair from densities on one grid (renette's ``pair_ipsen``, the IM
    of :func:`distance_block_dens`): no Hamming pass."""
    with converter():
        res = _call("pair_ipsen", _matrix(np.column_stack(dens)), _r_pairs(pairs))
        return np.asarray(_py(res), dtype=float).ravel()


def resampling_indices(n: int, method: str, k: int, h: int, seed: int) -> list[np.ndarray]:
    """``renette::resampling_indices``: 0-based row index sets."""
    with converter():
        res = _call("resampling_indices", int(n), **{"resamp.method": method,
                    "k": int(k), "h": int(h), "sseed": int(seed)})
        return [np.asarray(_py(v), dtype=np.int64).ravel() - 1 for v in res]


def netsi_sw(nets: list[np.ndarray], symm: bool = True) -> np.ndarray:
    """``renette::netsi_sw``: Sw of every edge, in netsi_sw's order (jobs compute it
    from per-chunk extremes, :func:`renette_widgets.engine.tasks.t_sw`; this is the reference)."""
    with converter():
        return np.array(_py(_call("netsi_sw", _stack(nets), symm=bool(symm))),
                        dtype=float).ravel()


def netsi_sd_strengths(out_s: np.ndarray, in_s: np.ndarray) -> np.ndarray:
    """``renette::netsi_sd_strengths``: Sd per node from R x p out and in strengths
    (in then out values when they differ)."""
    with converter():
        return np.array(_py(_call("netsi_sd_strengths", _matrix(out_s), _matrix(in_s))),
                        dtype=float).ravel()


def netstats(a: np.ndarray, seed: int = 0) -> dict:
    """``renette::netstats``: ``{"nodes": {col: list}, "network": {col: list}}``."""
    import rpy2.rinterface as ri
    with converter():
        res = _call("netstats", _matrix(a), seed=int(seed))
        names = list(ri.baseenv["names"](res))
        return {key: _columns(res[names.index(key)]) for key in ("nodes", "network")}


def _columns(df: Any) -> dict:
    """An R data.frame (raw) as ``{column: list}``, factors as their labels."""
    import rpy2.rinterface as ri
    out = {}
    for name, col in zip(ri.baseenv["names"](df), df):
        if ri.baseenv["is.factor"](col)[0]:
            col = ri.baseenv["as.character"](col)
        out[str(name)] = np.asarray(_py(col)).ravel().tolist()
    return out


# ---------------------------------------------------------------- differential networks
DIFFCOR_COLUMNS = ("r_A", "p_A", "r_B", "p_B", "z_diff", "p_diff")


def diffcor_values(x: np.ndarray, y: np.ndarray, method: str, cor_cutoff: float,
                   cor_alpha: float) -> dict[str, np.ndarray]:
    """``renette::diffcor_values``: the numbers of every pair i < j (row-major) of two
    conditions, no names: ``DIFFCOR_COLUMNS`` (float64) and ``class`` (int8 codes 1..9)."""
    with converter():
        res = _call("diffcor_values", _matrix(x), _matrix(y), method=method,
                    cor_cutoff=float(cor_cutoff), cor_alpha=float(cor_alpha))
        # a column at a time (100 MB each at 5000 variables)
        out = {k: np.asarray(_py(res[i]), dtype=float).ravel()
               for i, k in enumerate(DIFFCOR_COLUMNS)}
        out["class"] = np.asarray(_py(res[6])).ravel().astype(np.int8)
        return out


def diffcor_perm_counts(x: np.ndarray, y: np.ndarray, perms: list[int], method: str,
                        cor_cutoff: float, seed: int) -> np.ndarray:
    """``renette::diffcor_perm_counts`` of permutations ``perms`` (numbers >= 1), the
    observed z computed in R."""
    with converter():
        return np.asarray(_py(_call(
            "diffcor_perm_counts", _matrix(x), _matrix(y), None, np.asarray(perms, np.int32),
            method=method, cor_cutoff=float(cor_cutoff), seed=int(seed))), dtype=float).ravel()


def diffconn(a: np.ndarray, b: np.ndarray, lp: float) -> np.ndarray:
    """``renette::diffconn``: per node, sum_j |A_ij - B_ij|^lp."""
    with converter():
        return np.asarray(_py(_call("diffconn", _matrix(a), _matrix(b), lp=float(lp))),
                          dtype=float).ravel()


def diffconn_perm_counts(x: np.ndarray, y: np.ndarray, method: str, params: dict,
                         perms: list[int], seed: int, lp: float, d_obs: np.ndarray) -> np.ndarray:
    """``renette::diffconn_perm_counts``: per node, how many permutations in ``perms``
    change it at least as much as ``d_obs`` (``params``: typed mat2adj arguments)."""
    import rpy2.rinterface as ri
    with converter():
        plist = ri.ListSexpVector([_r_value(v) for v in params.values()])
        plist = ri.baseenv["names<-"](plist, ri.StrSexpVector([str(k) for k in params]))
        return np.asarray(_py(_call(
            "diffconn_perm_counts", _matrix(x), _matrix(y), method=method, params=plist,
            perms=np.asarray(perms, np.int32), seed=int(seed), lp=float(lp),
            d_obs=np.asarray(d_obs, dtype=float)))).ravel().astype(np.int64)


def hamming_node_share(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``renette::hamming_node_share`` of the networks rescaled as ``netdist`` does
    (``rescale_network``): the shares split the H of their distance."""
    with converter():  # the rescaled networks stay in R
        return np.asarray(_py(_call("hamming_node_share", _call("rescale_network", _matrix(a)),
                                    _call("rescale_network", _matrix(b)))), dtype=float).ravel()


def mpnetdist(x: np.ndarray, y: np.ndarray, inter: np.ndarray, rho: float,
              gamma: float | None) -> np.ndarray:
    """``renette::mpnetdist`` of two multiplex networks (n x n x l arrays of layers,
    one l x l inter-layer matrix ``inter``): H, IM, HIM of their supra-adjacencies."""
    import rpy2.rinterface as ri
    with converter():
        nets = [ri.baseenv["names<-"](ri.ListSexpVector([_r_array(_matrix(inter)), _r_array(a)]),
                                      ri.StrSexpVector(["I", "L"])) for a in (x, y)]
        return np.asarray(_py(_call("mpnetdist", *nets, d="HIM", ga=gamma, rho=float(rho))),
                          dtype=float).ravel()


def network_modules(a: np.ndarray, min_size: int = 10, deep_split: int = 2) -> np.ndarray:
    """``renette::network_modules``: a module number per node (0: none), from
    ``hclust`` of ``1 - A`` cut by ``dynamicTreeCut::cutreeDynamic``."""
    with converter():
        return np.asarray(_py(_call("network_modules", _matrix(a), min_size=int(min_size),
                                    deep_split=int(deep_split))), dtype=np.int64).ravel()
