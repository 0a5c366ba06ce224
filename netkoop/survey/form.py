"""The questionnaire as one offline HTML page whose "Speichern" downloads the answers.

The page holds its script, style and data inline and makes no request (its Content Security
Policy allows none). It asks what the workbook asks (`netkoop.survey.roster`) and saves
``<respondent>_antworten.json``::

    {"format": "netkoop-survey-form-1", "survey": "<id>", "survey_name": "...",
     "scenario": "...", "respondent": "<id>", "saved": "<ISO timestamp>",
     "answers": [{"partner": "<id, or the key or name typed>", "kind": "exchange",
                  "intensity": "regular", "level": null, "funding": null,
                  "since": 2016, "comment": null}, ...],
     "about": {"coordination_office": "permanent", "integration_concept": true,
               "case_management": null}}

One answer per partner and tie kind marked "ja", in the order of the page (roster, then the
partners added by hand); values are netkoop's words, unanswered fields null; the comment of a
partner is repeated in each of its answers. A saved file can be loaded back into the page to
go on later.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

from netkoop.output.html import csp_hash, inline_script, inline_style, script_json
from netkoop.survey.roster import (
    ABOUT,
    FIELD_LABELS,
    FIELDS,
    KIND_HELP,
    KINDS,
    YEARS,
    Directory,
    SurveyInfo,
    Unit,
    choices,
    kinds_of,
)

#: The value of ``format`` in a saved answer file.
FORMAT = "netkoop-survey-form-1"

_SLOT = re.compile(r"\{\{(\w+)\}\}")


@functools.cache
def _assets() -> tuple[str, str, str]:
    here = resources.files("netkoop.survey")
    return tuple(  # type: ignore[return-value]
        (here / name).read_text(encoding="utf-8") for name in ("form.html", "form.js", "form.css")
    )


def answers_file(respondent: str) -> str:
    """The name of the file the form saves for ``respondent``.

    >>> answers_file("03254")
    '03254_antworten.json'
    """
    return f"{respondent}_antworten.json"


def form_data(
    survey: SurveyInfo,
    respondent: Unit,
    roster: Sequence[Unit],
    directory: Directory,
    *,
    download: str,
) -> dict[str, Any]:
    """Return what the page's script reads: the survey, the roster, the questions, all units."""
    from netkoop.model.vocabulary import LABELS_DE  # noqa: PLC0415

    def unit(u: Unit) -> dict[str, Any]:
        return {
            "id": u.id,
            "name": u.name,
            "kind": u.kind_label,
            "kreis": u.kreis_name if u.kreis_name and u.kreis != u.id else "",
            "kinds": list(kinds_of(u)),
        }

    return {
        "format": FORMAT,
        "survey": {
            "id": survey.id,
            "name": survey.name,
            "created": survey.created,
            "scenario": survey.scenario_name,
        },
        "respondent": {"id": respondent.id, "name": respondent.name},
        "download": download,
        "partners": [unit(u) for u in roster],
        "kinds": [{"id": k, "label": LABELS_DE[k], "help": KIND_HELP[k]} for k in KINDS],
        "freeKinds": list(kinds_of(None)),
        "fields": [{"id": f, "label": FIELD_LABELS[f]} for f in FIELDS],
        "choices": {
            field: [list(pair) for pair in choices(field)]
            for field in ("presence", "intensity", "level", "funding")
        },
        "years": list(range(YEARS[1], YEARS[0] - 1, -1)),
        "about": [
            {"id": field, "question": question, "choices": [list(p) for p in choices(answers)]}
            for field, question, answers in ABOUT
        ],
        "units": [
            [u.id, u.name, u.kind_label, u.kreis_name or ""] for u in directory.units.values()
        ],
    }


def form_html(
    survey: SurveyInfo, respondent: Unit, roster: Sequence[Unit], directory: Directory
) -> str:
    """Return the form of one respondent: one HTML page that works offline."""
    template, script, css = _assets()
    data = form_data(
        survey, respondent, roster, directory, download=answers_file(_file_safe(respondent.id))
    )
    code = inline_script(script)
    policy = (
        "default-src 'none'; "
        f"script-src {csp_hash(code)}; "
        "style-src 'unsafe-inline'; img-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    values = {
        "TITLE": html.escape(f"{survey.name}: {respondent.name}"),
        "CSP": html.escape(policy, quote=False),
        "CSS": inline_style(css),
        "DATA": script_json(data),
        "JS": code,
    }
    # One pass, so that text inside the values is never substituted.
    return _SLOT.sub(lambda m: values[m.group(1)], template)


def _file_safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("._") or "antworten"
