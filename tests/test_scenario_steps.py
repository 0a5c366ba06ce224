"""Interventions written in scenario files: each step as its Python function, located problems,
extends order, and the bundled what-if scenarios built on zwei-welten-2020."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pandas as pd
import pytest

import netkoop
from netkoop import Network, ScenarioError
from netkoop.scenario.document import read_document
from netkoop.scenario.steps import INTERVENTIONS
from netkoop.whatif import (
    add_ties_where,
    budget_shock,
    expire,
    mandate,
    remove_ties_where,
    set_attributes,
    shared_position,
)

pytestmark = pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")

TABLES = ("units", "ties", "flows", "borders")


def same_tables(a: Network, b: Network) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table), obj=table)


def on_base(steps: str) -> str:
    return "extends: beispielregion\ninterventions:\n" + textwrap.indent(
        textwrap.dedent(steps), "  "
    )


STEPS: list[tuple[str, str, Callable[[Network], Network]]] = [
    (
        "add_ties",
        """
        - do: add_ties
          rows:
            - {from: gruenau, to: moorhausen, kind: exchange, intensity: regular, since: 2024}
        """,
        lambda n: n.add_ties(
            [
                {
                    "from": "gruenau",
                    "to": "moorhausen",
                    "kind": "exchange",
                    "intensity": "regular",
                    "since": 2024,
                }
            ]
        ),
    ),
    (
        "remove_ties",
        """
        - do: remove_ties
          rows: [{from: auenfeld, to: birkenhain, kind: exchange}]
        """,
        lambda n: n.remove_ties([{"from": "auenfeld", "to": "birkenhain", "kind": "exchange"}]),
    ),
    (
        "add_units",
        """
        - do: add_units
          rows: [{id: forum-neu, name: Neues Forum, kind: forum, land: "03"}]
        """,
        lambda n: n.add_units(
            [{"id": "forum-neu", "name": "Neues Forum", "kind": "forum", "land": "03"}]
        ),
    ),
    (
        "remove_units",
        """
        - do: remove_units
          ids: [buko]
        """,
        lambda n: n.remove_units(["buko"]),
    ),
    (
        "add_ties_where",
        """
        - do: add_ties_where
          kind: exchange
          from_kinds: landkreis
          to_kinds: [kreisfreie_stadt]
          min_commuters: 10000
          attributes: {funding: project, source: plan}
        """,
        lambda n: add_ties_where(
            n,
            kind="exchange",
            from_kinds="landkreis",
            to_kinds=["kreisfreie_stadt"],
            min_commuters=10000,
            attributes={"funding": "project", "source": "plan"},
        ),
    ),
    (
        "remove_ties_where",
        """
        - do: remove_ties_where
          kinds: exchange
          same_kreis: false
        """,
        lambda n: remove_ties_where(n, kinds="exchange", same_kreis=False),
    ),
    (
        "set_attributes",
        """
        - do: set_attributes
          ids: [gruenau, moorhausen]
          values: {case_management: true, coordination_office: permanent}
        """,
        lambda n: set_attributes(
            n, ["gruenau", "moorhausen"], case_management=True, coordination_office="permanent"
        ),
    ),
    (
        "mandate",
        """
        - do: mandate
          kreise: lk-sued
          planning: false
        """,
        lambda n: mandate(n, kreise="lk-sued", planning=False),
    ),
    (
        "shared_position",
        """
        - do: shared_position
          gemeinden: [gruenau, moorhausen, heidbrueck]
          funding: voluntary
          since: "2025"
        """,
        lambda n: shared_position(
            n, ["gruenau", "moorhausen", "heidbrueck"], funding="voluntary", since="2025"
        ),
    ),
    (
        "budget_shock",
        """
        - do: budget_shock
          voluntary: 0.3
          project: 0.9
          seed: 7
        """,
        lambda n: budget_shock(n, voluntary=0.3, project=0.9, seed=7),
    ),
    (
        "expire",
        """
        - do: expire
          until: 2026-06
          offices: false
        """,
        lambda n: expire(n, until="2026-06", offices=False),
    ),
]


@pytest.mark.parametrize(("name", "steps", "python"), STEPS, ids=[s[0] for s in STEPS])
def test_each_step_from_yaml_gives_the_network_of_its_python_function(
    write_scenario, name, steps, python
):
    base = netkoop.load("beispielregion")
    expected = python(base)
    got = netkoop.load(write_scenario(on_base(steps)))
    same_tables(got, expected)
    assert any(not getattr(got, t).equals(getattr(base, t)) for t in TABLES), name


def test_every_registered_step_is_tested_here():
    assert sorted(s[0] for s in STEPS) == sorted(INTERVENTIONS)


def test_steps_apply_in_order_and_base_steps_run_first(write_scenario):
    base = write_scenario(
        on_base(
            """
            - do: add_units
              rows: [{id: forum-neu, name: Neues Forum, kind: forum, land: "03"}]
            - do: add_ties
              rows: [{from: lk-sued, to: forum-neu, kind: membership}]
            """
        ),
        folder="base",
    )
    whatif = write_scenario(
        """
        name: whatif
        extends: ../base/scenario.yaml
        interventions:
          - do: remove_units
            ids: forum-neu
          - do: shared_position
            gemeinden: [gruenau, moorhausen]
        """,
        folder="whatif",
    )
    document = read_document(whatif)
    assert [s.name for s in document.interventions] == [
        "add_units",
        "add_ties",
        "remove_units",
        "shared_position",
    ]
    assert "base" in document.interventions[0].where
    assert document.interventions[0].where.endswith("scenario.yaml, line 5")
    assert document.interventions[3].where.endswith("scenario.yaml, line 8")
    plain = netkoop.load("beispielregion")
    step1 = plain.add_units(
        [{"id": "forum-neu", "name": "Neues Forum", "kind": "forum", "land": "03"}]
    )
    step2 = step1.add_ties([{"from": "lk-sued", "to": "forum-neu", "kind": "membership"}])
    same_tables(netkoop.load(base), step2)
    expected = shared_position(step2.remove_units("forum-neu"), ["gruenau", "moorhausen"])
    got = netkoop.load(whatif)
    same_tables(got, expected)
    assert got.name == "whatif"


def test_bad_steps_are_all_reported_with_line_field_value_and_allowed_names(write_scenario):
    path = write_scenario(
        """
        extends: beispielregion
        interventions:
          - do: teleport
            ids: [gruenau]
          - do: mandate
            kreis: lk-sued
            forum: maybe
          - do: set_attributes
            ids: [gruenau]
          - kind: exchange
          - just text
        units: [{id: x, name: X, kind: nonsense}]
        """
    )
    result = netkoop.validate(path)
    assert result.network is None
    problems = [(p.where.rsplit(", ", 1)[-1], p.field, p.value) for p in result.errors]
    assert ("line 5", "do", "teleport") in problems
    assert ("line 8", "kreis", "lk-sued") in problems
    assert ("line 9", "forum", "maybe") in problems
    assert ("line 10", "values", None) in problems
    assert ("line 12", "do", None) in problems
    assert ("line 4", "interventions", "just text") in problems
    assert any(p.field == "kind" and "nonsense" in str(p.value) for p in result.errors)
    by_field = {p.field: p for p in result.errors}
    assert "allowed: add_ties, remove_ties" in by_field["do"].message
    assert "allowed: do, kreise, coordination" in by_field["kreis"].message
    assert "scenario.yaml, line 8, field 'kreis', value 'lk-sued'" in str(by_field["kreis"])


def test_an_error_while_applying_names_the_line_of_the_step(write_scenario):
    path = write_scenario(
        on_base(
            """
            - do: budget_shock
              seed: 1
            - do: mandate
              kreise: [lk-sued, auenfeld]
            - do: remove_units
              ids: nobody
            """
        )
    )
    with pytest.raises(ScenarioError) as caught:
        netkoop.load(path)
    (problem,) = caught.value.errors
    assert problem.where.endswith("scenario.yaml, line 7")
    assert problem.value == "mandate"
    assert "auenfeld" in problem.message
    result = netkoop.validate(path)
    assert result.network is None
    assert len(result.errors) == 1


def test_an_invalid_added_row_is_reported_at_its_step(write_scenario):
    path = write_scenario(
        on_base(
            """
            - do: add_ties
              rows: [{from: gruenau, to: nowhere, kind: exchange}]
            """
        )
    )
    (problem,) = netkoop.validate(path).errors
    assert problem.where.endswith("line 5")
    assert "nowhere" in problem.message


def test_saving_writes_the_result_tables_without_interventions(write_scenario, tmp_path):
    net = netkoop.load(write_scenario(on_base("- do: mandate\n")))
    saved = net.save(tmp_path / "out")
    assert "interventions" not in saved.read_text(encoding="utf-8")
    assert not read_document(saved).interventions
    same_tables(netkoop.load(saved), net)


def test_validate_cli_counts_the_applied_steps(write_scenario):
    from click.testing import CliRunner

    from netkoop.cli import main

    path = write_scenario(on_base("- do: mandate\n- do: budget_shock\n  seed: 3\n"))
    out = CliRunner().invoke(main, ["validate", str(path)])
    assert out.exit_code == 0, out.output
    assert "2 interventions applied" in out.output


# --- bundled what-if scenarios ------------------------------------------------------------


@pytest.fixture(scope="module")
def zwei_welten() -> Network:
    return netkoop.load("zwei-welten-2020")


def kreise(net: Network) -> pd.DataFrame:
    return net.units[net.units["kind"].isin(["landkreis", "kreisfreie_stadt"])]


def test_bundled_whatifs_are_listed_and_build_on_zwei_welten():
    found = {s.name: s for s in netkoop.list_scenarios()}
    for name in ("pflichtaufgabe", "haushaltskrise", "regionalverbund"):
        assert "zwei-welten-2020" in found[name].description, name
        assert found[name].title
        document = read_document(name)
        assert document.metadata.name == name
        assert len(document.interventions) == 1
        assert not document.problems


def test_pflichtaufgabe_gives_every_kreis_a_mandatory_office_and_its_land_forum(zwei_welten):
    net = netkoop.load("pflichtaufgabe")
    same_tables(net, mandate(zwei_welten))
    k = kreise(net)
    assert len(k) == 47
    assert (k["coordination_office"] == "mandatory").all()
    forums = net.units[net.units["kind"] == "forum"].drop_duplicates("land")
    forum_of = dict(zip(forums["land"], forums["id"], strict=True))
    members = net.ties[net.ties["kind"] == "membership"]
    joined = set(zip(members["from"], members["to"], strict=True))
    for kreis, land in zip(k["id"], k["land"], strict=True):
        assert (kreis, forum_of[land]) in joined, kreis
    assert len(net.ties) > len(zwei_welten.ties)


def test_haushaltskrise_cuts_voluntary_ties_and_keeps_mandatory_ones(zwei_welten):
    net = netkoop.load("haushaltskrise")
    assert net.equals(netkoop.load("haushaltskrise"))
    same_tables(net, budget_shock(zwei_welten, voluntary=0.5, project=0.8, seed=2020))
    before, after = zwei_welten.ties, net.ties
    for funding in ("mandatory",):
        assert (after["funding"] == funding).sum() == (before["funding"] == funding).sum()
    assert (after["funding"] == "voluntary").sum() < (before["funding"] == "voluntary").sum()
    assert len(after) < len(before)


def test_haushaltskrise_on_the_pflichtaufgabe_keeps_every_mandated_tie(write_scenario):
    path = write_scenario(
        """
        extends: pflichtaufgabe
        interventions:
          - {do: budget_shock, voluntary: 1, project: 1, seed: 5}
        """
    )
    net = netkoop.load(path)
    mandated = netkoop.load("pflichtaufgabe").ties
    mandated = mandated[mandated["funding"] == "mandatory"].reset_index(drop=True)
    pd.testing.assert_frame_equal(net.ties, mandated)


def test_regionalverbund_ties_the_23_adjacent_landkreis_city_pairs(zwei_welten):
    net = netkoop.load("regionalverbund")
    borders = zwei_welten.borders
    assert len(borders) == 23
    joint = net.ties[net.ties["kind"] == "joint_project"]
    pairs = {frozenset(p) for p in zip(joint["from"], joint["to"], strict=True)}
    for a, b in zip(borders["from"], borders["to"], strict=True):
        assert frozenset((a, b)) in pairs, (a, b)
    added = net.ties.iloc[len(zwei_welten.ties) :]
    assert len(added) == 23
    assert set(added["kind"]) == {"joint_project"}
    assert set(added["intensity"]) == {"regular"}
    assert set(added["funding"]) == {"project"}
    pd.testing.assert_frame_equal(
        net.ties.iloc[: len(zwei_welten.ties)], zwei_welten.ties, check_index_type=False
    )
