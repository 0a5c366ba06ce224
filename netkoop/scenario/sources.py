"""Read the tables of a scenario file: inline rows, CSV and Excel files, every cell as text."""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from netkoop._errors import Problem, not_a_file, shown
from netkoop.model import cells
from netkoop.model.blocks import Block, Origin, TableFile, text_of
from netkoop.model.schema import LIMIT
from netkoop.output.values import unescape_formulas
from netkoop.scenario.encoding import decode

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})

#: The most columns a table may have. A table of units, ties or flows needs a few dozen; a
#: header of thousands of cells is a file that is no such table (and would take minutes).
MAX_COLUMNS = 1000
_PARSER_LINE = re.compile(r"line (\d+)")

#: The most a gzip-compressed table may unpack to: a bomb of a few kilobytes must not fill memory.
MAX_UNPACKED = 2**31


class PackedFileError(ValueError):
    """A ``.gz`` file that cannot be unpacked; the message says why, without the file's name."""


def read_data(path: Path) -> bytes:
    """Return the bytes of a file, unpacked when its name ends in ``.gz``.

    Raises
    ------
    PackedFileError
        When a ``.gz`` file is no gzip data, is cut short, or unpacks to more than
        `MAX_UNPACKED` bytes.
    """
    if path.suffix.lower() != ".gz":
        return path.read_bytes()
    chunks, size = [], 0
    try:
        with gzip.open(path, "rb") as packed:
            while chunk := packed.read(1 << 24):
                size += len(chunk)
                if size > MAX_UNPACKED:
                    raise PackedFileError(
                        f"unpacks to more than {MAX_UNPACKED // 2**30} GiB, which netkoop does "
                        "not read; unpack it and give the table itself"
                    )
                chunks.append(chunk)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise PackedFileError(
            f"the name ends in .gz but the file is no complete gzip data ({exc}); unpack it "
            "with gzip, or give it a name without .gz"
        ) from None
    return b"".join(chunks)


def block_from_rows(
    rows: Sequence[Mapping[str, object]], lines: Sequence[int], file: str
) -> tuple[Block, list[Problem]]:
    """Build a block from inline YAML rows (mappings), one line number per row."""
    problems: list[Problem] = []
    records: list[dict[str, str | None]] = []
    quoted: dict[str, bool] = {}
    for row, line in zip(rows, lines, strict=True):
        record: dict[str, str | None] = {}
        for key, value in row.items():
            if isinstance(value, Mapping | list):
                problems.append(
                    Problem(
                        "error",
                        f"{file}, line {line}",
                        "a table cell holds one value; lists and mappings are not allowed here",
                        field=str(key),
                        value=shown(value),
                    )
                )
                continue
            record[str(key)] = text_of(value)
            if value is not None:
                quoted[str(key)] = quoted.get(str(key), True) and isinstance(value, str)
        records.append(record)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype("str") if len(frame.columns) else frame
    text = frozenset(name for name, is_text in quoted.items() if is_text)
    return Block(frame, Origin(file, "line", numbers=tuple(lines)), text_columns=text), problems


def read_table_file(
    path: Path,
    label: str,
    *,
    referenced_at: str,
    written: str | None = None,
    sheet: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
) -> tuple[Block | None, list[Problem]]:
    """Read a CSV or Excel table with every cell as text.

    Parameters
    ----------
    path
        The file to read.
    label
        How messages name the file (the path as written in the scenario).
    referenced_at
        Where the scenario names the file, for the message when it is missing.
    written
        The file name as the scenario writes it (defaults to ``label``).
    sheet
        Excel sheet name; the first sheet when omitted.
    sep, encoding
        Override the detected CSV separator and text encoding.

    Returns
    -------
    The block (None when the file cannot be read) and the problems met.
    """
    try:
        regular = path.is_file()
    except OSError as exc:  # a name too long for the file system, say
        return None, [
            Problem(
                "error",
                referenced_at,
                f"the table file cannot be looked up ({exc.strerror})",
                field="file",
                value=written or label,
            )
        ]
    if not regular:
        what = not_a_file(path)
        return None, [
            Problem(
                "error",
                referenced_at,
                f"the table file {what} (looked for {path}); paths are relative to the "
                "scenario file",
                field="file",
                value=written or label,
            )
        ]
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path, label, sheet)
    if path.suffix.lower() == ".xls":
        return None, [_file_problem(label, "old .xls workbooks are not read; save it as .xlsx")]
    return _read_csv(path, label, sep=sep, encoding=encoding)


def _too_wide(where: str, count: int) -> Problem:
    return Problem(
        "error",
        where,
        f"the table has {count:,} columns; netkoop reads tables of at most {MAX_COLUMNS:,}",
    )


def _file_problem(label: str, message: str) -> Problem:
    return Problem("error", label, message)


def _sniff_separator(header: str) -> str:
    counts = {s: _count_outside_quotes(header, s) for s in (",", ";", "\t", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _read_csv(
    path: Path, label: str, *, sep: str | None, encoding: str | None
) -> tuple[Block | None, list[Problem]]:
    try:
        data = read_data(path)
    except PackedFileError as exc:
        return None, [_file_problem(label, str(exc))]
    if not data or data.isspace():  # as `not data.strip()`, without copying the bytes
        return None, [_file_problem(label, "the file is empty; a table needs a header row")]
    # A file of ASCII bytes is its own text: only its header is decoded here, the rest when a
    # rare case needs it (a blank line, an escaped formula), so the bytes are read once.
    plain = encoding is None and data.isascii() and b"\x00" not in data[:8192]
    text, used = (None, "utf-8") if plain else decode(data, encoding)
    if text is None and not plain:
        return None, [_file_problem(label, f"the file {used}")]
    skipped, header_line = _header(data if text is None else text)
    separator = sep or _sniff_separator(header_line)
    if sep is None and separator not in header_line:
        # One column can be no table of netkoop's, and a file that is no table (a password
        # file, a log) must not be shown in messages: so nothing of it is quoted.
        return None, [
            _file_problem(
                label,
                "does not look like a table: its first line holds no separator (',', ';', "
                "tab or '|'); a table starts with a header row such as id,name,kind",
            )
        ]
    try:
        header = next(csv.reader([header_line], delimiter=separator))
    except csv.Error as exc:
        return None, [
            Problem("error", f"{label}, row {skipped + 1}", f"not a readable header row ({exc})")
        ]
    broken = [h for h in header if "\r" in h or '"' in h]
    if broken or header_line.count('"') % 2:
        return None, [
            Problem(
                "error",
                f"{label}, row {skipped + 1}",
                "a column name holds a line break or an unpaired quote; write each name on "
                "the header row, in pairs of quotes if at all",
                value=(broken or [header_line])[0][:40],
            )
        ]
    names = [h.strip() for h in header]
    if len(names) > MAX_COLUMNS:
        return None, [_too_wide(f"{label}, row {skipped + 1}", len(names))]
    seen: set[str] = set()
    repeated = []
    for name in names:
        if name and name in seen:
            repeated.append(name)
        seen.add(name)
    problems = [
        Problem("error", f"{label}, row {skipped + 1}", "column names must be unique", value=name)
        for name in repeated[:LIMIT]
    ]
    problems += [
        Problem("error", f"{label}, row {skipped + 1}", f"column {i + 1} has no name", field="")
        for i in [i for i, name in enumerate(names) if not name][:LIMIT]
    ]
    if problems:
        return None, problems
    try:
        frame = pd.read_csv(
            _buffer(data, text, used),
            encoding=used if used != "utf-16" else None,
            sep=separator,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        match = _PARSER_LINE.search(str(exc))
        where = f"{label}, row {match.group(1)}" if match else label
        reason = str(exc).strip().splitlines()[-1]
        return None, [Problem("error", where, f"not a well-formed table: {reason}")]
    if len(frame.columns) != len(names):
        return None, [
            Problem(
                "error",
                f"{label}, row {skipped + 1}",
                f"the header row has {len(names)} columns but the table reads as "
                f"{len(frame.columns)}; check the quotes and line breaks of the header",
            )
        ]
    frame.columns = pd.Index(names)
    nothing = _nothing_to_strip(data, ascii_bytes=plain or None)
    frame = frame if nothing else _strip(frame)
    # Cells that netkoop (or another careful tool) wrote as '=... so that a spreadsheet does
    # not run them are read back as the text they stand for.
    if b"'" in data and _FORMULA.search(data.decode("ascii") if text is None else text):
        frame = frame.apply(unescape_formulas)
    german = separator in {";", "\t"}
    origin = _row_origin(label, text, skipped, data, used, no_spaces=nothing)
    # ASCII text is in NFC; other text takes one quick look at the whole file
    nfc = text is None or unicodedata.is_normalized("NFC", text)
    file = TableFile(path, tuple(names), separator=separator, encoding=used)
    return Block(frame, origin, german_numbers=german, nfc=nfc, file=file), []


def _header(text: str | bytes) -> tuple[int, str]:
    """Return the number of blank lines before the header, and the header line.

    ``text`` may be the bytes of an ASCII file: each line looked at is decoded on its own.
    """
    position, skipped = 0, 0
    while True:
        if isinstance(text, bytes):
            end = text.find(b"\n", position)
            line = (text[position:] if end < 0 else text[position:end]).decode("ascii")
        else:
            end = text.find("\n", position)
            line = text[position:] if end < 0 else text[position:end]
        if line.strip() or end < 0:
            return skipped, line.rstrip("\r")
        skipped, position = skipped + 1, end + 1


def _buffer(data: bytes, text: str | None, encoding: str) -> io.BytesIO | io.StringIO:
    """Hand pandas the bytes (one byte per character) rather than the decoded text."""
    if encoding == "utf-16" and text is not None:
        return io.StringIO(text)
    return io.BytesIO(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
#: Encodings that write a line feed and the spaces of `_BLANK_LINE` as those ASCII bytes,
#: and use no such byte inside another character.
_ASCII_LINES = frozenset({"utf-8", "cp1252", "latin-1"})


def _row_origin(
    label: str, text: str | None, header: int, raw: bytes, encoding: str, *, no_spaces: bool
) -> Origin:
    """Number data rows as a text editor or spreadsheet shows them, blank lines included.

    ``raw`` holds the bytes that ``text`` was decoded from with ``encoding`` (None: ``raw`` is
    ASCII, its own text). ``no_spaces`` tells that ``raw`` holds none of the ASCII spaces.
    """
    if encoding in _ASCII_LINES and not _may_have_blank_line(raw, no_spaces=no_spaces):
        return Origin(label, "row", first=header + 2)
    if text is None:
        text = raw.decode("ascii")
    if not _BLANK_LINE.search(text):
        return Origin(label, "row", first=header + 2)
    data = text.splitlines()[header + 1 :]
    numbers = tuple(header + 2 + i for i, line in enumerate(data) if line.strip())
    return Origin(label, "row", numbers=numbers)


def _may_have_blank_line(data: bytes, *, no_spaces: bool = False) -> bool:
    """Whether a line feed is followed by another or by a space (as `_BLANK_LINE` starts).

    Looks at the bytes with numpy: a million rows in a few milliseconds, where the regular
    expression tries every line break. With ``no_spaces`` (``data`` holds none of the ASCII
    spaces of `_ASCII_SPACES`) only two line feeds in a row are looked for: every pair of
    bytes at once, as 16-bit numbers.
    """
    if no_spaces:
        pairs = len(data) // 2
        even = np.frombuffer(data, dtype="<u2", count=pairs)
        odd = np.frombuffer(data, dtype="<u2", count=(len(data) - 1) // 2, offset=1)
        return bool((even == 0x0A0A).any() or (odd == 0x0A0A).any())
    codes = np.frombuffer(data, dtype=np.uint8)
    after = codes[1:][codes[:-1] == ord("\n")]
    return bool((((after >= ord("\t")) & (after <= ord("\r"))) | (after == ord(" "))).any())


def _read_excel(path: Path, label: str, sheet: str | None) -> tuple[Block | None, list[Problem]]:
    try:
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
    except (zipfile.BadZipFile, OSError, KeyError, TypeError) as exc:
        return None, [_file_problem(label, f"not a readable Excel workbook ({exc})")]
    except ValueError as exc:
        message = str(exc)
        if "Worksheet" in message or "not found" in message:
            return None, [_file_problem(label, f"sheet {sheet!r} not found: {message}")]
        return None, [_file_problem(label, f"not a readable Excel workbook ({message})")]
    except Exception as exc:  # openpyxl raises its own error types on garbage
        return None, [_file_problem(label, f"not a readable Excel workbook ({type(exc).__name__})")]
    names = [str(c).strip() for c in frame.columns]
    if len(names) > MAX_COLUMNS:
        return None, [_too_wide(f"{label}, row 1", len(names))]
    unnamed = [i for i, n in enumerate(names) if n.startswith("Unnamed:")]
    if unnamed:
        return None, [
            Problem("error", f"{label}, row 1", f"column {i + 1} has no name", field="")
            for i in unnamed[:LIMIT]
        ]
    frame.columns = pd.Index(names)
    sheet_label = f"{label} [{sheet}]" if sheet else label
    origin = Origin(sheet_label, "row", first=2)
    problems = _uncomputed(path, sheet, frame, origin) if frame.isna().to_numpy().any() else []
    return Block(_strip(frame), origin, file=TableFile(path, tuple(names), sheet=sheet)), problems


def _uncomputed(
    path: Path, sheet: str | None, frame: pd.DataFrame, origin: Origin
) -> list[Problem]:
    """Report empty cells that hold a formula whose value the workbook never computed.

    Programs other than Excel and LibreOffice (scripts with openpyxl, some exports) write
    formulas without their result; read as values, those cells would be silently empty.
    """
    import openpyxl  # noqa: PLC0415 - only workbooks need it; CSV scenarios load without it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # the values were read already; formulas are a second look only
        return []
    missing = frame.isna().to_numpy()
    try:
        rows = (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
        next(rows, None)  # the header
        problems = []
        for position, row in zip(range(len(frame)), rows, strict=False):
            for j, (column, cell) in enumerate(zip(frame.columns, row, strict=False)):
                if isinstance(cell, str) and cell.startswith("=") and missing[position, j]:
                    problems.append(
                        Problem(
                            "error",
                            origin.where(position),
                            "the cell holds a formula but no computed value (the workbook was "
                            "written by a program that does not compute formulas); open and "
                            "save it in Excel or LibreOffice, or write the value",
                            field=str(column),
                            value=cell,
                        )
                    )
        return problems[:LIMIT]
    finally:
        book.close()


#: How a cell starts that `netkoop.output.values.escape_formulas` escaped; a file without
#: this anywhere has none.
_FORMULA = re.compile(r"'[=+\-@\t\r]")

#: ASCII characters that `str.strip` takes away, but for the line feed ending each row.
_ASCII_SPACES = (b" ", b"\t", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")


def _nothing_to_strip(data: bytes, *, ascii_bytes: bool | None = None) -> bool:
    """Tell from the raw bytes that no cell starts or ends with white space.

    ASCII bytes without any space character and without quotes (a quoted cell may hold a
    line break) leave nothing for `_strip` to do: a quick look at a file of a million rows
    instead of trimming each of its columns. ``ascii_bytes`` is ``data.isascii()`` when the
    caller knows it.
    """
    if not (data.isascii() if ascii_bytes is None else ascii_bytes):
        return False
    return b'"' not in data and not any(space in data for space in _ASCII_SPACES)


def _as_text(column: pd.Series) -> pd.Series:
    return column if column.dtype == "str" else column.astype("str")


def _strip(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim surrounding spaces from text cells; cells left empty become missing.

    The first and last byte of each cell tell which columns may need it (most need nothing).
    """
    columns = {name: _as_text(frame[name]) for name in frame.columns}
    if not columns:
        return frame
    out = {}
    for name, column in columns.items():
        if cells.needs_trim(column):
            stripped = column.str.strip()
            out[name] = stripped.mask(stripped == "")
        else:
            out[name] = column
    return pd.DataFrame(out, index=frame.index, copy=False)
