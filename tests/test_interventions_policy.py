"""The policy levers on hand-made networks and beispielregion: mandate, shared positions, budget shocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import (
    added,
    pairs,
    removed,
)
from netkoop import Network
from netkoop._errors import NetworkEditError
from netkoop.model.network import tie_keys
from netkoop.whatif import (
    budget_shock,
    mandate,
    shared_position,
)


@pytest.fixture
def net(hand_made: Network) -> Network:
    return hand_made


# --- mandate ------------------------------------------------------------------------------------


def test_mandate_on_hand_made_network(net: Network) -> None:
    after = mandate(net)
    # The duty pays for the ties it asks for that exist already: ka's membership in f (was
    # voluntary); a1-ka was mandatory before; the other ties keep their funding.
    kept = after.ties.iloc[: len(net.ties)]
    assert kept["funding"].fillna("-").tolist() == [
        "voluntary",
        "project",
        "mandatory",
        "-",
        "project",
        "mandatory",
    ]
    assert kept.drop(columns="funding").equals(net.ties.drop(columns="funding"))
    new = after.ties.iloc[len(net.ties) :].reset_index(drop=True)
    assert list(zip(new["from"], new["to"], new["kind"], strict=True)) == [
        ("ka", "a2", "exchange"),  # a1 is tied to ka already
        ("ka", "a3", "exchange"),
        ("kb", "b1", "exchange"),
        ("kb", "f", "membership"),  # ka is a member already
        ("st", "f", "membership"),
    ]
    assert set(new["funding"]) == {"mandatory"}
    assert set(new["source"]) == {"mandate"}
    exchange = new[new["kind"] == "exchange"]
    assert set(exchange["intensity"]) == {"regular"}
    assert set(exchange["level"]) == {"operational"}
    units = after.units.set_index("id")
    assert units["coordination_office"].fillna("-").tolist() == [
        "mandatory",
        "mandatory",
        "mandatory",
        "project",
        "none",
        "none",
        "none",
        "-",
    ]
    assert units["planning_mandate"].fillna(False).tolist() == [True] * 3 + [False] * 5
    assert units["case_management"].fillna(False).tolist() == [True] * 3 + [False] * 5
    assert len(after.units) == len(net.units)


def test_mandate_building_blocks_and_chosen_kreise(net: Network) -> None:
    after = mandate(
        net, kreise=["kb"], coordination=False, planning=False, case_management=True, forum=False
    )
    assert pairs(added(net, after)) == [("kb", "b1")]
    assert "planning_mandate" not in after.units.columns
    units = after.units.set_index("id")
    assert units.loc["kb", "coordination_office"] == "mandatory"  # as before
    assert units["case_management"].fillna(False).tolist() == [False, True] + [False] * 6


def test_mandate_creates_a_land_forum_when_missing(net: Network) -> None:
    without_forum = net.remove_units("f")
    after = mandate(without_forum, kreise="st")
    forum = after.units.set_index("id").loc["forum-03"]
    assert forum["name"] == "Landesnetzwerk Integration Niedersachsen"
    assert forum["kind"] == "forum"
    assert forum["land"] == "03"
    assert pairs(added(without_forum, after)) == [("st", "forum-03")]


def test_mandate_on_beispielregion(region: Network) -> None:
    after = mandate(region)
    # By hand from ties.csv: of the Kreis-Gemeinde exchange ties only eichwalde-lk-nord (row 6)
    # was voluntary; the three Kreise's memberships in lag-ni (rows 16-18) were voluntary too.
    before, kept = region.ties, after.ties.iloc[: len(region.ties)]
    changed = kept.index[kept["funding"] != before["funding"]].tolist()
    assert changed == [6, 16, 17, 18]
    assert set(kept.loc[changed, "funding"]) == {"mandatory"}
    new = after.ties.iloc[len(before) :].reset_index(drop=True)
    # Every Kreis is already a member of lag-ni; the Landkreise lack ties to two Gemeinden each.
    assert pairs(new) == [
        ("lk-nord", "birkenhain"),
        ("lk-nord", "dorfstetten"),
        ("lk-sued", "gruenau"),
        ("lk-sued", "heidbrueck"),
    ]
    assert set(new["kind"]) == {"exchange"}
    assert set(new["funding"]) == {"mandatory"}
    units = after.units.set_index("id")
    kreise = ["musterstadt", "lk-nord", "lk-sued"]
    assert units.loc[kreise, "coordination_office"].tolist() == ["mandatory"] * 3
    assert units.loc["auenfeld", "coordination_office"] == "project"
    assert units.loc[kreise, "planning_mandate"].tolist() == [True] * 3
    assert units.loc[kreise, "case_management"].tolist() == [True] * 3
    assert units["planning_mandate"].isna().sum() == len(units) - 3


def test_mandate_errors(net: Network) -> None:
    with pytest.raises(NetworkEditError, match=r"not a Landkreis or kreisfreie Stadt.*a1"):
        mandate(net, kreise=["ka", "a1"])


# --- shared_position ------------------------------------------------------------------------


def test_shared_position_ties_every_pair_once(net: Network) -> None:
    after = shared_position(net, ["a1", "a2", "a3"], since="2025")
    new = added(net, after)
    assert pairs(new) == [("a1", "a2"), ("a1", "a3")]  # a2-a3 share staff already
    assert set(new["kind"]) == {"shared_staff"}
    assert set(new["funding"]) == {"project"}
    assert set(new["since"]) == {"2025"}
    permanent = shared_position(net, ["b1", "a3"], funding="mandatory")
    assert added(net, permanent)["funding"].tolist() == ["mandatory"]


def test_shared_position_errors(net: Network) -> None:
    with pytest.raises(NetworkEditError, match="two or more"):
        shared_position(net, ["a1", "a1"])
    with pytest.raises(NetworkEditError, match=r"unknown unit id.*zz"):
        shared_position(net, ["a1", "zz"])


# --- budget_shock ---------------------------------------------------------------------------


def test_budget_shock_certain_cuts(net: Network) -> None:
    after = budget_shock(net, voluntary=1, project=1)
    assert pairs(after.ties) == [("a1", "ka")]  # the only mandatory tie
    offices = after.units.set_index("id")["coordination_office"]
    assert offices[["ka", "kb", "st", "a1"]].tolist() == ["none", "mandatory", "permanent", "none"]


def test_budget_shock_treats_missing_funding_as_voluntary(net: Network) -> None:
    after = budget_shock(net, voluntary=1, project=0)
    assert removed(net, after) == [("a1", "a2"), ("ka", "st"), ("ka", "f")]
    assert after.units.equals(net.units)
    assert budget_shock(net, voluntary=1, project=0, offices=False).units.equals(net.units)


def test_budget_shock_without_cuts_is_an_equal_copy(net: Network) -> None:
    after = budget_shock(net, voluntary=0, project=0)
    assert after is not net
    assert after.equals(net)


def test_budget_shock_is_determined_by_its_seed(region: Network) -> None:
    first = budget_shock(region, seed=42)
    assert first.equals(budget_shock(region, seed=42))
    assert first.equals(budget_shock(region, seed=np.random.default_rng(42)))
    outcomes = {tuple(pairs(budget_shock(region, seed=s).ties)) for s in range(20)}
    assert len(outcomes) > 1


def test_budget_shock_never_removes_mandatory_ties_or_offices(region: Network) -> None:
    ties = region.ties
    mandatory = set(pairs(ties[ties["funding"] == "mandatory"]))
    offices = region.units.set_index("id")["coordination_office"]
    steady = offices[offices.isin(["permanent", "mandatory"])]
    for seed in range(20):
        after = budget_shock(region, voluntary=0.9, project=0.9, seed=seed)
        assert mandatory <= set(pairs(after.ties))
        now = after.units.set_index("id")["coordination_office"]
        assert now[steady.index].equals(steady)
        assert set(now[offices == "project"]) <= {"project", "none"}


def test_budget_shock_gives_shared_ties_the_same_fate(region: Network) -> None:
    # Common random numbers: a tie's fate depends on the seed and the tie, not on the rest of
    # the network or the table order.
    extra = region.add_ties([{"from": "auenfeld", "to": "gruenau", "kind": "exchange"}])
    shuffled = Network.from_tables(
        region.units, region.ties.iloc[::-1].reset_index(drop=True), region.flows
    )
    for seed in range(30):
        kept = set(tie_keys(budget_shock(region, seed=seed).ties))
        kept_extra = set(tie_keys(budget_shock(extra, seed=seed).ties))
        assert kept_extra - {"auenfeld\x1fgruenau\x1fexchange\x1f0"} == kept
        assert set(tie_keys(budget_shock(shuffled, seed=seed).ties)) == kept


def test_budget_shock_ends_more_with_a_higher_probability(region: Network) -> None:
    for seed in range(30):
        mild = set(tie_keys(budget_shock(region, voluntary=0.3, project=0.4, seed=seed).ties))
        hard = set(tie_keys(budget_shock(region, voluntary=0.6, project=0.9, seed=seed).ties))
        assert hard <= mild


def test_budget_shock_ends_ties_at_the_given_rate() -> None:
    # 4,000 voluntary and 4,000 project ties on a ring of 8,000 units: the share ended must lie
    # within 4 standard errors (sqrt(p(1-p)/n) <= 0.008) of the probability, for every seed.
    n = 8000
    city = {"kind": "kreisfreie_stadt", "land": "03"}
    units = [{"id": f"u{i}", "name": f"U {i}", **city} for i in range(n)]
    funding = ["voluntary", "project"]
    ties = [
        {"from": f"u{i}", "to": f"u{(i + 1) % n}", "kind": "exchange", "funding": funding[i % 2]}
        for i in range(n)
    ]
    ring = Network.from_tables(units, ties, pd.DataFrame(columns=["from", "to", "commuters"]))
    for seed in (0, 1, 2):
        after = budget_shock(ring, voluntary=0.3, project=0.7, seed=seed)
        left = after.ties["funding"].value_counts()
        assert abs(1 - left["voluntary"] / 4000 - 0.3) < 4 * 0.0073
        assert abs(1 - left["project"] / 4000 - 0.7) < 4 * 0.0073


def test_budget_shock_errors(net: Network) -> None:
    with pytest.raises(NetworkEditError, match=r"voluntary is a probability from 0 to 1; got 1\.5"):
        budget_shock(net, voluntary=1.5)
    with pytest.raises(NetworkEditError, match="project is a probability"):
        budget_shock(net, project=-0.1)
