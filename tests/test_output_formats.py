"""Choosing an output format: --format first, else the file's ending, one message otherwise."""

from __future__ import annotations

import pytest

from netkoop import OutputError
from netkoop.output.formats import GRAPH, PAGE, REPORT, TABLE, choose_format


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("bericht.md", "markdown"),
        ("bericht.markdown", "markdown"),
        ("BERICHT.MD", "markdown"),
        ("bericht.json", "json"),
        ("bericht.xlsx", "xlsx"),
        ("bericht", "csv"),  # a folder of CSV files
        ("bericht.csv", "csv"),
    ],
)
def test_the_ending_names_the_report_format(path: str, fmt: str) -> None:
    assert choose_format(path, None, REPORT) == fmt


def test_the_format_asked_for_wins_unless_the_ending_must_fit() -> None:
    assert choose_format("bericht.txt", "json", REPORT) == "json"
    assert choose_format("netz.xml", None, GRAPH) == "graphml"
    assert choose_format("netz.cyjs", None, GRAPH) == "json"
    with pytest.raises(OutputError, match=r"netz.graphml: a gexf file ends with \.gexf"):
        choose_format("netz.graphml", "gexf", GRAPH, strict=True)


def test_standard_output_needs_a_format_unless_there_is_only_one() -> None:
    assert choose_format("-", None, PAGE) == "html"
    assert choose_format("-", "gexf", GRAPH, strict=True) == "gexf"
    with pytest.raises(OutputError, match=r"name the format with --to to write to standard output"):
        choose_format("-", None, GRAPH, option="--to")


def test_unknown_endings_and_formats_list_what_is_allowed() -> None:
    with pytest.raises(
        OutputError,
        match=r"rec.md: cannot tell the format from the ending; "
        r"use --format or a name ending in \.csv or \.json or \.xlsx$",
    ):
        choose_format("rec.md", None, TABLE)
    with pytest.raises(OutputError, match=r"unknown format 'pdf'; formats: csv, json, markdown"):
        choose_format("bericht.pdf", "pdf", REPORT)
