"""The date slider of a page: its days, when units and ties exist, and the figures of each day.

Every day's units, ties and key figures are checked against `Network.at` and `overview`;
the page itself is tried in a browser in test_render_dates_browser.py.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import netkoop
from conftest import page_data, run_cli
from netkoop import Network
from netkoop._errors import NetkoopError
from netkoop.metrics.overview import overview
from netkoop.model.dates import EVER, NEVER
from netkoop.model.metadata import Metadata
from netkoop.render import RenderOptions, diff_html, to_html
from netkoop.render.dates import change_days, date_slider, slider_days
from netkoop.render.measures import largest_gaps, moments_of, survey_figures
from netkoop.render.vis.figures import headline_rows, survey_rows

# A Landkreis merged away after 2020-06-30, a forum founded in 2018, two Gemeinden of lk-a.
# Ties (index: dates as written, the days they exist):
#   0 lk-a–lk-b  since 2016                   2016-01-01 on
#   1 g1–g2      2015-03-01 to 2017-12-31     those days
#   2 lk-a→f1    no dates                     with the forum: 2018-01-01 on
#   3 lk-b–lk-c  2014 to 2016-05              2014-01-01 to 2016-05-31
#   4 lk-a–lk-c  since 2019                   2019-01-01 to 2020-06-30, with lk-c
#   5 g2–lk-b    until 2016-01-01             ends on the day tie 0 begins
UNITS: list[dict[str, Any]] = [
    {"id": "lk-a", "name": "Kreis A", "kind": "landkreis", "land": "03", "population": 100},
    {"id": "lk-b", "name": "Kreis B", "kind": "landkreis", "land": "03", "population": 200},
    {"id": "g1", "name": "Eins", "kind": "gemeinde", "land": "03", "parent": "lk-a"},
    {"id": "g2", "name": "Zwei", "kind": "gemeinde", "land": "03", "parent": "lk-a"},
    {"id": "f1", "name": "Forum", "kind": "forum", "land": "03", "since": "2018"},
    {"id": "lk-c", "name": "Kreis C", "kind": "landkreis", "land": "03", "until": "2020-06-30"},
]
TIES: list[dict[str, Any]] = [
    {"from": "lk-a", "to": "lk-b", "kind": "exchange", "since": "2016"},
    {"from": "g1", "to": "g2", "kind": "exchange", "since": "2015-03-01", "until": "2017-12-31"},
    {"from": "lk-a", "to": "f1", "kind": "membership"},
    {"from": "lk-b", "to": "lk-c", "kind": "exchange", "since": "2014", "until": "2016-05"},
    {"from": "lk-a", "to": "lk-c", "kind": "joint_project", "since": "2019"},
    {"from": "g2", "to": "lk-b", "kind": "exchange", "until": "2016-01-01"},
]
FLOWS = [
    {"from": "lk-a", "to": "lk-b", "commuters": 1000},
    {"from": "g1", "to": "lk-c", "commuters": 500},
    {"from": "lk-c", "to": "lk-b", "commuters": 200},
]

#: The slider of the network above, by hand: the day before the first change, then each day
#: a tie or unit begins or is gone; with the ties existing on each.
DAYS = {
    "2013-12-31": {5},
    "2014-01-01": {3, 5},
    "2015-03-01": {1, 3, 5},
    "2016-01-01": {0, 1, 3, 5},  # tie 0 begins, tie 5 ends
    "2016-01-02": {0, 1, 3},
    "2016-06-01": {0, 1},
    "2018-01-01": {0, 2},  # the forum, with tie 2; tie 1 gone
    "2019-01-01": {0, 2, 4},
    "2020-07-01": {0, 2},  # lk-c gone
}


def stand(reference: str | None = None) -> Network:
    metadata = Metadata(name="stand", title="Stand", reference_date=reference)
    return Network.from_tables(UNITS, TIES, FLOWS, metadata=metadata)


def tie_rows(network: Network) -> list[tuple[str, str, str]]:
    ties = network.ties
    return sorted(zip(ties["from"], ties["to"], ties["kind"], strict=True))


def shown_ties(network: Network, dated: Any, day: str) -> list[tuple[str, str, str]]:
    on = (dated.tie_first <= day) & (day <= dated.tie_last)
    return tie_rows(network.with_tables(ties=network.ties[on]))


def same_figures(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal dicts of figures, NaN equal to NaN."""

    def equal(x: Any, y: Any) -> bool:
        both_nan = isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y)
        return both_nan or (x == y and type(x) is type(y))

    return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)


# --- the days -------------------------------------------------------------------------------


def test_the_slider_days_are_the_days_the_network_changes() -> None:
    dated = date_slider(stand())
    assert dated is not None
    assert dated.days == tuple(DAYS)
    assert dated.opening == "2020-07-01"  # no reference date: the last position


def test_on_every_day_the_slider_shows_exactly_the_ties_and_units_of_at() -> None:
    net = stand()
    dated = date_slider(net)
    assert dated is not None
    rows = list(zip(net.ties["from"], net.ties["to"], net.ties["kind"], strict=True))
    ids = net.units["id"].to_numpy()
    for day, expected in DAYS.items():
        assert shown_ties(net, dated, day) == sorted(rows[i] for i in expected)
        on_day = net.at(day)
        assert shown_ties(net, dated, day) == tie_rows(on_day)
        assert len(on_day.ties) == len(expected)
        units = (dated.unit_first <= day) & (day <= dated.unit_last)
        assert sorted(ids[units]) == sorted(on_day.units["id"])
    # between the positions nothing changes
    for day in ("2015-12-31", "2017-12-31", "2020-06-30", "2030-01-01"):
        assert shown_ties(net, dated, day) == tie_rows(net.at(day))


def test_the_ties_by_hand() -> None:
    net = stand()
    index = {row: i for i, row in enumerate(zip(net.ties["from"], net.ties["to"], strict=True))}
    for day, expected in DAYS.items():
        shown = net.at(day).ties
        assert {index[row] for row in zip(shown["from"], shown["to"], strict=True)} == expected


def test_lifetimes_follow_the_units_and_their_parents() -> None:
    units = [
        {"id": "k", "name": "K", "kind": "landkreis", "land": "09", "until": "2020"},
        {
            "id": "g",
            "name": "G",
            "kind": "gemeinde",
            "land": "09",
            "parent": "k",
            "since": "2016-05",
        },
        {"id": "h", "name": "H", "kind": "gemeinde", "land": "09", "parent": "k"},
    ]
    ties = [{"from": "g", "to": "h", "kind": "exchange", "since": "2010"}]
    dated = date_slider(Network.from_tables(units, ties))
    assert dated is not None
    assert dated.unit_first.tolist() == [EVER, "2016-05-01", EVER]
    assert dated.unit_last.tolist() == ["2020-12-31", "2020-12-31", "2020-12-31"]
    assert (dated.tie_first.tolist(), dated.tie_last.tolist()) == (["2016-05-01"], ["2020-12-31"])
    # the tie of 2010 waits for g: no day of its own
    assert dated.days == ("2016-04-30", "2016-05-01", "2021-01-01")


def test_a_network_without_dates_has_no_slider(region: Network) -> None:
    undated = region.with_tables(ties=region.ties.assign(since=None))
    assert date_slider(undated) is None
    assert page_data(to_html(undated))["slider"] is None


def test_the_example_region_opens_on_its_reference_date(region: Network) -> None:
    dated = date_slider(region)
    assert dated is not None
    years = [f"{y}-01-01" for y in range(2014, 2024)]  # every tie begins in a year
    assert dated.days == ("2013-12-31", *years, "2024-06-30")
    assert dated.opening == region.metadata.reference_date


@pytest.mark.parametrize(
    ("reference", "at", "opening", "inserted"),
    [
        ("2017-06-30", None, "2017-06-30", True),  # within the range
        ("2030-06-30", None, "2030-06-30", True),  # after the last change: still as it is
        ("2001-01-01", None, "2020-07-01", False),  # before the first position: the last
        ("2017-06-30", "2016", "2016-01-01", False),  # at wins; a year is its first day
        (None, "01.05.2015", "2015-05-01", True),
        (None, "2010-02-03", "2010-02-03", True),  # before everything
    ],
)
def test_the_day_the_page_opens_on(
    reference: str | None, at: str | None, opening: str, inserted: bool
) -> None:
    dated = date_slider(stand(reference), at=at)
    assert dated is not None
    assert dated.opening == opening
    assert list(dated.days) == sorted(set(DAYS) | {opening})
    assert (opening not in DAYS) == inserted


def test_change_days_leave_out_open_ends_and_rows_that_never_exist() -> None:
    first = np.array(["2016-01-01", EVER, "2019-01-01", EVER])
    last = np.array([NEVER, "2017-02-28", "2018-12-31", NEVER])
    assert change_days(first, last) == ["2016-01-01", "2017-03-01"]


def test_many_change_days_step_by_month_then_by_year() -> None:
    days = [f"2016-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17)]
    assert slider_days(days, limit=100) == ["2016-01-02", *days]
    monthly = slider_days(days, limit=20)
    assert monthly == ["2016-01-02", *(f"2016-{m:02d}-01" for m in range(2, 13)), "2017-01-01"]
    yearly = slider_days(days, limit=5)
    assert yearly == ["2016-01-02", "2017-01-01"]
    decades = [f"{y}-06-15" for y in range(1700, 2020)]
    stepped = slider_days(decades, limit=300)
    assert len(stepped) <= 300
    assert stepped[0] == "1700-06-14"
    assert stepped[-1] > decades[-1]
    assert all(day.endswith("-01-01") for day in stepped[1:])


def test_a_capped_slider_still_shows_at_on_every_position() -> None:
    units = [{"id": f"k{i}", "name": f"K{i}", "kind": "landkreis", "land": "09"} for i in range(40)]
    rng = random.Random(3)  # noqa: S311 - test data, not secrets
    ties = [
        {
            "from": f"k{i}",
            "to": f"k{(i + 1) % 40}",
            "kind": "exchange",
            "since": f"2016-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }
        for i in range(40)
    ]
    net = Network.from_tables(units, ties)
    dated = date_slider(net)
    assert dated is not None
    assert len(change_days(dated.tie_first, dated.tie_last)) + 1 <= 300  # not capped here
    capped = slider_days(change_days(dated.tie_first, dated.tie_last), limit=10)
    for day in capped:
        assert shown_ties(net, dated, day) == tie_rows(net.at(day))


# --- the figures of each day ----------------------------------------------------------------


def random_dated(seed: int) -> Network:
    """A random network with dated units (Gemeinden under Landkreise), ties, flows, survey."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets

    def date() -> str | None:
        year = rng.randint(2010, 2020)
        return rng.choice([None, str(year), f"{year}-{rng.randint(1, 12):02d}", f"{year}-03-15"])

    units: list[dict[str, Any]] = []
    for k in range(4):
        units.append(
            {
                "id": f"lk{k}",
                "name": f"LK {k}",
                "kind": "landkreis",
                "land": "03",
                "until": date() if rng.random() < 0.3 else None,
                "responded": rng.choice([True, False, None]),
            }
        )
        for g in range(3):
            units.append(
                {
                    "id": f"g{k}{g}",
                    "name": f"G {k}{g}",
                    "kind": "gemeinde",
                    "land": "03",
                    "parent": f"lk{k}",
                    "since": date() if rng.random() < 0.3 else None,
                    "responded": rng.choice([True, False, None]),
                }
            )
    units.append({"id": "ag", "name": "AG", "kind": "forum", "land": "03", "since": "2015"})
    ids = [u["id"] for u in units]
    ties = []
    for _ in range(30):
        a, b = rng.sample(ids, 2)
        since = date()
        until = date() if rng.random() < 0.4 else None
        if since and until and until < since:
            since, until = until, since
        kind = "membership" if b == "ag" else "exchange"
        ties.append(
            {
                "from": a,
                "to": b,
                "kind": kind,
                "since": since,
                "until": until,
                "confirmed": rng.choice(["yes", "no", "unknown", None]),
            }
        )
    pairs = {tuple(rng.sample(ids[:-1], 2)) for _ in range(25)}
    flows = [{"from": a, "to": b, "commuters": rng.randint(1, 900)} for a, b in sorted(pairs)]
    return Network.from_tables(units, ties, flows)


@pytest.mark.parametrize("network", ["stand", "beispielregion", *range(6)], ids=str)
def test_the_figures_of_every_day_are_those_of_at(network: str | int, region: Network) -> None:
    if isinstance(network, int):
        net = random_dated(network)
    else:
        net = stand() if network == "stand" else region
    dated = date_slider(net)
    assert dated is not None
    opening, moments = moments_of(net, dated)
    assert [m.day for m in moments] == list(dated.days)
    for moment in moments:
        on = net.at(moment.day)
        shown = overview(on)
        assert same_figures(moment.headline, shown.headline), moment.day
        assert moment.survey == survey_figures(on.units, on.ties)
        assert moment.gaps == largest_gaps(on, shown.pairs)
        assert shown_ties(net, dated, moment.day) == tie_rows(on)
    assert same_figures(opening.headline, overview(net.at(dated.opening)).headline)


def test_the_stand_figures_by_hand() -> None:
    net = stand()
    dated = date_slider(net)
    assert dated is not None
    moments = {m.day: m.headline for m in moments_of(net, dated)[1]}
    assert moments["2013-12-31"]["ties"] == 1
    assert moments["2013-12-31"]["units"] == 5  # the forum not yet
    assert moments["2013-12-31"]["commuters"] == 1700
    assert moments["2016-01-01"]["coverage"] == (1000 + 200) / 1700  # lk-a–lk-b, lk-b–lk-c
    assert moments["2020-07-01"]["units"] == 5  # lk-c gone, the forum there
    assert moments["2020-07-01"]["commuters"] == 1000  # flows of lk-c gone with it
    assert moments["2020-07-01"]["components"] == 3  # lk-a, lk-b, f1 | g1 | g2


# --- the page -------------------------------------------------------------------------------


def test_the_page_carries_the_slider_and_the_figures_of_every_day() -> None:
    net = stand("2017-06-30")
    data = page_data(to_html(net))
    slider = data["slider"]
    assert slider["days"] == sorted([*DAYS, "2017-06-30"])
    assert slider["labels"][0] == "31.12.2013"
    assert slider["days"][slider["start"]] == "2017-06-30"
    for day, rows in zip(slider["days"], slider["headline"], strict=True):
        on = net.at(day)
        assert rows == headline_rows(overview(on).headline, None, "de") + survey_rows(
            survey_figures(on.units, on.ties), "de"
        )
    assert data["headline"] == slider["headline"][slider["start"]]
    assert len(data["ties"]["from"]) == len(TIES)  # every tie is drawn, shown by day
    assert len(data["units"]["id"]) == len(UNITS)


def test_every_tie_and_unit_has_its_days_in_the_page() -> None:
    net = stand()
    slider = page_data(to_html(net))["slider"]
    days = slider["dates"]
    assert days == sorted(days)
    first = [days[c] for c in slider["ties"]["first"]]
    last = [days[c] for c in slider["ties"]["last"]]
    assert (first[5], last[5]) == (EVER, "2016-01-01")
    assert (first[2], last[2]) == ("2018-01-01", NEVER)  # with the forum
    assert [days[c] for c in slider["units"]["last"]][5] == "2020-06-30"


def test_english_pages_write_iso_dates() -> None:
    slider = page_data(to_html(stand(), lang="en"))["slider"]
    assert slider["labels"][:2] == ["2013-12-31", "2014-01-01"]
    assert slider["headline"][0][0]["label"] == "units"


def test_render_at_opens_on_the_date_and_draws_everything(tmp_path: Path) -> None:
    data = page_data(to_html(stand(), at="2016-01-01"))
    slider = data["slider"]
    assert slider["days"][slider["start"]] == "2016-01-01"
    ties = {row["key"]: row["value"] for row in data["headline"]}["ties"]
    assert ties == "4"
    assert len(data["ties"]["from"]) == len(TIES)


def test_an_undated_network_at_a_date_is_drawn_as_at_gives_it() -> None:
    units = [
        {
            "id": "a",
            "name": "A",
            "kind": "landkreis",
            "land": "09",
            "coordination_office": "project",
            "office_since": "2019",
            "office_until": "2021",
        },
        {
            "id": "b",
            "name": "B",
            "kind": "landkreis",
            "land": "09",
            "coordination_office": "permanent",
        },
    ]
    net = Network.from_tables(units, [{"from": "a", "to": "b", "kind": "exchange"}])
    assert date_slider(net) is None  # an office's dates move no unit or tie
    data = page_data(to_html(net, at="2023"))
    assert data["slider"] is None
    details = dict(zip(data["unitDetails"]["keys"], data["unitDetails"]["values"], strict=True))
    assert details["coordination_office"] == ["keine", "dauerhaft"]


def test_a_dated_page_knows_the_days_of_each_office() -> None:
    units = [dict(u) for u in UNITS]
    units[0] |= {
        "coordination_office": "project",
        "office_since": "2016",
        "office_until": "2018-06",
    }
    net = Network.from_tables(units, TIES, FLOWS)
    slider = page_data(to_html(net))["slider"]
    office = slider["office"]
    days = slider["dates"]
    assert (days[office["first"][0]], days[office["last"][0]]) == ("2016-01-01", "2018-06-30")
    assert days[office["first"][1]] == EVER
    assert office["none"] == "keine"


def test_a_comparison_has_no_slider_and_compares_on_the_date(region: Network) -> None:
    more = region.add_ties(
        [{"from": "lk-nord", "to": "lk-sued", "kind": "exchange", "since": "2020"}]
    )
    data = page_data(diff_html(region, more))
    assert data["slider"] is None
    on_date = page_data(diff_html(region, more, at="2016-01-01"))
    assert len(on_date["ties"]["from"]) == len(region.at("2016-01-01").ties)


def test_a_date_that_is_no_date_is_refused() -> None:
    with pytest.raises(NetkoopError, match=r"at: '2016-13' is not a date; use a year \(2016\)"):
        RenderOptions(at="2016-13")


def test_the_command_line_opens_the_page_on_at(tmp_path: Path) -> None:
    folder = tmp_path / "stand"
    stand().save(folder)
    page = tmp_path / "stand.html"
    result = run_cli("render", folder / "scenario.yaml", "-o", page, "--at", "2016-01-01")
    assert result.exit_code == 0, result.output
    slider = page_data(page.read_text(encoding="utf-8"))["slider"]
    assert slider["days"][slider["start"]] == "2016-01-01"
    bad = run_cli("render", folder / "scenario.yaml", "-o", page, "--at", "morgen", "--force")
    assert bad.exit_code != 0
    assert "'morgen' is not a date" in bad.stderr


def test_the_bundled_region_page_opens_on_the_whole_network(region: Network) -> None:
    data = page_data(to_html(region))
    assert data["slider"]["labels"][data["slider"]["start"]] == "30.06.2024"
    assert {row["key"]: row["value"] for row in data["headline"]}["ties"] == str(len(region.ties))
    assert netkoop.load("beispielregion").at("2024-06-30").ties.shape == region.ties.shape
