"""Select pairs of units by rule: the kinds of their ends, their Kreise, borders and commuters.

The rules that `add_ties_where` and `remove_ties_where` take, and the string keys of pairs
that the interventions match ties by.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.model.network import Network
from netkoop.model.vocabulary import TIE_VALUES, select_unit_kinds

SEP = "\x1f"  # joins two ids into one pair key; cannot occur in a unit id read from a table


def key(a: str, b: str) -> str:
    """Return the key of the unordered pair of ids ``a`` and ``b``."""
    return f"{a}{SEP}{b}" if a <= b else f"{b}{SEP}{a}"


def pair_keys(a: pd.Series, b: pd.Series, *, ordered: bool) -> pd.Series:
    """Join two id columns into one key per row; unordered keys put the smaller id first."""
    a = pd.Series(a.to_numpy(), dtype="str")
    b = pd.Series(b.to_numpy(), dtype="str")
    if ordered:
        return a + SEP + b
    swap = (a > b).fillna(False)
    return a.where(~swap, b) + SEP + b.where(~swap, a)


def choices(value: str | Iterable[str], name: str) -> list[str]:
    """Return the values of the tie attribute ``name`` that ``value`` names, checked."""
    chosen = [value] if isinstance(value, str) else [str(v) for v in value]
    allowed = TIE_VALUES[name]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise NetworkEditError(
            f"{name}: unknown value(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )
    return chosen


def ends_match(
    pairs: pd.DataFrame,
    kind_of: pd.Series,
    from_kinds: str | Iterable[str] | None,
    to_kinds: str | Iterable[str] | None,
) -> np.ndarray:
    """Tell per row whether from has one of ``from_kinds`` and to one of ``to_kinds``."""
    mask = np.ones(len(pairs), dtype=bool)
    for end, kinds in (("from", from_kinds), ("to", to_kinds)):
        chosen = select_unit_kinds(kinds, option=f"{end}_kinds")
        if chosen is not None:
            mask &= pairs[end].map(kind_of).isin(chosen).fillna(False).to_numpy()
    return mask


def candidate_pairs(
    network: Network, *, same_kreis: bool | None, min_commuters: float | None
) -> pd.DataFrame:
    """Return ordered pairs of unit ids that may pass the rules, both orientations.

    Restricting to pairs with flows or in the same Kreis first keeps national networks
    (10,000 Gemeinden, 10^8 pairs) tractable; the rules are applied in full afterwards.
    """
    units = network.units
    if min_commuters is not None and min_commuters > 0:
        flows = network.flows
        known = set(units["id"])
        pairs = pd.DataFrame({"from": flows["from"].to_numpy(), "to": flows["to"].to_numpy()})
        pairs = pd.concat([pairs, pairs.rename(columns={"from": "to", "to": "from"})])
        pairs = pairs[pairs["from"].isin(known) & pairs["to"].isin(known)]
        return pairs.drop_duplicates().reset_index(drop=True)
    ids = units[["id"]]
    if same_kreis:
        kreis = network.kreis.dropna()
        members = pd.DataFrame({"id": kreis.index.to_numpy(), "kreis": kreis.to_numpy()})
        merged = members.merge(members, on="kreis", suffixes=("_a", "_b"))
        return pd.DataFrame({"from": merged["id_a"], "to": merged["id_b"]})
    merged = ids.merge(ids, how="cross", suffixes=("_a", "_b"))
    return pd.DataFrame({"from": merged["id_a"], "to": merged["id_b"]})


def pair_mask(
    network: Network,
    a: pd.Series,
    b: pd.Series,
    *,
    same_kreis: bool | None,
    adjacent: bool | None,
    min_commuters: float | None = None,
) -> np.ndarray:
    """Tell per pair (a, b) whether it passes the Kreis, border and commuter rules."""
    mask = np.ones(len(a), dtype=bool)
    if same_kreis is not None or adjacent is not None:
        kreis = network.kreis
        ka = pd.Series(a.to_numpy(), dtype="str").map(kreis)
        kb = pd.Series(b.to_numpy(), dtype="str").map(kreis)
        both = (ka.notna() & kb.notna()).to_numpy()
        if same_kreis is not None:
            same = (ka == kb).fillna(False).to_numpy() & both
            mask &= same if same_kreis else both & ~same
        if adjacent is not None:
            borders = network.borders
            if borders.empty:
                raise NetworkEditError(
                    "adjacent: the network has no borders; add them (e.g. with the adjacency "
                    "importer) to select adjacent Kreise"
                )
            near = pair_keys(borders["from"], borders["to"], ordered=False)
            hit = pair_keys(ka, kb, ordered=False).isin(near).fillna(False).to_numpy() & both
            mask &= hit if adjacent else both & ~hit
    if min_commuters is not None:
        flows = network.flows
        keys = pair_keys(flows["from"], flows["to"], ordered=False)
        totals = flows["commuters"].groupby(keys.to_numpy()).sum()
        got = pair_keys(a, b, ordered=False).map(totals).fillna(0).astype("float64")
        mask &= (got >= min_commuters).to_numpy()
    return mask
