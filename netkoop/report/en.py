"""The words of the report in English: sentences, explanations, headings, number style.

Every sentence is a template (see `netkoop.report.words`); ``{n:Gemeinde|Gemeinden}``
writes the number with the form that fits it, ``#`` places the number in the form.
"""

from __future__ import annotations

DECIMAL = "."
THOUSANDS = ","
PERCENT = "{}%"
AND = "and"
UNDEFINED = "undefined"

SENTENCES = {
    # --- the region
    "region.kommunen": (
        "The network holds {kommunen:Kommune|Kommunen} in {laender:Land|Länder}: {kinds}."
    ),
    "count.kreisfreie_stadt": "{n:kreisfreie Stadt|kreisfreie Städte}",
    "count.landkreis": "{n:Landkreis|Landkreise}",
    "count.gemeinde": "{n:kreisangehörige Gemeinde|kreisangehörige Gemeinden}",
    "region.forums": (
        "{forums:=There is also # exchange format|There are also # exchange formats} at Land "
        "or federal level in which Kommunen meet."
    ),
    "region.ties": "{ties:# tie is|# ties are} recorded: {kinds}.",
    "region.no_ties": "No tie between the units is recorded.",
    "region.flows": (
        "The commuter data hold {flows:commuter flow|commuter flows} with {commuters} "
        "commuters in all."
    ),
    "region.interviews": "They rest on {interviews:interview|interviews} in {kommunen} Kommunen.",
    "region.date": "Data as of {date}.",
    "region.at": "The report shows the network as it stood on {date}.",
    "region.focus": "The report looks at {name} ({kind}).",
    # --- key findings
    "gemeinden.answered": (
        "{answered} of the {gemeinden:kreisangehörige Gemeinde|kreisangehörige Gemeinden} "
        "answered ({rate})."
    ),
    "gemeinden.inside_of_answered": (
        "{inside} of them {inside:=reports|report} exchange inside their Landkreis, {none} none."
    ),
    "gemeinden.named_by_neighbour": (
        "For {named} of those {none} a neighbouring Gemeinde does report exchange with them; "
        "here the two sides' accounts differ."
    ),
    "gemeinden.inside_reported": (
        "Of {gemeinden:kreisangehörige Gemeinde|kreisangehörige Gemeinden}, "
        "{inside:=# reports|# report} exchange inside their Landkreis, {across} "
        "also beyond it."
    ),
    "gemeinden.inside": (
        "Of {gemeinden:kreisangehörige Gemeinde|kreisangehörige Gemeinden}, "
        "{inside:=# exchanges|# exchange} "
        "inside their Landkreis, {across} also beyond it."
    ),
    "gemeinden.across": (
        "{across:Only # kreisangehörige Gemeinde reports|# kreisangehörige Gemeinden report} "
        "exchange beyond the border of their Landkreis."
    ),
    "kreise.intensive": (
        "{kfs:# kreisfreie Stadt|# kreisfreie Städte} and {lk:# Landkreis|# Landkreise} "
        "report intensive cooperation across the Kreis border."
    ),
    "kreise.forums": (
        "{pairs:=# pair of Kommunen in different Kreise meets|# pairs of Kommunen in different "
        "Kreise meet} in a shared exchange format; {direct} of them {direct:=is|are} also tied "
        "directly, {forum_only} only through the format."
    ),
    "land_forum": (
        "{members} of the {kommunen} Kommunen {members:=is a member|are members} of an "
        "exchange format of their "
        "Land: {lk} of {lk_all:Landkreis|Landkreise}, {kfs} of "
        "{kfs_all:kreisfreie Stadt|kreisfreie Städte} and {g} of "
        "{g_all:kreisangehörige Gemeinde|kreisangehörige Gemeinden}."
    ),
    "concept": (
        "{concept} of the {kommunen} Kommunen ({share}) {concept:=has|have} an Integrationskonzept."
    ),
    "neighbours.lk_kfs": (
        "People commute between {pairs:a Landkreis and the adjacent kreisfreie Stadt|"
        "# Landkreise and the adjacent kreisfreie Stadt}; "
        "{tied:only # of these pairs cooperates|only # of these pairs cooperate} on "
        "integration."
    ),
    "neighbours.lk_kfs_none": (
        "People commute between {pairs:a Landkreis and the adjacent kreisfreie Stadt|"
        "# Landkreise and the adjacent kreisfreie Stadt}; {pairs:=the pair does not|none of "
        "these pairs} cooperate on integration."
    ),
    "gap.largest": (
        "{commuters} people commute daily between {a} and {b}; no cooperation on integration "
        "is recorded."
    ),
    "gap.coverage": (
        "Of {total} commuters between the Kommunen, {covered} ({share}) commute between "
        "Kommunen with a recorded tie."
    ),
    "gap.focus_coverage": (
        "Of {total} commuters between {name} and other Kommunen, {covered} ({share}) commute "
        "between Kommunen with a recorded tie."
    ),
    "gap.kreis_coverage": (
        "Of {total} commuters to and from {name} and its Gemeinden, {covered} ({share}) "
        "commute between Kommunen with a recorded tie."
    ),
    "gap.none_uncovered": "All commuter flows run between tied Kommunen.",
    "ei.value": (
        "The E-I index of ties across Kreis borders is {ei} "
        "({internal:# tie|# ties} inside a Kreis, {external} across)."
    ),
    "ei.inward": (
        "That is clearly fewer ties across Kreis borders than randomly placed ties would give "
        "(expected {expected}, p = {p:.3}): exchange stays mostly inside the Kreis."
    ),
    "ei.outward": (
        "That is clearly more ties across Kreis borders than randomly placed ties would give "
        "(expected {expected}, p = {p:.3})."
    ),
    "ei.not_significant": (
        "The value does not differ clearly from randomly placed ties (expected {expected}, "
        "p = {p:.3}); no pattern can be drawn from it."
    ),
    "ei.undefined": ("No E-I index can be given: no tie joins two Kommunen whose Kreis is known."),
    "ei.untested": (
        "Whether the value departs from chance cannot be tested: the ties cannot be placed "
        "otherwise."
    ),
    "structure.components": (
        "The ties fall into {components:# component|# components}; the largest holds "
        "{largest} of the {units} units."
    ),
    "structure.isolates": "{isolates:# unit has|# units have} no tie.",
    "structure.connected": "All {units} units reach each other through ties.",
    "brokerage.top": (
        "{brokers:# unit brokers|# units broker} between others; most often {name} "
        "({total:# time|# times}, mostly as {role})."
    ),
    "brokerage.none": "No unit stands between two others that are not tied.",
    # --- survey
    "survey.response": "{answered} of {asked:# unit|# units} asked answered ({rate}).",
    "survey.low": (
        "The response is low. The findings describe mainly the units that answered; ties of "
        "the others are missing where their partners do not name them."
    ),
    "survey.confirmed": (
        "Of {reported:# tie|# ties} reported, both sides named {confirmed} ({share})."
    ),
    "survey.unknown": (
        "{unknown:# tie cannot|# ties cannot} be confirmed: the other side did not answer."
    ),
    "survey.asymmetric": (
        "{asymmetric:# tie is|# ties are} named by one side only although both answered."
    ),
    # --- timeline
    "timeline.change": (
        "From {start} to {end} the number of ties went from {first} to {last}; "
        "{begun:# tie began|# ties began}, {ended} ended."
    ),
    "timeline.project_ended": (
        "{ended:# project-funded tie|# project-funded ties} ended in this period."
    ),
    # --- recommendations
    "recommend.coverage": (
        "{k:=This tie would|These # ties would} raise the share of commuters between tied "
        "Kommunen the most: from {before} to {after}."
    ),
    "recommend.connectivity": (
        "{k:=This tie would|These # ties would} join the most units now apart: from {before} "
        "to {after:# component|# components}."
    ),
    "recommend.none": "No new tie would raise the coverage of commuters.",
    "recommend.row_coverage": "{commuters} commuters, coverage then {coverage}",
    "recommend.row_connectivity": "joins components of {a} and {b} units",
    # --- comparison
    "compare.ties": ("Against “{base}”, {added:# tie is|# ties are} added and {removed} removed."),
    "compare.measure": "{measure}: {before} → {after}",
    "compare.same": "The measures stay the same.",
    # --- profile of one Kommune
    "focus.ties": (
        "{name} has {ties:# recorded tie|# recorded ties} with {partners:# partner|# partners}: "
        "{kinds}."
    ),
    "focus.scope": "{inside} of them stay inside its Kreis, {across} cross the Kreis border.",
    "focus.area_ties": (
        "Together with {members:=its Gemeinde|its # Gemeinden}, {name} has "
        "{ties:# recorded tie|# recorded ties}: {kinds}."
    ),
    "focus.no_ties": "No tie of {name} is recorded.",
    "focus.rank": (
        "With {value:# tie|# ties}, {name} ranks {rank} of {units} ({kind}); {percentile} of "
        "them have fewer."
    ),
    "focus.broker": (
        "{name} brokers {total:=once|# times} between others, mostly as {role} "
        "(rank {rank} of {units})."
    ),
    "focus.no_broker": "{name} does not broker between other units.",
    "focus.gap": (
        "The largest commuter flow without a recorded tie around {name}: {a} and {b} with "
        "{commuters} commuters."
    ),
    "focus.recommend": "Ties recommended for {name}:",
}

HEADINGS = {
    "report": "Report",
    "region": "The region",
    "findings": "Key findings",
    "focus": "Profile",
    "map": "Map",
    "gap": "Commuting without cooperation",
    "gap_table": "The largest commuter flows without a recorded tie",
    "recommend": "Recommended ties",
    "survey": "Survey",
    "timeline": "Over time",
    "compare": "Comparison",
    "meaning": "What the measures mean",
    "sources": "Sources and method",
    "partners": "Partners",
    "position": "Position in the network",
    "units_by_kind": "Units by kind",
}

EXPLAIN = {
    "ei": (
        "The E-I index (Krackhardt and Stern) compares ties across Kreis borders (E) with ties "
        "inside one Kreis (I): (E − I) / (E + I). It runs from −1 (only inside) to +1 (only "
        "across). It counts only ties between Kommunen whose Kreis is known, not memberships "
        "in exchange formats, and says nothing about how intensive a tie is. A value near 0 "
        "does not mean that exchange is missing."
    ),
    "ei_test": (
        "The permutation test places the units on the Kreise at random many times (same Kreis "
        "sizes) and measures the E-I index each time. The p-value is the share of random "
        "placements at least as far from the expected value as the network. Only below 5 % "
        "does the report speak of a pattern; a larger value does not mean there is none, only "
        "that the data do not show it."
    ),
    "brokerage": (
        "Brokerage (Gould and Fernandez) counts how often a unit joins two others that are "
        "not tied, and names each such position by the Kreise of the three: coordinator (all "
        "in one Kreis), gatekeeper and representative (at the way into or out of its own "
        "Kreis), consultant (two others of another Kreis) and liaison (three different "
        "Kreise). The count describes opportunities, not whether brokering happens."
    ),
    "components": (
        "A component is a group of units that reach each other through ties (also by "
        "detours). Many components mean that knowledge cannot pass from one to another. "
        "Unrecorded ties may join components, so the count is an upper bound."
    ),
    "coverage": (
        "Coverage is the share of commuters (Bundesagentur für Arbeit, employees subject to "
        "social insurance, both directions together) who commute between Kommunen with a "
        "recorded tie. Commuting is not cooperation, but it shows where people live and work "
        "in both. Commuter data often exist only for Kreise; then a tie between two Gemeinden "
        "does not cover the pair of their Kreise."
    ),
    "survey": (
        "Ties from a survey are claims of one side. A tie is confirmed when both sides name "
        "it; named by one side although both answered, it is one-sided. Where the other side "
        "did not answer it cannot be confirmed. With a low response, ties that only the "
        "non-respondents would name are missing."
    ),
    "recommend": (
        "Recommended are the pairs without a tie with the most commuters; each recommendation "
        "covers exactly the commuters of its pair. Without commuter data, the ties chosen join "
        "the largest separate components. A recommendation is a hint from the data, not a "
        "judgement of the Kommunen."
    ),
}

WORDS = {
    "coordinator": "coordinator",
    "gatekeeper": "gatekeeper",
    "representative": "representative",
    "consultant": "consultant",
    "liaison": "liaison",
    "degree": "ties",
    "neighbours": "partners",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "brokerage": "brokerage",
    "internal": "ties inside the Kreis",
    "external": "ties across Kreis borders",
    "ei": "E-I index",
    "measure": "measure",
    "value": "value",
    "rank": "rank",
    "units": "of",
    "percentile": "share with a smaller value",
    "unit": "unit",
    "partner": "partner",
    "partner_kind": "kind",
    "tie_kind": "tie",
    "intensity": "intensity",
    "scope": "where",
    "inside": "inside the Kreis",
    "across": "across Kreis borders",
    "pair": "pair",
    "commuters": "commuters",
    "a_to_b": "one way",
    "b_to_a": "other way",
    "reason": "reason",
    "kind": "kind",
    "count": "number",
    "page": "page",
    "made": "Made with netkoop {version}; seed {seed}, {permutations} permutations.",
    "source": "source",
    "date_format": "{year}-{month}-{day}",
}

#: Kinds of unit in the plural.
KINDS_PLURAL = {
    "land": "Länder",
    "landkreis": "Landkreise",
    "kreisfreie_stadt": "kreisfreie Städte",
    "gemeinde": "kreisangehörige Gemeinden",
    "forum": "exchange formats",
}

#: Headings of the explanations.
TOPICS = {
    "ei": "E-I index",
    "ei_test": "Permutation test",
    "brokerage": "Brokerage",
    "components": "Components",
    "coverage": "Coverage of commuters",
    "survey": "Claims from surveys",
    "recommend": "Recommendations",
}
