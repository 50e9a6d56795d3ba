"""The distance step: spectra, tiles of pairs and the H / IM / HIM matrices.

The distance, differential and stability workflows all compare networks the
same way: a chunk task per group of networks computes their spectra and
IM-grid densities (:func:`~renette_widgets.engine.spectra.t_spectra`, or the
resample chunks of a stability job), a tile task per group of pairs computes
their distances from the chunks (:func:`~renette_widgets.engine.spectra.t_block`),
and the tiles' values fill k x k matrices. :class:`DistanceStep` is that step,
for one choice of distance:

- ``metric="H"``: no spectrum is computed (the chunks only rescale and pack
  the networks), only H is returned;
- ``metric="IM"``: the tiles skip the Hamming pass and the chunks send no
  networks to them, only IM is returned;
- ``metric="HIM"``: all three are computed; ``components=False`` returns HIM
  alone.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.spectra import t_block, t_spectra
from ..jobs.grain import n_tiles, pair_tiles
from ..jobs.plan import Plan, map_tasks, submit_task

#: The distances, in the column order of every tile's values.
COMPONENT_NAMES = ("H", "IM", "HIM")


@dataclass(frozen=True)
class DistanceStep:
    """Which distance a job computes and returns.

    Attributes
    ----------
    metric : {"HIM", "IM", "H"}
        The distance (HIM combines H and IM).
    rho : float
        Weight of IM in HIM.
    gamma : float or None
        Lorentz half-width of IM (None: the optimal gamma, found by the chunks).
    components : bool
        With ``metric="HIM"``: also return H and IM.
    """

    metric: str = "HIM"
    rho: float = 1.0
    gamma: float | None = None
    components: bool = True

    @classmethod
    def of(cls, params: Mapping) -> DistanceStep:
        """The step a job's validated parameters ask for (missing ones: defaults)."""
        return cls(metric=params.get("metric", "HIM"), rho=float(params.get("rho", 1.0)),
                   gamma=params.get("gamma"), components=bool(params.get("components", True)))

    @property
    def eigen(self) -> bool:
        """Whether spectra are computed (IM and HIM need them, H does not)."""
        return self.metric != "H"

    @property
    def outputs(self) -> tuple[str, ...]:
        """The distances a result holds."""
        if self.metric == "HIM" and self.components:
            return COMPONENT_NAMES
        return (self.metric,)

    @property
    def stage(self) -> str:
        """What the chunk stage is called in a job's progress."""
        return "spectra" if self.eigen else "networks"

    def chunks(self, client, plan: Plan, keys: list[str], groups: list[list],
               directed: bool | None, priority: int, place: dict[str, str]) -> list:
        """One chunk task per group of networks (arrays, packed arrays, stored
        matrices' paths, or futures of networks); returns their futures."""
        c = len(groups)
        return map_tasks(client, plan, self.stage, keys, t_spectra, groups, [directed] * c,
                         [self.gamma] * c, [self.eigen] * c, [self.metric != "IM"] * c,
                         priority=priority, place=place)

    def chunk(self, client, plan: Plan, key: str, nets: list, priority: int,
              place: dict[str, str] | None = None):
        """One chunk task of its own (each network's directedness its own)."""
        return submit_task(client, plan, self.stage, key, t_spectra, nets, None, self.gamma,
                           self.eigen, self.metric != "IM", priority=priority, place=place)

    def tiles(self, client, plan: Plan, where: list, pairs: np.ndarray, n: int, workers: int,
              job_id: str, priority: int, tag: str) -> list:
        """Submit the tiles of ``pairs`` (m x 2); returns [(tile's pairs, future)].

        ``where[g] = (chunk future, k)``: network ``g`` is the k-th of that chunk's.
        """
        out = []
        for t, tile in enumerate(pair_tiles(pairs, len(where),
                                            n_tiles(len(pairs), len(where), n, workers))):
            nodes = np.unique(tile).tolist()
            lp = np.searchsorted(nodes, tile)  # local network numbers
            chunks = list({id(where[g][0]): where[g][0] for g in nodes}.values())
            pos = {id(c): ci for ci, c in enumerate(chunks)}
            refs = np.array([(pos[id(where[g][0])], where[g][1]) for g in nodes], dtype=np.int64)
            fut = submit_task(client, plan, "distances", f"{tag}-tile-{t}-{job_id}", t_block,
                              chunks, refs, lp, float(self.rho), self.metric,
                              priority=priority)
            out.append((tile, fut))
        return out

    def values(self, tiles: list, got: dict, size: int, component: str,
               fill: float = 0.0) -> np.ndarray:
        """The ``size`` x ``size`` matrix of ``component`` (``fill`` where no pair
        was computed): ``got`` maps a tile future's key to its result."""
        out = np.full((size, size), fill)
        col = COMPONENT_NAMES.index(component)
        for tile, fut in tiles:
            v = np.asarray(got[fut.key]["values"])[:, col]
            out[tile[:, 0], tile[:, 1]] = v
            out[tile[:, 1], tile[:, 0]] = v
        return out

    def matrices(self, tiles: list, got: dict, names: list[str]) -> dict[str, pd.DataFrame]:
        """``{component: k x k DataFrame}`` of the components the step returns."""
        return {c: pd.DataFrame(self.values(tiles, got, len(names), c), index=names,
                                columns=names) for c in self.outputs}

    def gamma_used(self, tiles: list, got: dict) -> float | None:
        """The gamma the tiles used (None: no spectrum, or no tile)."""
        if not self.eigen or not tiles:
            return None
        g = got[tiles[0][1].key]["gamma"]
        return None if g is None else float(g)
