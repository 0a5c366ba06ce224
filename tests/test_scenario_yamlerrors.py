"""Messages for YAML that cannot be read: line, column, the likely cause and the line itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ScenarioWriter, problem_lines, run_cli
from netkoop.scenario.yamlerrors import SHOWN_WIDTH, YamlError
from netkoop.scenario.yamlsafe import parse

# --- messages for malformed files ------------------------------------------------------------

V = "format_version: 1\n"

MALFORMED = {
    "indented-deeper": (
        V + "units:\n  - id: a\n    name: A\n     kind: landkreis\n",
        5,
        6,
        "malformed YAML: mapping values are not allowed here (column 10); the line starts in "
        "column 6, deeper than 'name' on line 4 (column 5), so it continues that value, where "
        "': ' is not allowed; line a key up with the keys above it, or quote a value holding "
        "': ' — the line reads: '     kind: landkreis'",
    ),
    "indented-shallower": (
        V + "units:\n  - id: a\n    name: A\n   kind: landkreis\n",
        5,
        4,
        "malformed YAML: expected <block end>, but found '<block mapping start>' (column 4); "
        "the key 'kind' starts in column 4, but 'name' on line 4 starts in column 5; the keys "
        "of one mapping start in the same column — the line reads: '   kind: landkreis'",
    ),
    "key-under-the-dash": (
        V + "units:\n  - id: a\n  name: A\n",
        4,
        3,
        "malformed YAML: expected <block end>, but found '?' (column 3); the key 'name' starts "
        "in column 3, under the '-' of line 3; a key of that list item starts in column 5, "
        "under 'id' — the line reads: '  name: A'",
    ),
    "list-item-misaligned": (
        V + "ties:\n  - from: a\n    to: b\n   - from: c\n",
        5,
        4,
        "malformed YAML: expected <block end>, but found '<block sequence start>' (column 4); "
        "the '-' of this list item is in column 4, but the '-' on line 3 is in column 3; the "
        "items of one list start in the same column — the line reads: '   - from: c'",
    ),
    "list-item-beside-keys": (
        V + "units:\n  file: units.csv\n  - id: a\n",
        4,
        3,
        "malformed YAML: expected <block end>, but found '-' (column 3); a list item in the "
        "column of the key 'file' on line 3; one block holds either keys or list items, so "
        "indent the list under a key that ends with ':' — the line reads: '  - id: a'",
    ),
    "tab-indentation": (
        V + "name: kaputt\n\ttitle: Nord\n",
        3,
        1,
        "malformed YAML: found character '\\t' that cannot start any token (column 1); the "
        "line is indented with a tab; YAML indents with spaces only — the line reads: "
        "'\\ttitle: Nord'",
    ),
    "tab-after-colon": (
        V + "title:\tNord\n",
        2,
        7,
        "malformed YAML: found character '\\t' that cannot start any token (column 7); a tab "
        "separates the parts of the line; YAML separates them with spaces only — the line "
        "reads: 'title:\\tNord'",
    ),
    "tab-in-text": (
        V + "title: Nord\tSüd\n",
        2,
        12,
        "malformed YAML: found character '\\t' that cannot start any token (column 12); a tab "
        "inside unquoted text; replace it with a space, or put the value in quotes to keep the "
        "tab — the line reads: 'title: Nord\\tSüd'",
    ),
    "no-space-after-colon": (
        V + "ties:\n  - from: a\n    kind:exchange\n",
        4,
        9,
        "malformed YAML: could not find expected ':' (line 5, column 1); a ':' needs a space "
        "after it to separate key and value: write 'kind: exchange' — the line reads: "
        "'    kind:exchange'",
    ),
    "no-space-after-colon-text-goes-on": (
        "kind:exchange\nname: x\n",
        1,
        5,
        "malformed YAML: mapping values are not allowed here (line 2, column 5); a ':' needs a "
        "space after it to separate key and value: write 'kind: exchange' — the line reads: "
        "'kind:exchange'",
    ),
    "at-sign": (
        V + "title: @Stadt\n",
        2,
        8,
        "malformed YAML: found character '@' that cannot start any token (column 8); an "
        "unquoted value cannot start with '@': put the value in quotes: \"@Stadt\" — the line "
        "reads: 'title: @Stadt'",
    ),
    "backtick": (
        V + "title: `Nord`\n",
        2,
        8,
        "malformed YAML: found character '`' that cannot start any token (column 8); an "
        "unquoted value cannot start with '`': put the value in quotes: \"`Nord`\" — the line "
        "reads: 'title: `Nord`'",
    ),
    "percent": (
        V + "title: %Nord\n",
        2,
        8,
        "malformed YAML: found character '%' that cannot start any token (column 8); an "
        "unquoted value cannot start with '%': put the value in quotes: \"%Nord\" — the line "
        "reads: 'title: %Nord'",
    ),
    "undefined-alias": (
        V + "title: *Nord\n",
        2,
        8,
        "malformed YAML: found undefined alias 'Nord' (column 8); a value that starts with '*' "
        "refers to an anchor '&Nord' above, and there is none; for text, put the value in "
        "quotes: \"*Nord\" — the line reads: 'title: *Nord'",
    ),
    "asterisk-and-space": (
        V + "title: * Nord\n",
        2,
        8,
        "malformed YAML: expected alphabetic or numeric character, but found ' ' (column 9); a "
        "value that starts with '*' refers to an anchor; for text, put the value in quotes: "
        "\"* Nord\" — the line reads: 'title: * Nord'",
    ),
    "ampersand": (
        V + "title: & Co\n",
        2,
        8,
        "malformed YAML: expected alphabetic or numeric character, but found ' ' (column 9); a "
        "value that starts with '&' names an anchor; for text, put the value in quotes: "
        "\"& Co\" — the line reads: 'title: & Co'",
    ),
    "exclamation-mark": (
        V + "title: !Nord\n",
        2,
        8,
        "the YAML tag '!Nord' is not allowed: scenario files hold plain data (mappings, lists, "
        "text, numbers, true/false, dates); a value that starts with '!' is a tag, so for "
        "text, put the value in quotes: \"!Nord\" — the line reads: 'title: !Nord'",
    ),
    "pipe": (
        V + "title: | Nord\n",
        2,
        8,
        "malformed YAML: expected a comment or a line break, but found 'N' (column 10); a "
        "value that starts with '|' is a block of text on the indented lines below it; for "
        'text on this line, put the value in quotes: "| Nord" — the line reads: '
        "'title: | Nord'",
    ),
    "greater-than": (
        V + "title: > Nord\n",
        2,
        8,
        "malformed YAML: expected a comment or a line break, but found 'N' (column 10); a "
        "value that starts with '>' is a block of text on the indented lines below it; for "
        'text on this line, put the value in quotes: "> Nord" — the line reads: '
        "'title: > Nord'",
    ),
    "bracket-not-closed": (
        V + "sources: [BA, Destatis\nname: x\n",
        2,
        10,
        "malformed YAML: expected ',' or ']', but got ':' (line 3, column 5); the '[' in "
        "column 10 is not closed on this line; add the ']', or put a value that starts with "
        "'[' in quotes — the line reads: 'sources: [BA, Destatis'",
    ),
    "bracket-then-text": (
        V + "title: [Entwurf] Nord\n",
        2,
        18,
        "malformed YAML: expected <block end>, but found '<scalar>' (column 18); a value that "
        "starts with '[' ends at its ']' in column 16, and text follows; put the value in "
        "quotes: \"[Entwurf] Nord\" — the line reads: 'title: [Entwurf] Nord'",
    ),
    "brace-then-text": (
        V + "title: {Entwurf} Nord\n",
        2,
        18,
        "malformed YAML: expected <block end>, but found '<scalar>' (column 18); a value that "
        "starts with '{' ends at its '}' in column 16, and text follows; put the value in "
        "quotes: \"{Entwurf} Nord\" — the line reads: 'title: {Entwurf} Nord'",
    ),
    "colon-in-value": (
        V + "title: Stadt: Nord\n",
        2,
        13,
        "malformed YAML: mapping values are not allowed here (column 13); a ': ' inside an "
        'unquoted value starts another key, so put the value in quotes: "Stadt: Nord" — the '
        "line reads: 'title: Stadt: Nord'",
    ),
    "colon-in-value-in-braces": (
        V + "units:\n  - {id: a, name: Stadt: Nord}\n",
        3,
        24,
        "malformed YAML: expected ',' or '}', but got ':' (column 24); a ': ' inside an "
        'unquoted value starts another key, so put the value in quotes: "Stadt: Nord"; or a '
        "',' is missing between two entries — the line reads: '  - {id: a, name: Stadt: Nord}'",
    ),
    "hash-starts-a-value": (
        V + "units:\n  - {id: a, farbe: #ff0000}\n  - {id: b}\n",
        3,
        20,
        "malformed YAML: expected the node content, but found '-' (line 4, column 3); the '#' "
        "in column 20 starts a comment (as '#' does after a space), which hides the rest of "
        "the line with the closing '}'; for a value with '#', put the value in quotes: "
        "\"#ff0000\" — the line reads: '  - {id: a, farbe: #ff0000}'",
    ),
    "hash-after-text": (
        V + "sources: [BA, Destatis #2024]\n",
        2,
        24,
        "malformed YAML: expected ',' or ']', but got '<stream end>' (line 3, column 1); the "
        "'#' in column 24 starts a comment (as '#' does after a space), which hides the rest "
        "of the line with the closing ']'; for a value with '#', put the value in quotes: "
        "\"#2024\" — the line reads: 'sources: [BA, Destatis #2024]'",
    ),
    "duplicate-key": (
        V + "name: a\nname: b\n",
        3,
        1,
        "duplicate key 'name' (first on line 2) — the line reads: 'name: b'",
    ),
    "quote-never-closed": (
        V + 'title: "Nord\nname: x\n',
        2,
        8,
        'malformed YAML: found unexpected end of stream (line 4, column 1); the " in column 8 '
        'opens a quoted text that is never closed; add the closing " — the line reads: '
        "'title: \"Nord'",
    ),
    "quote-closed-lines-later": (
        V + 'title: "Nord\nname: "x"\n',
        2,
        8,
        "malformed YAML: expected <block end>, but found '<scalar>' (line 3, column 8); the \" "
        'in column 8 opens a quoted text that closes only on line 3; add the closing " on '
        "this line — the line reads: 'title: \"Nord'",
    ),
    "apostrophe-in-single-quotes": (
        V + "title: 'Nord's Süd'\n",
        2,
        13,
        "malformed YAML: expected <block end>, but found '<scalar>' (column 14); the ' in "
        "column 13 ends the quoted text; inside '...' it is written '', or put the value in "
        "quotes: \"Nord's Süd\" — the line reads: \"title: 'Nord's Süd'\"",
    ),
    "text-after-closing-quote": (
        V + 'title: "Nord" Süd\n',
        2,
        15,
        "malformed YAML: expected <block end>, but found '<scalar>' (column 15); the quoted "
        "text ends in column 13 and more text follows; quote the whole value: '\"Nord\" Süd' "
        "— the line reads: 'title: \"Nord\" Süd'",
    ),
    "backslash-in-double-quotes": (
        V + 'units: {file: "C:\\daten\\units.csv"}\n',
        2,
        19,
        "malformed YAML: found unknown escape character 'd' (column 19); inside double quotes "
        "a backslash starts an escape such as \\n; for backslashes as written (a Windows "
        "path), put the value in single quotes: 'C:\\daten\\units.csv' — the line reads: "
        "'units: {file: \"C:\\daten\\units.csv\"}'",
    ),
    "control-character": (
        V + "title: Nord\x07\n",
        2,
        12,
        "malformed YAML: the control character U+0007 is not allowed in a YAML file (column "
        "12); remove it — the line reads: 'title: Nord\\x07'",
    ),
    "key-without-colon": (
        V + "name\ntitle: x\n",
        2,
        1,
        "malformed YAML: could not find expected ':' (line 3, column 1); the text in column 1 "
        "stands where a key belongs, but no ': ' follows it; write 'key: value', or indent "
        "the text further if it continues the value above — the line reads: 'name'",
    ),
    "second-document": (
        V + "---\nname: x\n",
        2,
        1,
        "malformed YAML: expected a single document in the stream, but found another document "
        "(column 1); a scenario file is one YAML document, and this '---' starts another; "
        "remove the line — the line reads: '---'",
    ),
    "no-likely-cause": (
        V + "title: [a, b]]\n",
        2,
        14,
        "malformed YAML: expected <block end>, but found ']' (column 14) — the line reads: "
        "'title: [a, b]]'",
    ),
}


@pytest.mark.parametrize(("text", "line", "column", "message"), MALFORMED.values(), ids=MALFORMED)
def test_malformed_yaml_names_line_column_cause_and_the_line(text, line, column, message):
    with pytest.raises(YamlError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column, caught.value.message) == (
        line,
        column,
        message,
    )


COLON_IN_TITLE = (
    "malformed YAML: mapping values are not allowed here (column 13); a ': ' inside an "
    'unquoted value starts another key, so put the value in quotes: "Stadt: Nord" — the '
    "line reads: 'title: Stadt: Nord'"
)


@pytest.mark.parametrize(
    "text",
    [
        "format_version: 1\r\ntitle: Stadt: Nord\r\n",  # Windows line endings
        "format_version: 1\rtitle: Stadt: Nord\r",  # old Mac line endings
        "\ufeffformat_version: 1\ntitle: Stadt: Nord\n",  # a UTF-8 byte order mark
    ],
    ids=["crlf", "cr", "bom"],
)
def test_line_endings_and_byte_order_mark_keep_line_column_and_shown_line(text):
    with pytest.raises(YamlError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.column) == (2, 13)
    assert caught.value.message == COLON_IN_TITLE


def test_a_byte_order_mark_on_the_first_line_is_not_shown_or_counted():
    with pytest.raises(YamlError) as caught:
        parse("\ufefftitle: @Stadt\n")
    assert (caught.value.line, caught.value.column) == (1, 8)
    assert caught.value.message.endswith("— the line reads: 'title: @Stadt'")


def test_a_very_long_offending_line_is_shown_cut_around_the_column():
    words = "Wort " * 30 + "Fazit: gut, " + "und mehr " * 20
    with pytest.raises(YamlError) as caught:
        parse(f"format_version: 1\ndescription: {words}\n")
    assert (caught.value.line, caught.value.column) == (2, 169)
    assert caught.value.message == (
        "malformed YAML: mapping values are not allowed here (column 169); a ': ' inside an "
        "unquoted value starts another key, so put the value in quotes — the line reads: "
        "'...Wort Wort Wort Wort Wort Wort Wort Fazit: gut, und mehr und mehr und mehr und "
        "me...'"
    )
    shown = caught.value.message.split("the line reads: ")[1]
    assert len(shown) == SHOWN_WIDTH + len("'......'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title: "Nord\tSüd"', "Nord\tSüd"),  # a tab inside quotes is text like any other
        ("title: 'Nord\tSüd'", "Nord\tSüd"),
        ("title: Stadt's Nord", "Stadt's Nord"),  # an apostrophe inside plain text
        ("title: Nord#1", "Nord#1"),  # '#' starts a comment only after a space
        ('title: "Stadt: Nord"', "Stadt: Nord"),
        ("title: 'C:\\daten'", "C:\\daten"),
        ("source: https://statistik.arbeitsagentur.de", "https://statistik.arbeitsagentur.de"),
    ],
)
def test_text_that_looks_like_a_mistake_but_is_fine(text, expected):
    assert list(parse(text + "\n").values()) == [expected]


# --- the same messages through the command line ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "format_version: 1\nname: test\nties:\n  - from: a\n    kind:exchange\n",
            "  error   scenario/scenario.yaml, line 5: malformed YAML: could not find expected "
            "':' (line 6, column 1); a ':' needs a space after it to separate key and value: "
            "write 'kind: exchange' — the line reads: '    kind:exchange'",
        ),
        (
            'format_version: 1\ntitle: "Region Nord\nname: test\n',
            "  error   scenario/scenario.yaml, line 2: malformed YAML: found unexpected end of "
            'stream (line 4, column 1); the " in column 8 opens a quoted text that is never '
            "closed; add the closing \" — the line reads: 'title: \"Region Nord'",
        ),
    ],
    ids=["no-space-after-colon", "quote-never-closed"],
)
def test_validate_prints_the_hint_on_one_line(
    text: str,
    expected: str,
    write_scenario: ScenarioWriter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_scenario(text)
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", "scenario/scenario.yaml")
    assert result.exit_code == 1, result.output
    assert problem_lines(result.stdout) == [expected]


def test_validate_reads_a_windows_file_with_a_byte_order_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "scenario"
    folder.mkdir()
    (folder / "scenario.yaml").write_bytes(
        b"\xef\xbb\xbfformat_version: 1\r\nname: test\r\n\ttitle: Nord\r\n"
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", "scenario/scenario.yaml")
    assert result.exit_code == 1, result.output
    assert problem_lines(result.stdout) == [
        "  error   scenario/scenario.yaml, line 3: malformed YAML: found character '\\t' that "
        "cannot start any token (column 1); the line is indented with a tab; YAML indents with "
        "spaces only — the line reads: '\\ttitle: Nord'"
    ]
