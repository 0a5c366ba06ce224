"""Die Wörter des Berichts auf Deutsch: Sätze, Erklärungen, Überschriften, Zahlenformat.

Jeder Satz ist eine Vorlage (siehe `netkoop.report.words`); ``{n:Gemeinde|Gemeinden}``
schreibt die Zahl mit der passenden Form, ``#`` setzt die Zahl in die Form.
"""

from __future__ import annotations

DECIMAL = ","
THOUSANDS = "."
PERCENT = "{} %"
AND = "und"
UNDEFINED = "nicht bestimmt"

SENTENCES = {
    # --- die Region
    "region.kommunen": (
        "Das Netz umfasst {kommunen:Kommune|Kommunen} in {laender:Land|Ländern}: {kinds}."
    ),
    "count.kreisfreie_stadt": "{n:kreisfreie Stadt|kreisfreie Städte}",
    "count.landkreis": "{n:Landkreis|Landkreise}",
    "count.gemeinde": "{n:kreisangehörige Gemeinde|kreisangehörige Gemeinden}",
    "region.forums": (
        "{forums:=Dazu kommt # Austauschformat|Dazu kommen # Austauschformate} auf Landes- "
        "oder Bundesebene, in denen sich Kommunen treffen."
    ),
    "region.ties": "{ties:=Erfasst ist # Verbindung|Erfasst sind # Verbindungen}: {kinds}.",
    "region.no_ties": "Es ist keine Verbindung zwischen den Einheiten erfasst.",
    "region.flows": (
        "Die Pendlerdaten umfassen {flows:Pendlerbeziehung|Pendlerbeziehungen} mit zusammen "
        "{commuters} Pendelnden."
    ),
    "region.interviews": "Grundlage sind {interviews:Interview|Interviews} in {kommunen} Kommunen.",
    "region.date": "Stand der Daten: {date}.",
    "region.at": "Der Bericht zeigt das Netz, wie es am {date} bestand.",
    "region.focus": "Der Bericht richtet den Blick auf {name} ({kind}).",
    # --- Kernbefunde
    "gemeinden.answered": (
        "Von den {gemeinden:kreisangehörigen Gemeinde|kreisangehörigen Gemeinden} "
        "{answered:=hat # geantwortet|haben # geantwortet} ({rate})."
    ),
    "gemeinden.inside_of_answered": (
        "{inside} von ihnen {inside:=berichtet|berichten} Austausch innerhalb ihres "
        "Landkreises, {none} keinen."
    ),
    "gemeinden.named_by_neighbour": (
        "Für {named} dieser {none} berichtet eine Nachbargemeinde dennoch einen Austausch "
        "mit ihnen; hier weichen die Angaben beider Seiten voneinander ab."
    ),
    "gemeinden.inside_reported": (
        "Von {gemeinden:kreisangehörigen Gemeinde|kreisangehörigen Gemeinden} "
        "{inside:=berichtet #|berichten #} Austausch innerhalb ihres Landkreises, {across} "
        "auch darüber hinaus."
    ),
    "gemeinden.inside": (
        "Von {gemeinden:kreisangehörigen Gemeinde|kreisangehörigen Gemeinden} "
        "{inside:=tauscht sich #|tauschen sich #} innerhalb ihres Landkreises aus, "
        "{across} auch darüber hinaus."
    ),
    "gemeinden.across": (
        "Über die Grenze ihres Landkreises hinaus "
        "{across:berichtet nur # kreisangehörige Gemeinde|berichten # kreisangehörige Gemeinden} "
        "Austausch."
    ),
    "kreise.intensive": (
        "Intensive Zusammenarbeit über die Kreisgrenze hinaus "
        "{kfs:berichtet # kreisfreie Stadt|berichten # kreisfreie Städte} und "
        "{lk:# Landkreis|# Landkreise}."
    ),
    "kreise.forums": (
        "{pairs:=# Paar von Kommunen verschiedener Kreise begegnet|# Paare von Kommunen "
        "verschiedener Kreise begegnen} sich in einem gemeinsamen Austauschformat; {direct} "
        "davon {direct:=ist|sind} auch direkt verbunden, {forum_only} nur über das Format."
    ),
    "land_forum": (
        "{members} der {kommunen} Kommunen {members:=ist|sind} Mitglied eines Austauschformats "
        "ihres Landes: "
        "{lk} von {lk_all:Landkreis|Landkreisen}, {kfs} von "
        "{kfs_all:kreisfreien Stadt|kreisfreien Städten} und {g} von "
        "{g_all:kreisangehörigen Gemeinde|kreisangehörigen Gemeinden}."
    ),
    "concept": (
        "{concept} der {kommunen} Kommunen ({share}) {concept:=hat|haben} ein Integrationskonzept."
    ),
    "neighbours.lk_kfs": (
        "Zwischen {pairs:einem Landkreis und der angrenzenden kreisfreien Stadt|"
        "# Landkreisen und der jeweils angrenzenden kreisfreien Stadt} pendeln Menschen; "
        "{tied:nur # dieser Paare arbeitet|nur # dieser Paare arbeiten} im "
        "Integrationsbereich zusammen."
    ),
    "neighbours.lk_kfs_none": (
        "Zwischen {pairs:einem Landkreis und der angrenzenden kreisfreien Stadt|"
        "# Landkreisen und der jeweils angrenzenden kreisfreien Stadt} pendeln Menschen; "
        "{pairs:=das Paar arbeitet nicht|keines dieser Paare arbeitet} im Integrationsbereich "
        "zusammen."
    ),
    "gap.largest": (
        "Zwischen {a} und {b} pendeln täglich {commuters} Menschen; eine Kooperation im "
        "Integrationsbereich ist nicht erfasst."
    ),
    "gap.coverage": (
        "Von {total} Pendelnden zwischen den Kommunen pendeln {covered} ({share}) zwischen "
        "Kommunen, die eine erfasste Verbindung haben."
    ),
    "gap.focus_coverage": (
        "Von {total} Pendelnden zwischen {name} und anderen Kommunen pendeln {covered} "
        "({share}) zwischen Kommunen mit erfasster Verbindung."
    ),
    "gap.kreis_coverage": (
        "Von {total} Pendelnden von und nach {name} und seinen Gemeinden pendeln {covered} "
        "({share}) zwischen Kommunen mit erfasster Verbindung."
    ),
    "gap.none_uncovered": "Alle Pendlerbeziehungen verlaufen zwischen verbundenen Kommunen.",
    "ei.value": (
        "Der E-I-Index der Verbindungen über Kreisgrenzen beträgt {ei} "
        "({internal:# Verbindung|# Verbindungen} im Kreis, {external} über Kreisgrenzen)."
    ),
    "ei.inward": (
        "Das sind deutlich weniger Verbindungen über Kreisgrenzen, als bei zufällig verteilten "
        "Verbindungen zu erwarten wären (erwartet {expected}, p = {p:.3}): Der Austausch bleibt "
        "überwiegend im eigenen Kreis."
    ),
    "ei.outward": (
        "Das sind deutlich mehr Verbindungen über Kreisgrenzen, als bei zufällig verteilten "
        "Verbindungen zu erwarten wären (erwartet {expected}, p = {p:.3})."
    ),
    "ei.not_significant": (
        "Der Wert unterscheidet sich nicht deutlich von zufällig verteilten Verbindungen "
        "(erwartet {expected}, p = {p:.3}); ein Muster lässt sich daraus nicht ableiten."
    ),
    "ei.undefined": (
        "Ein E-I-Index lässt sich nicht bestimmen: Keine Verbindung verläuft zwischen zwei "
        "Kommunen, deren Kreis bekannt ist."
    ),
    "ei.untested": (
        "Ob dieser Wert vom Zufall abweicht, lässt sich nicht prüfen: Die Verbindungen lassen "
        "sich nicht anders verteilen."
    ),
    "structure.components": (
        "Die Verbindungen zerfallen in {components:# Teilnetz|# Teilnetze}; das größte umfasst "
        "{largest} der {units} Einheiten."
    ),
    "structure.isolates": "{isolates:# Einheit hat|# Einheiten haben} keine Verbindung.",
    "structure.connected": "Alle {units} Einheiten sind über Verbindungen miteinander erreichbar.",
    "brokerage.top": (
        "{brokers:# Einheit vermittelt|# Einheiten vermitteln} zwischen anderen; am häufigsten "
        "{name} ({total:# Vermittlung|# Vermittlungen}, vor allem als {role})."
    ),
    "brokerage.none": "Keine Einheit vermittelt zwischen zwei anderen, die nicht verbunden sind.",
    # --- Befragung
    "survey.response": (
        "Von {asked:# befragten Einheit|# befragten Einheiten} "
        "{answered:=hat # geantwortet|haben # geantwortet} ({rate})."
    ),
    "survey.low": (
        "Der Rücklauf ist gering. Die Befunde beschreiben vor allem die Einheiten, die "
        "geantwortet haben; Verbindungen der übrigen fehlen, wo ihre Partner sie nicht nennen."
    ),
    "survey.confirmed": (
        "Von {reported:# genannten Verbindung|# genannten Verbindungen} haben beide Seiten "
        "{confirmed} angegeben ({share})."
    ),
    "survey.unknown": (
        "{unknown:=# Verbindung lässt|# Verbindungen lassen} sich nicht bestätigen: Die "
        "andere Seite hat nicht geantwortet."
    ),
    "survey.asymmetric": (
        "{asymmetric:# Verbindung nennt|# Verbindungen nennt} nur eine Seite, obwohl beide "
        "geantwortet haben."
    ),
    # --- Zeitverlauf
    "timeline.change": (
        "Vom {start} bis zum {end} änderte sich die Zahl der Verbindungen von {first} auf "
        "{last}; {begun:# Verbindung begann|# Verbindungen begannen}, {ended:# endete|# endeten}."
    ),
    "timeline.project_ended": (
        "{ended:# projektfinanzierte Verbindung endete|# projektfinanzierte Verbindungen "
        "endeten} in diesem Zeitraum."
    ),
    # --- Empfehlungen
    "recommend.coverage": (
        "{k:=Diese Verbindung würde|Diese # Verbindungen würden} den Anteil der Pendelnden "
        "zwischen "
        "verbundenen Kommunen am stärksten erhöhen: von {before} auf {after}."
    ),
    "recommend.connectivity": (
        "{k:=Diese Verbindung würde|Diese # Verbindungen würden} die meisten bisher getrennten "
        "Einheiten zusammenführen: von {before} auf {after:# Teilnetz|# Teilnetze}."
    ),
    "recommend.none": "Keine neue Verbindung würde die Abdeckung der Pendelnden verbessern.",
    "recommend.row_coverage": "{commuters} Pendelnde, Abdeckung danach {coverage}",
    "recommend.row_connectivity": "verbindet Teilnetze mit {a} und {b} Einheiten",
    # --- Vergleich
    "compare.ties": (
        "Gegenüber „{base}“ {added:=kommt # Verbindung|kommen # Verbindungen} hinzu, "
        "{removed:=entfällt #|entfallen #}."
    ),
    "compare.measure": "{measure}: {before} → {after}",
    "compare.same": "Die Kennzahlen bleiben gleich.",
    # --- Profil einer Kommune
    "focus.ties": (
        "{name} hat {ties:# erfasste Verbindung|# erfasste Verbindungen} zu "
        "{partners:# Partner|# Partnern}: {kinds}."
    ),
    "focus.scope": (
        "{inside} davon verlaufen innerhalb des eigenen Kreises, {across} über die Kreisgrenze."
    ),
    "focus.area_ties": (
        "Mit {members:=seiner Gemeinde|seinen # Gemeinden} zusammen hat {name} "
        "{ties:# erfasste Verbindung|# erfasste Verbindungen}: {kinds}."
    ),
    "focus.no_ties": "Für {name} ist keine Verbindung erfasst.",
    "focus.rank": (
        "Mit {value:# Verbindung|# Verbindungen} liegt {name} auf Rang {rank} von {units} "
        "({kind}); {percentile} von ihnen haben weniger Verbindungen."
    ),
    "focus.broker": (
        "{name} vermittelt {total:=einmal|#-mal} zwischen anderen, vor allem als {role} "
        "(Rang {rank} von {units})."
    ),
    "focus.no_broker": "{name} vermittelt nicht zwischen anderen Einheiten.",
    "focus.gap": (
        "Die größte Pendlerbeziehung ohne erfasste Verbindung im Umfeld von {name}: {a} und "
        "{b} mit {commuters} Pendelnden."
    ),
    "focus.recommend": "Für {name} empfohlene Verbindungen:",
}

HEADINGS = {
    "report": "Bericht",
    "region": "Die Region",
    "findings": "Kernbefunde",
    "focus": "Profil",
    "map": "Karte",
    "gap": "Pendeln ohne Kooperation",
    "gap_table": "Die größten Pendlerbeziehungen ohne erfasste Verbindung",
    "recommend": "Empfohlene Verbindungen",
    "survey": "Befragung",
    "timeline": "Zeitverlauf",
    "compare": "Vergleich",
    "meaning": "Was die Kennzahlen bedeuten",
    "sources": "Quellen und Methode",
    "partners": "Partner",
    "position": "Stellung im Netz",
    "units_by_kind": "Einheiten nach Art",
}

EXPLAIN = {
    "ei": (
        "Der E-I-Index (Krackhardt und Stern) vergleicht Verbindungen über Kreisgrenzen (E) mit "
        "Verbindungen im eigenen Kreis (I): (E − I) / (E + I). Er reicht von −1 (nur im Kreis) "
        "bis +1 (nur über Kreisgrenzen). Er zählt nur Verbindungen zwischen Kommunen, deren "
        "Kreis bekannt ist, nicht Mitgliedschaften in Austauschformaten, und sagt nichts über "
        "die Intensität einer Verbindung. Ein Wert nahe 0 heißt nicht, dass Austausch fehlt."
    ),
    "ei_test": (
        "Der Permutationstest verteilt die Einheiten vielfach zufällig auf die Kreise (gleiche "
        "Kreisgrößen) und misst den E-I-Index jedes Mal neu. Der p-Wert ist der Anteil der "
        "Zufallsverteilungen, die mindestens so weit vom Erwartungswert abweichen wie das Netz. "
        "Erst unter 5 % spricht der Bericht von einem Muster; ein größerer Wert heißt nicht, "
        "dass es keines gibt, sondern dass die Daten es nicht belegen."
    ),
    "brokerage": (
        "Vermittlung (Gould und Fernandez) zählt, wie oft eine Einheit zwei andere verbindet, "
        "die nicht direkt verbunden sind, und ordnet jede dieser Stellungen nach den Kreisen der "
        "drei: Koordinator (alle im selben Kreis), Gatekeeper und Repräsentant (am Übergang in "
        "den eigenen Kreis bzw. aus ihm heraus), Berater (zwei andere eines fremden Kreises) "
        "und Liaison (drei verschiedene Kreise). Die Zahl beschreibt Gelegenheiten, nicht, ob "
        "tatsächlich vermittelt wird."
    ),
    "components": (
        "Ein Teilnetz ist eine Gruppe von Einheiten, die über Verbindungen (auch über Umwege) "
        "einander erreichen. Viele Teilnetze heißen, dass Wissen nicht von einem zum anderen "
        "gelangen kann. Nicht erfasste Verbindungen können Teilnetze verbinden; die Zahl ist "
        "daher eine Obergrenze."
    ),
    "coverage": (
        "Die Abdeckung ist der Anteil der Pendelnden (Bundesagentur für Arbeit, "
        "sozialversicherungspflichtig Beschäftigte, beide Richtungen zusammen), die zwischen "
        "Kommunen pendeln, die eine erfasste Verbindung haben. Pendeln ist keine Kooperation, "
        "aber ein Hinweis, wo Menschen in beiden Kommunen leben und arbeiten. Die Pendlerdaten "
        "liegen oft nur für Kreise vor; dann deckt eine Verbindung zwischen zwei Gemeinden das "
        "Paar ihrer Kreise nicht ab."
    ),
    "survey": (
        "Verbindungen aus einer Befragung sind Angaben einer Seite. Bestätigt ist eine "
        "Verbindung, die beide Seiten nennen; nennt sie nur eine, obwohl beide geantwortet "
        "haben, ist sie einseitig. Hat die andere Seite nicht geantwortet, lässt sie sich nicht "
        "bestätigen. Bei geringem Rücklauf fehlen Verbindungen, die nur Nichtantwortende nennen "
        "würden."
    ),
    "recommend": (
        "Empfohlen werden die Paare ohne Verbindung mit den meisten Pendelnden; jede Empfehlung "
        "deckt genau die Pendelnden ihres Paares ab. Ohne Pendlerdaten werden die Verbindungen "
        "gewählt, die die größten getrennten Teilnetze verbinden. Eine Empfehlung ist ein "
        "Hinweis aus den Daten, keine Bewertung der Kommunen."
    ),
}

WORDS = {
    "coordinator": "Koordinator",
    "gatekeeper": "Gatekeeper",
    "representative": "Repräsentant",
    "consultant": "Berater",
    "liaison": "Liaison",
    "degree": "Verbindungen",
    "neighbours": "Partner",
    "betweenness": "Zwischenzentralität",
    "closeness": "Nähezentralität",
    "brokerage": "Vermittlungen",
    "internal": "Verbindungen im Kreis",
    "external": "Verbindungen über Kreisgrenzen",
    "ei": "E-I-Index",
    "measure": "Kennzahl",
    "value": "Wert",
    "rank": "Rang",
    "units": "von",
    "percentile": "Anteil mit kleinerem Wert",
    "unit": "Einheit",
    "partner": "Partner",
    "partner_kind": "Art",
    "tie_kind": "Verbindung",
    "intensity": "Intensität",
    "scope": "Lage",
    "inside": "im Kreis",
    "across": "über Kreisgrenzen",
    "pair": "Paar",
    "commuters": "Pendelnde",
    "a_to_b": "Hinweg",
    "b_to_a": "Rückweg",
    "reason": "Begründung",
    "kind": "Art",
    "count": "Anzahl",
    "page": "Seite",
    "made": "Erstellt mit netkoop {version}; Startwert {seed}, {permutations} Permutationen.",
    "source": "Quelle",
    "date_format": "{day}.{month}.{year}",
}

#: Arten von Einheiten in der Mehrzahl.
KINDS_PLURAL = {
    "land": "Länder",
    "landkreis": "Landkreise",
    "kreisfreie_stadt": "kreisfreie Städte",
    "gemeinde": "kreisangehörige Gemeinden",
    "forum": "Austauschformate",
}

#: Überschriften der Erklärungen.
TOPICS = {
    "ei": "E-I-Index",
    "ei_test": "Permutationstest",
    "brokerage": "Vermittlung",
    "components": "Teilnetze",
    "coverage": "Abdeckung der Pendelnden",
    "survey": "Angaben aus Befragungen",
    "recommend": "Empfehlungen",
}
