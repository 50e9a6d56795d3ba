"""ReNette: differential network analysis in Jupyter."""
__version__ = "0.1.0"

from .api import distance, infer, netstats, read_matrix, stability, submit  # noqa: E402
from .cluster import get_client  # noqa: E402
from .errors import InputError, JobError  # noqa: E402
from .jobs import Job  # noqa: E402
from .results import StabilityResult  # noqa: E402
from .store import Store  # noqa: E402

__all__ = ["read_matrix", "infer", "distance", "stability", "netstats", "submit", "Job",
           "InputError", "JobError", "StabilityResult", "Store", "get_client"]
