"""What a picture draws: the units and ties of one network or of two compared, and which
commuter pairs.

A comparison draws every unit and tie of either network, each with its status: in both,
added (only in the what-if) or removed (only in the base). One network whose ties or units
carry dates is drawn whole, with the `DateSlider` of the days its page can show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netkoop.metrics.overview import Pairs
from netkoop.model.metadata import Metadata
from netkoop.model.network import Network, tie_keys
from netkoop.render.dates import DateSlider, date_slider

#: Status codes of units and ties in a comparison.
SAME, ADDED, REMOVED = 0, 1, 2


@dataclass(frozen=True, eq=False)
class Drawing:
    """What one picture draws: units and ties (a union of two networks for a comparison).

    ``current`` is the network whose ties cover commuter pairs and whose measures are
    shown; ``base`` is the network it is compared with, if any. Status codes: `SAME`,
    `ADDED` (only in ``current``), `REMOVED` (only in ``base``). ``slider``, for one
    network with dates, holds the days its page shows and when each unit and tie exists.
    """

    units: pd.DataFrame
    ties: pd.DataFrame
    current: Network
    base: Network | None = None
    unit_status: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    tie_status: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    metadata: Metadata | None = None
    slider: DateSlider | None = None


def drawing_of(network: Network, *, at: str | dt.date | None = None) -> Drawing:
    """Return the drawing of one network: its units and ties, nothing added or removed.

    A network whose ties or units carry dates is drawn whole, with its `DateSlider` opening
    on ``at`` (see `netkoop.render.dates.date_slider`); one without them is drawn as it stood
    on ``at`` (its coordination offices as `netkoop.Network.at` gives them).

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> drawing = drawing_of(net, at="2016")
    >>> len(drawing.ties) == len(net.ties), drawing.slider.opening
    (True, '2016-01-01')
    """
    dates = date_slider(network, at=at)
    if dates is None and at is not None:
        network = network.at(at)
    return plain_drawing(network, slider=dates)


def plain_drawing(network: Network, *, slider: DateSlider | None = None) -> Drawing:
    """The drawing of one network as it is: every unit and tie `SAME`, no comparison."""
    return Drawing(
        units=network.units,
        ties=network.ties,
        current=network,
        unit_status=np.zeros(len(network.units), dtype=np.int8),
        tie_status=np.zeros(len(network.ties), dtype=np.int8),
        metadata=network.metadata,
        slider=slider,
    )


def difference(base: Network, whatif: Network) -> Drawing:
    """Return the drawing of ``whatif`` against ``base``: every unit and tie of either.

    Units and ties of ``whatif`` come first, in its order, then those only ``base`` has.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> more = net.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    >>> drawing = difference(net, more)
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


def strongest_pairs(pairs: Pairs, n: int, *, min_commuters: int, top: int | None) -> np.ndarray:
    """Return the positions of the pairs to draw, largest first.

    A pair is drawn when it has at least ``min_commuters`` and is among the ``top`` largest
    pairs of one of its two units (every pair from ``min_commuters`` when ``top`` is None);
    among equal pairs, the one first in ``pairs`` ranks higher.

    Examples
    --------
    >>> one = np.array([1, 1])
    >>> pairs = Pairs(np.array([0, 0, 1]), np.array([1, 2, 2]), one, one,
    ...               np.array([50, 10, 30]), np.zeros(3, bool), one, one)
    >>> strongest_pairs(pairs, 3, min_commuters=1, top=1).tolist()  # 0's, 1's, 2's largest
    [0, 2]
    """
    keep = np.flatnonzero(pairs.total >= min_commuters)
    if top is not None and len(keep) > 8 * top * n:
        keep = _candidates(pairs, keep, n, top)
    keep = keep[np.argsort(-pairs.total[keep], kind="stable")]
    if top is None or not len(keep):
        return keep
    # Both ends of the i-th largest pair at 2i and 2i + 1: a stable sort by unit then keeps
    # each unit's pairs largest first. Small integer types let numpy use a radix sort.
    ends = np.column_stack([pairs.a[keep], pairs.b[keep]]).ravel()
    order = np.argsort(ends.astype(np.uint16) if n < 2**16 else ends, kind="stable")
    grouped = ends[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    chosen = np.zeros(len(keep), dtype=bool)
    chosen[order[rank < top] // 2] = True
    return keep[chosen]


def _candidates(pairs: Pairs, keep: np.ndarray, n: int, top: int) -> np.ndarray:
    """Narrow ``keep`` to the pairs that can be among a unit's ``top`` largest, in order.

    Pairs from a threshold up are candidates, and every pair of a unit with fewer than
    ``top`` such pairs: a unit with ``top`` pairs above the threshold has none below it among
    its largest. Sorting the candidates is then cheap however many pairs there are.
    """
    totals = pairs.total[keep]
    wanted = min(len(keep) - 1, 4 * top * n)
    threshold = np.partition(totals, len(totals) - 1 - wanted)[len(totals) - 1 - wanted]
    large = totals >= threshold
    above = np.bincount(pairs.a[keep[large]], minlength=n) + np.bincount(
        pairs.b[keep[large]], minlength=n
    )
    short = above < top
    chosen: np.ndarray = keep[large | short[pairs.a[keep]] | short[pairs.b[keep]]]
    return chosen
