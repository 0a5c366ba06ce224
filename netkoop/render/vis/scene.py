"""The data of a vis-network page: units, ties and flows as compact columns, legend, figures.

It turns a drawing and the measures it shows into plain lists and dicts for the page script
(``page.js``), in the neutral style of `netkoop.render.style` with vis-network's shapes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import NetkoopError
from netkoop._version import __version__
from netkoop.metrics.overview import FIGURE_COLUMNS, Pairs
from netkoop.metrics.pairs import unit_codes
from netkoop.metrics.structure import UNIT_COLUMNS
from netkoop.model.keys import LAND_NAMES
from netkoop.model.labels import date_label
from netkoop.model.network import Network
from netkoop.model.selection import NOT_SURVEYED, confirmation, responded
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, TIE_KINDS, UNIT_KINDS
from netkoop.render.drawing import Drawing, strongest_pairs
from netkoop.render.labels import LOCALES, Lang, all_text, kind_label, text, value_labels
from netkoop.render.layout import place_units
from netkoop.render.measures import Shown, largest_gaps, survey_figures
from netkoop.render.names import label_order, short_name
from netkoop.render.options import RenderOptions
from netkoop.render.outlines import context_units
from netkoop.render.style import (
    CURVE_STEP,
    FONT_FACE,
    INTENSITY_WIDTH,
    LABEL_COLOR,
    LABEL_FONT,
    LABEL_HALO,
    NO_ANSWER_BORDER,
    NO_ANSWER_DASHES,
    NO_ANSWER_WIDTH,
    ONE_SIDED_DASHES,
    ONE_SIDED_OPACITY,
    PLAIN_WIDTH,
    SIZE_RANGE,
    TIE_STYLE,
    UNIT_STYLE,
    Shape,
    marker_sizes,
)
from netkoop.render.vis.figures import Row, headline_rows, number, survey_rows
from netkoop.render.vis.outlines import map_scene
from netkoop.render.vis.slider import gap_codes, slider_scene

#: vis-network's name of each neutral shape.
VIS_SHAPES: Mapping[Shape, str] = MappingProxyType(
    {
        "circle": "dot",
        "square": "square",
        "triangle": "triangle",
        "hexagon": "hexagon",
        "star": "star",
    }
)

#: Unit columns drawn in other ways than as an attribute row of the tooltip.
_PLACEMENT = ("id", "name", "kind", "land", "parent", "lat", "lon")

#: Confirmation codes of ties in the page data: no survey, both sides, the other side
#: answered without reporting it, the other side did not answer.
CONFIRMATION_CODES: Mapping[str, int] = MappingProxyType(
    {NOT_SURVEYED: 0, "yes": 1, "no": 2, "unknown": 3}
)

#: Free-text columns left out of a page unless `RenderOptions.comments` asks for them.
COMMENT_NAMES = frozenset({"comment", "comments", "bemerkung", "bemerkungen", "kommentar"})


def is_comment(name: str) -> bool:
    """Tell whether a column holds free-text comments (see `COMMENT_NAMES`).

    >>> is_comment("Bemerkung"), is_comment("comment_partner"), is_comment("source")
    (True, True, False)
    """
    folded = name.casefold()
    return folded in COMMENT_NAMES or folded.startswith("comment_") or folded.endswith("_comment")


def build_scene(drawing: Drawing, shown: Shown, options: RenderOptions) -> dict[str, Any]:
    """Return the page data of a drawing and the measures it shows, ready for JSON.

    A drawing with a `netkoop.render.dates.DateSlider` gets the data of a date slider
    (``slider``; None without one): the headline panel, the gap list and the unit
    tooltips' figures are then those of the day the page opens on. A map of a network with
    outlines gets them (``outlines``, with ``choropleth`` when ``color_by`` asks for one;
    see `netkoop.render.vis.outlines.map_scene`); its Land units without ties are then
    ``context``: their outline shows them, not a symbol.

    Raises
    ------
    NetkoopError
        When ``size_by`` names no column of the units, of the measures or of
        ``options.metrics``, or ``color_by`` names no measure or column.
    """
    lang = options.lang
    units = drawing.units.reset_index(drop=True)
    index = pd.Index(units["id"])
    n = len(units)
    placed = place_units(units, drawing.ties, seed=options.seed)
    current = drawing.current
    pairs = shown.current.pairs
    figures = shown.current.units
    if shown.base is not None:
        figures = figures.combine_first(shown.base.units)
    figures = figures.reindex(index)
    extra = shown.extra.reindex(figures.index)
    sizes, size_info = _sizes(units, figures, extra, options)
    if shown.opening is not None:
        figures = shown.opening.units.reindex(index)
    width_scale = max(1.0, math.sqrt(placed.extent / 2000))
    kinds_present = [k for k in UNIT_KINDS if (units["kind"] == k).any()]
    lands = sorted(str(v) for v in units["land"].dropna().unique())
    outlines, choropleth = map_scene(current, units, placed, shown, options)
    context = (
        context_units(current, units, drawing.ties)
        if outlines is not None
        else np.zeros(n, dtype=bool)
    )
    drawn = units[~context]
    metadata = drawing.metadata or current.metadata
    if not options.comments:
        units = units.drop(columns=[c for c in units.columns if is_comment(str(c))])
    answered = _answered(units)
    confirmed = _confirmed(drawing.ties)
    scene: dict[str, Any] = {
        "lang": lang,
        "locale": LOCALES[lang],
        "text": all_text(lang),
        "title": options.title or metadata.title or metadata.name,
        "name": metadata.name,
        "referenceDate": date_label(metadata.reference_date, lang)
        if metadata.reference_date
        else None,
        "description": metadata.description,
        "version": __version__,
        "layout": placed.method,
        "physics": _physics(options.physics, placed.method, n),
        # Large drawings hide ties and flows while the view moves, to stay fluid.
        "big": n > 3000 or len(drawing.ties) > 20_000,
        "unitKinds": [
            {
                "key": k,
                "label": kind_label(k, lang),
                "color": UNIT_STYLE[k][0],
                "shape": VIS_SHAPES[UNIT_STYLE[k][1]],
                "count": int((drawn["kind"] == k).sum()),
                "font": list(LABEL_FONT[k]),
            }
            for k in kinds_present
        ],
        "tieKinds": _tie_kinds(drawing.ties, lang),
        "lands": [
            {"code": c, "name": LAND_NAMES.get(c, c), "count": int((drawn["land"] == c).sum())}
            for c in lands
        ],
        "size": size_info,
        "units": _units(
            units,
            kinds=kinds_present,
            lands=lands,
            x=placed.x,
            y=placed.y,
            sizes=sizes,
            drawing=drawing,
        ),
        "unitDetails": _unit_details(units, figures, extra, lang),
        "labels": _labels(units, figures),
        "context": np.flatnonzero(context).tolist(),
        "outlines": outlines,
        "choropleth": choropleth,
        "ties": _ties(drawing, index, width_scale) | {"confirmed": confirmed},
        "tieDetails": _details(_tie_details(drawing.ties, units, options), lang),
        "flows": None,
        "gaps": [],
        "headline": _headline(drawing, shown, units, lang),
        "survey": _survey(answered, confirmed),
        "credits": [c.as_dict() for c in metadata.sources],
        "diff": drawing.base is not None,
    }
    if options.flows and len(pairs.total):
        scene["flows"] = _flows(
            current, index, pairs=pairs, options=options, width_scale=width_scale, drawing=drawing
        )
        scene["gaps"] = _gaps(drawing, index, shown)
    scene["slider"] = (
        None
        if drawing.slider is None
        else slider_scene(drawing.slider, shown.moments, units=units, lang=lang)
    )
    return scene


def _labels(units: pd.DataFrame, figures: pd.DataFrame) -> dict[str, Any]:
    """What the page needs to label units: the order of placing them (`label_order`), the
    shortened names of forums, and the look of labels."""
    degree = figures["degree"] if "degree" in figures.columns else None
    order = label_order(units, None if degree is None else degree.reset_index(drop=True))
    forums = np.flatnonzero((units["kind"] == "forum").to_numpy())
    names = units["name"].astype("str").to_numpy()
    short = [[int(i), short_name(names[i])] for i in forums if short_name(names[i]) != names[i]]
    return {
        "order": order.tolist(),
        "short": short,
        "color": LABEL_COLOR,
        "halo": list(LABEL_HALO),
        "face": FONT_FACE,
    }


def _headline(drawing: Drawing, shown: Shown, units: pd.DataFrame, lang: Lang) -> list[Row]:
    """The headline panel: the figures of the network drawn, or of its opening day."""
    if drawing.slider is not None:
        moment = shown.moments[drawing.slider.start]
        return headline_rows(moment.headline, None, lang) + survey_rows(moment.survey, lang)
    before = None if shown.base is None else shown.base.headline
    return headline_rows(shown.current.headline, before, lang) + survey_rows(
        survey_figures(units, drawing.ties), lang
    )


def _gaps(drawing: Drawing, index: pd.Index, shown: Shown) -> list[list[int]]:
    """The largest commuter pairs without a tie (on the opening day), in page codes."""
    if drawing.slider is not None:
        gaps = shown.moments[drawing.slider.start].gaps
    else:
        gaps = largest_gaps(drawing.current, shown.current.pairs)
    return gap_codes(gaps, index)


def _physics(asked: bool | None, method: str, n: int) -> bool:
    if asked is not None:
        return asked
    return method != "geographic" and n < 300


def _tie_kinds(ties: pd.DataFrame, lang: Lang) -> list[dict[str, Any]]:
    counts = ties["kind"].value_counts()
    return [
        {
            "key": k,
            "label": kind_label(k, lang),
            "color": TIE_STYLE[k][0],
            "dashes": list(TIE_STYLE[k][1]),
            "directed": k in DIRECTED_TIE_KINDS,
            "count": int(counts.get(k, 0)),
        }
        for k in TIE_KINDS
        if k in counts.index
    ]


def _units(
    units: pd.DataFrame,
    *,
    kinds: list[str],
    lands: list[str],
    x: np.ndarray,
    y: np.ndarray,
    sizes: np.ndarray,
    drawing: Drawing,
) -> dict[str, list[Any]]:
    index = pd.Index(units["id"])
    return {
        "id": units["id"].astype("str").tolist(),
        "name": units["name"].astype("str").tolist(),
        "kind": units["kind"].map({k: i for i, k in enumerate(kinds)}).astype("int64").tolist(),
        "land": _codes(units["land"], lands),
        "parent": unit_codes(index, units["parent"]).tolist(),
        # Whole canvas units are precise enough, and integers keep the page small and fast.
        "x": np.rint(x).astype(np.int64).tolist(),
        "y": np.rint(y).astype(np.int64).tolist(),
        "size": np.round(sizes, 1).tolist(),
        "status": drawing.unit_status.astype(np.int64).tolist(),
        "responded": _answered(units),
    }


def _codes(values: pd.Series, categories: list[str]) -> list[int]:
    lookup = {c: i for i, c in enumerate(categories)}
    return [lookup.get(v, -1) if isinstance(v, str) else -1 for v in values.tolist()]


def _ties(drawing: Drawing, index: pd.Index, width_scale: float) -> dict[str, Any]:
    ties = drawing.ties
    n = len(index)
    a = unit_codes(index, ties["from"])
    b = unit_codes(index, ties["to"])
    present = [k for k in TIE_KINDS if (ties["kind"] == k).any()]
    kind = ties["kind"].map({k: i for i, k in enumerate(present)}).to_numpy(dtype=np.int64)
    # Widths as codes into a short list: the page stays small however many ties there are.
    levels = list(INTENSITY_WIDTH)
    width = ties["intensity"].map({v: i for i, v in enumerate(levels)}).fillna(len(levels))
    # Ties between the same two units are told apart by curving them to alternate sides:
    # 0, +1, -1, +2, -2 ... steps of CURVE_STEP, signed as seen from the lower unit code.
    key = np.minimum(a, b) * n + np.maximum(a, b)
    order = np.lexsort((np.arange(len(ties)), kind, key))
    within = np.zeros(len(ties), dtype=np.int64)
    if len(ties):
        sorted_key = key[order]
        within[order] = np.arange(len(ties)) - np.searchsorted(sorted_key, sorted_key)
    curve = np.where(within % 2 == 1, 1, -1) * ((within + 1) // 2)
    curve = np.where(a < b, curve, -curve)
    return {
        "from": a.tolist(),
        "to": b.tolist(),
        "kind": kind.tolist(),
        "width": width.to_numpy(dtype=np.int64).tolist(),
        "widths": [round(w * width_scale, 2) for w in (*INTENSITY_WIDTH.values(), PLAIN_WIDTH)],
        "curve": curve.tolist(),
        "curveStep": CURVE_STEP,
        "status": drawing.tie_status.astype(np.int64).tolist(),
    }


def _answered(units: pd.DataFrame) -> list[int] | None:
    """Each unit's answer to a survey: 1 answered, 0 asked without answering, -1 not asked;
    None when the units have no ``responded`` column."""
    said = responded(units)
    if said is None:
        return None
    codes = np.where(said.isna().to_numpy(), -1, said.fillna(False).to_numpy(dtype=np.int64))
    return [int(c) for c in codes]


def _confirmed(ties: pd.DataFrame) -> list[int] | None:
    """Each tie's `CONFIRMATION_CODES`; None when the ties have no ``confirmed`` column."""
    if "confirmed" not in ties.columns:
        return None
    return confirmation(ties).map(CONFIRMATION_CODES).astype("int64").tolist()


def _survey(answered: list[int] | None, confirmed: list[int] | None) -> dict[str, Any] | None:
    """What the legend says of a survey, and how the page draws it; None without one."""
    if answered is None and confirmed is None:
        return None
    codes = np.asarray(confirmed or [], dtype=np.int64)
    return {
        "noAnswer": None if answered is None else answered.count(0),
        "bothSides": None if confirmed is None else int((codes == 1).sum()),
        "oneSided": None if confirmed is None else int(((codes == 2) | (codes == 3)).sum()),
        "style": {
            "noAnswer": {
                "color": NO_ANSWER_BORDER,
                "width": NO_ANSWER_WIDTH,
                "dashes": list(NO_ANSWER_DASHES),
            },
            "oneSided": {"opacity": ONE_SIDED_OPACITY, "dashes": list(ONE_SIDED_DASHES)},
        },
    }


def _tie_details(ties: pd.DataFrame, units: pd.DataFrame, options: RenderOptions) -> pd.DataFrame:
    """The tie columns a tooltip shows: who reported the tie and whether it is confirmed
    first (in words and unit names), then the others; comments only when asked for."""
    lang = options.lang
    table = ties.drop(columns=["from", "to", "kind"]).reset_index(drop=True)
    if not options.comments:
        table = table.drop(columns=[c for c in table.columns if is_comment(str(c))])
    first = []
    if "reported_by" in table.columns:
        names = dict(zip(units["id"].astype("str"), units["name"].astype("str"), strict=True))
        both = text("both_reported", lang)

        def reporters(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            ids = [part.strip() for part in value.split(";") if part.strip()]
            if [i.casefold() for i in ids] == ["both"]:
                return both
            return "; ".join(names.get(i, i) for i in ids)

        table["reported_by"] = table["reported_by"].map(reporters, na_action="ignore")
        first.append("reported_by")
    if "confirmed" in table.columns:
        words = {
            "yes": text("confirmed_yes", lang),
            "no": text("confirmed_no", lang),
            "unknown": text("confirmed_unknown", lang),
        }
        states = confirmation(ties).reset_index(drop=True)
        table["confirmed"] = states.map(words).astype("str")
        first.append("confirmed")
    return table[[*first, *(c for c in table.columns if c not in first)]]


def _flows(
    network: Network,
    index: pd.Index,
    *,
    pairs: Pairs,
    options: RenderOptions,
    width_scale: float,
    drawing: Drawing,
) -> dict[str, Any]:
    n = len(network.units)
    chosen = strongest_pairs(pairs, n, min_commuters=options.min_commuters, top=options.top_flows)
    own = pd.Index(network.units["id"])
    # Pair ends are codes of the current network; the page codes units of the whole drawing.
    recode = index.get_indexer(own)
    a, b = recode[pairs.a[chosen]], recode[pairs.b[chosen]]
    total = pairs.total[chosen]
    tied = pairs.tied[chosen].astype(np.int64)
    if drawing.base is not None:
        base_keys = _pair_keys_by_id(drawing.base)
        ids = own.to_numpy()
        for i, (pa, pb) in enumerate(zip(pairs.a[chosen], pairs.b[chosen], strict=True)):
            if tied[i] and _sorted_pair(ids[pa], ids[pb]) not in base_keys:
                tied[i] = 2
    largest = int(total.max()) if len(total) else 1
    lang = options.lang
    if options.top_flows is None:
        rule = text("all_flows", lang, m=number(options.min_commuters, lang))
    else:
        rule = text(
            "top_flows", lang, n=str(options.top_flows), m=number(options.min_commuters, lang)
        )
    return {
        "a": a.tolist(),
        "b": b.tolist(),
        "ab": pairs.ab[chosen].tolist(),
        "ba": pairs.ba[chosen].tolist(),
        "total": total.tolist(),
        "tied": tied.tolist(),
        # The page draws a pair (1 + 11 * sqrt(total / largest)) * widthScale wide.
        "largest": largest,
        "widthScale": round(width_scale, 3),
        "pairs": len(pairs.total),
        "minCommuters": options.min_commuters,
        "top": options.top_flows,
        "rule": rule,
    }


def _sorted_pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pair_keys_by_id(network: Network) -> set[tuple[str, str]]:
    ties = network.ties
    return {_sorted_pair(a, b) for a, b in zip(ties["from"], ties["to"], strict=True)}


def _sizes(
    units: pd.DataFrame, figures: pd.DataFrame, extra: pd.DataFrame, options: RenderOptions
) -> tuple[np.ndarray, dict[str, Any]]:
    """Node sizes: the area grows with the value of ``size_by``; kind sizes where missing."""
    by = options.size_by
    lang = options.lang
    if by in extra.columns:
        column = extra[by]
    elif by in figures.columns:
        column = figures[by]
    elif by in units.columns and by not in _PLACEMENT:
        column = units[by].set_axis(figures.index)
    else:
        choices = sorted(
            {
                *(c for c in units.columns if c not in _PLACEMENT),
                *figures.columns,
                *extra.columns,
                *UNIT_COLUMNS,
            }
        )
        raise NetkoopError(
            f"size_by {by!r} is not a unit column or measure; use one of: " + ", ".join(choices)
        )
    if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
        raise NetkoopError(f"size_by {by!r} is not numeric (dtype {column.dtype})")
    values = column.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
    sizes = marker_sizes(values, units["kind"])
    known = np.isfinite(values)
    info: dict[str, Any] = {"column": by, "label": text(by, lang), "fixed": True}
    if not known.any():
        return sizes, info
    small, large = SIZE_RANGE
    largest = int(np.nanargmax(np.where(known, values, -np.inf)))
    info |= {
        "fixed": False,
        "max": _figure(values[largest]),
        "maxUnit": largest,
        "min": _figure(float(values[known].min())),
        "largeSize": large,
        "smallSize": small,
    }
    return sizes, info


def _unit_details(
    units: pd.DataFrame, figures: pd.DataFrame, extra: pd.DataFrame, lang: Lang
) -> dict[str, Any]:
    attributes = units.drop(columns=[c for c in _PLACEMENT if c in units.columns])
    shown_figures = figures.drop(columns=[c for c in figures.columns if c in attributes.columns])
    columns = pd.concat(
        [
            attributes.reset_index(drop=True),
            shown_figures.reset_index(drop=True),
            extra.drop(
                columns=[c for c in extra.columns if c in (*attributes.columns, *FIGURE_COLUMNS)]
            ).reset_index(drop=True),
        ],
        axis=1,
    )
    return _details(columns, lang)


def _details(table: pd.DataFrame, lang: Lang) -> dict[str, Any]:
    """Columns of a table for tooltips: names, labels and plain values; empty columns left
    out."""
    keys, labels, values = [], [], []
    for name in table.columns:
        column = table[name]
        if column.isna().all():
            continue
        words = value_labels(str(name), lang)
        if words:
            column = column.map(lambda v, w=words: w.get(v, v) if isinstance(v, str) else v)
        keys.append(str(name))
        labels.append(text(str(name), lang))
        values.append(_column_values(column))
    return {"keys": keys, "labels": labels, "values": values}


def _column_values(column: pd.Series) -> list[Any]:
    missing = column.isna().to_numpy()
    if pd.api.types.is_bool_dtype(column):
        plain = column.astype(object).where(~missing, None).tolist()
        return [None if v is None else bool(v) for v in plain]
    if pd.api.types.is_integer_dtype(column):
        ints = column.to_numpy(dtype=np.float64, na_value=np.nan)
        return [None if m else int(v) for v, m in zip(ints, missing, strict=True)]
    if pd.api.types.is_float_dtype(column):
        floats = _significant(column.to_numpy(dtype=np.float64, na_value=np.nan))
        return [None if m else float(v) for v, m in zip(floats, missing, strict=True)]
    texts = column.astype("str").to_numpy(dtype=object)
    return [None if m else str(v) for v, m in zip(texts, missing, strict=True)]


def _significant(values: np.ndarray, digits: int = 4) -> np.ndarray:
    """Round to ``digits`` significant digits, to keep the page small."""
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
    magnitude = np.where(np.isfinite(magnitude), magnitude, 0)
    factor = 10.0 ** (digits - 1 - magnitude)
    rounded: np.ndarray = np.round(values * factor) / factor
    return rounded


def _figure(value: float) -> int | float | None:
    if not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else float(_significant(np.array([value]))[0])
