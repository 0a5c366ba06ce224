"""Editing a scenario file in place: only the lines of the changed keys change."""

from __future__ import annotations

import pytest

from netkoop.model.metadata import Credit
from netkoop.scenario import yamlsafe
from netkoop.scenario.edit import EditError, TableEdit, edit_scenario_text, new_scenario_text

BA = Credit(name="BA Pendlerstatistik", credit="© Statistik der Bundesagentur für Arbeit")

TEXT = """\
format_version: 1
name: region   # der Name
flows:         # alte Pendlerdaten
  - file: alt.csv
    sep: ";"
  - {from: a, to: b, commuters: 3}

# Quellen
sources: [eigene Erhebung]
interventions:
  - {do: budget_shock, seed: 1}
"""


def test_a_table_key_is_replaced_with_its_value_and_nothing_else() -> None:
    edited = edit_scenario_text(TEXT, TableEdit("flows", "flows.csv"), known=())
    assert edited == TEXT.replace(
        'flows:         # alte Pendlerdaten\n  - file: alt.csv\n    sep: ";"\n'
        "  - {from: a, to: b, commuters: 3}\n",
        "flows:\n  file: flows.csv\n",
    )


def test_credits_join_a_flow_list_as_block_items_and_a_date_follows_the_name() -> None:
    edit = TableEdit("borders", "borders.csv", (BA,), "2023-06-30")
    edited = edit_scenario_text(TEXT, edit, known=(Credit(name="eigene Erhebung"),))
    lines = edited.splitlines()
    assert lines[:3] == [
        "format_version: 1",
        "name: region   # der Name",
        "reference_date: 2023-06-30",
    ]
    at = lines.index("sources:")
    assert lines[at + 1 : at + 3] == [
        "  - eigene Erhebung",
        "  - {name: BA Pendlerstatistik, credit: © Statistik der Bundesagentur für Arbeit}",
    ]
    assert lines[-4:-2] == ["borders:", "  file: borders.csv"]
    assert lines[-2:] == ["interventions:", "  - {do: budget_shock, seed: 1}"]
    doc = yamlsafe.parse(edited)
    assert doc["sources"][1] == {"name": BA.name, "credit": BA.credit}


def test_known_credits_and_a_stated_date_are_not_added_again() -> None:
    text = "format_version: 1\nreference_date: 2020-01-01\nsources:\n  - {name: BA Pendlerstatistik, credit: x}\n"
    known = (Credit(name="BA Pendlerstatistik", credit="x"),)
    edit = TableEdit("flows", "flows.csv", known, "2023-06-30")
    assert edit_scenario_text(text, edit, known=known) == text + "flows:\n  file: flows.csv\n"


def test_a_file_whose_layout_cannot_be_edited_gets_the_lines_to_add() -> None:
    with pytest.raises(EditError, match=r"add these lines yourself") as found:
        edit_scenario_text("{format_version: 1}\n", TableEdit("flows", "f.csv", (BA,)), known=())
    assert "    flows:\n      file: f.csv\n    sources:\n      - {name: BA" in str(found.value)


def test_a_new_scenario_names_its_one_table() -> None:
    text = new_scenario_text("neu", TableEdit("units", "units.csv", (BA,), "2023-12-31"))
    doc = yamlsafe.parse(text)
    assert (doc["format_version"], doc["name"], doc["units"]) == (1, "neu", {"file": "units.csv"})
    assert doc["sources"] == [{"name": BA.name, "credit": BA.credit}]
    assert str(doc["reference_date"]) == "2023-12-31"


def test_credits_join_a_list_written_at_column_0_as_network_save_writes_it() -> None:
    text = (
        "format_version: 1\nname: region\nsources:\n- name: Destatis\n"
        "  credit: © Statistisches Bundesamt (Destatis), 2024\nunits:\n  file: units.csv\n"
    )
    destatis = Credit(name="Destatis", credit="© Statistisches Bundesamt (Destatis), 2024")
    edited = edit_scenario_text(text, TableEdit("borders", "borders.csv", (BA,)), known=(destatis,))
    assert edited.splitlines()[2:7] == [
        "sources:",
        "- name: Destatis",
        "  credit: © Statistisches Bundesamt (Destatis), 2024",
        "- {name: BA Pendlerstatistik, credit: © Statistik der Bundesagentur für Arbeit}",
        "units:",
    ]
    assert yamlsafe.parse(edited)["sources"] == [destatis.as_dict(), BA.as_dict()]


def test_credits_rewrite_a_flow_list_of_mappings() -> None:
    text = "format_version: 1\nsources: [{name: Destatis, credit: x}]\n"
    edited = edit_scenario_text(text, TableEdit("borders", "borders.csv", (BA,)), known=())
    assert yamlsafe.parse(edited)["sources"] == [{"name": "Destatis", "credit": "x"}, BA.as_dict()]
