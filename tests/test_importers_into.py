"""Imports into a scenario folder: a hand-written scenario keeps every line, imports take turns."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

import netkoop
from conftest import REPO, snapshot
from conftest import run_cli as run
from netkoop import NetkoopError, NetkoopWarning, ScenarioError
from netkoop.importers import Imported, import_into
from netkoop.importers import into as importing
from netkoop.model.metadata import Credit

#: A hand-written scenario: comments, an inline forum, a flow-style line, interventions.
HAND_WRITTEN = """\
# Unsere Region: von Hand gepflegt, bitte nicht umformatieren.
format_version: 1
name: unsere-region
title: Unsere Region   # Titel für die Karte

sources:
  - name: eigene Erhebung
    credit: Interviews 2024

units:
  file: units.csv          # aus dem Excel der Koordinierungsstelle
forums:
  - {id: ag, name: AG Integration, land: NI}

ties: {file: ties.csv}

# Was wäre wenn: die Haushaltskrise
interventions:
  - do: budget_shock
    voluntary: 0.5
    seed: 7
"""

UNITS = """\
id,name,kind,land,parent
lk,Landkreis,landkreis,NI,
st,Stadt,kreisfreie_stadt,NI,
g1,Gemeinde Eins,gemeinde,NI,lk
g2,Gemeinde Zwei,gemeinde,NI,lk
"""

TIES = """\
from,to,kind,funding
g1,g2,exchange,voluntary
lk,g1,exchange,voluntary
lk,ag,membership,voluntary
st,ag,membership,voluntary
st,lk,exchange,voluntary
g2,lk,exchange,voluntary
"""

OD = """\
wohnort;arbeitsort;pendler
lk;st;5000
g1;st;1200
st;lk;800
"""


@pytest.fixture
def hand_written(tmp_path: Path) -> Path:
    folder = tmp_path / "region"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "ties.csv").write_text(TIES, encoding="utf-8")
    return folder


def polygons(path: Path) -> Path:
    """Squares of 10 km: lk and st side by side, g1 and g2 inside lk's row above it."""
    frame = gpd.GeoDataFrame(
        {"kreis": ["lk", "st"]},
        geometry=[box(500_000, 5_550_000, 510_000, 5_560_000), box(510_000, 5_550_000, 520_000, 5_560_000)],
        crs="EPSG:25832",
    )  # fmt: skip
    frame.to_file(path)
    return path


def od_args(source: Path, folder: Path) -> list[str | Path]:
    return ["import", "od", source, "--from", "wohnort", "--to", "arbeitsort", "--commuters",
            "pendler", "-o", folder]  # fmt: skip


def keeps_every_line(before: str, after: str) -> bool:
    """Whether ``after`` holds every line of ``before``, in the same order."""
    lines = iter(after.splitlines())
    return all(any(line == other for other in lines) for line in before.splitlines())


def test_flows_and_borders_join_a_hand_written_scenario_that_keeps_every_line(
    hand_written: Path, tmp_path: Path
) -> None:
    od = tmp_path / "od.csv"
    od.write_text(OD, encoding="utf-8")
    shapes = polygons(tmp_path / "kreise.geojson")
    tables = {name: (hand_written / name).read_bytes() for name in ("units.csv", "ties.csv")}

    first = run(*od_args(od, hand_written))
    assert first.exit_code == 0, first.output
    second = run("import", "adjacency", shapes, "--key", "kreis", "-o", hand_written)
    assert second.exit_code == 0, second.output
    assert "1 borders imported; the scenario now has 5 units, 6 ties, 3 flows, 1 borders" in (
        second.stdout
    )  # its tables; the budget shock runs on every load

    text = (hand_written / "scenario.yaml").read_text(encoding="utf-8")
    assert keeps_every_line(HAND_WRITTEN, text)
    added = [line for line in text.splitlines() if line not in HAND_WRITTEN.splitlines()]
    assert added[0] == "  - {name: od.csv, note: commuter flows read from od.csv}"
    assert added[1].startswith("  - {name: 'BKG Verwaltungsgebiete 1:1 000 000 (VG1000)'")
    assert added[2:] == ["flows:", "  file: flows.csv", "borders:", "  file: borders.csv"]
    # The tables netkoop did not write are untouched: the budget shock stays an intervention.
    assert {name: (hand_written / name).read_bytes() for name in tables} == tables
    assert sorted(p.name for p in hand_written.iterdir()) == [
        "borders.csv", "flows.csv", "scenario.yaml", "ties.csv", "units.csv",
    ]  # fmt: skip
    result = netkoop.validate(hand_written)
    assert result.tables is not None
    assert result.network is not None
    assert len(result.tables.ties) == 6
    assert len(result.network.ties) < 6  # the shock still runs on every load
    assert result.network.flows["commuters"].sum() == 7000


def test_an_import_never_writes_over_its_input_or_a_table_netkoop_did_not_write(
    hand_written: Path,
) -> None:
    od = hand_written / "flows.csv"  # the input lies in the folder, under the usual name
    od.write_text(OD, encoding="utf-8")
    with pytest.warns(NetkoopWarning, match=r"flows.csv exists and netkoop did not write it"):
        import_into(hand_written, _od(od), inputs=[od])
    assert od.read_text(encoding="utf-8") == OD
    text = (hand_written / "scenario.yaml").read_text(encoding="utf-8")
    assert "flows:\n  file: flows-2.csv\n" in text
    assert len(netkoop.load(hand_written).flows) == 3


def test_replace_points_at_the_new_table_and_refuses_without(
    hand_written: Path, tmp_path: Path
) -> None:
    od = tmp_path / "od.csv"
    od.write_text(OD, encoding="utf-8")
    import_into(hand_written, _od(od))
    before = snapshot(hand_written)
    with pytest.raises(NetkoopError, match=r"already has 3 flows; pass --replace"):
        import_into(hand_written, _od(od))
    assert snapshot(hand_written) == before
    od.write_text(OD.replace("5000", "5500"), encoding="utf-8")
    with pytest.warns(NetkoopWarning, match="flows.csv exists and netkoop did not write it"):
        network = import_into(hand_written, _od(od), replace=True)
    assert network.flows["commuters"].sum() == 7500
    assert (hand_written / "flows.csv").read_bytes() == before["flows.csv"]  # not netkoop's


def test_rows_that_do_not_fit_name_their_input_row_and_nothing_is_written(
    hand_written: Path, tmp_path: Path
) -> None:
    od = tmp_path / "od.csv"
    od.write_text(OD + "atlantis;st;10\n", encoding="utf-8")
    before = snapshot(hand_written)
    result = run(*od_args(od, hand_written))
    assert result.exit_code == 1
    assert "od.csv, row 5, field 'from', value 'atlantis': unknown unit" in result.stderr
    assert "flows.csv" not in result.stderr
    assert snapshot(hand_written) == before


def test_an_invalid_scenario_is_not_imported_into(hand_written: Path, tmp_path: Path) -> None:
    (hand_written / "ties.csv").write_text(TIES + "g1,nowhere,exchange,\n", encoding="utf-8")
    od = tmp_path / "od.csv"
    od.write_text(OD, encoding="utf-8")
    before = snapshot(hand_written)
    with pytest.raises(ScenarioError, match="unknown unit"):
        import_into(hand_written, _od(od))
    assert snapshot(hand_written) == before


def test_a_scenario_file_of_another_layout_gets_the_lines_to_add(tmp_path: Path) -> None:
    folder = tmp_path / "flow-style"
    folder.mkdir()
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        "{format_version: 1, units: {file: units.csv}}\n", encoding="utf-8"
    )
    od = tmp_path / "od.csv"
    od.write_text(OD, encoding="utf-8")
    before = snapshot(folder)
    result = run(*od_args(od, folder))
    assert result.exit_code == 1
    assert "add these lines yourself" in result.stderr
    assert "    flows:\n      file: flows.csv" in result.stderr
    assert snapshot(folder) == {**before}  # the table written for the check is gone again


def test_two_imports_into_one_folder_take_turns_and_both_tables_arrive(
    hand_written: Path, tmp_path: Path
) -> None:
    od = tmp_path / "od.csv"
    od.write_text(OD, encoding="utf-8")
    shapes = polygons(tmp_path / "kreise.geojson")
    netkoop_cli = [sys.executable, "-m", "netkoop"]
    commands = [
        [*netkoop_cli, *map(str, od_args(od, hand_written))],
        [*netkoop_cli, "import", "adjacency", str(shapes), "--key", "kreis", "-o", str(hand_written)],
    ]  # fmt: skip
    running = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands
    ]
    results = [process.communicate(timeout=120) for process in running]
    assert [process.returncode for process in running] == [0, 0], results
    net = netkoop.validate(hand_written).tables
    assert net is not None
    assert (len(net.flows), len(net.borders)) == (3, 1)
    assert keeps_every_line(HAND_WRITTEN, (hand_written / "scenario.yaml").read_text("utf-8"))


def test_an_import_waits_for_the_lock_and_then_fails_cleanly(
    hand_written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from netkoop.importers.into import _locked
        from pathlib import Path
        with _locked(Path({str(hand_written)!r})):
            print("holding", flush=True)
            time.sleep(5)
        """
    )
    monkeypatch.setattr(importing, "LOCK_WAIT", 0.2)
    od = tmp_path / "od.csv"
    od.write_text(OD, encoding="utf-8")
    with subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True) as p:
        assert p.stdout is not None
        assert p.stdout.readline().strip() == "holding"
        start = time.monotonic()
        with pytest.raises(NetkoopError, match=r"another netkoop import into .*region did not"):
            import_into(hand_written, _od(od))
        assert time.monotonic() - start < 4
        p.stdout.read()


def _od(path: Path) -> Imported:
    frame = pd.read_csv(path, sep=";", dtype=str)
    rows = pd.DataFrame(
        {
            "from": frame["wohnort"],
            "to": frame["arbeitsort"],
            "commuters": frame["pendler"].astype("Int64"),
        }
    )
    origins = tuple(f"{path.name}, row {i + 2}" for i in range(len(rows)))
    return Imported("flows", rows, (Credit(name=path.name),), origins=origins)
