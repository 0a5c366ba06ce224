"""Ties from reports by a declared rule, each saying who reported it and whether it is confirmed.

A report is one respondent's claim. For the undirected kinds (exchange, shared_staff,
joint_project, shared_material) both sides of a pair are asked, so a claim is *confirmed*
(``yes``) when the other side reports it too, *unconfirmed* (``no``) when the other side
answered without reporting it, and *unconfirmable* (``unknown``) when the other side did not
answer or was not asked. The directed kinds (service_opening: provider → partner,
membership: unit → forum) are never asked of the other side, so they stay ``unknown``.

Rules:

- ``union``: a tie when either side reports it (undirected ties once, ``from`` the smaller id);
- ``confirmed``: only the ties of ``union`` that both sides report;
- ``respondent``: every report is a tie from the respondent to the partner.

Where both sides report a tie but answer its fields differently, ``--intensity`` decides:
``lower`` takes the weaker claim of the two (the lower intensity, the operational level, the
less secure funding: voluntary < project < mandatory, the later start year), ``higher`` the
stronger, ``reporter`` the answers of the side with the smaller id (a field it left empty is
taken from the other side).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, TIE_KINDS, TIE_VALUES
from netkoop.survey.answers import FIELDS

#: The rules that turn reports into ties.
RULES = ("union", "confirmed", "respondent")

#: The rules for fields both sides answer differently.
INTENSITY_RULES = ("lower", "higher", "reporter")

#: The confidence of a survey tie by its confirmation.
CONFIDENCE: Mapping[str, float] = {"yes": 1.0, "unknown": 0.6, "no": 0.3}

#: The columns of the ties a survey gives.
TIE_COLUMNS = (
    "from",
    "to",
    "kind",
    *FIELDS,
    "source",
    "confidence",
    "reported_by",
    "confirmed",
    "intensity_rule",
    "differs",
)

#: The values of each field from the weaker claim to the stronger (since: see `_rank`).
STRENGTH: Mapping[str, tuple[str, ...]] = {
    "intensity": TIE_VALUES["intensity"],
    "level": ("operational", "leadership"),
    "funding": TIE_VALUES["funding"],
}


def confirmation(reports: pd.DataFrame, answered: Collection[str]) -> pd.Series:
    """Say per report whether the other side confirms it: yes, no or unknown (see module).

    Examples
    --------
    >>> reports = pd.DataFrame({"respondent": ["a", "b", "a"], "partner": ["b", "a", "c"],
    ...                         "kind": ["exchange"] * 3})
    >>> confirmation(reports, {"a", "b", "c"}).tolist()
    ['yes', 'yes', 'no']
    """
    if reports.empty:
        return pd.Series([], index=reports.index, dtype="str")
    respondent = reports["respondent"].tolist()
    partner = reports["partner"].tolist()
    kind = reports["kind"].tolist()
    own = set(zip(respondent, partner, kind, strict=True))
    asked_back = set(answered)
    status = [
        "unknown"
        if k in DIRECTED_TIE_KINDS
        else "yes"
        if (p, r, k) in own
        else "no"
        if p in asked_back
        else "unknown"
        for r, p, k in zip(respondent, partner, kind, strict=True)
    ]
    return pd.Series(status, index=reports.index, dtype="str")


def build_ties(
    reports: pd.DataFrame,
    answered: Collection[str],
    *,
    rule: str = "union",
    intensity: str = "lower",
    source: str = "survey",
) -> pd.DataFrame:
    """Build the ties of a rule from the reports (columns of `answers.REPORT_COLUMNS`).

    Parameters
    ----------
    reports
        One row per respondent, partner and kind; ``since`` a whole number or missing.
    answered
        The respondents who answered.
    rule, intensity
        See the module docstring.
    source
        The ``source`` of every tie.

    Returns
    -------
    The ties, columns `TIE_COLUMNS`, sorted by kind, from and to.

    Examples
    --------
    >>> reports = pd.DataFrame({"respondent": ["a", "b"], "partner": ["b", "a"],
    ...     "kind": ["exchange"] * 2, "intensity": ["regular", "intensive"], "level": [None] * 2,
    ...     "funding": [None] * 2, "since": [2016, 2012]})
    >>> ties = build_ties(reports, {"a", "b"})
    >>> columns = ["from", "to", "intensity", "since", "reported_by", "confirmed", "differs"]
    >>> ties[columns].values.tolist()
    [['a', 'b', 'regular', '2016', 'both', 'yes', 'intensity, since']]
    """
    reports = reports.assign(since=pd.to_numeric(reports["since"]).astype("float64"))
    status = confirmation(reports, answered)
    directed = reports["kind"].isin(DIRECTED_TIE_KINDS)
    if rule == "respondent":
        ties = _as_reported(reports, status)
    else:
        ties = pd.concat(
            [
                _pairs(reports[~directed], answered, intensity),
                _as_reported(reports[directed], status[directed]),
            ],
            ignore_index=True,
        )
        if rule == "confirmed":
            ties = ties[ties["confirmed"] == "yes"]
    ties = ties.assign(
        source=source,
        confidence=ties["confirmed"].map(CONFIDENCE).astype("float64"),
        since=ties["since"].map(_year_text, na_action="ignore"),
    )
    order = pd.Categorical(ties["kind"], categories=TIE_KINDS, ordered=True)
    ties = ties.assign(_order=order).sort_values(["_order", "from", "to"], kind="stable")
    out = pd.DataFrame({name: ties[name] for name in TIE_COLUMNS}).reset_index(drop=True)
    for name in TIE_COLUMNS:
        if name != "confidence":
            out[name] = out[name].astype("str")
    return out


def _year_text(value: float) -> str:
    return str(int(value))


def _as_reported(reports: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """Each report as a tie from the respondent to the partner."""
    return pd.DataFrame(
        {
            "from": reports["respondent"],
            "to": reports["partner"],
            "kind": reports["kind"],
            **{name: reports[name] for name in FIELDS},
            "reported_by": reports["respondent"],
            "confirmed": status,
            "intensity_rule": pd.Series(np.nan, index=reports.index, dtype="object"),
            "differs": pd.Series(np.nan, index=reports.index, dtype="object"),
        }
    )


def _pairs(reports: pd.DataFrame, answered: Collection[str], intensity: str) -> pd.DataFrame:
    """The undirected ties of ``union``: one per pair and kind, both sides' answers merged."""
    columns = ["from", "to", "kind", *FIELDS]
    if reports.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    first = reports["respondent"] < reports["partner"]
    side_a = reports[first].rename(columns={"respondent": "from", "partner": "to"})[columns]
    side_b = reports[~first].rename(columns={"respondent": "to", "partner": "from"})[columns]
    merged = side_a.merge(
        side_b, on=["from", "to", "kind"], how="outer", suffixes=("_a", "_b"), indicator=True
    )
    both = (merged["_merge"] == "both").to_numpy()
    only_a = (merged["_merge"] == "left_only").to_numpy()
    out = merged[["from", "to", "kind"]].copy()
    differs = []
    for name in FIELDS:
        value, differ = _resolve(merged[f"{name}_a"], merged[f"{name}_b"], name, intensity)
        out[name] = value
        differs.append(np.where(differ, name, ""))
    silent = np.where(only_a, merged["to"], merged["from"])
    out["reported_by"] = np.where(both, "both", np.where(only_a, merged["from"], merged["to"]))
    asked_back = set(answered)
    other_answered = np.array([key in asked_back for key in silent.tolist()], dtype=bool)
    out["confirmed"] = np.where(both, "yes", np.where(other_answered, "no", "unknown"))
    joined = [", ".join(p for p in parts if p) for parts in zip(*differs, strict=True)]
    out["differs"] = [text or None for text in joined]
    out["intensity_rule"] = [intensity if text else None for text in joined]
    return out


def _resolve(a: pd.Series, b: pd.Series, name: str, rule: str) -> tuple[pd.Series, np.ndarray]:
    """One field of a pair: the value the rule takes, and whether both sides differ."""
    given_a, given_b = a.notna().to_numpy(), b.notna().to_numpy()
    differ = given_a & given_b & (a.astype("object") != b.astype("object")).to_numpy()
    if rule == "reporter":
        return a.where(given_a, b), differ
    rank_a, rank_b = _rank(a, name), _rank(b, name)
    take_a = rank_a <= rank_b if rule == "lower" else rank_a >= rank_b
    chosen = np.where(given_a & given_b, np.where(take_a, a, b), np.where(given_a, a, b))
    return pd.Series(chosen, index=a.index).where(given_a | given_b), differ


def _rank(values: pd.Series, name: str) -> np.ndarray:
    """How strong a claim each value is (missing: 0); a later start year is a weaker claim."""
    if name == "since":
        years = pd.to_numeric(values, errors="coerce").fillna(0).to_numpy()
        return -years
    order = {value: i for i, value in enumerate(STRENGTH[name])}
    return values.map(order).fillna(0).to_numpy()
