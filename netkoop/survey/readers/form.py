"""Read the answers an offline form saved (``<id>_antworten.json``, format netkoop-survey-form-1).

Every value is checked where it stands, so that a file edited by hand into something else
gets one message naming its JSON path (``answers[3].intensity``), the value and what is
allowed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from netkoop.scenario.document import display_path
from netkoop.survey.answers import (
    ABOUT,
    FIELDS,
    Answer,
    AnswerBuilder,
    Context,
    cell_text,
    parse_time,
)

#: The format a form file names.
FORMAT = "netkoop-survey-form-1"

#: The largest form file read: a roster of a few hundred partners takes a few hundred kB.
LARGEST = 50_000_000


def read_form(path: Path, context: Context) -> list[Answer]:
    """Read one form file; problems go to ``context``, none is raised."""
    label = display_path(path)
    data = path.read_bytes()
    if len(data) > LARGEST:
        context.error(label, f"the file is larger than {LARGEST // 1_000_000} MB; no form file is")
        return []
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        context.error(label, f"not a form file: not UTF-8 text (byte {exc.start})")
        return []
    except json.JSONDecodeError as exc:
        context.error(
            label,
            f"not a form file: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
        )
        return []
    if not isinstance(doc, dict):
        context.error(label, "not a form file: the JSON holds no object with the answers")
        return []

    def error(where: str, message: str, value: object = None, field: str | None = None) -> None:
        context.error(f"{label}, {where}", message, field=field, value=_json(value))

    if doc.get("format") != FORMAT:
        error(
            "format", f"not a form file this netkoop reads; allowed: '{FORMAT}'", doc.get("format")
        )
        return []
    survey = context.survey
    theirs = doc.get("survey")
    if theirs != survey.id:
        name = doc.get("survey_name")
        named = f" ({name})" if isinstance(name, str) and name else ""
        error(
            "survey",
            f"this form file belongs to survey '{theirs}'{named}, not to the survey "
            f"'{survey.id}' ({survey.name}) of {display_path(survey.path)}; collect it with "
            "its own survey",
            theirs,
        )
        return []
    respondent = doc.get("respondent")
    if not isinstance(respondent, str) or respondent not in context.respondents:
        error(
            "respondent",
            "the respondent's key was changed: it is not one of the survey's respondents; "
            "write back the key the form was made with",
            respondent,
        )
        return []
    saved = _saved(doc.get("saved"), error)
    builder = AnswerBuilder(context, respondent, path.name)
    answers = doc.get("answers", [])
    if not isinstance(answers, list):
        error("answers", "must be a list of answers, each with partner and kind", answers)
        answers = []
    for position, item in enumerate(answers):
        _answer(item, f"answers[{position}]", builder, label, error)
    about = _about(doc.get("about"), context, label, error)
    return [builder.answer(path, "respondent", saved, about)]


def _json(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)[:60]


def _saved(value: object, error: Any) -> dt.datetime | None:
    if value is None:
        return None
    found = parse_time(value) if isinstance(value, str) else None
    if found is not None:
        return found
    error("saved", "not a time; allowed: an ISO timestamp such as 2024-06-30T10:15:00Z", value)
    return None


def _answer(item: object, where: str, builder: AnswerBuilder, label: str, error: Any) -> None:
    context = builder.context
    if not isinstance(item, dict):
        error(where, "an answer is an object with partner and kind", item)
        return
    partner = item.get("partner")
    kind_written = item.get("kind")
    if not isinstance(partner, str) or not partner.strip():
        error(f"{where}.partner", "the partner's key (or name) as text is needed", partner)
        return
    if not isinstance(kind_written, str) or not kind_written.strip():
        error(f"{where}.kind", "the tie kind as text is needed", kind_written)
        return
    if item.get("presence", True) in (False, "nein", "no"):
        return
    values: dict[str, object] = {}
    for name in FIELDS:
        raw = item.get(name)
        if raw is None:
            continue
        if isinstance(raw, dict | list) or (name != "since" and not isinstance(raw, str)):
            kind_of = "a year" if name == "since" else "a word"
            error(f"{where}.{name}", f"must be {kind_of}", raw, field=name)
            continue
        values[name] = context.field_value(name, raw, f"{label}, {where}.{name}", name)
    comment = item.get("comment")
    if comment is not None and not isinstance(comment, str):
        error(f"{where}.comment", "a comment is text", comment)
        comment = None
    kind, suggestions = context.kind(kind_written.strip())
    if kind is None:
        builder.drop("unknown_kind", where, written=kind_written, suggestions=suggestions)
        return
    key = builder.partner(partner.strip(), where, (kind,))
    if key is not None:
        builder.add(key, kind, values, cell_text(comment), where)


def _about(value: object, context: Context, label: str, error: Any) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        error("about", f"must be an object with {', '.join(ABOUT)}", value)
        return {}
    about: dict[str, object] = {}
    for name, raw in value.items():
        if name not in ABOUT:
            error(f"about.{name}", f"not a question of the form; allowed: {', '.join(ABOUT)}")
            continue
        if raw is None:
            continue
        if isinstance(raw, dict | list | int | float) and not isinstance(raw, bool):
            error(f"about.{name}", "must be a word or true/false", raw, field=name)
            continue
        read = context.about(name, raw, f"{label}, about.{name}", name)
        if read is not None:
            about[name] = read
    return about
