"""Compare two networks for drawing: which units and ties one adds to or removes from the other."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from netkoop.network import Network, tie_keys
from netkoop.render.scene import Drawing

#: Status codes of units and ties in a comparison.
SAME, ADDED, REMOVED = 0, 1, 2


def compare(base: Network, whatif: Network) -> Drawing:
    """Return the drawing of ``whatif`` against ``base``: every unit and tie of either.

    Units and ties of ``whatif`` come first, in its order, then those only ``base`` has.

    Examples
    --------
    >>> import netkoop
    >>> net = netkoop.load("beispielregion")
    >>> more = net.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    >>> drawing = compare(net, more)
    >>> int((drawing.tie_status == ADDED).sum()), int((drawing.tie_status == REMOVED).sum())
    (1, 0)
    """
    new_units = whatif.units
    old_units = base.units
    gone_units = old_units[~old_units["id"].isin(new_units["id"])]
    units = pd.concat([new_units, gone_units], ignore_index=True)
    unit_status = np.where(
        ~units["id"].isin(old_units["id"]).to_numpy(),
        ADDED,
        np.where(units["id"].isin(new_units["id"]).to_numpy(), SAME, REMOVED),
    ).astype(np.int8)

    new_ties = whatif.ties.reset_index(drop=True)
    old_ties = base.ties.reset_index(drop=True)
    new_keys = tie_keys(new_ties)
    old_keys = tie_keys(old_ties)
    gone = ~old_keys.isin(new_keys).to_numpy()
    ties = pd.concat([new_ties, old_ties[gone]], ignore_index=True)
    tie_status = np.concatenate(
        [
            np.where(new_keys.isin(old_keys).to_numpy(), SAME, ADDED),
            np.full(int(gone.sum()), REMOVED),
        ]
    ).astype(np.int8)
    sources = tuple(dict.fromkeys((*whatif.metadata.sources, *base.metadata.sources)))
    return Drawing(
        units=units,
        ties=ties,
        current=whatif,
        base=base,
        unit_status=unit_status,
        tie_status=tie_status,
        metadata=dataclasses.replace(whatif.metadata, sources=sources),
    )
