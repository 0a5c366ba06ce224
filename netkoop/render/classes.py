"""Choropleth classes shared by page and figure: class breaks, colours and legend labels.

Breaks come from mapclassify (quantiles, Fisher-Jenks natural breaks) or from the values
themselves (categories); missing values get a class of their own, "keine Angabe". The
palettes are colour-blind-safe: ColorBrewer's YlGnBu for ordered classes, Paul Tol's "light"
scheme for categories (made for fills with text and lines on top).
"""

from __future__ import annotations

import importlib
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.metrics.overview import FIGURE_COLUMNS, overview
from netkoop.model.labels import Lang, check_lang
from netkoop.model.network import Network
from netkoop.model.selection import responded
from netkoop.model.vocabulary import (
    KREIS_KINDS,
    LABELS_DE,
    LABELS_EN,
    UNIT_KINDS,
    VALUE_LABELS_DE,
)

Scheme = Literal["quantiles", "natural_breaks", "categories"]

#: The ways to classify values.
SCHEMES: tuple[Scheme, ...] = ("quantiles", "natural_breaks", "categories")

#: Sequential colours (ColorBrewer YlGnBu, colour-blind safe) by number of classes.
SEQUENTIAL: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {
        1: ("#41b6c4",),
        2: ("#c7e9b4", "#2c7fb8"),
        3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
        4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
        5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
        6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
        7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
        8: (
            *("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb"),
            *("#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
        ),
        9: (
            *("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4"),
            *("#1d91c0", "#225ea8", "#253494", "#081d58"),
        ),
    }
)

#: Qualitative colours for categories (Paul Tol's "light", without its grey).
QUALITATIVE: tuple[str, ...] = (
    *("#77aadd", "#ee8866", "#44bb99", "#eedd88"),
    *("#ffaabb", "#99ddff", "#bbcc33", "#aaaa00"),
)

#: The colour of the class of missing values.
MISSING_COLOUR = "#dddddd"

#: The largest number of classes.
MAX_CLASSES = max(SEQUENTIAL)

#: Up to this many values, natural breaks are Fisher-Jenks on all of them; above, on this
#: many values at evenly spaced ranks (the exact method takes time growing with the square of
#: the number of values).
JENKS_LIMIT = 500

#: Measures per unit that ``color_by`` accepts besides unit columns: the overview figures
#: and ``coverage``, the share of a unit's commuters that travel between tied units.
MEASURES: tuple[str, ...] = (*FIGURE_COLUMNS, "coverage")

#: Names ``--color-by`` accepts on any network that has them: the measures, the usual unit
#: columns and ``responded`` (whether a unit answered a survey). Any other column of the
#: units table is accepted too.
COLOR_BY: tuple[str, ...] = (*MEASURES, "population", "coordination_office", "responded")

#: Values shown as percentages (shares from 0 to 1).
PERCENT: frozenset[str] = frozenset({"coverage", "response_rate", "confirmed_share"})

_MISSING_LABEL = {"de": "keine Angabe", "en": "no data"}
_YES_NO = {"de": {"yes": "ja", "no": "nein"}, "en": {"yes": "yes", "no": "no"}}
_ANSWERED = {
    "de": {"yes": "hat geantwortet", "no": "hat nicht geantwortet"},
    "en": {"yes": "answered", "no": "did not answer"},
}
# Columns of the units table that are no values to colour by.
_NOT_VALUES = frozenset({"id", "name", "lat", "lon", "geometry"})


@dataclass(frozen=True, eq=False)
class Classes:
    """Classes of values for a choropleth: which class each value is in, its colour and label.

    Classes are numbered from 0; missing values, if any, form the last class. The colour
    and label of a value are ``colours[codes[i]]`` and ``labels[codes[i]]``.

    Attributes
    ----------
    scheme
        ``"quantiles"``, ``"natural_breaks"`` or ``"categories"``.
    breaks
        The upper bound of each class of values (empty for categories); a value belongs to
        the first class whose bound is at least the value.
    categories
        The value of each class of categories (empty for breaks).
    codes
        The class of each value, aligned to the index of the values classified.
    colours
        One colour (``#rrggbb``) per class, the class of missing values last.
    labels
        One legend label per class, in ``lang``: for numbers the lowest and the highest
        value in the class (``1.234–5.678``, ``14,0–20,5 %``), for categories their word.
    missing
        The code of the class of missing values; None when no value is missing.
    lang
        The language of ``labels``.
    """

    scheme: Scheme
    breaks: tuple[float, ...]
    categories: tuple[str, ...]
    codes: pd.Series
    colours: tuple[str, ...]
    labels: tuple[str, ...]
    missing: int | None
    lang: Lang

    def colour_of(self) -> pd.Series:
        """Return the colour of each value, aligned to the index of the values classified.

        >>> classify(pd.Series([1, 2, None]), k=2).colour_of().tolist()
        ['#c7e9b4', '#2c7fb8', '#dddddd']
        """
        return self.codes.map(dict(enumerate(self.colours)))

    def legend(self) -> list[tuple[str, str]]:
        """Return the colour and label of each class, in order.

        >>> classify(pd.Series([1, 2]), k=2).legend()
        [('#c7e9b4', '1'), ('#2c7fb8', '2')]
        """
        return list(zip(self.colours, self.labels, strict=True))

    def to_dict(self) -> dict[str, Any]:
        """Return the classes as plain values for JSON (codes as a list in order)."""
        return {
            "scheme": self.scheme,
            "breaks": [float(b) for b in self.breaks],
            "categories": list(self.categories),
            "codes": [int(c) for c in self.codes],
            "colours": list(self.colours),
            "labels": list(self.labels),
            "missing": self.missing,
        }


def classify(values: pd.Series, scheme: str = "quantiles", k: int = 5, lang: str = "de") -> Classes:
    """Put ``values`` into classes for a choropleth.

    Parameters
    ----------
    values
        The values, e.g. from `color_values`; the series' name picks the words of
        categories (``coordination_office`` values get their German labels) and shows
        shares (see `PERCENT`) as percentages.
    scheme
        ``"quantiles"`` (about as many values in each class), ``"natural_breaks"``
        (Fisher-Jenks: classes as homogeneous as possible) or ``"categories"`` (one class
        per distinct value, for text columns).
    k
        The number of classes of numbers, 1 to `MAX_CLASSES`; fewer when the values have
        fewer distinct values (or, for quantiles, fewer distinct quantiles).
    lang
        ``"de"`` or ``"en"``: the language of the labels.

    Raises
    ------
    NetkoopError
        When the scheme is unknown, ``k`` is out of range, or breaks are asked for text.

    Examples
    --------
    >>> found = classify(pd.Series([1200, 3400, 5600, 7800, None]), k=2)
    >>> found.breaks, found.codes.tolist(), found.labels
    ((4500.0, 7800.0), [0, 0, 1, 1, 2], ('1.200–3.400', '5.600–7.800', 'keine Angabe'))
    >>> classify(pd.Series(["none", "permanent"], name="coordination_office"),
    ...          "categories").labels
    ('keine', 'dauerhaft')
    """
    chosen = check_lang(lang)
    if scheme not in SCHEMES:
        raise NetkoopError(f"scheme: {scheme!r} is unknown; use one of {', '.join(SCHEMES)}")
    if not 1 <= k <= MAX_CLASSES:
        raise NetkoopError(f"k: the number of classes must be 1 to {MAX_CLASSES}; got {k}")
    present = values.notna().to_numpy()
    if scheme == "categories":
        return _categories(values, present, chosen)
    return _breaks(values, present, cast(Scheme, scheme), k, chosen)


def default_scheme(values: pd.Series) -> Scheme:
    """Return ``"quantiles"`` for numbers and ``"categories"`` for anything else.

    >>> default_scheme(pd.Series([1, 2])), default_scheme(pd.Series(["a", None]))
    ('quantiles', 'categories')
    """
    present = values.dropna()
    if _is_boolean(values):
        return "categories"
    if pd.api.types.is_numeric_dtype(values) or (
        len(present) and pd.to_numeric(present, errors="coerce").notna().all()
    ):
        return "quantiles"
    return "categories"


def _numbers(values: pd.Series) -> np.ndarray:
    """The values as floats (NaN where missing); text that is no number is an error."""
    if pd.api.types.is_bool_dtype(values):
        raise NetkoopError(f"{values.name}: yes/no values have no breaks; use scheme categories")
    numbers = pd.to_numeric(values, errors="coerce")
    wrong = numbers.isna() & values.notna()
    if wrong.any():
        raise NetkoopError(
            f"{values.name}: {values[wrong].iloc[0]!r} is no number; "
            "text values are classified by scheme categories"
        )
    return numbers.to_numpy(dtype=np.float64, na_value=np.nan)


def _breaks(values: pd.Series, present: np.ndarray, scheme: Scheme, k: int, lang: Lang) -> Classes:
    """Classes of numbers by quantiles or natural breaks."""
    numbers = _numbers(values)
    given = numbers[present]
    distinct = len(np.unique(given))
    codes = np.zeros(len(numbers), dtype=np.int64)
    if distinct == 0:
        breaks: tuple[float, ...] = ()
    else:
        bins, yb = _mapclassify(given, scheme, min(k, distinct))
        breaks = tuple(float(b) for b in bins)
        codes[present] = yb
    count = len(breaks)
    missing = None if present.all() else count
    codes[~present] = count
    colours = SEQUENTIAL[count] if count else ()
    labels = _range_labels(values.name, given, codes[present], breaks, lang)
    if missing is not None:
        colours = (*colours, MISSING_COLOUR)
        labels = (*labels, _MISSING_LABEL[lang])
    return Classes(
        scheme=scheme,
        breaks=breaks,
        categories=(),
        codes=pd.Series(codes, index=values.index, name=values.name),
        colours=colours,
        labels=labels,
        missing=missing,
        lang=lang,
    )


def _mapclassify(given: np.ndarray, scheme: Scheme, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The upper bounds and the class of each value, from mapclassify."""
    # mapclassify loads scikit-learn, most of a second: imported when numbers are classified,
    # so that pages and figures without a choropleth of numbers do not wait for it.
    mapclassify = importlib.import_module("mapclassify")
    with warnings.catch_warnings():
        # Repeated values can give fewer distinct quantiles than classes; mapclassify then
        # makes fewer classes and says so, which is what a map of such values needs.
        warnings.filterwarnings("ignore", "Not enough unique values", UserWarning)
        # Without numba, Fisher-Jenks runs in pure Python; `JENKS_LIMIT` keeps it quick.
        warnings.filterwarnings("ignore", "Numba not installed", UserWarning)
        if scheme == "quantiles":
            found = mapclassify.Quantiles(given, k=k)
            return np.asarray(found.bins), np.asarray(found.yb)
        sample = _ranked_sample(given, JENKS_LIMIT)
        bins = np.asarray(mapclassify.FisherJenks(sample, k=k).bins, dtype=np.float64)
    bins[-1] = given.max()
    return bins, np.searchsorted(bins, given, side="left")


def _ranked_sample(values: np.ndarray, limit: int) -> np.ndarray:
    """All values when there are at most ``limit``, else ``limit`` at evenly spaced ranks."""
    if len(values) <= limit:
        return values
    ordered = np.sort(values)
    return ordered[np.linspace(0, len(ordered) - 1, limit).round().astype(np.int64)]


def _categories(values: pd.Series, present: np.ndarray, lang: Lang) -> Classes:
    """One class per distinct value, the most frequent first when there are too many."""
    texts = _category_texts(values)
    found = _category_order(values.name, texts[present])
    shown = found if len(found) <= len(QUALITATIVE) else _most_frequent(texts[present], found)
    position = {value: i for i, value in enumerate(shown)}
    codes = np.array([position.get(t, len(shown)) for t in texts], dtype=np.int64)
    labels = [_category_label(values, value, lang) for value in shown]
    colours = list(QUALITATIVE[: len(shown)])
    if len(shown) < len(found):
        labels.append(_OTHER[lang])
        colours.append(OTHER_COLOUR)
    missing = None if present.all() else len(labels)
    codes[~present] = len(labels)
    if missing is not None:
        labels.append(_MISSING_LABEL[lang])
        colours.append(MISSING_COLOUR)
    return Classes(
        scheme="categories",
        breaks=(),
        categories=tuple(shown),
        codes=pd.Series(codes, index=values.index, name=values.name),
        colours=tuple(colours),
        labels=tuple(labels),
        missing=missing,
        lang=lang,
    )


def _category_texts(values: pd.Series) -> np.ndarray:
    """The values as text: yes/no for booleans, whole numbers without a decimal point."""
    if _is_boolean(values):
        return np.array(
            [None if pd.isna(v) else ("yes" if v else "no") for v in values], dtype=object
        )
    if pd.api.types.is_numeric_dtype(values):
        return np.array([None if pd.isna(v) else _plain_number(float(v)) for v in values])
    return np.array([None if pd.isna(v) else str(v) for v in values], dtype=object)


def _is_boolean(values: pd.Series) -> bool:
    """Tell whether the values are yes/no values (a boolean column, or only True and False)."""
    if pd.api.types.is_bool_dtype(values):
        return True
    present = values.dropna()
    return len(present) > 0 and all(isinstance(v, bool | np.bool_) for v in present)


def _plain_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _category_order(name: object, texts: np.ndarray) -> list[str]:
    """Distinct values: known ones in the vocabulary's order, numbers by size, then by text."""
    distinct = set(texts.tolist())
    known = [v for v in (*_known_values(name), "no", "yes") if v in distinct]
    rest = distinct - set(known)

    def key(value: str) -> tuple[int, float, str]:
        try:
            return (0, float(value), value)
        except ValueError:
            return (1, 0.0, value)

    return [*known, *sorted(rest, key=key)]


def _known_values(name: object) -> tuple[str, ...]:
    column = str(name)
    if column == "kind":
        return UNIT_KINDS
    return tuple(value for (field, value) in VALUE_LABELS_DE if field == column)


def _most_frequent(texts: np.ndarray, found: list[str]) -> list[str]:
    """The values of the classes with colours when the categories are too many for the
    palette: the most frequent (equal counts in order), kept in order."""
    counts = pd.Series(texts).value_counts(sort=False)
    ranked = sorted(found, key=lambda v: (-int(counts[v]), found.index(v)))
    chosen = set(ranked[: len(QUALITATIVE) - 1])
    return [v for v in found if v in chosen]


def _category_label(values: pd.Series, value: str, lang: Lang) -> str:
    """The word for a category: the vocabulary's label, yes/no, a number or the value."""
    name = str(values.name)
    if lang == "de" and (name, value) in VALUE_LABELS_DE:
        return VALUE_LABELS_DE[(name, value)]
    terms = LABELS_DE if lang == "de" else LABELS_EN
    if value in terms and name in {"kind", "kind_from", "kind_to"}:
        return terms[value]
    if value in ("yes", "no") and (_is_boolean(values) or name == "responded"):
        return (_ANSWERED if name == "responded" else _YES_NO)[lang][value]
    if pd.api.types.is_numeric_dtype(values) and not _is_boolean(values):
        number = float(value)
        return number_text(number, 0 if number.is_integer() else 2, lang)
    return value.replace("_", " ") if lang == "en" and name in _VOCABULARY_COLUMNS else value


_OTHER = {"de": "sonstige", "en": "other"}

#: The colour of the class of categories beyond the palette.
OTHER_COLOUR = "#bbbbbb"

_VOCABULARY_COLUMNS = frozenset(field for field, _ in VALUE_LABELS_DE)


# --- labels of classes of numbers ---------------------------------------------------------


_GERMAN_DIGITS = str.maketrans(",.", ".,")


def number_text(value: float, decimals: int, lang: Lang | str = "de") -> str:
    """Write a number as people read it: ``1.234,5`` in German, ``1,234.5`` in English.

    Negative numbers get a minus sign (−); a value that rounds to zero has none.

    >>> number_text(1234.5, 1), number_text(1234.5, 1, "en"), number_text(-0.25, 2)
    ('1.234,5', '1,234.5', '−0,25')
    """
    written = f"{abs(value):,.{decimals}f}"
    if lang == "de":
        written = written.translate(_GERMAN_DIGITS)
    negative = value < 0 and float(f"{abs(value):.{decimals}f}") != 0
    return f"−{written}" if negative else written


def percent_text(share: float, decimals: int, lang: Lang | str = "de") -> str:
    """Write a share (0 to 1) as a percentage: ``14,0 %`` in German, ``14.0%`` in English.

    >>> percent_text(0.14, 1), percent_text(0.14, 1, "en")
    ('14,0 %', '14.0%')
    """
    number = number_text(share * 100, decimals, lang)
    return f"{number} %" if lang == "de" else f"{number}%"


def is_share(name: object) -> bool:
    """Tell whether the values of ``name`` are shares from 0 to 1, shown as percentages.

    >>> is_share("coverage"), is_share("population")
    (True, False)
    """
    column = str(name)
    return column in PERCENT or column.endswith("_share")


def _range_labels(
    name: object, given: np.ndarray, codes: np.ndarray, breaks: tuple[float, ...], lang: Lang
) -> tuple[str, ...]:
    """``lowest–highest`` value of each class (the bounds of an empty class), in as many
    decimals as tell them apart: none for whole numbers, shares as percentages."""
    lows, highs = [], []
    for code, upper in enumerate(breaks):
        inside = given[codes == code]
        lower = breaks[code - 1] if code else float(given.min())
        lows.append(float(inside.min()) if len(inside) else lower)
        highs.append(float(inside.max()) if len(inside) else upper)
    share = is_share(name)
    whole = not share and bool(np.all(np.mod(given, 1) == 0))
    decimals = 0 if whole else _decimals([*lows, *highs], share)
    return tuple(
        _span(low, high, decimals, lang, percent=share)
        for low, high in zip(lows, highs, strict=True)
    )


def _decimals(bounds: Sequence[float], share: bool) -> int:
    """The fewest decimals (from a start by the values' span) that tell the bounds apart."""
    scaled = [b * 100 for b in bounds] if share else list(bounds)
    span = max(scaled) - min(scaled)
    start = 1 if share else min(4, max(0, 2 - math.floor(math.log10(span)))) if span else 0
    for decimals in range(start, 5):
        written = [f"{b:.{decimals}f}" for b in scaled]
        if len(set(written)) == len(set(scaled)):
            return decimals
    return 4


def _span(low: float, high: float, decimals: int, lang: Lang, *, percent: bool) -> str:
    """One class's label: ``1.234–5.678``, a single number when both ends are the same."""

    def write(value: float) -> str:
        if percent:
            return percent_text(value, decimals, lang)
        return number_text(value, decimals, lang)

    first, last = write(low), write(high)
    if low >= high or first == last:
        return last
    if percent:
        # 10,0–14,0 % rather than 10,0 %–14,0 %
        first = number_text(low * 100, decimals, lang)
    joiner = " – " if low < 0 or high < 0 else "–"
    return f"{first}{joiner}{last}"


# --- values to colour by ----------------------------------------------------------------


def color_by_names(network: Network) -> tuple[str, ...]:
    """Return the names `color_values` accepts for ``network``: measures, then unit columns.

    >>> names = color_by_names(netkoop.load("beispielregion"))
    >>> "degree" in names and "coordination_office" in names
    True
    """
    columns = [c for c in network.units.columns if c not in _NOT_VALUES and c not in MEASURES]
    return (*MEASURES, *columns)


def color_values(network: Network, name: str) -> pd.Series:
    """Return the values a choropleth by ``name`` shows, one per unit, indexed by unit id.

    Parameters
    ----------
    network
        The network drawn.
    name
        A measure of `MEASURES` (``degree``, ``neighbours``, ``ei``, ``uncovered_commuters``,
        ``coverage``...), a column of the units table (``population``,
        ``coordination_office``...), or ``responded`` (``yes``/``no``; missing for units
        a survey did not ask).

    Raises
    ------
    NetkoopError
        When ``name`` is neither, listing the names allowed.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> color_values(net, "degree")["musterstadt"]
    np.int64(4)
    """
    units = network.units
    index = pd.Index(units["id"], name="id")
    if name in MEASURES:
        figures = overview(network).units
        if name == "coverage":
            return _coverage(figures).rename(name)
        return figures[name].rename(name)
    if name == "responded" and name in units.columns:
        said = responded(units)
        if said is None:
            said = pd.Series(pd.NA, index=units.index, dtype="boolean")
        words = said.map({True: "yes", False: "no"}).astype(object)
        return pd.Series(words.to_numpy(), index=index, name=name)
    if name in units.columns and name not in _NOT_VALUES:
        return pd.Series(units[name].to_numpy(), index=index, name=name)
    raise NetkoopError(
        f"color_by: {name!r} is no measure and no column of the units; "
        f"use one of {', '.join(color_by_names(network))}"
    )


def _coverage(figures: pd.DataFrame) -> pd.Series:
    """The share of each unit's commuters that travel between tied units (NaN without any)."""
    total = (figures["out_commuters"] + figures["in_commuters"]).astype(np.float64)
    covered = total - figures["uncovered_commuters"]
    return (covered / total).where(total > 0)


def choropleth_units(network: Network) -> pd.Index:
    """Return the ids of the units a choropleth colours, in the order of the units table.

    The units with a Kreis outline; without any, those with a Gemeinde outline; without
    outlines, the Kreise (Landkreise and kreisfreie Städte); else every unit other than
    forums and Länder. Page and figure colour the same units, so their classes agree.
    """
    units = network.units
    outlines = network.outlines
    chosen = ~units["kind"].isin(["forum", "land"])
    for level in ("kreis", "gemeinde"):
        drawn = units["id"].isin(outlines.loc[outlines["level"] == level, "id"])
        if drawn.any():
            chosen = drawn
            break
    else:
        kreise = units["kind"].isin(KREIS_KINDS)
        if kreise.any():
            chosen = kreise
    ids: pd.Index = pd.Index(units.loc[chosen, "id"], name="id")
    return ids


def choropleth(
    network: Network,
    name: str,
    *,
    scheme: str | None = None,
    k: int = 5,
    lang: str = "de",
    extra: pd.DataFrame | None = None,
) -> Classes:
    """Classify the values of ``name`` of the units a map colours.

    The units are those of `choropleth_units`; the values those of `color_values`, or the
    column ``name`` of ``extra`` (further measures per unit, indexed by unit id, such as
    `netkoop.render.measures.Shown.extra`) when it has one. ``scheme`` defaults to
    `default_scheme`.

    Raises
    ------
    NetkoopError
        See `color_values` and `classify`.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> choropleth(net, "coordination_office").scheme
    'categories'
    """
    units = choropleth_units(network)
    if extra is not None and name in extra.columns:
        values = extra[name].reindex(units).rename(name)
    else:
        values = color_values(network, name).reindex(units)
    return classify(values, scheme or default_scheme(values), k, lang)
