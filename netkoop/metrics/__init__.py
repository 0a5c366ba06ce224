"""Measures of a network: each module answers one family of questions and returns DataFrames.

``structure`` (centralities, components, cohesion; heavy work in the compiled engine of
``engine``), ``mixing`` (ties between kinds of unit), ``kreis`` (inside vs across Kreis
borders, E-I index, forums, the counts of "Zwei Welten?"), ``brokerage`` (Gould & Fernandez
roles), ``communities`` (found groups against Kreis borders), ``gap`` (commuters without
ties), ``resilience`` (who still reaches their Kreis hub or a Land forum), ``survey``
(response, reciprocity, asymmetric pairs, all ties against confirmed ones), ``focus`` (one
unit's ties and its rank among units of its kind, from the tables of a report), ``pairs``
(unit codes and pair types the pair measures share), and ``report`` (all of them together,
written as CSV, JSON, Markdown or Excel).
"""

from netkoop.metrics.brokerage import brokerage_roles, brokerage_summary, main_role
from netkoop.metrics.communities import communities_vs_kreise, find_communities
from netkoop.metrics.focus import focus_partners, focus_position
from netkoop.metrics.gap import GapResult, commuting_gap
from netkoop.metrics.kreis import (
    EIResult,
    ForumMediation,
    ei_index,
    ei_permutation_test,
    forum_mediation,
    study_counts,
    study_units,
    tie_scope,
)
from netkoop.metrics.mixing import kind_assortativity, mixing_density, mixing_matrix
from netkoop.metrics.pairs import PAIR_TYPES
from netkoop.metrics.report import Options, Report
from netkoop.metrics.sections import SECTIONS, metrics_report
from netkoop.metrics.structure import (
    bridges,
    overall_structure,
    structure_by_tie_kind,
    unit_structure,
)
from netkoop.metrics.survey import (
    Reciprocity,
    reciprocity,
    response,
    ties_by_status,
    union_and_confirmed,
)

__all__ = [
    "PAIR_TYPES",
    "SECTIONS",
    "EIResult",
    "ForumMediation",
    "GapResult",
    "Options",
    "Reciprocity",
    "Report",
    "bridges",
    "brokerage_roles",
    "brokerage_summary",
    "communities_vs_kreise",
    "commuting_gap",
    "ei_index",
    "ei_permutation_test",
    "find_communities",
    "focus_partners",
    "focus_position",
    "forum_mediation",
    "kind_assortativity",
    "main_role",
    "metrics_report",
    "mixing_density",
    "mixing_matrix",
    "overall_structure",
    "reciprocity",
    "response",
    "structure_by_tie_kind",
    "study_counts",
    "study_units",
    "tie_scope",
    "ties_by_status",
    "union_and_confirmed",
    "unit_structure",
]
