"""Read commuter flows from BA Pendlerstatistik exports and generic origin–destination tables."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, Problem, not_a_file
from netkoop.importers.imported import Imported
from netkoop.model.blocks import Block
from netkoop.model.metadata import Credit
from netkoop.model.schema import FLOWS, Reporter, coerce_block
from netkoop.scenario.document import display_path
from netkoop.scenario.encoding import decode
from netkoop.scenario.sources import PackedFileError, read_data, read_table_file

#: The attribution the BA terms ask for; the flows are an own calculation from its tables.
BA_CREDIT = Credit(
    name="Statistik der Bundesagentur für Arbeit, Pendlerstatistik",
    credit="© Statistik der Bundesagentur für Arbeit",
    url="https://statistik.arbeitsagentur.de",
    licence="BA terms: use and redistribution with source; own calculations marked as such",
    note="Eigene Berechnungen (aggregation of Ein- and Auspendler tables)",
)

#: BA measure columns (normalised header text) and the netkoop columns they become.
MEASURES = {
    "insgesamt": "commuters",
    "maenner": "maenner",
    "frauen": "frauen",
    "deutsche": "deutsche",
    "auslaender": "auslaender",
    "auszubildende": "azubis",
}

Direction = Literal["aus", "ein"]

#: How messages name the BA columns.
_SHOWN_NAMES = {
    "commuters": "Insgesamt",
    "maenner": "Männer",
    "frauen": "Frauen",
    "deutsche": "Deutsche",
    "auslaender": "Ausländer",
    "azubis": "Auszubildende",
}
#: The header is looked for among this many rows at the top of a file.
_HEADER_SEARCH = 100
_SEPARATORS = (";", "\t", ",")
_CODE_WORDS = ("schluessel", "kennziffer", "ags", "ars", "code", "kreis")
#: BA signs for a value that is not given: "*" anonymised, "x" not sensible, "." unknown.
_MISSING = frozenset({"", "*", "x", "X", ".", "…", "..."})
_COUNT = re.compile(r"\d{1,15}")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_KREIS = r"\d{4,5}"
_OTHER_CODE = r"\d+[xX]+"
_COUNTRY = r"[A-Z]{1,4}"  # A, PL, USA: the international vehicle codes
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_MONTHS = {
    "januar": 1,
    "jaenner": 1,
    "februar": 2,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
#: At most this many bad cells or disagreeing pairs are listed in one message.
_SHOWN = 5


@dataclass
class _Table:
    """The data rows of one BA export, still as text, and what its metadata lines say."""

    label: str
    direction: Direction
    frame: pd.DataFrame  # own, partner, partner_name, measures..., line
    date: str | None
    date_text: str | None


def read_pendler(
    paths: str | Path | Sequence[str | Path],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Read BA "Ein- und Auspendler nach Kreisen" CSV exports into one flows table.

    Each file is an Auspendler table (Wohnort first) or an Einpendler table (Arbeitsort
    first); the header row tells which. Totals ("Auspendler insgesamt"), "Übrige Kreise"
    aggregates (flows under 10 that BA sums up per region) and rows with a residence abroad
    are left out and counted in the notes. A pair listed in both an Aus- and an Einpendler
    table is counted once; the two must agree.

    Parameters
    ----------
    paths
        The CSV files, as exported by statistik.arbeitsagentur.de (";"-separated, UTF-8 with
        BOM or cp1252, metadata lines above the header, a footer below the table; numbers with
        or without "." as thousands separator). A folder stands for the CSV files below it.
    progress
        Called as ``progress(0, files)`` once the files are known, then as ``progress(1,
        files)`` after each file read.

    Returns
    -------
    Imported
        The ``flows`` table: ``from`` (residence Kreis), ``to`` (workplace Kreis), ``commuters``
        (Insgesamt) and the breakdowns ``maenner``, ``frauen``, ``deutsche``, ``auslaender``,
        ``azubis`` (values BA suppresses with "*" are missing); keys are 5-digit strings.
        The reference date is the Stichtag or the last day of the Berichtsmonat.

    Raises
    ------
    DataFileError
        When a file is not such an export, holds a value that is not a count, or when two
        tables give different numbers for the same pair.
    """
    files = _expand(paths)
    tables: list[_Table] = []
    if progress is not None:
        progress(0, len(files))
    for path in files:
        tables.append(_read_table(path, display_path(path)))
        if progress is not None:
            progress(1, len(files))
    labels = [t.label for t in tables]
    frame = pd.concat(
        [t.frame.assign(file=i, ein=t.direction == "ein") for i, t in enumerate(tables)],
        ignore_index=True,
    )
    kinds, notes = _classify(frame, labels)
    rows = frame[kinds == "kreis"]
    own = rows["own"].str.zfill(5)
    partner = rows["partner"].str.zfill(5)
    measures = [m for m in MEASURES.values() if m in rows.columns]
    counts, stars = _counts(rows, measures, labels)
    suppressed = counts["commuters"].isna()
    flows = pd.DataFrame(
        {
            "from": partner.where(rows["ein"], own),
            "to": own.where(rows["ein"], partner),
            **counts,
            "file": rows["file"],
            "line": rows["line"],
            "ein": rows["ein"],
        }
    )[~suppressed.to_numpy()]
    both = _check_agreement(flows, measures, labels)
    grouped = flows.groupby(["from", "to"], sort=False, as_index=False)
    result = (
        grouped[measures]
        .first()
        .astype({"from": "str", "to": "str", **dict.fromkeys(measures, "Int64")})
    )
    first = grouped[["file", "line"]].first()
    origins = tuple(
        f"{labels[file]}, row {line}"
        for file, line in zip(first["file"], first["line"], strict=True)
    )
    if suppressed.any():
        notes.append(f"skipped {int(suppressed.sum()):,} rows whose Insgesamt is suppressed ('*')")
    if stars:
        notes.append(f"{stars:,} suppressed ('*') breakdown values are missing")
    notes.append(f"{both:,} pairs came from both an Einpendler and an Auspendler table (agreeing)")
    return Imported(
        table="flows",
        frame=result.reset_index(drop=True),
        credits=(BA_CREDIT,),
        reference_date=_common_date(tables, notes),
        notes=(f"read {len(result):,} flows from {len(tables)} file(s)", *notes),
        origins=origins,
    )


def read_od(
    path: str | Path,
    *,
    columns: Mapping[str, str],
    sep: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Imported:
    """Read a generic origin–destination table (CSV or Excel) as flows.

    Parameters
    ----------
    path
        The CSV or Excel (.xlsx) file.
    columns
        netkoop column → column in the file. ``from`` (residence), ``to`` (workplace) and
        ``commuters`` are required; further mapped columns become breakdown counts. Columns
        not mapped are dropped.
    sep, encoding
        Override the detected CSV separator and text encoding.
    sheet
        Excel sheet name; the first sheet when omitted.

    Returns
    -------
    Imported
        The ``flows`` table with string ids and Int64 counts.

    Raises
    ------
    DataFileError
        When the file cannot be read, lacks a mapped column or holds values that are not counts.
    """
    source = Path(path)
    label = display_path(source)
    missing = [c for c in FLOWS.required if c not in columns]
    if missing:
        raise DataFileError(
            f"{label}: the column mapping needs {', '.join(missing)} "
            f"(netkoop column → column in the file); given: {', '.join(columns) or 'none'}"
        )
    if not source.is_file():
        raise DataFileError(f"{label}: the file {not_a_file(source)}")
    block, problems = read_table_file(
        source, label, referenced_at=label, sheet=sheet, sep=sep, encoding=encoding
    )
    if block is None or any(p.severity == "error" for p in problems):
        raise DataFileError(_problem_text(label, problems))
    found = block.frame.columns
    absent = [f"{v!r} (for {k})" for k, v in columns.items() if v not in found]
    if absent:
        raise DataFileError(
            f"{label}: no column {', '.join(absent)}; found: {', '.join(map(str, found))}"
        )
    mapped = pd.DataFrame({k: block.frame[v] for k, v in columns.items()}, index=block.frame.index)
    report = Reporter()
    typed = coerce_block(FLOWS, Block(mapped, block.origin, block.german_numbers), report)
    if typed is None or report.problems:
        raise DataFileError(_problem_text(label, report.problems))
    order = [*FLOWS.required, *(c for c in columns if c not in FLOWS.required)]
    frame = typed[order].reset_index(drop=True)
    frame = frame.astype({"from": "str", "to": "str"})
    notes = [f"read {len(frame):,} flows from {label}"]
    dropped = [str(c) for c in found if c not in set(columns.values())]
    if dropped:
        notes.append(f"dropped unmapped column(s): {', '.join(dropped)}")
    return Imported(
        table="flows",
        frame=frame,
        credits=(Credit(name=source.name, note=f"commuter flows read from {source.name}"),),
        notes=tuple(notes),
        origins=tuple(block.origin.where(i) for i in range(len(frame))),
    )


def _problem_text(label: str, problems: Sequence[Problem]) -> str:
    errors = [p for p in problems if p.severity == "error"] or list(problems)
    if len(errors) == 1:
        return str(errors[0])
    return "\n".join([f"{label}: {len(errors)} problems", *(f"  {p}" for p in errors)])


# --- the BA export ---------------------------------------------------------------------------


def _expand(paths: str | Path | Sequence[str | Path]) -> list[Path]:
    """Turn the paths (files or folders of CSV files) into distinct files, in order."""
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    if not given:
        raise DataFileError("read_pendler: no files given")
    files: list[Path] = []
    for item in given:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if _is_csv(p) and p.is_file())
            if not found:
                raise DataFileError(
                    f"{display_path(path)}: the folder holds no .csv or .csv.gz files"
                )
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise DataFileError(f"{display_path(path)}: the file {not_a_file(path)}")
    distinct: dict[Path, Path] = {}
    for path in files:
        distinct.setdefault(path.resolve(), path)
    return list(distinct.values())


def _is_csv(path: Path) -> bool:
    """A CSV export by its name: ``.csv``, or ``.csv.gz`` compressed."""
    return path.name.lower().endswith((".csv", ".csv.gz"))


def _read_table(path: Path, label: str) -> _Table:
    text = _text(path, label)
    separator, header_at = _find_header(text, label)
    rows, lines = _rows(text, separator, label)
    meta = {_normal(r[0]).rstrip(":"): r[1].strip() for r in rows[:header_at] if len(r) >= 2}
    level = meta.get("regionale ebene")
    if level and "kreis" not in _normal(level):
        raise DataFileError(
            f"{label}: the table is at the regional level {level!r}; "
            "read_pendler reads Kreis tables ('Ein- und Auspendler nach Kreisen')"
        )
    header = [_normal(c) for c in rows[header_at]]
    while header and not header[-1]:
        header.pop()
    direction: Direction = "aus" if header.index("wohnort") < header.index("arbeitsort") else "ein"
    own_name, partner_name = (
        ("wohnort", "arbeitsort") if direction == "aus" else ("arbeitsort", "wohnort")
    )
    where = f"{label}, row {lines[header_at]}"
    own_at, partner_at = (_code_column(header, n, where) for n in (own_name, partner_name))
    wanted = {"own": own_at, "partner": partner_at, "partner_name": header.index(partner_name)}
    wanted |= {MEASURES[h]: i for i, h in enumerate(header) if h in MEASURES}
    data, data_lines = _data_rows(rows, lines, header_at, len(header), label)
    cells = list(zip(*data, strict=True)) if data else [()] * len(header)
    frame = pd.DataFrame(
        {name: pd.Series(cells[i], dtype="str") for name, i in wanted.items()}
        | {"line": pd.Series(data_lines, dtype="int64")}
    )
    date_text = meta.get("stichtag") or meta.get("berichtsmonat") or meta.get("berichtszeitraum")
    date = _parse_date(date_text) if date_text else None
    return _Table(label, direction, frame, date, date_text)


def _rows(text: str, separator: str, label: str) -> tuple[list[list[str]], list[int]]:
    """Parse the CSV text; return the rows and the line each starts on."""
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise DataFileError(
            f"{label}, row {reader.line_num}: not a readable CSV row ({exc})"
        ) from exc
    if len(rows) == text.count("\n") + (not text.endswith("\n")):
        return rows, list(range(1, len(rows) + 1))
    ends = []  # a quoted field spans lines
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    for _ in reader:
        ends.append(reader.line_num)
    return rows, [1, *(end + 1 for end in ends[:-1])]


def _text(path: Path, label: str) -> str:
    """Decode an export: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    try:
        data = read_data(path)
    except OSError as exc:
        raise DataFileError(f"{label}: cannot be read ({exc.strerror})") from exc
    except PackedFileError as exc:
        raise DataFileError(f"{label}: {exc}") from None
    if not data.strip():
        raise DataFileError(f"{label}: the file is empty; expected a BA Pendlerstatistik export")
    if (
        b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    ) or data.startswith(b"PK\x03\x04"):
        raise DataFileError(
            f"{label}: the file is binary, not a CSV text file; read_pendler reads the CSV "
            "export of the BA Pendlerstatistik (an Excel table can be read with read_od)"
        )
    text, reason = decode(data)
    if text is None:
        raise DataFileError(f"{label}: the file {reason}")
    return text


def _normal(cell: str) -> str:
    """Header or metadata text, lower case with umlauts spelt out."""
    return cell.strip().strip("\ufeff").casefold().translate(_UMLAUTS)


def _is_header(row: list[str]) -> bool:
    names = {_normal(c) for c in row}
    return {"wohnort", "arbeitsort", "insgesamt"} <= names


def _find_header(text: str, label: str) -> tuple[str, int]:
    """Return the separator and the index of the header row among the rows."""
    for separator in _SEPARATORS:
        reader = csv.reader(io.StringIO(text), delimiter=separator)
        try:
            for index, row in enumerate(itertools.islice(reader, _HEADER_SEARCH)):
                if _is_header(row):
                    return separator, index
        except csv.Error:
            continue
    raise DataFileError(
        f"{label}: not a BA Pendlerstatistik export ('Ein- und Auspendler nach Kreisen'): "
        f"no header row with the columns Wohnort, Arbeitsort and Insgesamt in the first "
        f"{_HEADER_SEARCH} rows; for other origin–destination tables use read_od"
    )


def _code_column(header: list[str], name: str, where: str) -> int:
    """The Regionalschlüssel column that follows the Wohnort or Arbeitsort column."""
    at = header.index(name) + 1
    if at < len(header) and any(word in header[at] for word in _CODE_WORDS):
        return at
    raise DataFileError(
        f"{where}: the column after {name.capitalize()} should be its Regionalschlüssel; "
        f"found {header[at] if at < len(header) else 'nothing'!r}"
    )


def _data_rows(
    rows: list[list[str]], lines: list[int], header_at: int, width: int, label: str
) -> tuple[list[list[str]], list[int]]:
    """The rows below the header up to the footer; blank rows are skipped."""
    data: list[list[str]] = []
    data_lines: list[int] = []
    end: int | None = None
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        if len(row) > width and not any(c.strip() for c in row[width:]):
            row = row[:width]
        if len(row) == width and end is None:
            data.append(row)
            data_lines.append(lines[index])
        elif not any(c.strip() for c in row):
            continue
        elif end is None:
            end = index
        elif len(row) == width:
            raise DataFileError(
                f"{label}, row {lines[end]}: {len(rows[end])} field(s) where the table has "
                f"{width}, yet table rows follow (row {lines[index]}); is the row broken?"
            )
    return data, data_lines


def _classify(frame: pd.DataFrame, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    """Name each row's kind (kreis, total, other, abroad) and note how many were skipped."""
    own, partner = frame["own"].str.strip(), frame["partner"].str.strip()
    name = frame["partner_name"].str.strip().str.casefold()
    total = (partner == "0") | name.str.endswith("insgesamt")
    other = ~total & (partner.str.fullmatch(_OTHER_CODE) | name.str.startswith("übrige"))
    abroad = ~total & ~other & partner.str.fullmatch(_COUNTRY)
    kreis = ~total & ~other & ~abroad & partner.str.fullmatch(_KREIS)
    bad_own = ~own.str.fullmatch(_KREIS)
    _raise_cells(
        frame, bad_own, own, labels, column="first Regionalschlüssel", expected="a Kreis key"
    )
    _raise_cells(
        frame,
        ~(total | other | abroad | kreis),
        partner,
        labels,
        column="second Regionalschlüssel",
        expected="a Kreis key, a country code, 0 (a total) or an 'Übrige' aggregate like 091xx",
    )
    kinds = np.select(
        [kreis.to_numpy(), total.to_numpy(), other.to_numpy()],
        ["kreis", "total", "other"],
        "abroad",
    )
    frame["own"], frame["partner"] = own, partner
    notes = [
        f"skipped {int(total.sum()):,} totals rows ('Aus-/Einpendler insgesamt')",
        f"skipped {int(other.sum()):,} 'Übrige Kreise' rows (flows under 10 that BA sums up "
        "per region)",
        f"skipped {int(abroad.sum()):,} rows with residence or workplace abroad",
    ]
    return kinds, notes


def _counts(
    rows: pd.DataFrame, measures: list[str], labels: list[str]
) -> tuple[dict[str, pd.Series], int]:
    """Parse the count columns; return them and how many breakdown cells were suppressed."""
    out: dict[str, pd.Series] = {}
    stars = 0
    for measure in measures:
        text = rows[measure].fillna("").str.strip()
        missing = text.isin(_MISSING)
        thousands = text.str.fullmatch(_THOUSANDS.pattern)
        text = text.mask(thousands, text.str.replace(".", "", regex=False))
        zero = text == "-"  # BA: "nichts vorhanden"
        plain = text.str.fullmatch(_COUNT.pattern)
        bad = ~(missing | zero | plain)
        _raise_cells(
            rows, bad, rows[measure], labels, column=_SHOWN_NAMES[measure], expected="a count"
        )
        numbers = text.where(plain).astype("Int64")
        out[measure] = numbers.mask(zero, 0)
        if measure != "commuters":
            stars += int((missing & (text != "") & out["commuters"].notna()).sum())
    return out, stars


def _raise_cells(
    frame: pd.DataFrame,
    bad: pd.Series,
    values: pd.Series,
    labels: list[str],
    *,
    column: str,
    expected: str,
) -> None:
    """Raise one `DataFileError` listing the first rows where ``bad`` is true."""
    positions = np.flatnonzero(bad.to_numpy(dtype=bool))
    if not len(positions):
        return
    files, lines, cells = (frame["file"].to_numpy(), frame["line"].to_numpy(), values.to_numpy())
    shown = [
        f"  {labels[int(files[i])]}, row {int(lines[i])}: {cells[i]!r}" for i in positions[:_SHOWN]
    ]
    more = [f"  and {len(positions) - _SHOWN:,} more"] if len(positions) > _SHOWN else []
    head = f"{len(positions):,} value(s) in the column {column!r} are not {expected}:"
    raise DataFileError("\n".join([head, *shown, *more]))


def _check_agreement(flows: pd.DataFrame, measures: list[str], labels: list[str]) -> int:
    """Raise when two rows give one pair different numbers; return the pairs seen both ways."""
    repeated = flows[flows.duplicated(["from", "to"], keep=False)]
    if repeated.empty:
        return 0
    groups = repeated.groupby(["from", "to"], sort=False)
    for measure in measures:
        first = groups[measure].transform("first")
        values = repeated[measure]
        differs = (values.notna() & first.notna() & (values != first)).to_numpy(dtype=bool)
        if differs.any():
            raise DataFileError(_disagreement(repeated, measure, differs, labels))
    return int((groups["ein"].nunique() == 2).sum())


def _disagreement(
    repeated: pd.DataFrame, measure: str, differs: np.ndarray, labels: list[str]
) -> str:
    pairs = repeated.loc[differs, ["from", "to"]].drop_duplicates()
    lines = []
    for source, target in pairs.head(_SHOWN).itertuples(index=False):
        rows = repeated[
            (repeated["from"] == source) & (repeated["to"] == target) & repeated[measure].notna()
        ]
        said = "; ".join(
            f"{labels[r.file]}, row {r.line} ({'Einpendler' if r.ein else 'Auspendler'}): "
            f"{getattr(r, measure)}"
            for r in rows.itertuples(index=False)
        )
        lines.append(f"  {source} -> {target}: {said}")
    if len(pairs) > _SHOWN:
        lines.append(f"  and {len(pairs) - _SHOWN:,} more pairs")
    column = _SHOWN_NAMES[measure]
    head = (
        f"the Pendler tables disagree on {len(pairs):,} pair(s) (residence -> workplace), "
        f"field {column!r} ({measure}):"
    )
    return "\n".join([head, *lines])


def _common_date(tables: list[_Table], notes: list[str]) -> str | None:
    """The one reference date of all tables; raise when they describe different dates."""
    dated = [t for t in tables if t.date]
    for table in tables:
        if table.date_text and not table.date:
            notes.append(f"{table.label}: reference date {table.date_text!r} not understood")
    if not dated:
        return None
    odd = next((t for t in dated if t.date != dated[0].date), None)
    if odd is not None:
        raise DataFileError(
            f"the Pendler tables describe different dates: {dated[0].label} {dated[0].date} "
            f"({dated[0].date_text}), {odd.label} {odd.date} ({odd.date_text}); "
            "read the tables of one Stichtag together"
        )
    return dated[0].date


def _parse_date(text: str) -> str | None:
    """ISO date of a BA Stichtag or Berichtsmonat ("Juni 2023" is 2023-06-30)."""
    value = text.strip().casefold().translate(_UMLAUTS)
    day: int | None = None
    if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value):
        day, month, year = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(?:(\d{1,2})\.?\s*)?([a-z]+)\.?\s+(\d{4})", value):
        if match.group(2) not in _MONTHS:
            return None
        day = int(match.group(1)) if match.group(1) else None
        month, year = _MONTHS[match.group(2)], int(match.group(3))
    elif match := re.fullmatch(r"(\d{1,2})[./](\d{4})", value):
        month, year = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(match.group(1)), int(match.group(2))
    else:
        return None
    try:
        if day is None:
            day = calendar.monthrange(year, month)[1]
        return dt.date(year, month, day).isoformat()
    except (ValueError, calendar.IllegalMonthError):
        return None
