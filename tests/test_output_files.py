"""The output layer: whole files and folders, normal permissions, and never over an input."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import snapshot
from netkoop import OutputError, OutputExistsError
from netkoop.output.files import (
    MARKER,
    check_file,
    write_file,
    write_folder,
    write_text,
)


@pytest.fixture
def umask() -> Iterator[None]:
    """Run with the common umask 022, whatever the test runner has."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fail(path: Path) -> None:
    path.write_text("half", encoding="utf-8")
    raise RuntimeError("the writer broke")


# --- files ------------------------------------------------------------------------------------


def test_a_new_file_is_written_whole_with_the_umask_permissions(
    tmp_path: Path, umask: None
) -> None:
    out = tmp_path / "neu" / "bericht.json"
    assert write_file(out, "{}\nÄ") == out
    assert out.read_bytes() == "{}\nÄ".encode()
    assert mode(out) == 0o644
    assert mode(out.parent) == 0o755
    assert sorted(p.name for p in out.parent.iterdir()) == ["bericht.json"]


def test_bytes_and_writer_functions(tmp_path: Path) -> None:
    write_file(tmp_path / "a.bin", b"\x00\x01")
    write_file(tmp_path / "b.txt", lambda path: path.write_text("by a writer", encoding="utf-8"))
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "by a writer"


def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "netz.html"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(
        OutputExistsError, match=r"netz.html exists; pass overwrite=True \(--force\)"
    ):
        write_file(out, "new")
    assert out.read_text(encoding="utf-8") == "old"
    write_file(out, "new", overwrite=True)
    assert out.read_text(encoding="utf-8") == "new"


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    out = tmp_path / "netz.html"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="the writer broke"):
        write_file(out, fail, overwrite=True)
    assert snapshot(tmp_path) == {"netz.html": b"old"}


def test_inputs_yaml_files_and_tables_of_a_scenario_are_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text(
        "format_version: 1\nunits: {file: einheiten.csv}\nties:\n  - file: 'data/ties.csv'\n",
        encoding="utf-8",
    )
    (tmp_path / "data").mkdir()
    for name in ("einheiten.csv", "data/ties.csv", "other.csv", "eingabe.txt"):
        (tmp_path / name).write_text("keep", encoding="utf-8")
    before = snapshot(tmp_path)
    refusals = {
        tmp_path / "scenario.yaml": "is a YAML file, perhaps a scenario",
        tmp_path / "einheiten.csv": "is a table that the scenario .*scenario.yaml reads",
        tmp_path / "eingabe.txt": "is an input of this command",
    }
    for target, message in refusals.items():
        with pytest.raises(OutputError, match=message):
            write_file(target, "x", overwrite=True, protect=[tmp_path / "eingabe.txt"])
    # A table one folder down is named as data/ties.csv by the scenario above, not beside it.
    write_file(tmp_path / "other.csv", "replaced", overwrite=True)
    assert snapshot(tmp_path) == {**before, "other.csv": b"replaced"}


def test_a_folder_or_standard_output_is_no_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder; name a file"):
        write_file(tmp_path, "x", overwrite=True)
    with pytest.raises(OutputError, match="this output is not text; name a file instead of '-'"):
        check_file(Path("-"), overwrite=True)


def test_dash_writes_text_to_standard_output_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert write_text("-", "ein Text\n") is None
    assert capsys.readouterr().out == "ein Text\n"
    assert list(tmp_path.iterdir()) == []


# --- folders ----------------------------------------------------------------------------------


def test_a_new_folder_is_made_whole_with_a_marker_listing_its_files(
    tmp_path: Path, umask: None
) -> None:
    out = tmp_path / "bericht"
    write_folder(out, {"values.csv": "a\n", "units.csv": "b\n"}, kind="report")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "units.csv", "values.csv"]
    marker = (out / MARKER).read_text(encoding="utf-8").splitlines()
    assert marker[0].endswith(": a report folder.")
    assert marker[-2:] == ["units.csv", "values.csv"]
    assert mode(out) == 0o755
    assert mode(out / "values.csv") == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bericht"]


def test_a_failing_folder_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        write_folder(tmp_path / "bericht", {"a.csv": "a", "b.csv": fail}, kind="report")
    assert snapshot(tmp_path) == {}


def test_an_empty_folder_is_written_into(tmp_path: Path) -> None:
    out = tmp_path / "leer"
    out.mkdir()
    write_folder(out, {"a.csv": "a"}, kind="report")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.csv"]


def test_a_folder_holding_other_files_is_refused_and_unchanged(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("keep", encoding="utf-8")
    (tmp_path / "ties.csv").write_text("keep", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(
        OutputError, match=r"holds files netkoop did not write \(scenario\.yaml, ties"
    ):
        write_folder(tmp_path, {"values.csv": "x"}, kind="report", overwrite=True)
    assert snapshot(tmp_path) == before


def test_a_folder_netkoop_made_is_replaced_when_asked_and_foreign_files_stay(
    tmp_path: Path,
) -> None:
    out = tmp_path / "bericht"
    write_folder(out, {"values.csv": "1", "gap.csv": "1"}, kind="report")
    with pytest.raises(OutputExistsError, match="holds a report that netkoop wrote before"):
        write_folder(out, {"values.csv": "2"}, kind="report")
    (out / "notizen.txt").write_text("mine", encoding="utf-8")
    write_folder(out, {"values.csv": "2", "units.csv": "2"}, kind="report", overwrite=True)
    files = snapshot(out)
    assert {name: data for name, data in files.items() if name != MARKER} == {
        "notizen.txt": b"mine",  # not netkoop's: left alone
        "units.csv": b"2",
        "values.csv": b"2",  # gap.csv was netkoop's and is no longer written: removed
    }
    assert (out / MARKER).read_text(encoding="utf-8").splitlines()[-2:] == [
        "units.csv",
        "values.csv",
    ]


def test_a_file_the_user_put_under_a_name_netkoop_writes_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "bericht"
    write_folder(out, {"values.csv": "1"}, kind="report")
    (out / "units.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"units\.csv was not written by netkoop"):
        write_folder(out, {"values.csv": "2", "units.csv": "2"}, kind="report", overwrite=True)
    assert (out / "units.csv").read_text(encoding="utf-8") == "mine"
    assert (out / "values.csv").read_text(encoding="utf-8") == "1"


def test_files_in_subfolders_follow_the_same_rule(tmp_path: Path) -> None:
    """What netkoop wrote into a subfolder goes when it is no longer written; a user's file
    there stays, and one under a name netkoop would write is refused."""
    out = tmp_path / "befragung"
    write_folder(out, {"a/1.xlsx": "1", "a/2.xlsx": "1", "b.yaml": "1"}, kind="survey")
    (out / "a" / "notiz.txt").write_text("mine", encoding="utf-8")
    write_folder(out, {"a/1.xlsx": "2", "b.yaml": "2"}, kind="survey", overwrite=True)
    files = snapshot(out)
    assert {name: data for name, data in files.items() if name != MARKER} == {
        "a": None,
        "a/1.xlsx": b"2",
        "a/notiz.txt": b"mine",
        "b.yaml": b"2",
    }
    (out / "a" / "3.xlsx").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"a/3\.xlsx was not written by netkoop"):
        write_folder(out, {"a/1.xlsx": "3", "a/3.xlsx": "3"}, kind="survey", overwrite=True)
    assert (out / "a" / "3.xlsx").read_text(encoding="utf-8") == "mine"
    assert (out / "a" / "1.xlsx").read_text(encoding="utf-8") == "2"


def test_a_folder_of_another_kind_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "szenario"
    write_folder(out, {"scenario.yaml": "x"}, kind="scenario")
    with pytest.raises(
        OutputError, match="is a scenario folder that netkoop wrote; a report goes into a new"
    ):
        write_folder(out, {"values.csv": "x"}, kind="report", overwrite=True)
    with pytest.raises(
        OutputError, match="is a scenario folder that netkoop wrote; a starter goes"
    ):
        write_folder(out, {"scenario.yaml": "x"}, kind=None, overwrite=True)


def test_a_folder_holding_an_input_and_odd_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    table = tmp_path / "in" / "ties.csv"
    table.write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match=r"holds an input of this command \(ties.csv\)"):
        write_folder(tmp_path, {"a.csv": "x"}, kind="report", protect=[table])
    for name in ("../a.csv", MARKER, "sub/../../a.csv", "/etc/a.csv", ""):
        with pytest.raises(OutputError, match="is not a file name netkoop writes"):
            write_folder(tmp_path / "neu", {name: "x"}, kind="report")
    nested = write_folder(tmp_path / "tief", {"daten/a.csv": "x", "b.csv": "y"}, kind=None)
    assert snapshot(nested) == {"b.csv": b"y", "daten": None, "daten/a.csv": b"x"}
    shutil.rmtree(nested)
    with pytest.raises(OutputError, match="is a file; a folder of files goes into a new folder"):
        write_folder(table, {"a.csv": "x"}, kind="report", overwrite=True)
    with pytest.raises(OutputError, match="name a folder instead of '-'"):
        write_folder("-", {"a.csv": "x"}, kind="report")
    assert snapshot(tmp_path) == {"in": None, "in/ties.csv": b"keep"}


def test_a_starter_folder_gets_no_marker_and_is_never_written_again(tmp_path: Path) -> None:
    out = tmp_path / "meine-region"
    write_folder(out, {"scenario.yaml": "x"}, kind=None)
    assert sorted(p.name for p in out.iterdir()) == ["scenario.yaml"]
    with pytest.raises(OutputError, match="holds files netkoop did not write"):
        write_folder(out, {"scenario.yaml": "y"}, kind=None, overwrite=True)
