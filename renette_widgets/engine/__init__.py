"""What runs on dask workers: the R engine (:mod:`.r`, the only rpy2 import),
the task functions, the worker-side caches and numpy reductions.

Nothing here is imported by the client for rpy2's sake: :mod:`.r` is loaded
only inside worker processes (by :mod:`.worker`), so the notebook kernel never
starts R.
"""
