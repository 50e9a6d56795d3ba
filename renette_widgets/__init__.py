"""ReNette: differential network analysis in Jupyter.

The layers, each using only those below it (``docs/architecture.md``):
``errors``, ``results``, ``config``, ``symmetry``, ``figures``; ``io`` (reading
and checking inputs on the client) and ``engine`` (what runs on dask workers,
the only place R is started); ``jobs`` (dask plumbing, the Job, the store);
``workflows`` (one file per workflow, a registry); ``api``, ``cli``,
``serve`` and ``widgets`` (the front doors).
"""
from ._version import __version__
from .api import (differential, distance, infer, load_job, load_result, netstats, read_matrix,
                  read_network, rerun, stability, submit)
from .errors import InputError, JobError, TooLargeError
from .jobs.cluster import describe as describe_cluster
from .jobs.cluster import get_client
from .jobs.job import Job
from .jobs.store import Store
from .results import DifferentialResult, StabilityResult

__all__ = ["read_matrix", "read_network", "infer", "distance", "stability", "netstats",
           "differential", "submit",
           "load_result", "load_job", "rerun", "Job", "InputError", "JobError", "TooLargeError",
           "StabilityResult", "DifferentialResult", "Store", "get_client", "describe_cluster", "__version__"]
