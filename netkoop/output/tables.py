"""Tables for people and programs: CSV in a chosen dialect, Excel workbooks that open ready to read.

Both take the tables as the library makes them. A meaningful index (one with a name, such as
``id`` or ``measure``) becomes the first column(s); a positional one (a RangeIndex, or
unnamed whole numbers left over from filtering rows) is dropped, so that no file holds an
unnamed index column. Cells that a spreadsheet would run as formulas stay text.

A workbook's sheets have a frozen header row, an autofilter over the table and column widths
fitted to their content (up to `WIDEST`). Keys (`is_key`: ids, AGS, ARS, the ends of a tie)
are stored as text cells in the text format ``@``, so that 01003 stays 01003; numbers stay
numbers. Headers and sheet names come from the caller (`netkoop.model.labels` has them in
German and English); sheet names are made valid for Excel (`sheet_names`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from netkoop.output.formats import CsvDialect, csv_dialect
from netkoop.output.values import escape_formulas, plain, text_not_formulas

#: The widest a workbook's column is made (in characters); longer cells are cut off on screen.
WIDEST = 50

#: Headers count with at most this many characters towards their column's width; longer ones
#: wrap.
HEADER_WIDTH = 24

#: The longest a sheet name may be in Excel.
SHEET_NAME_LENGTH = 31

#: Column names that hold keys: unit ids, official keys (AGS, ARS), the ends of ties and pairs.
KEY_COLUMNS = frozenset(
    {
        "id",
        "from",
        "to",
        "parent",
        "kreis",
        "land",
        "unit",
        "unit_a",
        "unit_b",
        "kreis_a",
        "kreis_b",
        "ags",
        "ars",
        "rs",
    }
)

_KEY_NAME = re.compile(r"^(ags|ars)(_.*)?$|_(id|ags|ars)$", re.IGNORECASE)
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# Characters an xlsx file cannot hold (openpyxl refuses them): written as \x1b instead.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_key(name: object) -> bool:
    """Tell whether a column of this name holds keys, to be kept as text in a workbook.

    Examples
    --------
    >>> is_key("id"), is_key("unit_a"), is_key("ags_kreis"), is_key("gemeinde_ars")
    (True, True, True, True)
    >>> is_key("commuters"), is_key("tags")
    (False, False)
    """
    text = str(name)
    return text in KEY_COLUMNS or bool(_KEY_NAME.search(text))


def flat(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with its index as named columns, or without it when it is positional.

    A named index (each level of a MultiIndex) becomes the first column(s); a RangeIndex or
    an unnamed index of whole numbers (row positions left after filtering) is dropped; any
    other unnamed index becomes a column ``index``.

    Examples
    --------
    >>> flat(pd.DataFrame({"ei": [0.5]}, index=pd.Index(["a"], name="id"))).columns.tolist()
    ['id', 'ei']
    >>> flat(pd.DataFrame({"ei": [0.5]}, index=[7])).columns.tolist()
    ['ei']
    """
    index = table.index
    if isinstance(index, pd.MultiIndex):
        names = [name if name is not None else f"level_{i}" for i, name in enumerate(index.names)]
        return table.reset_index(names=names)
    if index.name is not None:
        return table.reset_index()
    if isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index):
        return table.reset_index(drop=True)
    return table.reset_index(names="index")


def csv_text(table: pd.DataFrame, dialect: str | CsvDialect = "standard") -> str:
    """Return ``table`` as CSV text in a dialect of `netkoop.output.formats.CSV_DIALECTS`.

    The index is kept or dropped as `flat` decides, and cells that would start a formula are
    escaped (`netkoop.output.values.escape_formulas`). ``excel-de`` text starts with the BOM
    (U+FEFF), which becomes the bytes EF BB BF when the text is written as UTF-8.

    Raises
    ------
    OutputError
        When the dialect is unknown.

    Examples
    --------
    >>> table = pd.DataFrame({"name": ["Lübeck"], "ei": [-0.25]})
    >>> csv_text(table)
    'name,ei\\nLübeck,-0.25\\n'
    >>> csv_text(table, "excel-de")
    '\\ufeffname;ei\\r\\nLübeck;-0,25\\r\\n'
    """
    chosen = csv_dialect(dialect)
    frame = escape_formulas(flat(table))
    if chosen.decimal != ".":
        frame = _decimal_marks(frame, chosen.decimal)
    text = frame.to_csv(
        index=False, sep=chosen.sep, decimal=chosen.decimal, lineterminator=chosen.line_end
    )
    return ("\ufeff" if chosen.bom else "") + text


def _decimal_marks(frame: pd.DataFrame, decimal: str) -> pd.DataFrame:
    """Write the floats of mixed (object) columns with ``decimal``; pandas does float columns."""
    changed = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object:
            floats = column.map(lambda v: isinstance(v, float))
            if floats.any():
                changed[name] = column.mask(floats, column.map(lambda v: _float_text(v, decimal)))
    return frame.assign(**changed) if changed else frame


def _float_text(value: Any, decimal: str) -> Any:
    if not isinstance(value, float) or math.isnan(value):
        return value
    return repr(value).replace(".", decimal)


# --- workbooks ------------------------------------------------------------------------------


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Return valid, distinct Excel sheet names for ``titles``, in order.

    Excel allows at most 31 characters, none of ``[]:*?/\\``, no apostrophe at either end,
    and tells names apart without regard to case. Forbidden characters become ``-``; a name
    already taken gets `` (2)``, `` (3)``... within the 31 characters.

    Examples
    --------
    >>> sheet_names(["Pendler: A/B", "x" * 40, "Werte", "werte"])
    ['Pendler- A-B', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'Werte', 'werte (2)']
    """
    taken: set[str] = set()
    names = []
    for title in titles:
        base = _NOT_IN_SHEET_NAMES.sub("-", str(title)).strip().strip("'").strip() or "Tabelle"
        name = base[:SHEET_NAME_LENGTH]
        number = 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def about_table(made: Mapping[str, Any], *, label: Callable[[str], str] = str) -> pd.DataFrame:
    """Return what made an output as a table of two columns, ``item`` and ``value``.

    ``made`` is what `netkoop.output.provenance.provenance` returns (plus any leading items,
    such as the report's name); ``label`` names each item for people. Lists become text
    joined by ", ".

    Examples
    --------
    >>> made = {"versions": {"netkoop": "0.1.0"}, "seed": 3, "options": {"ties": ["a", "b"]}}
    >>> about_table(made).values.tolist()
    [['netkoop', '0.1.0'], ['seed', 3], ['ties', 'a, b']]
    """
    rows: list[tuple[str, Any]] = []
    for key, value in made.items():
        if isinstance(value, Mapping):
            rows += [(label(name), _about_value(v)) for name, v in value.items()]
        else:
            rows.append((label(key), _about_value(value)))
    return pd.DataFrame(rows, columns=["item", "value"], dtype=object)


def _about_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def workbook(
    sheets: Sequence[tuple[str, pd.DataFrame]],
    *,
    header: Callable[[str], str] = str,
    cells: Mapping[str, Callable[[Any], Any]] | None = None,
) -> Callable[[Path], None]:
    """Return a function that writes ``sheets`` as an Excel workbook at the path it is given.

    Give it to `netkoop.output.files.write_file` as the file's content.

    Parameters
    ----------
    sheets
        Sheet titles (made valid by `sheet_names`) and their tables, in order.
    header
        The header of a column, from its name (the names stay in CSV and JSON).
    cells
        Functions that give the cells of a column (by name) as people read them, e.g. a
        measure's label for its name.
    """
    translate = dict(cells or {})

    def write(path: Path) -> None:
        from openpyxl import Workbook  # noqa: PLC0415 - only workbooks need it

        book = Workbook()
        book.remove(book.active)
        titles = sheet_names(title for title, _ in sheets)
        for title, (_, table) in zip(titles, sheets, strict=True):
            _fill(book.create_sheet(title), flat(table), header, translate)
        text_not_formulas(book)
        book.save(path)

    return write


def _fill(
    sheet: Any,
    frame: pd.DataFrame,
    header: Callable[[str], str],
    translate: Mapping[str, Callable[[Any], Any]],
) -> None:
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - only workbooks need it
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for number, name in enumerate(frame.columns, start=1):
        label = _cell_text(header(str(name)))
        cell = sheet.cell(row=1, column=number, value=label)
        cell.font, cell.alignment = bold, wrap
        # Keys are text by nature; a column of numbers keeps them even under a key's name
        # (the mixing tables have a column per unit kind, one of them called "land").
        key = is_key(name) and not pd.api.types.is_numeric_dtype(frame[name])
        change = translate.get(str(name))
        width = min(len(label), HEADER_WIDTH)
        for row, raw in enumerate(frame[name].tolist(), start=2):
            value = _value(raw, key=key)
            if change is not None and value is not None:
                value = change(value)
            cell = sheet.cell(row=row, column=number, value=value)
            if key:
                cell.number_format = "@"
            width = max(width, _shown_width(value))
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = min(WIDEST, width + 2)
    if len(frame.columns):
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(frame.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"


def _value(raw: Any, *, key: bool) -> Any:
    """One cell: plain Python, missing as empty, keys as text, text that a file can hold."""
    value = plain(raw)
    if value is None:
        return None
    if key:
        return _cell_text(str(value))
    if isinstance(value, float) and math.isinf(value):
        return str(value)
    if isinstance(value, str):
        return _cell_text(value)
    return value


def _cell_text(text: str) -> str:
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _shown_width(value: Any) -> int:
    """About how many characters Excel shows of a value in its General format."""
    if value is None:
        return 0
    if isinstance(value, float):
        return min(len(repr(value)), 11)
    return len(str(value))
