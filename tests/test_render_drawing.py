"""Drawing two networks compared: added and removed ties and units, and both sets of figures."""

from __future__ import annotations

from pathlib import Path

import netkoop
from conftest import page_data
from netkoop.render import (
    diff_html,
    difference,
    render_diff,
)

# --- comparing two networks -----------------------------------------------------------------


def test_compare_marks_added_and_removed_ties_and_units(region: netkoop.Network) -> None:
    whatif = region.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "joint_project"}])
    whatif = whatif.remove_ties([{"from": "musterstadt", "to": "lk-sued"}])
    whatif = whatif.remove_units(["moorhausen"])
    drawing = difference(region, whatif)
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
    assert not difference(region, flipped).tie_status.any()


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
