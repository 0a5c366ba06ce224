"""Read scenario files: metadata, table sources and ``extends`` chains, every problem located."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from netkoop._errors import Problem, UnknownScenarioError, shown
from netkoop.interventions import Step
from netkoop.model import cells
from netkoop.model.blocks import Block, Origin, text_of
from netkoop.model.folder import FORMAT_VERSION, SCENARIO_FILE
from netkoop.model.metadata import Credit, Metadata
from netkoop.model.numbers import Reading
from netkoop.model.outlines import empty_outlines, merge_outlines
from netkoop.scenario import yamlsafe
from netkoop.scenario.bundled import scenario_path
from netkoop.scenario.outlines import read_outlines_file
from netkoop.scenario.sources import block_from_rows, read_table_file
from netkoop.scenario.steps import read_steps

SECTIONS = ("units", "forums", "ties", "flows", "borders")
#: Names of table files, which people give to `validate` instead of their scenario.
TABLE_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
#: A scenario may build on at most this many others, one extending the next.
MAX_EXTENDS = 50
META_KEYS = (
    "format_version",
    "name",
    "title",
    "description",
    "reference_date",
    "sources",
    "extends",
    "files_outside",
)
#: Metadata keys added later: messages name them after the sections, so that the keys listed
#: above keep the order people know from earlier messages.
LATER_META_KEYS = ("population_date",)
#: The key of the outlines file (GeoJSON, not a table): ``outlines: {file: outlines.geojson}``.
OUTLINES_KEY = "outlines"
SOURCE_OPTIONS = (
    "file",
    "sheet",
    "columns",
    "set",
    "where",
    "text",
    "sep",
    "encoding",
    "decimal",
    "thousands",
)
#: The values ``decimal:`` and ``thousands:`` may take ("" for no thousands separator).
DECIMAL_MARKS = (".", ",")
THOUSANDS_MARKS = (".", ",", " ", "'", "")
CREDIT_KEYS = ("name", "credit", "url", "licence", "note")


@dataclass
class Document:
    """A scenario file and everything it extends, read into blocks per table section.

    ``interventions`` lists the steps to apply on top of the tables, those of the files it
    extends first. ``roots`` are the folders its table files may lie in. ``outlines`` are
    those of the files it extends with its own, which replace theirs of the same place and
    level.
    """

    metadata: Metadata
    blocks: dict[str, list[Block]]
    problems: list[Problem]
    interventions: tuple[Step, ...] = ()
    roots: tuple[Path, ...] = ()
    incomplete: frozenset[str] = frozenset()
    outlines: pd.DataFrame = field(default_factory=empty_outlines)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long for the file system: looked up as a bundled name
        return False


def display_path(path: Path) -> str:
    """Name a file for messages: relative to the working folder when it lies below it."""
    try:
        label = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return label if len(label) <= len(str(path.absolute())) else str(path.absolute())


def read_document(spec: str | Path, *, text: str | None = None) -> Document:
    """Read a scenario file (by path, folder or bundled name) and all that it extends.

    Problems (missing files, malformed YAML, unknown keys, extends cycles...) are collected,
    not raised, so that one pass reports them all. ``text`` is read as if it were the file's
    content (an edit checked before it is written); the files it names are looked up beside
    the file.

    Raises
    ------
    UnknownScenarioError
        When ``spec`` names no file and no bundled scenario.
    """
    return _read(scenario_path(spec), chain=(), text=text)


def _read(path: Path, chain: tuple[Path, ...], text: str | None = None) -> Document:
    label = display_path(path)
    default_meta = Metadata(
        name=path.parent.name if path.name == SCENARIO_FILE else path.stem, inputs=(path,)
    )
    empty: dict[str, list[Block]] = {s: [] for s in SECTIONS}

    def fail(message: str, line: int | None = None) -> Document:
        where = f"{label}, line {line}" if line else label
        return Document(default_meta, empty, [Problem("error", where, message)])

    if text is None and path.name.lower().endswith(TABLE_SUFFIXES):
        return fail(
            "is a table, not a scenario file: netkoop checks a table within the scenario that "
            "names it (netkoop validate scenario.yaml); to start one for this table, run "
            "'netkoop new DIR' and name the table under units:, ties: or flows:"
        )
    try:
        data = path.read_bytes() if text is None else text.encode("utf-8")
    except OSError as exc:
        return fail(f"cannot be read: {exc.strerror}")
    if b"\x00" in data[:8192]:
        return fail("is binary, not a YAML scenario file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail(f"is not UTF-8 text (byte {exc.start}); save the scenario file as UTF-8")
    if not text.strip():
        return fail(
            f"the file is empty; a scenario needs at least 'format_version: {FORMAT_VERSION}'"
        )
    try:
        doc = yamlsafe.parse(text)
    except yamlsafe.YamlError as exc:
        return fail(exc.message, exc.line)
    if not isinstance(doc, yamlsafe.Mapping):
        return fail(
            "a scenario file must be a YAML mapping (keys such as format_version, units, ties)"
        )

    reader = _DocumentReader(path, label, doc)
    parent = reader.parent(chain)
    reader.roots = (path.parent.resolve(), *(parent.roots if parent else ()))
    metadata = reader.metadata(parent.metadata if parent else default_meta)
    blocks = {s: (parent.blocks[s] if parent else []) + reader.section(s) for s in SECTIONS}
    steps = (parent.interventions if parent else ()) + reader.interventions()
    outlines = merge_outlines(parent.outlines if parent else empty_outlines(), reader.outlines())
    problems = (parent.problems if parent else []) + reader.problems
    inputs = (*(parent.metadata.inputs if parent else ()), path, *reader.files)
    metadata = dataclasses.replace(metadata, inputs=tuple(dict.fromkeys(inputs)))
    failed = (parent.incomplete if parent else frozenset()) | reader.failed
    return Document(metadata, blocks, problems, steps, reader.roots, frozenset(failed), outlines)


class _DocumentReader:
    """Reads the parts of one parsed scenario file, collecting problems."""

    def __init__(self, path: Path, label: str, doc: yamlsafe.Mapping) -> None:
        self.path = path
        self.label = label
        self.doc = doc
        self.problems: list[Problem] = []
        self.files: list[Path] = []  # the table files it names, read or not
        self.failed: set[str] = set()  # the sections of which a file could not be read
        # The folders its table files may lie in: its own and those of what it extends.
        self.roots: tuple[Path, ...] = (path.parent.resolve(),)
        self._check_keys()

    def error(self, line: int, message: str, *, key: str | None = None, value: Any = None) -> None:
        self.problems.append(
            Problem(
                "error",
                f"{self.label}, line {line}",
                message,
                field=key,
                value=None if value is None else shown(value),
            )
        )

    def _check_keys(self) -> None:
        doc = self.doc
        allowed = (*META_KEYS, *SECTIONS, "interventions", *LATER_META_KEYS, OUTLINES_KEY)
        for key in doc:
            if key not in allowed:
                self.error(
                    doc.line_of(key),
                    f"unknown key; a scenario may have: {', '.join(allowed)}",
                    key=key,
                )
        if "files_outside" in doc and not isinstance(doc["files_outside"], bool):
            self.error(
                doc.line_of("files_outside"),
                "true or false",
                key="files_outside",
                value=doc["files_outside"],
            )
        version = doc.get("format_version")
        if "format_version" not in doc:
            self.error(doc.line, f"the scenario must state 'format_version: {FORMAT_VERSION}'")
        elif type(version) is not int or version != FORMAT_VERSION:
            self.error(
                doc.line_of("format_version"),
                f"unsupported format version; this netkoop reads format_version {FORMAT_VERSION}",
                key="format_version",
                value=version,
            )

    def parent(self, chain: tuple[Path, ...]) -> Document | None:
        spec = self.doc.get("extends")
        if spec is None:
            return None
        line = self.doc.line_of("extends")
        if not isinstance(spec, str) or not spec.strip():
            self.error(line, "extends names one scenario file or bundled scenario", key="extends")
            return None
        beside = self.path.parent / spec
        try:
            target = scenario_path(beside if _exists(beside) else spec)
        except UnknownScenarioError as exc:
            self.error(line, str(exc).split(": ", 1)[-1], key="extends", value=spec)
            return None
        resolved = target.resolve()
        here = (*chain, self.path.resolve())
        if len(here) > MAX_EXTENDS:
            self.error(
                line,
                f"the extends chain is longer than {MAX_EXTENDS} files; join some of them",
                key="extends",
                value=spec,
            )
            return None
        if resolved in here:
            cycle = " -> ".join(display_path(p) for p in (*here[here.index(resolved) :], resolved))
            self.error(line, f"extends forms a cycle: {cycle}", key="extends", value=spec)
            return None
        return _read(target, here)

    def metadata(self, inherited: Metadata) -> Metadata:
        doc = self.doc
        texts: dict[str, str | None] = {}
        for key in ("name", "title", "description", "reference_date", "population_date"):
            value = doc.get(key)
            if value is None:
                texts[key] = getattr(inherited, key)
            elif isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
                texts[key] = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
            else:
                self.error(doc.line_of(key), "must be plain text", key=key, value=value)
                texts[key] = getattr(inherited, key)
        credits = list(inherited.sources)
        for credit in self._credits():
            if credit not in credits:
                credits.append(credit)
        return Metadata(
            name=texts["name"] or inherited.name,
            title=texts["title"],
            description=texts["description"],
            reference_date=texts["reference_date"],
            population_date=texts["population_date"],
            sources=tuple(credits),
            path=self.path,
        )

    def _credits(self) -> list[Credit]:
        raw = self.doc.get("sources")
        if raw is None:
            return []
        line = self.doc.line_of("sources")
        if not isinstance(raw, list):
            self.error(
                line,
                "sources is a list of sources: text, or mappings with "
                "name, credit, url, licence, note",
                key="sources",
            )
            return []
        credits = []
        for item in raw:
            if isinstance(item, str):
                credits.append(Credit(name=item))
                continue
            if not isinstance(item, yamlsafe.Mapping) or not isinstance(item.get("name"), str):
                self.error(
                    getattr(item, "line", line), "each source needs a 'name' (text)", key="sources"
                )
                continue
            unknown = [k for k in item if k not in CREDIT_KEYS]
            for key in unknown:
                self.error(
                    item.line_of(key),
                    f"unknown key in a source; allowed: {', '.join(CREDIT_KEYS)}",
                    key=key,
                )
            fields = {}
            for key in CREDIT_KEYS:
                value = item.get(key)
                if isinstance(value, dict | list):
                    self.error(item.line_of(key), "must be plain text", key=key, value=value)
                elif value is not None:
                    fields[key] = str(value)
            credits.append(Credit(**fields))
        return credits

    def interventions(self) -> tuple[Step, ...]:
        return read_steps(self.doc, self.label, self.error)

    def section(self, name: str) -> list[Block]:
        raw = self.doc.get(name)
        if raw is None:
            return []
        line = self.doc.line_of(name)
        if isinstance(raw, yamlsafe.Mapping):
            if "file" not in raw:
                self.error(
                    line,
                    "a table is a list of rows, or a mapping with 'file:' naming a CSV or "
                    "Excel file",
                    key=name,
                )
                return []
            raw = [raw]
        if not isinstance(raw, list):
            self.error(
                line,
                "a table is a list of rows, or a mapping with 'file:' naming a CSV or Excel file",
                key=name,
                value=raw,
            )
            return []
        blocks: list[Block] = []
        rows: list[yamlsafe.Mapping] = []
        for item in raw:
            if not isinstance(item, yamlsafe.Mapping):
                self.error(line, "each row is a mapping of column: value", key=name, value=item)
                continue
            if "file" in item:
                blocks += self._inline(rows)
                rows = []
                block = self._file_block(name, item)
                if block is not None:
                    blocks.append(block)
                else:
                    self.failed.add(name)
            else:
                rows.append(item)
        return blocks + self._inline(rows)

    def outlines(self) -> pd.DataFrame:
        """The outlines of the file that ``outlines: {file: ...}`` names (none: empty)."""
        raw = self.doc.get(OUTLINES_KEY)
        if raw is None:
            return empty_outlines()
        line = self.doc.line_of(OUTLINES_KEY)
        file = raw.get("file") if isinstance(raw, yamlsafe.Mapping) else None
        if not isinstance(file, str) or not file.strip():
            self.error(
                line,
                "outlines names one GeoJSON file: 'outlines: {file: outlines.geojson}' "
                "(netkoop import geometry writes it)",
                key=OUTLINES_KEY,
            )
            return empty_outlines()
        for key in raw:
            if key != "file":
                self.error(
                    raw.line_of(key), "the outlines file takes no option but 'file'", key=key
                )
        path = self.path.parent / file
        if not self._inside(path, raw, file):
            return empty_outlines()
        self.files.append(path)
        frame, problems = read_outlines_file(
            path,
            display_path(path),
            referenced_at=f"{self.label}, line {raw.line_of('file')}",
            written=file,
        )
        self.problems += problems
        if frame is None:
            self.failed.add(OUTLINES_KEY)
            return empty_outlines()
        return frame

    def _inline(self, rows: Sequence[yamlsafe.Mapping]) -> list[Block]:
        if not rows:
            return []
        block, problems = block_from_rows(rows, [r.line for r in rows], self.label)
        self.problems += problems
        return [block]

    def _file_block(self, section: str, spec: yamlsafe.Mapping) -> Block | None:
        for key in spec:
            if key not in SOURCE_OPTIONS:
                self.error(
                    spec.line_of(key),
                    f"unknown option of a table file; allowed: {', '.join(SOURCE_OPTIONS)}",
                    key=key,
                )
        options: dict[str, str | None] = {}
        for key in ("file", "sheet", "sep", "encoding", "decimal", "thousands"):
            value = spec.get(key)
            if value is not None and not isinstance(value, str):
                self.error(spec.line_of(key), "must be text", key=key, value=value)
                return None
            options[key] = value
        file = options["file"]
        if not file:
            self.error(
                spec.line_of("file"),
                "names the table file (CSV or Excel), relative to the scenario file",
                key="file",
            )
            return None
        sep = options["sep"]
        if sep is not None and len(sep) != 1:
            self.error(
                spec.line_of("sep"),
                "sep is one character, such as ';', ',' or a tab (\"\\t\")",
                key="sep",
                value=sep,
            )
            return None
        reading = self._reading(spec, options["decimal"], options["thousands"])
        if reading is False:
            return None
        if not self._inside(self.path.parent / file, spec, file):
            return None
        columns = self._mapping(spec, "columns")
        constants = self._mapping(spec, "set")
        if columns is None or constants is None:
            return None
        self.files.append(self.path.parent / file)
        block, problems = read_table_file(
            self.path.parent / file,
            display_path(self.path.parent / file),
            referenced_at=f"{self.label}, line {spec.line_of('file')}",
            written=file,
            sheet=options["sheet"],
            sep=options["sep"],
            encoding=options["encoding"],
        )
        self.problems += problems
        if block is None:
            return None
        if reading is not None:
            block = dataclasses.replace(block, reading=reading)
        block = self._select_rows(block, spec)
        if block is None:
            return None
        return self._map_columns(block, spec, columns, constants)

    def _reading(
        self, spec: yamlsafe.Mapping, decimal: str | None, thousands: str | None
    ) -> Reading | Literal[False] | None:
        """The number format that ``decimal:`` and ``thousands:`` state; False after an error."""
        if decimal is None and thousands is None:
            return None
        if decimal is not None and decimal not in DECIMAL_MARKS:
            self.error(
                spec.line_of("decimal"), "decimal is '.' or ','", key="decimal", value=decimal
            )
            return False
        if thousands is not None and thousands not in THOUSANDS_MARKS:
            self.error(
                spec.line_of("thousands"),
                "thousands is '.', ',', ' ', \"'\" or '' (none)",
                key="thousands",
                value=thousands,
            )
            return False
        mark = decimal or ("," if thousands == "." else ".")
        if thousands == mark:
            self.error(
                spec.line_of("thousands"),
                "thousands and decimal must differ",
                key="thousands",
                value=thousands,
            )
            return False
        default = "." if mark == "," else ","
        return Reading(mark, (default if thousands is None else thousands) or None)

    def _inside(self, path: Path, spec: yamlsafe.Mapping, written: str) -> bool:
        """Whether a table file lies in the folder tree of this scenario or one it extends."""
        if self.doc.get("files_outside") is True:
            return True
        try:
            resolved = Path(os.path.realpath(path))
        except OSError:
            return True  # reading it reports what is wrong with the name
        if any(root == resolved or root in resolved.parents for root in self.roots):
            return True
        self.error(
            spec.line_of("file"),
            "the table file lies outside the folder of the scenario (and of the scenarios it "
            "extends), so it is not read; move it beside the scenario file, or set "
            "'files_outside: true' in the scenario",
            key="file",
            value=written,
        )
        return False

    def _select_rows(self, block: Block, spec: yamlsafe.Mapping) -> Block | None:
        """Keep the rows whose columns hold one of the values that ``where`` lists."""
        where = spec.get("where")
        if where is None:
            return block
        line = spec.line_of("where")
        if not isinstance(where, yamlsafe.Mapping) or not where:
            self.error(line, "must be a mapping of file column: value or [values]", key="where")
            return None
        frame = block.frame
        keep = np.ones(len(frame), dtype=bool)
        for column, wanted in where.items():
            if column not in frame.columns:
                self.error(
                    line,
                    f"{block.origin.file} has no such column; "
                    f"its columns: {', '.join(frame.columns)}",
                    key="where",
                    value=column,
                )
                return None
            values = wanted if isinstance(wanted, list) else [wanted]
            if any(isinstance(v, dict | list) for v in values):
                self.error(
                    line,
                    "where takes one value or a list of values per column, not lists or "
                    "mappings inside it",
                    key="where",
                    value=wanted,
                )
                return None
            keep &= cells.is_in(frame[column], [text_of(v) for v in values])
        positions = np.flatnonzero(keep)
        origin = block.origin
        numbers = tuple((positions + origin.first).tolist())
        return dataclasses.replace(
            block,
            frame=frame.iloc[positions].reset_index(drop=True),
            origin=Origin(origin.file, origin.unit, numbers=numbers),
        )

    def _mapping(self, spec: yamlsafe.Mapping, key: str) -> dict[str, str] | None:
        value = spec.get(key)
        if value is None:
            return {}
        if not isinstance(value, yamlsafe.Mapping) or any(
            isinstance(v, dict | list) for v in value.values()
        ):
            what = "netkoop column: file column" if key == "columns" else "column: value"
            self.error(spec.line_of(key), f"must be a mapping of {what}", key=key, value=value)
            return None
        return {k: "" if v is None else str(v) for k, v in value.items()}

    def _map_columns(
        self,
        block: Block,
        spec: yamlsafe.Mapping,
        columns: dict[str, str],
        constants: dict[str, str],
    ) -> Block | None:
        frame = block.frame
        present = list(frame.columns)
        ok = True
        for target, source in columns.items():
            if source not in present:
                self.error(
                    spec.line_of("columns"),
                    f"the column mapping names a column that {block.origin.file} does not have; "
                    f"its columns: {', '.join(present)}",
                    key=target,
                    value=source,
                )
                ok = False
            elif target in present and target not in columns.values():
                self.error(
                    spec.line_of("columns"),
                    f"{block.origin.file} already has a column '{target}'; "
                    "map it to another name first",
                    key=target,
                    value=source,
                )
                ok = False
        mapped = set(columns.values())
        after = {*columns, *(c for c in present if c not in mapped)}
        for name in constants:
            if name in after:
                self.error(
                    spec.line_of("set"),
                    "'set' adds a column the table does not have; this one it has",
                    key=name,
                )
                ok = False
        if not ok:
            return None
        frame = frame.rename(columns={source: target for target, source in columns.items()})
        for name, value in constants.items():
            frame[name] = value
        text = spec.get("text", [])
        if not isinstance(text, list) or not all(isinstance(t, str) for t in text):
            self.error(
                spec.line_of("text"),
                "lists the columns to keep as text, e.g. [plz, ars]",
                key="text",
            )
            return None
        file = block.file and dataclasses.replace(block.file, columns=dict(columns))
        return dataclasses.replace(
            block, frame=frame.astype("str"), text_columns=frozenset(text), file=file
        )
