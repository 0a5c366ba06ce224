"""Select ties as ``--ties`` and ``--min-confidence`` name them: by kind, confirmation, confidence.

A survey leaves its traces in plain table columns (see `netkoop.survey`): each tie's
``confirmed`` (``yes``: both sides reported it, ``no``: the other side answered without
reporting it, ``unknown``: the other side did not answer), ``reported_by`` and
``confidence``, and each asked unit's ``responded``. This module reads those columns, so that
every measure and page reads them the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.model.vocabulary import fold, select_tie_kinds

#: Words of a tie selection that are not tie kinds: ``confirmed`` keeps confirmed ties.
TIE_SELECTORS: tuple[str, ...] = ("confirmed",)

#: Confirmation states of a tie, as the ``confirmed`` column writes them.
CONFIRMATION: tuple[str, ...] = ("yes", "no", "unknown")

#: The state of a tie without a ``confirmed`` value: no survey reported it (e.g. a tie of
#: the base scenario a survey was added to).
NOT_SURVEYED = "not_surveyed"

# Spellings of the confirmation states; anything else reads as "unknown".
_STATES = {
    **dict.fromkeys(("yes", "ja", "true", "1"), "yes"),
    **dict.fromkeys(("no", "nein", "false", "0"), "no"),
}
_SELECTOR_WORDS = frozenset({"confirmed", "bestaetigt"})
_TRUE = frozenset({"true", "yes", "ja", "1", "wahr"})
_FALSE = frozenset({"false", "no", "nein", "0", "falsch"})


@dataclass(frozen=True)
class TieSelection:
    """Which ties to keep: of ``kinds`` (all when None), only ``confirmed`` ones, and only
    those of at least ``min_confidence``.

    ``confirmed`` keeps the ties whose ``confirmed`` is ``yes`` and the ties a survey did not
    report (no ``confirmed`` value, e.g. those of the base scenario); it drops ``no`` and
    ``unknown``. A tie without a ``confidence`` counts as 1.0.
    """

    kinds: tuple[str, ...] | None = None
    confirmed: bool = False
    min_confidence: float | None = None

    @property
    def everything(self) -> bool:
        """Whether the selection keeps every tie."""
        return self.kinds is None and not self.confirmed and self.min_confidence is None

    def words(self) -> list[str] | None:
        """The selection as ``--ties`` words (kinds, then ``confirmed``); None for all ties."""
        if self.kinds is None and not self.confirmed:
            return None
        return [*(self.kinds or ()), *(["confirmed"] if self.confirmed else [])]

    def keep(self, ties: pd.DataFrame, name: str = "network") -> np.ndarray:
        """Return a boolean mask of the rows of ``ties`` the selection keeps.

        Raises
        ------
        NetworkEditError
            When ``confirmed`` is asked of ties without a ``confirmed`` column.
        """
        mask = np.ones(len(ties), dtype=bool)
        if self.kinds is not None:
            mask &= ties["kind"].isin(self.kinds).to_numpy()
        if self.confirmed:
            if "confirmed" not in ties.columns:
                raise NetworkEditError(
                    f"'confirmed' keeps the ties both sides reported, and the ties of {name!r} "
                    "have no 'confirmed' column (survey ties have one: netkoop survey collect)"
                )
            mask &= confirmation(ties).isin(("yes", NOT_SURVEYED)).to_numpy()
        if self.min_confidence is not None:
            mask &= confidence(ties).to_numpy() >= self.min_confidence
        return mask


def tie_selection(
    ties: str | Iterable[str] | TieSelection | None = None,
    *,
    min_confidence: float | None = None,
) -> TieSelection:
    """Read a tie selection: tie kinds and the word ``confirmed``, and a least confidence.

    Parameters
    ----------
    ties
        Tie kinds in any accepted spelling, and ``confirmed`` (or ``bestätigt``); None (or
        only ``confirmed``) keeps every kind. A `TieSelection` is taken as it is, with
        ``min_confidence`` set when given.
    min_confidence
        Keep only ties whose ``confidence`` is at least this (0 to 1); ties without a
        confidence count as 1.0.

    Raises
    ------
    NetworkEditError
        When a word is neither a tie kind nor ``confirmed``, or ``min_confidence`` lies
        outside 0 to 1.

    Examples
    --------
    >>> tie_selection("exchange,confirmed".split(","), min_confidence=0.5)
    TieSelection(kinds=('exchange',), confirmed=True, min_confidence=0.5)
    """
    if min_confidence is not None and (
        isinstance(min_confidence, bool)
        or not isinstance(min_confidence, int | float)
        or not 0 <= min_confidence <= 1
    ):
        raise NetworkEditError(f"min_confidence must lie between 0 and 1; got {min_confidence!r}")
    least = None if min_confidence is None else float(min_confidence)
    if isinstance(ties, TieSelection):
        return ties if least is None else TieSelection(ties.kinds, ties.confirmed, least)
    if ties is None:
        return TieSelection(min_confidence=least)
    words = [ties] if isinstance(ties, str) else [str(t) for t in ties]
    selectors = [w for w in words if fold(w) in _SELECTOR_WORDS]
    rest = [w for w in words if fold(w) not in _SELECTOR_WORDS]
    kinds = None
    if rest or not selectors:
        try:
            kinds = select_tie_kinds(rest)
        except NetworkEditError as error:
            raise NetworkEditError(
                f"{error}; or 'confirmed' for the ties both sides reported"
            ) from None
    return TieSelection(kinds, bool(selectors), least)


def confirmation(ties: pd.DataFrame) -> pd.Series:
    """Return each tie's confirmation: ``yes``, ``no``, ``unknown`` or `NOT_SURVEYED`.

    Without a ``confirmed`` column every tie is `NOT_SURVEYED`; ``ja``/``nein`` and
    ``true``/``false`` are read as ``yes``/``no``, any other value as ``unknown``.

    Examples
    --------
    >>> ties = pd.DataFrame({"confirmed": ["yes", "Nein", None, "unknown"]})
    >>> confirmation(ties).tolist()
    ['yes', 'no', 'not_surveyed', 'unknown']
    """
    if "confirmed" not in ties.columns:
        return pd.Series(NOT_SURVEYED, index=ties.index, dtype="str", name="confirmed")
    column = ties["confirmed"]
    words = column.map(_state, na_action="ignore")
    return words.where(column.notna(), NOT_SURVEYED).astype("str").rename("confirmed")


def _state(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    return _STATES.get(fold(str(value)), "unknown")


def confidence(ties: pd.DataFrame) -> pd.Series:
    """Return each tie's ``confidence`` as float, 1.0 where it has none.

    Examples
    --------
    >>> confidence(pd.DataFrame({"confidence": [0.3, None]})).tolist()
    [0.3, 1.0]
    """
    if "confidence" not in ties.columns:
        return pd.Series(1.0, index=ties.index, dtype="float64", name="confidence")
    values = pd.to_numeric(ties["confidence"], errors="coerce").astype("float64")
    return values.fillna(1.0)


def responded(units: pd.DataFrame) -> pd.Series | None:
    """Return whether each unit answered the survey (nullable boolean: NA when not asked).

    None when the units have no ``responded`` column. Words such as ``ja``/``nein`` are read
    as True/False; anything else as not asked.

    Examples
    --------
    >>> responded(pd.DataFrame({"responded": [True, False, None]})).tolist()
    [True, False, <NA>]
    """
    if "responded" not in units.columns:
        return None
    column = units["responded"]
    if pd.api.types.is_bool_dtype(column):
        return column.astype("boolean").rename("responded")
    values = [_answer(v) for v in column.tolist()]
    return pd.Series(pd.array(values, dtype="boolean"), index=units.index, name="responded")


def _answer(value: Any) -> bool | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    word = fold(str(value))
    return True if word in _TRUE else False if word in _FALSE else None
