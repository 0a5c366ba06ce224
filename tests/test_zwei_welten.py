"""The bundled reconstruction of "Zwei Welten?" (2020) gives the published counts through the metrics."""

from __future__ import annotations

import pytest

import netkoop
from netkoop.metrics import study_counts, tie_scope

pytestmark = pytest.mark.filterwarnings("ignore:.*units have no tie:netkoop.NetkoopWarning")


@pytest.fixture(scope="module")
def study():
    return netkoop.load("zwei-welten-2020")


def test_sample_has_92_kommunen_in_12_laender_without_city_states_or_saarland(study):
    summary = study.summary()
    assert summary.units_by_kind["kreisfreie_stadt"] == 23
    assert summary.units_by_kind["landkreis"] == 24
    assert summary.units_by_kind["gemeinde"] == 45
    kommunen = study.units[study.units["kind"] != "forum"]
    assert kommunen["land"].nunique() == 12
    assert not kommunen["land"].isin(["02", "04", "10", "11"]).any()


def test_182_interviews_in_the_92_kommunen(study):
    assert study.units["interviews"].sum() == 182
    kommunen = study.units[study.units["kind"] != "forum"]
    assert kommunen["interviews"].notna().all()


def test_kreisangehoerige_exchange_inside_their_landkreis(study):
    reported = study_counts(study, reported=True)
    either = study_counts(study)
    spoke = int(study.units["responded"].sum())
    assert spoke == 32
    assert reported.loc["gemeinde", "tie_inside"] == 28  # 28 of the 32 reported exchange
    assert spoke - reported.loc["gemeinde", "tie_inside"] == 4  # 4 reported none ...
    assert either.loc["gemeinde", "tie_inside"] - reported.loc["gemeinde", "tie_inside"] == 2
    # ... and for 2 of those 4 a neighbour reported exchange with them


def test_only_one_kreisangehoerige_kommune_reported_exchange_beyond_its_landkreis(study):
    assert study_counts(study, reported=True).loc["gemeinde", "tie_across"] == 1


def test_intensive_cross_kreis_cooperation(study):
    counts = study_counts(study, reported=True)
    assert counts.loc["kreisfreie_stadt", "intensive_across"] == 12
    assert counts.loc["landkreis", "intensive_across"] == 1
    assert counts.loc["gemeinde", "intensive_across"] == 0


def test_contact_with_land_level_formats(study):
    counts = study_counts(study, reported=True)
    assert counts.loc["landkreis", "land_forum"] == 18
    assert counts.loc["kreisfreie_stadt", "land_forum"] == 20
    assert counts.loc["gemeinde", "land_forum"] == 10
    assert counts["land_forum"].sum() == 48


def test_landkreis_and_adjacent_city_rarely_cooperate_although_people_commute(study):
    borders = study.borders
    scoped = tie_scope(study)
    direct = scoped[scoped["scope"] == "across"]
    tied = {frozenset(p) for p in zip(direct["from"], direct["to"], strict=True)}
    neighbours = [frozenset(p) for p in zip(borders["from"], borders["to"], strict=True)]
    flows = study.flows
    commuting = {frozenset(p) for p in zip(flows["from"], flows["to"], strict=True)}
    assert len(neighbours) == 23
    assert all(pair in commuting for pair in neighbours)
    assert sum(pair in tied for pair in neighbours) == 3


def test_one_in_three_has_an_integrationskonzept(study):
    kommunen = study.units[study.units["kind"] != "forum"]
    share = kommunen["integration_concept"].mean()
    assert round(share * 3) == 1
    assert kommunen["integration_concept"].sum() == 31


def test_cross_kreis_exchange_of_landkreise_and_cities_runs_mostly_through_land_forums(study):
    memberships = study.ties[study.ties["kind"] == "membership"]
    kreis_level = study.units.set_index("id")["kind"].isin(["landkreis", "kreisfreie_stadt"])
    members = memberships[memberships["from"].map(kreis_level)]
    shared = members.merge(members, on="to")
    forum_pairs = {
        frozenset(p) for p in zip(shared["from_x"], shared["from_y"], strict=True) if p[0] != p[1]
    }
    scoped = tie_scope(study)
    direct = scoped[
        (scoped["scope"] == "across")
        & scoped["from"].map(kreis_level)
        & scoped["to"].map(kreis_level)
    ]
    assert len(forum_pairs) > 5 * len(direct)


def test_metadata_says_it_is_a_reconstruction(study):
    assert "NOT data about named Kommunen" in study.metadata.description
    assert any("Robert Bosch Stiftung" in (c.credit or "") for c in study.metadata.sources)
