"""The registry of interventions: options read from signatures, one function per intervention."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import netkoop
from conftest import ScenarioWriter
from netkoop.interventions import INTERVENTIONS, Step, apply_steps, check_step
from netkoop.interventions.registry import Option, intervention
from netkoop.model.network import Network
from netkoop.whatif.simulate import Plan, simulate


def test_options_come_from_the_signature_and_kinds_from_the_decorator() -> None:
    known = INTERVENTIONS["set_attributes"]
    assert known.options == (
        Option("ids", "names", required=True),
        Option("values", "mapping", required=True, spread=True),
    )
    shock = INTERVENTIONS["budget_shock"]
    assert shock.random
    assert shock.option_names == ("voluntary", "project", "seed", "offices", "at")
    assert [o.name for o in INTERVENTIONS["add_ties_where"].options if o.required] == ["kind"]
    assert [name for name, known in INTERVENTIONS.items() if known.random] == ["budget_shock"]


def test_a_mapping_option_is_passed_as_keywords_and_may_not_name_other_options() -> None:
    net = netkoop.load("beispielregion")
    step = Step("set_attributes", {"ids": ["gruenau"], "values": {"case_management": True}}, "x")
    changed, problem = apply_steps(net, [step])
    assert problem is None
    assert changed is not None
    assert changed.units.set_index("id").at["gruenau", "case_management"]
    clash = Step("set_attributes", {"ids": "gruenau", "values": {"ids": "x"}}, "here, line 3")
    none, problem = apply_steps(net, [clash])
    assert none is None
    assert problem is not None
    assert str(problem) == (
        "here, line 3, field 'do', value 'set_attributes': intervention set_attributes cannot "
        "be applied: values may not set ids"
    )


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (Step("teleport", {}, ""), "unknown step 'teleport'; steps: add_ties, remove_ties"),
        (Step("shared_position", {}, ""), "shared_position needs the option(s) gemeinden"),
        (
            Step("mandate", {"kreis": "x"}, ""),
            "mandate takes no option(s) kreis; allowed: kreise, coordination, planning",
        ),
    ],
)
def test_steps_given_in_python_are_checked_by_name(step: Step, message: str) -> None:
    problem = check_step(step)
    assert problem is not None
    assert problem.startswith(message)
    assert check_step(Step("mandate", {"kreise": "lk-sued"}, "")) is None


def test_a_declaration_that_does_not_match_its_function_is_refused_at_import() -> None:
    before = dict(INTERVENTIONS)
    with pytest.raises(TypeError, match=r"options \['k'\] do not match the parameters \['n'\]"):

        @intervention(k="number")
        def wrong(network: Network, *, n: float) -> Network:
            return network

    with pytest.raises(TypeError, match="a random one needs seed"):

        @intervention(random=True, p="number")
        def unseeded(network: Network, *, p: float) -> Network:
            return network

    assert before == INTERVENTIONS


@pytest.fixture
def forget() -> Iterator[None]:
    """Register one more intervention for a test, and only for it."""
    before = dict(INTERVENTIONS)

    @intervention(kinds="names")
    def forget(network: Network, *, kinds: str | list[str]) -> Network:
        """Drop every tie of the given kinds."""
        keep = ~network.ties["kind"].isin([kinds] if isinstance(kinds, str) else kinds)
        return network.with_tables(ties=network.ties[keep].reset_index(drop=True))

    yield
    INTERVENTIONS.clear()
    INTERVENTIONS.update(before)


@pytest.mark.usefixtures("forget")
def test_one_decorated_function_is_a_step_of_scenario_files_and_simulations(
    write_scenario: ScenarioWriter,
) -> None:
    path = write_scenario(
        """
        extends: beispielregion
        interventions:
          - {do: forget, kinds: [shared_staff, shared_material]}
        """
    )
    base = netkoop.load("beispielregion")
    net = netkoop.load(path)
    assert len(base.ties) - len(net.ties) == 2
    assert {"shared_staff", "shared_material"}.isdisjoint(net.ties["kind"])

    bad = write_scenario(
        "extends: beispielregion\ninterventions:\n  - {do: forget, kinds: {a: 1}}\n",
        folder="bad",
    )
    (problem,) = netkoop.validate(bad).errors
    assert (problem.field, problem.message) == ("kinds", "one name or a list of names")

    steps = [
        ("forget", {"kinds": "shared_staff"}),
        ("budget_shock", {"voluntary": 0, "project": 0}),
    ]
    found = simulate([Plan.from_network(base, steps)], runs=2)
    assert found.summary.loc[("beispielregion", "ties"), "before"] == len(base.ties) - 1
