"""Edits by rule on hand-made networks and the bundled beispielregion: add, remove, set attributes."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from conftest import (
    Pairs,
    added,
    pairs,
    removed,
)
from netkoop import Network
from netkoop._errors import NetworkEditError
from netkoop.whatif import (
    add_ties_where,
    budget_shock,
    mandate,
    remove_ties_where,
    set_attributes,
    shared_position,
)


@pytest.fixture
def net(hand_made: Network) -> Network:
    return hand_made


# --- add_ties_where -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # a1-a2 already has an exchange tie; a2-a3 only a shared_staff tie, so it gets one.
        (
            {"from_kinds": "gemeinde", "to_kinds": "gemeinde", "same_kreis": True},
            [("a1", "a3"), ("a2", "a3")],
        ),
        (
            {"from_kinds": "gemeinde", "to_kinds": "gemeinde", "same_kreis": False},
            [("a1", "b1"), ("a2", "b1"), ("a3", "b1")],
        ),
        # ka-st already exchange; ka and kb do not share a border.
        (
            {"from_kinds": "landkreis", "to_kinds": "kreisfreie_stadt", "adjacent": True},
            [("kb", "st")],
        ),
        (
            {"from_kinds": "landkreis", "to_kinds": "landkreis", "adjacent": False},
            [("ka", "kb")],
        ),
        # a1-st 500+100, a2-b1 50+60, ka-st 300 (tied already).
        ({"min_commuters": 100}, [("a1", "st"), ("a2", "b1")]),
        ({"min_commuters": 111}, [("a1", "st")]),
        (
            {"min_commuters": 100, "from_kinds": "gemeinde", "same_kreis": False},
            [("a1", "st"), ("a2", "b1")],
        ),
        ({"min_commuters": 100, "to_kinds": "landkreis"}, []),
        # Gemeinden of ka and kb, both Kreise border st.
        (
            {"from_kinds": "gemeinde", "adjacent": True, "to_kinds": "kreisfreie_stadt"},
            [("a1", "st"), ("a2", "st"), ("a3", "st"), ("b1", "st")],
        ),
    ],
)
def test_add_ties_where_adds_exactly_the_selected_pairs(
    net: Network, rules: dict[str, object], expected: Pairs
) -> None:
    after = add_ties_where(net, kind="exchange", **rules)  # type: ignore[arg-type]
    new = added(net, after)
    assert pairs(new) == expected
    assert set(new["kind"]) <= {"exchange"}


def test_add_ties_where_keeps_direction_of_directed_kinds(net: Network) -> None:
    after = add_ties_where(
        net, kind="service_opening", from_kinds="kreisfreie_stadt", to_kinds="landkreis"
    )
    assert pairs(added(net, after)) == [("st", "kb")]  # st -> ka exists
    back = add_ties_where(
        net, kind="service_opening", from_kinds="landkreis", to_kinds="kreisfreie_stadt"
    )
    assert pairs(added(net, back)) == [("ka", "st"), ("kb", "st")]


def test_add_ties_where_sets_attributes(net: Network) -> None:
    after = add_ties_where(
        net,
        kind="joint_project",
        from_kinds="landkreis",
        to_kinds="kreisfreie_stadt",
        attributes={"funding": "project", "source": "plan", "intensity": "regular"},
    )
    new = added(net, after)
    assert pairs(new) == [("ka", "st"), ("kb", "st")]
    assert new["funding"].tolist() == ["project", "project"]
    assert new["source"].tolist() == ["plan", "plan"]
    assert new["intensity"].tolist() == ["regular", "regular"]


def test_add_ties_where_with_nothing_selected_returns_an_equal_copy(net: Network) -> None:
    after = add_ties_where(net, kind="exchange", min_commuters=10**6)
    assert after is not net
    assert after.equals(net)


def test_add_ties_where_errors(net: Network) -> None:
    with pytest.raises(NetworkEditError, match="unknown tie kind"):
        add_ties_where(net, kind="friendship")
    with pytest.raises(NetworkEditError, match="from_kinds: unknown unit kind"):
        add_ties_where(net, kind="exchange", from_kinds="dorf")
    with pytest.raises(NetworkEditError, match="may not set from"):
        add_ties_where(net, kind="exchange", attributes={"from": "a1"})
    no_borders = Network.from_tables(net.units, net.ties, net.flows)
    with pytest.raises(NetworkEditError, match="no borders"):
        add_ties_where(no_borders, kind="exchange", adjacent=True)
    with pytest.raises(ValueError, match="funding"):
        add_ties_where(net, kind="exchange", same_kreis=True, attributes={"funding": "lots"})


# --- remove_ties_where ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ({"kinds": "exchange", "same_kreis": True}, [("a1", "a2"), ("a1", "ka")]),
        ({"funding": "project"}, [("a2", "a3"), ("st", "ka")]),
        ({"funding": ["voluntary", "mandatory"]}, [("a1", "a2"), ("a1", "ka"), ("ka", "f")]),
        # undirected ka-st matches either way round; directed st -> ka only as written.
        ({"from_kinds": "landkreis", "to_kinds": "kreisfreie_stadt"}, [("ka", "st")]),
        ({"from_kinds": "kreisfreie_stadt", "to_kinds": "landkreis"}, [("ka", "st"), ("st", "ka")]),
        ({"adjacent": True}, [("ka", "st"), ("st", "ka")]),
        ({"same_kreis": False}, [("ka", "st"), ("st", "ka")]),
        ({"kinds": "membership"}, [("ka", "f")]),
        ({"kinds": "joint_project"}, []),
    ],
)
def test_remove_ties_where_removes_exactly_the_matching_ties(
    net: Network, rules: dict[str, object], expected: Pairs
) -> None:
    after = remove_ties_where(net, **rules)  # type: ignore[arg-type]
    assert removed(net, after) == expected
    assert len(after.ties) == len(net.ties) - len(expected)


def test_remove_ties_where_errors(net: Network) -> None:
    with pytest.raises(NetworkEditError, match="at least one rule"):
        remove_ties_where(net)
    with pytest.raises(NetworkEditError, match="funding: unknown value"):
        remove_ties_where(net, funding="public")
    with pytest.raises(NetworkEditError, match="unknown tie kind"):
        remove_ties_where(net, kinds="friendship")


# --- set_attributes ---------------------------------------------------------------------------


def test_set_attributes_new_and_known_columns(net: Network) -> None:
    after = set_attributes(
        net, ["a1", "a2"], coordination_office="permanent", case_management=True, staff=2
    )
    units = after.units.set_index("id")
    assert units.loc[["a1", "a2", "a3"], "coordination_office"].tolist() == [
        "permanent",
        "permanent",
        "none",
    ]
    assert str(units["case_management"].dtype) == "boolean"
    assert units["case_management"].tolist()[3:6] == [True, True, pd.NA]
    assert str(units["staff"].dtype) == "Int64"
    assert units.loc["a1", "staff"] == 2
    cleared = set_attributes(after, "a1", coordination_office=None)
    assert cleared.units.set_index("id")["coordination_office"].isna().to_dict()["a1"]


def test_set_attributes_errors(net: Network) -> None:
    with pytest.raises(NetworkEditError, match="unknown unit id"):
        set_attributes(net, "zz", case_management=True)
    with pytest.raises(NetworkEditError, match="parent cannot be set"):
        set_attributes(net, "a1", parent="kb")
    with pytest.raises(NetworkEditError, match="is not allowed; allowed: none, project"):
        set_attributes(net, "a1", coordination_office="sometimes")
    with pytest.raises(NetworkEditError, match="does not fit"):
        set_attributes(net, "a1", population="many")
    with pytest.raises(NetworkEditError, match="outside"):
        set_attributes(net, "a1", lat=123.0)


# --- inputs are never changed ---------------------------------------------------------------

OPERATIONS: dict[str, Callable[[Network], Network]] = {
    "add_ties_where": lambda n: add_ties_where(n, kind="exchange", same_kreis=True),
    "remove_ties_where": lambda n: remove_ties_where(n, funding="voluntary"),
    "set_attributes": lambda n: set_attributes(
        n, ["ka", "a1"], coordination_office="permanent", new_flag=True
    ),
    "mandate": mandate,
    "mandate_new_forum": lambda n: mandate(n.remove_units("f")),
    "shared_position": lambda n: shared_position(n, ["a1", "a3", "b1"]),
    "budget_shock": lambda n: budget_shock(n, voluntary=1, project=1),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_interventions_never_change_their_input(net: Network, name: str) -> None:
    before = {t: getattr(net, t).copy(deep=True) for t in ("units", "ties", "flows", "borders")}
    after = OPERATIONS[name](net)
    assert after is not net
    assert not after.equals(net)
    for table, frame in before.items():
        current = getattr(net, table)
        assert current.equals(frame), table
        assert list(current.dtypes) == list(frame.dtypes), table
