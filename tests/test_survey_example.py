"""The bundled survey example, end to end: create, fill (in openpyxl and in the HTML form in
Chromium), collect, and every tie, confirmation and response figure worked out by hand."""

from __future__ import annotations

import importlib.util
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from test_survey_form_browser import Opener, browser, open_form  # noqa: F401 - fixtures

import netkoop
from netkoop._errors import NetkoopWarning
from netkoop.survey import collect

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "befragung"
BUNDLED = REPO / "scenarios" / "beispielregion-befragung"


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("befragung_beispiel", EXAMPLE / "beispiel.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


beispiel = _example()

# Worked out by hand from ANSWERS in examples/befragung/beispiel.py: (from, to, kind) ->
# (reported_by, confirmed). Undirected kinds are written once, from the smaller id;
# service_opening and membership run from the reporting side and are never asked back.
EXPECTED = {
    ("auenfeld", "birkenhain", "exchange"): ("auenfeld", "unknown"),  # Birkenhain silent
    ("auenfeld", "dorfstetten", "exchange"): ("both", "yes"),
    ("auenfeld", "eichwalde", "exchange"): ("both", "yes"),
    ("auenfeld", "lk-nord", "exchange"): ("both", "yes"),
    ("birkenhain", "dorfstetten", "exchange"): ("dorfstetten", "unknown"),
    ("eichwalde", "fahrendorf", "exchange"): ("eichwalde", "no"),  # Fahrendorf answered
    ("eichwalde", "lk-nord", "exchange"): ("both", "yes"),
    ("fahrendorf", "gruenau", "exchange"): ("both", "yes"),
    ("fahrendorf", "heidbrueck", "exchange"): ("both", "yes"),
    ("fahrendorf", "lk-sued", "exchange"): ("both", "yes"),
    ("lk-sued", "moorhausen", "exchange"): ("lk-sued", "unknown"),  # Moorhausen silent
    ("lk-sued", "musterstadt", "exchange"): ("both", "yes"),
    ("birkenhain", "dorfstetten", "shared_staff"): ("dorfstetten", "unknown"),
    ("gruenau", "heidbrueck", "joint_project"): ("both", "yes"),
    ("heidbrueck", "moorhausen", "shared_material"): ("heidbrueck", "unknown"),
    ("musterstadt", "lk-nord", "service_opening"): ("musterstadt", "unknown"),
    ("auenfeld", "lag-ni", "membership"): ("auenfeld", "unknown"),
    ("lk-nord", "lag-ni", "membership"): ("lk-nord", "unknown"),
    ("lk-sued", "lag-ni", "membership"): ("lk-sued", "unknown"),
    ("musterstadt", "lag-ni", "membership"): ("musterstadt", "unknown"),
}


def _quiet(spec: str | Path) -> netkoop.Network:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        return netkoop.load(spec)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example run afresh into a new folder."""
    out = tmp_path_factory.mktemp("beispiel") / "befragung"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        beispiel.main(out)
    return out


def test_the_collected_ties_are_the_ones_worked_out_by_hand(run: Path) -> None:
    network = _quiet(run / "ergebnis")
    ties = network.ties
    found = {
        (a, b, kind): (by, confirmed)
        for a, b, kind, by, confirmed in zip(
            ties["from"],
            ties["to"],
            ties["kind"],
            ties["reported_by"],
            ties["confirmed"],
            strict=True,
        )
    }
    assert found == EXPECTED
    assert ties["confirmed"].value_counts().to_dict() == {"unknown": 10, "yes": 9, "no": 1}
    confidence = dict(zip(ties["confirmed"], ties["confidence"], strict=True))
    assert confidence == {"yes": 1.0, "unknown": 0.6, "no": 0.3}
    # Landkreis Nordheide says intensive, Auenfeld regular: the lower claim is kept.
    disputed = ties[(ties["from"] == "auenfeld") & (ties["to"] == "lk-nord")].iloc[0]
    assert (disputed["intensity"], disputed["intensity_rule"], disputed["differs"]) == (
        "regular",
        "lower",
        "intensity",
    )
    units = network.units.set_index("id")
    assert units["responded"].dropna().to_dict() == {
        unit: unit not in ("birkenhain", "moorhausen")
        for unit in ("musterstadt", "lk-nord", "lk-sued", "auenfeld", "birkenhain",
                     "dorfstetten", "eichwalde", "fahrendorf", "gruenau", "heidbrueck",
                     "moorhausen")
    }  # fmt: skip
    assert units.loc["lk-sued", "coordination_office"] == "permanent"
    assert bool(units.loc["musterstadt", "case_management"]) is True


def test_the_response_report_says_9_of_11_and_names_the_one_sided_pair(run: Path) -> None:
    report = pd.read_csv(run / "ergebnis" / "rücklauf.csv", dtype=str)
    overall = report[(report["section"] == "rate") & (report["group"] == "overall")].iloc[0]
    assert (overall["asked"], overall["answered"]) == ("11", "9")
    silent = report[(report["section"] == "respondent") & (report["responded"] == "false")]
    assert sorted(silent["id"]) == ["birkenhain", "moorhausen"]
    one_sided = report[report["section"] == "asymmetric"]
    assert one_sided[["id", "partner", "tie_kind"]].values.tolist() == [
        ["eichwalde", "fahrendorf", "exchange"]
    ]
    text = (run / "ergebnis" / "rücklauf.md").read_text(encoding="utf-8")
    assert "| insgesamt | 11 | 9 | 81,8 % |" in text
    assert "| Eichwalde (eichwalde) | Fahrendorf (fahrendorf) | Erfahrungsaustausch |" in text


def test_the_bundled_files_are_what_the_example_writes(run: Path) -> None:
    """The committed survey, answers and collected scenario are the script's output."""
    for folder in ("region", "umfrage"):
        for path in sorted((EXAMPLE / folder).rglob("*")):
            if path.is_file():
                relative = path.relative_to(EXAMPLE)
                assert (run / relative).read_bytes() == path.read_bytes(), relative
    for path in sorted(BUNDLED.iterdir()):
        assert (run / "ergebnis" / path.name).read_bytes() == path.read_bytes(), path.name
    # The answer workbooks carry the time openpyxl saved them; their cells are the same.
    import openpyxl

    for path in sorted((EXAMPLE / "antworten").glob("*.xlsx")):
        fresh = openpyxl.load_workbook(run / "antworten" / path.name)
        committed = openpyxl.load_workbook(path)
        for name in ("Partner", "Eigene Angaben"):
            assert list(fresh[name].values) == list(committed[name].values), (path.name, name)


def test_collecting_the_committed_answers_gives_the_bundled_scenario(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from netkoop.cli import main

    result = CliRunner().invoke(
        main,
        ["survey", "collect", str(EXAMPLE / "antworten"), "--survey", str(EXAMPLE / "umfrage"),
         "-o", str(tmp_path / "ergebnis")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("ties.csv", "units.csv", "reports.csv", "rücklauf.csv", "rücklauf.md"):
        assert (tmp_path / "ergebnis" / name).read_bytes() == (BUNDLED / name).read_bytes(), name
    assert _quiet("beispielregion-befragung").equals(_quiet(tmp_path / "ergebnis"))


def test_rules_on_the_example(tmp_path: Path) -> None:
    files = sorted((EXAMPLE / "antworten").iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        confirmed = collect(files, EXAMPLE / "umfrage", rule="confirmed")
        respondent = collect(files, EXAMPLE / "umfrage", rule="respondent")
    # Both sides: the 9 ties marked yes above; each report its own tie: 9 respondents' 29.
    assert len(confirmed.ties) == 9
    assert set(confirmed.ties["confirmed"]) == {"yes"}
    assert len(respondent.ties) == sum(len(r) for r in beispiel.ANSWERS.values()) == 29


def test_the_html_form_filled_in_chromium_gives_the_same_ties(
    run: Path,
    open_form: Opener,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    """Grünau answers in the browser: its saved file collects like the script's."""
    form = open_form(EXAMPLE / "umfrage" / "Formulare" / "gruenau_Grünau.html")
    for partner, kind, intensity, level, funding, since in beispiel.ANSWERS["gruenau"]:
        form.choose(partner, f"{kind}.presence", "yes")
        form.choose(partner, f"{kind}.intensity", intensity)
        form.choose(partner, f"{kind}.level", level)
        form.choose(partner, f"{kind}.funding", funding)
        form.choose(partner, f"{kind}.since", str(since))
    about = form.page.locator("#about")
    about.locator("select[name='coordination_office']").select_option("none")
    about.locator("select[name='integration_concept']").select_option(label="nein")
    about.locator("select[name='case_management']").select_option(label="nein")
    name, saved = form.save()
    form.assert_clean()
    assert name == "gruenau_antworten.json"
    script = json.loads((EXAMPLE / "antworten" / "gruenau_antworten.json").read_text("utf-8"))
    assert {k: v for k, v in saved.items() if k != "saved"} == {
        k: v for k, v in script.items() if k != "saved"
    }
    answers = tmp_path / "antworten"
    answers.mkdir()
    for path in (EXAMPLE / "antworten").glob("*.xlsx"):
        (answers / path.name).write_bytes(path.read_bytes())
    (answers / name).write_text(json.dumps(saved), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        collected = collect(sorted(answers.iterdir()), EXAMPLE / "umfrage")
    pd.testing.assert_frame_equal(
        collected.ties.reset_index(drop=True),
        _quiet(BUNDLED).ties[collected.ties.columns].reset_index(drop=True),
    )


def test_the_terminal_reads_the_survey_in_german() -> None:
    from click.testing import CliRunner

    from netkoop.cli import main

    runner = CliRunner()
    german = runner.invoke(main, ["metrics", "beispielregion-befragung", "--metric", "survey"])
    assert german.exit_code == 0, german.output
    # 8 Gemeinden asked, Birkenhain and Moorhausen silent: 6 answered, 0.75.
    assert re.search(r"^kreisangehörige Gemeinde +8 +6 +0,7500$", german.stdout, re.M)
    assert re.search(r"^  Befragung: Rücklaufquote +0,8182$", german.stdout, re.M)  # 9 / 11
    assert re.search(r"^nein +1 ", german.stdout, re.M)  # Eichwalde -> Fahrendorf
    english = runner.invoke(
        main, ["metrics", "beispielregion-befragung", "--metric", "survey", "--lang", "en"]
    )
    assert re.search(r"^Gemeinde \(kreisangehörig\) +8 +6 +0\.75$", english.stdout, re.M)
    assert re.search(r"^no +1 ", english.stdout, re.M)


def test_survey_ties_replace_the_base_ties_they_answer_for(tmp_path: Path) -> None:
    """Surveyed on beispielregion itself, whose 21 ties the answers partly repeat: no tie is
    listed twice. Auenfeld and Landkreis Nordheide answer; their 7 ties (Auenfeld with
    Birkenhain, Dorfstetten, Eichwalde and the Landkreis, Eichwalde with the Landkreis, both
    memberships in lag-ni) are all in the base, so 7 are replaced and 14 stay."""
    from netkoop.survey import create

    survey = create("beispielregion", tmp_path / "u", date=beispiel.DATE)
    answers = tmp_path / "a"
    answers.mkdir()
    for respondent in ("auenfeld", "lk-nord"):
        blank = survey.workbooks[respondent]
        beispiel.fill_workbook(blank, answers / blank.name, respondent)
    with pytest.warns(NetkoopWarning, match="21 ties: 7 .* replaced by it, 14 stay"):
        collected = collect(sorted(answers.iterdir()), tmp_path / "u")
    ties = collected.network.ties
    assert len(ties) == 21
    pairs = ties.apply(lambda t: (t["kind"], *sorted((t["from"], t["to"]))), axis=1)
    assert not pairs.duplicated().any()
    assert (ties["source"].str.startswith("survey:")).sum() == 7
