"""Saving a network as a scenario folder: loads back identical, never over a scenario it did not write."""

from __future__ import annotations

import pandas as pd
import pytest

import netkoop
from conftest import snapshot
from netkoop import OutputError, OutputExistsError
from netkoop.model.folder import HEADER


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")
def test_round_trip_of_every_bundled_scenario(tmp_path):
    for bundled in netkoop.list_scenarios():
        net = netkoop.load(bundled.name)
        again = netkoop.load(net.save(tmp_path / bundled.name))
        assert again.equals(net), bundled.name


def test_round_trip_keeps_types_of_inline_attributes(write_scenario, tmp_path):
    path = write_scenario(
        """
        name: typed
        title: Typen
        reference_date: 2023-12-31
        sources:
          - {name: Destatis, credit: "© Statistisches Bundesamt (Destatis), 2024", licence: DL-DE-BY-2.0}
          - Eigene Erhebung
        units:
          - {id: 01001, name: Flensburg, kind: kreisfreie_stadt, land: SH, integration_concept: true, since_year: 2016, share: 0.25, note: "a, b"}
          - {id: 01059, name: Schleswig-Flensburg, kind: landkreis, land: 1, integration_concept: false, staff: 3, code: 007}
        ties:
          - {from: 01001, to: 01059, kind: exchange, since: 2019-05, confidence: 0.1, topic: Sprache}
        """
    )
    net = netkoop.load(path)
    units = net.units
    assert units["id"].tolist() == ["01001", "01059"]
    assert units["land"].tolist() == ["01", "01"]
    assert str(units["integration_concept"].dtype) == "boolean"
    assert str(units["since_year"].dtype) == "Int64"
    assert units["share"].iloc[0] == 0.25
    assert units["code"].iloc[1] == "007"
    assert net.ties["since"].item() == "2019-05"
    assert net.metadata.sources[0].licence == "DL-DE-BY-2.0"
    assert net.metadata.sources[1].name == "Eigene Erhebung"
    assert net.metadata.reference_date == "2023-12-31"

    again = netkoop.load(net.save(tmp_path / "out"))
    assert again.equals(net)
    for table in ("units", "ties", "flows"):
        pd.testing.assert_frame_equal(getattr(again, table), getattr(net, table))


def test_save_refuses_to_overwrite_and_leaves_files_alone(minimal, tmp_path):
    net = netkoop.load(minimal)
    target = net.save(tmp_path / "out")
    before = {p.name: p.read_bytes() for p in target.parent.iterdir()}
    with pytest.raises(OutputExistsError, match="overwrite=True"):
        net.remove_units("ag-by").save(tmp_path / "out")
    assert {p.name: p.read_bytes() for p in target.parent.iterdir()} == before
    net.remove_units("ag-by").save(tmp_path / "out", overwrite=True)
    assert len(netkoop.load(target).units) == 4


def test_save_leaves_no_partial_output_when_writing_fails(minimal, tmp_path, monkeypatch):
    net = netkoop.load(minimal)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        net.save(tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_a_saved_folder_carries_the_marker_and_a_header(minimal, tmp_path):
    target = netkoop.load(minimal).save(tmp_path / "out")
    assert target.read_text(encoding="utf-8").startswith(HEADER)
    marker = (tmp_path / "out" / ".netkoop").read_text(encoding="utf-8").splitlines()
    assert marker[0].endswith(": a scenario folder.")
    assert marker[-5:] == ["borders.csv", "flows.csv", "scenario.yaml", "ties.csv", "units.csv"]


def test_save_never_writes_into_a_hand_written_scenario(minimal):
    net = netkoop.load(minimal)
    folder = minimal.parent
    before = snapshot(folder)
    with pytest.raises(OutputError, match="holds files netkoop did not write"):
        net.save(folder, overwrite=True)
    assert snapshot(folder) == before


def test_save_over_its_own_folder_keeps_other_files(minimal, tmp_path):
    net = netkoop.load(minimal)
    net.save(tmp_path / "out")
    (tmp_path / "out" / "notizen.txt").write_text("mine", encoding="utf-8")
    loaded = netkoop.load(tmp_path / "out")
    loaded.remove_units("ag-by").save(tmp_path / "out", overwrite=True)
    assert len(netkoop.load(tmp_path / "out").units) == 4
    assert (tmp_path / "out" / "notizen.txt").read_text(encoding="utf-8") == "mine"
