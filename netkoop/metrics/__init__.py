"""Measures of a network: each module answers one family of questions and returns DataFrames."""

from netkoop.metrics.kreis import study_counts, tie_scope

__all__ = ["study_counts", "tie_scope"]
