"""Read the Destatis Gemeindeverzeichnis (GV-ISys "Auszug GV") into Länder, Kreise and Gemeinden."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, not_a_file
from netkoop.importers.imported import Imported
from netkoop.model import keys
from netkoop.model.metadata import Credit
from netkoop.model.schema import to_numbers
from netkoop.scenario.document import display_path

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

#: Textkennzeichen of Kreis records: the unit kind and the type's name.
KREIS_TYPES: dict[str, tuple[str, str]] = {
    "41": ("kreisfreie_stadt", "Kreisfreie Stadt"),
    "42": ("kreisfreie_stadt", "Stadtkreis"),
    "43": ("landkreis", "Kreis"),
    "44": ("landkreis", "Landkreis"),
    "45": ("landkreis", "Regionalverband"),
}

#: Textkennzeichen of Gemeinde records.
GEMEINDE_TYPES: dict[str, str] = {
    "60": "Markt",
    "61": "Kreisfreie Stadt",
    "62": "Stadtkreis",
    "63": "Stadt",
    "64": "Kreisangehörige Gemeinde",
    "65": "Gemeindefreies Gebiet, bewohnt",
    "66": "Gemeindefreies Gebiet, unbewohnt",
    "67": "Große Kreisstadt",
}

#: Gemeinde records that are a kreisfreie Stadt (they join the Kreis unit).
KFS_GEMEINDE = frozenset({"61", "62"})
#: Gemeinde records of gemeindefreie Gebiete.
GEMEINDEFREI = frozenset({"65", "66"})

CREDIT_NAME = "Destatis Gemeindeverzeichnis (GV-ISys)"
CREDIT_SOURCE = (
    "Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys"
)
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
URL = (
    "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html"
)
COMPUTED_NOTE = (
    "Bevölkerung, Fläche und Koordinaten der Landkreise und Länder: eigene Berechnungen "
    "(Summen über die Gemeinden; Koordinaten als bevölkerungsgewichtetes Mittel der "
    "Gemeindemittelpunkte)"
)

#: Columns of the result, in order.
COLUMNS = (
    "id",
    "name",
    "kind",
    "land",
    "parent",
    "population",
    "lat",
    "lon",
    "ars",
    "ags",
    "area_km2",
    "kreis_typ",
    "gemeinde_typ",
    "gemeindefrei",
    "verband",
    "verband_name",
    "regierungsbezirk",
    "region",
    "plz",
    "verstaedterung",
)

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
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_FILE_DATE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")
_PUBLISHED = re.compile(r"\(Destatis\),?\s*(\d{4})")


@dataclass(frozen=True)
class _Field:
    """A column of the product: how its header reads, and whether a file must have it."""

    label: str
    matches: Callable[[str, str], bool]
    required: bool = True


def _ars_part(sub: str) -> Callable[[str, str], bool]:
    return lambda top, below: (
        ("regionalschlüssel" in top or "ars" in top.split()) and (below.split()[:1] == [sub])
    )


_FIELDS: dict[str, _Field] = {
    "satzart": _Field("Satzart", lambda top, _: top == "satzart"),
    "tk": _Field("Textkennzeichen", lambda top, _: top.startswith("textkennzeichen")),
    "land": _Field("ARS Land", _ars_part("land")),
    "rb": _Field("ARS RB", _ars_part("rb")),
    "kreis": _Field("ARS Kreis", _ars_part("kreis")),
    "vb": _Field("ARS VB", _ars_part("vb")),
    "gem": _Field("ARS Gem", _ars_part("gem")),
    "name": _Field("Gemeindename", lambda top, _: top.startswith(("gemeindename", "name"))),
    "area": _Field("Fläche km2", lambda top, _: top.startswith("fläche")),
    "population": _Field(
        "Bevölkerung insgesamt",
        lambda top, below: (
            top.startswith("bevölkerung") and (below.startswith("insgesamt") or not below)
        ),
    ),
    "lon": _Field("Längengrad", lambda top, below: "längengrad" in f"{top} {below}"),
    "lat": _Field("Breitengrad", lambda top, below: "breitengrad" in f"{top} {below}"),
    "plz": _Field("Postleitzahl", lambda top, _: top.startswith("postleitzahl"), required=False),
    "verstaedterung": _Field(
        "Grad der Verstädterung, Bezeichnung",
        lambda top, below: "verstädterung" in top and below.startswith("bezeichnung"),
        required=False,
    ),
}


@dataclass(frozen=True)
class _Layout:
    """Where the records of a sheet are: the header row, the data rows and each field's column."""

    header: int
    first: int
    last: int
    columns: dict[str, int]


@dataclass(frozen=True)
class _Sheet:
    """The data sheet of the file, as cells, with its layout."""

    name: str
    cells: pd.DataFrame
    layout: _Layout


def read_gvisys(
    path: str | Path,
    *,
    level: Literal["kreis", "gemeinde"] = "gemeinde",
    laender: Sequence[str] | None = None,
    kreise: Sequence[str] | None = None,
) -> Imported:
    """Read the Destatis Gemeindeverzeichnis extract "Auszug GV" into a units table.

    The file (e.g. ``31122023_Auszug_GV.xlsx`` from GV-ISys) lists every Land, Kreis,
    Gemeindeverband and Gemeinde as records of a "Satzart". The sheet, its header and its first
    data row are found by their content, so later quarters and years read the same way.

    The units are the Länder (id: 2-digit key), the Kreise (5-digit key; Textkennzeichen 41
    Kreisfreie Stadt and 42 Stadtkreis give a ``kreisfreie_stadt``, 43 Kreis, 44 Landkreis and
    45 Regionalverband a ``landkreis``) and, at ``level="gemeinde"``, the kreisangehörige
    Gemeinden (8-digit AGS, ``parent`` the Kreis), gemeindefreie Gebiete included
    (``gemeindefrei`` true). The Gemeinde record of a kreisfreie Stadt is no unit of its own:
    its population, area, coordinates, postcode and AGS (``ags``) go onto the Kreis unit.
    Gemeindefreie Gebiete directly below a Land (no Kreis, e.g. 07000999) are left out and named
    in ``notes``.

    Kreis and Land records carry no figures in the file: Landkreise and Länder get the sum of
    their Gemeinden's population and area, and as ``lat``/``lon`` the population-weighted mean
    of the Gemeinde centres (own calculations, marked so in the credit's note).

    Attributes: ``ars`` (2, 5 or 12 digits), ``ags`` (8-digit AGS of units that are a
    Gemeinde), ``area_km2``, ``kreis_typ`` and ``gemeinde_typ`` (the Textkennzeichen's name),
    ``gemeindefrei``, ``verband`` and ``verband_name`` (the 9-digit Gemeindeverband ARS and its
    name), ``regierungsbezirk`` and ``region`` (Baden-Württemberg) where the file has them,
    ``plz`` (postcode of the seat) and ``verstaedterung`` (degree of urbanisation). Keys are
    text with their leading zeros.

    Parameters
    ----------
    path
        The Excel file (.xlsx; .xls and .ods are read as well).
    level
        ``"kreis"`` for Länder and Kreise only, ``"gemeinde"`` to add the kreisangehörige
        Gemeinden.
    laender
        Keep only these Länder (keys such as "09", names or abbreviations such as "BY").
    kreise
        Keep only these Kreise (5-digit keys), their Gemeinden and their Länder.

    Returns
    -------
    The units table with the Destatis credit, the reference date (e.g. "2023-12-31") and notes
    on what was left out or computed.

    Raises
    ------
    DataFileError
        When the file cannot be read, is not this product, holds malformed records, or a Land
        or Kreis to keep is unknown; the message names the file, sheet, row, field and value.

    Examples
    --------
    With the file downloaded from Destatis (the tests run this on the real file)::

        imported = read_gvisys("31122023_Auszug_GV.xlsx", laender=["BY"])
        imported.frame.set_index("id").loc["09162", "population"]  # 1510378
    """
    source = Path(path)
    label = display_path(source)
    if level not in ("kreis", "gemeinde"):
        raise DataFileError(
            f"{label}: level {level!r} is not known; allowed: 'kreis' (Länder and Kreise) or "
            "'gemeinde' (also the kreisangehörige Gemeinden)"
        )
    wanted_laender = _land_codes(laender, label)
    wanted_kreise = _kreis_keys(kreise, label)
    sheet = _read_sheet(source, label)
    where = f"{label}, sheet '{sheet.name}'"
    records = _records(sheet, where)
    built = _build_units(records, where)
    units = _select(built.units, level, wanted_laender, wanted_kreise, where)
    notes = _notes(built, units, level, wanted_laender, wanted_kreise)
    published = _published_year(sheet)
    credit = Credit(
        name=CREDIT_NAME,
        credit=f"© Statistisches Bundesamt (Destatis), {published}; {CREDIT_SOURCE}"
        if published
        else f"© Statistisches Bundesamt (Destatis); {CREDIT_SOURCE}",
        url=URL,
        licence=LICENCE,
        note=COMPUTED_NOTE,
    )
    rows = units.pop("row") if "row" in units.columns else None
    return Imported(
        table="units",
        frame=units,
        credits=(credit,),
        reference_date=_reference_date(sheet, source),
        notes=tuple(notes),
        origins=() if rows is None else tuple(f"{where}, row {row}" for row in rows),
    )


# --- options ----------------------------------------------------------------------------


def _land_codes(values: Sequence[str] | None, label: str) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    codes = []
    for value in values:
        code = keys.land_code(str(value))
        if code is None:
            raise DataFileError(
                f"{label}: --land (laender) value {str(value)!r} is not a Land; allowed: a Land "
                "key 01-16, name or abbreviation (e.g. 09, Bayern, BY)"
            )
        codes.append(code)
    return codes


def _kreis_keys(values: Sequence[str] | None, label: str) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    found = []
    for value in values:
        key = str(value).strip()
        if not re.fullmatch(r"\d{5}", key):
            hint = f" (with its leading zero: '0{key}')" if re.fullmatch(r"\d{4}", key) else ""
            raise DataFileError(
                f"{label}: --kreis (kreise) value {str(value)!r} is not a Kreis key{hint}; "
                "allowed: the 5-digit key of a Kreis, e.g. 09184"
            )
        found.append(key)
    return found


# --- reading the sheet ------------------------------------------------------------------


def _read_sheet(source: Path, label: str) -> _Sheet:
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
            layout = _find_layout(cells, f"{label}, sheet '{name}'")
            if layout is not None:
                return _Sheet(name, cells, layout)
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


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _norm(value: object) -> str:
    """Normalise a header cell: lower case, no hyphens or footnote marks, single spaces."""
    text = _cell_text(value) or ""
    text = text.replace("\u00ad", "").replace("-", "").lower()
    text = re.sub(r"\d\)", " ", text)
    return " ".join(text.split())


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


def _find_layout(cells: pd.DataFrame, where: str) -> _Layout | None:
    """Find the 'Satzart' header, the first record below it and the column of every field.

    Returns None when the sheet has no such header followed by records.
    """
    head = cells.iloc[:_HEADER_ROWS]
    hits = [
        (row, col)
        for col in range(head.shape[1])
        for row, value in enumerate(head.iloc[:, col])
        if isinstance(value, str) and _norm(value) == "satzart"
    ]
    for row, col in sorted(hits):
        codes = cells.iloc[row + 1 :, col].map(_cell_text)
        is_record = codes.isin(list(SATZARTEN)).to_numpy()
        if not is_record.any():
            continue
        positions = np.flatnonzero(is_record) + row + 1
        first, last = int(positions[0]), int(positions[-1])
        columns = _columns(cells.iloc[row:first], where, row)
        return _Layout(row, first, last, columns)
    return None


def _columns(header: pd.DataFrame, where: str, row: int) -> dict[str, int]:
    """Map each field to its column from the header rows (the top row spans merged cells)."""
    top = [_norm(v) for v in header.iloc[0]]
    filled = []
    current = ""
    below_rows = [[_norm(v) for v in header.iloc[i]] for i in range(1, len(header))]
    for col, text in enumerate(top):
        below = " ".join(r[col] for r in below_rows if r[col])
        if text:
            current = text
        elif not below:
            current = ""
        filled.append((text or current, below))
    columns: dict[str, int] = {}
    for field, spec in _FIELDS.items():
        for col, (text, below) in enumerate(filled):
            if col not in columns.values() and text and spec.matches(text, below):
                columns[field] = col
                break
    missing = [spec.label for f, spec in _FIELDS.items() if spec.required and f not in columns]
    if missing:
        found = [" ".join(p for p in pair if p) for pair in filled]
        raise DataFileError(
            f"{where}, header row {row + 1}: missing column(s) {', '.join(missing)}; found: "
            f"{', '.join(f for f in found if f) or 'none'}; expected the columns of the "
            "GV-ISys 'Auszug GV' (Satzart, Textkennzeichen, ARS Land/RB/Kreis/VB/Gem, "
            "Gemeindename, Fläche, Bevölkerung, Längengrad, Breitengrad)"
        )
    return columns


# --- records ----------------------------------------------------------------------------


def _records(sheet: _Sheet, where: str) -> pd.DataFrame:
    """Return the records (Satzart 10-60) as typed columns, with their Excel row numbers."""
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
    return records


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
                    f"{where}, row {_row(records, bad[0])}: field "
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
            f"{where}, row {_row(records, bad[0])}: field '{_FIELDS[field].label}' has value "
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
            f"{where}, row {_row(records, bad[0])}: field 'Bevölkerung insgesamt' has value "
            f"{population.iloc[bad[0]]:g}; expected a whole number of 0 or more"
        )


# --- building units ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Built:
    """The units of the whole file and what was left out or changed on the way."""

    units: pd.DataFrame
    zero_coordinates: frozenset[str]  # AGS of Gemeinden whose centre was given as 0/0
    orphans: pd.DataFrame


def _build_units(records: pd.DataFrame, where: str) -> _Built:
    """Turn the records into Länder, Kreise and kreisangehörige Gemeinden, in file order."""
    r = records
    satzart = r["satzart"]
    rb_key = r["land"] + r["rb"]
    kreis_key = rb_key + r["kreis"]
    regbez = dict(zip(rb_key[satzart == "20"], r["name"][satzart == "20"], strict=True))
    region = dict(zip(kreis_key[satzart == "30"], r["name"][satzart == "30"], strict=True))
    verband_key = kreis_key + r["vb"]
    verband_names = dict(zip(verband_key[satzart == "50"], r["name"][satzart == "50"], strict=True))

    laender = r[satzart == "10"]
    _unique(laender["land"], laender, "Land", where)

    kreise = r[satzart == "40"].assign(id=kreis_key[satzart == "40"])
    _unique(kreise["id"], kreise, "Kreis", where)
    unknown = ~kreise["tk"].isin(list(KREIS_TYPES))
    if unknown.any():
        first = kreise[unknown].iloc[0]
        value = repr(first["tk"]) if pd.notna(first["tk"]) else "empty"
        raise DataFileError(
            f"{where}, row {first['row']}: field 'Textkennzeichen' of Kreis {first['id']} has "
            f"value {value}; allowed for a Kreis "
            "(Satzart 40): 41 Kreisfreie Stadt, 42 Stadtkreis, 43 Kreis, 44 Landkreis, "
            "45 Regionalverband"
        )
    kreis_kind = kreise["tk"].map(lambda t: KREIS_TYPES[t][0])
    kind_of = dict(zip(kreise["id"], kreis_kind, strict=True))

    gemeinden = r[satzart == "60"].assign(
        id=kreis_key + r["gem"],
        ars=verband_key + r["gem"],
        parent=kreis_key,
        verband=verband_key,
    )
    _unique(gemeinden["id"], gemeinden, "Gemeinde", where)
    zero = ((gemeinden["lat"] == 0) & (gemeinden["lon"] == 0)).to_numpy()
    gemeinden.loc[zero, ["lat", "lon"]] = np.nan  # 0/0 marks a centre that is not known
    gemeinden["verband_name"] = gemeinden["verband"].map(verband_names)
    parent_kind = gemeinden["parent"].map(kind_of)

    orphans = gemeinden[parent_kind.isna().to_numpy()]

    own = gemeinden[(parent_kind == "kreisfreie_stadt").to_numpy()]
    wrong = own[~own["tk"].isin(list(KFS_GEMEINDE))]
    if len(wrong):
        first = wrong.iloc[0]
        raise DataFileError(
            f"{where}, row {first['row']}: Gemeinde {first['id']} ({first['name']}) lies in the "
            f"kreisfreie Stadt {first['parent']} but its Textkennzeichen is "
            f"{first['tk']!r}; allowed inside a kreisfreie Stadt: 61 Kreisfreie Stadt, "
            "62 Stadtkreis (its own record)"
        )
    _unique(own["parent"], own, "kreisfreie Stadt", where, what_of="Gemeinde record of a")
    stray = gemeinden[(parent_kind == "landkreis").to_numpy() & gemeinden["tk"].isin(KFS_GEMEINDE)]
    if len(stray):
        first = stray.iloc[0]
        raise DataFileError(
            f"{where}, row {first['row']}: Gemeinde {first['id']} ({first['name']}) has "
            f"Textkennzeichen {first['tk']} (kreisfreie Stadt) but its Kreis {first['parent']} "
            "is a Landkreis; allowed below a Landkreis: Textkennzeichen 60 and 63-67"
        )
    member = gemeinden[(parent_kind == "landkreis").to_numpy()]

    land_units = pd.DataFrame(
        {
            "row": laender["row"],
            "id": laender["land"],
            "name": laender["name"],
            "kind": "land",
            "land": laender["land"],
            "ars": laender["land"],
        }
    )
    kreis_units = pd.DataFrame(
        {
            "row": kreise["row"],
            "id": kreise["id"],
            "name": kreise["name"],
            "kind": kreis_kind,
            "land": kreise["land"],
            "ars": kreise["id"],
            "kreis_typ": kreise["tk"].map(lambda t: KREIS_TYPES[t][1]),
            "regierungsbezirk": (kreise["land"] + kreise["rb"]).map(regbez),
            "region": (kreise["land"] + kreise["rb"] + kreise["kreis"].str[:1]).map(region),
        }
    )
    kreis_units = _with_kfs_figures(kreis_units, own)
    kreis_units = _with_sums(kreis_units, member, "parent", only=kreis_units["kind"] == "landkreis")
    counted = pd.concat([member, own])
    land_units = _with_sums(land_units, counted, "land", only=None)
    gemeinde_units = pd.DataFrame(
        {
            "row": member["row"],
            "id": member["id"],
            "name": member["name"],
            "kind": "gemeinde",
            "land": member["land"],
            "parent": member["parent"],
            "population": member["population"],
            "lat": member["lat"],
            "lon": member["lon"],
            "ars": member["ars"],
            "ags": member["id"],
            "area_km2": member["area"],
            "gemeinde_typ": member["tk"].map(_gemeinde_typ),
            "gemeindefrei": member["tk"].isin(GEMEINDEFREI),
            "verband": member["verband"],
            "verband_name": member["verband_name"],
            "regierungsbezirk": (member["land"] + member["rb"]).map(regbez),
            "region": (member["land"] + member["rb"] + member["kreis"].str[:1]).map(region),
            "plz": member["plz"],
            "verstaedterung": member["verstaedterung"],
        }
    )
    units = pd.concat([land_units, kreis_units, gemeinde_units], ignore_index=True)
    units = units.sort_values("row", kind="stable")
    return _Built(_typed(units), frozenset(gemeinden.loc[zero, "id"]), orphans)


def _gemeinde_typ(code: object) -> str | None:
    if not isinstance(code, str):
        return None
    return GEMEINDE_TYPES.get(code, f"Textkennzeichen {code}")


def _count(value: object) -> str:
    if isinstance(value, int | float) and not np.isnan(value):
        return f"{int(value):,}"
    return "unknown"


def _row(records: pd.DataFrame, position: int) -> int:
    """The Excel row number of the record at ``position``."""
    return int(records["row"].iloc[position])


def _unique(
    ids: pd.Series, records: pd.DataFrame, what: str, where: str, *, what_of: str = "record of a"
) -> None:
    """Raise naming both rows when a key appears twice."""
    twice = ids.duplicated(keep="first")
    if twice.any():
        key = ids[twice].iloc[0]
        rows = records.loc[(ids == key).to_numpy(), "row"].tolist()
        raise DataFileError(
            f"{where}, rows {rows[0]} and {rows[1]}: field 'ARS' has value '{key}' twice; "
            f"allowed: one {what_of} {what} per key"
        )


def _with_kfs_figures(kreise: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """Give each kreisfreie Stadt the figures of its own Gemeinde record."""
    figures = own.set_index("parent")
    columns = {
        "population": "population",
        "lat": "lat",
        "lon": "lon",
        "area": "area_km2",
        "id": "ags",
        "tk": "gemeinde_typ",
        "plz": "plz",
        "verstaedterung": "verstaedterung",
    }
    out = kreise.copy()
    for source, target in columns.items():
        out[target] = out["id"].map(figures[source])
    out["gemeinde_typ"] = out["gemeinde_typ"].map(_gemeinde_typ, na_action="ignore")
    return out


def _with_sums(
    units: pd.DataFrame, gemeinden: pd.DataFrame, by: str, *, only: pd.Series | None
) -> pd.DataFrame:
    """Sum population and area of the Gemeinden per unit; lat/lon as population-weighted mean.

    ``only`` limits the units that get the sums (the others keep their own figures).
    """
    located = gemeinden["lat"].notna() & gemeinden["lon"].notna()
    weight = gemeinden["population"].where(located, 0.0).fillna(0.0)
    frame = pd.DataFrame(
        {
            "key": gemeinden[by],
            "population": gemeinden["population"],
            "area": gemeinden["area"],
            "w": weight,
            "wlat": weight * gemeinden["lat"].fillna(0.0),
            "wlon": weight * gemeinden["lon"].fillna(0.0),
            "n": located.astype("float64"),
            "lat": gemeinden["lat"].where(located, 0.0),
            "lon": gemeinden["lon"].where(located, 0.0),
        }
    )
    sums = frame.groupby("key", sort=False).sum(min_count=1)
    weighted = sums["w"] > 0
    lat = (sums["wlat"] / sums["w"]).where(weighted, sums["lat"] / sums["n"])
    lon = (sums["wlon"] / sums["w"]).where(weighted, sums["lon"] / sums["n"])
    out = units.copy()
    mask = pd.Series(True, index=out.index) if only is None else only
    keys_ = out["id"]
    for column, values in (
        ("population", sums["population"]),
        ("area_km2", sums["area"].round(2)),
        ("lat", lat.round(6)),
        ("lon", lon.round(6)),
    ):
        mapped = keys_.map(values)
        if column in out.columns:
            out[column] = out[column].where(~mask, mapped)
        else:
            out[column] = mapped.where(mask)
    return out


def _typed(units: pd.DataFrame) -> pd.DataFrame:
    """Put the columns in order with their types: keys and names text, figures numbers."""
    out: dict[str, pd.Series] = {}
    for column in COLUMNS:
        values = units[column] if column in units.columns else pd.Series(None, index=units.index)
        if column == "population":
            out[column] = values.astype("float64").round().astype("Int64")
        elif column in ("lat", "lon", "area_km2"):
            out[column] = values.astype("float64")
        elif column == "gemeindefrei":
            out[column] = values.astype("boolean")
        else:
            out[column] = values.astype("str")
    if "row" in units.columns:  # the sheet row each unit was read from, taken off at the end
        out["row"] = units["row"].astype("int64")
    return pd.DataFrame(out).reset_index(drop=True)


# --- selecting --------------------------------------------------------------------------


def _select(
    units: pd.DataFrame,
    level: str,
    laender: list[str] | None,
    kreise: list[str] | None,
    where: str,
) -> pd.DataFrame:
    """Keep the level and the Länder or Kreise asked for."""
    kind = units["kind"]
    keep = pd.Series(True, index=units.index)
    if level == "kreis":
        keep &= kind != "gemeinde"
    present = units.loc[kind == "land", "id"].tolist()
    if laender is not None:
        absent = [code for code in laender if code not in present]
        if absent:
            raise DataFileError(
                f"{where}: --land (laender) value '{absent[0]}' ({keys.LAND_NAMES[absent[0]]}) "
                f"has no records in the file; allowed: the Länder in the file "
                f"({', '.join(present) or 'none'})"
            )
        keep &= units["land"].isin(laender)
    if kreise is not None:
        known = units.loc[kind.isin(["landkreis", "kreisfreie_stadt"])]
        lands = dict(zip(known["id"], known["land"], strict=True))
        for key in kreise:
            if key not in lands:
                same = known.loc[known["land"] == key[:2], "id"].head(3).tolist()
                example = ", ".join(same) if same else "09184"
                raise DataFileError(
                    f"{where}: --kreis (kreise) value '{key}' names no Kreis in the file; "
                    f"allowed: the 5-digit key of one of its {len(known):,} Kreise "
                    f"(e.g. {example})"
                )
            if laender is not None and lands[key] not in laender:
                raise DataFileError(
                    f"{where}: --kreis (kreise) value '{key}' lies in Land {lands[key]} "
                    f"({keys.LAND_NAMES[lands[key]]}), not in the selected Länder "
                    f"({', '.join(laender)}); allowed: Kreise of the selected Länder"
                )
        chosen = set(kreise)
        own_laender = {lands[k] for k in kreise}
        in_kreis = units["id"].isin(chosen) | units["parent"].isin(chosen)
        keep &= in_kreis | ((kind == "land") & units["id"].isin(own_laender))
    return units[keep].reset_index(drop=True)


def _notes(
    built: _Built,
    units: pd.DataFrame,
    level: str,
    laender: list[str] | None,
    kreise: list[str] | None,
) -> list[str]:
    """Say what was left out, kept specially or computed, for the units that were kept."""
    notes = []
    orphans = built.orphans
    if kreise is not None:
        orphans = orphans.iloc[:0]
    elif laender is not None:
        orphans = orphans[orphans["land"].isin(laender)]
    if len(orphans):
        listed = "; ".join(
            f"{o.id} {o.name} ({_count(o.population)} inhabitants)"
            for o in orphans.head(10).itertuples()
        )
        more = f" and {len(orphans) - 10:,} more" if len(orphans) > 10 else ""
        notes.append(
            f"left out {len(orphans):,} Gemeinde record(s) whose Kreis is not in the file "
            f"(unbewohnte Gebiete directly below a Land): {listed}{more}; they count in no "
            "Kreis or Land total"
        )
    zero = sorted(built.zero_coordinates & set(units["ags"].dropna()))
    if zero:
        notes.append(
            f"{len(zero):,} unit(s) have coordinates 0/0 in the file and got none: "
            + ", ".join(zero[:10])
        )
    kind = units["kind"]
    free = int(units["gemeindefrei"].fillna(False).sum())
    if free:
        notes.append(
            f"kept {free:,} gemeindefreie Gebiete (Textkennzeichen 65/66) as kind gemeinde "
            "with gemeindefrei = true"
        )
    kfs = int((kind == "kreisfreie_stadt").sum())
    if kfs:
        what = "Gemeinde record" if level == "kreis" else "Gemeinde record, which is no unit"
        notes.append(
            f"{kfs:,} kreisfreie Städte carry the population, area, coordinates and AGS (ags) "
            f"of their own {what}"
        )
    if kind.isin(["landkreis", "land"]).any():
        notes.append(
            "Landkreise and Länder: population and area_km2 are sums over their Gemeinden, "
            "lat/lon the population-weighted mean of the Gemeinde centres (eigene Berechnungen)"
        )
    return notes


# --- dates ------------------------------------------------------------------------------


def _reference_date(sheet: _Sheet, source: Path) -> str | None:
    """The date the data describe: from the title above the header, else from the file name."""
    above = sheet.cells.iloc[: sheet.layout.first]
    for value in above.to_numpy().ravel():
        if isinstance(value, str):
            match = _DATE.search(value)
            if match and (date := _date(match.group(3), match.group(2), match.group(1))):
                return date
    for text in (sheet.name, source.stem):
        match = _FILE_DATE.search(text)
        if match and (date := _date(match.group(3), match.group(2), match.group(1))):
            return date
    return None


def _date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _published_year(sheet: _Sheet) -> str | None:
    """The year in the copyright line ("Statistisches Bundesamt (Destatis), 2024"), if any."""
    layout = sheet.layout
    outside = pd.concat([sheet.cells.iloc[layout.last + 1 :], sheet.cells.iloc[: layout.first]])
    for value in outside.to_numpy().ravel():
        if isinstance(value, str):
            match = _PUBLISHED.search(value)
            if match:
                return match.group(1)
    return None
