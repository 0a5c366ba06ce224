"""The measures a picture shows, taken from the metrics layer before anything is drawn."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from netkoop.metrics.overview import Overview, overview
from netkoop.metrics.structure import UNIT_COLUMNS, unit_structure
from netkoop.render.drawing import Drawing
from netkoop.render.options import RenderOptions

#: Above this many units, a structure measure asked for by ``size_by`` uses sampled
#: betweenness, so that drawing a national network takes seconds, not minutes.
EXACT_LIMIT = 2000


@dataclass(frozen=True, eq=False)
class Shown:
    """The measures of one picture.

    Attributes
    ----------
    current
        The overview of the network drawn (or the what-if of a comparison).
    base
        The overview of the network it is compared with, if any.
    extra
        Further measures per unit of ``current``, indexed by unit id: the caller's
        ``metrics``, and the `netkoop.metrics.unit_structure` column that ``size_by`` names.
    """

    current: Overview
    base: Overview | None
    extra: pd.DataFrame


def measure(drawing: Drawing, options: RenderOptions) -> Shown:
    """Take the measures that the picture of ``drawing`` shows with ``options``."""
    network = drawing.current
    current = overview(network)
    base = overview(drawing.base) if drawing.base is not None else None
    index = current.units.index
    extra = options.metrics if options.metrics is not None else pd.DataFrame(index=index)
    extra = extra.reindex(index)
    wanted = options.size_by
    if (
        wanted in UNIT_COLUMNS
        and wanted not in extra.columns
        and wanted not in current.units.columns
        and wanted not in network.units.columns
    ):
        many = len(network.units) > EXACT_LIMIT
        structure = unit_structure(
            network,
            betweenness="sampled" if many else "exact",
            seed=options.seed if many else None,
        )
        extra = extra.join(structure[[wanted]].reindex(index))
    return Shown(current, base, extra)
