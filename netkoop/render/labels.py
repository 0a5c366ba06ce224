"""The words of a rendered page in German and English: domain terms and interface text."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from netkoop.model.labels import LANGUAGES, Lang, check_lang
from netkoop.model.vocabulary import LABELS_DE, LABELS_EN, VALUE_LABELS_DE

__all__ = ["LANGUAGES", "LOCALES", "Lang", "all_text", "check_lang", "kind_label", "text"]

#: Number formats (BCP 47 tags) the page formats numbers with.
LOCALES: Mapping[str, str] = MappingProxyType({"de": "de-DE", "en": "en-GB"})

# Interface text. Keys are used by the page script (page.js) and by the scene builder.
_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # column and attribute labels
        "id": ("Schlüssel", "key"),
        "name": ("Name", "name"),
        "kind": ("Art", "kind"),
        "land": ("Land", "Land"),
        "parent": ("Kreis", "Kreis"),
        "population": ("Einwohner", "population"),
        "lat": ("Breite", "latitude"),
        "lon": ("Länge", "longitude"),
        "coordination_office": ("Koordinierungsstelle", "coordination office"),
        "integration_concept": ("Integrationskonzept", "integration concept"),
        "intensity": ("Intensität", "intensity"),
        "occasional": ("gelegentlich", "occasional"),
        "regular": ("regelmäßig", "regular"),
        "intensive": ("intensiv", "intensive"),
        "level": ("Ebene", "level"),
        "funding": ("Finanzierung", "funding"),
        "since": ("seit", "since"),
        "until": ("bis", "until"),
        "office_since": ("Stelle seit", "office since"),
        "office_until": ("Stelle bis", "office until"),
        "source": ("Quelle", "source"),
        "confidence": ("Sicherheit", "confidence"),
        "reported_by": ("gemeldet von", "reported by"),
        "confirmed": ("bestätigt", "confirmed"),
        "comment": ("Bemerkung", "comment"),
        "differs": ("Angaben weichen ab bei", "answers differ in"),
        "intensity_rule": ("Regel bei abweichenden Angaben", "rule for differing answers"),
        "responded": ("hat geantwortet", "answered"),
        # per-unit measures computed for the page
        "degree": ("Verbindungen", "ties"),
        "neighbours": ("Partner", "partners"),
        "component": ("Komponente", "component"),
        "ei": ("E-I-Index (Kreisgrenzen)", "E-I index (Kreis borders)"),
        "out_commuters": ("Auspendler", "out-commuters"),
        "in_commuters": ("Einpendler", "in-commuters"),
        "uncovered_commuters": ("Pendler ohne Verbindung", "commuters without a tie"),
        # headline panel
        "units": ("Einheiten", "units"),
        "ties": ("Verbindungen", "ties"),
        "components": ("Komponenten", "components"),
        "isolates": ("ohne Verbindung", "without a tie"),
        "ei_overall": ("E-I-Index (Kreisgrenzen)", "E-I index (Kreis borders)"),
        "coverage": ("Pendler mit Verbindung", "commuters with a tie"),
        "commuters": ("Pendler", "commuters"),
        "flow_pairs": ("Pendlerpaare gezeigt", "commuter pairs shown"),
        # controls and sections
        "search": ("Suche nach Name oder Schlüssel", "Search by name or key"),
        "no_match": ("kein Treffer", "no match"),
        "metrics": ("Kennzahlen", "Key figures"),
        "unit_kinds": ("Arten von Einheiten", "Kinds of unit"),
        "tie_kinds": ("Arten von Verbindungen", "Kinds of tie"),
        "laender": ("Länder", "Länder"),
        "all": ("alle", "all"),
        "none": ("keine", "none"),
        "no_land": ("ohne Land", "no Land"),
        "flows": ("Pendlerströme", "Commuter flows"),
        "show_flows": ("Pendlerströme zeigen", "Show commuter flows"),
        "min_commuters": ("ab Pendlern", "at least commuters"),
        "top_flows": (
            "je Einheit die {n} größten Paare ab {m} Pendlern",
            "the {n} largest pairs per unit from {m} commuters",
        ),
        "all_flows": ("alle Paare ab {m} Pendlern", "all pairs from {m} commuters"),
        "flow_tied": ("mit Verbindung", "with a tie"),
        "flow_gap": ("ohne Verbindung (Lücke)", "without a tie (gap)"),
        "flow_new": ("neu verbunden", "newly tied"),
        "gap_list": ("Größte Pendlerpaare ohne Verbindung", "Largest commuter pairs without a tie"),
        "size": ("Größe", "Size"),
        "size_means": ("Fläche ∝ {what}", "area ∝ {what}"),
        "size_fixed": ("Größe nach Art der Einheit", "size by kind of unit"),
        "largest": ("größter Wert", "largest value"),
        "physics": ("Kräftesimulation (Layout bewegen)", "Physics (move the layout)"),
        "layout_geo": ("Lage nach Koordinaten", "Placed by coordinates"),
        "layout_spring": ("Lage berechnet (Federmodell)", "Computed layout (spring model)"),
        "layout_grouped": ("Lage nach Kreisen gruppiert", "Grouped by Kreis"),
        "directed": ("gerichtet", "directed"),
        "selected": ("Ausgewählt", "Selected"),
        "partners_list": ("Verbunden mit", "Tied to"),
        "clear": ("Auswahl aufheben", "Clear selection"),
        "sources": ("Quellen", "Sources"),
        "made_with": ("Erstellt mit netkoop {version}", "Made with netkoop {version}"),
        "reference_date": ("Stichtag", "Reference date"),
        "yes": ("ja", "yes"),
        "no": ("nein", "no"),
        "to": ("nach", "to"),
        "both": ("zusammen", "together"),
        "tie": ("Verbindung", "Tie"),
        "flow": ("Pendler", "Commuters"),
        "gap": ("Lücke: keine Verbindung", "gap: no tie"),
        "gap_short": ("Lücke", "gap"),
        "tied": ("verbunden", "tied"),
        # a survey
        "survey": ("Befragung", "Survey"),
        "no_answer": ("hat nicht geantwortet", "did not answer"),
        "one_sided": ("nur von einer Seite gemeldet", "reported by one side only"),
        "one_sided_short": ("einseitig", "one side"),
        "both_sides": ("von beiden Seiten gemeldet", "reported by both sides"),
        "both_reported": ("beide Seiten", "both sides"),
        "confirmed_yes": ("ja", "yes"),
        "confirmed_no": ("nein", "no"),
        "confirmed_unknown": (
            "unbekannt (andere Seite hat nicht geantwortet)",
            "unknown (the other side did not answer)",
        ),
        "response_rate": ("Rücklaufquote", "response rate"),
        "confirmed_share": ("Anteil beidseitig gemeldet", "share reported by both sides"),
        # the map: outlines and the choropleth
        "outlines": ("Umrisse", "Outlines"),
        "outline_level": ("Ebene", "level"),
        "level_land": ("Land", "Land"),
        "level_kreis": ("Kreis", "Kreis"),
        "level_gemeinde": ("Gemeinde", "Gemeinde"),
        "border_land": ("Landesgrenze", "Land border"),
        "border_kreis": ("Kreisgrenze", "Kreis border"),
        "border_gemeinde": ("Gemeindegrenze", "Gemeinde border"),
        "choropleth_class": ("Klasse", "class"),
        "scheme_quantiles": ("Quantile, {k} Klassen", "quantiles, {k} classes"),
        "scheme_natural_breaks": (
            "natürliche Klassen (Fisher-Jenks), {k} Klassen",
            "natural breaks (Fisher-Jenks), {k} classes",
        ),
        "scheme_categories": ("Kategorien", "categories"),
        "scheme_quantiles_one": ("Quantile, 1 Klasse", "quantiles, 1 class"),
        "scheme_natural_breaks_one": (
            "natürliche Klassen (Fisher-Jenks), 1 Klasse",
            "natural breaks (Fisher-Jenks), 1 class",
        ),
        # the date slider
        "dates_heading": ("Zeitverlauf", "Over time"),
        "as_of": ("Stand am", "As of"),
        "play": ("Abspielen", "Play"),
        "pause": ("Pause", "Pause"),
        "slider_new": ("neu seit dem vorigen Stand", "new since the previous date"),
        "slider_new_since": ("neu seit Stand {date}", "new since {date}"),
        "slider_ending": ("endet vor dem nächsten Stand", "ending before the next date"),
        "slider_ending_before": ("endet vor Stand {date}", "ending before {date}"),
        # differences of two networks
        "change": ("Änderung", "Change"),
        "unchanged": ("unverändert", "unchanged"),
        "added": ("neu (hervorgehoben)", "added (highlighted)"),
        "removed": ("entfernt (gestrichelt)", "removed (dashed)"),
        "status_added": ("neu", "added"),
        "status_removed": ("entfernt", "removed"),
        "diff_title": ("Vergleich: {base} → {whatif}", "Comparison: {base} → {whatif}"),
    }
)


def value_labels(column: str, lang: Lang) -> dict[str, str]:
    """Return the words for the known values of a categorical column (empty if none).

    >>> value_labels("intensity", "de")["regular"]
    'regelmäßig'
    """
    if lang == "de":
        return {value: word for (name, value), word in VALUE_LABELS_DE.items() if name == column}
    return {value: value for (name, value) in VALUE_LABELS_DE if name == column}


def kind_label(kind: str, lang: Lang) -> str:
    """Return the label of a unit or tie kind.

    >>> kind_label("kreisfreie_stadt", "de"), kind_label("shared_staff", "en")
    ('kreisfreie Stadt', 'shared staff')
    """
    labels = LABELS_DE if lang == "de" else LABELS_EN
    return labels.get(kind, kind.replace("_", " "))


def text(key: str, lang: Lang, **values: str) -> str:
    """Return interface text by key, with ``{name}`` fields filled in.

    Unknown keys (e.g. attribute columns of a scenario) come back as they are.

    >>> text("top_flows", "de", n="5", m="10")
    'je Einheit die 5 größten Paare ab 10 Pendlern'
    """
    pair = _TEXT.get(key)
    if pair is None:
        return key
    template = pair[0] if lang == "de" else pair[1]
    return template.format(**values) if values else template


def scheme_label(scheme: str, classes: int, lang: Lang) -> str:
    """Return how a choropleth's classes were made, for its legend.

    ``classes`` counts the classes of values (not the class of missing values).

    >>> scheme_label("quantiles", 5, "de"), scheme_label("natural_breaks", 1, "en")
    ('Quantile, 5 Klassen', 'natural breaks (Fisher-Jenks), 1 class')
    """
    if scheme != "categories" and classes == 1:
        return text(f"scheme_{scheme}_one", lang)
    return text(f"scheme_{scheme}", lang, k=str(classes))


def all_text(lang: Lang) -> dict[str, str]:
    """Return every interface text in one language, for the page script."""
    return {key: text(key, lang) for key in _TEXT}
