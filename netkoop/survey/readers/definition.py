"""Read ``survey.yaml``, the file `survey create` writes: the survey, its respondents, rosters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from netkoop._errors import DataFileError, not_a_file
from netkoop.scenario.document import display_path
from netkoop.survey.answers import Survey

#: The survey file in the folder `survey create` writes.
SURVEY_FILE = "survey.yaml"

_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def survey_file(spec: str | Path) -> Path:
    """The survey file ``spec`` names: ``survey.yaml`` itself or the folder holding it.

    Raises
    ------
    DataFileError
        When there is no such file.
    """
    path = Path(spec)
    candidate = path / SURVEY_FILE if path.is_dir() else path
    if not candidate.is_file():
        what = not_a_file(candidate)
        raise DataFileError(
            f"{display_path(candidate)}: the survey file {what}; --survey names the folder "
            "that 'netkoop survey create' wrote (it holds survey.yaml)"
        )
    return candidate


def find_survey(files: Iterable[Path]) -> Path:
    """The survey folder beside the answer files: the one holding ``survey.yaml`` in a file's
    folder or the folder above it.

    Raises
    ------
    DataFileError
        When none or several are found.
    """
    found: dict[Path, None] = {}
    for file in files:
        start = file if file.is_dir() else file.parent
        for folder in (start, start.parent):
            if (folder / SURVEY_FILE).is_file():
                found[folder.resolve()] = None
                break
    if len(found) == 1:
        return next(iter(found))
    if not found:
        raise DataFileError(
            "no survey.yaml beside the answer files or in the folder above them; name the "
            "survey folder that 'netkoop survey create' wrote with --survey"
        )
    shown = ", ".join(display_path(f) for f in found)
    raise DataFileError(
        f"the answer files lie beside several surveys ({shown}); choose with --survey"
    )


def read_survey(spec: str | Path) -> Survey:
    """Read the survey file (or the folder holding it).

    Raises
    ------
    DataFileError
        When the file is missing, no YAML, or lacks the survey id, respondents or rosters;
        the message names the file, line and key.
    """
    path = survey_file(spec)
    label = display_path(path)
    try:
        # Every value as text: keys stay as written (03254), and libyaml reads the rosters of
        # ten thousand respondents in seconds rather than the minute the Python parser takes.
        doc = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_LOADER)  # noqa: S506
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{label}: not UTF-8 text (byte {exc.start})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DataFileError(
            f"{label}{at}: not a survey file: malformed YAML ({exc.problem})"
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{label}: not a survey file: malformed YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise DataFileError(f"{label}: not a survey file of netkoop (no mapping at the top)")
    problems: list[str] = []
    if doc.get("format_version") != "1":
        problems.append(
            f"{label}: format_version {doc.get('format_version')}; "
            "this netkoop reads survey files of format_version 1"
        )
    head = doc.get("survey")
    if not isinstance(head, dict):
        problems.append(f"{label}: 'survey' must hold id, name, created, scenario")
        head = {}
    texts = {}
    for key in ("id", "name", "created", "scenario"):
        value = head.get(key)
        if value is None or isinstance(value, dict | list) or str(value).strip() == "":
            problems.append(f"{label}: survey.{key} is missing")
        texts[key] = "" if value is None else str(value)
    respondents = _ids(doc.get("respondents"), label, "respondents", problems)
    partners_doc = doc.get("partners") or {}
    partners: dict[str, tuple[str, ...]] = {}
    if not isinstance(partners_doc, dict):
        problems.append(f"{label}: 'partners' maps each respondent to its list")
    else:
        for key, value in partners_doc.items():
            partners[str(key)] = tuple(_ids(value, label, f"partners.{key}", problems))
    if problems:
        raise DataFileError("\n".join(problems))
    return Survey(
        id=texts["id"],
        name=texts["name"],
        created=texts["created"],
        scenario=texts["scenario"],
        respondents=tuple(respondents),
        partners=partners,
        path=path,
    )


def _ids(value: object, where: str, key: str, problems: list[str]) -> Sequence[str]:
    if not isinstance(value, list) or any(isinstance(v, dict | list) or v is None for v in value):
        problems.append(f"{where}: '{key}' must be a list of unit ids")
        return []
    return [str(v) for v in value]


def scenario_of(survey: Survey) -> str | Path:
    """The base scenario of a survey: a path beside the survey file or the working folder,
    else the name as written (a bundled scenario)."""
    written = Path(survey.scenario)
    for candidate in (survey.path.parent / written, written):
        if candidate.exists():
            return candidate
    return survey.scenario
