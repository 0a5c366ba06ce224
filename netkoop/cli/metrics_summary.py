"""The metrics report in the terminal: a short summary for people, or every value and table."""

from __future__ import annotations

import math
import numbers
import textwrap
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

import click
import numpy as np
import pandas as pd

from netkoop.cli.output import clean
from netkoop.metrics import Report
from netkoop.model.labels import (
    column_label,
    kind_cells,
    measure_label,
    section_label,
    table_label,
)
from netkoop.model.vocabulary import VALUE_LABELS_DE

#: Rows of a table the full dump shows (``--all``); the files hold every row.
ROWS_SHOWN = 10

# Notes wrap at this width.
_WRAP = 100

# Text cells of the summary longer than this are cut (a forum's name can take 60 characters).
_LONGEST = 36

# Values the summary leaves to --all: repeated elsewhere (the test's observed E-I index, its
# permutations, forum pairs that are the difference of two others, tied pairs beside ties,
# mean clustering beside transitivity) or settings.
_SKIPPED = frozenset(
    {
        "structure.pairs",
        "structure.average_clustering",
        "kreis.ei_test.observed",
        "kreis.ei_test.std",
        "kreis.ei_test.permutations",
        "kreis.forum_pairs.both",
        "kreis.forum_pairs.direct_only",
        "communities.method",
        "communities.seed",
        "communities.units",
        "communities.isolates",
        "focus.key",
    }
)

# Why a value is undefined, by value key or family prefix (the first that fits).
_UNDEFINED: Mapping[str, tuple[str, str]] = {
    "kreis": ("keine Verbindung gezählt", "no tie counted"),
    "gap.coverage": ("keine Pendlerdaten", "no commuter data"),
    "gap_neighbours.coverage": (
        "keine Pendler zwischen Nachbarn",
        "no commuters between neighbours",
    ),
    "gap_focus.coverage": ("keine Pendler von Fokus und Kreis", "no commuters of focus and Kreis"),
    "mixing.assortativity_by_kind": (
        "keine Verbindung oder nur Einheiten einer Art verbunden",
        "no tie, or ties only between units of one kind",
    ),
    "communities": ("keine Verbindung", "no tie"),
    "structure": ("keine Verbindung", "no tie"),
    "survey.response_rate": ("niemand befragt", "nobody asked"),
    "survey.reciprocity": (
        "keine Verbindung, zu der beide Seiten antworteten",
        "no tie whose both sides answered",
    ),
}


@dataclass(frozen=True)
class _Shown:
    """How the summary shows one table: its columns, rows, their order, and whether the
    table is turned (a few rows of many long-named counts read better as columns)."""

    columns: tuple[str, ...] | None = None
    rows: int = 5
    sort: tuple[str, ...] = ()
    turned: bool = False


_GAP_PAIRS = _Shown(("name_a", "name_b", "commuters", "adjacent"))
_GAP_TYPES = _Shown(("pairs", "pairs_tied", "commuters", "coverage"))
_STUDY = _Shown(turned=True)

# The tables of the summary, in this order. Those mapped to None are left to --all: they
# repeat others in other terms (densities, the E-I index and brokerage by unit or kind,
# forum pairs by pair type) or list every unit (communities). A table not named here is
# shown whole, its first rows.
_TABLES: Mapping[str, _Shown | None] = {
    "focus_position": _Shown(rows=20),
    "focus_partners": _Shown(("name", "partner_name", "tie_kind", "intensity", "scope"), rows=10),
    "gap_focus_by_type": _GAP_TYPES,
    "gap_focus_uncovered": _GAP_PAIRS,
    "structure_units": _Shown(("degree", "neighbours", "betweenness", "closeness")),
    "structure_by_tie_kind": _Shown(("ties", "units"), rows=6),
    "structure_bridges": _Shown(("name_from", "name_to", "kind")),
    "mixing_ties": _Shown(),
    "mixing_density": None,
    "kreis_ei_units": None,
    "kreis_ei_by_kind": _Shown(),
    "kreis_study_counts": _STUDY,
    "kreis_study_counts_reported": _STUDY,
    "kreis_forum_pairs": None,
    "brokerage_units": _Shown(),
    "brokerage_by_kind": None,
    "communities_units": None,
    "communities_crosstab": None,
    "gap_by_type": _GAP_TYPES,
    "gap_uncovered": _GAP_PAIRS,
    "gap_neighbours_by_type": None,
    "gap_neighbours_uncovered": None,
    "survey_response": _Shown(),
    "survey_ties": _Shown(),
    "survey_reciprocity": _Shown(),
    "survey_asymmetric": _Shown(("name_from", "name_to", "kind", "reported_by")),
    "survey_union_confirmed": _Shown(rows=10),
}

# With a focus these tables of the whole report repeat the focus's own.
_FOCUSED_AWAY = frozenset({"gap_uncovered"})

# The families the summary shows first: with a focus, its own profile.
_FIRST = ("focus", "gap_focus")

# Pair types name a Gemeinde short ("Gemeinde–Gemeinde (über Kreisgrenzen)"): the long name
# would make a pair type 70 characters wide.
_SHORT = {"de": "kreisangehörige Gemeinde", "en": "Gemeinde (kreisangehörig)"}


def summary(report: Report, lang: str = "de", *, names: Mapping[str, str] | None = None) -> str:
    """The report for people: headline values by family and the tables that carry
    information, each cut to its first rows.

    Undefined values say why (``nicht bestimmt (keine Pendlerdaten)``), the p-value of the
    E-I test says whether it is significant at 5 %, and tables (or their rows and columns)
    of nothing but zeros and missing values are left out. ``names`` (unit names by id) adds
    names to the tables indexed by unit id and to ties. Numbers as ``lang`` writes them:
    in German 1.000 and 0,25.
    """
    de = lang != "en"
    lines = [_heading(report, lang), ""]
    if "focus.name" in report.values:
        lines += [_focus_note(report, lang), ""]
    for family, keys in _families(report).items():
        shown = {key: _explained(key, report.values, lang, names) for key in keys}
        shown = {key: text for key, text in shown.items() if text and key not in _SKIPPED}
        if not shown:
            continue
        lines.append(click.style(clean(section_label(family, lang)), bold=True))
        labels = {key: clean(measure_label(key, lang)) for key in shown}
        width = max(len(label) for label in labels.values())
        lines += [f"  {labels[key]:<{width}}  {text}" for key, text in shown.items()]
        lines.append("")
    known = list(_TABLES)
    focused = "focus_partners" in report.tables
    for name in sorted(report.tables, key=lambda t: known.index(t) if t in known else len(known)):
        if focused and name in _FOCUSED_AWAY:
            continue
        text = _summary_table(name, report.tables[name], lang, names)
        if text:
            lines += [text, ""]
    lines.append(
        "--all zeigt alle Kennzahlen und Tabellen, --output schreibt alle in eine Datei."
        if de
        else "--all shows every measure and table, --output writes them all to a file."
    )
    return "\n".join(lines)


def dump(report: Report, lang: str = "de") -> str:
    """The whole report for the terminal: every value and the first rows of every table,
    headers labelled in ``lang``."""
    lines = [_heading(report, lang), ""]
    labels = {key: clean(measure_label(key, lang)) for key in report.values}
    width = max((len(label) for label in labels.values()), default=0)
    lines += [
        f"  {labels[key]:<{width}}  {value_text(value, lang)}"
        for key, value in report.values.items()
    ]
    for name, table in report.tables.items():
        lines += ["", click.style(clean(table_label(name, lang)), bold=True)]
        if table.empty:
            lines.append("  keine" if lang == "de" else "  none")
            continue
        lines.append(_table_text(table.head(ROWS_SHOWN), lang, positional=_positional(table)))
        if len(table) > ROWS_SHOWN:
            more = value_text(len(table) - ROWS_SHOWN, lang)
            lines.append(
                f"  ... {more} weitere Zeilen (--output schreibt alle)"
                if lang == "de"
                else f"  ... {more} more rows (--output writes all)"
            )
    return "\n".join(lines)


def _heading(report: Report, lang: str) -> str:
    heading = "Kennzahlen" if lang == "de" else "Metrics"
    return click.style(f"{heading}: {clean(report.name)}", bold=True)


def _focus_note(report: Report, lang: str) -> str:
    name = clean(report.values["focus.name"])
    note = (
        f"Focus {name}: tables by unit, tie or pair keep only its area; the other measures "
        "are those of the whole network."
        if lang == "en"
        else f"Fokus {name}: Tabellen je Einheit, Verbindung oder Paar zeigen nur sein Gebiet, "
        "die übrigen Kennzahlen gelten für das ganze Netz."
    )
    return textwrap.fill(note, width=_WRAP)


def _families(report: Report) -> dict[str, list[str]]:
    """The value keys by family (the prefix before the first dot), the focus first."""
    families: dict[str, list[str]] = {}
    for key in report.values:
        families.setdefault(key.split(".", 1)[0], []).append(key)
    first = {family: families.pop(family) for family in _FIRST if family in families}
    return first | families


def _explained(
    key: str, values: Mapping[str, object], lang: str, names: Mapping[str, str] | None = None
) -> str:
    """A headline value as people read it, an undefined one with why; "" to leave it out."""
    value = values[key]
    if key == "kreis.ei_test.p_value" and _defined(value):
        return _p_value(values, lang)
    if key == "gap.column" and value == "commuters":  # the default, no news
        return ""
    if key == "gap.flows" and value == 0:
        return (
            "keine (ohne Pendlerdaten keine Pendlerlücke)"
            if lang == "de"
            else "none (no commuting gap without commuter data)"
        )
    if key == "focus.kind" and isinstance(value, str):
        return clean(kind_cells(lang)["kind"](value))
    if key == "focus.kreis" and isinstance(value, str) and names and value in names:
        return f"{clean(names[value])} ({clean(value)})"
    if key == "focus.kreis" and value is None:
        return "keiner" if lang == "de" else "none"
    if key == "focus.role":
        if isinstance(value, str):
            return clean(column_label(value, lang))
        return "keine (vermittelt nicht)" if lang == "de" else "none (brokers nowhere)"
    if _defined(value):
        return value_text(value, lang, trim=True)
    reason = next(
        (pair for prefix, pair in _UNDEFINED.items() if key == prefix or key.startswith(prefix)),
        None,
    )
    undefined = "nicht bestimmt" if lang == "de" else "undefined"
    if reason is None:
        return undefined
    return f"{undefined} ({reason[1] if lang == 'en' else reason[0]})"


def _p_value(values: Mapping[str, object], lang: str) -> str:
    """The E-I test's p-value with what it means: significant at 5 %, and in which way."""
    p = float(values["kreis.ei_test.p_value"])  # type: ignore[arg-type]
    observed = values.get("kreis.ei_test.observed")
    expected = values.get("kreis.ei_test.expected")
    text = value_text(p, lang, trim=True)
    inside = isinstance(observed, float) and isinstance(expected, float) and observed < expected
    if lang == "en":
        if p >= 0.05:
            return f"{text} – not significant at 5 %: the pattern may be chance"
        where = "inside Kreise" if inside else "across Kreis borders"
        return f"{text} – significant at 5 %: more ties {where} than by chance"
    if p >= 0.05:
        return f"{text} – nicht signifikant (5-%-Niveau): das Muster kann Zufall sein"
    where = "im Kreis" if inside else "über Kreisgrenzen"
    return f"{text} – signifikant (5-%-Niveau): mehr Verbindungen {where} als bei Zufall"


def _defined(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _summary_table(
    name: str, table: pd.DataFrame, lang: str, names: Mapping[str, str] | None
) -> str:
    """A table of the summary (title, first rows, how many more), or "" when it says nothing."""
    if name in _TABLES and _TABLES[name] is None:
        return ""
    shown = _TABLES.get(name) or _Shown()
    title = click.style(clean(table_label(name, lang)), bold=True)
    frame = table if names is None else _named(table, names)
    if shown.columns is not None:
        frame = frame[[c for c in dict.fromkeys(("name", *shown.columns)) if c in frame.columns]]
    if name == "focus_position":
        return f"{title}\n{_position_text(frame, lang)}"
    if name == "focus_partners" and len(set(table["unit"])) <= 1:
        frame = frame.drop(columns="name", errors="ignore")  # one unit: the focus itself
    frame = _informative(frame)
    if frame.empty:
        return ""
    if shown.sort:
        frame = frame.sort_values(list(shown.sort), ascending=False, kind="stable")
    head = frame.head(shown.rows)
    lines = [title, _cells_text(head, lang, positional=_positional(table), turned=shown.turned)]
    if len(frame) > shown.rows:
        more = value_text(len(frame) - shown.rows, lang)
        lines.append(f"  ... {more} weitere Zeilen" if lang == "de" else f"  ... {more} more rows")
    if head.select_dtypes(include="number").isna().any().any():
        lines.append("  – nicht bestimmt" if lang == "de" else "  – undefined")
    return "\n".join(lines)


def _named(table: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The table with the names of its units: a ``name`` column for rows indexed by unit id,
    ``name_from`` and ``name_to`` beside ties' ``from`` and ``to``."""
    if table.index.name == "id" and "name" not in table.columns:
        table = table.copy()
        table.insert(0, "name", [names.get(str(i), str(i)) for i in table.index])
    elif {"from", "to"} <= set(table.columns) and "name_from" not in table.columns:
        table = table.assign(
            name_from=table["from"].map(lambda i: names.get(str(i), str(i))),
            name_to=table["to"].map(lambda i: names.get(str(i), str(i))),
        )
    return table


def _informative(table: pd.DataFrame) -> pd.DataFrame:
    """The table without the rows and columns that say nothing: counts (whole numbers, yes
    or no) of only zeros and missing values, or other numbers only missing.

    A share or an index of 0 says something (no commuter covered, as many ties inside as
    across), so a float 0 stays; a unit whose counts are all 0 goes, its name does not keep
    it; text columns go only when empty.
    """
    counts = table.select_dtypes(include=["integer", "bool", "boolean"])
    floats = table.select_dtypes(include=["float", "Float64"])
    if len(counts.columns) + len(floats.columns):
        nothing = pd.concat([counts.astype("float64").fillna(0).eq(0), floats.isna()], axis=1)
        table = table.loc[~nothing.all(axis=1)]
        table = table.drop(
            columns=[c for c in nothing.columns if nothing.loc[table.index, c].all()]
        )
    return table.dropna(axis=1, how="all")


def _position_text(position: pd.DataFrame, lang: str) -> str:
    """The focus's position: value, rank among its kind ("2 von 8"), percentile, main role."""
    de = lang != "en"
    if position.empty:
        return "  keine Kennzahlen für diese Einheit" if de else "  no measures for this unit"
    of = "von" if de else "of"
    undefined = "nicht bestimmt (keine Verbindung gezählt)" if de else "undefined (no tie counted)"
    rows = {}
    for measure, row in position.iterrows():
        value = float(row["value"])
        defined = not math.isnan(value)
        percentile = value_text(float(row["percentile"]), lang, trim=True, digits=1)
        rows[measure_label(str(measure), lang)] = {
            "value": _number(value, lang) if defined else undefined,
            "rank": f"{int(row['rank'])} {of} {int(row['units'])}" if defined else "–",
            "percentile": f"{percentile} %" if defined else "–",
            "role": column_label(row["role"], lang) if isinstance(row["role"], str) else "",
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    if not (frame["role"] != "").any():
        frame = frame.drop(columns="role")
    note = textwrap.fill(
        "Rang unter den Einheiten derselben Art (1 = höchster Wert); Perzentil: Anteil der "
        "Einheiten dieser Art mit kleinerem Wert"
        if de
        else "rank among the units of the same kind (1 = highest); percentile: share of the "
        "units of that kind with a smaller value",
        width=_WRAP,
        initial_indent="  ",
        subsequent_indent="  ",
    )
    return f"{_plain_text(_labelled(frame, lambda c: column_label(c, lang)))}\n{note}"


def _table_text(table: pd.DataFrame, lang: str, *, positional: bool) -> str:
    """Rows of a table with kinds and headers in words and numbers as ``lang`` writes them."""
    head = _in_words(table, lang)
    if head.index.name == "measure":  # rows named by measure, e.g. the survey's
        head = head.rename(index=lambda key: measure_label(str(key), lang))
    shown = _labelled(head, lambda column: column_label(column, lang))
    numbers = (lambda v: _number(v, lang)) if lang == "de" else None
    return clean(shown.to_string(index=not positional, float_format=numbers))


def _cells_text(table: pd.DataFrame, lang: str, *, positional: bool, turned: bool) -> str:
    """Rows of a summary's table: as `_table_text`, but every cell as people read it (1.000,
    ja / nein, long names cut, missing as "–"), pair types short, no line for the index
    name, and ``turned`` with the columns as rows."""
    head = _in_words(table, lang, short=True)
    if head.index.name == "measure":
        head = head.rename(index=lambda key: measure_label(str(key), lang))
    shown = _labelled(head, lambda column: column_label(column, lang))
    shown = pd.DataFrame(
        {column: shown[column].map(lambda v: _cell(v, lang)) for column in shown.columns},
        index=shown.index,
    ).set_axis(shown.columns, axis=1)
    if turned:
        shown = shown.T
    return _plain_text(shown, index=not positional)


def _plain_text(table: pd.DataFrame, *, index: bool = True) -> str:
    """A table of text cells, right-aligned, two spaces between columns, no index name line."""
    table = table.rename_axis(index=None)
    space: dict[Hashable, int] = {
        column: max(len(str(column)), *(len(str(v)) for v in table[column])) + 1
        for column in table.columns
        if len(table)
    }
    return clean(table.to_string(index=index, col_space=space))


def _cell(value: object, lang: str) -> str:
    """One cell of a summary's table as people read it."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool | np.bool_):
        return ("ja" if value else "nein") if lang == "de" else ("yes" if value else "no")
    if isinstance(value, numbers.Integral):
        return value_text(int(value), lang)
    if isinstance(value, numbers.Real):
        # German tables keep four decimals, so that a column's figures line up.
        number = float(value)
        return _number(number, lang) if lang == "de" else value_text(number, lang, trim=True)
    text = clean(value)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"


def _in_words(table: pd.DataFrame, lang: str, *, short: bool = False) -> pd.DataFrame:
    """The table with kinds, pair types, confirmations, intensities and brokerage roles as
    people read them in ``lang``; ``short`` names a Gemeinde short in pair types."""
    cells: dict[str, Callable[[object], object]] = dict(kind_cells(lang))
    if short:
        pair = cells["pair_type"]
        long = _SHORT["en" if lang == "en" else "de"]
        cells["pair_type"] = lambda value: str(pair(value)).replace(long, "Gemeinde")
    if lang == "de":
        cells["intensity"] = lambda value: VALUE_LABELS_DE.get(("intensity", str(value)), value)
    cells["role"] = lambda value: column_label(value, lang) if isinstance(value, str) else value
    shown = table.assign(
        **{str(c): table[c].map(cells[str(c)]) for c in table.columns if str(c) in cells}
    )
    if table.index.nlevels == 1 and str(table.index.name) in cells:
        shown.index = table.index.map(cells[str(table.index.name)]).rename(table.index.name)
    return shown


def _labelled(table: pd.DataFrame, label: Callable[[str], str]) -> pd.DataFrame:
    """The table with its column and index names as people read them."""
    shown = table.rename(columns=lambda name: label(str(name)))
    if shown.columns.name is not None:
        shown.columns.name = label(str(shown.columns.name))
    names = [None if name is None else label(str(name)) for name in table.index.names]
    return shown.set_axis(table.index.set_names(names), axis=0)


def _positional(table: pd.DataFrame) -> bool:
    """Whether the rows are mere positions (a RangeIndex, rows left after filtering), which
    mean nothing to a reader."""
    return not any(table.index.names) and pd.api.types.is_integer_dtype(table.index)


def _number(value: float, lang: str) -> str:
    """A table cell's float: whole numbers (counts that pandas holds as floats) without
    decimals, the rest with four."""
    number = float(value)
    return value_text(int(number) if number.is_integer() else number, lang)


def value_text(value: object, lang: str = "de", *, trim: bool = False, digits: int = 4) -> str:
    """A value as people read it in ``lang``: in German 0,2564 and 1.000.

    ``trim`` drops trailing zeros of a float (0,25 rather than 0,2500); ``digits`` is the
    number of decimals before that.

    Examples
    --------
    >>> value_text(1000), value_text(0.25, trim=True), value_text(-0.625, "en")
    ('1.000', '0,25', '-0.6250')
    """
    if isinstance(value, float):
        text = f"{value:,.{digits}f}"
        if trim and "." in text:
            text = text.rstrip("0").rstrip(".")
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    else:
        return "" if value is None else clean(value)
    if lang == "de":  # swap the separators: 1,234.5 -> 1.234,5
        text = text.translate(str.maketrans(",.", ".,"))
    return text
