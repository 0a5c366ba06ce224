"""The Kreistag report: sentences with the right numbers, only the claims the data support."""

from __future__ import annotations

import html
import io

import pandas as pd
import pypdf
import pytest

import netkoop
from conftest import run_cli
from netkoop.metrics import Options
from netkoop.report import kreistag_report
from netkoop.report.words import Share, Words

QUICK = Options(permutations=200)


def sentences(document) -> list[str]:
    return document.text().splitlines()


@pytest.fixture(scope="module")
def study():
    with pytest.warns(netkoop.NetkoopWarning, match="no tie"):
        network = netkoop.load("zwei-welten-2020")
    return kreistag_report(network, drawn=False)


# Every count "Zwei Welten?" (2020) publishes (the project's domain notes), as the report says it.
PUBLISHED = [
    # Sample: 92 Kommunen in 12 Länder: 23 kreisfreie Städte, 24 Landkreise, 45 Kommunen.
    "Das Netz umfasst 92 Kommunen in 12 Ländern: 23 kreisfreie Städte, 24 Landkreise und "
    "45 kreisangehörige Gemeinden.",
    # 182 interviews.
    "Grundlage sind 182 Interviews in 92 Kommunen.",
    # Of the 45, 32 spoke about exchange inside their Landkreis ...
    "Von den 45 kreisangehörigen Gemeinden haben 32 geantwortet (71,1 %).",
    # ... 28 of those 32 reported exchange with Gemeinden of their Landkreis, 4 none ...
    "28 von ihnen berichten Austausch innerhalb ihres Landkreises, 4 keinen.",
    # ... and for 2 of those 4 a neighbour did report exchange with them.
    "Für 2 dieser 4 berichtet eine Nachbargemeinde dennoch einen Austausch mit ihnen; hier "
    "weichen die Angaben beider Seiten voneinander ab.",
    # Only one kreisangehörige Kommune reported exchange beyond its own Landkreis.
    "Über die Grenze ihres Landkreises hinaus berichtet nur 1 kreisangehörige Gemeinde Austausch.",
    # Only 12 kreisfreie Städte and 1 Landkreis reported intensive cross-Kreis cooperation.
    "Intensive Zusammenarbeit über die Kreisgrenze hinaus berichten 12 kreisfreie Städte und "
    "1 Landkreis.",
    # 48 of 92 had contact with Land authorities: 18 of 24, 20 of 23, 10 of 45.
    "48 der 92 Kommunen sind Mitglied eines Austauschformats ihres Landes: 18 von 24 "
    "Landkreisen, 20 von 23 kreisfreien Städten und 10 von 45 kreisangehörigen Gemeinden.",
    # One in three had an Integrationskonzept (31 of 92 in the reconstruction).
    "31 der 92 Kommunen (33,7 %) haben ein Integrationskonzept.",
    # Landkreis and adjacent kreisfreie Stadt rarely cooperate although people commute.
    "Zwischen 23 Landkreisen und der jeweils angrenzenden kreisfreien Stadt pendeln Menschen; "
    "nur 3 dieser Paare arbeiten im Integrationsbereich zusammen.",
]


@pytest.mark.parametrize("sentence", PUBLISHED)
def test_every_published_count_of_zwei_welten_is_a_sentence(study, sentence):
    assert sentence in sentences(study)


def test_cross_kreis_exchange_runs_mostly_through_land_formats(study):
    # 185 pairs of Kommunen of different Kreise share a forum, 11 of them are tied directly
    # (tests/test_zwei_welten.py checks forum pairs > 5 x direct pairs).
    assert (
        "185 Paare von Kommunen verschiedener Kreise begegnen sich in einem gemeinsamen "
        "Austauschformat; 11 davon sind auch direkt verbunden, 174 nur über das Format."
    ) in sentences(study)


def test_e_i_index_is_said_with_its_test(study):
    # 15 ties inside a Kreis, 11 across: (11 - 15) / 26 = -0.1538.
    said = sentences(study)
    assert (
        "Der E-I-Index der Verbindungen über Kreisgrenzen beträgt −0,15 (15 Verbindungen im "
        "Kreis, 11 über Kreisgrenzen)."
    ) in said
    assert any(
        s.startswith("Das sind deutlich weniger Verbindungen über Kreisgrenzen") for s in said
    )


def test_largest_commuting_gap_and_coverage(study):
    # flows.csv: lk-23 -> kfs-23 32,750 and back 4,090; 56,320 of 402,980 commuters covered.
    said = sentences(study)
    assert (
        "Zwischen Landkreis 23 und Kreisfreie Stadt 23 pendeln täglich 36.840 Menschen; eine "
        "Kooperation im Integrationsbereich ist nicht erfasst."
    ) in said
    assert (
        "Von 402.980 Pendelnden zwischen den Kommunen pendeln 56.320 (14,0 %) zwischen "
        "Kommunen, die eine erfasste Verbindung haben."
    ) in said


def test_english_report_says_the_same_counts():
    with pytest.warns(netkoop.NetkoopWarning):
        network = netkoop.load("zwei-welten-2020")
    said = sentences(kreistag_report(network, lang="en", drawn=False, options=QUICK))
    assert "28 of them report exchange inside their Landkreis, 4 none." in said
    assert (
        "Only 1 kreisangehörige Gemeinde reports exchange beyond the border of their Landkreis."
    ) in said
    assert "31 of the 92 Kommunen (33.7%) have an Integrationskonzept." in said


def test_numbers_are_written_as_the_language_writes_them():
    de, en = Words("de"), Words("en")
    assert de.number(158010) == "158.010"
    assert en.number(158010) == "158,010"
    assert de.number(Share(0.14)) == "14,0 %"
    assert en.number(Share(0.1404)) == "14.0%"
    assert de.number(-0.6875) == "−0,69"
    assert de.fill("{n:Gemeinde|Gemeinden}", n=1) == "1 Gemeinde"
    assert de.fill("{n:Gemeinde|Gemeinden}", n=1000) == "1.000 Gemeinden"


# --- claims the data do not support are not made ------------------------------------------


def _kreise(ties, **more):
    """Two Landkreise a and b with two Gemeinden each (a1, a2, b1, b2), and ``ties``."""
    units = [
        {"id": "a", "name": "Kreis A", "kind": "landkreis", "land": "03"},
        {"id": "b", "name": "Kreis B", "kind": "landkreis", "land": "03"},
        *(
            {
                "id": f"{k}{i}",
                "name": f"Gemeinde {k}{i}",
                "kind": "gemeinde",
                "land": "03",
                "parent": k,
                **more.get(f"{k}{i}", {}),
            }
            for k in "ab"
            for i in (1, 2)
        ),
        {"id": "forum", "name": "Netzwerk", "kind": "forum", "land": "03"},
    ]
    return netkoop.Network.from_tables(units, ties=ties)


def test_a_pattern_the_permutation_test_does_not_support_is_not_stated():
    # One tie inside Kreis a, one across: E-I = (1 - 1) / 2 = 0, which random placements of
    # the units on the two Kreise give often.
    network = _kreise(
        [
            {"from": "a1", "to": "a2", "kind": "exchange"},
            {"from": "a1", "to": "b1", "kind": "exchange"},
        ]
    )
    said = sentences(kreistag_report(network, drawn=False, options=QUICK))
    assert any("beträgt 0 (1 Verbindung im Kreis, 1 über Kreisgrenzen)" in s for s in said)
    assert any("ein Muster lässt sich daraus nicht ableiten" in s for s in said)
    assert not any("deutlich weniger" in s or "deutlich mehr" in s for s in said)


def test_an_undefined_e_i_index_is_said_to_be_undefined():
    # Only memberships in a forum: no tie joins two Kommunen with a Kreis.
    network = _kreise([{"from": "a1", "to": "forum", "kind": "membership"}])
    said = sentences(kreistag_report(network, drawn=False, options=QUICK))
    assert (
        "Ein E-I-Index lässt sich nicht bestimmen: Keine Verbindung verläuft zwischen zwei "
        "Kommunen, deren Kreis bekannt ist."
    ) in said
    assert not any("beträgt" in s for s in said)


def test_a_low_response_is_said_before_the_findings_are_read():
    answered = {
        "a1": {"responded": True},
        "a2": {"responded": False},
        "b1": {"responded": False},
        "b2": {"responded": False},
    }
    network = _kreise([{"from": "a1", "to": "a2", "kind": "exchange"}], **answered)
    said = sentences(kreistag_report(network, drawn=False, options=QUICK))
    assert "Von 4 befragten Einheiten hat 1 geantwortet (25,0 %)." in said
    assert any(s.startswith("Der Rücklauf ist gering.") for s in said)


def test_a_good_response_gets_no_warning():
    answered = {g: {"responded": True} for g in ("a1", "a2", "b1", "b2")}
    network = _kreise([{"from": "a1", "to": "a2", "kind": "exchange"}], **answered)
    said = sentences(kreistag_report(network, drawn=False, options=QUICK))
    assert "Von 4 befragten Einheiten haben 4 geantwortet (100,0 %)." in said
    assert not any("Rücklauf ist gering" in s for s in said)


# --- a focus: one Kommune or Kreis ----------------------------------------------------------


@pytest.fixture(scope="module")
def region():
    return netkoop.load("beispielregion")


def _focus(region, key):
    document = kreistag_report(region, focus=key, drawn=False, options=QUICK)
    profile = next(s for s in document.sections if s.key == "focus")
    return document, profile


def test_focus_on_a_landkreis_profiles_it_and_its_gemeinden(region):
    document, profile = _focus(region, "lk-nord")
    assert document.subtitle == "Bericht: Landkreis Nordheide"
    said = profile.paragraphs
    # ties.csv: lk-nord with Auenfeld and Eichwalde (exchange, inside), Musterstadt (service
    # opening, across) and the Land working group (membership, no Kreis).
    assert said[0] == (
        "Landkreis Nordheide hat 4 erfasste Verbindungen zu 4 Partnern: Erfahrungsaustausch (2), "
        "Öffnung von Angeboten (1) und Mitgliedschaft (1)."
    )
    assert said[1] == "2 davon verlaufen innerhalb des eigenen Kreises, 1 über die Kreisgrenze."
    # With Auenfeld, Birkenhain, Dorfstetten and Eichwalde: 11 ties, 7 of them exchange; 7
    # inside the Kreis, 2 across (Eichwalde-Fahrendorf, Musterstadt), 2 memberships.
    assert said[2] == (
        "Mit seinen 4 Gemeinden zusammen hat Landkreis Nordheide 11 erfasste Verbindungen: "
        "Erfahrungsaustausch (7), Mitgliedschaft (2), Öffnung von Angeboten (1) und geteilte "
        "Stelle (1)."
    )
    assert said[3] == "7 davon verlaufen innerhalb des eigenen Kreises, 2 über die Kreisgrenze."
    # Both Landkreise have 4 ties: rank 1 of 2, none has fewer.
    assert said[4] == (
        "Mit 4 Verbindungen liegt Landkreis Nordheide auf Rang 1 von 2 (Landkreise); 0,0 % von "
        "ihnen haben weniger Verbindungen."
    )
    # The gap of lk-nord (tests/test_metrics_focus.py): 25,660 of 37,920 commuters covered.
    assert (
        "Von 37.920 Pendelnden von und nach Landkreis Nordheide und seinen Gemeinden pendeln "
        "25.660 (67,7 %) zwischen Kommunen mit erfasster Verbindung."
    ) in said
    assert (
        "Die größte Pendlerbeziehung ohne erfasste Verbindung im Umfeld von Landkreis "
        "Nordheide: Musterstadt und Auenfeld mit 4.810 Pendelnden."
    ) in said
    partners = profile.tables[0]
    assert partners.header[0] == "Einheit"
    assert len(partners.rows) == 11


def test_focus_on_a_gemeinde_ranks_it_among_the_gemeinden(region):
    _, profile = _focus(region, "eichwalde")
    said = profile.paragraphs
    assert said[0] == (
        "Eichwalde hat 3 erfasste Verbindungen zu 3 Partnern: Erfahrungsaustausch (3)."
    )
    # Degrees of the 8 Gemeinden: Auenfeld 5, Fahrendorf 4, Birkenhain, Dorfstetten,
    # Eichwalde and Heidbrück 3, Grünau and Moorhausen 2: rank 3, 2 of 8 (25 %) have fewer.
    assert said[2] == (
        "Mit 3 Verbindungen liegt Eichwalde auf Rang 3 von 8 (kreisangehörige Gemeinden); "
        "25,0 % von ihnen haben weniger Verbindungen."
    )
    # Commuter data are by Gemeinde here, yet the gap of a Gemeinde is its Kreis's.
    assert any("im Umfeld von Landkreis Nordheide" in s for s in said)
    assert [row[0] for row in profile.tables[0].rows] == [
        "Auenfeld",
        "Landkreis Nordheide",
        "Fahrendorf",
    ]


def test_recommendations_of_a_focus_involve_it_or_its_kreis(region):
    document, _ = _focus(region, "lk-nord")
    advice = next(s for s in document.sections if s.key == "recommend")
    area = {"Landkreis Nordheide", "Auenfeld", "Birkenhain", "Dorfstetten", "Eichwalde"}
    assert advice.items  # five ties, each with one end in the Landkreis
    for item in advice.items:
        pair = item.split(":")[0].split(" – ")
        assert set(pair) & area, item


# --- the command ----------------------------------------------------------------------------


def test_report_command_writes_html_and_pdf_with_the_findings(tmp_path):
    html_out, pdf_out = tmp_path / "bericht.html", tmp_path / "bericht.pdf"
    for out in (html_out, pdf_out):
        done = run_cli("report", "beispielregion", "--focus", "eichwalde", "-o", out, "-q")
        assert done.exit_code == 0, done.output
        assert done.output == f"Wrote {out}\n"
    page = html_out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in page
    assert "default-src 'none'" in page  # loads nothing
    assert "<script" not in page
    pdf = pypdf.PdfReader(pdf_out)
    assert 3 <= len(pdf.pages) <= 8
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Eichwalde hat 3 erfasste Verbindungen zu 3 Partnern" in text
    assert "Rang 3 von 8" in text


def test_same_seed_gives_the_same_bytes(tmp_path):
    outs = [tmp_path / f"bericht-{i}.pdf" for i in range(2)] + [
        tmp_path / f"b-{i}.html" for i in range(2)
    ]
    for out in outs:
        assert run_cli("report", "beispielregion", "-o", out, "-q", "--seed", "3").exit_code == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert outs[2].read_bytes() == outs[3].read_bytes()


def test_report_compares_with_a_base(tmp_path):
    out = tmp_path / "vergleich.html"
    done = run_cli("report", "pflichtaufgabe", "--compare", "zwei-welten-2020", "-o", out, "-q")
    assert done.exit_code == 0, done.output
    page = html.unescape(out.read_text(encoding="utf-8"))
    # The mandate gives every Landkreis ties to its Gemeinden (54 ties) and removes none.
    assert "Gegenüber „zwei-welten-2020“ kommen 54 Verbindungen hinzu, entfallen 0." in page
    assert "<li>Komponenten: 44 → 10</li>" in page


def test_report_in_english(tmp_path):
    out = tmp_path / "report.html"
    assert run_cli("report", "beispielregion", "--lang", "en", "-o", out, "-q").exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "Of 65,740 commuters between the Kommunen, 45,940 (69.9%) commute" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "bericht.docx"], "bericht.docx"),
        (["-o", "bericht.html", "--focus", "lk-nrd"], "did you mean 'lk-nord'"),
        (["-o", "bericht.html", "--at", "gestern"], "'gestern' is not a date"),
    ],
)
def test_bad_options_give_one_error_and_write_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    done = run_cli("report", "beispielregion", *args)
    assert done.exit_code != 0
    assert message in done.output
    assert "Traceback" not in done.output
    assert list(tmp_path.iterdir()) == []


def test_report_never_replaces_a_file_it_did_not_make(tmp_path):
    out = tmp_path / "bericht.html"
    out.write_text("my notes", encoding="utf-8")
    done = run_cli("report", "beispielregion", "-o", out)
    assert done.exit_code != 0
    assert "--force" in done.output
    assert out.read_text(encoding="utf-8") == "my notes"


def test_the_printer_process_gives_the_bytes_of_printing_here(region):
    from netkoop.output.pdf import Printer
    from netkoop.report import pdf_of

    document = kreistag_report(region, focus="eichwalde", options=QUICK)
    with Printer() as printer:
        printed = printer.pdf(document.html())
    assert printed == pdf_of(document)
    assert len(pypdf.PdfReader(io.BytesIO(printed)).pages) >= 3


def test_national_report_names_the_largest_gaps_and_claims_no_ranks_without_ties(
    official, write_scenario
):
    from conftest import national_yaml

    path = write_scenario(national_yaml(official / "derived", gemeinden=False, borders=True))
    network = netkoop.load(path)
    document = kreistag_report(network, focus="03254", drawn=False, options=QUICK)
    said = sentences(document)
    # The largest flow of the BA table, both directions: Landkreis München <-> München.
    flows = pd.read_csv(official / "derived" / "pendler_kreise_od.csv.gz", dtype=str)
    flows["n"] = flows["insgesamt"].astype(int)
    pair = (
        flows.assign(
            a=flows[["wohnort_kreis", "arbeitsort_kreis"]].min(axis=1),
            b=flows[["wohnort_kreis", "arbeitsort_kreis"]].max(axis=1),
        )
        .groupby(["a", "b"])["n"]
        .sum()
    )
    (a, b), most = pair.idxmax(), int(pair.max())
    assert {a, b} == {"09162", "09184"}
    german = f"{most:,}".replace(",", ".")
    assert (
        f"Zwischen Landkreis München und München, Landeshauptstadt pendeln täglich {german} "
        "Menschen; eine Kooperation im Integrationsbereich ist nicht erfasst."
    ) in said
    # No ties at all: no pair of Landkreis and adjacent city cooperates, and no rank is said.
    assert any(
        s.endswith("keines dieser Paare arbeitet im Integrationsbereich zusammen.") for s in said
    )
    assert not any("Rang" in s for s in said)
    assert "Für Landkreis Hildesheim ist keine Verbindung erfasst." in said
    hildesheim = pair[[("03254" in key) for key in pair.index]]
    (a, b), most = hildesheim.idxmax(), int(hildesheim.max())
    assert {a, b} == {"03241", "03254"}  # Region Hannover
    german = f"{most:,}".replace(",", ".")
    assert (
        "Die größte Pendlerbeziehung ohne erfasste Verbindung im Umfeld von Landkreis "
        f"Hildesheim: Region Hannover und Landkreis Hildesheim mit {german} Pendelnden."
    ) in said


def test_report_on_a_date_shows_the_network_then_and_the_years_before(tmp_path):
    out = tmp_path / "bericht.html"
    done = run_cli("report", "befristung", "--at", "2020-06-30", "-o", out, "-q")
    assert done.exit_code == 0, done.output
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert "Der Bericht zeigt das Netz, wie es am 30.06.2020 bestand." in page
    then = len(netkoop.load("befristung").at("2020-06-30").ties)
    assert f"Erfasst sind {then} Verbindungen:" in page
    # The timeline runs over the years of the scenario's dates (from 2010), up to the date.
    assert "Vom 01.01.2010 bis zum 01.01.2020 änderte sich die Zahl der Verbindungen" in page


def test_survey_quality_is_said_with_what_cannot_be_confirmed():
    with pytest.warns(netkoop.NetkoopWarning, match="no tie"):
        network = netkoop.load("beispielregion-befragung")
    said = sentences(kreistag_report(network, drawn=False, options=QUICK))
    status = network.ties["confirmed"].value_counts()
    answered = network.units["responded"]
    # ties.csv: 9 ties both sides named, 1 named by one side although both answered, 10
    # whose other side did not answer; 9 of the 11 units asked answered.
    assert (int(status["yes"]), int(status["no"]), int(status["unknown"])) == (9, 1, 10)
    assert (int(answered.sum()), int(answered.notna().sum())) == (9, 11)
    assert "Von 11 befragten Einheiten haben 9 geantwortet (81,8 %)." in said
    assert "Von 20 genannten Verbindungen haben beide Seiten 9 angegeben (45,0 %)." in said
    assert (
        "10 Verbindungen lassen sich nicht bestätigen: Die andere Seite hat nicht geantwortet."
    ) in said
    assert "1 Verbindung nennt nur eine Seite, obwohl beide geantwortet haben." in said
    assert not any("Rücklauf ist gering" in s for s in said)
