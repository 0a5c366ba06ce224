"""Tests of netkoop.render without a browser: page data, layout, escaping, files, options."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netkoop
from netkoop import NetkoopError, NetkoopWarning
from netkoop.metrics import commuting_gap, ei_index, overall_structure, unit_structure
from netkoop.render import (
    Page,
    compare,
    diff_html,
    place_units,
    render,
    render_diff,
    show,
    to_html,
)
from netkoop.render.figures import Pairs, commuter_pairs, strongest_pairs
from netkoop.render.html import script_json

XSS = "<img src=x onerror=alert(1)>"
CLOSER = "</script><script>alert(2)</script>"


def page_data(page: str) -> dict[str, Any]:
    """The JSON data embedded in a page."""
    found = re.search(
        r'<script type="application/json" id="netkoop-data">(.*?)</script>', page, re.S
    )
    assert found, "no data element in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def load(name: str) -> netkoop.Network:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        return netkoop.load(name)


@pytest.fixture(scope="module")
def region() -> netkoop.Network:
    return load("beispielregion")


@pytest.fixture(scope="module")
def region_page(region: netkoop.Network) -> str:
    return to_html(region)


def xss_network() -> netkoop.Network:
    units: list[dict[str, Any]] = [
        {"id": "a", "name": XSS, "kind": "kreisfreie_stadt", "land": "09", "population": 1000},
        {"id": "b", "name": CLOSER, "kind": "landkreis", "land": "09", "population": 2000},
        {"id": "c", "name": "Straße & Söhne <b>", "kind": "landkreis", "land": "09"},
    ]
    ties = [{"from": "a", "to": "b", "kind": "exchange", "source": "<script>alert(3)</script>"}]
    flows = [{"from": "b", "to": "a", "commuters": 500}, {"from": "c", "to": "a", "commuters": 90}]
    metadata = netkoop.Metadata(
        name="xss",
        title="<svg onload=alert(4)>",
        sources=(netkoop.Credit("Quelle <i>", credit="©", url="javascript:alert(5)"),),
    )
    return netkoop.Network.from_tables(units, ties, flows, metadata=metadata)


# --- the file -------------------------------------------------------------------------------


def test_render_writes_one_utf8_file_and_returns_its_path(
    region: netkoop.Network, tmp_path: Path
) -> None:
    out = render(region, tmp_path / "sub" / "netz.html")
    assert out == tmp_path / "sub" / "netz.html"
    assert [p.name for p in out.parent.iterdir()] == ["netz.html"]  # no temporary left
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "Südmarsch" in text  # umlauts as UTF-8, not escapes


def test_render_replaces_an_existing_file(region: netkoop.Network, tmp_path: Path) -> None:
    out = tmp_path / "netz.html"
    out.write_text("old", encoding="utf-8")
    render(region, out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_page_is_only_written_to_an_html_file(region: netkoop.Network, tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("keep me", encoding="utf-8")
    with pytest.raises(
        NetkoopError, match=r"scenario.yaml: a page is written to a file ending in \.html"
    ):
        render(region, scenario)
    assert scenario.read_text(encoding="utf-8") == "keep me"
    assert render(region, tmp_path / "NETZ.HTM").name == "NETZ.HTM"


def test_page_loads_nothing_from_elsewhere(region_page: str) -> None:
    assert not re.search(r"<(script|img|iframe|link)[^>]*\s(src|href)=", region_page, re.I)
    assert "bootstrap" not in region_page.lower()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', region_page)
    assert policy
    assert "default-src 'none'" in policy.group(1)
    assert "connect-src 'none'" in policy.group(1)


def test_policy_allows_exactly_the_page_scripts(region_page: str) -> None:
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', region_page)
    assert policy
    allowed = set(re.findall(r"'sha256-([^']+)'", html.unescape(policy.group(1))))
    scripts = re.findall(r"<script>(.*?)</script>", region_page, re.S)
    assert len(scripts) == 2  # vis-network and the page script; the data is JSON, not run
    hashes = {
        base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts
    }
    assert hashes == allowed


def test_the_same_network_gives_the_same_page(region: netkoop.Network) -> None:
    assert to_html(region) == to_html(region)


# --- escaping -------------------------------------------------------------------------------


def test_script_json_cannot_close_the_script_element() -> None:
    written = script_json({"name": CLOSER, "other": "<!-- & \u2028"})
    assert "<" not in written
    assert ">" not in written
    assert "&" not in written
    assert json.loads(written) == {"name": CLOSER, "other": "<!-- & \u2028"}


def test_names_with_markup_never_reach_the_page_as_markup() -> None:
    page = to_html(xss_network())
    for raw in (XSS, CLOSER, "<script>alert(3)</script>", "Quelle <i>", "<svg onload"):
        assert raw not in page
    data = page_data(page)
    assert data["units"]["name"][:2] == [XSS, CLOSER]  # the text itself is kept
    assert "&lt;svg onload=alert(4)&gt;" in page  # the title element, HTML-escaped


def test_notebook_frame_escapes_the_page(region: netkoop.Network) -> None:
    shown = show(region, height=400)._repr_html_()
    assert shown.startswith('<iframe srcdoc="')
    inner = shown[len('<iframe srcdoc="') : shown.index('" style=')]
    assert '"' not in inner
    assert "<" not in inner
    assert 'sandbox="allow-scripts"' in shown
    assert "height:400px" in shown


def test_page_saves_itself(region: netkoop.Network, tmp_path: Path) -> None:
    page = Page("<!DOCTYPE html><p>ü</p>")
    assert page.save(tmp_path / "p.html").read_text(encoding="utf-8") == page.html


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
    data = page_data(to_html(load("zwei-welten-2020")))
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
    with pytest.raises(NetkoopError, match="lang must be one of de, en"):
        to_html(region, lang="fr")


def test_footer_data_carries_the_scenario_credits() -> None:
    data = page_data(to_html(load("zwei-welten-2020")))
    credits = [c["credit"] for c in data["credits"] if "credit" in c]
    assert "© Statistik der Bundesagentur für Arbeit" in credits


# --- figures against netkoop.metrics --------------------------------------------------------


@pytest.mark.parametrize("name", ["beispielregion", "zwei-welten-2020"])
def test_headline_agrees_with_the_metrics(name: str) -> None:
    net = load(name)
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


# --- layout ---------------------------------------------------------------------------------


def test_geographic_layout_puts_north_up_and_east_right(region: netkoop.Network) -> None:
    placed = place_units(region.units, region.ties)
    assert placed.method == "geographic"
    units = region.units
    located = units["lat"].notna().to_numpy()
    lat, lon = units["lat"].to_numpy()[located], units["lon"].to_numpy()[located]
    x, y = placed.x[located], placed.y[located]
    north, south = int(np.argmax(lat)), int(np.argmin(lat))
    east, west = int(np.argmax(lon)), int(np.argmin(lon))
    assert y[north] < y[south]
    assert x[east] > x[west]


def test_units_without_coordinates_sit_near_what_they_belong_to(region: netkoop.Network) -> None:
    placed = place_units(region.units, region.ties)
    ids = region.units["id"].tolist()
    pos = {u: np.array([placed.x[i], placed.y[i]]) for i, u in enumerate(ids)}
    members = region.ties.loc[region.ties["to"] == "lag-ni", "from"]
    middle = np.mean([pos[m] for m in members], axis=0)
    assert np.linalg.norm(pos["lag-ni"] - middle) < 0.25 * placed.extent
    assert np.isfinite(placed.x).all()
    assert np.isfinite(placed.y).all()
    assert len({(round(x), round(y)) for x, y in zip(placed.x, placed.y, strict=True)}) == len(ids)


def test_a_gemeinde_without_coordinates_sits_by_its_kreis() -> None:
    units = pd.DataFrame(
        {
            "id": ["k1", "k2", "g1"],
            "kind": ["landkreis", "landkreis", "gemeinde"],
            "land": ["09", "09", "09"],
            "parent": [None, None, "k2"],
            "lat": [48.0, 50.0, None],
            "lon": [11.0, 11.0, None],
        }
    )
    placed = place_units(units, pd.DataFrame({"from": [], "to": []}))
    assert abs(placed.y[2] - placed.y[1]) < abs(placed.y[2] - placed.y[0])


def test_spring_layout_is_seeded() -> None:
    net = load("zwei-welten-2020")
    first = place_units(net.units, net.ties, seed=1)
    assert first.method == "spring"
    again = place_units(net.units, net.ties, seed=1)
    other = place_units(net.units, net.ties, seed=2)
    assert np.array_equal(first.x, again.x)
    assert not np.array_equal(first.x, other.x)


def test_large_networks_without_coordinates_are_grouped_by_kreis() -> None:
    n = 600
    units = pd.DataFrame(
        {
            "id": [f"lk{i}" for i in range(20)] + [f"g{i}" for i in range(n)] + ["forum"],
            "kind": ["landkreis"] * 20 + ["gemeinde"] * n + ["forum"],
            "land": "09",
            "parent": [None] * 20 + [f"lk{i % 20}" for i in range(n)] + [None],
            "lat": np.nan,
            "lon": np.nan,
        }
    )
    ties = pd.DataFrame({"from": ["lk0", "lk1"], "to": ["forum", "forum"]})
    placed = place_units(units, ties)
    assert placed.method == "grouped"
    x, y = placed.x, placed.y
    same = np.hypot(x[20] - x[40], y[20] - y[40])  # g0 and g20 share lk0
    other = np.hypot(x[20] - x[21], y[20] - y[21])  # g0 and g1 do not
    assert same < other
    assert np.isfinite(x).all()


def test_physics_is_on_only_for_small_networks_without_coordinates(
    region: netkoop.Network,
) -> None:
    assert page_data(to_html(region))["physics"] is False  # geographic
    assert page_data(to_html(load("zwei-welten-2020")))["physics"] is True
    assert page_data(to_html(region, physics=True))["physics"] is True


# --- comparing two networks -----------------------------------------------------------------


def test_compare_marks_added_and_removed_ties_and_units(region: netkoop.Network) -> None:
    whatif = region.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "joint_project"}])
    whatif = whatif.remove_ties([{"from": "musterstadt", "to": "lk-sued"}])
    whatif = whatif.remove_units(["moorhausen"])
    drawing = compare(region, whatif)
    status = dict(zip(drawing.units["id"], drawing.unit_status.tolist(), strict=True))
    assert status["moorhausen"] == 2
    assert status["musterstadt"] == 0
    ties = drawing.ties.assign(status=drawing.tie_status)
    added = ties[ties["status"] == 1]
    assert added[["from", "to", "kind"]].values.tolist() == [
        ["lk-nord", "lk-sued", "joint_project"]
    ]
    removed = ties[ties["status"] == 2]
    assert len(removed) == len(region.ties) + 1 - len(whatif.ties)
    assert ((removed["from"] == "musterstadt") & (removed["to"] == "lk-sued")).any()
    assert (removed[["from", "to"]] == "moorhausen").any(axis=None)


def test_an_undirected_tie_written_the_other_way_is_the_same_tie(region: netkoop.Network) -> None:
    flipped = region.remove_ties([{"from": "auenfeld", "to": "birkenhain"}]).add_ties(
        [{"from": "birkenhain", "to": "auenfeld", "kind": "exchange"}]
    )
    assert not compare(region, flipped).tie_status.any()


def test_diff_page_shows_both_figures(region: netkoop.Network, tmp_path: Path) -> None:
    whatif = region.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    data = page_data(diff_html(region, whatif))
    assert data["diff"] is True
    ties = {row["key"]: row for row in data["headline"]}["ties"]
    assert (ties["base"], ties["value"]) == ("21", "22")
    assert data["title"] == "Vergleich: Beispielregion (fiktiv) → Beispielregion (fiktiv)"
    out = render_diff(region, whatif, tmp_path / "vergleich.html", lang="en")
    assert page_data(out.read_text(encoding="utf-8"))["title"].startswith("Comparison: ")


def test_diff_marks_newly_tied_commuter_pairs(region: netkoop.Network) -> None:
    whatif = region.add_ties([{"from": "musterstadt", "to": "auenfeld", "kind": "exchange"}])
    data = page_data(diff_html(region, whatif))
    flows = data["flows"]
    ids = data["units"]["id"]
    status = {
        frozenset((ids[a], ids[b])): t
        for a, b, t in zip(flows["a"], flows["b"], flows["tied"], strict=True)
    }
    assert status[frozenset(("musterstadt", "auenfeld"))] == 2


# --- every bundled scenario -----------------------------------------------------------------


@pytest.mark.parametrize("name", [s.name for s in netkoop.list_scenarios()])
def test_every_bundled_scenario_renders(name: str, tmp_path: Path) -> None:
    net = load(name)
    out = render(net, tmp_path / f"{name}.html")
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["units"]["id"]) == len(net.units)
    assert len(data["ties"]["from"]) == len(net.ties)
