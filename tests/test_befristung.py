"""The bundled what-if `befristung` and `befristung-pflichtaufgabe`: counts by hand from
scenarios/befristung/ties.csv and units.csv."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import netkoop
from netkoop import Network
from tests.conftest import ScenarioWriter, run_cli

#: Ties of befristung without an end: voluntary exchange among the Gemeinden (1, 3, 4, 9,
#: 10, 12, 16), the city with Südmarsch (18) and the memberships (20-23).
OPEN_ENDED = 12


@pytest.fixture(scope="module")
def base() -> Network:
    return netkoop.load("befristung")


@pytest.fixture(scope="module")
def duty() -> Network:
    return netkoop.load("befristung-pflichtaufgabe")


def offices(network: Network) -> int:
    return int(
        network.units["coordination_office"].isin(["project", "permanent", "mandatory"]).sum()
    )


def test_the_project_money_of_2016_to_2026_comes_and_goes(base: Network) -> None:
    # 2015-01-01: ties 4 (2015) and 22 (2014); 23 from 2015 too. Offices: the city's only.
    assert len(base.at("2015").ties) == 3
    assert offices(base.at("2015")) == 1
    # 2024-06-30 (the reference date): all 24 ties have begun (the last in 2024-01); 2
    # ended in 2022 and 17 in 2023, 24 runs to the end of June 2024: 24 - 2 = 22.
    assert len(base.at("2024-06-30").ties) == 22
    assert offices(base.at("2024-06-30")) == 5  # city, both Landkreise, Auenfeld, Fahrendorf
    # 2027-01-01: the project money has run out everywhere.
    assert len(base.at("2027").ties) == OPEN_ENDED
    assert offices(base.at("2027")) == 1


def test_the_mandate_keeps_what_the_money_paid_for(base: Network, duty: Network) -> None:
    # Running on 2025-01-01 and touched by the mandate: the hub ties 6, 7, 8, 13, 14, 15,
    # the shared position 5 inside Nordheide, the city's project 19 with Nordheide, and the
    # Landkreise's memberships 20 and 21 in the Land forum. Each ends on 2024-12-31 with its
    # old funding and goes on from 2025 as a mandatory tie of its own; Dorfstetten and
    # Heidbrück get new hub ties from 2025.
    assert len(duty.ties) == len(base.ties) + 10 + 2
    assert len(duty.at("2027").ties) == OPEN_ENDED + 8 + 2
    assert len(duty.at("2040").ties) == OPEN_ENDED + 8 + 2
    # Before the mandate nothing differs.
    kept = ["from", "to", "kind", "since"]
    assert duty.at("2024-12-31").ties[kept].equals(base.at("2024-12-31").ties[kept])
    # The joint project of Grünau and Heidbrück ended in 2024: it stays ended.
    ended = duty.ties[(duty.ties["from"] == "gruenau") & (duty.ties["to"] == "heidbrueck")]
    assert ended[["funding", "until"]].values.tolist() == [["project", "2024-12"]]
    # Offices: the Landkreise keep theirs; Auenfeld's and Fahrendorf's are not the Kreis'.
    office = duty.at("2027").units.set_index("id")["coordination_office"]
    assert office[["musterstadt", "lk-nord", "lk-sued", "auenfeld", "fahrendorf"]].tolist() == [
        "permanent", "mandatory", "mandatory", "none", "none"
    ]  # fmt: skip
    assert offices(duty.at("2027")) == 3


def test_compare_at_2027_from_the_command_line() -> None:
    result = run_cli(
        "compare", "befristung", "befristung-pflichtaufgabe", "--at", "2027", "-o", "-",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    measures = pd.DataFrame(data["tables"]["measures"]).set_index("measure")
    assert measures.loc["structure.ties", ["base", "whatif"]].tolist() == [12, 22]


def test_simulate_at_a_date_from_the_command_line(write_scenario: ScenarioWriter) -> None:
    shocked = write_scenario(
        """
        name: schock
        extends: befristung-pflichtaufgabe
        interventions:
          - {do: budget_shock, at: 2027-01-01, voluntary: 1, project: 1}
        """
    )
    result = run_cli(
        "simulate", shocked, "--runs", "2", "--at", "2027", "-o", "-", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    summary = pd.DataFrame(json.loads(result.stdout)["tables"]["summary"])
    ties = summary[summary["measure"] == "ties"].iloc[0]
    # On 1 January 2027 the mandate keeps 22 ties. The shock ends the 10 voluntary ones (1,
    # 3, 4, 9, 10, 12, 16, 18, 22, 23); the 12 mandatory stay: the 8 ties and 2 memberships
    # continued from 2025 and the 2 new hub ties.
    assert (ties["before"], ties["max"]) == (22, 12)
