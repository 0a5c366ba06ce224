"""The YAML reader: official keys stay text, no object tags, bounded messages for alias bombs,
and malformed files reported with line, column, likely cause and the line as written."""

from __future__ import annotations

import datetime as dt

import pytest

import netkoop
from netkoop.scenario.yamlsafe import YamlError, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01001", "01001"),  # YAML 1.1 would read octal 513
        ("09162", "09162"),
        ("1:20", "1:20"),  # YAML 1.1 would read sexagesimal 80
        ("on", "on"),  # YAML 1.1 would read True
        ("no", "no"),
        ("0x1F", "0x1F"),
        ("007", "007"),
        ("2019", 2019),
        ("-3", -3),
        ("0.25", 0.25),
        ("1e3", 1000.0),
        ("true", True),
        ("False", False),
        ("2023-12-31", dt.date(2023, 12, 31)),
    ],
)
def test_scalars_resolve_like_yaml_1_2_and_keys_stay_text(text, expected):
    value = parse(f"v: {text}")["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_mappings_remember_their_lines():
    doc = parse("a: 1\nrows:\n  - {id: x}\n  - id: y\n    name: Y\n")
    assert doc.line_of("rows") == 2
    assert [row.line for row in doc["rows"]] == [3, 4]
    assert doc["rows"][1].line_of("name") == 5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "duplicate key 'a' (first on line 1)"),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            1,
            "'!!python/object/apply:os.system' is not allowed",
        ),
        ("a: [1, 2\n", 1, "malformed YAML"),  # where the '[' opens, not at the end
        ("a: b: c\n", 1, "malformed YAML"),
    ],
)
def test_refused_documents_name_line_and_reason(text, line, message):
    with pytest.raises(YamlError) as caught:
        parse(text)
    assert caught.value.line == line
    assert message in caught.value.message


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines)


def test_alias_bomb_is_reported_not_expanded(write_scenario):
    """A billion-laughs file (10^10 strings when expanded) is refused in well under a second."""
    bomb = alias_bomb().replace("\n", "\n  ")
    path = write_scenario(
        f"x-bomb: &bomb\n  {bomb}\n"
        "description: *bomb\n"
        "sources:\n  - {name: bomb, credit: *bomb}\n"
        "units:\n  - {id: a, name: *bomb, kind: landkreis, land: BY}\n"
    )
    result = netkoop.validate(path)
    messages = [str(p) for p in result.errors]
    assert any("field 'description'" in m and "must be plain text" in m for m in messages)
    assert any("field 'credit'" in m and "must be plain text" in m for m in messages)
    assert any("field 'name'" in m and "lists and mappings are not allowed" in m for m in messages)
    assert any("field 'x-bomb'" in m and "unknown key" in m for m in messages)
    assert all(len(m) < 400 for m in messages)
