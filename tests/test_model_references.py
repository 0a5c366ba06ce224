"""References that name no unit: the cause found, the key meant, one line for one cause."""

from __future__ import annotations

import dataclasses
import io
import os

import pandas as pd
import pytest

import netkoop
from netkoop.model.references import UnitIndex, corrections

#: A piece of Landkreis Hildesheim and Region Hannover, with their official keys.
UNITS = """\
id,name,kind,land,parent
03254,Landkreis Hildesheim,landkreis,03,
03254021,Hildesheim,gemeinde,03,03254
03254028,Sarstedt,gemeinde,03,03254
03254032,Söhlde,gemeinde,03,03254
03241,Region Hannover,landkreis,03,
03241001,Hannover,gemeinde,03,03241
03241002,Hildesheim,gemeinde,03,03241
"""

UNKNOWN = "unknown unit; ties must name the id of a unit in units"


def errors(tables, ties: str, units: str = UNITS) -> list[tuple[str, str | None, str | None, str]]:
    """The errors of a scenario of these tables, each place named from its folder."""
    return [(p.where, p.field, p.value, p.message) for p in validate(tables, ties, units).errors]


def validate(tables, ties: str, units: str = UNITS) -> netkoop.Validation:
    path = tables(units=units, ties="from,to,kind\n" + ties)
    result = netkoop.validate(path)
    folder = f"{path.parent}{os.sep}"
    problems = [dataclasses.replace(p, where=p.where.replace(folder, "")) for p in result.problems]
    return dataclasses.replace(result, problems=problems)


def test_keys_that_lost_their_leading_zero_are_one_line_naming_the_keys(tables) -> None:
    ties = "3254021,03254028,exchange\n3254028,03254032,exchange\n3241001,03254021,exchange\n"
    assert errors(tables, ties) == [
        (
            "ties.csv, rows 2, 3, 4",
            "from",
            None,
            f"{UNKNOWN}; 3 references match a unit once the leading zero is restored "
            "('3254021' is '03254021', '3254028' is '03254028', '3241001' is '03241001'); "
            "store keys as text (Excel drops leading zeros of numbers), or run "
            "'netkoop validate --fix'",
        )
    ]


def test_sixty_rows_of_one_cause_are_still_one_line(tables) -> None:
    ties = "3254021,03254028,exchange\n" * 30 + "3254032,03254028,exchange\n" * 30
    [(where, field, value, message)] = errors(tables, ties)
    assert (where, field, value) == ("ties.csv, rows 2, 3, 4 and 57 more", "from", None)
    assert message.startswith(
        f"{UNKNOWN}; 60 references match a unit once the leading zero is restored "
        "('3254021' is '03254021', '3254032' is '03254032'); "
    )


def test_a_key_written_as_a_float_is_named_with_the_key(tables) -> None:
    assert errors(tables, "3254021.0,03254028,exchange\n") == [
        (
            "ties.csv, row 2",
            "from",
            "3254021.0",
            f"{UNKNOWN}; one reference matches a unit once the '.0' a spreadsheet added is "
            "stripped ('3254021.0' is '03254021'); store keys as text, or run "
            "'netkoop validate --fix'",
        )
    ]


def test_when_the_units_lost_their_zeros_the_references_say_so(tables) -> None:
    units = "id,name,kind,land,parent\n3254,Landkreis Hildesheim,landkreis,03,\n"
    units += "3254021,Hildesheim,gemeinde,03,3254\n3254028,Sarstedt,gemeinde,03,3254\n"
    result = validate(tables, "03254021,03254028,exchange\n", units)
    [cause] = [p for p in result.problems if p.field == "from"]
    assert cause.message == (
        f"{UNKNOWN}; one reference matches a unit only without the leading zero: the ids of "
        "the units lost theirs ('03254021' is '3254021'); write the ids of units as text with "
        "their leading zeros (see the warning on the units table), or run "
        "'netkoop validate --fix'"
    )
    [warning] = [p for p in result.warnings if p.field == "id"]
    assert (warning.where, warning.message) == (
        "units.csv, rows 2, 3, 4",
        "3 ids have lost the leading zero of an official key ('3254' is '03254', "
        "'3254021' is '03254021', '3254028' is '03254028'); store keys as text (Excel drops "
        "leading zeros of numbers), or run 'netkoop validate --fix'",
    )


@pytest.mark.parametrize("written", ["Söhlde", "söhlde", "SOEHLDE", " Söhlde"])
def test_a_name_instead_of_a_key_suggests_the_key(tables, written: str) -> None:
    assert errors(tables, f'"{written}",03254028,exchange\n') == [
        (
            "ties.csv, row 2",
            "from",
            written.strip(),
            f"{UNKNOWN}; '{written.strip()}' is the name of the unit '03254032': write its key",
        )
    ]


def test_a_name_two_units_share_lists_both_and_fixes_neither(tables) -> None:
    # Hildesheim is a Gemeinde in Landkreis Hildesheim and (in this table) one in Hannover.
    assert errors(tables, "Hildesheim,03254028,exchange\n") == [
        (
            "ties.csv, row 2",
            "from",
            "Hildesheim",
            f"{UNKNOWN}; 'Hildesheim' is the name of several units ('03254021' or '03241002'): "
            "write the key meant",
        )
    ]
    units = pd.read_csv(io.StringIO(UNITS), dtype=str)
    assert corrections(["Hildesheim"], UnitIndex(units)) == {}


def test_a_name_is_known_without_the_comma_part_destatis_adds(tables) -> None:
    units = UNITS.replace("03254028,Sarstedt,", '03254028,"Sarstedt, Stadt",')
    assert errors(tables, "sarstedt,03254021,exchange\n", units=units) == [
        (
            "ties.csv, row 2",
            "from",
            "sarstedt",
            f"{UNKNOWN}; 'sarstedt' is the name of the unit '03254028': write its key",
        )
    ]
    assert errors(tables, "Sarstet,03254021,exchange\n", units=units) == [
        (
            "ties.csv, row 2",
            "from",
            "Sarstet",
            f"{UNKNOWN}; did you mean 'Sarstedt, Stadt' ('03254028')?",
        )
    ]


def test_a_misspelt_name_gets_did_you_mean(tables) -> None:
    assert errors(tables, "Sarstet,03254021,exchange\n") == [
        ("ties.csv, row 2", "from", "Sarstet", f"{UNKNOWN}; did you mean 'Sarstedt' ('03254028')?")
    ]


def test_an_unknown_parent_is_read_again_too(tables) -> None:
    units = UNITS.replace("03254032,Söhlde,gemeinde,03,03254", "03254032,Söhlde,gemeinde,03,3254")
    assert errors(tables, "03254021,03254028,exchange\n", units=units) == [
        (
            "units.csv, row 5",
            "parent",
            "3254",
            "unknown parent; it must be the id of a Landkreis in units; one reference matches "
            "a unit once the leading zero is restored ('3254' is '03254'); store keys as text "
            "(Excel drops leading zeros of numbers), or run 'netkoop validate --fix'",
        )
    ]


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("exchnage", "did you mean 'exchange'?"),
        ("Erfarungsaustausch", "did you mean 'exchange'?"),
        ("geteilte Stell", "did you mean 'shared_staff'?"),
        ("xyz", "not allowed; allowed: exchange"),
    ],
)
def test_a_misspelt_tie_kind_gets_did_you_mean(tables, written: str, says: str) -> None:
    [(where, field, value, message)] = errors(tables, f"03254021,03254028,{written}\n")
    assert (where, field, value) == ("ties.csv, row 2", "kind", written)
    assert says in message
    assert message.endswith("(or their German words, see README)")


def test_corrections_are_the_certain_readings_only() -> None:
    units = pd.read_csv(io.StringIO(UNITS), dtype=str)
    found = corrections(
        ["3254021", "3254021.0", "söhlde", "Sarstet", "Hildesheim", "03254028"], UnitIndex(units)
    )
    assert {value: (r.cause, r.key) for value, r in found.items()} == {
        "3254021": ("zero", "03254021"),
        "3254021.0": ("float", "03254021"),
        "söhlde": ("name", "03254032"),
    }
