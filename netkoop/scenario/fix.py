"""A corrected copy of a scenario: the accidents of spreadsheets undone, each change listed.

`netkoop validate --fix OUT` reads a scenario as `validate` does and writes a copy of its folder
into ``OUT`` with these corrections in its table files, never touching the input:

- ids of units that lost their leading zero are padded, and keys written as floats (``1001.0``)
  are cut back to their digits;
- a reference (a parent, an end of a tie, flow or border) that names a unit once its zero is
  restored, its ``.0`` stripped, or that is the unique name of a unit becomes that unit's key;
- kinds and values written in German or in a variant (``Erfahrungsaustausch``, ``regelmäßig``)
  become netkoop's words;
- text is normalised to Unicode NFC.

Every change is listed by file, row and field. A corrected CSV file is written as UTF-8 with
its separator, each cell as netkoop read it; a workbook keeps its sheets and formatting, and a
corrected key is stored as text. Rows written in the scenario file itself, and columns that
``set:`` adds, are not edited: what they would need is listed instead.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.model import keys
from netkoop.model.blocks import Block, TableFile
from netkoop.model.references import CERTAIN, UnitIndex, corrections
from netkoop.model.vocabulary import (
    TIE_VALUES,
    UNIT_VALUES,
    normalize_tie_kind,
    normalize_unit_kind,
    normalize_value,
)
from netkoop.output.files import Content, write_folder
from netkoop.output.values import escape_formulas
from netkoop.scenario.bundled import bundled_dir, scenario_path
from netkoop.scenario.document import display_path, read_document
from netkoop.scenario.sources import EXCEL_SUFFIXES, read_table_file

_WHY = {
    "zero": "the key lost its leading zero",
    "float": "a key stored as a number",
    "name": "the name of a unit, not its key",
}


class FixError(NetkoopError):
    """The scenario cannot be copied with corrections; the message says why."""


@dataclass(frozen=True)
class Change:
    """One corrected cell: file and row as messages name them, the file's column, why."""

    file: str
    row: int
    field: str
    before: str
    after: str
    why: str
    path: Path = dataclasses.field(default=Path(), compare=False, repr=False)  # resolved

    def __str__(self) -> str:
        return (
            f"{self.file}, row {self.row}, field '{self.field}': "
            f"{self.before!r} → {self.after!r} ({self.why})"
        )


@dataclass(frozen=True)
class Fixed:
    """What `fix` wrote: the corrected scenario file, its changes, what it could not change."""

    scenario: Path
    changes: tuple[Change, ...]
    left: tuple[str, ...]
    notes: tuple[str, ...]


def fix(spec: str | Path, out: str | Path) -> Fixed:
    """Write a corrected copy of the scenario ``spec`` into the new or empty folder ``out``.

    Raises
    ------
    FixError
        When a file the scenario reads lies outside its folder: the copy could not find it
        at the same place relative to itself.
    OutputError
        When ``out`` is not a new or empty folder, or holds an input.
    """
    scenario = scenario_path(spec)
    document = read_document(scenario)
    root = scenario.parent.resolve()
    inputs = [Path(p) for p in document.metadata.inputs if Path(p).exists()]
    outside = [p for p in inputs if not _below(p, root) and not _bundled(p)]
    if outside:
        raise FixError(
            f"{display_path(outside[0])} lies outside the folder of {display_path(scenario)}; "
            "--fix copies that folder, so move the file into it (or fix that scenario itself)"
        )
    plan = _Plan()
    plan.decide(document.blocks)
    for path in [p for p in plan.cells if not _below(p, root)]:
        # A bundled scenario that this one extends is found by name, not copied.
        plan.left += [f"{change} lies in a bundled scenario" for change in plan.take(path)]
    edited = {path: _edited(path, file, cells) for path, (file, cells) in plan.cells.items()}
    files: dict[str, Content] = {}
    for path in dict.fromkeys(p.resolve() for p in inputs if _below(p, root)):
        files[path.relative_to(root).as_posix()] = edited.get(path, _copy(path))
    write_folder(out, files, kind=None, protect=inputs)
    notes = tuple(
        f"{display_path(path)}: written as UTF-8 (it was {file.encoding})"
        for path, (file, _) in plan.cells.items()
        if file.encoding not in {None, "utf-8", "utf-8-sig"}
    )
    target = Path(out) / scenario.resolve().relative_to(root)
    changes = sorted(plan.changes, key=lambda c: (c.file, c.row))  # stable: columns in order
    return Fixed(target, tuple(changes), tuple(plan.left), notes)


def _below(path: Path, root: Path) -> bool:
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def _bundled(path: Path) -> bool:
    """Bundled scenarios are found by name, not copied: the copy finds them by name too."""
    return bundled_dir().resolve() in path.resolve().parents


def _copy(path: Path) -> Callable[[Path], None]:
    """Write a file the copy keeps as it is, byte for byte."""

    def copy(target: Path) -> None:
        shutil.copyfile(path, target)

    return copy


# --- what to change -------------------------------------------------------------------------


@dataclass
class _Plan:
    """The corrections decided so far: for the listing, and per file the cells to write."""

    changes: list[Change] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    cells: dict[Path, tuple[TableFile, dict[tuple[int, str], str]]] = field(default_factory=dict)

    def take(self, path: Path) -> list[Change]:
        """Remove and return the changes of one file."""
        del self.cells[path]
        taken = [c for c in self.changes if c.path == path]
        self.changes = [c for c in self.changes if c.path != path]
        return taken

    def decide(self, blocks: Mapping[str, Sequence[Block]]) -> None:
        """Correct the units first, then what refers to them, then words and NFC."""
        places = [*blocks.get("units", []), *blocks.get("forums", [])]
        ids: list[str] = []
        names: list[str | None] = []
        for block in places:
            corrected = self._unit_ids(block)
            for position, value in enumerate(_column(block, "id")):
                if value is not None:
                    ids.append(corrected.get(position, _nfc(value)))
                    names.append(_nfc(v) if (v := _column(block, "name")[position]) else None)
        index = UnitIndex(pd.DataFrame({"id": ids, "name": names}, dtype="str"))
        known = set(ids)
        for block in places:
            self._references(block, ("parent",), known, index)
            self._words(block, "kind", normalize_unit_kind)
            for column in UNIT_VALUES:
                self._words(block, column, functools.partial(normalize_value, column))
        for section in ("ties", "flows", "borders"):
            for block in blocks.get(section, []):
                self._references(block, ("from", "to"), known, index)
                if section == "ties":
                    self._words(block, "kind", normalize_tie_kind)
                    for column in TIE_VALUES:
                        self._words(block, column, functools.partial(normalize_value, column))
        for section_blocks in blocks.values():
            for block in section_blocks:
                self._nfc(block)

    def _unit_ids(self, block: Block) -> dict[int, str]:
        """Pad ids that lost their leading zero, cut floats back; return the corrected ids."""
        corrected: dict[int, str] = {}
        kinds = _column(block, "kind")
        for position, value in enumerate(_column(block, "id")):
            if value is None:
                continue
            kind = normalize_unit_kind(kinds[position] or "")
            key, why = _nfc(value), ""
            repaired = keys.repair(key, kind)
            if repaired is not None:
                key, why = repaired[0], _WHY[repaired[1]]
            if key != _nfc(value):
                corrected[position] = key
                self._change(block, position, "id", before=value, after=key, why=why)
        return corrected

    def _references(
        self, block: Block, columns: Iterable[str], known: set[str], index: UnitIndex
    ) -> None:
        """Name the unit meant where one certain reading finds it (zero, float, name)."""
        for column in columns:
            values = _column(block, column)
            unknown = [(i, v) for i, v in enumerate(values) if v and _nfc(v) not in known]
            found = corrections([_nfc(v) for _, v in unknown], index)
            for position, value in unknown:
                reading = found.get(_nfc(value))
                if reading is not None and reading.cause in CERTAIN:
                    self._change(
                        block,
                        position,
                        column,
                        before=value,
                        after=reading.key,
                        why=_WHY[reading.cause],
                    )

    def _words(self, block: Block, column: str, normalize: Callable[[str], str | None]) -> None:
        """Write netkoop's word where a German word or a variant stands."""
        for position, value in enumerate(_column(block, column)):
            if not value:
                continue
            word = normalize(value)
            if word is not None and word != value:
                why = f"netkoop's word for {value!r}"
                self._change(block, position, column, before=value, after=word, why=why)

    def _nfc(self, block: Block) -> None:
        if block.nfc:
            return
        for column in block.frame.columns:
            for position, value in enumerate(_column(block, str(column))):
                if value and not unicodedata.is_normalized("NFC", value):
                    self._change(
                        block, position, str(column), before=value, after=_nfc(value), why="NFC"
                    )

    def _change(
        self, block: Block, position: int, column: str, *, before: str, after: str, why: str
    ) -> None:
        """Keep a change for its file, or list it when no file of the scenario holds the cell."""
        where = f"{block.origin.where(position)}, field '{column}'"
        own = block.file.column(column) if block.file is not None else None
        if block.file is None or own is None:
            place = "rows written in the scenario file" if block.file is None else "'set:'"
            self.left.append(f"{where}: write {after!r} for {before!r} ({why}); {place} not edited")
            return
        row = block.origin.number(position)
        _, cells = self.cells.setdefault(block.file.path.resolve(), (block.file, {}))
        if (row, own) in cells:
            # Read twice (two blocks of one file), or corrected already, in NFC like all
            # corrections: the first change stands.
            return
        cells[(row, own)] = after
        path = block.file.path.resolve()
        self.changes.append(Change(block.origin.file, row, own, before, after, why, path))


def _column(block: Block, name: str) -> list[str | None]:
    """A column of the block as text, None where empty; all None where the block has none."""
    if name not in block.frame:
        return [None] * len(block.frame)
    return [None if pd.isna(v) else str(v) for v in block.frame[name]]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- writing the corrected files ------------------------------------------------------------


def _edited(path: Path, file: TableFile, cells: Mapping[tuple[int, str], str]) -> Content:
    """The corrected content of one table file."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _edited_workbook(path, file, cells)
    label = display_path(path)
    block, problems = read_table_file(
        path, label, referenced_at=label, sep=file.separator, encoding=file.encoding
    )
    if block is None:  # it was read a moment ago; a file changed meanwhile is not guessed at
        raise FixError(f"{label} could not be read again: {problems[0].message}")
    frame = block.frame.copy()
    rows = {block.origin.number(p): p for p in range(len(frame))}
    for (row, column), value in cells.items():
        frame.loc[frame.index[rows[row]], column] = value
    frame = escape_formulas(frame)  # what a spreadsheet would run stays text, as read
    text = io.StringIO()
    writer = csv.writer(text, delimiter=file.separator or ",", lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.astype(object).where(frame.notna(), "").itertuples(index=False))
    bom = "\ufeff" if file.encoding not in {None, "utf-8"} else ""  # Excel reads it as UTF-8
    return (bom + text.getvalue()).encode("utf-8")


def _edited_workbook(path: Path, file: TableFile, cells: Mapping[tuple[int, str], str]) -> bytes:
    """The workbook with the corrected cells written as text; all else stays as it was."""
    import openpyxl  # noqa: PLC0415 - only workbooks need it

    book = openpyxl.load_workbook(path)
    sheet = book[file.sheet] if file.sheet else book.worksheets[0]
    header = [None if c.value is None else str(c.value).strip() for c in sheet[1]]
    for (row, column), value in cells.items():
        if column not in header:  # the workbook changed since it was read
            raise FixError(f"{display_path(path)}: the first row has no column {column!r}")
        cell = sheet.cell(row=row, column=header.index(column) + 1)
        cell.value = value
        cell.number_format = "@"  # text: a key keeps its leading zero
        cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
