"""Read the Destatis Gemeindeverzeichnis (GV-ISys "Auszug GV") into Länder, Kreise and Gemeinden.

The workbook itself (its columns by meaning, records and dates) is read by
`netkoop.importers.gvisys_sheet`; this module builds the units and selects Länder or Kreise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError
from netkoop.importers.gvisys_sheet import (
    published_year,
    read_dates,
    read_records,
    read_sheet,
)
from netkoop.importers.imported import Imported
from netkoop.model import keys
from netkoop.model.metadata import Credit
from netkoop.scenario.document import display_path

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


def read_gvisys(
    path: str | Path,
    *,
    level: Literal["kreis", "gemeinde"] = "gemeinde",
    laender: Sequence[str] | None = None,
    kreise: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Read the Destatis Gemeindeverzeichnis extract "Auszug GV" into a units table.

    The file (e.g. ``31122023_Auszug_GV.xlsx`` from GV-ISys, or a quarterly ``30092024_…``)
    lists every Land, Kreis, Gemeindeverband and Gemeinde as records of a "Satzart". The sheet,
    its header, its first data row and each column are found by what they say, so the
    vintages since 2009 read alike although their headings differ ("Einwohner" in older files
    such as 2009's, "Bevölkerung" later; "Regionalschlüssel (RS)" or "Amtlicher
    Regionalschlüssel (ARS)"; footnote marks, line breaks, merged heading cells). A record
    repeated with the same content in every column read is dropped (``notes`` counts them);
    records of one key that disagree are an error. The Gebietsstand becomes
    ``reference_date`` and the Bevölkerungsstand ``population_date``; quarterly files carry
    the population of the previous year's end, so the two differ there.

    The units are the Länder (id: 2-digit key), the Kreise (5-digit key; Textkennzeichen 41
    Kreisfreie Stadt and 42 Stadtkreis give a ``kreisfreie_stadt``, 43 Kreis, 44 Landkreis and
    45 Regionalverband a ``landkreis``) and, at ``level="gemeinde"``, the kreisangehörige
    Gemeinden (8-digit AGS, ``parent`` the Kreis), gemeindefreie Gebiete included
    (Textkennzeichen 65 and 66, ``gemeindefrei`` true: Destatis counts them as no Gemeinde,
    and so does `netkoop info`). The Gemeinde record of a kreisfreie Stadt is no unit of its own:
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
    progress
        Called as ``progress(steps, 3)`` over the three steps: the workbook read, its records
        read, the units built (first with 0 steps, before the workbook).

    Returns
    -------
    The units table with the Destatis credit, the reference date (the Gebietsstand, e.g.
    "2023-12-31"), the population date (the Bevölkerungsstand, which in quarterly files is the
    end of the year before) and notes on what was left out, dropped or computed.

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
    step = progress or _no_progress
    step(0, 3)
    sheet = read_sheet(source, label)
    step(1, 3)
    where = f"{label}, sheet '{sheet.name}'"
    records, repeats = read_records(sheet, where)
    dates = read_dates(sheet, source)
    step(1, 3)
    built = _build_units(records, where)
    units = _select(built.units, level, wanted_laender, wanted_kreise, where)
    step(1, 3)
    notes = [*repeats, *_notes(built, units, level, wanted_laender, wanted_kreise), *dates.notes]
    published = published_year(sheet)
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
        reference_date=dates.territory,
        population_date=dates.population,
        notes=tuple(notes),
        origins=() if rows is None else tuple(f"{where}, row {row}" for row in rows),
    )


def _no_progress(steps: int, total: int) -> None:
    """The ``progress`` of a caller that asked for none."""


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
