"""The report as one self-contained HTML document: sections of sentences, tables, figures and
explanations, with print styles that give clean A4 pages.

The document has no script and loads nothing: its figures are inline images, its styles
inline, and its Content-Security-Policy allows nothing else.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field

from netkoop.output.html import inline_style


@dataclass(frozen=True)
class Table:
    """A small table: ``header``, ``rows`` of cell texts; ``right`` marks numeric columns."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Figure:
    """An image kept inside the document: PNG or SVG bytes, with its caption and alt text."""

    caption: str
    mime: str
    data: bytes
    alt: str

    def source(self) -> str:
        """The image as a data URL."""
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass
class Section:
    """One section: a heading, its sentences, then its tables, figures and explanations.

    ``key`` names it in the HTML (``id="section-<key>"``), for readers and tests;
    ``topics`` are the measures it speaks of, which the report then explains.
    """

    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    topics: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.paragraphs or self.tables or self.figures or self.items or self.notes)


@dataclass
class Document:
    """The whole report: title, a line under it, sections, and the fine print at the end."""

    lang: str
    title: str
    subtitle: str
    sections: list[Section]
    made: str

    def html(self) -> str:
        """The document as HTML text."""
        body = "\n".join(_section(s) for s in self.sections if s)
        return _PAGE.format(
            lang=self.lang,
            title=_e(self.title),
            subtitle=_e(self.subtitle),
            css=inline_style(_CSS),
            body=body,
            made=_e(self.made),
        )

    def text(self) -> str:
        """The sentences of the document, one paragraph a line (for the terminal and tests)."""
        lines = [self.title, self.subtitle]
        for section in self.sections:
            if not section:
                continue
            lines += ["", section.heading, *section.paragraphs, *section.items]
        return "\n".join(lines)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _section(section: Section) -> str:
    parts = [f'<section id="section-{_e(section.key)}">', f"<h2>{_e(section.heading)}</h2>"]
    parts += [f"<p>{_e(p)}</p>" for p in section.paragraphs]
    if section.items:
        parts.append("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in section.items) + "</ul>")
    parts += [_figure(f) for f in section.figures]
    parts += [_table(t) for t in section.tables]
    for heading, text in section.notes:
        parts.append(f'<aside class="note"><h3>{_e(heading)}</h3><p>{_e(text)}</p></aside>')
    parts.append("</section>")
    return "\n".join(parts)


def _figure(figure: Figure) -> str:
    return (
        f'<figure><img src="{figure.source()}" alt="{_e(figure.alt)}">'
        f"<figcaption>{_e(figure.caption)}</figcaption></figure>"
    )


def _table(table: Table) -> str:
    right = table.right or (False,) * len(table.header)

    def cell(tag: str, text: str, numeric: bool) -> str:
        return f'<{tag} class="num">{_e(text)}</{tag}>' if numeric else f"<{tag}>{_e(text)}</{tag}>"

    head = "".join(cell("th", h, r) for h, r in zip(table.header, right, strict=True))
    rows = "".join(
        "<tr>" + "".join(cell("td", c, r) for c, r in zip(row, right, strict=True)) + "</tr>"
        for row in table.rows
    )
    # A short table stays on one page with its caption; a long one may break between rows
    # (its header repeats), and its caption stays with its first rows.
    kind = "table short" if len(table.rows) <= SHORT_TABLE else "table"
    return (
        f'<div class="{kind}"><p class="caption">{_e(table.caption)}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


#: Tables of at most this many rows are not broken across pages.
SHORT_TABLE = 15

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; \
style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="netkoop">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><h1>{title}</h1><p class="subtitle">{subtitle}</p></header>
<main>
{body}
</main>
<footer><p>{made}</p></footer>
</body>
</html>
"""

_CSS = """
:root { color: #1d1d1f; font-family: "Source Sans 3", "Noto Sans", "DejaVu Sans", Arial,
  sans-serif; font-size: 11pt; line-height: 1.45; }
body { max-width: 46em; margin: 2em auto; padding: 0 1.2em; }
h1 { font-size: 1.7em; margin: 0 0 0.2em; line-height: 1.2; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #c8c8cc;
  padding-bottom: 0.15em; break-after: avoid; }
h3 { font-size: 1em; margin: 0 0 0.2em; }
p { margin: 0 0 0.6em; }
.subtitle { color: #55555a; margin-bottom: 1.2em; }
figure { margin: 0.8em 0; break-inside: avoid; }
figure img { width: 100%; height: auto; max-height: 21cm; object-fit: contain;
  border: 1px solid #e0e0e4; }
figcaption { font-size: 0.85em; color: #55555a; margin-top: 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 0.9em;
  break-inside: auto; }
.caption { font-weight: 600; margin: 0.8em 0 0.3em; break-after: avoid; }
th, td { border-bottom: 1px solid #e0e0e4; padding: 0.25em 0.5em 0.25em 0; text-align: left;
  vertical-align: top; }
th { border-bottom: 1.5px solid #8e8e93; }
tr { break-inside: avoid; }
.table.short { break-inside: avoid; }
table { margin-top: 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; padding-right: 0; }
ul { margin: 0 0 0.8em; padding-left: 1.2em; }
.note { background: #f4f4f6; border-left: 3px solid #8e8e93; padding: 0.5em 0.8em;
  margin: 0.6em 0; font-size: 0.92em; break-inside: avoid; }
footer { margin-top: 2.5em; font-size: 0.8em; color: #6e6e73; }
@page { size: A4; margin: 18mm 17mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #6e6e73; } }
@media print {
  :root { font-size: 10.5pt; }
  body { max-width: none; margin: 0; padding: 0; }
  h2 { margin-top: 1.2em; }
  figure img { border: none; }
  a { color: inherit; text-decoration: none; }
}
"""
