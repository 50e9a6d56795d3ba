"""Python API for analysts: every registered workflow, synchronous or as jobs.

Synchronous functions (:func:`infer`, :func:`distance`, :func:`stability`,
:func:`netstats`, :func:`differential`) are :func:`submit` + ``wait`` + ``result``; they run on the
same dask cluster and write the same store as the dashboard and the CLI.
:func:`submit` runs any workflow of the registry
(:mod:`renette_widgets.workflows`) by name, :func:`load_result`,
:func:`load_job` and :func:`rerun` read the store.

Each workflow's module documents its parameters (the canonical form stored in
a job's manifest) and its result. Every input problem raises
:class:`~renette_widgets.errors.InputError`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import workflows
from .errors import InputError, JobError, TooLargeError
from .io.arrays import StoredMatrix, as_frame
from .io.params import defaults
from .io.networks import read_network as _read_network
from .io.reader import read_matrix as _read_matrix
from .jobs.job import Job
from .jobs.store import Store
from .results import DifferentialResult, StabilityResult
from .workflows.multiplex import layered_inputs

MatrixLike = pd.DataFrame | np.ndarray | str | Path

# Signatures take their defaults from the workflows' parameter specs.
_INFER = defaults(workflows.get("inference").params)
_DIST = defaults(workflows.get("distance").params)
_STAB = defaults(workflows.get("stability").params)
_STATS = defaults(workflows.get("statistics").params)
_DIFF = defaults(workflows.get("differential").params)
_MULTI = defaults(workflows.get("multiplex").params)


def read_matrix(path_or_buffer: Any, kind: str = "data", header: bool = True,
                row_names: bool | None = None, sep: str | None = None,
                orientation: str = "auto", **kwargs: Any) -> pd.DataFrame:
    """Read a data or adjacency matrix from CSV/TSV (see :mod:`renette_widgets.io.reader`).

    Parameters
    ----------
    path_or_buffer : str, Path or file-like
    kind : {"data", "adjacency"}
    header : bool
        Column names in the first row.
    row_names : bool or None
        Row names in the first column; ``None`` detects them.
    sep : str, optional
        Separator; detected when not given.
    orientation : {"auto", "samples-in-rows", "variables-in-rows"}
        Data matrices: a table with genes in rows (GEO, DESeq2/edgeR counts) is
        transposed as it is read; ``"auto"`` decides from its labels and shape,
        says why in ``attrs["notes"]`` and refuses when the evidence is mixed.

    Returns
    -------
    DataFrame
        Float matrix with names; notes for the user in ``df.attrs["notes"]``.
    """
    return _read_matrix(path_or_buffer, kind=kind, header=header, row_names=row_names,
                        sep=sep, orientation=orientation, **kwargs)


def read_network(path_or_buffer: Any, format: str = "auto", *, directed: bool | None = None,
                 weight: str | None = None, **kwargs: Any) -> pd.DataFrame:
    """Read a network: a square adjacency matrix, an edge list (CSV/TSV), GraphML or GML.

    See :func:`renette_widgets.io.networks.read_network` (``self_loops``, ``header``,
    ``row_names``, ``sep``, ``na``, ``name``, ``max_bytes``).

    Parameters
    ----------
    path_or_buffer : str, Path, bytes or file-like
    format : {"auto", "adjacency", "edgelist", "graphml", "gml"}
        Detected from the name and content by default.
    directed : bool or None
        Edge lists: detected (directed when a pair is listed both ways with
        different weights) unless given; graph files follow the file.
    weight : str, optional
        The weight column or edge attribute (default ``weight``; none: 1.0).

    Returns
    -------
    DataFrame
        n x n adjacency with the node names, ``attrs["notes"]`` for the user.
    """
    return _read_network(path_or_buffer, format, directed=directed, weight=weight, **kwargs)


# ---------------------------------------------------------------- inputs

def _as_frame(x: MatrixLike, kind: str, name: str | None) -> pd.DataFrame:
    if isinstance(x, (str, Path)):
        path = Path(x)
        if not path.is_file():
            raise InputError("no such file", file=str(x), hint="Check the path.")
        # a network file may be an adjacency matrix, an edge list, GraphML or GML
        df = (read_network(path, name=name or path.name) if kind == "adjacency"
              else read_matrix(path, kind=kind, name=name or path.name))
        df.attrs.setdefault("source", name or path.name)
        return df
    if isinstance(x, pd.DataFrame):
        return x
    if isinstance(x, StoredMatrix):  # a stored result, e.g. an inferred network
        return x.to_frame()
    if isinstance(x, np.ndarray):
        if x.ndim != 2:
            raise InputError(f"a matrix must be 2-dimensional, got shape {x.shape}",
                             file=name)
        cols = [f"V{j + 1}" for j in range(x.shape[1])]
        index = cols if kind == "adjacency" else None
        return pd.DataFrame(x, columns=cols, index=index)
    raise InputError(f"cannot use a {type(x).__name__} as a matrix", file=name,
                     hint="Give a pandas DataFrame, a numpy array or a file path.")


def named_inputs(inputs: Any, kind: str) -> dict[str, pd.DataFrame]:
    """Inputs as ``{name: DataFrame}`` from a mapping, a sequence or one matrix
    (files are read as ``kind``: ``"data"`` or ``"adjacency"``)."""
    if isinstance(inputs, Mapping):
        items = list(inputs.items())
    elif isinstance(inputs, Sequence) and not isinstance(inputs, str):
        items = []
        for i, x in enumerate(inputs):
            name = Path(x).stem if isinstance(x, (str, Path)) else None
            if isinstance(x, pd.DataFrame):
                name = x.attrs.get("name") or x.attrs.get("source")
            items.append((name or f"net{i + 1}", x))
    else:
        items = [(Path(inputs).stem if isinstance(inputs, (str, Path)) else "input", inputs)]
    out: dict[str, pd.DataFrame] = {}
    for name, x in items:
        name = str(name)
        if name in out:
            raise InputError(f"two inputs are named '{name}'", file=name,
                             hint="Give every input a distinct name.")
        out[name] = _as_frame(x, kind, name)
    if not out:
        raise InputError("no input given", hint="Give at least one matrix.")
    return out


# ---------------------------------------------------------------- jobs

def submit(workflow: str, inputs: Any, params: Mapping | None = None, client=None,
           store=None, drop_constant: bool = False) -> Job:
    """Start a job and return at once.

    Parameters
    ----------
    workflow : str
        A registered workflow (``renette_widgets.workflows.names()``):
        "inference", "distance", "stability", "statistics", ...
    inputs : mapping, sequence, DataFrame or path
        Named matrices (``{name: DataFrame}``) or things to read: data
        matrices or networks, as the workflow takes.
    params : mapping, optional
        Workflow parameters (its module docstring); missing ones take defaults.
    client : distributed.Client, optional
        Default :func:`~renette_widgets.jobs.cluster.get_client`.
    store : Store or False, optional
        Default ``Store()`` (``RENETTE_HOME``); ``False`` keeps results in memory.
    drop_constant : bool
        Data matrices only: drop constant columns (or those of variance below
        the method's ``tol``) with a note in the input's ``attrs["notes"]``,
        instead of refusing the data.

    Returns
    -------
    Job
        Running; watch ``status``/``done``/``total`` or call ``wait()``.

    Raises
    ------
    InputError
        For any problem with the inputs or parameters (before anything runs).
    """
    flow = workflows.get(workflow)
    p = flow.validate_params(params)
    matrices = flow.check_inputs(named_inputs(inputs, flow.input_kind), p, drop_constant)
    store = None if store is False else (store or Store())
    if store is not None:
        store.check()  # a store that cannot be written: an InputError, before any task
    return Job(flow, matrices, p, client=client, store=store).start()


def _run(workflow: str, inputs: Any, params: dict, client, store, timeout,
         drop_constant: bool = False) -> Any:
    job = submit(workflow, inputs, params, client=client, store=store,
                 drop_constant=drop_constant).wait(timeout)
    if job.status != "done":
        if job.error_type == "InputError":  # R rejected the input, in words
            raise InputError(job.error)
        if job.error_type == "TooLargeError":  # refused before it started
            raise TooLargeError(job.error)
        raise JobError(job.error or job.status, job_id=job.id)
    return job.result


def load_result(job_id: str | dict | Path, store: Store | None = None) -> Any:
    """A stored job's result, in the same form as ``Job.result``.

    ``job_id`` may also be a manifest or the path of a ``manifest.json``.
    """
    store = store or Store()
    manifest, folder = store.resolve(job_id)
    return workflows.get(manifest["workflow"]).read_result(manifest.get("results") or {},
                                                           folder / "results")


def load_job(job_id: str | dict | Path, store: Store | None = None) -> Job:
    """A finished :class:`Job` rebuilt from the store (result loaded now)."""
    store = store or Store()
    manifest, folder = store.resolve(job_id)
    flow = workflows.get(manifest["workflow"])
    result = (flow.read_result(manifest.get("results") or {}, folder / "results")
              if manifest["status"] == "done" else None)
    return Job.from_manifest(manifest, folder, flow, result)


def rerun(job_id_or_manifest: str | dict | Path, client=None, store: Store | None = None,
          **changed: Any) -> Job:
    """Run a stored job again (same inputs), optionally with changed params.

    Parameters
    ----------
    job_id_or_manifest : str, dict or Path
        A job id, a manifest dict, or the path of a ``manifest.json``
        (or of its folder).
    client : distributed.Client, optional
    store : Store, optional
        Where the job is read from and the new one written (default ``Store()``).
    **changed
        Parameters to change (top-level keys of the job's params).

    Returns
    -------
    Job
        The new job, started (call ``.wait()``).
    """
    store = store or Store()
    manifest, _ = store.resolve(job_id_or_manifest)
    params = {**manifest["params"], **changed}
    return submit(manifest["workflow"], store.load_inputs(manifest), params, client=client,
                  store=store)


# ---------------------------------------------------------------- one call each

def infer(data: MatrixLike, method: str = _INFER["method"], *, client=None, store=None,
          timeout: float | None = None, seed: int = _INFER["seed"],
          top_variance: int | None = _INFER["top_variance"], drop_constant: bool = False,
          **params: Any) -> pd.DataFrame:
    """Infer a network from a data matrix (samples in rows, variables in columns).

    Parameters
    ----------
    data : DataFrame, ndarray or path
    method : str
        Any of rlib's ``mat2adj`` methods (cor, WGCNA, bicor, TOM, ARACNE,
        CLR, MINE, DTWMIC, c3net, bc3net and the FDR variants).
    seed : int
        ``set.seed`` before inference (stochastic methods).
    top_variance : int, optional
        Keep only the N variables of largest variance (genome-scale data:
        e.g. 5000 of 20,000 genes); noted in ``attrs["notes"]`` of the input.
    drop_constant : bool
        Drop constant columns (variance at most ``tol``) instead of refusing
        the data; the network then lacks those variables.
    **params
        Method parameters, as keyword arguments of R's ``mat2adj``
        (e.g. ``P=6``, ``measure="MIC"``, ``tol=0``).

    Returns
    -------
    DataFrame
        p x p adjacency with the variable names.
    """
    res = _run("inference", {"data": data}, {"methods": {method: params}, "seed": seed,
                                             "top_variance": top_variance},
               client, store, timeout, drop_constant)
    return as_frame(next(iter(res["networks"].values())))


def distance(networks: Any, metric: str = _DIST["metric"], rho: float = _DIST["rho"],
             gamma: float | None = _DIST["gamma"], components: bool = _DIST["components"],
             *, align: str = _DIST["align"], spectrum: str = _DIST["spectrum"],
             multiplex: bool = False, coupling: float = _MULTI["coupling"], client=None,
             store=None, timeout: float | None = None) -> dict[str, Any]:
    """Distances between networks (Hamming, Ipsen-Mikhailov, HIM).

    Parameters
    ----------
    networks : mapping, sequence or path(s)
        Networks (DataFrames, or files: adjacency matrices, edge lists, GraphML,
        GML); one network is compared with the empty network. With
        ``multiplex=True``: two multiplex networks, each a folder of layer files,
        a list of layers or ``{layer: network}`` (the two as a list, or as
        ``{name: layers}``).
    metric : {"HIM", "IM", "H"}
    rho : float
        Weight of IM in HIM (ReNette's xi).
    gamma : float, optional
        Lorentz half-width; automatic (nettools' optimal gamma) by default.
    align : {"names", "shared", "union", "position"}
        How nodes are matched: the same names in every network (default),
        only the nodes all networks share, all nodes (a node missing from a
        network is isolated in it), or by position (names ignored, as
        nettools did; the sizes must match).
    spectrum : {"exact", "approximate"}
        ``"approximate"``: spectral densities by stochastic Lanczos quadrature
        (undirected networks of 10,000+ nodes, minutes faster), with the
        estimated error of each pair in ``IM_error`` and ``HIM_error``.
    multiplex : bool
        The distance between two multiplex networks (nettools' ``mpnetdist`` on
        their supra-adjacencies; the ``multiplex`` workflow), layer k of one
        against layer k of the other, their node sets matched as ``align`` says.
    coupling : float
        Multiplex: weight linking each node to its copies in the other layers.

    Returns
    -------
    dict
        ``H``, ``IM``, ``HIM``: k x k DataFrames with the network names;
        ``gamma``: the value used; with approximate spectra ``IM_error`` and
        ``HIM_error``. With ``multiplex=True``: ``distances`` (columns H, IM,
        HIM; a row per pair of layers, then ``"multiplex"``), ``networks`` and
        ``layers`` (the names compared).
    """
    if multiplex:
        return _run("multiplex", layered_inputs(networks),
                    {"rho": rho, "gamma": gamma, "coupling": coupling, "align": align},
                    client, store, timeout)
    return _run("distance", networks, {"metric": metric, "rho": rho, "gamma": gamma,
                                       "components": components, "align": align,
                                       "spectrum": spectrum},
                client, store, timeout)


def stability(data: MatrixLike, method: str = _STAB["method"], metric: str = _STAB["metric"],
              resampling: str = _STAB["resampling"], k: int = _STAB["k"], h: int = _STAB["h"],
              seed: int = _STAB["seed"], *, indicator: str = _STAB["indicator"], client=None,
              store=None, timeout: float | None = None,
              top_variance: int | None = _STAB["top_variance"], drop_constant: bool = False,
              **params: Any) -> StabilityResult:
    """Stability of the inferred network under resampling (nettools' netSI).

    Parameters
    ----------
    data : DataFrame, ndarray or path
    method : str
        Inference method (``mat2adj``); method parameters go in ``**params``.
    metric : {"HIM", "IM", "H"}
    resampling : {"montecarlo", "kCV", "LOO"}
    k, h : int
        Folds / repetitions as in netSI.
    seed : int
        netSI's ``sseed``: the same seed gives nettools' resamples.
    top_variance : int, optional
        Keep only the N variables of largest variance.
    drop_constant : bool
        Drop constant columns (variance at most ``tol``) instead of refusing
        the data.

    Returns
    -------
    StabilityResult
    """
    return _run("stability", {"data": data},
                {"method": method, "method_params": params, "metric": metric,
                 "resampling": resampling, "k": k, "h": h, "seed": seed,
                 "indicator": indicator, "top_variance": top_variance},
                client, store, timeout, drop_constant)


def netstats(network: MatrixLike, seed: int = _STATS["seed"], *,
             threshold: str = _STATS["threshold"], cut: float = _STATS["cut"],
             top_k: int = _STATS["top_k"], density: float = _STATS["density"], client=None,
             store=None, timeout: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and network statistics of one network.

    Parameters
    ----------
    network : DataFrame, ndarray or path
    seed : int
        Seed of the community detection.
    threshold : {"none", "weight", "top_k", "density"}
        Which edges count: all non-zero weights (default), those with
        ``|weight| > cut``, each node's ``top_k`` strongest, or the strongest
        up to ``density`` of the possible edges. A dense weighted network
        (WGCNA, correlation) needs one: otherwise every degree is n - 1.

    Returns
    -------
    (DataFrame, DataFrame)
        The node table (one row per node: weighted strength, pagerank,
        eigenvector, alpha and clustering_weighted; unweighted degree,
        eccentricity, betweenness, closeness and clustering; community) and
        the network table (one row, with the threshold, the weight cut and the
        edges given and kept).
    """
    res = _run("statistics", {"network": network},
               {"seed": seed, "threshold": threshold, "cut": cut, "top_k": top_k,
                "density": density}, client, store, timeout)
    tables = next(iter(res.values()))
    return tables["nodes"], tables["network"]


def differential(a: Any, b: MatrixLike | None = None, method: str = _DIFF["method"],
                 adjust: str = _DIFF["adjust"], *, n_perm: int = _DIFF["n_perm"],
                 seed: int = _DIFF["seed"], cor_cutoff: float = _DIFF["cor_cutoff"],
                 cor_alpha: float = _DIFF["cor_alpha"], fdr: float = _DIFF["fdr"],
                 node_method: str = _DIFF["node_method"], lp: float = _DIFF["lp"],
                 node_perm: int = _DIFF["node_perm"], threshold: float = _DIFF["threshold"],
                 top_variance: int | None = _DIFF["top_variance"], keep: str = _DIFF["keep"],
                 keep_q: float = _DIFF["keep_q"], distances: bool | str | None = None,
                 sets: Any = None, drop_constant: bool = False, client=None, store=None,
                 timeout: float | None = None, **node_params: Any) -> DifferentialResult:
    """Differential network analysis: which pairs and which nodes change between conditions.

    Parameters
    ----------
    a, b : DataFrame, ndarray or path
        The data matrices of conditions A and B (samples in rows, variables in
        columns), compared on the variables they share (named ``"A"`` and
        ``"B"``, or by their file names). For k >= 2 conditions give ``a`` as a
        mapping ``{name: matrix}`` (or a list) and leave ``b`` out: every pair of
        conditions is compared.
    method : {"pearson", "spearman"}
        Correlation of each pair in each condition (edge level).
    adjust : {"BH", "none", "perm"}
        Adjustment of the p-values of the differences over all pairs;
        ``"perm"``: permutation FDR with ``n_perm`` label permutations and ``seed``
        (the same seed gives the same q-values on any number of workers).
    cor_cutoff, cor_alpha : float
        Correlations above ``cor_cutoff`` are clipped before the Fisher
        transformation; a correlation is + or - in a pair's class when its
        p-value is below ``cor_alpha``.
    fdr : float
        Pairs with ``q_diff <= fdr`` are significant (``result.significant()``).
    node_method : str
        Inference method of each condition's network (node level, distances);
        its parameters in ``**node_params`` (e.g. ``P=6`` for WGCNA).
    lp : float
        Node change ``d_i = sum_j |A_ij - B_ij|^lp``.
    node_perm : int
        Label permutations of the node test (0: none).
    threshold : float
        Across conditions, an edge is present in a condition when ``|r| > threshold``.
    top_variance : int, optional
        Keep only the N variables of largest variance (over all samples).
    keep : {"all", "q"}
        Which pairs are stored: all of them, or those with ``q_diff <= keep_q``
        (the class counts and per-node numbers are over all pairs either way).
    keep_q : float
        The q-value up to which pairs are stored with ``keep="q"`` (0.25).
    distances : bool or {"auto", "yes", "no"}, optional
        Compute H, IM and HIM between the conditions' networks (a full spectrum
        of each); None or "auto": up to 2,000 variables.
    sets : path, mapping or "modules", optional
        Gene sets: a GMT file, a two-column CSV (set, gene) or ``{set: [genes]}``;
        ``"modules"``: the modules of the pooled network (hierarchical clustering
        cut by ``dynamicTreeCut``). Per set: mean z_diff and mean |r_B| - |r_A| of
        its pairs, its summed ``d`` and a permutation p-value of it (the node
        test's permutations), BH over sets: ``result.comparison().sets``.
    drop_constant : bool
        Drop constant columns instead of refusing the data.

    Returns
    -------
    DifferentialResult
        ``pairs()``, ``significant()``, ``nodes()``, ``comparison(name)``, the
        k x k ``H``, ``IM``, ``HIM`` between the conditions' networks, ``edges``
        (the summary across conditions) and ``networks``.
    """
    if b is None:
        inputs = a
    else:
        names = [Path(x).stem if isinstance(x, (str, Path)) else d for x, d in ((a, "A"), (b, "B"))]
        if names[0] == names[1]:
            names = ["A", "B"]
        inputs = dict(zip(names, (a, b)))
    params = {"method": method, "adjust": adjust, "n_perm": n_perm, "seed": seed,
              "cor_cutoff": cor_cutoff, "cor_alpha": cor_alpha, "fdr": fdr,
              "node_method": node_method, "node_method_params": node_params, "lp": lp,
              "node_perm": node_perm, "threshold": threshold, "top_variance": top_variance,
              "keep": keep, "keep_q": keep_q, "distances": distances, "sets": sets}
    return _run("differential", inputs, params, client, store, timeout, drop_constant)
