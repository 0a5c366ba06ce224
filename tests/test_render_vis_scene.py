"""The data of a page: units, ties, sizes, labels and figures, checked against the metrics."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netkoop
from conftest import page_data, quiet_load
from netkoop import NetkoopError
from netkoop.metrics import commuting_gap, ei_index, overall_structure, unit_structure
from netkoop.metrics.overview import Pairs, commuter_pairs
from netkoop.render import (
    to_html,
)
from netkoop.render.drawing import strongest_pairs

# --- page data ------------------------------------------------------------------------------


def test_every_unit_and_tie_is_in_the_data(region: netkoop.Network, region_page: str) -> None:
    data = page_data(region_page)
    assert data["units"]["id"] == region.units["id"].tolist()
    assert len(data["ties"]["from"]) == len(region.ties)
    kinds = [data["tieKinds"][k]["key"] for k in data["ties"]["kind"]]
    assert kinds == region.ties["kind"].tolist()
    directed = {k["key"] for k in data["tieKinds"] if k["directed"]}
    assert directed == {"service_opening", "membership"}


def test_parallel_ties_of_different_kinds_are_curved_apart() -> None:
    units = [
        {"id": "a", "name": "A", "kind": "landkreis", "land": "03"},
        {"id": "b", "name": "B", "kind": "kreisfreie_stadt", "land": "03"},
    ]
    ties = [
        {"from": "a", "to": "b", "kind": "exchange"},
        {"from": "b", "to": "a", "kind": "joint_project"},
        {"from": "a", "to": "b", "kind": "shared_staff"},
    ]
    data = page_data(to_html(netkoop.Network.from_tables(units, ties)))
    ends = list(zip(data["ties"]["from"], data["ties"]["to"], data["ties"]["curve"], strict=True))
    # Curves seen from unit a to unit b: a tie stored b -> a bends the other way for vis.
    seen = sorted(c if f < t else -c for f, t, c in ends)
    assert len(set(seen)) == 3
    assert 0 in seen


def test_ties_are_as_wide_as_their_intensity(region: netkoop.Network) -> None:
    data = page_data(to_html(region))
    widths = [data["ties"]["widths"][code] for code in data["ties"]["width"]]
    width = dict(zip(region.ties["intensity"], widths, strict=True))
    assert width["occasional"] < width["regular"] < width["intensive"]


def test_size_by_population_grows_with_population(region_page: str) -> None:
    data = page_data(region_page)
    sizes = dict(zip(data["units"]["id"], data["units"]["size"], strict=True))
    assert sizes["musterstadt"] > sizes["lk-nord"] > sizes["auenfeld"]
    assert data["size"]["column"] == "population"
    assert data["units"]["id"][data["size"]["maxUnit"]] == "musterstadt"


def test_size_by_a_measure_or_a_metrics_column(region: netkoop.Network) -> None:
    by_degree = page_data(to_html(region, size_by="degree"))
    sizes = dict(zip(by_degree["units"]["id"], by_degree["units"]["size"], strict=True))
    assert sizes["musterstadt"] > sizes["moorhausen"]  # 6 ties against 2
    by_betweenness = page_data(to_html(region, size_by="betweenness"))
    assert by_betweenness["size"]["label"] == "betweenness"
    metrics = pd.DataFrame({"score": np.arange(13.0)}, index=region.units["id"])
    custom = page_data(to_html(region, metrics=metrics, size_by="score"))
    assert "score" in custom["unitDetails"]["labels"]
    assert custom["units"]["id"][custom["size"]["maxUnit"]] == region.units["id"].iloc[-1]


def test_size_by_an_unknown_column_names_the_choices(region: netkoop.Network) -> None:
    with pytest.raises(NetkoopError, match=r"size_by 'nope' .*betweenness.*population"):
        to_html(region, size_by="nope")
    with pytest.raises(NetkoopError, match="not numeric"):
        to_html(region, size_by="coordination_office")


def test_units_without_values_get_the_size_of_their_kind() -> None:
    data = page_data(to_html(quiet_load("zwei-welten-2020")))
    assert data["size"]["fixed"] is True
    kinds = [data["unitKinds"][k]["key"] for k in data["units"]["kind"]]
    by_kind = {
        k: {s for kk, s in zip(kinds, data["units"]["size"], strict=True) if kk == k} for k in kinds
    }
    assert all(len(sizes) == 1 for sizes in by_kind.values())


def test_german_labels_by_default_english_on_request(region: netkoop.Network) -> None:
    german = page_data(to_html(region))
    english = page_data(to_html(region, lang="en"))
    assert german["text"]["flows"] == "Pendlerströme"
    assert {k["label"] for k in german["unitKinds"]} >= {"kreisangehörige Gemeinde"}
    assert english["text"]["flows"] == "Commuter flows"
    assert {k["label"] for k in english["tieKinds"]} >= {"exchange", "membership"}
    assert german["locale"] == "de-DE"
    intensity = german["tieDetails"]["labels"].index("Intensität")
    assert "regelmäßig" in german["tieDetails"]["values"][intensity]
    with pytest.raises(NetkoopError, match=r"unknown language 'fr'; languages: de, en"):
        to_html(region, lang="fr")


def test_footer_data_carries_the_scenario_credits() -> None:
    data = page_data(to_html(quiet_load("zwei-welten-2020")))
    credits = [c["credit"] for c in data["credits"] if "credit" in c]
    assert "© Statistik der Bundesagentur für Arbeit" in credits


# --- figures against netkoop.metrics --------------------------------------------------------


@pytest.mark.parametrize("name", ["beispielregion", "zwei-welten-2020"])
def test_headline_agrees_with_the_metrics(name: str) -> None:
    net = quiet_load(name)
    data = page_data(to_html(net, lang="en"))
    shown = {row["key"]: row["value"] for row in data["headline"]}
    overall = overall_structure(net)
    assert shown["units"] == str(overall["units"])
    assert shown["ties"] == str(overall["ties"])
    assert shown["components"] == str(overall["components"])
    assert shown["ei_overall"] == f"{ei_index(net).overall:,.2f}"
    assert shown["coverage"] == f"{100 * commuting_gap(net).coverage:,.1f}%"


def test_unit_figures_agree_with_the_metrics(region: netkoop.Network, region_page: str) -> None:
    data = page_data(region_page)
    details = dict(zip(data["unitDetails"]["labels"], data["unitDetails"]["values"], strict=True))
    structure = unit_structure(region)
    assert details["Verbindungen"] == structure["degree"].tolist()
    assert details["Partner"] == structure["neighbours"].tolist()
    out = region.flows.groupby("from")["commuters"].sum()
    assert details["Auspendler"] == [int(out.get(u, 0)) for u in region.units["id"]]


def test_flow_overlay_marks_the_commuting_gap(region: netkoop.Network, region_page: str) -> None:
    data = page_data(region_page)
    flows = data["flows"]
    ids = data["units"]["id"]
    pairs = commuting_gap(region, top=None).pairs
    tied = {
        frozenset((a, b)): t
        for a, b, t in pairs[["unit_a", "unit_b", "tied"]].itertuples(index=False)
    }
    shown = {
        frozenset((ids[a], ids[b])): t
        for a, b, t in zip(flows["a"], flows["b"], flows["tied"], strict=True)
    }
    assert shown == {pair: int(tied[pair]) for pair in shown}
    gaps = [(ids[a], ids[b], n) for a, b, n in data["gaps"]]
    top = commuting_gap(region).uncovered
    assert [n for *_, n in gaps] == top["commuters"].head(len(gaps)).tolist()


def test_flow_thresholds(region: netkoop.Network) -> None:
    everything = page_data(to_html(region, top_flows=None))["flows"]
    assert len(everything["a"]) == len(commuting_gap(region, top=None).pairs)
    large = page_data(to_html(region, top_flows=None, min_commuters=4000))["flows"]
    assert all(n >= 4000 for n in large["total"])
    assert 0 < len(large["a"]) < len(everything["a"])
    one = page_data(to_html(region, top_flows=1))["flows"]
    assert len(one["a"]) < len(everything["a"])
    assert page_data(to_html(region, flows=False))["flows"] is None
    with pytest.raises(NetkoopError, match="min_commuters"):
        to_html(region, min_commuters=-1)
    with pytest.raises(NetkoopError, match="top_flows"):
        to_html(region, top_flows=0)


def _strongest_by_hand(pairs: Pairs, n: int, minimum: int, top: int) -> list[int]:
    keep = sorted(
        (i for i in range(len(pairs.total)) if pairs.total[i] >= minimum),
        key=lambda i: -pairs.total[i],
    )
    chosen: set[int] = set()
    for unit in range(n):
        chosen |= set([i for i in keep if unit in (pairs.a[i], pairs.b[i])][:top])
    return [i for i in keep if i in chosen]


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(2, 12),
    rows=st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 11), st.integers(1, 9)), max_size=400
    ),
    top=st.integers(1, 4),
    minimum=st.integers(0, 4),
)
def test_strongest_pairs_match_a_plain_implementation(
    n: int, rows: list[tuple[int, int, int]], top: int, minimum: int
) -> None:
    kept = [(a % n, b % n, t) for a, b, t in rows if a % n < b % n]
    a = np.array([r[0] for r in kept], dtype=np.int64)
    b = np.array([r[1] for r in kept], dtype=np.int64)
    total = np.array([r[2] for r in kept], dtype=np.int64)
    ones = np.ones(len(kept), dtype=np.int64)
    pairs = Pairs(a, b, ones, ones, total, np.zeros(len(kept), dtype=bool), ones, ones)
    got = strongest_pairs(pairs, n, min_commuters=minimum, top=top).tolist()
    assert got == _strongest_by_hand(pairs, n, minimum, top)


def test_commuter_pairs_sum_both_directions(region: netkoop.Network) -> None:
    index = pd.Index(region.units["id"])
    pairs = commuter_pairs(region, index)
    ids = index.to_numpy()
    found = {
        frozenset((ids[a], ids[b])): (int(t))
        for a, b, t in zip(pairs.a, pairs.b, pairs.total, strict=True)
    }
    assert found[frozenset(("musterstadt", "lk-nord"))] == 18450 + 6210
    assert math.isclose(pairs.coverage, commuting_gap(region).coverage)
