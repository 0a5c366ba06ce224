"""Sentences from templates: one module of words per language (`netkoop.report.de`,
`netkoop.report.en`), numbers written as the language writes them.

A template is a `str.format` string. A field's value is formatted by its type: a whole number
with thousands separators (``158.010``), a `Share` as a percentage with one decimal
(``14,0 %``), a float with two decimals (``-0,15``; ``{x:.3}`` for three), text as it is.
A field with a format of two forms, ``{n:Gemeinde|Gemeinden}``, writes the number and the
form that fits it (``1 Gemeinde``, ``45 Gemeinden``); ``#`` in a form places the number
(``{n:berichtet # Gemeinde|berichten # Gemeinden}``); ``=`` first writes the form alone
(``{n:=hat|haben}``). No text is generated freely: every
sentence is a template of its language module.
"""

from __future__ import annotations

import importlib
import math
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from netkoop.model.labels import Lang, check_lang, date_label
from netkoop.model.vocabulary import VALUE_LABELS_DE


@dataclass(frozen=True)
class Share:
    """A share between 0 and 1, written as a percentage."""

    value: float


@dataclass(frozen=True)
class Term:
    """A word of the language module: ``key`` in its table ``table`` (``WORDS``,
    ``KINDS_PLURAL``), e.g. a brokerage role."""

    key: str
    table: str = "WORDS"


@dataclass(frozen=True)
class Counted:
    """A number of things, written by the template ``count.<key>``: ``24 Landkreise``."""

    key: str
    n: int


@dataclass(frozen=True)
class Day:
    """A date (ISO), written as the language writes dates."""

    iso: str


class Words:
    """The words of one language: ``say`` fills its templates, ``number`` writes numbers.

    Examples
    --------
    >>> de, en = Words("de"), Words("en")
    >>> de.number(158010), de.number(Share(0.14)), en.number(Share(0.14)), de.number(-0.1538)
    ('158.010', '14,0 %', '14.0%', '−0,15')
    >>> de.fill("{n:Gemeinde|Gemeinden} von {m}", n=1, m=45)
    '1 Gemeinde von 45'
    >>> de.fill("{n:berichtet # Gemeinde|berichten # Gemeinden}", n=3)
    'berichten 3 Gemeinden'
    """

    def __init__(self, lang: Lang | str = "de") -> None:
        self.lang: Lang = check_lang(lang)
        self.module: ModuleType = importlib.import_module(f"netkoop.report.{self.lang}")
        self._formatter = _Formatter(self)

    @property
    def sentences(self) -> Mapping[str, str]:
        """The templates of the findings, by key."""
        found: Mapping[str, str] = self.module.SENTENCES
        return found

    def say(self, key: str, **values: Any) -> str:
        """The sentence ``key`` with ``values`` filled in."""
        return self.fill(self.sentences[key], **values)

    def heading(self, key: str) -> str:
        """The heading of a section or table."""
        found: str = self.module.HEADINGS[key]
        return found

    def explain(self, key: str) -> str:
        """The paragraph that says what a measure means and what it does not."""
        found: str = self.module.EXPLAIN[key]
        return found

    def topic(self, key: str) -> str:
        """The heading of the explanation of a measure."""
        found: str = self.module.TOPICS[key]
        return found

    def value(self, column: str, value: str) -> str:
        """A value of a categorical column (``intensity``: ``regular``) in the language."""
        if self.lang == "de":
            return VALUE_LABELS_DE.get((column, value), value)
        return value

    def word(self, key: str) -> str:
        """A single word or short phrase (role names, column headers)."""
        found: str = self.module.WORDS[key]
        return found

    def fill(self, template: str, **values: Any) -> str:
        """``template`` with ``values`` formatted for the language; a list is written as a
        listing (`listing`)."""
        shown = {
            name: self.listing(self.number(v) for v in value)
            if isinstance(value, list | tuple)
            else value
            for name, value in values.items()
        }
        return self._formatter.format(template, **shown)

    def listing(self, items: Iterable[str]) -> str:
        """Items joined as the language lists them: ``a, b und c``."""
        parts = list(items)
        if len(parts) < 2:
            return "".join(parts)
        return f"{', '.join(parts[:-1])} {self.module.AND} {parts[-1]}"

    def number(self, value: Any, digits: int | None = None) -> str:
        """A number as the language writes it; NaN as the language's word for undefined."""
        if isinstance(value, Term):
            table: Mapping[str, str] = getattr(self.module, value.table)
            return table.get(value.key, value.key)
        if isinstance(value, Counted):
            return self.say(f"count.{value.key}", n=value.n)
        if isinstance(value, Day):
            return date_label(value.iso, self.lang)
        if isinstance(value, Share):
            if math.isnan(value.value):
                return str(self.module.UNDEFINED)
            return str(self.module.PERCENT).format(self._digits(100 * value.value, 1))
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return self._swap(f"{value:,}")
        if isinstance(value, float):
            if math.isnan(value):
                return str(self.module.UNDEFINED)
            if value.is_integer() and digits is None:
                return self._swap(f"{int(value):,}")
            return self._digits(value, 2 if digits is None else digits)
        return str(value)

    def _digits(self, value: float, digits: int) -> str:
        return self._swap(f"{value:,.{digits}f}")

    def _swap(self, text: str) -> str:
        """English separators (1,234.5) to those of the language, and a minus sign (−0,15)."""
        table = str.maketrans({",": self.module.THOUSANDS, ".": self.module.DECIMAL, "-": "−"})
        return text.translate(table)


class _Formatter(string.Formatter):
    def __init__(self, words: Words) -> None:
        self.words = words

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            bare = format_spec.startswith("=")
            one, many = format_spec.removeprefix("=").split("|", 1)
            count = self.words.number(value)
            form = one if value == 1 else many
            return form.replace("#", count) if "#" in form or bare else f"{count} {form}"
        if format_spec.startswith(".") and format_spec[1:].isdigit():
            return self.words.number(float(value), int(format_spec[1:]))
        if format_spec:
            shown: str = super().format_field(value, format_spec)
            return shown
        return self.words.number(value)
