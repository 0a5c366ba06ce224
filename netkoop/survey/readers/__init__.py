"""Readers of answer files: filled workbooks, offline form files, CSV exports of survey tools.

``definition`` reads the survey file (``survey.yaml``), ``workbook`` the questionnaires
`survey create` writes, ``form`` the files its offline form saves, ``mapping`` and ``table``
the CSV exports of LimeSurvey, SoSci Survey and the like, long or wide. Each reader turns a
file into `netkoop.survey.answers.Answer` records and reports every problem to the
`netkoop.survey.answers.Context` instead of raising, so that one pass finds them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from netkoop._errors import not_a_file
from netkoop.scenario.document import display_path
from netkoop.survey.answers import Answer, Context
from netkoop.survey.readers.form import read_form
from netkoop.survey.readers.mapping import TableMapping
from netkoop.survey.readers.table import read_table
from netkoop.survey.readers.workbook import read_workbook

#: The endings of the answer files read, by kind.
WORKBOOKS = frozenset({".xlsx", ".xlsm"})
FORMS = frozenset({".json"})
TABLES = frozenset({".csv", ".tsv", ".txt", ".gz"})


def answer_files(paths: Iterable[str | Path]) -> list[Path]:
    """The answer files named: files as given, folders as the answer files in them (by name).

    In a folder, hidden files and the lock files Excel leaves beside open workbooks
    (``~$...``) are passed over.
    """
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(
                entry
                for entry in sorted(path.iterdir())
                if entry.is_file()
                and entry.suffix.lower() in WORKBOOKS | FORMS | TABLES
                and not entry.name.startswith((".", "~$"))
            )
        else:
            files.append(path)
    return files


def read_answers(path: Path, context: Context, mapping: TableMapping | None) -> list[Answer]:
    """Read the answers one file holds; its problems go to ``context``."""
    label = display_path(path)
    if not path.is_file():
        context.error(label, f"the answer file {not_a_file(path)}")
        return []
    if path.stat().st_size == 0:
        context.error(label, "the file is empty: no answers can be read from it")
        return []
    suffix = path.suffix.lower()
    if path.name.startswith("~$"):
        context.error(label, "a lock file Excel keeps beside an open workbook, no answers")
        return []
    if suffix in WORKBOOKS:
        return read_workbook(path, context)
    if suffix in FORMS:
        return read_form(path, context)
    if suffix in TABLES:
        if mapping is None:
            context.error(
                label,
                "a CSV export is read through a mapping of its columns: pass --mapping "
                "FILE.yaml (Python: mapping=...); the README shows one for long and wide exports",
            )
            return []
        return read_table(path, context, mapping)
    context.error(
        label,
        f"not an answer file netkoop reads ({path.suffix or 'no ending'}); it reads workbooks "
        "(.xlsx), form files (.json) and CSV exports (.csv with --mapping)",
    )
    return []
