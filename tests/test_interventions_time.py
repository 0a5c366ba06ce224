"""What-if steps with dates: `expire`, `mandate` with ``permanent``/``since``, and
`budget_shock` with ``at``; every expected value is worked out by hand from `TIES`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netkoop
from netkoop import Network
from netkoop._errors import MetricsError, NetworkEditError, ScenarioError
from netkoop.interventions import budget_shock, expire, mandate
from tests.conftest import ScenarioWriter

UNITS = [
    {"id": "lk-a", "name": "A", "kind": "landkreis", "land": "09",
     "coordination_office": "project", "office_since": "2016", "office_until": "2025"},
    {"id": "g1", "name": "G1", "kind": "gemeinde", "land": "09", "parent": "lk-a"},
    {"id": "g2", "name": "G2", "kind": "gemeinde", "land": "09", "parent": "lk-a"},
    {"id": "lk-b", "name": "B", "kind": "landkreis", "land": "09",
     "coordination_office": "project", "office_until": "2027"},
    {"id": "s", "name": "S", "kind": "kreisfreie_stadt", "land": "09"},
    {"id": "f", "name": "Forum", "kind": "forum", "land": "09"},
]  # fmt: skip

#  row  ends          kind           funding    since  until
TIES = [
    ("lk-a", "g1", "exchange", "project", "2016", "2025"),  # 0 ends in the year asked
    ("g1", "g2", "shared_staff", "project", "2017", "2026-06"),  # 1 runs past 2025
    ("lk-a", "s", "joint_project", "project", "2018", None),  # 2 open-ended
    ("lk-b", "s", "exchange", "voluntary", "2015", "2024"),  # 3 other money
    ("lk-a", "g2", "exchange", "mandatory", "2016", None),  # 4 a duty already
    ("g2", "lk-b", "joint_project", "project", "2027", "2029"),  # 5 later money
    ("lk-b", "f", "membership", "project", None, "2022"),  # 6 ended long ago
    ("g1", "s", "exchange", "voluntary", "2026", None),  # 7 begins on 1 January 2026
]


@pytest.fixture
def net() -> Network:
    ties = [
        {"from": a, "to": b, "kind": k, "funding": f, "since": s, "until": u}
        for a, b, k, f, s, u in TIES
    ]
    return Network.from_tables(units=UNITS, ties=ties)


def until(network: Network) -> list[str | None]:
    return [None if pd.isna(v) else v for v in network.ties["until"]]


def office(network: Network, unit: str) -> tuple[object, ...]:
    row = network.units.set_index("id").loc[unit]
    return tuple(None if pd.isna(row[c]) else row[c] for c in (
        "coordination_office", "office_since", "office_until"
    ))  # fmt: skip


# --- expire --------------------------------------------------------------------------------


def test_expire_ends_the_money_on_the_date(net: Network) -> None:
    after = expire(net, until="2025")
    # 1 and 2 would run past 2025 and end with it; 0 ends in 2025 anyway; 5 begins later;
    # 3, 4 and 7 are other money.
    assert until(after) == ["2025", "2025", "2025", "2024", None, "2029", "2022", None]
    assert office(after, "lk-a") == ("project", "2016", "2025")  # ended in 2025 already
    assert office(after, "lk-b") == ("project", None, "2025")
    assert len(net.at("2026").ties) == 4  # 1, 2, 4, 7
    assert len(after.at("2026").ties) == 2  # 4, 7
    assert after.at("2026").units.set_index("id")["coordination_office"]["lk-b"] == "none"


def test_expire_with_extend_by_lengthens_what_ends_by_the_date(net: Network) -> None:
    after = expire(net, until="2025-12-31", extend_by="2 years")
    # project ties ending on or before 2025: 0 (2025 -> 2027) and 6 (2022 -> 2024)
    assert until(after) == ["2027", "2026-06", None, "2024", None, "2029", "2024", None]
    assert office(after, "lk-a") == ("project", "2016", "2027")
    assert office(after, "lk-b") == ("project", None, "2027")  # ends after 2025: as it was
    assert len(after.at("2026").ties) == 5  # 0, 1, 2, 4, 7
    months = expire(net, until="2025", extend_by="6 Monate")
    assert until(months)[0] == "2026-06-30"


def test_expire_touches_only_the_funding_named(net: Network) -> None:
    voluntary = expire(net, until="2023", funding="voluntary")
    assert until(voluntary) == ["2025", "2026-06", None, "2023", None, "2029", "2022", None]
    assert office(voluntary, "lk-b") == ("project", None, "2027")  # offices are project money
    kept = expire(net, until="2025", offices=False)
    assert office(kept, "lk-b") == ("project", None, "2027")


def test_expire_refuses_what_it_cannot_read(net: Network) -> None:
    with pytest.raises(NetworkEditError, match=r"until '2025-13' is not a date"):
        expire(net, until="2025-13")
    with pytest.raises(NetworkEditError, match=r"funding 'Projekt' is none of voluntary"):
        expire(net, until="2025", funding="Projekt")
    with pytest.raises(NetworkEditError, match=r"extend_by: not a duration: '2 weeks'"):
        expire(net, until="2025", extend_by="2 weeks")
    with pytest.raises(NetworkEditError, match=r"longer than 0"):
        expire(net, until="2025", extend_by="0 years")


# --- mandate: permanent, since ---------------------------------------------------------------


def test_a_permanent_mandate_makes_project_ties_and_offices_lasting(net: Network) -> None:
    after = mandate(net, kreise="lk-a", permanent=True, since="2024")
    ties = after.ties
    # 0 and 4 are its exchange with its Gemeinden, 1 lies inside the Kreis, 2 is its own;
    # 5 (g2 with another Kreis) and 6 (another Kreis) stay as they are. 0, 1 and 2 began
    # before 2024: they end the day before and go on from 2024 as mandatory ties without an
    # end; 4 is mandatory and open already. Then lk-a joins the forum of its Land.
    assert len(ties) == len(net.ties) + 3 + 1
    assert ties["funding"].tolist()[:8] == [
        "project", "project", "project", "voluntary",
        "mandatory", "project", "project", "voluntary",
    ]  # fmt: skip
    assert until(after)[:8] == [
        "2023-12-31", "2023-12-31", "2023-12-31", "2024", None, "2029", "2022", None
    ]  # fmt: skip
    continued = ties.iloc[8:11]
    assert continued[["from", "to", "kind"]].to_numpy().tolist() == [
        list(TIES[i][:3]) for i in (0, 1, 2)
    ]
    assert continued[["funding", "since"]].drop_duplicates().to_numpy().tolist() == [
        ["mandatory", "2024"]
    ]
    assert continued["until"].isna().all()
    assert ties.iloc[-1][["from", "to", "kind", "since"]].tolist() == [
        "lk-a", "f", "membership", "2024"
    ]  # fmt: skip
    assert office(after, "lk-a") == ("mandatory", "2016", None)  # worked on 2024: kept
    assert office(after, "lk-b") == ("project", None, "2027")
    assert len(after.at("2030").ties) == 6  # 0, 1, 2 continued, 4, 7 and the membership
    kept = ["from", "to", "kind", "funding", "since"]  # before the mandate: as it was
    assert after.at("2023-12-31").ties[kept].equals(net.at("2023-12-31").ties[kept])


def test_a_mandate_from_a_later_date_leaves_what_ended_before(net: Network) -> None:
    after = mandate(net, kreise="lk-a", permanent=True, since="2026", forum=False)
    ties = after.ties
    # 0 ended in 2025: it stays as it was, and the mandate ties lk-a to g1 anew from 2026.
    assert ties.iloc[0][["funding", "until"]].tolist() == ["project", "2025"]
    assert ties.iloc[-1][["from", "to", "funding", "since"]].tolist() == [
        "lk-a", "g1", "mandatory", "2026"
    ]  # fmt: skip
    # 1 and 2 still ran on 1 January 2026: they end the day before and go on from then.
    assert len(ties) == len(net.ties) + 2 + 1
    assert until(after)[1:3] == ["2025-12-31", "2025-12-31"]
    assert ties.iloc[8:10][["kind", "funding", "since"]].to_numpy().tolist() == [
        ["shared_staff", "mandatory", "2026"], ["joint_project", "mandatory", "2026"]
    ]  # fmt: skip
    # The office had ended in 2025: the mandatory one starts with the mandate.
    assert office(after, "lk-a") == ("mandatory", "2026-01-01", None)
    assert after.at("2025-06").units.set_index("id")["coordination_office"]["lk-a"] == "none"


def test_a_mandate_without_permanent_keeps_the_ends_of_project_ties(net: Network) -> None:
    after = mandate(net, kreise="lk-a", forum=False)
    assert until(after) == until(net)  # the duty pays for 0 and 4, their dates stay
    assert after.ties["funding"].tolist()[:3] == ["mandatory", "project", "project"]
    assert office(after, "lk-a") == ("mandatory", "2016", None)  # a duty has no end


# --- budget_shock at a date --------------------------------------------------------------------


def test_a_shock_on_a_date_ends_what_exists_then(net: Network) -> None:
    after = budget_shock(net, voluntary=1, project=1, at="2026")
    # Existing on 1 January 2026: 1, 2, 4 (mandatory, stays) and 7 (begins that day: gone).
    assert len(after.ties) == len(net.ties) - 1
    assert until(after) == ["2025", "2025-12-31", "2025-12-31", "2024", None, "2029", "2022"]
    assert office(after, "lk-b") == ("project", None, "2025-12-31")
    assert office(after, "lk-a") == ("project", "2016", "2025")  # had ended already
    for day in ("2016", "2020", "2025-12-31"):  # the network before the shock is unchanged
        then, was = after.at(day), net.at(day)
        kept = ["from", "to", "kind", "funding", "since"]  # until: the ends lie later now
        assert then.ties[kept].equals(was.ties[kept])
        assert then.units["coordination_office"].equals(was.units["coordination_office"])
    assert list(after.at("2026").ties.index) == [0]  # tie 4 alone
    assert after.at("2027").ties["kind"].tolist() == ["exchange", "joint_project"]  # 4 and 5


def test_a_shock_on_a_date_draws_the_same_numbers_as_one_without(net: Network) -> None:
    def keys(network: Network) -> set[tuple[str, str, str]]:
        return set(map(tuple, network.ties[["from", "to", "kind"]].to_numpy().tolist()))

    existing = {TIES[i][:3] for i in (1, 2, 7)}  # non-mandatory on 1 January 2026
    for seed in range(20):
        removed = keys(net) - keys(budget_shock(net, voluntary=0.5, project=0.5, seed=seed))
        dated = budget_shock(net, voluntary=0.5, project=0.5, seed=seed, at="2026-01-01")
        ended = keys(net.at("2026")) - keys(dated.at("2026"))
        assert ended == removed & existing


def test_the_inputs_stay_as_they_were(net: Network) -> None:
    tables = {name: getattr(net, name).copy(deep=True) for name in ("units", "ties")}
    expire(net, until="2025")
    expire(net, until="2025", extend_by="1 year")
    mandate(net, permanent=True, since="2024")
    budget_shock(net, voluntary=1, project=1, at="2026")
    for name, table in tables.items():
        pd.testing.assert_frame_equal(getattr(net, name), table)


# --- in scenario files ----------------------------------------------------------------------------


def test_dates_in_steps_are_checked_where_they_are_written(write_scenario: ScenarioWriter) -> None:
    path = write_scenario(
        """
        extends: beispielregion
        interventions:
          - {do: expire, until: 2025-13}
          - {do: budget_shock, at: bald}
          - {do: mandate, since: 2026, permanent: ja}
        """
    )
    with pytest.raises(ScenarioError) as caught:
        netkoop.load(path)
    text = str(caught.value)
    assert "line 5, field 'until', value '2025-13': a year (2016), a year-month (2016-05)" in text
    assert "line 6, field 'at', value 'bald'" in text
    assert "line 7, field 'permanent', value 'ja': true or false" in text


def test_a_scenario_runs_the_dated_steps(write_scenario: ScenarioWriter) -> None:
    path = write_scenario(
        """
        extends: beispielregion
        interventions:
          - {do: expire, until: 2024, extend_by: 3 years}
          - {do: mandate, kreise: lk-nord, permanent: true, since: 2025-01-01}
        """
    )
    base = netkoop.load("beispielregion")
    changed = netkoop.load(path)
    by_hand = mandate(
        expire(base, until="2024", extend_by="3 years"),
        kreise="lk-nord",
        permanent=True,
        since="2025-01-01",
    )
    assert changed.ties.equals(by_hand.ties)
    assert changed.units.equals(by_hand.units)
    assert np.array_equal(changed.ties["until"].isna(), by_hand.ties["until"].isna())


# --- simulate on a date ------------------------------------------------------------------------


def test_simulate_measures_every_run_on_the_date_asked(net: Network) -> None:
    from netkoop.whatif import Plan, simulate

    shock = [("budget_shock", {"voluntary": 1, "project": 1, "at": "2026"})]
    plan = Plan.from_network(net, shock, name="schock")
    timeless = simulate(plan, runs=3, seed=1)
    dated = simulate(plan, runs=3, seed=1, at="2026-06-30")
    # Without a date the shock only moves ends: every tie of the network counts.
    assert timeless.summary.loc[("schock", "ties"), ["before", "max"]].tolist() == [8.0, 7.0]
    # On 30 June 2026: before the shock ties 1, 2, 4 and 7; after it the mandatory 4 alone.
    assert dated.summary.loc[("schock", "ties"), ["before", "min", "max"]].tolist() == [
        4.0, 1.0, 1.0
    ]  # fmt: skip
    assert dated.summary.loc[("schock", "offices"), ["before", "max"]].tolist() == [1.0, 0.0]
    assert dated.report().values["at"] == "2026-06-30"
    with pytest.raises(MetricsError, match=r"at: 'bald' is not a date"):
        simulate(plan, runs=1, at="bald")
