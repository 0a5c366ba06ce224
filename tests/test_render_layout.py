"""Where units are drawn: map positions, placement of units without coordinates, seeded layouts."""

from __future__ import annotations

import numpy as np
import pandas as pd

import netkoop
from conftest import page_data, quiet_load
from netkoop.render import (
    place_units,
    to_html,
)

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
    net = quiet_load("zwei-welten-2020")
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
    assert page_data(to_html(quiet_load("zwei-welten-2020")))["physics"] is True
    assert page_data(to_html(region, physics=True))["physics"] is True
