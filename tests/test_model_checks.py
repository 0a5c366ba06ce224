"""Table checks: every rule reports its severity, place, field, value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

import netkoop
from conftest import KREISE, WITH_FORUM, assert_problems

pytestmark = pytest.mark.usefixtures("folder")


def test_valid_scenarios_have_no_problems(minimal):
    assert netkoop.validate(minimal).problems == []
    assert netkoop.validate("beispielregion").problems == []


# --- units -----------------------------------------------------------------------------------


def test_duplicate_unit_id_names_the_first(tables):
    units = KREISE + "c,Landkreis C,landkreis,09,\na,Landkreis A again,landkreis,09,\n"
    assert_problems(
        tables(units=units),
        (
            "error",
            "units.csv, row 5",
            "id",
            "a",
            "duplicate id; every unit needs its own id (first at units.csv, row 2)",
        ),
    )


def test_duplicate_unit_id_across_files(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        units: {file: units.csv}
        forums:
          - {id: b, name: AG Integration}
        """,
        units__csv=KREISE,
    )
    assert_problems(
        path,
        ("error", "scenario.yaml, line 4", "id", "b", "(first at units.csv, row 3)"),
    )


def test_unknown_unit_kind(tables):
    assert_problems(
        tables(units=KREISE + "c,C,stadt,09,\n"),
        (
            "error",
            "units.csv, row 4",
            "kind",
            "stadt",
            "not allowed; allowed: land, landkreis, kreisfreie_stadt, gemeinde, forum",
        ),
    )


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Kreisfreie Stadt", "kreisfreie_stadt"),
        ("Stadtkreis", "kreisfreie_stadt"),
        ("Landkreis", "landkreis"),
    ],
)
def test_german_unit_kinds_are_accepted(tables, written, kind):
    result = netkoop.validate(tables(units=f"id,name,kind,land\nx,X,{written},09\n"))
    assert result.problems == []
    assert result.network.units["kind"].tolist() == [kind]


def test_forums_table_holds_forums_only(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        units: {file: units.csv}
        forums:
          - {id: ag, name: AG, kind: landkreis, land: "09"}
        """,
        units__csv=KREISE,
    )
    assert_problems(
        path,
        (
            "error",
            "scenario.yaml, line 4",
            "kind",
            "landkreis",
            "the forums table holds forums only",
        ),
    )


PARENTS = """\
id,name,kind,land,parent
lk-by,Landkreis in Bayern,landkreis,09,
lk-nw,Kreis in Nordrhein-Westfalen,landkreis,05,
stadt,Kreisfreie Stadt,kreisfreie_stadt,09,
"""


@pytest.mark.parametrize(
    ("row", "value", "says"),
    [
        ("g,G,gemeinde,09,", None, "a kreisangehörige Gemeinde needs its parent Landkreis"),
        ("g,G,gemeinde,09,lk-xx", "lk-xx", "unknown parent; it must be the id of a Landkreis"),
        (
            "g,G,gemeinde,09,stadt",
            "stadt",
            "the parent must be a Landkreis; 'stadt' is a kreisfreie Stadt",
        ),
        (
            "g,G,gemeinde,09,lk-nw",
            "lk-nw",
            "the Gemeinde lies in Land 09 (Bayern) but its parent Landkreis 'lk-nw' in 05 "
            "(Nordrhein-Westfalen)",
        ),
        (
            "lk,L,landkreis,09,lk-by",
            "lk-by",
            "only a kreisangehörige Gemeinde has a parent; a Landkreis has none",
        ),
        (
            "ks,K,kreisfreie_stadt,09,lk-by",
            "lk-by",
            "only a kreisangehörige Gemeinde has a parent; a kreisfreie Stadt has none",
        ),
    ],
)
def test_parent_rules(tables, row, value, says):
    assert_problems(
        tables(units=PARENTS + row + "\n"), ("error", "units.csv, row 5", "parent", value, says)
    )


def test_gemeinde_with_its_landkreis_is_valid(tables):
    assert netkoop.validate(tables(units=PARENTS + "g,G,gemeinde,BY,lk-by\n")).problems == []


@pytest.mark.parametrize(
    ("rows", "severity", "where", "value", "says"),
    [
        (
            "09162,München,kreisfreie_stadt,05,\n",
            "error",
            "units.csv, row 2",
            "09162",
            "the key's Land part 09 contradicts the unit's Land 05 (Nordrhein-Westfalen)",
        ),
        (
            "09184,Landkreis München,landkreis,09,\n09185119,Garching,gemeinde,09,09184\n",
            "error",
            "units.csv, row 3",
            "09185119",
            "the key's Kreis part 09185 contradicts the parent Landkreis 09184",
        ),
        (
            "9162,München,kreisfreie_stadt,09,\n",
            "warning",
            "units.csv, row 2",
            "9162",
            "one id has lost the leading zero of an official key ('9162' is '09162'); store keys as text",
        ),
        (
            "9184,Landkreis München,landkreis,09,\n",
            "warning",
            "units.csv, row 2",
            "9184",
            "('9184' is '09184')",
        ),
        (
            "09184,Landkreis München,landkreis,09,\n9184119,Garching,gemeinde,09,09184\n",
            "warning",
            "units.csv, row 3",
            "9184119",
            "('9184119' is '09184119')",
        ),
    ],
)
def test_official_keys(tables, *, rows, severity, where, value, says):
    units = "id,name,kind,land,parent\n" + rows
    assert_problems(tables(units=units), (severity, where, "id", value, says))


def test_missing_land_except_for_forums(tables):
    units = "id,name,kind,land,parent\nlk,L,landkreis,,\nag,AG,forum,,\n"
    assert_problems(
        tables(units=units),
        ("error", "units.csv, row 2", "land", None, "missing Land; every unit but a forum"),
    )


@pytest.mark.parametrize("land", ["Bavaria", "17", "00", "Bay"])
def test_unknown_land(tables, land):
    units = f"id,name,kind,land,parent\nlk,L,landkreis,{land},\n"
    assert_problems(
        tables(units=units),
        (
            "error",
            "units.csv, row 2",
            "land",
            land,
            "not allowed; allowed: a Land key 01-16, name or abbreviation (e.g. 09, Bayern, BY)",
        ),
    )


@pytest.mark.parametrize("land", ["Bayern", "BY", "9", "09", "bayern"])
def test_land_name_or_abbreviation_becomes_its_key(tables, land):
    result = netkoop.validate(
        tables(units=f"id,name,kind,land\n09162,München,kreisfreie_stadt,{land}\n")
    )
    assert result.problems == []
    assert result.network.units["land"].tolist() == ["09"]


def test_inline_land_number_becomes_its_key(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        units:
          - {id: 09162, name: München, kind: kreisfreie_stadt, land: 9}
        """
    )
    result = netkoop.validate(path)
    assert result.problems == []
    assert result.network.units[["id", "land"]].values.tolist() == [["09162", "09"]]


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("lat", "91", "out of range; allowed: -90 to 90"),
        ("lat", "-90.5", "out of range; allowed: -90 to 90"),
        ("lon", "-181", "out of range; allowed: -180 to 180"),
        ("lon", "180.01", "out of range; allowed: -180 to 180"),
        ("lat", "north", "not a number; expected a number"),
        ("coordination_office", "yes", "not allowed; allowed: none, project, permanent, mandatory"),
        ("population", "-3", "negative; a count is 0 or more"),
        ("population", "1.5", "fractional; a count is a whole number"),
    ],
)
def test_unit_values(tables, column, value, says):
    units = f"id,name,kind,land,{column}\nlk,L,landkreis,09,{value}\n"
    assert_problems(tables(units=units), ("error", "units.csv, row 2", column, value, says))


# --- ties ------------------------------------------------------------------------------------


def inline_tie(write_scenario, row: str) -> Path:
    """A scenario whose tie on line 5 is ``row``, between two memberships that tie every unit."""
    return write_scenario(
        f"""\
        format_version: 1
        units: {{file: units.csv}}
        ties:
          - {{from: a, to: ag, kind: membership}}
          - {row}
          - {{from: b, to: ag, kind: membership}}
        """,
        units__csv=WITH_FORUM,
    )


TIE_KINDS = "exchange, shared_staff, joint_project, shared_material, service_opening, membership"


@pytest.mark.parametrize(
    ("row", "severity", "field", "value", "says"),
    [
        (
            "{from: a, to: xx, kind: exchange}",
            "error",
            "to",
            "xx",
            "unknown unit; ties must name the id of a unit in units",
        ),
        (
            "{from: yy, to: b, kind: exchange}",
            "error",
            "from",
            "yy",
            "unknown unit; ties must name the id of a unit in units",
        ),
        (
            "{from: a, to: a, kind: exchange}",
            "error",
            "to",
            "a",
            "a tie joins two different units; from and to are the same",
        ),
        (
            "{from: a, to: b, kind: friendship}",
            "error",
            "kind",
            "friendship",
            f"not allowed; allowed: {TIE_KINDS}",
        ),
        (
            "{from: a, to: b, kind: membership}",
            "error",
            "to",
            "b",
            "a membership points to a forum; 'b' is a Landkreis",
        ),
        (
            "{from: a, to: ag, kind: exchange}",
            "warning",
            "kind",
            "exchange",
            "a forum usually takes part through membership ties",
        ),
        (
            "{from: ag, to: b, kind: joint_project}",
            "warning",
            "kind",
            "joint_project",
            "a forum usually takes part through membership ties",
        ),
        (
            "{from: a, to: b, kind: exchange, intensity: often}",
            "error",
            "intensity",
            "often",
            "not allowed; allowed: occasional, regular, intensive",
        ),
        (
            "{from: a, to: b, kind: exchange, level: boss}",
            "error",
            "level",
            "boss",
            "not allowed; allowed: leadership, operational",
        ),
        (
            "{from: a, to: b, kind: exchange, funding: free}",
            "error",
            "funding",
            "free",
            "not allowed; allowed: voluntary, project, mandatory",
        ),
        (
            "{from: a, to: b, kind: exchange, confidence: 1.5}",
            "error",
            "confidence",
            "1.5",
            "out of range; allowed: 0 to 1",
        ),
        (
            "{from: a, to: b, kind: exchange, confidence: -0.1}",
            "error",
            "confidence",
            "-0.1",
            "out of range; allowed: 0 to 1",
        ),
        (
            "{from: a, to: b, kind: exchange, since: 2019/05}",
            "error",
            "since",
            "2019/05",
            "allowed: a year (2019), year-month (2019-05) or a date that exists (2019-05-01 or "
            "01.05.2019)",
        ),
        (
            "{from: a, to: b, kind: exchange, until: soon}",
            "error",
            "until",
            "soon",
            "allowed: a year (2019), year-month (2019-05) or a date that exists",
        ),
        (
            "{from: a, to: b, kind: exchange, since: 2020, until: 2019-05}",
            "error",
            "until",
            "2019-05",
            "the tie ends before it begins; until must not be earlier than since",
        ),
    ],
)
def test_tie_rules(write_scenario, *, row, severity, field, value, says):
    path = inline_tie(write_scenario, row)
    assert_problems(path, (severity, "scenario.yaml, line 5", field, value, says))


@pytest.mark.parametrize(
    ("since", "until"),
    [("2019", "2019"), ("2019-05", "2019"), ("01.05.2019", "2019-05-01"), ("2019-05-01", None)],
)
def test_tie_dates_accepted(write_scenario, since, until):
    ends = f", until: {until}" if until else ""
    path = inline_tie(write_scenario, f"{{from: a, to: b, kind: exchange, since: {since}{ends}}}")
    assert netkoop.validate(path).problems == []


def test_exactly_duplicated_tie_warns_and_keeps_both(tables):
    ties = (
        "from,to,kind,intensity\na,b,exchange,regular\nb,a,joint_project,\na,b,exchange,regular\n"
    )
    result = assert_problems(
        tables(units=KREISE, ties=ties),
        (
            "warning",
            "ties.csv, row 4",
            "kind",
            "exchange",
            "the same tie is listed twice; both are kept (first at ties.csv, row 2)",
        ),
    )
    assert len(result.network.ties) == 3


def test_ties_differing_in_an_attribute_are_not_duplicates(tables):
    ties = "from,to,kind,intensity\na,b,exchange,regular\na,b,exchange,occasional\n"
    assert netkoop.validate(tables(units=KREISE, ties=ties)).problems == []


def test_unit_with_no_tie_warns_when_ties_exist(tables):
    units = KREISE + "c,Landkreis C,landkreis,09,\n"
    assert_problems(
        tables(units=units, ties="from,to,kind\na,b,exchange\n"),
        ("warning", "units", None, None, "1 unit has no tie (c); they are isolates"),
    )


def test_no_isolate_warning_without_ties(tables):
    assert netkoop.validate(tables(units=WITH_FORUM)).problems == []


# --- flows -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "field", "value", "says"),
    [
        ("a,xx,10,1", "to", "xx", "unknown unit; flows must name the id of a unit in units"),
        ("yy,b,10,1", "from", "yy", "unknown unit; flows must name the id of a unit in units"),
        ("a,a,10,1", "to", "a", "a flow joins two different units; from and to are the same"),
        ("ag,b,10,1", "from", "ag", "commuters flow between places; a forum is not one"),
        ("a,b,,1", "commuters", None, "missing value; every row needs a commuters"),
        ("a,b,-5,1", "commuters", "-5", "negative; a count is 0 or more"),
        ("a,b,2.5,1", "commuters", "2.5", "fractional; a count is a whole number"),
        ("a,b,viele,1", "commuters", "viele", "not a number; expected a whole number (a count)"),
        ("a,b,10,-1", "foreign", "-1", "negative; a count is 0 or more"),
        ("a,b,10,0.5", "foreign", "0.5", "fractional; a count is a whole number"),
        ("a,b,10,n/a", "foreign", "n/a", "not a number; expected a whole number (a count)"),
    ],
)
def test_flow_rules(tables, row, field, value, says):
    flows = f"from,to,commuters,foreign\n{row}\n"
    assert_problems(
        tables(units=WITH_FORUM, flows=flows), ("error", "flows.csv, row 2", field, value, says)
    )


def test_german_csv_counts(tables):
    flows = "from;to;commuters;foreign\na;b;1.234;2,5\n"
    assert_problems(
        tables(units=KREISE, flows=flows),
        ("error", "flows.csv, row 2", "foreign", "2,5", "fractional; a count is a whole number"),
    )


def test_inline_flow_counts(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        units: {file: units.csv}
        flows:
          - {from: a, to: b, commuters: 100}
          - {from: b, to: a, commuters: -7}
        """,
        units__csv=KREISE,
    )
    assert_problems(
        path,
        ("error", "scenario.yaml, line 5", "commuters", "-7", "negative; a count is 0 or more"),
    )


def test_duplicate_flow_for_the_same_direction(tables):
    flows = "from,to,commuters\na,b,10\nb,a,5\na,b,20\n"
    assert_problems(
        tables(units=KREISE, flows=flows),
        (
            "error",
            "flows.csv, row 4",
            "to",
            "a -> b",
            "a second flow for the same pair and direction; add them up into one row "
            "(first at flows.csv, row 2)",
        ),
    )


# --- the cap of 20 problems per rule ---------------------------------------------------------


def many_units(count: int) -> str:
    return "id,name,kind,land\nhub,Hub,landkreis,09\n" + "".join(
        f"s{i:02d},S{i},landkreis,09\n" for i in range(1, count + 1)
    )


@pytest.mark.parametrize(
    ("table", "csv", "first_row", "field", "says"),
    [
        (
            "flows",
            "from,to,commuters\n" + "".join(f"s{i:02d},hub,-1\n" for i in range(1, 26)),
            2,
            "commuters",
            "negative; a count is 0 or more",
        ),
        (
            "flows",
            "from,to,commuters\n" + "".join(f"s{i:02d},nowhere,1\n" for i in range(1, 26)),
            2,
            "to",
            "unknown unit; flows must name the id of a unit in units",
        ),
        (
            "flows",
            "from,to,commuters\n" + "s01,hub,1\n" * 26,
            3,
            "to",
            "a second flow for the same pair and direction",
        ),
        (
            "units",
            "id,name,kind,land\n" + "hub,Hub,landkreis,09\n" * 26,
            3,
            "id",
            "duplicate id",
        ),
    ],
)
def test_twenty_problems_per_rule_then_a_count(tables, *, table, csv, first_row, field, says):
    path = tables(**{"units": many_units(25), table: csv})
    found = netkoop.validate(path).problems
    assert len(found) == 21, found
    listed, summary = found[:20], found[20]
    assert [p.where for p in listed] == [f"{table}.csv, row {first_row + i}" for i in range(20)]
    assert all(p.severity == "error" and p.field == field and says in p.message for p in listed)
    assert summary.severity == "error"
    assert summary.where == f"{table}.csv, row {first_row + 20} and 4 more rows"
    assert summary.field == field
    assert says in summary.message


# --- one pass, load ---------------------------------------------------------------------------


def test_all_problems_are_reported_in_one_pass(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        nodes: 1
        units: {file: units.csv}
        forums:
          - {id: ag, name: AG}
        ties:
          - {from: a, to: a, kind: exchange}
          - {from: a, to: ag, kind: membership}
          - {from: b, to: ag, kind: friendship}
        flows: {file: flows.csv}
        """,
        units__csv="id,name,kind,land,lat\na,A,landkreis,09,95\nb,B,landkreis,09,48\nb,B,landkreis,09,48\n",
        flows__csv="from,to,commuters\na,b,viele\n",
    )
    assert_problems(
        path,
        ("error", "scenario.yaml, line 2", "nodes", None, "unknown key"),
        ("error", "units.csv, row 2", "lat", "95", "out of range"),
        ("error", "units.csv, row 4", "id", "b", "duplicate id"),
        ("error", "scenario.yaml, line 7", "to", "a", "a tie joins two different units"),
        ("error", "scenario.yaml, line 9", "kind", "friendship", "not allowed"),
        ("error", "flows.csv, row 2", "commuters", "viele", "not a number"),
    )


def test_load_raises_scenario_error_with_the_problems(tables):
    path = tables(units=KREISE, flows="from,to,commuters\na,a,10\n")
    with pytest.raises(netkoop.ScenarioError) as caught:
        netkoop.load(path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert [(p.severity, p.where, p.field, p.value) for p in error.problems] == [
        ("error", "flows.csv, row 2", "to", "a")
    ]
    assert error.errors == error.problems
    assert "1 error" in str(error)
    assert "flows.csv, row 2" in str(error)


def test_load_warns_once_about_an_oddity(tables):
    path = tables(units="id,name,kind,land\n9162,München,kreisfreie_stadt,09\n")
    with pytest.warns(netkoop.NetkoopWarning) as record:
        network = netkoop.load(path)
    assert len(record) == 1
    assert "units.csv, row 2" in str(record[0].message)
    assert "lost the leading zero of an official key" in str(record[0].message)
    assert network.units["id"].tolist() == ["9162"]


def test_load_warns_once_about_several_oddities(tables):
    units = "id,name,kind,land\n9162,München,kreisfreie_stadt,09\n09184.0,Landkreis,landkreis,09\n"
    with pytest.warns(netkoop.NetkoopWarning) as record:
        netkoop.load(tables(units=units))
    assert len(record) == 1
    assert "(and 1 more; 'netkoop validate' lists them)" in str(record[0].message)
