"""`Network.at`: the network on a date, at the edges of the periods, and ``--at`` on the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import netkoop
from netkoop import Network
from netkoop._errors import NetworkEditError, ScenarioError
from netkoop.model import undated_ties
from tests.conftest import ScenarioWriter, assert_one_error_line, page_data, run_cli

# Six units: a forum founded in 2018, a Landkreis merged away after 2020-06-30. Five ties:
#   1 lk-a–lk-b  since 2016                         (a partial since)
#   2 g1–g2      2015-03-01 to 2017-12-31           (ends on a day)
#   3 lk-a–f1    no since                           (counts as existing since ever)
#   4 lk-b–lk-c  since 2014 until 2016-05           (a partial until)
#   5 lk-a–lk-c  since 2019                         (goes with lk-c)
ZEITEN = """
    name: zeiten
    units:
      - {id: lk-a, name: A, kind: landkreis, land: BY}
      - {id: lk-b, name: B, kind: landkreis, land: BY}
      - {id: g1, name: G1, kind: gemeinde, land: BY, parent: lk-a}
      - {id: g2, name: G2, kind: gemeinde, land: BY, parent: lk-a}
      - {id: f1, name: Forum, kind: forum, land: BY, since: 2018}
      - {id: lk-c, name: C, kind: landkreis, land: BY, until: 2020-06-30}
    ties:
      - {from: lk-a, to: lk-b, kind: exchange, since: 2016}
      - {from: g1, to: g2, kind: exchange, since: 2015-03-01, until: 2017-12-31}
      - {from: lk-a, to: f1, kind: membership}
      - {from: lk-b, to: lk-c, kind: exchange, since: 2014, until: 2016-05}
      - {from: lk-a, to: lk-c, kind: joint_project, since: 2019}
    """


@pytest.fixture
def zeiten(write_scenario: ScenarioWriter) -> Path:
    return write_scenario(ZEITEN)


@pytest.fixture
def net(zeiten: Path) -> Network:
    return netkoop.load(zeiten)


def pairs(network: Network) -> set[tuple[str, str]]:
    return set(zip(network.ties["from"], network.ties["to"], strict=True))


def units(network: Network) -> set[str]:
    return set(network.units["id"])


def test_a_tie_ending_on_a_day_is_kept_that_day_and_gone_the_next(net: Network) -> None:
    assert ("g1", "g2") in pairs(net.at("2017-12-31"))
    assert ("g1", "g2") not in pairs(net.at("2018-01-01"))
    assert ("g1", "g2") not in pairs(net.at("2015-02-28"))
    assert ("g1", "g2") in pairs(net.at("01.03.2015"))


def test_a_partial_date_means_its_whole_period(net: Network) -> None:
    assert ("lk-a", "lk-b") not in pairs(net.at("2015-12-31"))
    assert ("lk-a", "lk-b") in pairs(net.at("2016-01-01"))
    assert ("lk-b", "lk-c") in pairs(net.at("2016-05-31"))
    assert ("lk-b", "lk-c") not in pairs(net.at("2016-06-01"))
    # a partial date asked for means its first day
    assert net.at("2016").equals(net.at("2016-01-01"))
    assert net.at("2016-06").equals(net.at("2016-06-01"))


def test_a_tie_without_since_exists_since_before_any_date(write_scenario: ScenarioWriter) -> None:
    network = netkoop.load(
        write_scenario(
            """
            units:
              - {id: a, name: A, kind: landkreis, land: BY}
              - {id: b, name: B, kind: landkreis, land: BY}
            ties:
              - {from: a, to: b, kind: exchange}
              - {from: a, to: b, kind: shared_staff, until: 2000}
              - {from: a, to: b, kind: joint_project, since: 2000}
            """
        )
    )
    assert undated_ties(network) == 2
    assert list(network.at("1900-01-01").ties["kind"]) == ["exchange", "shared_staff"]
    assert list(network.at("2001").ties["kind"]) == ["exchange", "joint_project"]


def test_units_that_do_not_exist_on_the_date_go_with_their_ties(net: Network) -> None:
    before = net.at("2017-06-01")
    assert "f1" not in units(before)  # founded 2018: the undated membership goes with it
    assert pairs(before) == {("lk-a", "lk-b"), ("g1", "g2")}
    during = net.at("2020-06-30")
    assert units(during) == units(net)
    assert pairs(during) == {("lk-a", "lk-b"), ("lk-a", "f1"), ("lk-a", "lk-c")}
    after = net.at("2020-07-01")
    assert units(after) == units(net) - {"lk-c"}
    assert pairs(after) == {("lk-a", "lk-b"), ("lk-a", "f1")}


def test_a_gemeinde_goes_with_its_kreis_and_flows_go_with_their_units() -> None:
    network = Network.from_tables(
        units=[
            {"id": "k", "name": "K", "kind": "landkreis", "land": "09", "until": "2010"},
            {"id": "m", "name": "M", "kind": "kreisfreie_stadt", "land": "09"},
            {"id": "g", "name": "G", "kind": "gemeinde", "land": "09", "parent": "k"},
        ],
        ties=[{"from": "g", "to": "m", "kind": "exchange"}],
        flows=[{"from": "g", "to": "m", "commuters": 10}, {"from": "m", "to": "k", "commuters": 5}],
    )
    assert network.at("2010-12-31").equals(network)
    later = network.at("2011")
    assert units(later) == {"m"}
    assert later.ties.empty
    assert later.flows.empty


def test_an_office_works_only_between_its_dates(write_scenario: ScenarioWriter) -> None:
    network = netkoop.load(
        write_scenario(
            """
            units:
              - {id: a, name: A, kind: landkreis, land: BY, coordination_office: project,
                 office_since: 2016-07, office_until: 2020}
              - {id: b, name: B, kind: landkreis, land: BY, coordination_office: permanent}
              - {id: c, name: C, kind: landkreis, land: BY, coordination_office: none,
                 office_until: 2015}
            """
        )
    )

    def offices(day: str) -> list[str]:
        return network.at(day).units["coordination_office"].tolist()

    assert offices("2016-06-30") == ["none", "permanent", "none"]  # not yet filled
    assert offices("2016-07-01") == ["project", "permanent", "none"]
    assert offices("2020-12-31") == ["project", "permanent", "none"]  # the money's last day
    assert offices("2021") == ["none", "permanent", "none"]
    assert network.units["coordination_office"].tolist() == ["project", "permanent", "none"]


def test_a_unit_or_office_ending_before_it_begins_is_refused(
    write_scenario: ScenarioWriter,
) -> None:
    with pytest.raises(ScenarioError) as caught:
        netkoop.load(
            write_scenario(
                """
                units:
                  - {id: a, name: A, kind: landkreis, land: BY, since: 2016, until: 2015-12}
                  - {id: b, name: B, kind: landkreis, land: BY, coordination_office: project,
                     office_since: 2020-02, office_until: 2020-01-31}
                """
            )
        )
    text = str(caught.value)
    assert "field 'until', value '2015-12': the unit ends before it begins" in text
    assert "field 'office_until', value '2020-01-31': the office ends before it begins" in text


def test_the_input_is_never_changed(net: Network) -> None:
    tables = {name: getattr(net, name).copy(deep=True) for name in ("units", "ties", "flows")}
    for day in ("2014", "2016-05-31", "2018-01-01", "2020-07-01", "2030"):
        dated = net.at(day)
        assert dated is not net
    for name, table in tables.items():
        pd.testing.assert_frame_equal(getattr(net, name), table)
    assert len(net.ties) == 5
    assert len(net.units) == 6


def test_bad_dates_are_refused(net: Network, write_scenario: ScenarioWriter) -> None:
    with pytest.raises(NetworkEditError, match=r"'2016-13'.*a year \(2016\)"):
        net.at("2016-13")
    # A unit's dates are typed columns: a bad one is refused when the scenario is read.
    with pytest.raises(ScenarioError, match=r"field 'since', value 'bald': not allowed"):
        netkoop.load(
            write_scenario(
                """
                units:
                  - {id: a, name: A, kind: landkreis, land: BY, since: bald}
                """,
                folder="bad",
            )
        )


# --- the command line ---------------------------------------------------------------------


def _json(*args: str | Path) -> dict[str, Any]:
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_info_at(zeiten: Path) -> None:
    everything = _json("info", zeiten, "--format", "json")
    assert (everything["units"], everything["ties"]) == (6, 5)
    dated = _json("info", zeiten, "--format", "json", "--at", "2015-12-31")
    assert (dated["units"], dated["ties"]) == (5, 2)  # ties 2 and 4; the forum not yet
    assert dated["ties_by_kind"]["exchange"] == 2


def test_metrics_at(zeiten: Path) -> None:
    args = ("metrics", zeiten, "--metric", "structure", "--format", "json")
    assert _json(*args)["values"]["structure.ties"] == 5
    assert _json(*args, "--at", "2019-06-01")["values"]["structure.ties"] == 3  # ties 1, 3, 5
    assert _json(*args, "--at", "2020-07-01")["values"]["structure.units"] == 5


def test_render_at(zeiten: Path, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    assert run_cli("render", zeiten, "-o", page, "--at", "2016-01-01").exit_code == 0
    data = page_data(page.read_text(encoding="utf-8"))
    assert len(data["ties"]["from"]) == 5  # every tie is drawn; the slider shows them by day
    slider = data["slider"]
    assert slider["days"][slider["start"]] == "2016-01-01"  # the page opens on --at
    assert {row["key"]: row["value"] for row in data["headline"]}["ties"] == "3"  # 1, 2, 4


def test_export_at(zeiten: Path) -> None:
    args = ("export", zeiten, "--to", "json", "-o", "-")
    assert len(_json(*args)["elements"]["edges"]) == 5
    dated = _json(*args, "--at", "2016-06-01")["elements"]
    assert len(dated["edges"]) == 2  # ties 1 and 2
    assert len(dated["nodes"]) == 5


def _ties(report: dict[str, Any]) -> tuple[int, int]:
    row = next(r for r in report["tables"]["measures"] if r["measure"] == "structure.ties")
    return row["base"], row["whatif"]


def test_compare_at_one_scenario_at_two_dates(zeiten: Path) -> None:
    args = ("compare", zeiten, zeiten, "--metric", "structure", "--format", "json", "-o", "-")
    assert _ties(_json(*args)) == (5, 5)
    assert _ties(_json(*args, "--at", "2016-01-01")) == (3, 3)
    two = _json(*args, "--at-base", "2015", "--at-whatif", "2019-06-01")
    assert _ties(two) == (1, 3)  # only tie 4 on 2015-01-01; ties 1, 3, 5 on 2019-06-01
    assert two["values"]["ties_added"] == 3
    assert two["values"]["ties_removed"] == 1
    # --at-base overrides --at for the base only
    assert _ties(_json(*args, "--at", "2019-06-01", "--at-base", "2015")) == (1, 3)


def test_recommend_at(zeiten: Path) -> None:
    args = ("recommend", zeiten, "-k", "1", "--objective", "connectivity")
    assert "4 + 2 units" in run_cli(*args).stdout
    assert "3 + 2 units" in run_cli(*args, "--at", "2016-01-01").stdout  # no forum yet


@pytest.mark.parametrize(
    "args",
    [
        ["info", "--at", "2016-13"],
        ["metrics", "--at", "morgen"],
        ["compare", "--at-whatif", "31.02.2016"],
    ],
)
def test_a_bad_date_gives_one_error_line(zeiten: Path, args: list[str]) -> None:
    command, *rest = args
    scenarios = [zeiten, zeiten] if command == "compare" else [zeiten]
    result = run_cli(command, *scenarios, *rest)
    assert_one_error_line(result, problems_allowed=False)
    assert rest[0] in result.stderr
    assert rest[1] in result.stderr
    assert "a year (2016), a year-month (2016-05)" in result.stderr
