"""The response report of a survey: who answered, what they reported, what was left out.

`Response` holds it as tables (response rates overall, by unit kind and by Kreis; one row
per respondent; the asymmetric pairs; the dropped answers) and writes it as German Markdown
for people (``rücklauf.md``) and as one CSV table for programs (``rücklauf.csv``).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from netkoop.model.tables import kreis_of
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, LABELS_DE, UNIT_KINDS
from netkoop.survey.answers import Answer, Dropped, Survey, dropped_order, reason_text

#: The columns of ``rücklauf.csv``; each section fills those it needs.
TABLE_COLUMNS = (
    "section",
    "group",
    "id",
    "name",
    "kind",
    "kreis",
    "asked",
    "answered",
    "rate",
    "responded",
    "file",
    "reports",
    "confirmed",
    "unconfirmed",
    "unknown",
    "partner",
    "partner_name",
    "tie_kind",
    "other_kinds",
    "reason",
    "detail",
    "place",
)

_COUNTS = ("asked", "answered", "reports", "confirmed", "unconfirmed", "unknown")

#: Why an answer was dropped, in German (``rücklauf.md``).
REASONS_DE: Mapping[str, str] = {
    "unknown_partner": "Partner ist keine Einheit des Szenarios",
    "ambiguous_partner": "Name mehrerer Einheiten",
    "unknown_kind": "keine Art von Verbindung",
    "unknown_respondent": "keine befragte Einheit",
    "no_partner": "Angaben in einer Zeile ohne Partner",
    "self": "die Befragte nennt sich selbst",
    "membership_not_forum": "Mitgliedschaft nur in einem Austauschformat",
    "repeated": "derselbe Partner und dieselbe Art zweimal; die erste Angabe zählt",
    "details_without_tie": "Angaben zu einer mit „nein“ beantworteten Verbindung",
    "duplicate_answer": "eine spätere Antwort derselben Befragten gilt",
    "blank": "der Fragebogen kam leer zurück; er zählt nicht als Antwort",
}


@dataclass(frozen=True)
class Response:
    """The response report (see the module docstring).

    ``rates``: group (``overall``, ``kind``, ``kreis``), id, name, asked, answered, rate.
    ``respondents``: one row per unit asked: id, name, kind, kreis, responded, file, reports
    (kept), confirmed, unconfirmed, unknown (its reports by the other side's answer).
    ``asymmetric``: reporter id and name, partner id and name, kind, other_kinds (the kinds
    the partner did report with the reporter): one side names the other, which answered and
    did not name it for that kind.
    ``dropped``: respondent, name, written, kind, reason, detail, file, place.
    """

    survey: Survey
    rule: str
    intensity: str
    rates: pd.DataFrame
    respondents: pd.DataFrame
    asymmetric: pd.DataFrame
    dropped: pd.DataFrame
    names: Mapping[str, str]
    dropped_answers: tuple[Dropped, ...] = ()

    @property
    def asked(self) -> int:
        """How many units were asked."""
        return len(self.respondents)

    @property
    def answered(self) -> int:
        """How many of them answered."""
        return int(self.respondents["responded"].sum())

    @property
    def rate(self) -> float:
        """The share of units asked that answered (0 when none was asked)."""
        return self.answered / self.asked if self.asked else 0.0

    def table(self) -> pd.DataFrame:
        """The whole report as one table (``rücklauf.csv``), a ``section`` column apart."""
        parts = [
            self.rates.assign(section="rate"),
            self.respondents.assign(section="respondent"),
            self.asymmetric.rename(
                columns={"reporter": "id", "reporter_name": "name", "kind": "tie_kind"}
            ).assign(section="asymmetric"),
            self.dropped.rename(
                columns={"respondent": "id", "written": "partner", "kind": "tie_kind"}
            ).assign(section="dropped"),
        ]
        frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
        table = pd.DataFrame({name: frame.get(name) for name in TABLE_COLUMNS})
        for name in _COUNTS:
            table[name] = table[name].astype("Int64")
        table["responded"] = table["responded"].map({True: "true", False: "false"})
        return table

    def markdown(self) -> str:
        """The report in German, as Markdown."""
        return _markdown(self)


def build_response(
    survey: Survey,
    units: pd.DataFrame,
    answers: Mapping[str, Answer],
    *,
    reports: pd.DataFrame,
    status: pd.Series,
    dropped: Sequence[Dropped],
    rule: str,
    intensity: str,
) -> Response:
    """Build the response report.

    Parameters
    ----------
    survey
        The survey: its respondents are the units asked.
    units
        The scenario's units (names, kinds, Kreise).
    answers
        The answer that counts, by respondent.
    reports, status
        The reports kept and whether the other side confirms each (yes, no, unknown).
    dropped
        The answers left out.
    rule, intensity
        The rules the ties were built by, for the report's head.
    """
    names = dict(zip(units["id"], units["name"], strict=True))
    kinds = dict(zip(units["id"], units["kind"], strict=True))
    kreis = kreis_of(units).to_dict()
    asked = list(dict.fromkeys(survey.respondents))
    counts = pd.DataFrame({"respondent": reports["respondent"], "status": status})
    by_status = counts.pivot_table(
        index="respondent", columns="status", aggfunc="size", fill_value=0
    )
    rows = []
    for key in asked:
        got: dict[str, int] = (
            {str(k): int(str(v)) for k, v in by_status.loc[key].items()}
            if key in by_status.index
            else {}
        )
        answer = answers.get(key)
        rows.append(
            {
                "id": key,
                "name": names.get(key, key),
                "kind": kinds.get(key),
                "kreis": kreis.get(key),
                "responded": answer is not None,
                "file": answer.file if answer else None,
                "reports": sum(got.values()),
                "confirmed": got.get("yes", 0),
                "unconfirmed": got.get("no", 0),
                "unknown": got.get("unknown", 0),
            }
        )
    respondents = pd.DataFrame(rows, columns=list(_RESPONDENT_COLUMNS))
    respondents["kreis"] = respondents["kreis"].astype("object")
    rates = _rates(respondents, names)
    asymmetric = _asymmetric(reports, status, names)
    ordered = tuple(sorted(dropped, key=dropped_order))
    return Response(
        survey=survey,
        rule=rule,
        intensity=intensity,
        rates=rates,
        respondents=respondents,
        asymmetric=asymmetric,
        dropped=_dropped(ordered, names),
        names=names,
        dropped_answers=ordered,
    )


_RESPONDENT_COLUMNS = (
    "id",
    "name",
    "kind",
    "kreis",
    "responded",
    "file",
    "reports",
    "confirmed",
    "unconfirmed",
    "unknown",
)


def _rates(respondents: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    def row(group: str, key: str | None, name: str | None, part: pd.DataFrame) -> dict[str, object]:
        asked, answered = len(part), int(part["responded"].sum())
        return {
            "group": group,
            "id": key,
            "name": name,
            "asked": asked,
            "answered": answered,
            "rate": answered / asked if asked else 0.0,
        }

    rows = [row("overall", None, None, respondents)]
    for kind in UNIT_KINDS:
        part = respondents[respondents["kind"] == kind]
        if len(part):
            rows.append(row("kind", kind, LABELS_DE[kind], part))
    kreise = respondents["kreis"]
    for key in sorted(kreise.dropna().unique()):
        rows.append(row("kreis", key, names.get(key, key), respondents[kreise == key]))
    if kreise.isna().any():
        rows.append(row("kreis", None, None, respondents[kreise.isna()]))
    return pd.DataFrame(rows)


def _asymmetric(reports: pd.DataFrame, status: pd.Series, names: Mapping[str, str]) -> pd.DataFrame:
    columns = ["reporter", "reporter_name", "partner", "partner_name", "kind", "other_kinds"]
    silent = reports[(status == "no").to_numpy() & ~reports["kind"].isin(DIRECTED_TIE_KINDS)]
    if silent.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    named: dict[tuple[str, str], list[str]] = {}
    for respondent, partner, kind in zip(
        reports["respondent"].tolist(),
        reports["partner"].tolist(),
        reports["kind"].tolist(),
        strict=True,
    ):
        named.setdefault((respondent, partner), []).append(kind)
    rows = [
        {
            "reporter": a,
            "reporter_name": names.get(a, a),
            "partner": b,
            "partner_name": names.get(b, b),
            "kind": kind,
            "other_kinds": ", ".join(named.get((b, a), [])) or None,
        }
        for a, b, kind in zip(silent["respondent"], silent["partner"], silent["kind"], strict=True)
    ]
    return pd.DataFrame(rows, columns=columns)


def _dropped(dropped: Sequence[Dropped], names: Mapping[str, str]) -> pd.DataFrame:
    columns = ["respondent", "name", "written", "kind", "reason", "detail", "file", "place"]
    rows = [
        {
            "respondent": d.respondent,
            "name": names.get(d.respondent) if d.respondent else None,
            "written": d.written,
            "kind": d.kind,
            "reason": d.reason,
            "detail": reason_text(d, names),
            "file": d.file,
            "place": d.place,
        }
        for d in dropped
    ]
    return pd.DataFrame(rows, columns=columns)


# --- Markdown -------------------------------------------------------------------------------


def percent(share: float) -> str:
    """A share as a German percentage: ``75 %``, ``66,7 %``.

    >>> percent(0.75), percent(2 / 3), percent(0)
    ('75 %', '66,7 %', '0 %')
    """
    value = round(share * 100, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Collection[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


_RULES_DE = {
    "union": "union – eine Verbindung, wenn eine Seite sie nennt",
    "confirmed": "confirmed – nur Verbindungen, die beide Seiten nennen",
    "respondent": "respondent – jede Angabe als gerichtete Verbindung der Befragten",
}

_INTENSITY_DE = {
    "lower": "lower – die schwächere der beiden Angaben",
    "higher": "higher – die stärkere der beiden Angaben",
    "reporter": "reporter – die Angabe der Seite mit dem kleineren Schlüssel",
}


def _markdown(response: Response) -> str:
    survey = response.survey
    lines = [
        f"# Rücklauf: {survey.name}",
        "",
        f"Befragung vom {survey.created} (Kennung `{survey.id}`), Szenario {survey.scenario}.",
        f"Regel für Verbindungen: {_RULES_DE[response.rule]}.",
        f"Bei abweichenden Angaben beider Seiten: {_INTENSITY_DE[response.intensity]}.",
        "",
        "## Rücklaufquote",
        "",
    ]
    rates = response.rates

    def rate_rows(group: str) -> list[list[object]]:
        part = rates[rates["group"] == group]
        return [
            [_label(r), r["asked"], r["answered"], percent(float(str(r["rate"])))]
            for r in _records(part)
        ]

    lines += _md_table(["", "befragt", "geantwortet", "Quote"], rate_rows("overall"))
    lines += ["### Nach Art der Einheit", ""]
    lines += _md_table(["Art", "befragt", "geantwortet", "Quote"], rate_rows("kind"))
    lines += ["### Nach Kreis", ""]
    lines += _md_table(["Kreis", "befragt", "geantwortet", "Quote"], rate_rows("kreis"))
    respondents = response.respondents
    silent = respondents[~respondents["responded"]]
    lines += ["## Ohne Antwort", ""]
    if silent.empty:
        lines += ["Alle Befragten haben geantwortet.", ""]
    else:
        lines += _md_table(
            ["Schlüssel", "Name", "Art"],
            [[r["id"], r["name"], _kind_label(r["kind"])] for r in _records(silent)],
        )
    lines += [
        "## Angaben je befragter Einheit",
        "",
        "bestätigt: die andere Seite nennt die Verbindung auch; nicht bestätigt: die andere "
        "Seite hat geantwortet und nennt sie nicht; unbestätigbar: die andere Seite hat nicht "
        "geantwortet, wurde nicht gefragt, oder die Art ist gerichtet.",
        "",
    ]
    lines += _md_table(
        ["Schlüssel", "Name", "Angaben", "bestätigt", "nicht bestätigt", "unbestätigbar", "Datei"],
        [
            [
                r["id"],
                r["name"],
                r["reports"],
                r["confirmed"],
                r["unconfirmed"],
                r["unknown"],
                r["file"] or "– keine Antwort –",
            ]
            for r in _records(respondents)
        ],
    )
    lines += [
        "## Einseitige Nennungen",
        "",
        "Eine Seite nennt die andere, die andere hat geantwortet und nennt sie für diese Art "
        "nicht.",
        "",
    ]
    asymmetric = response.asymmetric
    if asymmetric.empty:
        lines += ["Keine.", ""]
    else:
        lines += _md_table(
            ["nennt", "genannt", "Art", "genannt für andere Arten"],
            [
                [
                    f"{r['reporter_name']} ({r['reporter']})",
                    f"{r['partner_name']} ({r['partner']})",
                    _kind_label(r["kind"]),
                    ", ".join(_kind_label(k) for k in str(r["other_kinds"] or "").split(", ") if k),
                ]
                for r in _records(asymmetric)
            ],
        )
    lines += ["## Verworfene Angaben", ""]
    names = response.names
    if not response.dropped_answers:
        lines += ["Keine.", ""]
    else:
        lines += _md_table(
            ["Befragte", "Angabe", "Art", "Grund", "Datei, Stelle"],
            [
                [
                    f"{names.get(d.respondent, d.respondent)} ({d.respondent})"
                    if d.respondent
                    else "",
                    d.written,
                    LABELS_DE.get(d.kind, d.kind) if d.kind else None,
                    reason_de(d, names),
                    f"{d.file}, {d.place}" if d.place else d.file,
                ]
                for d in response.dropped_answers
            ],
        )
    return "\n".join(lines)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [
        {str(k): (None if _missing(v) else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _kind_label(kind: object) -> str:
    return LABELS_DE.get(str(kind), str(kind))


def _label(row: Mapping[str, object]) -> str:
    if row["group"] == "overall":
        return "insgesamt"
    if row["id"] is None or _missing(row["id"]):
        return "ohne Kreis"
    if row["group"] == "kind":
        return str(row["name"])
    return f"{row['name']} ({row['id']})"


def reason_de(dropped: Dropped, names: Mapping[str, str]) -> str:
    """Say in German why an answer was dropped, with the units it most likely means."""
    text = REASONS_DE[dropped.reason]
    if dropped.reason in {"unknown_partner", "unknown_respondent"} and dropped.suggestions:
        key = dropped.suggestions[0]
        return f"{text}; meinten Sie {names.get(key, key)} ({key})?"
    if dropped.reason == "ambiguous_partner":
        return f"{text} ({', '.join(dropped.suggestions)}); bitte den Schlüssel angeben"
    if dropped.reason == "unknown_kind" and dropped.suggestions:
        kind = dropped.suggestions[0]
        return f"{text}; meinten Sie {LABELS_DE.get(kind, kind)}?"
    if dropped.reason == "duplicate_answer" and dropped.other:
        return f"{text}: {dropped.other}"
    return text
