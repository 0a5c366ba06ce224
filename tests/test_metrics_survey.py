"""The survey's measures and the tie selections ``--ties confirmed`` and ``--min-confidence``.

Every value is worked out by hand on `survey_network`: eight units of a Landkreis Nord (lk,
with the Gemeinden g1, g2, g3), a Landkreis Süd (lk2, with g4), a kreisfreie Stadt (st) and
a forum (f); six were asked and five answered; eight ties, seven from the survey.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import netkoop
from conftest import assert_one_error_line, run_cli
from netkoop import Network
from netkoop.metrics import SECTIONS, metrics_report, study_counts
from netkoop.metrics.survey import reciprocity, response, ties_by_status, union_and_confirmed
from netkoop.model.selection import confirmation, responded, tie_selection
from netkoop.whatif import recommend

#: responded: lk, st, g1, g3, g4 answered; g2 was asked and did not answer; lk2, f not asked.
SURVEY_UNITS: list[dict[str, Any]] = [
    {"id": "lk", "name": "Landkreis Nord", "kind": "landkreis", "land": "03", "responded": True},
    {"id": "lk2", "name": "Landkreis Süd", "kind": "landkreis", "land": "03"},
    {"id": "st", "name": "Hafenstadt", "kind": "kreisfreie_stadt", "land": "03", "responded": True},
    {"id": "g1", "name": "Gemeinde Eins", "kind": "gemeinde", "land": "03", "parent": "lk"},
    {"id": "g2", "name": "Gemeinde Zwei", "kind": "gemeinde", "land": "03", "parent": "lk"},
    {"id": "g3", "name": "Gemeinde Drei", "kind": "gemeinde", "land": "03", "parent": "lk"},
    {"id": "g4", "name": "Gemeinde Vier", "kind": "gemeinde", "land": "03", "parent": "lk2"},
    {"id": "f", "name": "AG Integration", "kind": "forum", "land": "03"},
]
for _unit, _said in zip(SURVEY_UNITS[3:7], (True, False, True, True), strict=True):
    _unit["responded"] = _said

#: Ties 0, 1, 7 both sides reported; 2 and 4 the other side answered without naming them;
#: 3 and 5 the other side did not answer (g2) or was not asked (the forum); 6 is a tie of
#: the base scenario, from no survey. Tie 7 carries a comment.
SURVEY_TIES: list[dict[str, Any]] = [
    {"from": "g1", "to": "g3", "kind": "exchange", "intensity": "regular"},
    {"from": "lk", "to": "st", "kind": "exchange"},
    {"from": "g1", "to": "st", "kind": "joint_project"},
    {"from": "g2", "to": "g3", "kind": "exchange"},
    {"from": "lk", "to": "g4", "kind": "exchange"},
    {"from": "g1", "to": "f", "kind": "membership"},
    {"from": "lk", "to": "lk2", "kind": "exchange"},
    {"from": "g3", "to": "lk", "kind": "exchange", "comment": "Telefon alle zwei Wochen"},
]
_REPORTS = [
    ("yes", "both", 1.0),
    ("yes", "both", 1.0),
    ("no", "g1", 0.3),
    ("unknown", "g3", 0.6),
    ("no", "g4", 0.3),
    ("unknown", "g1", 0.6),
    None,
    ("yes", "both", 1.0),
]
for _tie, _report in zip(SURVEY_TIES, _REPORTS, strict=True):
    if _report is not None:
        _tie |= dict(zip(("confirmed", "reported_by", "confidence"), _report, strict=True))

#: Commuters: g1–st 500 (tie 2, one side), lk–st 300 (tie 1, both), g2–g3 200 (tie 3, one
#: side), g4–lk 100 (tie 4, one side): all 1,100 covered by all ties, 300 by confirmed ones.
SURVEY_FLOWS: list[dict[str, Any]] = [
    {"from": "g1", "to": "st", "commuters": 400},
    {"from": "st", "to": "g1", "commuters": 100},
    {"from": "lk", "to": "st", "commuters": 300},
    {"from": "g2", "to": "g3", "commuters": 200},
    {"from": "g4", "to": "lk", "commuters": 100},
]


def survey_network() -> Network:
    """The hand-made network of the survey tests (see the module docstring)."""
    metadata = netkoop.Metadata(name="befragung", title="Befragung Landkreis Nord")
    return Network.from_tables(SURVEY_UNITS, SURVEY_TIES, SURVEY_FLOWS, metadata=metadata)


@pytest.fixture(scope="module")
def surveyed() -> Network:
    return survey_network()


@pytest.fixture
def saved(surveyed: Network, tmp_path: Path) -> Path:
    return surveyed.save(tmp_path / "befragung")


# --- reading the columns --------------------------------------------------------------------


def test_confirmation_and_answers_are_read_from_the_columns(surveyed: Network) -> None:
    assert confirmation(surveyed.ties).tolist() == [
        "yes",
        "yes",
        "no",
        "unknown",
        "no",
        "unknown",
        "not_surveyed",
        "yes",
    ]
    answered = responded(surveyed.units)
    assert answered is not None
    assert answered.tolist() == [True, pd.NA, True, True, False, True, True, pd.NA]
    words = pd.DataFrame({"responded": ["ja", "Nein", None, "vielleicht"]})
    assert responded(words).tolist() == [True, False, pd.NA, pd.NA]  # type: ignore[union-attr]
    assert responded(pd.DataFrame({"id": ["a"]})) is None


def test_the_columns_survive_saving_and_loading(saved: Path) -> None:
    report = metrics_report(netkoop.load(saved), metrics=["survey"])
    assert report.values["survey.response_rate"] == 5 / 6
    assert report.values["survey.reciprocity"] == 0.6


# --- the survey section -----------------------------------------------------------------------


def test_response_rate_counts_the_units_asked(surveyed: Network) -> None:
    values = metrics_report(surveyed, metrics=["survey"]).values
    # asked: lk, st, g1, g2, g3, g4 (lk2 and the forum were not); g2 did not answer
    assert (values["survey.asked"], values["survey.answered"]) == (6, 5)
    assert values["survey.response_rate"] == 5 / 6
    assert response(surveyed).to_dict("index") == {
        "landkreis": {"asked": 1, "answered": 1, "response_rate": 1.0},
        "kreisfreie_stadt": {"asked": 1, "answered": 1, "response_rate": 1.0},
        "gemeinde": {"asked": 4, "answered": 3, "response_rate": 0.75},
    }


def test_ties_by_confirmation_and_kind(surveyed: Network) -> None:
    values = metrics_report(surveyed, metrics=["survey"]).values
    assert values["survey.ties_reported"] == 7  # all but the base scenario's lk–lk2
    assert values["survey.ties_confirmed"] == 3  # ties 0, 1, 7
    assert values["survey.asymmetric"] == 2  # ties 2, 4
    assert values["survey.ties_unknown"] == 2  # ties 3, 5
    table = ties_by_status(surveyed)
    assert table.index.tolist() == ["yes", "no", "unknown", "not_surveyed"]
    assert table.to_dict("index") == {
        "yes": {"exchange": 3, "joint_project": 0, "membership": 0, "total": 3},
        "no": {"exchange": 1, "joint_project": 1, "membership": 0, "total": 2},
        "unknown": {"exchange": 1, "joint_project": 0, "membership": 1, "total": 2},
        "not_surveyed": {"exchange": 1, "joint_project": 0, "membership": 0, "total": 1},
    }


def test_reciprocity_among_ties_whose_both_sides_answered(surveyed: Network) -> None:
    found = reciprocity(surveyed)
    # both answered: g1–g3, lk–st, g1–st, lk–g4, g3–lk; g2 did not answer, f was not asked
    assert (found.both_answered, found.confirmed, found.asymmetric_ties) == (5, 3, 2)
    assert found.reciprocity == 0.6
    assert found.by_type.to_dict("index") == {
        "landkreis–kreisfreie_stadt": {
            "both_answered": 1,
            "confirmed": 1,
            "asymmetric": 0,
            "reciprocity": 1.0,
        },
        "landkreis–gemeinde (same Kreis)": {
            "both_answered": 1,
            "confirmed": 1,
            "asymmetric": 0,
            "reciprocity": 1.0,
        },
        "landkreis–gemeinde (across Kreise)": {
            "both_answered": 1,
            "confirmed": 0,
            "asymmetric": 1,
            "reciprocity": 0.0,
        },
        "kreisfreie_stadt–gemeinde": {
            "both_answered": 1,
            "confirmed": 0,
            "asymmetric": 1,
            "reciprocity": 0.0,
        },
        "gemeinde–gemeinde (same Kreis)": {
            "both_answered": 1,
            "confirmed": 1,
            "asymmetric": 0,
            "reciprocity": 1.0,
        },
    }
    assert found.asymmetric.to_dict("records") == [
        {
            "from": "g1",
            "name_from": "Gemeinde Eins",
            "to": "st",
            "name_to": "Hafenstadt",
            "kind": "joint_project",
            "pair_type": "kreisfreie_stadt–gemeinde",
            "reported_by": "g1",
        },
        {
            "from": "lk",
            "name_from": "Landkreis Nord",
            "to": "g4",
            "name_to": "Gemeinde Vier",
            "kind": "exchange",
            "pair_type": "landkreis–gemeinde (across Kreise)",
            "reported_by": "g4",
        },
    ]


def test_a_directed_tie_asks_no_confirmation(surveyed: Network) -> None:
    opened = {"from": "st", "to": "g1", "kind": "service_opening", "confirmed": "unknown"}
    found = reciprocity(surveyed.add_ties([opened | {"reported_by": "st"}]))
    # both st and g1 answered, but nobody is asked to confirm an opening of services
    assert (found.both_answered, found.confirmed, found.reciprocity) == (5, 3, 0.6)


def test_without_answers_both_sides_answered_when_the_tie_says_so(surveyed: Network) -> None:
    bare = surveyed.with_tables(units=surveyed.units.drop(columns=["responded"]))
    found = reciprocity(bare)
    # confirmed yes or no: the other side answered (ties 0, 1, 2, 4, 7)
    assert (found.both_answered, found.confirmed, found.reciprocity) == (5, 3, 0.6)
    values = metrics_report(bare, metrics=["survey"]).values
    assert "survey.response_rate" not in values
    assert values["survey.reciprocity"] == 0.6


def test_union_and_confirmed_side_by_side(surveyed: Network) -> None:
    table = union_and_confirmed(surveyed)
    # union: 8 ties joining 8 pairs of 8 units, one component; E-I over the 7 ties between
    # Kreise members (the forum tie left out): 3 inside (g1–g3, g2–g3, g3–lk), 4 across.
    # confirmed: ties 0, 1, 7 and the base tie 6: g1, g3, lk, st, lk2 joined; g2, g4 and the
    # forum alone; 2 inside, 2 across.
    expected = {
        "structure.ties": (8, 4, -4),
        "structure.pairs": (8, 4, -4),
        "structure.density": (8 / 28, 4 / 28, -4 / 28),
        "structure.components": (1, 4, 3),
        "structure.isolates": (0, 3, 3),
        "structure.largest_component": (8, 5, -3),
        "kreis.ei": (1 / 7, 0.0, -1 / 7),
        "kreis.internal": (3, 2, -1),
        "kreis.external": (4, 2, -2),
        "gap.coverage": (1.0, 300 / 1100, 300 / 1100 - 1.0),
    }
    assert table.index.tolist() == list(expected)
    assert table.columns.tolist() == ["union", "confirmed", "difference"]
    for measure, values in expected.items():
        assert table.loc[measure].tolist() == pytest.approx(values), measure
    assert isinstance(table.loc["structure.ties", "union"], int)


def test_the_section_holds_every_table_and_plain_values(surveyed: Network) -> None:
    report = metrics_report(surveyed, metrics=["survey"])
    assert list(report.values) == [
        "survey.asked",
        "survey.answered",
        "survey.response_rate",
        "survey.ties_reported",
        "survey.ties_confirmed",
        "survey.ties_unknown",
        "survey.asymmetric",
        "survey.both_answered",
        "survey.reciprocity",
    ]
    assert list(report.tables) == [
        "survey_response",
        "survey_ties",
        "survey_reciprocity",
        "survey_asymmetric",
        "survey_union_confirmed",
    ]
    assert all(not hasattr(v, "dtype") for v in report.values.values())
    data = json.loads(report.to_json())
    rows = {row["measure"]: row for row in data["tables"]["survey_union_confirmed"]}
    assert rows["structure.ties"] == {
        "measure": "structure.ties",
        "union": 8,
        "confirmed": 4,
        "difference": -4,
    }


def test_only_respondents_give_only_the_response(surveyed: Network) -> None:
    asked = surveyed.with_tables(ties=surveyed.ties[["from", "to", "kind"]])
    report = metrics_report(asked, metrics=["survey"])
    assert list(report.values) == ["survey.asked", "survey.answered", "survey.response_rate"]
    assert list(report.tables) == ["survey_response"]


def test_a_network_without_a_survey_skips_the_section(region: Network) -> None:
    assert "survey" in SECTIONS
    report = metrics_report(region)
    assert not [key for key in report.values if key.startswith("survey")]
    assert not [name for name in report.tables if name.startswith("survey")]
    assert metrics_report(region, metrics=["survey"]).values == {}


def test_no_answer_at_all_gives_nan_not_an_error() -> None:
    units = [{"id": "a", "name": "A", "kind": "landkreis", "land": "03"}]
    ties = [{"from": "a", "to": "a2", "kind": "exchange", "confirmed": "unknown"}]
    units.append({"id": "a2", "name": "B", "kind": "landkreis", "land": "03"})
    values = metrics_report(Network.from_tables(units, ties), metrics=["survey"]).values
    assert values["survey.both_answered"] == 0
    assert values["survey.reciprocity"] is None  # NaN, a missing value in a report


def test_the_study_counts_count_a_tie_both_sides_reported_for_both(surveyed: Network) -> None:
    counts = study_counts(surveyed, reported=True)
    # g1 (g1–g3, both) and g3 count a tie inside the Kreis; g2's tie g2–g3 only g3 reported
    assert counts.loc["gemeinde", "tie_inside"] == 2
    assert study_counts(surveyed).loc["gemeinde", "tie_inside"] == 3


def test_the_workbook_labels_the_survey_in_german(surveyed: Network, tmp_path: Path) -> None:
    path = metrics_report(surveyed, metrics=["survey"]).write(tmp_path / "r.xlsx")
    assert path is not None
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:6] == [
        "Überblick",
        "Rücklauf je Art",
        "Verbindungen nach Bestätigung",
        "Gegenseitigkeit je Paarart",
        "Asymmetrische Verbindungen",
        "Alle und bestätigte",
    ]
    overview = {row[0]: row[1] for row in book["Überblick"].iter_rows(min_row=2, values_only=True)}
    assert overview["Befragung: Rücklaufquote"] == pytest.approx(5 / 6)
    assert overview["Befragung: Gegenseitigkeit"] == pytest.approx(0.6)
    rules = list(book["Alle und bestätigte"].iter_rows(values_only=True))
    assert rules[0] == ("Kennzahl", "alle Verbindungen", "bestätigt", "Differenz")
    assert rules[1] == ("Verbindungen", 8, 4, -4)


# --- selecting ties ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ties", "least", "kept"),
    [
        (["confirmed"], None, [0, 1, 6, 7]),  # yes, and the base tie no survey reported
        (["exchange", "confirmed"], None, [0, 1, 6, 7]),
        (["joint_project", "membership"], None, [2, 5]),
        (["bestätigt", "Mitgliedschaft"], None, []),  # German words; the forum tie: unknown
        (None, 0.5, [0, 1, 3, 5, 6, 7]),  # 0.3 goes; the base tie has none: 1.0
        (None, 0.6, [0, 1, 3, 5, 6, 7]),  # at least, not more than
        (None, 1.0, [0, 1, 6, 7]),
        (["exchange"], 0.5, [0, 1, 3, 6, 7]),
        (["confirmed"], 0.0, [0, 1, 6, 7]),
    ],
)
def test_select_ties(
    surveyed: Network, ties: list[str] | None, least: float | None, kept: list[int]
) -> None:
    chosen = surveyed.select_ties(ties, min_confidence=least)
    expected = surveyed.ties.iloc[kept].reset_index(drop=True)
    assert chosen.ties.equals(expected)


def test_selecting_everything_returns_the_same_network(surveyed: Network) -> None:
    assert surveyed.select_ties() is surveyed
    assert tie_selection(None).everything
    assert tie_selection(["confirmed"]).words() == ["confirmed"]
    assert tie_selection(["membership", "confirmed"]).words() == ["membership", "confirmed"]


def test_bad_selections_are_named(region: Network) -> None:
    with pytest.raises(
        netkoop.NetkoopError,
        match=r"^'confirmed' keeps the ties both sides reported, and the ties of "
        r"'beispielregion' have no 'confirmed' column \(survey ties have one: ",
    ):
        region.select_ties(["exchange", "confirmed"])
    with pytest.raises(netkoop.NetkoopError, match=r"min_confidence must lie between 0 and 1"):
        region.select_ties(min_confidence=1.5)
    with pytest.raises(
        netkoop.NetkoopError,
        match=r"unknown tie kind\(s\) confirmd; tie kinds: .*; or 'confirmed' for the ties",
    ):
        region.select_ties(["confirmd"])
    least = region.select_ties(min_confidence=0.8).ties
    assert len(least) == int((region.ties["confidence"].fillna(1.0) >= 0.8).sum()) == 17


def test_metrics_measure_the_selected_ties(surveyed: Network) -> None:
    report = metrics_report(surveyed, ties=["confirmed"], metrics=["structure", "survey"])
    assert report.values["structure.ties"] == 4
    assert report.values["survey.ties_reported"] == 3  # only the confirmed ones are left
    least = metrics_report(surveyed, min_confidence=0.5, metrics=["structure"])
    assert least.values["structure.ties"] == 6


# --- the commands -------------------------------------------------------------------------------


def test_metrics_command_takes_confirmed_and_min_confidence(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_cli(
        "metrics",
        saved,
        "--ties",
        "exchange,confirmed",
        "--min-confidence",
        "0.5",
        "--metric",
        "structure,survey",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["values"]["structure.ties"] == 4
    assert data["provenance"]["options"]["ties"] == ["exchange", "confirmed"]
    assert data["provenance"]["options"]["min_confidence"] == 0.5
    text = run_cli("metrics", saved, "--metric", "survey").output
    assert "Befragung: Rücklaufquote" in text
    assert "Alle und bestätigte" in text
    assert "Anteil Pendler mit Verbindung" in text  # the rows named as people read them
    english = run_cli("metrics", saved, "--metric", "survey", "--lang", "en").output
    assert "survey: reciprocity" in english


def test_confirmed_on_ties_without_the_column_is_one_error_line(tmp_path: Path) -> None:
    for command in (
        ("metrics", "beispielregion", "--ties", "confirmed"),
        ("render", "beispielregion", "--ties", "confirmed", "-o", tmp_path / "n.html"),
        ("export", "beispielregion", "--ties", "confirmed", "-o", tmp_path / "n.gexf"),
        ("recommend", "beispielregion", "--ties", "confirmed"),
        ("compare", "beispielregion", "beispielregion", "--ties", "confirmed"),
    ):
        result = run_cli(*command)
        assert_one_error_line(result, problems_allowed=False)
        assert "have no 'confirmed' column" in result.stderr, command
    assert not list(tmp_path.iterdir())
    bad = run_cli("metrics", "beispielregion", "--min-confidence", "2")
    assert bad.exit_code == 2
    assert "--min-confidence" in bad.stderr


def test_compare_keeps_the_ties_of_a_base_without_a_survey(saved: Path, tmp_path: Path) -> None:
    base = survey_network()
    plain = base.with_tables(ties=base.ties[["from", "to", "kind"]]).save(tmp_path / "plain")
    out = tmp_path / "cmp.json"
    result = run_cli(
        "compare", plain, saved, "--ties", "confirmed", "--metric", "structure", "-o", out
    )
    assert result.exit_code == 0, result.output
    measures = {r["measure"]: r for r in json.loads(out.read_text("utf-8"))["tables"]["measures"]}
    assert (measures["structure.ties"]["base"], measures["structure.ties"]["whatif"]) == (8, 4)


def test_recommend_counts_only_the_selected_ties(saved: Path) -> None:
    found = recommend(netkoop.load(saved), k=3, ties=["confirmed"])
    # without the one-sided ties g1–st (500), g2–g3 (200) and g4–lk (100) are uncovered
    assert found.ties[["from", "to", "commuters"]].to_numpy().tolist() == [
        ["st", "g1", 500],
        ["g2", "g3", 200],
        ["lk", "g4", 100],
    ]
    assert found.counted == ("confirmed",)
    assert found.provenance()["options"]["ties"] == ["confirmed"]
    least = recommend(netkoop.load(saved), k=3, min_confidence=0.5)
    assert least.ties[["from", "to"]].to_numpy().tolist() == [["st", "g1"], ["lk", "g4"]]
    assert least.provenance()["options"]["min_confidence"] == 0.5
    text = run_cli("recommend", saved, "-k", "1", "--ties", "confirmed", "--min-confidence", "0.5")
    assert "counting only confirmed ties, ties of confidence 0.5 or more" in text.output


def test_export_writes_only_the_selected_ties(saved: Path, tmp_path: Path) -> None:
    from netkoop.export import export_graph

    net = netkoop.load(saved)
    graph = export_graph(net, ["confirmed"], min_confidence=0.5)
    assert sorted(key for _, _, key in graph.edges(keys=True)) == [
        "tie-0",
        "tie-1",
        "tie-6",
        "tie-7",
    ]  # the ids of the ties in the whole table
    out = tmp_path / "n.json"
    result = run_cli("export", saved, "--ties", "confirmed", "--min-confidence", "0.5", "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert len(data["elements"]["edges"]) == 4
    assert data["data"]["netkoop"]["options"]["confirmed"] is True
    assert data["data"]["netkoop"]["options"]["min_confidence"] == 0.5
