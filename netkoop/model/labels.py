"""The words people read for table columns, measures, tables and options, in German and English.

CSV and JSON keep the names programs read (``weighted_degree``, ``structure.density``);
workbooks and the terminal show these labels instead. A name without a label comes back as it
is, so a scenario's own columns pass through. Domain terms (kinds of unit and tie, used as
column names in the mixing tables) come from `netkoop.model.vocabulary`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Literal

from netkoop._errors import OutputError
from netkoop.model.vocabulary import LABELS_DE, LABELS_EN

Lang = Literal["de", "en"]

#: Languages of the labels, German first (the default).
LANGUAGES: tuple[Lang, ...] = ("de", "en")

#: The measures a timeline adds, as columns and as measures: ties by kind, confirmed share.
_TIMELINE_MEASURES: Mapping[str, tuple[str, str]] = {
    "ties_exchange": ("Verbindungen: Erfahrungsaustausch", "ties: exchange"),
    "ties_shared_staff": ("Verbindungen: geteilte Stelle", "ties: shared staff"),
    "ties_joint_project": ("Verbindungen: gemeinsames Projekt", "ties: joint project"),
    "ties_shared_material": ("Verbindungen: geteiltes Material", "ties: shared material"),
    "ties_service_opening": ("Verbindungen: Öffnung von Angeboten", "ties: service opening"),
    "ties_membership": ("Verbindungen: Mitgliedschaft", "ties: membership"),
    "confirmed_share": ("Anteil von beiden Seiten gemeldet", "share both sides reported"),
}

# Table columns (and index names), German and English.
_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # units and ties
        "id": ("Schlüssel", "key"),
        "name": ("Name", "name"),
        "kind": ("Art", "kind"),
        "land": ("Land", "Land"),
        "parent": ("Kreis", "Kreis"),
        "population": ("Einwohner", "population"),
        "lat": ("Breite", "latitude"),
        "lon": ("Länge", "longitude"),
        "coordination_office": ("Koordinierungsstelle", "coordination office"),
        "office_since": ("Stelle seit", "office since"),
        "office_until": ("Stelle bis", "office until"),
        "from": ("von", "from"),
        "to": ("nach", "to"),
        "name_from": ("Name von", "name from"),
        "name_to": ("Name nach", "name to"),
        "kind_from": ("Art von", "kind from"),
        "kind_to": ("Art nach", "kind to"),
        "intensity": ("Intensität", "intensity"),
        "level": ("Ebene", "level"),
        "funding": ("Finanzierung", "funding"),
        "since": ("seit", "since"),
        "until": ("bis", "until"),
        "source": ("Quelle", "source"),
        "confidence": ("Sicherheit", "confidence"),
        "reported_by": ("gemeldet von", "reported by"),
        "confirmed": ("bestätigt", "confirmed"),
        "comment": ("Bemerkung", "comment"),
        "differs": ("Angaben weichen ab bei", "answers differ in"),
        "intensity_rule": ("Regel bei abweichenden Angaben", "rule for differing answers"),
        "responded": ("hat geantwortet", "answered"),
        "kreis": ("Kreis", "Kreis"),
        "status": ("Status", "status"),
        # headline values and comparisons
        "measure": ("Kennzahl", "measure"),
        "value": ("Wert", "value"),
        "item": ("Angabe", "item"),
        "base": ("Basis", "base"),
        "whatif": ("Was-wäre-wenn", "what-if"),
        "difference": ("Differenz", "difference"),
        # structure
        "degree": ("Verbindungen", "ties"),
        "neighbours": ("Partner", "partners"),
        "weighted_degree": ("Verbindungen gewichtet", "weighted ties"),
        "clustering": ("Clusterkoeffizient", "clustering"),
        "betweenness": ("Zwischenzentralität", "betweenness"),
        "closeness": ("Nähezentralität", "closeness"),
        "eigenvector": ("Eigenvektorzentralität", "eigenvector centrality"),
        "core_number": ("k-Kern", "k-core"),
        "articulation": ("Artikulationspunkt", "articulation point"),
        "component": ("Komponente", "component"),
        "units": ("Einheiten", "units"),
        "ties": ("Verbindungen", "ties"),
        "pairs": ("Paare", "pairs"),
        "density": ("Dichte", "density"),
        "components": ("Komponenten", "components"),
        "isolates": ("ohne Verbindung", "isolates"),
        "largest_component": ("größte Komponente", "largest component"),
        "transitivity": ("Transitivität", "transitivity"),
        # Kreis borders
        "internal": ("im Kreis", "inside the Kreis"),
        "external": ("über Kreisgrenzen", "across Kreis borders"),
        "ei": ("E-I-Index (Kreisgrenzen)", "E-I index (Kreis borders)"),
        "tie_inside": ("mit Verbindung im Kreis", "with a tie inside the Kreis"),
        "tie_across": ("mit Verbindung über die Kreisgrenze", "with a tie across the border"),
        "intensive_across": (
            "mit intensiver Verbindung über die Kreisgrenze",
            "with an intensive tie across the border",
        ),
        "land_forum": ("Mitglied eines Austauschformats des Landes", "member of a Land forum"),
        "pair_type": ("Paarart", "pair type"),
        "forum_pairs": ("Paare mit gemeinsamem Austauschformat", "pairs sharing a forum"),
        "direct_pairs": ("direkt verbundene Paare", "pairs tied directly"),
        "both": ("beides", "both"),
        "forum_only": ("nur über Austauschformat", "forum only"),
        "direct_only": ("nur direkt", "direct only"),
        # brokerage (Gould & Fernandez)
        "coordinator": ("Koordinator", "coordinator"),
        "gatekeeper": ("Gatekeeper", "gatekeeper"),
        "representative": ("Repräsentant", "representative"),
        "consultant": ("Berater", "consultant"),
        "liaison": ("Liaison", "liaison"),
        "total": ("gesamt", "total"),
        "brokers": ("Vermittler", "brokers"),
        "brokerage": ("Vermittlung", "brokerage"),
        # communities
        "community": ("Gruppe", "community"),
        # commuting gap
        "unit_a": ("Einheit A", "unit A"),
        "name_a": ("Name A", "name A"),
        "kind_a": ("Art A", "kind A"),
        "kreis_a": ("Kreis A", "Kreis A"),
        "unit_b": ("Einheit B", "unit B"),
        "name_b": ("Name B", "name B"),
        "kind_b": ("Art B", "kind B"),
        "kreis_b": ("Kreis B", "Kreis B"),
        "a_to_b": ("Pendler A → B", "commuters A → B"),
        "b_to_a": ("Pendler B → A", "commuters B → A"),
        "commuters": ("Pendler", "commuters"),
        "adjacent": ("benachbart", "neighbours"),
        "pairs_tied": ("Paare mit Verbindung", "pairs with a tie"),
        "commuters_tied": ("Pendler mit Verbindung", "commuters with a tie"),
        "coverage": ("Anteil Pendler mit Verbindung", "share of commuters with a tie"),
        # simulations
        "scenario": ("Szenario", "scenario"),
        "run": ("Lauf", "run"),
        "before": ("vorher", "before"),
        "mean": ("Mittelwert", "mean"),
        "std": ("Standardabweichung", "standard deviation"),
        "min": ("Minimum", "minimum"),
        "q05": ("5 %", "5%"),
        "q25": ("25 %", "25%"),
        "median": ("Median", "median"),
        "q75": ("75 %", "75%"),
        "q95": ("95 %", "95%"),
        "max": ("Maximum", "maximum"),
        "share_higher": ("Anteil höher", "share higher"),
        "share_lower": ("Anteil niedriger", "share lower"),
        "ei_index": ("E-I-Index (Kreisgrenzen)", "E-I index (Kreis borders)"),
        "commuter_coverage": ("Anteil Pendler mit Verbindung", "share of commuters with a tie"),
        "hub_connected": ("Anteil mit Weg zu Kreis oder Land", "share connected to Kreis or Land"),
        "hub_tied": ("Anteil mit Verbindung zu Kreis oder Land", "share tied to Kreis or Land"),
        "offices": ("Koordinierungsstellen", "coordination offices"),
        "connected before": ("vorher verbunden", "connected before"),
        # a survey
        "asked": ("befragt", "asked"),
        "answered": ("geantwortet", "answered"),
        "response_rate": ("Rücklaufquote", "response rate"),
        "both_answered": ("beide Seiten antworteten", "both sides answered"),
        "asymmetric": ("asymmetrisch", "asymmetric"),
        "reciprocity": ("Gegenseitigkeit", "reciprocity"),
        "union": ("alle Verbindungen", "all ties (union)"),
        # recommended ties
        "size_from": ("Komponente von: Einheiten", "component from: units"),
        "size_to": ("Komponente nach: Einheiten", "component to: units"),
        "pairs_connected": ("neu verbundene Paare", "pairs newly connected"),
        # a timeline: measures per date, ties begun and ended per period, marked dates
        "date": ("Datum", "date"),
        **_TIMELINE_MEASURES,
        "period_start": ("Zeitraum ab", "period from"),
        "period_end": ("Zeitraum bis", "period to"),
        "begun": ("begonnen", "begun"),
        "ended": ("beendet", "ended"),
        "begun_exchange": ("begonnen: Erfahrungsaustausch", "begun: exchange"),
        "begun_shared_staff": ("begonnen: geteilte Stelle", "begun: shared staff"),
        "begun_joint_project": ("begonnen: gemeinsames Projekt", "begun: joint project"),
        "begun_shared_material": ("begonnen: geteiltes Material", "begun: shared material"),
        "begun_service_opening": ("begonnen: Öffnung von Angeboten", "begun: service opening"),
        "begun_membership": ("begonnen: Mitgliedschaft", "begun: membership"),
        "begun_voluntary": ("begonnen: freiwillig", "begun: voluntary"),
        "begun_project": ("begonnen: Projektförderung", "begun: project"),
        "begun_mandatory": ("begonnen: Pflichtaufgabe", "begun: mandatory"),
        "begun_funding_unknown": ("begonnen: Finanzierung unbekannt", "begun: funding unknown"),
        "ended_exchange": ("beendet: Erfahrungsaustausch", "ended: exchange"),
        "ended_shared_staff": ("beendet: geteilte Stelle", "ended: shared staff"),
        "ended_joint_project": ("beendet: gemeinsames Projekt", "ended: joint project"),
        "ended_shared_material": ("beendet: geteiltes Material", "ended: shared material"),
        "ended_service_opening": ("beendet: Öffnung von Angeboten", "ended: service opening"),
        "ended_membership": ("beendet: Mitgliedschaft", "ended: membership"),
        "ended_voluntary": ("beendet: freiwillig", "ended: voluntary"),
        "ended_project": ("beendet: Projektförderung", "ended: project"),
        "ended_mandatory": ("beendet: Pflichtaufgabe", "ended: mandatory"),
        "ended_funding_unknown": ("beendet: Finanzierung unbekannt", "ended: funding unknown"),
        "label": ("Bezeichnung", "label"),
        # the profile of a focus
        "unit": ("Einheit", "unit"),
        "partner": ("Partner", "partner"),
        "partner_name": ("Name Partner", "partner name"),
        "partner_kind": ("Art Partner", "partner kind"),
        "partner_kreis": ("Kreis Partner", "partner Kreis"),
        "tie_kind": ("Art der Verbindung", "tie kind"),
        "scope": ("Lage zur Kreisgrenze", "inside or across the Kreis"),
        "rank": ("Rang", "rank"),
        "percentile": ("Perzentil", "percentile"),
        "role": ("Hauptrolle", "main role"),
    }
)

# Columns of a comparison: "<measure>_base", "<measure>_whatif", "<measure>_difference".
_SIDES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "base": ("Basis", "base"),
        "whatif": ("Was-wäre-wenn", "what-if"),
        "difference": ("Differenz", "difference"),
    }
)
_SIDE = re.compile(r"^(.+)_(base|whatif|difference)$")
# Columns of a simulation's units: "connected (<scenario>)".
_CONNECTED = re.compile(r"^connected \((.+)\)$")

# Headline measures: the keys of `netkoop.metrics.Report.values` (metrics, compare,
# simulate) and the measures of a simulation.
_MEASURES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "structure.units": ("Einheiten", "units"),
        "structure.ties": ("Verbindungen", "ties"),
        "structure.pairs": ("verbundene Paare", "tied pairs"),
        "structure.density": ("Dichte", "density"),
        "structure.components": ("Komponenten", "components"),
        "structure.isolates": ("Einheiten ohne Verbindung", "units without a tie"),
        "structure.largest_component": ("Einheiten der größten Komponente", "largest component"),
        "structure.transitivity": ("Transitivität", "transitivity"),
        "structure.average_clustering": ("mittlerer Clusterkoeffizient", "average clustering"),
        "structure.bridges": ("Brücken", "bridges"),
        "structure.articulation_points": ("Artikulationspunkte", "articulation points"),
        "mixing.assortativity_by_kind": ("Assortativität nach Art", "assortativity by kind"),
        "kreis.ei": ("E-I-Index (Kreisgrenzen)", "E-I index (Kreis borders)"),
        "kreis.internal": ("Verbindungen im Kreis", "ties inside a Kreis"),
        "kreis.external": ("Verbindungen über Kreisgrenzen", "ties across Kreis borders"),
        "kreis.ei_test.observed": ("E-I-Test: beobachtet", "E-I test: observed"),
        "kreis.ei_test.expected": ("E-I-Test: erwartet", "E-I test: expected"),
        "kreis.ei_test.std": ("E-I-Test: Standardabweichung", "E-I test: standard deviation"),
        "kreis.ei_test.p_value": ("E-I-Test: p-Wert", "E-I test: p-value"),
        "kreis.ei_test.permutations": ("E-I-Test: Permutationen", "E-I test: permutations"),
        "kreis.forum_pairs.forum_pairs": (
            "Paare mit gemeinsamem Austauschformat",
            "pairs sharing a forum",
        ),
        "kreis.forum_pairs.direct_pairs": ("direkt verbundene Paare", "pairs tied directly"),
        "kreis.forum_pairs.both": (
            "Paare direkt und über Austauschformat",
            "pairs tied directly and sharing a forum",
        ),
        "kreis.forum_pairs.forum_only": ("Paare nur über Austauschformat", "pairs via forum only"),
        "kreis.forum_pairs.direct_only": ("Paare nur direkt", "pairs tied directly only"),
        "brokerage.brokers": ("Vermittler", "brokers"),
        "communities.method": ("Gruppen: Verfahren", "communities: method"),
        "communities.seed": ("Gruppen: Startwert", "communities: seed"),
        "communities.units": ("Gruppen: Einheiten", "communities: units"),
        "communities.isolates": ("Gruppen: Einheiten ohne Verbindung", "communities: isolates"),
        "communities.communities": ("Gruppen", "communities"),
        "communities.kreise": ("Gruppen: Kreise", "communities: Kreise"),
        "communities.modularity_kreise": ("Modularität der Kreise", "modularity of the Kreise"),
        "communities.modularity_communities": (
            "Modularität der Gruppen",
            "modularity of the communities",
        ),
        "communities.adjusted_rand": (
            "Gruppen und Kreise: bereinigter Rand-Index",
            "communities vs Kreise: adjusted Rand index",
        ),
        "communities.nmi": (
            "Gruppen und Kreise: normierte Transinformation",
            "communities vs Kreise: normalised mutual information",
        ),
        "gap.flows": ("Pendlerströme", "commuter flows"),
        "gap.column": ("Pendlerlücke: Spalte", "commuting gap: column"),
        "gap.coverage": ("Anteil Pendler mit Verbindung", "share of commuters with a tie"),
        "gap.pairs": ("Paare mit Pendlern", "pairs with commuters"),
        "gap_neighbours.coverage": (
            "Nachbarn: Anteil Pendler mit Verbindung",
            "neighbours: share of commuters with a tie",
        ),
        "gap_neighbours.pairs": (
            "Nachbarn: Paare mit Pendlern",
            "neighbours: pairs with commuters",
        ),
        "gap_focus.coverage": (
            "Fokus und Kreis: Anteil Pendler mit Verbindung",
            "focus and its Kreis: share of commuters with a tie",
        ),
        "gap_focus.pairs": (
            "Fokus und Kreis: Paare mit Pendlern",
            "focus and its Kreis: pairs with commuters",
        ),
        "focus.key": ("Fokus: Schlüssel", "focus: key"),
        "focus.name": ("Fokus: Name", "focus: name"),
        "focus.kind": ("Fokus: Art", "focus: kind"),
        "focus.kreis": ("Fokus: Kreis", "focus: Kreis"),
        "focus.units": ("Fokus: Einheiten im Gebiet", "focus: units in its area"),
        "focus.partners": ("Fokus: Partner außerhalb", "focus: partners outside"),
        "focus.ties": ("Fokus: Verbindungen", "focus: ties"),
        "focus.ties_inside": ("Fokus: Verbindungen im Kreis", "focus: ties inside the Kreis"),
        "focus.ties_across": (
            "Fokus: Verbindungen über die Kreisgrenze",
            "focus: ties across the Kreis border",
        ),
        "focus.role": ("Fokus: Hauptrolle als Vermittler", "focus: main brokerage role"),
        # the position of a focus (`netkoop.metrics.focus.focus_position`)
        "degree": ("Verbindungen", "ties"),
        "neighbours": ("Partner", "partners"),
        "betweenness": ("Zwischenzentralität", "betweenness"),
        "closeness": ("Nähezentralität", "closeness"),
        "brokerage": ("Vermittlung", "brokerage"),
        "internal": ("Verbindungen im Kreis", "ties inside the Kreis"),
        "external": ("Verbindungen über die Kreisgrenze", "ties across the Kreis border"),
        "ei": ("E-I-Index (Kreisgrenzen)", "E-I index (Kreis borders)"),
        "survey.asked": ("Befragung: befragte Einheiten", "survey: units asked"),
        "survey.answered": ("Befragung: Einheiten mit Antwort", "survey: units that answered"),
        "survey.response_rate": ("Befragung: Rücklaufquote", "survey: response rate"),
        "survey.ties_reported": ("Befragung: gemeldete Verbindungen", "survey: ties reported"),
        "survey.ties_confirmed": (
            "Befragung: von beiden Seiten gemeldet",
            "survey: ties both sides reported",
        ),
        "survey.ties_unknown": (
            "Befragung: andere Seite ohne Antwort",
            "survey: the other side did not answer",
        ),
        "survey.asymmetric": (
            "Befragung: asymmetrisch (andere Seite nennt sie nicht)",
            "survey: asymmetric (the other side does not name it)",
        ),
        "survey.both_answered": (
            "Befragung: Verbindungen mit Antwort beider Seiten",
            "survey: ties whose both sides answered",
        ),
        "survey.reciprocity": ("Befragung: Gegenseitigkeit", "survey: reciprocity"),
        # a comparison
        "measures_changed": ("geänderte Kennzahlen", "measures changed"),
        "ties_added": ("neue Verbindungen", "ties added"),
        "ties_removed": ("entfernte Verbindungen", "ties removed"),
        "units_added": ("neue Einheiten", "units added"),
        "units_removed": ("entfernte Einheiten", "units removed"),
        # a simulation: its values and the measures of every run
        "scenarios": ("Szenarien", "scenarios"),
        "runs": ("Läufe je Szenario", "runs per scenario"),
        "seed": ("Startwert", "seed"),
        "ties": ("Verbindungen", "ties"),
        "components": ("Komponenten", "components"),
        "largest_component": ("Anteil der größten Komponente", "share in the largest component"),
        "isolates": ("Einheiten ohne Verbindung", "units without a tie"),
        "density": ("Dichte", "density"),
        "ei_index": ("E-I-Index (Kreisgrenzen)", "E-I index (Kreis borders)"),
        "commuter_coverage": ("Anteil Pendler mit Verbindung", "share of commuters with a tie"),
        "hub_connected": ("Anteil mit Weg zu Kreis oder Land", "share connected to Kreis or Land"),
        "hub_tied": ("Anteil mit Verbindung zu Kreis oder Land", "share tied to Kreis or Land"),
        "offices": ("Koordinierungsstellen", "coordination offices"),
        # a timeline: its values and the measures of every date
        "scenario": ("Szenario", "scenario"),
        "start": ("erstes Datum", "first date"),
        "end": ("letztes Datum", "last date"),
        "every": ("Abstand der Daten", "step between dates"),
        "dates": ("Zeitpunkte", "dates"),
        "reference_date": ("Stichtag", "reference date"),
        "units": ("Einheiten", "units"),
        **_TIMELINE_MEASURES,
    }
)

# Tables of reports, as sheet names (at most 31 characters) and terminal headings.
_TABLES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "values": ("Überblick", "Overview"),
        "structure_units": ("Struktur je Einheit", "Structure by unit"),
        "structure_by_tie_kind": ("Struktur je Verbindungsart", "Structure by tie kind"),
        "structure_bridges": ("Brücken", "Bridges"),
        "mixing_ties": ("Verbindungen nach Arten", "Ties between kinds"),
        "mixing_density": ("Dichte nach Arten", "Density between kinds"),
        "kreis_ei_units": ("E-I-Index je Einheit", "E-I index by unit"),
        "kreis_ei_by_kind": ("E-I-Index je Art", "E-I index by kind"),
        "kreis_study_counts": ("Zwei Welten – Zählung", "Zwei Welten counts"),
        "kreis_study_counts_reported": (
            "Zwei Welten – Zählung genannt",
            "Zwei Welten counts reported",
        ),
        "kreis_forum_pairs": ("Paare über Austauschformate", "Forum-mediated pairs"),
        "brokerage_units": ("Vermittlung je Einheit", "Brokerage by unit"),
        "brokerage_by_kind": ("Vermittlung je Art", "Brokerage by kind"),
        "communities_units": ("Gruppen je Einheit", "Communities by unit"),
        "communities_crosstab": ("Gruppen und Kreise", "Communities and Kreise"),
        "gap_by_type": ("Pendlerlücke je Paarart", "Commuting gap by pair type"),
        "gap_uncovered": ("Pendler ohne Verbindung", "Commuters without a tie"),
        "gap_neighbours_by_type": ("Nachbarn – Lücke je Paarart", "Neighbours – gap by pair type"),
        "gap_neighbours_uncovered": ("Nachbarn – ohne Verbindung", "Neighbours – without a tie"),
        "gap_focus_by_type": ("Fokus – Lücke je Paarart", "Focus – gap by pair type"),
        "gap_focus_uncovered": ("Fokus – ohne Verbindung", "Focus – without a tie"),
        "focus_partners": ("Fokus – Verbindungen", "Focus – ties"),
        "focus_position": ("Fokus – Stellung", "Focus – position"),
        "survey_response": ("Rücklauf je Art", "Response by kind"),
        "survey_ties": ("Verbindungen nach Bestätigung", "Ties by confirmation"),
        "survey_reciprocity": ("Gegenseitigkeit je Paarart", "Reciprocity by pair type"),
        "survey_asymmetric": ("Asymmetrische Verbindungen", "Asymmetric ties"),
        "survey_union_confirmed": ("Alle und bestätigte", "All and confirmed ties"),
        # a comparison
        "measures": ("Kennzahlen", "Measures"),
        "units": ("Einheiten", "Units"),
        "ties_added": ("Neue Verbindungen", "Ties added"),
        "ties_removed": ("Entfernte Verbindungen", "Ties removed"),
        "units_added": ("Neue Einheiten", "Units added"),
        "units_removed": ("Entfernte Einheiten", "Units removed"),
        # a simulation
        "summary": ("Zusammenfassung", "Summary"),
        "difference": ("Differenz", "Difference"),
        "runs": ("Läufe", "Runs"),
        # recommended ties
        "recommended": ("Empfohlene Verbindungen", "Recommended ties"),
        # a timeline
        "changes": ("Veränderungen je Zeitraum", "Changes per period"),
        "marks": ("Markierungen", "Marks"),
        # what made the output, the last sheet of every workbook
        "about": ("Metadaten", "About"),
    }
)

# Items of the metadata sheet: versions, the seed and the options an output was made with.
_ITEMS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "report": ("Bericht", "report"),
        "netkoop": ("netkoop-Version", "netkoop version"),
        "python": ("Python-Version", "Python version"),
        "numpy": ("numpy-Version", "numpy version"),
        "pandas": ("pandas-Version", "pandas version"),
        "networkx": ("networkx-Version", "networkx version"),
        "igraph": ("igraph-Version", "igraph version"),
        "seed": ("Startwert (--seed)", "seed (--seed)"),
        "scenario": ("Szenario", "scenario"),
        "scenarios": ("Szenarien", "scenarios"),
        "base": ("Basis", "base"),
        "whatif": ("Was-wäre-wenn", "what-if"),
        "ties": ("Verbindungsarten (--ties)", "tie kinds (--ties)"),
        "min_confidence": (
            "Mindestsicherheit (--min-confidence)",
            "least confidence (--min-confidence)",
        ),
        "metrics": ("Kennzahlfamilien (--metric)", "measure families (--metric)"),
        "measures": ("Kennzahlen (--metric)", "measures (--metric)"),
        "betweenness": ("Zwischenzentralität (--betweenness)", "betweenness (--betweenness)"),
        "samples": ("Stichprobe (--samples)", "samples (--samples)"),
        "permutations": ("Permutationen (--permutations)", "permutations (--permutations)"),
        "communities": ("Gruppenverfahren (--communities)", "community method (--communities)"),
        "gap_column": ("Pendlerspalte (--gap-column)", "flow column (--gap-column)"),
        "top": ("Pendlerpaare gelistet (--top)", "commuter pairs listed (--top)"),
        "runs": ("Läufe je Szenario (--runs)", "runs per scenario (--runs)"),
        "k": ("Anzahl (-k)", "number (-k)"),
        "objective": ("Ziel (--objective)", "objective (--objective)"),
        "kind": ("Art der neuen Verbindungen (--kind)", "kind of the new ties (--kind)"),
        "column": ("Pendlerspalte (--column)", "flow column (--column)"),
        "adjacent_only": ("nur Nachbarn (--adjacent-only)", "neighbours only (--adjacent-only)"),
        "focus": ("Fokus (--focus)", "focus (--focus)"),
    }
)

# The measure families of a report (`netkoop.metrics.SECTIONS` and the focus), as headings.
_SECTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "structure": ("Struktur", "Structure"),
        "mixing": ("Verbindungen zwischen Arten", "Ties between kinds"),
        "kreis": ("Kreisgrenzen", "Kreis borders"),
        "brokerage": ("Vermittlung", "Brokerage"),
        "communities": ("Gruppen", "Communities"),
        "gap": ("Pendlerlücke", "Commuting gap"),
        "gap_neighbours": ("Pendlerlücke zwischen Nachbarn", "Commuting gap between neighbours"),
        "gap_focus": ("Pendlerlücke von Fokus und Kreis", "Commuting gap of the focus and Kreis"),
        "survey": ("Befragung", "Survey"),
        "focus": ("Fokus", "Focus"),
    }
)


#: Columns whose cells are domain words: kinds of unit or tie, pair types ("landkreis–gemeinde").
KIND_COLUMNS = (
    "kind",
    "kind_from",
    "kind_to",
    "kind_a",
    "kind_b",
    "pair_type",
    "partner_kind",
    "tie_kind",
)


def kind_cells(lang: Lang | str = "de") -> dict[str, Callable[[Any], Any]]:
    """Functions that show the cells of `KIND_COLUMNS` as people read them, by column name.

    Examples
    --------
    >>> kind_cells()["pair_type"]("kreisfreie_stadt–gemeinde")
    'kreisfreie Stadt–kreisangehörige Gemeinde'
    >>> kind_cells()["pair_type"]("gemeinde–gemeinde (across Kreise)")
    'kreisangehörige Gemeinde–kreisangehörige Gemeinde (über Kreisgrenzen)'
    >>> kind_cells("en")["kind"]("shared_staff"), kind_cells()["kind"]("Stadtteil")
    ('shared staff', 'Stadtteil')
    >>> kind_cells()["scope"]("across"), kind_cells("en")["scope"]("across")
    ('über die Kreisgrenze', 'across')
    """
    words = LABELS_EN if lang == "en" else LABELS_DE

    def label(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        pair, _, where = value.partition(" (")  # "gemeinde–gemeinde (same Kreis)"
        text = "–".join(words.get(part, part) for part in pair.split("–"))
        if where:
            place = where.rstrip(")")
            text += f" ({_PLACES.get(place, place) if lang != 'en' else place})"
        return text

    def confirmed(value: Any) -> Any:
        return _CONFIRMED.get(value, value) if lang == "de" else value

    def scope(value: Any) -> Any:
        return _SCOPES.get(value, value) if lang == "de" else value

    return {**dict.fromkeys(KIND_COLUMNS, label), "confirmed": confirmed, "scope": scope}


# Where the two units of a pair type lie, in German.
_PLACES = {"same Kreis": "im selben Kreis", "across Kreise": "über Kreisgrenzen"}

# Where a tie runs from its unit, in German (`netkoop.metrics.kreis.tie_scope`).
_SCOPES = {"inside": "im Kreis", "across": "über die Kreisgrenze"}

# How a survey tie's confirmation reads in German.
_CONFIRMED = {"yes": "ja", "no": "nein", "unknown": "unbekannt", "not_surveyed": "nicht befragt"}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` when there are labels in it (one of `LANGUAGES`).

    Raises
    ------
    OutputError
        When there are no labels in ``lang``.
    """
    if lang == "de":
        return "de"
    if lang == "en":
        return "en"
    raise OutputError(f"unknown language {lang!r}; languages: {', '.join(LANGUAGES)}")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def column_label(name: str, lang: Lang | str = "de") -> str:
    """Return the header of a table column for people; an unknown name comes back as it is.

    Examples
    --------
    >>> column_label("weighted_degree"), column_label("weighted_degree", "en")
    ('Verbindungen gewichtet', 'weighted ties')
    >>> column_label("degree_whatif"), column_label("connected (krise)", "en")
    ('Verbindungen (Was-wäre-wenn)', 'connected (krise)')
    >>> column_label("kreisfreie_stadt"), column_label("auslaender")
    ('kreisfreie Stadt', 'auslaender')
    """
    pair = _COLUMNS.get(name)
    if pair is not None:
        return _pick(pair, lang)
    term = (LABELS_EN if lang == "en" else LABELS_DE).get(name)
    if term is not None:
        return term
    side = _SIDE.match(name)
    if side is not None and side.group(1) in _COLUMNS:
        return f"{column_label(side.group(1), lang)} ({_pick(_SIDES[side.group(2)], lang)})"
    connected = _CONNECTED.match(name)
    if connected is not None:
        return f"{'connected' if lang == 'en' else 'verbunden'} ({connected.group(1)})"
    return name


def measure_label(name: str, lang: Lang | str = "de") -> str:
    """Return the label of a measure (a headline value's key); unknown names come back as
    they are.

    Examples
    --------
    >>> measure_label("structure.density"), measure_label("kreis.ei_test.p_value", "en")
    ('Dichte', 'E-I test: p-value')
    >>> measure_label("magic.number")
    'magic.number'
    """
    pair = _MEASURES.get(name)
    return name if pair is None else _pick(pair, lang)


def table_label(name: str, lang: Lang | str = "de") -> str:
    """Return the title of a report's table (a sheet name); unknown names come back as they
    are.

    Examples
    --------
    >>> table_label("gap_uncovered"), table_label("about", "en")
    ('Pendler ohne Verbindung', 'About')
    """
    pair = _TABLES.get(name)
    return name if pair is None else _pick(pair, lang)


def section_label(name: str, lang: Lang | str = "de") -> str:
    """Return the heading of a measure family (the prefix of a report's values); unknown
    names come back as they are.

    Examples
    --------
    >>> section_label("kreis"), section_label("gap_focus", "en")
    ('Kreisgrenzen', 'Commuting gap of the focus and Kreis')
    """
    pair = _SECTIONS.get(name)
    return name if pair is None else _pick(pair, lang)


def item_label(name: str, lang: Lang | str = "de") -> str:
    """Return the label of an item of the metadata sheet (a version, the seed, an option).

    Examples
    --------
    >>> item_label("seed"), item_label("gap_column", "en")
    ('Startwert (--seed)', 'flow column (--gap-column)')
    """
    pair = _ITEMS.get(name)
    return name if pair is None else _pick(pair, lang)


def date_label(iso: str, lang: Lang | str = "de") -> str:
    """An ISO date (a day, year-month or year) as people in ``lang`` write it.

    >>> date_label("2024-06-30"), date_label("2024-06"), date_label("2024")
    ('30.06.2024', '06.2024', '2024')
    >>> date_label("2024-06-30", "en")
    '2024-06-30'
    """
    text = str(iso)
    return ".".join(reversed(text.split("-"))) if lang == "de" else text


#: The what-if steps as people name them (`step_label`).
_STEPS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "add_ties": ("Verbindungen hinzugefügt", "ties added"),
        "remove_ties": ("Verbindungen entfernt", "ties removed"),
        "add_units": ("Einheiten hinzugefügt", "units added"),
        "remove_units": ("Einheiten entfernt", "units removed"),
        "add_ties_where": ("Verbindungen nach Regel hinzugefügt", "ties added by rule"),
        "remove_ties_where": ("Verbindungen nach Regel entfernt", "ties removed by rule"),
        "set_attributes": ("Merkmale gesetzt", "attributes set"),
        "mandate": ("Pflichtaufgabe", "mandate"),
        "shared_position": ("geteilte Stelle", "shared position"),
        "budget_shock": ("Haushaltskürzung", "budget shock"),
        "expire": ("befristete Förderung endet", "fixed-term money ends"),
    }
)


def step_label(name: str, lang: Lang | str = "de") -> str:
    """A what-if step as people name it, with the name scenario files use.

    >>> step_label("mandate"), step_label("expire", "en"), step_label("neu")
    ('Pflichtaufgabe (mandate)', 'fixed-term money ends (expire)', 'neu')
    """
    known = _STEPS.get(name)
    return f"{_pick(known, lang)} ({name})" if known else name
