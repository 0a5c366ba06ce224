"""The GV-ISys workbook as Destatis publishes it: columns found by meaning, records, dates.

The "Auszug GV" has changed its layout over the years: headings ("Bevölkerung" or
"Einwohner", footnote marks, words split over lines, cells merged over several columns),
the rows of its header, repeated records, and the dates of the territory and of the
population, which quarterly files state apart. This module finds each column by what its
heading says and reads the records and both dates; `netkoop.importers.gvisys` builds the
units from them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, not_a_file
from netkoop.model.schema import to_numbers

#: The data sheet of the product is called like "Onlineprodukt_Gemeinden31122023".
SHEET_PATTERN = re.compile(r"onlineprodukt[ _-]*gemeinden", re.IGNORECASE)

#: Satzart (record type) of each level of the hierarchy.
SATZARTEN: dict[str, str] = {
    "10": "Land",
    "20": "Regierungsbezirk",
    "30": "Region",
    "40": "Kreis",
    "50": "Gemeindeverband",
    "60": "Gemeinde",
}


_HEADER_ROWS = 100  # the header is looked for in the first rows of a sheet
_KEY_PARTS = (("land", 2), ("rb", 1), ("kreis", 2), ("vb", 4), ("gem", 3))
# Which key parts each Satzart fills, with their widths (a Region's Kreis part has 1 digit).
_PARTS_BY_SATZART: dict[str, tuple[tuple[str, int], ...]] = {
    "10": _KEY_PARTS[:1],
    "20": _KEY_PARTS[:2],
    "30": (*_KEY_PARTS[:2], ("kreis", 1)),
    "40": _KEY_PARTS[:3],
    "50": _KEY_PARTS[:4],
    "60": _KEY_PARTS,
}
_PART_LABELS = {"land": "Land", "rb": "RB", "kreis": "Kreis", "vb": "VB", "gem": "Gem"}
# Destatis symbols in number cells: "-" nothing (zero), the others unknown or not applicable.
_ZERO_SYMBOLS = frozenset({"-", "–"})
_MISSING_SYMBOLS = frozenset({".", "x", "X", "/", "…", "..."})
# Footnote marks in headings: "Bevölkerung2)", "Fläche km2 1)", "Einwohner¹⁾", "Fläche*".
_FOOTNOTE = re.compile(r"\d\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+[⁾)]?|\*")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# Cells that name a date (in lower case): the territory's, the population's.
_TERRITORY_LABEL = re.compile(r"gebietsstand")
_POPULATION_LABEL = re.compile(r"(bevölkerung|einwohner)\w*stand|(bevölkerung|einwohner)\w* am\b")
_FILE_DATE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")
_PUBLISHED = re.compile(r"\(Destatis\),?\s*(\d{4})")


@dataclass(frozen=True)
class _Heading:
    """The heading of one column: its group (top header row, spread over merged and empty
    cells to its right) and what the rows below it say, both normalised by `_norm`.

    ``compact`` forms drop the spaces as well, so that a word broken over lines ("Postleit-
    zahl", "Satz art") reads as one.
    """

    group: str
    sub: str

    @property
    def compact(self) -> str:
        return self.group.replace(" ", "")

    @property
    def compact_all(self) -> str:
        return (self.group + self.sub).replace(" ", "")

    @property
    def sub_words(self) -> set[str]:
        return set(_WORD.findall(self.sub))


@dataclass(frozen=True)
class _Field:
    """A column of the product: what its heading means, and whether a file must have it."""

    label: str
    matches: Callable[[_Heading], bool]
    required: bool = True


_WORD = re.compile(r"[a-zäöüß0-9]+")
#: Words of the group heading of the key columns, across vintages ("Amtlicher
#: Regionalschlüssel (ARS)", "Regionalschlüssel (RS)", "Gemeindeschlüssel").
_KEY_GROUPS = ("regionalschlüssel", "regionalschluessel", "gemeindeschlüssel", "schlüssel")
_POPULATION_WORDS = ("bevölkerung", "bevoelkerung", "einwohner")
#: Columns of the population group that are not the total.
_NOT_TOTAL = ("männlich", "maennlich", "weiblich", "dichte", "jekm", "prokm", "/km")


def _contains(text: str, words: Sequence[str]) -> bool:
    return any(word in text for word in words)


def _key_part(*names: str) -> Callable[[_Heading], bool]:
    """A part of the key: below a key group ("Land" under "Regionalschlüssel"), or a heading
    of its own in a header of one row."""

    def matches(heading: _Heading) -> bool:
        if _contains(heading.compact, _KEY_GROUPS) or {"ars", "rs", "ags"} & set(
            _WORD.findall(heading.group)
        ):
            return bool(heading.sub_words & set(names))
        return not heading.sub and heading.group in names

    return matches


def _name(heading: _Heading) -> bool:
    return "gemeindename" in heading.compact or heading.group.split()[:1] in (
        ["name"],
        ["gemeinde"],
    )


def _area(heading: _Heading) -> bool:
    return _contains(heading.compact, ("fläche", "flaeche")) and "dichte" not in heading.compact


def _population(heading: _Heading) -> bool:
    """The total population: "Bevölkerung" or "Einwohner" (2009 and before), with or without
    "insgesamt" below; not the columns by sex and not the density."""
    return _contains(heading.compact, _POPULATION_WORDS) and not _contains(
        heading.compact_all, _NOT_TOTAL
    )


def _coordinate(words: tuple[str, ...], short: tuple[str, ...]) -> Callable[[_Heading], bool]:
    """Längengrad or Breitengrad: named outright, or "Länge"/"Breite" below a group of
    coordinates."""

    def matches(heading: _Heading) -> bool:
        if _contains(heading.compact_all, words):
            return True
        grouped = _contains(heading.compact, ("koordinat", "mittelpunkt"))
        return grouped and bool(heading.sub_words & set(short))

    return matches


def _urbanisation(heading: _Heading) -> bool:
    """The degree of urbanisation by name: "Grad der Verstädterung", in 2013 "EU-Stadt-/
    Landgliederung"; its "Bezeichnung" column where it has a key column beside it."""
    named = _contains(heading.compact, ("verstädterung", "verstaedterung", "landgliederung"))
    return named and ("bezeichnung" in heading.sub_words or not heading.sub)


_FIELDS: dict[str, _Field] = {
    "satzart": _Field("Satzart", lambda h: h.compact == "satzart"),
    "tk": _Field("Textkennzeichen", lambda h: "kennzeichen" in h.compact),
    "land": _Field("ARS Land", _key_part("land")),
    "rb": _Field("ARS RB", _key_part("rb", "regbez", "regierungsbezirk")),
    "kreis": _Field("ARS Kreis", _key_part("kreis")),
    "vb": _Field("ARS VB", _key_part("vb", "gemeindeverband")),
    "gem": _Field("ARS Gem", _key_part("gem")),
    "name": _Field("Gemeindename", _name),
    "area": _Field("Fläche km2", _area),
    "population": _Field("Bevölkerung insgesamt", _population),
    "lon": _Field(
        "Längengrad",
        _coordinate(("längengrad", "laengengrad", "longitude"), ("länge", "laenge", "lon")),
    ),
    "lat": _Field(
        "Breitengrad",
        _coordinate(("breitengrad", "latitude"), ("breite", "lat")),
    ),
    "plz": _Field(
        "Postleitzahl",
        lambda h: "postleitzahl" in h.compact or "plz" in _WORD.findall(h.group),
        required=False,
    ),
    "verstaedterung": _Field("Grad der Verstädterung, Bezeichnung", _urbanisation, required=False),
}


@dataclass(frozen=True)
class _Layout:
    """Where the records of a sheet are: the header row, the data rows, each field's column,
    and each column's heading as printed (for messages, and the date below a heading)."""

    header: int
    first: int
    last: int
    columns: dict[str, int]
    headings: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """The data sheet of the file, as cells, with its layout."""

    name: str
    cells: pd.DataFrame
    layout: _Layout


# --- reading the sheet ------------------------------------------------------------------


def read_sheet(source: Path, label: str) -> Sheet:
    """Open the workbook and find the sheet of GV records: by its name first, else by content."""
    expected = (
        "expected the Destatis GV-ISys extract 'Auszug GV' (e.g. 31122023_Auszug_GV.xlsx, "
        "sheet 'Onlineprodukt_Gemeinden31122023')"
    )
    if not source.is_file():
        raise DataFileError(f"{label}: the file {not_a_file(source)}; {expected}")
    try:
        book = pd.ExcelFile(source, engine="calamine")
    except OSError as exc:
        raise DataFileError(
            f"{label}: cannot be read ({exc.strerror or exc}); {expected}"
        ) from None
    except Exception as exc:  # calamine and pandas raise many types for files that are no workbook
        raise DataFileError(
            f"{label}: not an Excel workbook ({_reason(exc)}); {expected}"
        ) from None
    with book:
        names = [str(n) for n in book.sheet_names]
        ordered = sorted(names, key=lambda n: SHEET_PATTERN.search(n) is None)
        for name in ordered:
            try:
                cells = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
            except Exception as exc:  # a damaged sheet inside a readable workbook
                raise DataFileError(
                    f"{label}, sheet '{name}': cannot be read ({_reason(exc)}); {expected}"
                ) from None
            layout = _find_layout(cells, _merges(book, name), f"{label}, sheet '{name}'")
            if layout is not None:
                return Sheet(name, cells, layout)
            if SHEET_PATTERN.search(name):
                raise DataFileError(
                    f"{label}, sheet '{name}': no header cell 'Satzart' followed by records "
                    f"with Satzart 10-60 in the first {_HEADER_ROWS} rows; {expected}"
                )
    shown = ", ".join(f"'{n}'" for n in names) or "none"
    raise DataFileError(
        f"{label}: not a GV-ISys 'Auszug GV' file: no sheet (sheets: {shown}) has a column "
        f"'Satzart' with records 10 (Land) to 60 (Gemeinde); {expected}"
    )


def _merges(book: pd.ExcelFile, name: str) -> tuple[tuple[int, int, int], ...]:
    """The merged cells of a sheet as (row, first column, last column), 0-based.

    A merged heading holds its text in its first cell only: Destatis merges a group heading
    over its columns ("Bevölkerung" over insgesamt, männlich, weiblich) and, in some vintages,
    one date over the area and population columns. Where the reader cannot tell, there are
    none, and the headings are read as they stand.
    """
    try:
        ranges = book.book.get_sheet_by_name(name).merged_cell_ranges
    except Exception:  # calamine raises its own types; without merges the headings still read
        return ()
    return tuple((int(r0), int(c0), int(c1)) for (r0, c0), (_, c1) in ranges or ())


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _norm(value: object) -> str:
    """Normalise a header cell: NFC, lower case, no hyphens or footnote marks, single spaces.

    Destatis breaks headings with hyphens ("Satz-art", "Post-leit-zahl3)") and marks footnotes
    with "1)", "²" or "*", differently from vintage to vintage.
    """
    text = unicodedata.normalize("NFC", _cell_text(value) or "")
    text = text.replace("\u00ad", "").replace("-", "").lower()
    text = _FOOTNOTE.sub(" ", text)
    return " ".join(text.split())


def _printed(value: object) -> str:
    """A header cell as people read it, on one line (for messages)."""
    text = (_cell_text(value) or "").replace("\u00ad", "")
    return " ".join(re.sub(r"-\s*\n\s*", "", text).split())


def _cell_text(value: object) -> str | None:
    """One cell as text: whole numbers without ".0", empty cells as None."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = str(value).strip()
    return text or None


def _find_layout(
    cells: pd.DataFrame, merges: Sequence[tuple[int, int, int]], where: str
) -> _Layout | None:
    """Find the 'Satzart' header, the first record below it and the column of every field.

    Returns None when the sheet has no such header followed by records.
    """
    head = cells.iloc[:_HEADER_ROWS]
    hits = [
        (row, col)
        for col in range(head.shape[1])
        for row, value in enumerate(head.iloc[:, col])
        if isinstance(value, str) and _norm(value).replace(" ", "") == "satzart"
    ]
    for row, col in sorted(hits):
        codes = cells.iloc[row + 1 :, col].map(_cell_text)
        is_record = codes.isin(list(SATZARTEN)).to_numpy()
        if not is_record.any():
            continue
        positions = np.flatnonzero(is_record) + row + 1
        first, last = int(positions[0]), int(positions[-1])
        header = _header_rows(cells, row, first, merges)
        columns, headings = _columns(header, where, row)
        return _Layout(row, first, last, columns, headings)
    return None


def _header_rows(
    cells: pd.DataFrame, header: int, first: int, merges: Sequence[tuple[int, int, int]]
) -> list[list[object]]:
    """The rows from the 'Satzart' header to the first record, each merged cell's text spread
    over the columns it spans (in its own row: a heading merged downwards stays on top)."""
    rows = [list(cells.iloc[r]) for r in range(header, first)]
    width = cells.shape[1]
    for row, left, right in merges:
        if header <= row < first:
            line = rows[row - header]
            for col in range(left + 1, min(right, width - 1) + 1):
                line[col] = line[left]
    return rows


def _columns(
    header: list[list[object]], where: str, row: int
) -> tuple[dict[str, int], tuple[str, ...]]:
    """Map each field to its column by what the headings say, and return the headings.

    A group heading in the top row covers the columns to its right that have sub-headings
    below (as when it is merged over them).
    """
    top = [_norm(v) for v in header[0]]
    below_rows = [[_norm(v) for v in line] for line in header[1:]]
    headings: list[_Heading] = []
    printed: list[str] = []
    current, current_printed = "", ""
    for col, text in enumerate(top):
        below = " ".join(r[col] for r in below_rows if r[col])
        if text:
            current, current_printed = text, _printed(header[0][col])
        elif not below:
            current, current_printed = "", ""
        headings.append(_Heading(text or current, below))
        subs = [_printed(line[col]) for line in header[1:]]
        printed.append(" ".join(p for p in (current_printed, *subs) if p))
    columns: dict[str, int] = {}
    for field, spec in _FIELDS.items():
        for col, heading in enumerate(headings):
            if col not in columns.values() and heading.group and spec.matches(heading):
                columns[field] = col
                break
    missing = [spec.label for f, spec in _FIELDS.items() if spec.required and f not in columns]
    if missing:
        raise DataFileError(
            f"{where}, header row {row + 1}: missing column(s) {', '.join(missing)}; found: "
            f"{', '.join(p for p in printed if p) or 'none'}; expected the columns of the "
            "GV-ISys 'Auszug GV' (Satzart, Textkennzeichen, ARS Land/RB/Kreis/VB/Gem, "
            "Gemeindename, Fläche, Bevölkerung or Einwohner, Längengrad, Breitengrad)"
        )
    return columns, tuple(printed)


# --- records ----------------------------------------------------------------------------


def read_records(sheet: Sheet, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Return the records (Satzart 10-60) as typed columns, with their Excel row numbers, and
    notes on the repeated records that were dropped."""
    layout = sheet.layout
    block = sheet.cells.iloc[layout.first : layout.last + 1]
    satzart = block.iloc[:, layout.columns["satzart"]].map(_cell_text)
    block = block[satzart.isin(list(SATZARTEN)).to_numpy()]
    rows = block.index.to_numpy() + 1  # Excel rows are counted from 1
    block = block.reset_index(drop=True)  # records are addressed by position from here on
    out: dict[str, pd.Series] = {"row": pd.Series(rows, index=block.index)}

    def text(field: str) -> pd.Series:
        if field not in layout.columns:
            return pd.Series(None, index=block.index, dtype="str")
        return block.iloc[:, layout.columns[field]].map(_cell_text).astype("str")

    out["satzart"] = text("satzart")
    out["tk"] = text("tk")
    for field in ("name", "verstaedterung"):
        out[field] = text(field)
    plz = text("plz")
    out["plz"] = plz.where(~plz.str.fullmatch(r"\d{1,4}", na=False), plz.str.zfill(5))
    records = pd.DataFrame(out)
    records = _keys(records, {p: text(p) for p, _ in _KEY_PARTS}, where)
    for field in ("area", "population", "lat", "lon"):
        values = block.iloc[:, layout.columns[field]]
        records[field] = _numbers(values, records, field, where)
    _check_population(records, where)
    return _without_repeats(records, block, layout, where)


#: The columns that make a record's key: its Satzart and the parts of its ARS.
_RECORD_KEY = ("satzart", *(part for part, _ in _KEY_PARTS))


def _without_repeats(
    records: pd.DataFrame, block: pd.DataFrame, layout: _Layout, where: str
) -> tuple[pd.DataFrame, list[str]]:
    """Drop records that repeat an earlier one of the same key; refuse ones that contradict it.

    Some vintages list a record more than once: the file of 31.12.2017 repeats gemeindefreie
    Gebiete once for each Reisegebiet they lie in. A repeat that agrees in every column netkoop
    reads is dropped and counted in a note (with the unread columns it differs in); repeats
    that disagree leave no way to tell which one is right.
    """
    parts = records[list(_RECORD_KEY)].fillna("").astype("str")
    key = parts["satzart"]
    for column in _RECORD_KEY[1:]:
        key = key + "|" + parts[column]
    repeated = key.duplicated(keep=False)
    if not repeated.any():
        return records, []
    content = [c for c in records.columns if c != "row"]
    distinct = records[repeated.to_numpy()].drop_duplicates(content)
    clashing = key[distinct.index].duplicated(keep=False)
    if clashing.any():
        _refuse_repeats(records, distinct[clashing.to_numpy()], key, where)
    dropped = records.duplicated(content).to_numpy()
    first = pd.Series(np.arange(len(key)), index=key.index).groupby(key).transform("min")
    pairs = [(int(p), int(first.iloc[p])) for p in np.flatnonzero(dropped)]
    unread = _unread_differences(block, set(layout.columns.values()), pairs)
    rows = [int(r) for r in records.loc[dropped, "row"]]
    listed = ", ".join(map(str, rows[:10])) + (
        f" and {len(rows) - 10:,} more" if len(rows) > 10 else ""
    )
    note = (
        f"dropped {len(rows):,} repeated record(s) that agree with an earlier record of the "
        f"same key (Satzart and ARS) in every column read: {where}, row(s) {listed}"
    )
    if unread:
        names = [layout.headings[c] or f"column {_column_letter(c)}" for c in sorted(unread)]
        note += f"; they differ only in {', '.join(names)}, which netkoop does not read"
    return records[~dropped].reset_index(drop=True), [note]


def _unread_differences(
    block: pd.DataFrame, read: set[int], pairs: Sequence[tuple[int, int]]
) -> set[int]:
    """The columns netkoop does not read in which a dropped repeat differs from its first."""
    cells = block.to_numpy()
    return {
        col
        for repeat, first in pairs
        for col in range(cells.shape[1])
        if col not in read and _cell_text(cells[repeat, col]) != _cell_text(cells[first, col])
    }


def _refuse_repeats(
    records: pd.DataFrame, distinct: pd.DataFrame, key: pd.Series, where: str
) -> None:
    """Raise naming the rows of the first key whose records disagree, and a field they differ in."""
    same = key[distinct.index]
    clash = same.iloc[0]
    a, b = distinct[(same == clash).to_numpy()].iloc[:2].to_dict("records")
    field = next(f for f in a if f not in ("row", *_RECORD_KEY) and _differ(a[f], b[f]))
    rows = [int(r) for r in records.loc[(key == clash).to_numpy(), "row"]]
    listed = ", ".join(map(str, rows[:-1])) + f" and {rows[-1]}"
    satzart = a["satzart"]
    ars = "".join(str(a[p]) for p, _ in _KEY_PARTS if pd.notna(a[p]))
    label = _FIELDS[field].label if field in _FIELDS else field
    raise DataFileError(
        f"{where}, rows {listed}: {len(rows)} records of the {SATZARTEN[satzart]} with key "
        f"(ARS) '{ars}' (Satzart {satzart}) disagree: field '{label}' has value "
        f"{_shown(a[field])} in row {a['row']} and {_shown(b[field])} in row {b['row']}; "
        "allowed: one record per key, or repeats identical in every column netkoop reads"
    )


def _differ(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):  # type: ignore[call-overload]
        return False
    return bool(a != b)


def _shown(value: object) -> str:
    text = None if pd.isna(value) else _cell_text(value)  # type: ignore[call-overload]
    return "empty" if text is None else repr(text)


def _column_letter(position: int) -> str:
    """The Excel name of a column: 0 is A, 26 is AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _keys(records: pd.DataFrame, parts: dict[str, pd.Series], where: str) -> pd.DataFrame:
    """Check the key parts each Satzart needs; pad parts stored as numbers with their zeros."""
    satzart = records["satzart"]
    for satz, needed in _PARTS_BY_SATZART.items():
        rows = (satzart == satz).to_numpy()
        for part, width in needed:
            values = parts[part]
            digits = values.str.fullmatch(rf"\d{{1,{width}}}", na=False).to_numpy()
            padded = values.str.zfill(width)
            parts[part] = values.where(~(rows & digits), padded)
            bad = np.flatnonzero(rows & ~digits)
            if len(bad):
                value = values.iloc[bad[0]]
                more = f" (and {len(bad) - 1:,} more rows)" if len(bad) > 1 else ""
                raise DataFileError(
                    f"{where}, row {row_of(records, bad[0])}: field "
                    f"'{_PART_LABELS[part]}' (ARS) has value "
                    f"{'empty' if pd.isna(value) else repr(value)}{more}; a "
                    f"{SATZARTEN[satz]} record (Satzart {satz}) needs a {width}-digit "
                    f"{_PART_LABELS[part]} part of its key"
                )
    for part, _ in _KEY_PARTS:
        records[part] = parts[part]
    return records


def _numbers(values: pd.Series, records: pd.DataFrame, field: str, where: str) -> pd.Series:
    """Parse a column of numbers stored as numbers or as German text ("9,43751", "1.234")."""
    native = values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    native = native.astype("bool")
    numbers = values.where(native).astype("float64")
    text = values.where(~native).map(_cell_text, na_action="ignore").astype("str")
    text = text.mask(text.isin(list(_MISSING_SYMBOLS)))
    text = text.mask(text.isin(list(_ZERO_SYMBOLS)), "0")
    parsed = to_numbers(text, german=True)
    numbers = numbers.where(native, parsed)
    bad = np.flatnonzero((text.notna() & parsed.isna()).to_numpy())
    if len(bad):
        more = f" (and {len(bad) - 1:,} more rows)" if len(bad) > 1 else ""
        raise DataFileError(
            f"{where}, row {row_of(records, bad[0])}: field '{_FIELDS[field].label}' has value "
            f"{text.iloc[bad[0]]!r}{more}; expected a number (decimal comma or point)"
        )
    return numbers


def _check_population(records: pd.DataFrame, where: str) -> None:
    population = records["population"]
    bad = np.flatnonzero(
        ((population < 0) | (population.notna() & (population % 1 != 0))).to_numpy()
    )
    if len(bad):
        raise DataFileError(
            f"{where}, row {row_of(records, bad[0])}: field 'Bevölkerung insgesamt' has value "
            f"{population.iloc[bad[0]]:g}; expected a whole number of 0 or more"
        )


# --- dates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    """The two dates of a register, and notes on them.

    The Gebietsstand (``territory``) is the date of the units, their keys and borders; the
    Bevölkerungsstand (``population``) that of the population figures. Annual files have one
    date for both; quarterly files carry the population of an earlier year's end on the
    territory of their quarter (the file of the 4th quarter 2024, published in January 2025,
    the population of 31.12.2023).
    """

    territory: str | None
    population: str | None
    notes: tuple[str, ...]


def read_dates(sheet: Sheet, source: Path) -> Dates:
    """Read the Gebietsstand and the Bevölkerungsstand, each from where the file states it."""
    territory = _territorial_date(sheet, source)
    population = _population_date(sheet)
    if population is None:
        heading = sheet.layout.headings[sheet.layout.columns["population"]]
        note = (
            f"the file states no Bevölkerungsstand (no date in the heading '{heading}' nor a "
            "line such as 'Bevölkerungsstand: 31.12.2023' above the records); "
            "population_date is left empty"
        )
    elif territory is not None and population != territory:
        note = (
            f"Bevölkerung of {population} (Bevölkerungsstand, population_date) on the "
            f"territory of {territory} (Gebietsstand, reference_date)"
        )
    else:
        return Dates(territory, population, ())
    return Dates(territory, population, (note,))


def _territorial_date(sheet: Sheet, source: Path) -> str | None:
    """The Gebietsstand: from a cell above the records that names it ("Gebietsstand am
    31.12.2024 (4. Quartal)"), else from the title above the header, else from the sheet's or
    the file's name (31122023_Auszug_GV.xlsx)."""
    layout = sheet.layout
    named = _labelled_date(sheet.cells.iloc[: layout.first], _TERRITORY_LABEL)
    if named:
        return named
    titled = _title_date(sheet.cells.iloc[: layout.header])
    if titled:
        return titled
    for text in (sheet.name, source.stem):
        match = _FILE_DATE.search(text)
        if match and (date := _date(match.group(3), match.group(2), match.group(1))):
            return date
    return None


def _population_date(sheet: Sheet) -> str | None:
    """The Bevölkerungsstand: the date in the heading of the population column ("am
    31.12.2023 (Jahr)" below "Bevölkerung"), else from a cell above the records that names it
    ("Bevölkerungsstand: 31.12.2023")."""
    layout = sheet.layout
    date = _date_in(layout.headings[layout.columns["population"]])
    return date or _labelled_date(sheet.cells.iloc[: layout.first], _POPULATION_LABEL)


def _title_date(cells: pd.DataFrame) -> str | None:
    """The first date in the rows above the header, leaving out the population's date where a
    cell names it ("…, Bevölkerungsstand: 31.12.2023"): the rest of that row is the
    population's."""
    for row in cells.to_numpy():
        for value in row:
            text = _lowered(value) if isinstance(value, str) else None
            match = _POPULATION_LABEL.search(text) if text else None
            if text and match:
                if date := _date_in(text[: match.start()]):
                    return date
                break
            if date := _date_in(value):
                return date
    return None


def _labelled_date(cells: pd.DataFrame, label: re.Pattern[str]) -> str | None:
    """The first date that follows ``label`` in a cell, or stands in the next cell right."""
    for row in cells.to_numpy():
        for col, value in enumerate(row):
            match = label.search(_lowered(value)) if isinstance(value, str) else None
            if match is None:
                continue
            later = (v for v in row[col + 1 :] if _cell_text(v) is not None)
            date = _date_in(_lowered(value)[match.end() :]) or _date_in(next(later, None))
            if date:
                return date
    return None


def _lowered(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").lower().split())


def _date_in(value: object) -> str | None:
    """The first valid date in a cell: a date cell, "31.12.2023" or "2023-12-31"."""
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if not isinstance(value, str):
        return None
    for match in _DATE.finditer(value):
        if date := _date(match.group(3), match.group(2), match.group(1)):
            return date
    for match in _ISO_DATE.finditer(value):
        if date := _date(match.group(1), match.group(2), match.group(3)):
            return date
    return None


def _date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def published_year(sheet: Sheet) -> str | None:
    """The year in the copyright line ("Statistisches Bundesamt (Destatis), 2024"), if any."""
    layout = sheet.layout
    outside = pd.concat([sheet.cells.iloc[layout.last + 1 :], sheet.cells.iloc[: layout.first]])
    for value in outside.to_numpy().ravel():
        if isinstance(value, str):
            match = _PUBLISHED.search(value)
            if match:
                return match.group(1)
    return None


def row_of(records: pd.DataFrame, position: int) -> int:
    """The Excel row number of the record at ``position``."""
    return int(records["row"].iloc[position])
