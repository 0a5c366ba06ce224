"""Make a survey: one questionnaire per respondent (workbook and offline form), its cover
letter and the list of what goes to whom, written whole into one folder."""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from netkoop.model.network import Network
from netkoop.output.files import check_folder, write_folder
from netkoop.scenario.bundled import bundled_name
from netkoop.scenario.load import load
from netkoop.survey.form import form_html
from netkoop.survey.letter import letter, sent_csv, sent_table
from netkoop.survey.roster import (
    Directory,
    SurveyError,
    SurveyInfo,
    respondents_of,
    rosters,
    survey_id,
)
from netkoop.survey.workbook import workbook_bytes

#: The version of ``survey.yaml``.
FORMAT_VERSION = 1

#: The files and folders of a survey folder.
SURVEY_FILE = "survey.yaml"
WORKBOOKS = "Fragebögen"
FORMS = "Formulare"
LETTER = "Anschreiben.md"
SENT = "Versand.csv"

#: The kind of folder in the output layer's marker.
FOLDER_KIND = "survey"

_UNSAFE = re.compile(r"[^\w.-]+")
_LONGEST_NAME = 60


@dataclass(frozen=True)
class CreatedSurvey:
    """A survey written to a folder: its id, respondents, their partners and the files.

    ``workbooks`` and ``forms`` give each respondent's files; ``notes`` say what the rosters
    could not hold (e.g. neighbouring Kreise without a borders table).
    """

    id: str
    name: str
    created: str
    scenario: str
    folder: Path
    respondents: tuple[str, ...]
    partners: Mapping[str, tuple[str, ...]]
    workbooks: Mapping[str, Path]
    forms: Mapping[str, Path]
    notes: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"<CreatedSurvey {self.id} {self.name!r}: {len(self.respondents)} respondents "
            f"in {self.folder}>"
        )


def create(
    network_or_scenario: Network | str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    respondents: str | Iterable[str] | None = None,
    kinds: str | Iterable[str] | None = None,
    kreis: str | None = None,
    partners: str = "default",
    name: str | None = None,
    date: str | datetime.date | None = None,
    csv: str = "standard",
    overwrite: bool = False,
) -> CreatedSurvey:
    """Write a survey of a scenario's units into a new or empty folder.

    The folder gets ``survey.yaml`` (id, name, date, scenario, respondents and each one's
    partners), ``Fragebögen/<id>_<Name>.xlsx`` and ``Formulare/<id>_<Name>.html`` per
    respondent, ``Anschreiben.md`` (a cover letter template) and ``Versand.csv`` (what goes
    to whom). It is written whole or not at all.

    Parameters
    ----------
    network_or_scenario
        A network, or a scenario file, folder or bundled name (written into ``survey.yaml``
        as given).
    folder
        A new or empty folder (or, with ``overwrite``, a survey folder netkoop wrote).
    respondents
        The ids of the units to ask (a list or comma-separated text).
    kinds
        Instead of ids: the unit kinds to ask; default every unit that is not a forum or a
        Land.
    kreis
        Only the units of this Kreis (a Landkreis or kreisfreie Stadt, by id or name).
    partners
        Who is on each roster: ``default`` (the other respondents, the units of the
        respondent's Kreis and of neighbouring Kreise, the forums of its Land), ``all``
        (every other unit) or ``respondents`` (the other respondents).
    name
        The survey's name; default "Befragung <scenario name>".
    date
        The survey's date (ISO, e.g. ``2025-03-01``); default today. The same inputs and
        date give the same files, byte for byte.
    csv
        The dialect of ``Versand.csv``: ``standard`` or ``excel-de``.
    overwrite
        Replace a survey netkoop wrote into the folder before.

    Returns
    -------
    The survey's id, respondents, partners, files and notes.

    Raises
    ------
    SurveyError
        When a respondent, kind, Kreis, partner mode or date is not one the scenario allows.
    OutputError
        When the folder holds files netkoop did not write (or another kind of output).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     made = create("beispielregion", Path(tmp) / "befragung", kreis="lk-nord")
    >>> made.respondents
    ('lk-nord', 'auenfeld', 'birkenhain', 'dorfstetten', 'eichwalde')
    >>> made.partners["auenfeld"]
    ('lk-nord', 'birkenhain', 'dorfstetten', 'eichwalde', 'lag-ni')
    """
    target = Path(folder)
    created = _date(date)
    if isinstance(network_or_scenario, Network):
        network = network_or_scenario
        scenario = _scenario_of(network)
    else:
        scenario = os.fspath(network_or_scenario)
        given = network_or_scenario
        network = load(given if isinstance(given, str) else Path(given))
    scenario = _beside(scenario, target)
    protect = network.metadata.inputs
    # Refuse the folder before anything is computed, so that a refusal costs no time.
    check_folder(target, (), kind=FOLDER_KIND, overwrite=overwrite, protect=protect)
    directory = Directory(network.units, network.kreis, network.borders)
    asked = respondents_of(directory, ids=respondents, kinds=kinds, kreis=kreis)
    chosen = rosters(directory, asked, partners)
    info = SurveyInfo(
        id=survey_id(network.name, asked, created),
        name=(name or "").strip() or f"Befragung {network.name}",
        created=created,
        scenario=scenario,
        scenario_name=network.name,
    )
    stems = _stems(asked, directory)
    files: dict[str, str | bytes] = {}
    workbooks: dict[str, str] = {}
    forms: dict[str, str] = {}
    for respondent in asked:
        unit = directory.units[respondent]
        roster = [directory.units[p] for p in chosen.partners[respondent]]
        workbooks[respondent] = f"{WORKBOOKS}/{stems[respondent]}.xlsx"
        forms[respondent] = f"{FORMS}/{stems[respondent]}.html"
        files[workbooks[respondent]] = workbook_bytes(info, unit, roster, directory)
        files[forms[respondent]] = form_html(info, unit, roster, directory)
    units = [directory.units[r] for r in asked]
    files[SURVEY_FILE] = survey_yaml(info, asked, chosen.partners)
    files[LETTER] = letter(info)
    files[SENT] = sent_csv(sent_table(units, chosen.partners, workbooks, forms), csv)
    write_folder(target, files, kind=FOLDER_KIND, overwrite=overwrite, protect=protect)
    return CreatedSurvey(
        id=info.id,
        name=info.name,
        created=info.created,
        scenario=info.scenario,
        folder=target,
        respondents=tuple(asked),
        partners=chosen.partners,
        workbooks={r: target / p for r, p in workbooks.items()},
        forms={r: target / p for r, p in forms.items()},
        notes=chosen.notes,
    )


def survey_yaml(
    info: SurveyInfo, respondents: Iterable[str], partners: Mapping[str, Iterable[str]]
) -> str:
    """Return ``survey.yaml``: the survey, its respondents and each one's partners."""
    doc = {
        "format_version": FORMAT_VERSION,
        "survey": {
            "id": info.id,
            "name": info.name,
            "created": info.created,
            "scenario": info.scenario,
        },
        "respondents": list(respondents),
        "partners": {r: list(p) for r, p in partners.items()},
    }
    head = "# A survey written by netkoop (netkoop survey create); collect reads it.\n"
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def _date(value: str | datetime.date | None) -> str:
    if value is None:
        return datetime.date.today().isoformat()
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise SurveyError(
            f"the date '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2025-03-01"
        ) from None


def _beside(scenario: str, folder: Path) -> str:
    """A scenario path as seen from the survey folder, so that the two can move together
    (``../region``); a bundled name, or a path on another drive, as it is."""
    path = Path(scenario)
    if not path.exists():
        return scenario
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return scenario


def _scenario_of(network: Network) -> str:
    """How ``survey.yaml`` names a network's scenario: its bundled name, file, or name."""
    path = network.metadata.path
    if path is None:
        return network.name
    return bundled_name(path) or os.fspath(path)


def _stems(respondents: Iterable[str], directory: Directory) -> dict[str, str]:
    """A file name (without ending) per respondent: ``<id>_<Name>``, safe on every system."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for respondent in respondents:
        unit = directory.units[respondent]
        text = unicodedata.normalize("NFC", f"{unit.id}_{unit.name}")
        safe = re.sub("_{2,}", "_", _UNSAFE.sub("_", text)).strip("._")
        stem = safe[:_LONGEST_NAME].rstrip("._") or "Fragebogen"
        number, unique = 1, stem
        while unique.casefold() in taken:
            number += 1
            unique = f"{stem}-{number}"
        taken.add(unique.casefold())
        stems[respondent] = unique
    return stems
