"""`netkoop survey create`: respondents, rosters, the workbooks, the files beside them, errors.

The rosters of beispielregion are worked out by hand from its units.csv (no borders table,
so no neighbouring Kreise): Musterstadt is a Kreis of its own, Nordheide (lk-nord) holds
Auenfeld, Birkenhain, Dorfstetten and Eichwalde, Südmarsch (lk-sued) Fahrendorf, Grünau,
Heidbrück and Moorhausen; lag-ni is the forum of Land 03, buko a forum of no Land.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

import netkoop
from conftest import assert_one_error_line, run_cli, snapshot, xss_network
from netkoop.survey.questionnaires import create
from netkoop.survey.roster import SurveyError, survey_id

DATE = "2025-03-01"
NORD = ("lk-nord", "auenfeld", "birkenhain", "dorfstetten", "eichwalde")
SUED = ("lk-sued", "fahrendorf", "gruenau", "heidbrueck", "moorhausen")
EVERY = ("musterstadt", "lk-nord", "lk-sued", *NORD[1:], *SUED[1:])

#: Default rosters when every unit that is not a forum is asked: the other respondents (own
#: Kreis first, each Kreis unit before its Gemeinden, then the other Kreise in table order),
#: then the Land forum lag-ni. buko has no Land, so it is on no roster.
ROSTERS = {
    "musterstadt": (*NORD, *SUED, "lag-ni"),
    "lk-nord": (
        "auenfeld",
        "birkenhain",
        "dorfstetten",
        "eichwalde",
        "musterstadt",
        *SUED,
        "lag-ni",
    ),
    "lk-sued": (
        "fahrendorf",
        "gruenau",
        "heidbrueck",
        "moorhausen",
        "musterstadt",
        *NORD,
        "lag-ni",
    ),
    "auenfeld": (
        "lk-nord",
        "birkenhain",
        "dorfstetten",
        "eichwalde",
        "musterstadt",
        *SUED,
        "lag-ni",
    ),
    "birkenhain": (
        "lk-nord",
        "auenfeld",
        "dorfstetten",
        "eichwalde",
        "musterstadt",
        *SUED,
        "lag-ni",
    ),
    "dorfstetten": (
        "lk-nord",
        "auenfeld",
        "birkenhain",
        "eichwalde",
        "musterstadt",
        *SUED,
        "lag-ni",
    ),
    "eichwalde": (
        "lk-nord",
        "auenfeld",
        "birkenhain",
        "dorfstetten",
        "musterstadt",
        *SUED,
        "lag-ni",
    ),
    "fahrendorf": (
        "lk-sued",
        "gruenau",
        "heidbrueck",
        "moorhausen",
        "musterstadt",
        *NORD,
        "lag-ni",
    ),
    "gruenau": (
        "lk-sued",
        "fahrendorf",
        "heidbrueck",
        "moorhausen",
        "musterstadt",
        *NORD,
        "lag-ni",
    ),
    "heidbrueck": (
        "lk-sued",
        "fahrendorf",
        "gruenau",
        "moorhausen",
        "musterstadt",
        *NORD,
        "lag-ni",
    ),
    "moorhausen": (
        "lk-sued",
        "fahrendorf",
        "gruenau",
        "heidbrueck",
        "musterstadt",
        *NORD,
        "lag-ni",
    ),
}

NO_BORDERS = (
    "das Szenario hat keine Nachbarschaften (borders), daher stehen auf jeder Liste nur die "
    "Einheiten des eigenen Kreises, keine der Nachbarkreise (Nachbarschaften mit 'netkoop "
    "import adjacency' ergänzen)"
)

#: The answer columns of sheet Partner: five per tie kind, then the comment.
COLUMNS = {
    "E": "exchange.presence",
    "F": "exchange.intensity",
    "G": "exchange.level",
    "H": "exchange.funding",
    "I": "exchange.since",
    "J": "shared_staff.presence",
    "K": "shared_staff.intensity",
    "L": "shared_staff.level",
    "M": "shared_staff.funding",
    "N": "shared_staff.since",
    "O": "joint_project.presence",
    "P": "joint_project.intensity",
    "Q": "joint_project.level",
    "R": "joint_project.funding",
    "S": "joint_project.since",
    "T": "shared_material.presence",
    "U": "shared_material.intensity",
    "V": "shared_material.level",
    "W": "shared_material.funding",
    "X": "shared_material.since",
    "Y": "service_opening.presence",
    "Z": "service_opening.intensity",
    "AA": "service_opening.level",
    "AB": "service_opening.funding",
    "AC": "service_opening.since",
    "AD": "membership.presence",
    "AE": "membership.intensity",
    "AF": "membership.level",
    "AG": "membership.funding",
    "AH": "membership.since",
    "AI": "comment",
}

HEADERS = [
    "Schlüssel",
    "Name",
    "Art",
    "Kreis",
    *(
        header
        for kind in (
            "Erfahrungsaustausch",
            "geteilte Stelle",
            "gemeinsames Projekt",
            "geteiltes Material",
            "Öffnung von Angeboten",
            "Mitgliedschaft",
        )
        for header in (f"{kind}: ja/nein", "Intensität", "Ebene", "Finanzierung", "seit")
    ),
    "Bemerkung",
]

YES_NO = '"ja,nein"'
LISTS = {
    "presence": YES_NO,
    "intensity": '"gelegentlich,regelmäßig,intensiv"',
    "level": '"Leitungsebene,Arbeitsebene"',
    "funding": '"freiwillig,Projektförderung,Pflichtaufgabe"',
}


@pytest.fixture(scope="module")
def everyone(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A survey of every unit of beispielregion that is not a forum, on a fixed date."""
    return create("beispielregion", tmp_path_factory.mktemp("s") / "befragung", date=DATE)


def partner_rows(sheet: Any) -> list[list[Any]]:
    return [
        [sheet.cell(row=r, column=c).value for c in range(1, 5)]
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value is not None
    ]


def validations(sheet: Any) -> dict[str, tuple[str, str | None, str | None]]:
    found = {}
    for check in sheet.data_validations.dataValidation:
        for where in str(check.sqref).split():
            found[where] = (check.type, check.formula1, check.formula2)
    return found


# --- respondents and rosters ----------------------------------------------------------------


def test_every_unit_but_forums_is_asked_and_each_roster_is_as_worked_out(everyone: Any) -> None:
    assert everyone.respondents == EVERY
    assert dict(everyone.partners) == ROSTERS
    assert everyone.notes == (NO_BORDERS,)
    assert everyone.id == survey_id("beispielregion", EVERY, DATE)
    assert everyone.name == "Befragung beispielregion"
    assert everyone.scenario == "beispielregion"


def test_a_kreis_asks_its_own_unit_and_gemeinden(tmp_path: Path) -> None:
    made = create("beispielregion", tmp_path / "s", kreis="lk-nord", date=DATE)
    assert made.respondents == NORD
    assert dict(made.partners) == {
        r: (*(other for other in NORD if other != r), "lag-ni") for r in NORD
    }
    # By name, and only the Gemeinden of the Kreis.
    made = create(
        "beispielregion", tmp_path / "t", kreis="Landkreis Südmarsch", kinds="Gemeinde", date=DATE
    )
    assert made.respondents == SUED[1:]
    assert made.partners["gruenau"] == (
        "lk-sued",
        "fahrendorf",
        "heidbrueck",
        "moorhausen",
        "lag-ni",
    )


def test_respondents_by_id_get_their_kreis_and_the_others(tmp_path: Path) -> None:
    made = create("beispielregion", tmp_path / "s", respondents="auenfeld, musterstadt", date=DATE)
    assert made.respondents == ("musterstadt", "auenfeld")  # in table order
    assert dict(made.partners) == {
        "musterstadt": ("auenfeld", "lag-ni"),
        "auenfeld": ("lk-nord", "birkenhain", "dorfstetten", "eichwalde", "musterstadt", "lag-ni"),
    }


def test_partners_all_and_respondents(tmp_path: Path) -> None:
    made = create(
        "beispielregion", tmp_path / "s", respondents=["auenfeld"], partners="all", date=DATE
    )
    assert made.partners["auenfeld"] == (
        "lk-nord",
        "birkenhain",
        "dorfstetten",
        "eichwalde",
        "musterstadt",
        *SUED,
        "lag-ni",
        "buko",
    )
    assert made.notes == ()
    made = create(
        "beispielregion", tmp_path / "t", kreis="lk-nord", partners="respondents", date=DATE
    )
    assert made.partners["eichwalde"] == ("lk-nord", "auenfeld", "birkenhain", "dorfstetten")
    alone = create(
        "beispielregion", tmp_path / "u", respondents="auenfeld", partners="respondents", date=DATE
    )
    assert alone.partners == {"auenfeld": ()}
    assert alone.notes == (
        "1 Partnerliste(n) leer ('auenfeld'): diese Befragten können Partner nur in den freien "
        "Zeilen nennen",
    )
    rows = load_workbook(alone.workbooks["auenfeld"])["netkoop"]
    assert [(a.value, b.value) for a, b in rows.iter_rows()][-2:] == [
        ("rows:roster", "2-1"),
        ("rows:free", "2-16"),
    ]


def test_neighbouring_kreise_come_from_the_borders_table(
    region: netkoop.Network, tmp_path: Path
) -> None:
    borders = [
        {"from": "lk-nord", "to": "musterstadt", "length_km": 12.5},
        {"from": "musterstadt", "to": "lk-sued", "length_km": 9.0},
    ]
    net = netkoop.Network.from_tables(
        region.units, region.ties, region.flows, borders=borders, metadata=region.metadata
    )
    made = create(
        net, tmp_path / "s", respondents=["auenfeld", "fahrendorf", "musterstadt"], date=DATE
    )
    assert made.notes == ()
    assert dict(made.partners) == {
        # Musterstadt borders both Landkreise: all their units.
        "musterstadt": (*NORD, *SUED, "lag-ni"),
        # Nordheide borders Musterstadt, not Südmarsch: Fahrendorf is there as a respondent.
        "auenfeld": (
            "lk-nord",
            "birkenhain",
            "dorfstetten",
            "eichwalde",
            "musterstadt",
            "fahrendorf",
            "lag-ni",
        ),
        "fahrendorf": (
            "lk-sued",
            "gruenau",
            "heidbrueck",
            "moorhausen",
            "musterstadt",
            "auenfeld",
            "lag-ni",
        ),
    }
    assert made.scenario == "beispielregion"


# --- the files ------------------------------------------------------------------------------


def test_the_folder_holds_every_file_and_survey_yaml_says_who_was_asked(everyone: Any) -> None:
    folder = everyone.folder
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    stems = [
        "musterstadt_Musterstadt",
        "lk-nord_Landkreis_Nordheide",
        "lk-sued_Landkreis_Südmarsch",
        "auenfeld_Auenfeld",
        "birkenhain_Birkenhain",
        "dorfstetten_Dorfstetten",
        "eichwalde_Eichwalde",
        "fahrendorf_Fahrendorf",
        "gruenau_Grünau",
        "heidbrueck_Heidbrück",
        "moorhausen_Moorhausen",
    ]
    assert names == {
        ".netkoop",
        "survey.yaml",
        "Anschreiben.md",
        "Versand.csv",
        *(f"Fragebögen/{s}.xlsx" for s in stems),
        *(f"Formulare/{s}.html" for s in stems),
    }
    assert everyone.workbooks["gruenau"] == folder / "Fragebögen" / "gruenau_Grünau.xlsx"
    assert everyone.forms["gruenau"] == folder / "Formulare" / "gruenau_Grünau.html"
    doc = yaml.safe_load((folder / "survey.yaml").read_text(encoding="utf-8"))
    assert doc == {
        "format_version": 1,
        "survey": {
            "id": everyone.id,
            "name": "Befragung beispielregion",
            "created": DATE,
            "scenario": "beispielregion",
        },
        "respondents": list(EVERY),
        "partners": {r: list(p) for r, p in ROSTERS.items()},
    }


def test_versand_lists_what_goes_to_whom_and_the_letter_has_its_placeholders(
    tmp_path: Path,
) -> None:
    made = create("beispielregion", tmp_path / "s", kreis="lk-nord", date=DATE)
    sent = (made.folder / "Versand.csv").read_text(encoding="utf-8")
    assert sent.splitlines()[:3] == [
        "respondent,name,kind,kreis,kreis_name,partners,workbook,form",
        "lk-nord,Landkreis Nordheide,landkreis,lk-nord,Landkreis Nordheide,5,"
        "Fragebögen/lk-nord_Landkreis_Nordheide.xlsx,Formulare/lk-nord_Landkreis_Nordheide.html",
        "auenfeld,Auenfeld,gemeinde,lk-nord,Landkreis Nordheide,5,"
        "Fragebögen/auenfeld_Auenfeld.xlsx,Formulare/auenfeld_Auenfeld.html",
    ]
    assert len(sent.splitlines()) == 6
    letter = (made.folder / "Anschreiben.md").read_text(encoding="utf-8")
    for placeholder in ("{name}", "{respondent}", "{workbook}", "{form}"):
        assert placeholder in letter
    assert "keine Namen von\nPersonen" in letter
    german = (
        create("beispielregion", tmp_path / "t", kreis="lk-nord", date=DATE, csv="excel-de").folder
        / "Versand.csv"
    )
    assert german.read_bytes().startswith(b"\xef\xbb\xbfrespondent;name;kind;")


def test_the_same_survey_on_the_same_date_gives_the_same_bytes(tmp_path: Path) -> None:
    first = create("beispielregion", tmp_path / "a", date=DATE)
    second = create("beispielregion", tmp_path / "b", date=datetime.date(2025, 3, 1))
    assert snapshot(first.folder) == snapshot(second.folder)
    later = create("beispielregion", tmp_path / "c", date="2025-03-02")
    assert later.id != first.id
    book = "Fragebögen/auenfeld_Auenfeld.xlsx"
    assert (first.folder / book).read_bytes() != (later.folder / book).read_bytes()
    with zipfile.ZipFile(io.BytesIO((first.folder / book).read_bytes())) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(2025, 3, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert ">2025-03-01T00:00:00Z</dcterms:created>" in core
    assert ">2025-03-01T00:00:00Z</dcterms:modified>" in core


# --- the workbook ---------------------------------------------------------------------------


def test_the_workbook_has_its_sheets_and_the_hidden_layout(everyone: Any) -> None:
    book = load_workbook(everyone.workbooks["auenfeld"])
    assert book.sheetnames == [
        "Anleitung",
        "Partner",
        "Eigene Angaben",
        "Alle Einheiten",
        "netkoop",
    ]
    assert [book[name].sheet_state for name in book.sheetnames] == [
        "visible",
        "visible",
        "visible",
        "visible",
        "veryHidden",
    ]
    assert book.security.lockStructure
    assert book.properties.created == book.properties.modified == datetime.datetime(2025, 3, 1)
    assert book.properties.creator == "netkoop"
    hidden = book["netkoop"]
    rows = [(a.value, b.value) for a, b in hidden.iter_rows(min_col=1, max_col=2)]
    assert rows == [
        ("format", "netkoop-survey-1"),
        ("survey", everyone.id),
        ("survey_name", "Befragung beispielregion"),
        ("scenario", "beispielregion"),
        ("respondent", "auenfeld"),
        ("respondent_name", "Auenfeld"),
        ("created", DATE),
        *((f"column:{letter}", meaning) for letter, meaning in COLUMNS.items()),
        ("about:B3", "coordination_office"),
        ("about:B4", "integration_concept"),
        ("about:B5", "case_management"),
        ("rows:roster", "2-12"),
        ("rows:free", "13-27"),
    ]
    assert "auenfeld" in book["Anleitung"]["A2"].value


def test_the_roster_sheet_lists_the_partners_with_their_keys_as_text(everyone: Any) -> None:
    sheet = load_workbook(everyone.workbooks["auenfeld"])["Partner"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert partner_rows(sheet) == [
        ["lk-nord", "Landkreis Nordheide", "Landkreis", "Landkreis Nordheide"],
        ["birkenhain", "Birkenhain", "kreisangehörige Gemeinde", "Landkreis Nordheide"],
        ["dorfstetten", "Dorfstetten", "kreisangehörige Gemeinde", "Landkreis Nordheide"],
        ["eichwalde", "Eichwalde", "kreisangehörige Gemeinde", "Landkreis Nordheide"],
        ["musterstadt", "Musterstadt", "kreisfreie Stadt", "Musterstadt"],
        ["lk-sued", "Landkreis Südmarsch", "Landkreis", "Landkreis Südmarsch"],
        ["fahrendorf", "Fahrendorf", "kreisangehörige Gemeinde", "Landkreis Südmarsch"],
        ["gruenau", "Grünau", "kreisangehörige Gemeinde", "Landkreis Südmarsch"],
        ["heidbrueck", "Heidbrück", "kreisangehörige Gemeinde", "Landkreis Südmarsch"],
        ["moorhausen", "Moorhausen", "kreisangehörige Gemeinde", "Landkreis Südmarsch"],
        [
            "lag-ni",
            "Landesarbeitsgemeinschaft der Integrationsbeauftragten",
            "Austauschformat",
            None,
        ],
    ]
    for row in range(2, 28):  # roster and free rows
        assert sheet.cell(row=row, column=1).number_format == "@"
    assert sheet["A2"].data_type == "s"
    assert sheet.max_row == 27  # 11 partners, then 15 free rows
    assert sheet.freeze_panes == "C2"


def test_every_answer_cell_has_its_drop_down(everyone: Any) -> None:
    book = load_workbook(everyone.workbooks["auenfeld"])
    expected: dict[str, tuple[str, str | None, str | None]] = {}
    for letter, meaning in COLUMNS.items():
        # Membership is asked on the forum's row (12) and the free rows (13-27) only.
        where = (
            f"{letter}12:{letter}27"
            if meaning.startswith("membership")
            else f"{letter}2:{letter}27"
        )
        field = meaning.split(".")[-1]
        if field == "since":
            expected[where] = ("whole", "1990", "2035")
        elif field == "comment":
            expected[where] = ("textLength", "2000", None)
        else:
            expected[where] = ("list", LISTS[field], None)
    expected["A13:A27"] = ("list", "'Alle Einheiten'!$A$2:$A$14", None)
    expected["B13:B27"] = ("list", "'Alle Einheiten'!$B$2:$B$14", None)
    assert validations(book["Partner"]) == expected
    assert validations(book["Eigene Angaben"]) == {
        "B3": ("list", '"keine,projektfinanziert,dauerhaft,gesetzlich vorgeschrieben"', None),
        "B4": ("list", YES_NO, None),
        "B5": ("list", YES_NO, None),
    }
    since = next(v for v in book["Partner"].data_validations.dataValidation if v.type == "whole")
    assert since.operator == "between"
    presence = next(
        v for v in book["Partner"].data_validations.dataValidation if str(v.sqref) == "E2:E27"
    )
    assert presence.showErrorMessage
    assert presence.errorStyle in (None, "stop")


def test_only_answer_cells_can_be_changed(everyone: Any) -> None:
    book = load_workbook(everyone.workbooks["auenfeld"])
    assert all(sheet.protection.sheet for sheet in book.worksheets)
    sheet = book["Partner"]
    for row in range(2, 13):  # the roster: keys, names, kinds, Kreise are given
        for column in "ABCD":
            assert sheet[f"{column}{row}"].protection.locked, f"{column}{row}"
    for row in range(13, 28):  # free rows: key and name are typed in
        assert not sheet[f"A{row}"].protection.locked
        assert not sheet[f"B{row}"].protection.locked
        assert sheet[f"C{row}"].protection.locked
    for letter, meaning in COLUMNS.items():
        for row in range(2, 28):
            asked = not meaning.startswith("membership") or row >= 12
            assert sheet[f"{letter}{row}"].protection.locked is not asked, f"{letter}{row}"
    assert all(c.protection.locked for row in sheet.iter_rows(max_row=1) for c in row)
    about = book["Eigene Angaben"]
    assert [about[f"B{r}"].protection.locked for r in range(1, 6)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert about["B2"].value == "Auenfeld (auenfeld)"
    units = book["Alle Einheiten"]
    assert units.auto_filter.ref == "A1:D14"
    assert not units.protection.autoFilter  # filtering stays allowed
    assert [c.value for c in units["A"]][1:4] == ["musterstadt", "lk-nord", "lk-sued"]
    assert [units.cell(row=14, column=c).value for c in range(1, 5)] == [
        "buko",
        "Bundeskonferenz der Integrationsbeauftragten",
        "Austauschformat",
        None,
    ]


def test_official_keys_stay_text_and_formula_names_stay_text(minimal: Path, tmp_path: Path) -> None:
    made = create(minimal, tmp_path / "s", date=DATE)
    assert made.respondents == ("09162", "09184", "09184119", "09184149")
    assert made.partners["09184119"] == ("09184", "09184149", "09162", "ag-by")
    # Seen from the survey folder, so that the two can move together.
    assert made.scenario == "../scenario/scenario.yaml"
    assert (made.folder / made.scenario).resolve() == minimal.resolve()
    sheet = load_workbook(made.workbooks["09184119"])["Partner"]
    assert [sheet[f"A{r}"].value for r in range(2, 6)] == ["09184", "09184149", "09162", "ag-by"]
    assert all(sheet[f"A{r}"].data_type == "s" for r in range(2, 6))
    assert made.workbooks["09184119"].name == "09184119_Garching_b.München.xlsx"

    tricky = netkoop.Network.from_tables(
        [
            {"id": "a", "name": '=HYPERLINK("http://x")', "kind": "landkreis", "land": "09"},
            {"id": "b", "name": "+49 Süd", "kind": "landkreis", "land": "09"},
        ]
    )
    made = create(tricky, tmp_path / "t", date=DATE)
    sheet = load_workbook(made.workbooks["b"])["Partner"]
    assert sheet["B2"].value == '=HYPERLINK("http://x")'
    assert sheet["B2"].data_type == "s"


def test_the_form_is_one_offline_file(everyone: Any) -> None:
    page = everyone.forms["auenfeld"].read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert "connect-src 'none'" in page
    assert "http://" not in page
    assert "https://" not in page
    assert '<html lang="de">' in page
    assert ">Speichern</button>" in page


def test_markup_in_names_stays_text_in_the_form(tmp_path: Path) -> None:
    made = create(xss_network(), tmp_path / "s", date=DATE)
    page = made.forms["a"].read_text(encoding="utf-8")
    assert "<img src=x" not in page
    assert "</script><script>alert(2)" not in page
    assert made.forms["a"].name == "a_img_src_x_onerror_alert_1.html"


# --- writing --------------------------------------------------------------------------------


def test_force_replaces_a_survey_and_removes_its_old_files(tmp_path: Path) -> None:
    create("beispielregion", tmp_path / "s", date=DATE)
    with pytest.raises(netkoop.OutputExistsError, match="pass overwrite=True"):
        create("beispielregion", tmp_path / "s", kreis="lk-nord", date=DATE)
    made = create("beispielregion", tmp_path / "s", kreis="lk-nord", date=DATE, overwrite=True)
    assert sorted(p.name for p in (made.folder / "Fragebögen").iterdir()) == [
        "auenfeld_Auenfeld.xlsx",
        "birkenhain_Birkenhain.xlsx",
        "dorfstetten_Dorfstetten.xlsx",
        "eichwalde_Eichwalde.xlsx",
        "lk-nord_Landkreis_Nordheide.xlsx",
    ]


def test_a_failure_while_making_the_files_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netkoop.survey.questionnaires as module

    made: list[str] = []
    original = module.form_html

    def failing(*args: Any) -> str:
        made.append("form")
        if len(made) == 3:
            raise OSError(28, "No space left on device")
        return original(*args)

    monkeypatch.setattr(module, "form_html", failing)
    with pytest.raises(OSError, match="No space left"):
        create("beispielregion", tmp_path / "s", date=DATE)
    assert list(tmp_path.iterdir()) == []


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"respondents": "auenfed,lk-nord"},
            "unknown respondent 'auenfed' (did you mean 'auenfeld' (Auenfeld)?); "
            "respondents are the ids of the scenario's units",
        ),
        ({"respondents": "Grünau"}, "'Grünau' (the name of 'gruenau': give its id)"),
        (
            {"kinds": "gemeinden"},
            "unknown unit kind 'gemeinden' (did you mean gemeinde?); unit kinds: land, "
            "landkreis, kreisfreie_stadt, gemeinde, forum",
        ),
        (
            {"kreis": "lk-nor"},
            "'lk-nor' is not a Kreis of the scenario (did you mean 'lk-nord' (Landkreis "
            "Nordheide)?); Kreise: musterstadt, lk-nord, lk-sued",
        ),
        (
            {"kreis": "auenfeld"},
            "'auenfeld' is a kreisangehörige Gemeinde (Auenfeld), not a Kreis; it lies in the "
            "Kreis 'lk-nord' (Landkreis Nordheide); a Kreis is a Landkreis or a kreisfreie Stadt",
        ),
        ({"kreis": "musterstadt", "kinds": "gemeinde"}, "no respondents: the scenario has no unit"),
        ({"respondents": "auenfeld", "kinds": "gemeinde"}, "either by id or by kind and Kreis"),
        ({"respondents": "auenfeld,auenfeld"}, "respondent 'auenfeld' named twice"),
        (
            {"partners": "neighbours"},
            "unknown partners 'neighbours'; partners: default, all, respondents",
        ),
        ({"date": "2025-13-01"}, "the date '2025-13-01' is not a date; write it as YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_clear_error_and_writes_nothing(
    tmp_path: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(SurveyError) as caught:
        create("beispielregion", tmp_path / "s", **options)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "s").exists()


def test_a_folder_holding_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "notizen.txt").write_text("meine", encoding="utf-8")
    with pytest.raises(netkoop.OutputError, match="holds files netkoop did not write"):
        create("beispielregion", tmp_path / "s", date=DATE)
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["notizen.txt"]
    with pytest.raises(netkoop.OutputError, match="holds an input"):
        create("beispielregion", Path(netkoop.load("beispielregion").metadata.path).parent.parent)


# --- the command ----------------------------------------------------------------------------


def test_the_command_writes_the_survey_and_says_so(tmp_path: Path) -> None:
    result = run_cli(
        "survey",
        "create",
        "beispielregion",
        "--kreis",
        "lk-nord",
        "--date",
        DATE,
        "--name",
        "Befragung Nordheide 2025",
        "-o",
        tmp_path / "s",
    )
    assert result.exit_code == 0, result.output
    made_id = survey_id("beispielregion", NORD, DATE)
    assert result.stdout == (
        f"Befragung {made_id} (Befragung Nordheide 2025, {DATE}): 5 Fragebögen mit 25 "
        f"Partnerzeilen in {tmp_path / 's'}\n"
    )
    assert result.stderr == f"Hinweis: {NO_BORDERS}\n"
    doc = yaml.safe_load((tmp_path / "s" / "survey.yaml").read_text(encoding="utf-8"))
    assert doc["survey"]["name"] == "Befragung Nordheide 2025"
    assert doc["respondents"] == list(NORD)
    result = run_cli(
        "survey",
        "create",
        "beispielregion",
        "--respondents",
        "musterstadt",
        "--partners",
        "all",
        "--date",
        DATE,
        "-o",
        tmp_path / "t",
    )
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--respondents", "auenfed"],
            "Error: unknown respondent 'auenfed' (did you mean 'auenfeld'",
        ),
        (["--kind", "gemeinden"], "Error: unknown unit kind 'gemeinden' (did you mean gemeinde?)"),
        (["--kreis", "lk-nor"], "Error: 'lk-nor' is not a Kreis of the scenario"),
        (["--date", "1.3.2025"], "Error: the date '1.3.2025' is not a date"),
        (["--partners", "nachbarn"], "Error: Invalid value for '--partners'"),
    ],
)
def test_the_command_names_the_bad_value(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("survey", "create", "beispielregion", *args, "-o", tmp_path / "s")
    if "--partners" in args:  # click's own message after its usage line
        assert result.exit_code == 2
        assert message in result.stderr
    else:
        assert_one_error_line(result, problems_allowed=False)
        assert result.stderr.startswith(message), result.stderr
    assert not (tmp_path / "s").exists()


def test_the_command_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "x.txt").write_text("x", encoding="utf-8")
    result = run_cli("survey", "create", "beispielregion", "-o", tmp_path / "s")
    assert_one_error_line(result, problems_allowed=False)
    assert (
        "holds files netkoop did not write (x.txt); choose a new or empty folder" in result.stderr
    )


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_ends_with_an_example(flag: str) -> None:
    result = run_cli("survey", "create", flag)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: netkoop survey create")
    before = result.stdout.split("\nOptions:", 1)[0].strip().splitlines()[-1].strip()
    assert before.startswith("Example: netkoop survey create")
