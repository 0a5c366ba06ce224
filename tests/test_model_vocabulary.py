"""German words in, as shown out: every label netkoop prints is read back as its word."""

from __future__ import annotations

import pytest

import netkoop
from conftest import REPO
from netkoop.model import vocabulary
from netkoop.model.vocabulary import (
    ACCEPTED,
    LABELS_DE,
    LABELS_EN,
    TIE_KINDS,
    TIE_VALUES,
    UNIT_KINDS,
    UNIT_VALUES,
    VALUE_LABELS_DE,
    normalize_tie_kind,
    normalize_unit_kind,
    normalize_value,
)
from netkoop.render.labels import kind_label, value_labels


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_printed_label_of_a_kind_reads_back_as_the_kind(lang) -> None:
    for kind in UNIT_KINDS:
        label = kind_label(kind, lang)
        assert normalize_unit_kind(label) == kind, label
        assert normalize_unit_kind(label.upper()) == kind, label
    for kind in TIE_KINDS:
        label = kind_label(kind, lang)
        assert normalize_tie_kind(label) == kind, label
        assert normalize_tie_kind(label.upper()) == kind, label


def test_every_printed_label_of_a_value_reads_back_as_the_value() -> None:
    for column, values in {**TIE_VALUES, **UNIT_VALUES}.items():
        shown = value_labels(column, "de")
        assert set(shown) == set(values)
        for value, label in shown.items():
            assert normalize_value(column, label) == value, label
            assert normalize_value(column, value.upper()) == value


@pytest.mark.parametrize(
    ("column", "written", "meant"),
    [
        ("kind (ties)", "Erfahrungsaustausch", "exchange"),
        ("kind (ties)", "Austausch", "exchange"),
        ("kind (ties)", "gemeinsame Projekte", "joint_project"),
        ("kind (ties)", "geteilte Stelle", "shared_staff"),
        ("kind (ties)", "Personalstelle geteilt", "shared_staff"),
        ("kind (ties)", "Oeffnung von Angeboten", "service_opening"),
        ("kind (units)", "Kreisangehoerige Gemeinde", "gemeinde"),
        ("kind (units)", "Stadtkreis", "kreisfreie_stadt"),
        ("intensity", "regelmäßig", "regular"),
        ("intensity", "regelmaessig", "regular"),
        ("intensity", "Regelmässig", "regular"),
        ("intensity", "INTENSIV", "intensive"),
        ("level", "Arbeits-Ebene", "operational"),
        ("funding", "Pflichtaufgabe", "mandatory"),
        ("funding", "Projektförderung", "project"),
    ],
)
def test_common_variants(column, written, meant) -> None:
    normalize = {
        "kind (ties)": normalize_tie_kind,
        "kind (units)": normalize_unit_kind,
    }.get(column, lambda v: normalize_value(column, v))
    assert normalize(written) == meant


def test_german_words_in_a_table_load_as_the_words_netkoop_uses(tables) -> None:
    units = "id,name,kind,land\na,A,kreisfreie Stadt,03\nb,B,Landkreis,03\nf,F,Austauschformat,03\n"
    ties = (
        "from,to,kind,intensity,level,funding\n"
        "a,b,Erfahrungsaustausch,regelmäßig,Arbeitsebene,freiwillig\n"
        "a,b,geteilte Stelle,intensiv,Leitungsebene,Projektförderung\n"
        "b,f,Mitgliedschaft,gelegentlich,,Pflichtaufgabe\n"
    )
    net = netkoop.load(tables(units=units, ties=ties))
    assert net.units["kind"].tolist() == ["kreisfreie_stadt", "landkreis", "forum"]
    assert net.ties[["kind", "intensity", "level", "funding"]].astype(object).where(
        net.ties[["kind", "intensity", "level", "funding"]].notna(), None
    ).to_numpy().tolist() == [
        ["exchange", "regular", "operational", "voluntary"],
        ["shared_staff", "intensive", "leadership", "project"],
        ["membership", "occasional", None, "mandatory"],
    ]


def test_no_spelling_means_two_words() -> None:
    for column, words in ACCEPTED.items():
        folded = [vocabulary.fold(s) for spellings in words.values() for s in spellings]
        assert len(folded) == len(set(folded)), column


def readme_table() -> str:
    """The README's table of accepted words, as ACCEPTED gives it."""
    lines = ["| column | netkoop's word | also accepted |", "|---|---|---|"]
    for column, words in ACCEPTED.items():
        for word, spellings in words.items():
            others = ", ".join(s for s in spellings if vocabulary.fold(s) != vocabulary.fold(word))
            lines.append(f"| {column} | `{word}` | {others} |")
    return "\n".join(lines)


def test_the_readme_lists_every_accepted_word() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    assert readme_table() in text, readme_table()
    assert set(LABELS_DE) == set(LABELS_EN) == {*UNIT_KINDS, *TIE_KINDS}
    assert {c for c, _ in VALUE_LABELS_DE} == {*TIE_VALUES, *UNIT_VALUES}
    assert "with or without umlauts" in text
