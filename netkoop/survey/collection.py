"""Collect the answers of a survey into a scenario: reports, ties by a rule, the response report.

`collect` reads filled workbooks, form files and CSV exports, keeps each respondent's latest
answer, turns its claims into *reports* and the reports into ties by a declared rule
(`netkoop.survey.rules`), writes the respondents' own answers into the units, and reports
who answered (`netkoop.survey.response`). `Collected.save` writes it all as one folder: the
base scenario with the survey's ties (``scenario.yaml`` and its tables, which
``netkoop.load`` reads), ``reports.csv``, ``rücklauf.md`` and ``rücklauf.csv``. The same
files give the same bytes, so collecting again as more answers arrive rebuilds the folder.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, NetkoopError, NetkoopWarning
from netkoop.model.folder import OUTLINES_FILE, SCENARIO_FILE, SCENARIO_FILES, TABLE_FILES
from netkoop.model.metadata import Credit
from netkoop.model.network import Network
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS
from netkoop.output.files import Paths, check_folder, write_folder
from netkoop.output.tables import csv_text
from netkoop.scenario.document import display_path
from netkoop.scenario.load import load
from netkoop.survey.answers import (
    ABOUT,
    REPORT_COLUMNS,
    Answer,
    Context,
    Dropped,
    Survey,
    dropped_order,
    reason_text,
)
from netkoop.survey.readers import answer_files, read_answers
from netkoop.survey.readers.definition import find_survey, read_survey, scenario_of
from netkoop.survey.readers.mapping import TableMapping, read_mapping
from netkoop.survey.response import Response, build_response
from netkoop.survey.rules import INTENSITY_RULES, RULES, build_ties, confirmation

__all__ = ["OUTPUT_FILES", "Collected", "check_output", "collect", "find_survey"]

#: The files beside the scenario's own in the folder `Collected.save` writes.
REPORT_FILES = ("reports.csv", "rücklauf.md", "rücklauf.csv")

#: Every file of the folder `Collected.save` writes (and ``outlines.geojson`` where the
#: scenario has outlines).
OUTPUT_FILES = (SCENARIO_FILE, *TABLE_FILES.values(), *REPORT_FILES)

#: At most this many dropped answers are warned about one by one; the rest are counted.
WARNED = 20

_FLAGS = frozenset({"integration_concept", "case_management"})


@dataclass(frozen=True)
class Collected:
    """What a survey's answers give: the scenario with their ties, the reports, the response.

    ``network`` is the base scenario with the survey's ties added and the respondents'
    answers in its units (``responded``, coordination_office, integration_concept,
    case_management); ``ties`` are the survey's ties alone; ``reports`` one row per
    respondent, partner and kind; ``response`` the response report.
    """

    network: Network
    ties: pd.DataFrame
    reports: pd.DataFrame
    response: Response
    survey: Survey
    rule: str
    intensity: str
    inputs: tuple[Path, ...] = ()

    @property
    def units(self) -> pd.DataFrame:
        """The units, with ``responded`` and the respondents' answers about themselves."""
        return self.network.units

    def files(self) -> dict[str, bytes]:
        """The files of the folder `save` writes, by name."""
        files: dict[str, bytes] = {}
        with tempfile.TemporaryDirectory(prefix="netkoop-survey-") as folder:
            # The output layer writes one folder whole or not at all; Network.save writes the
            # scenario's files only, so they are made aside and written with the reports.
            written = self.network.save(Path(folder) / "scenario").parent
            for name in SCENARIO_FILES:
                if (written / name).exists():  # outlines only where there are any
                    files[name] = (written / name).read_bytes()
        files["reports.csv"] = csv_text(self.reports).encode("utf-8")
        files["rücklauf.md"] = self.response.markdown().encode("utf-8")
        files["rücklauf.csv"] = csv_text(self.response.table()).encode("utf-8")
        return files

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write the scenario, ``reports.csv``, ``rücklauf.md`` and ``rücklauf.csv`` into a
        new or empty folder (or over what netkoop wrote there before, with ``overwrite``).

        Returns the path of the scenario file, which ``netkoop.load`` reads.

        Raises
        ------
        OutputError
            When the folder holds files netkoop did not write, holds an input, or is a
            folder of another kind; `OutputExistsError` when netkoop wrote there before and
            ``overwrite`` is False.
        """
        folder = Path(path)
        write_folder(
            folder, self.files(), kind="scenario", overwrite=overwrite, protect=self.inputs
        )
        return folder / SCENARIO_FILE


def check_output(folder: str | Path, *, overwrite: bool = False, protect: Paths = ()) -> None:
    """Raise when `Collected.save` could not write into ``folder``, before anything is read.

    Raises
    ------
    OutputError
        As `Collected.save`.
    """
    names = (*OUTPUT_FILES, OUTLINES_FILE)
    check_folder(Path(folder), names, kind="scenario", overwrite=overwrite, protect=protect)


def collect(
    files: str | Path | Iterable[str | Path],
    survey: str | Path,
    *,
    rule: str = "union",
    intensity: str = "lower",
    mapping: str | Path | TableMapping | None = None,
) -> Collected:
    """Collect the answers to a survey into reports, ties and a response report.

    Parameters
    ----------
    files
        Answer files, or folders of them: filled questionnaire workbooks (``.xlsx``), form
        files (``.json``) and CSV exports of survey tools (``.csv``, read through
        ``mapping``).
    survey
        The folder `survey create` wrote, or its ``survey.yaml``.
    rule
        ``union`` (a tie when either side reports it), ``confirmed`` (only when both do) or
        ``respondent`` (every report a tie from the respondent); see `netkoop.survey.rules`.
    intensity
        For fields both sides answer differently: ``lower`` (the weaker claim), ``higher``
        or ``reporter`` (the side with the smaller id).
    mapping
        Which columns of the CSV exports hold which answer: a mapping file (YAML) or a
        `TableMapping`.

    Returns
    -------
    The collected survey; `Collected.save` writes it.

    Raises
    ------
    DataFileError
        Listing every problem of the answer files (an unreadable or empty file, a
        questionnaire of another survey, a changed key, a value not allowed), each with
        file, place, field, value and what is allowed; or a problem of the survey file.
    ScenarioError
        When the base scenario is not valid.

    Warns
    -----
    NetkoopWarning
        For each answer dropped (an unknown partner with the unit it most likely means, an
        unknown kind...), and for each respondent who answered twice, naming both files:
        the later answer wins.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from netkoop.survey.questionnaires import create
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> made = create("beispielregion", folder / "befragung", kreis="lk-nord", date="2024-06-30")
    >>> answer = {"format": "netkoop-survey-form-1", "survey": made.id, "respondent": "auenfeld",
    ...           "answers": [{"partner": "birkenhain", "kind": "exchange"}]}
    >>> _ = (folder / "auenfeld.json").write_text(json.dumps(answer))
    >>> import warnings
    >>> with warnings.catch_warnings():  # beispielregion's own tie Auenfeld-Birkenhain is replaced
    ...     warnings.simplefilter("ignore")
    ...     collected = collect(folder / "auenfeld.json", folder / "befragung")
    >>> collected.ties[["from", "to", "kind", "reported_by", "confirmed"]].values.tolist()
    [['auenfeld', 'birkenhain', 'exchange', 'auenfeld', 'unknown']]
    >>> collected.response.answered, collected.response.asked
    (1, 5)
    """
    if rule not in RULES:
        raise NetkoopError(f"unknown rule {rule!r}; rules: {', '.join(RULES)}")
    if intensity not in INTENSITY_RULES:
        raise NetkoopError(
            f"unknown intensity rule {intensity!r}; rules: {', '.join(INTENSITY_RULES)}"
        )
    definition = read_survey(survey)
    table_mapping = read_mapping(mapping) if isinstance(mapping, str | os.PathLike) else mapping
    base = load(scenario_of(definition))
    units = base.units
    ids = set(units["id"])
    unknown = [key for key in definition.respondents if key not in ids]
    if unknown:
        raise DataFileError(
            f"{display_path(definition.path)}: respondents that are no units of the scenario "
            f"{definition.scenario}: {', '.join(unknown[:10])}"
        )
    paths = answer_files([files] if isinstance(files, str | os.PathLike) else files)
    if not paths:
        raise DataFileError("no answer files given (workbooks, form files or CSV exports)")
    context = Context(definition, units)
    read = [answer for path in paths for answer in read_answers(path, context, table_mapping)]
    context.raise_problems()
    winners, duplicates = _latest(read, context)
    dropped = [*context.dropped, *duplicates]
    dropped += [d for answer in winners.values() for d in answer.dropped]
    dropped.sort(key=dropped_order)
    reports = _reports(winners)
    status = confirmation(reports, winners.keys())
    ties = build_ties(
        reports, winners.keys(), rule=rule, intensity=intensity, source=definition.source
    )
    _warn(dropped, context)
    network = _network(base, definition, winners, ties, rule=rule, intensity=intensity)
    response = build_response(
        definition,
        units,
        winners,
        reports=reports,
        status=status,
        dropped=dropped,
        rule=rule,
        intensity=intensity,
    )
    inputs = (*paths, definition.path, *base.metadata.inputs)
    if isinstance(mapping, str | os.PathLike):
        inputs = (*inputs, Path(mapping))
    return Collected(network, ties, reports, response, definition, rule, intensity, inputs)


def _instant(answer: Answer) -> float:
    """When an answer was saved: its own time, else the file's modification time."""
    if answer.saved is not None:
        return answer.saved.timestamp()
    return answer.path.stat().st_mtime


def _latest(answers: Sequence[Answer], context: Context) -> tuple[dict[str, Answer], list[Dropped]]:
    """The latest answer of each respondent (by saved time, file time, then order given);
    the others dropped, each said aloud."""
    by_respondent: dict[str, list[tuple[float, int, Answer]]] = {}
    dropped: list[Dropped] = []
    for order, answer in enumerate(answers):
        if answer.blank:
            dropped.append(Dropped("blank", answer.file, "", answer.respondent))
            continue
        by_respondent.setdefault(answer.respondent, []).append((_instant(answer), order, answer))
    winners: dict[str, Answer] = {}
    for respondent in sorted(by_respondent):
        ranked = sorted(by_respondent[respondent], key=lambda item: item[:2])
        winner = ranked[-1][2]
        winners[respondent] = winner
        for instant, _, loser in ranked[:-1]:
            why = _why_later(winner, instant)
            rows = loser.path == winner.path  # two rows of one CSV export
            warnings.warn(
                f"two answers from {context.name_of(respondent)} ('{respondent}'): "
                f"{_where(loser, rows)} and {_where(winner, rows)}; the later one, "
                f"{_where(winner, rows)} ({why}), wins",
                NetkoopWarning,
                stacklevel=4,
            )
            dropped.append(
                Dropped(
                    "duplicate_answer",
                    loser.file,
                    loser.place,
                    respondent,
                    other=f"{winner.file}, {winner.place}",
                )
            )
    return winners, dropped


def _where(answer: Answer, place: bool) -> str:
    return f"{display_path(answer.path)} ({answer.place})" if place else display_path(answer.path)


def _why_later(winner: Answer, instant: float) -> str:
    if winner.saved is not None:
        return f"saved {winner.saved.isoformat()}"
    if _instant(winner) > instant:
        return "changed later"
    return "given later"


def _reports(winners: Mapping[str, Answer]) -> pd.DataFrame:
    rows = [
        (respondent, *report[:7], answer.file, report.place)
        for respondent, answer in winners.items()
        for report in answer.reports
    ]
    frame = pd.DataFrame.from_records(rows, columns=list(REPORT_COLUMNS))
    frame["since"] = frame["since"].astype("Int64")
    for name in REPORT_COLUMNS:
        if name != "since":
            frame[name] = frame[name].astype("str")
    return frame.sort_values(["respondent", "partner", "kind"], kind="stable").reset_index(
        drop=True
    )


def _warn(dropped: Sequence[Dropped], context: Context) -> None:
    said = [d for d in dropped if d.reason != "duplicate_answer"]
    for item in said[:WARNED]:
        where = f"{item.file}, {item.place}" if item.place else item.file
        warnings.warn(
            f"{where}: answer dropped: {reason_text(item, context.names)}",
            NetkoopWarning,
            stacklevel=4,
        )
    if len(said) > WARNED:
        warnings.warn(
            f"{len(said) - WARNED:,} more answers dropped; rücklauf.md lists them all",
            NetkoopWarning,
            stacklevel=4,
        )


def _network(
    base: Network,
    survey: Survey,
    winners: Mapping[str, Answer],
    ties: pd.DataFrame,
    *,
    rule: str,
    intensity: str,
) -> Network:
    units = base.units.copy()
    ids = units["id"]
    asked = ids.isin(set(survey.respondents))
    responded = pd.Series(pd.NA, index=units.index, dtype="boolean")
    responded[asked] = ids[asked].isin(set(winners))
    units["responded"] = responded
    for name in ABOUT:
        given = {key: answer.about[name] for key, answer in winners.items() if name in answer.about}
        if not given:
            continue
        column = units[name] if name in units else pd.Series(pd.NA, index=units.index)
        column = column.astype("object")
        mask = ids.isin(set(given))
        column[mask] = ids[mask].map(given)
        units[name] = column.astype("boolean") if name in _FLAGS else column.astype("str")
    credit = Credit(
        name=survey.name,
        note=(
            f"Befragung {survey.id} vom {survey.created}: Verbindungen aus den Antworten "
            f"(netkoop survey collect, --rule {rule}, --intensity {intensity})"
        ),
    )
    metadata = base.metadata
    title = f"{metadata.title or metadata.name}: {survey.name}"
    kept = _not_replaced(base.ties, ties)
    network = base.with_tables(
        units=units, ties=base.ties[kept].reset_index(drop=True)
    ).with_metadata(title=title, sources=(*metadata.sources, credit))
    replaced, other = int((~kept).sum()), int(kept.sum())
    if replaced or other:
        warnings.warn(
            f"the base scenario has {len(base.ties):,} ties: {replaced:,} between the same "
            f"units and of the same kind as a survey tie are replaced by it, {other:,} stay "
            "as they were (their source is not the survey)",
            NetkoopWarning,
            stacklevel=3,
        )
    return network.add_ties(ties) if len(ties) else network


def _not_replaced(base: pd.DataFrame, survey: pd.DataFrame) -> np.ndarray:
    """Tell per base tie whether it stays: no survey tie joins the same units with its kind.

    Undirected kinds match in either direction, directed kinds (service_opening,
    membership) only from the same side.
    """
    if not len(base) or not len(survey):
        return np.ones(len(base), dtype=bool)

    def keys(ties: pd.DataFrame) -> pd.Series:
        a, b, kind = ties["from"].astype(str), ties["to"].astype(str), ties["kind"].astype(str)
        directed = kind.isin(DIRECTED_TIE_KINDS)
        low, high = a.where(directed | (a <= b), b), b.where(directed | (a <= b), a)
        return kind + "\x1f" + low + "\x1f" + high

    return ~keys(base).isin(set(keys(survey))).to_numpy()
