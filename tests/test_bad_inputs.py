"""A catalogue of bad and hostile inputs: each gives one clear message and leaves its input alone.

Every case is a copy of beispielregion with one thing wrong. Each test asserts the exit code,
the message, that no traceback is printed, and that the scenario folder is byte for byte as it
was. Outputs go to a folder of their own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

import netkoop
from conftest import REPO, snapshot
from conftest import run_cli as run
from netkoop.output import files
from netkoop.output.files import clear_stale

BUNDLED = REPO / "scenarios" / "beispielregion"


@pytest.fixture
def case(tmp_path: Path) -> Callable[..., Path]:
    """Copy beispielregion and change it: ``case(yaml=..., **{"units.csv": text})``.

    ``yaml`` is appended to the scenario file (or replaces it with ``replace=True``); other
    keywords replace files (text or bytes).
    """

    def make(yaml: str = "", *, replace: bool = False, **files: str | bytes) -> Path:
        folder = tmp_path / "fall"
        shutil.copytree(BUNDLED, folder)
        scenario = folder / "scenario.yaml"
        text = textwrap.dedent(yaml)
        scenario.write_text(text if replace else scenario.read_text("utf-8") + text, "utf-8")
        for name, content in files.items():
            path = folder / name
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return folder

    return make


def refused(
    folder: Path, *args: str | Path, says: str, code: int = 1, command: str = "validate"
) -> str:
    """Run a command on the case; check exit code, message, no traceback, folder unchanged."""
    before = snapshot(folder)
    result = run(command, folder, *args)
    assert result.exit_code == code, result.output
    assert says in result.output, result.output
    assert "Traceback" not in result.output
    assert snapshot(folder) == before
    return result.output


def units_with(line: str) -> str:
    return (BUNDLED / "units.csv").read_text("utf-8") + line


# --- tracebacks that are messages now -----------------------------------------------------


def test_yaml_nested_thousands_of_levels(case: Callable[..., Path]) -> None:
    deep = "[" * 5000 + "]" * 5000
    refused(case(f"\nx: {deep}\n"), says="the YAML is nested deeper than 50 levels")


def test_an_extends_chain_of_hundreds_of_files(case: Callable[..., Path]) -> None:
    folder = case()
    for i in range(120):
        (folder / f"s{i}.yaml").write_text(f"format_version: 1\nextends: s{i + 1}.yaml\n", "utf-8")
    (folder / "s120.yaml").write_text("format_version: 1\nextends: scenario.yaml\n", "utf-8")
    refused(folder / "s0.yaml", says="the extends chain is longer than 50 files")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("count: !!int abc", "'abc' cannot be read as !!int"),
        ("stand: !!timestamp 2020-99-99", "'2020-99-99' cannot be read as !!timestamp"),
        ("blob: !!binary 'not base64!!'", "failed to decode base64 data"),
        ('text: "S\\ud800d"', "holds a lone surrogate"),
        ("flag: !!bool maybe", "'maybe' cannot be read as !!bool (not one of true, false, yes"),
        ("count: !!int 0x" + "f" * 5000, "'0xfffff"),
        ("count: 123456789012345678901234567890", "is too large: numbers in a scenario file"),
        ("share: 1e999", "'1e999' is not a finite number"),
        ("share: !!float .inf", "'.inf' is not a finite number"),
    ],
)
def test_yaml_values_their_tag_cannot_build(
    case: Callable[..., Path], line: str, says: str
) -> None:
    out = refused(case(f"\n{line}\n"), says=says)
    assert "scenario.yaml, line 33" in out


def test_a_carriage_return_inside_a_quoted_column_name(case: Callable[..., Path]) -> None:
    text = units_with("").replace("id,name", '"id\r",name', 1)
    out = refused(case(**{"units.csv": text}), says="a column name holds a line break")
    assert "ends of ties name units that are not among the units read" in out  # one line


def test_utf16_with_an_odd_number_of_bytes(case: Callable[..., Path]) -> None:
    data = units_with("").encode("utf-16")[:-1]
    refused(case(**{"units.csv": data}), says="starts with a UTF-16 byte order mark but is no")


def test_counts_beyond_what_64_bits_hold(case: Callable[..., Path]) -> None:
    flows = (BUNDLED / "flows.csv").read_text("utf-8").replace("18450", "9" * 23, 1)
    refused(case(**{"flows.csv": flows}), says="too large for a count of people")


@pytest.mark.parametrize("sep", [";;", ""])
def test_a_separator_of_other_than_one_character(case: Callable[..., Path], sep: str) -> None:
    text = (
        (BUNDLED / "scenario.yaml")
        .read_text("utf-8")
        .replace("units:\n  file: units.csv", f'units:\n  file: units.csv\n  sep: "{sep}"')
    )
    refused(case(text, replace=True), says="sep is one character")


def test_a_negative_seed(case: Callable[..., Path]) -> None:
    folder = case()
    says = "Invalid value for '--seed': -1 is not in the range x>=0"
    for command in ("metrics", "compare"):
        args = ["beispielregion"] if command == "compare" else []
        refused(folder, *args, "--seed", "-1", says=says, code=2, command=command)


def test_control_characters_in_names_reach_graphml_and_the_terminal_defused(
    case: Callable[..., Path], tmp_path: Path
) -> None:
    units = units_with("neu,Neu\x01\x1b[2J\u202e,kreisfreie_stadt,03,,1,,\n")
    ties = (BUNDLED / "ties.csv").read_text("utf-8") + "neu,lk-nord,exchange,,,,,,\n"
    folder = case(**{"units.csv": units, "ties.csv": ties})
    out = tmp_path / "out"
    before = snapshot(folder)
    for suffix in ("graphml", "gexf"):
        result = run("export", folder, "-o", out / f"netz.{suffix}")
        assert result.exit_code == 0, result.output
        assert "characters that XML cannot carry" in result.stderr
        text = (out / f"netz.{suffix}").read_text("utf-8")
        assert "Neu\ufffd\ufffd[2J" in text
    info = run("info", folder, "--format", "text")
    assert "\x1b" not in info.output
    listed = run("metrics", folder, "--metric", "structure")
    assert "\x1b" not in listed.output
    warned = run("validate", folder)
    assert "holds the invisible control character U+0001" in warned.output
    assert "value 'Neu\\x01\\x1b[2J\\u202e'" in warned.output  # shown, but as escapes
    assert snapshot(folder) == before


def test_simulate_with_the_multiprocessing_backend(tmp_path: Path) -> None:
    outputs = []
    for backend in ("multiprocessing", "loky"):
        out = tmp_path / f"{backend}.json"
        result = run("simulate", "haushaltskrise", "--runs", "4", "--jobs", "2", "--backend",
                     backend, "-q", "-o", out)  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_an_alias_bomb_inside_where(case: Callable[..., Path]) -> None:
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
    )
    text = (
        (BUNDLED / "scenario.yaml")
        .read_text("utf-8")
        .replace("units:\n  file: units.csv", "units:\n  file: units.csv\n  where: {kind: *a8}")
    )
    folder = case(text, replace=True)
    # The anchors live in a key of their own, which is reported as unknown too.
    (folder / "scenario.yaml").write_text(
        (folder / "scenario.yaml")
        .read_text("utf-8")
        .replace("units:", "bomb:\n" + textwrap.indent(bomb, "  ") + "units:", 1),
        "utf-8",
    )
    refused(folder, says="where takes one value or a list of values per column")


# --- hangs --------------------------------------------------------------------------------


def test_a_header_of_twenty_thousand_columns(case: Callable[..., Path]) -> None:
    header = ",".join(["id", "name", "kind", "land", *(f"c{i}" for i in range(20_000))])
    refused(case(**{"units.csv": header + "\n"}), says="the table has 20,004 columns; netkoop")


def test_a_pipe_is_never_read(case: Callable[..., Path], tmp_path: Path) -> None:
    folder = case()
    pipe = tmp_path / "kreise.geojson"
    os.mkfifo(pipe)
    result = run("import", "adjacency", pipe, "-o", tmp_path / "neu")
    assert result.exit_code == 1
    assert "is not a regular file (a pipe or a device)" in result.output
    (folder / "units.csv").unlink()
    os.mkfifo(folder / "units.csv")
    refused(folder, says="is not a regular file (a pipe or a device)")


def test_a_pipe_or_a_looping_link_as_the_scenario_file_is_named_as_such(
    case: Callable[..., Path], tmp_path: Path
) -> None:
    folder = case()
    os.mkfifo(folder / "pipe.yaml")
    refused(folder / "pipe.yaml", says="pipe.yaml: is not a regular file (a pipe or a device)")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    refused(folder / "loop.yaml", says="loop.yaml: is a symbolic link that leads nowhere")
    result = run("import", "pendler", folder / "pipe.yaml", "-o", tmp_path / "neu")
    assert result.exit_code == 1
    assert "pipe.yaml: the file is not a regular file (a pipe or a device)" in result.output
    assert not (tmp_path / "neu").exists()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"id,name\n", "the name ends in .gz but the file is no complete gzip data"),
        (b"\x1f\x8b\x08\x00", "the name ends in .gz but the file is no complete gzip data"),
    ],
)
def test_a_gz_table_that_is_no_gzip_or_cut_short(
    case: Callable[..., Path], data: bytes, says: str
) -> None:
    folder = case(**{"flows.csv.gz": data})
    text = (
        (folder / "scenario.yaml")
        .read_text("utf-8")
        .replace("file: flows.csv", "file: flows.csv.gz")
    )
    (folder / "scenario.yaml").write_text(text, "utf-8")
    refused(folder, says=f"flows.csv.gz: {says}")


def test_a_table_file_that_is_a_looping_link(case: Callable[..., Path]) -> None:
    folder = case()
    (folder / "flows.csv").unlink()
    (folder / "flows.csv").symlink_to("flows.csv")
    refused(folder, says="the table file is a symbolic link that leads nowhere")


# --- silent misreads ----------------------------------------------------------------------


def test_one_bad_byte_in_a_utf8_file_is_an_error_naming_it(case: Callable[..., Path]) -> None:
    data = units_with("neu,Südmarsch,kreisfreie_stadt,03,,1,,\n").encode("utf-8")
    data = data.replace("Grünau".encode(), b"Gr\xfcnau", 1)
    out = refused(case(**{"units.csv": data}), says="is UTF-8 text (such as 'ü' on row 4) with")
    assert "bytes that are not UTF-8 (the first on row 10: byte 0xfc)" in out


def test_decimal_points_in_a_semicolon_file(case: Callable[..., Path]) -> None:
    units = units_with("").replace(",", ";")
    lat = units.replace("52.37", "52.271", 1) if "52.37" in units else units
    borders = "from;to;length_km\nlk-nord;musterstadt;12.345\n"
    yaml = "\nborders: {file: borders.csv}\n"
    folder = case(yaml, **{"units.csv": lat, "borders.csv": borders})
    out = refused(
        folder, "--strict", says="read both ways ('12.345' is 12.345 with a decimal point"
    )
    assert "field 'length_km'" in out
    with pytest.warns(netkoop.NetkoopWarning):
        net = netkoop.load(folder)
    assert net.borders["length_km"].tolist() == [12.345]
    assert net.units["lat"].dropna().between(-90, 90).all()
    assert net.units["lat"].iloc[0] == 52.271


def test_keys_written_as_floats(case: Callable[..., Path]) -> None:
    units = units_with("1001.0,Flensburg,kreisfreie_stadt,01,,1,,\n")
    out = refused(case(**{"units.csv": units}), "--strict", says="stored as a number")
    assert "('1001.0' is '01001')" in out


def test_the_same_id_composed_and_decomposed(case: Callable[..., Path]) -> None:
    units = units_with("müll,Müll A,landkreis,03,,1,,\nmu\u0308ll,Müll B,landkreis,03,,1,,\n")
    out = refused(case(**{"units.csv": units}), says="duplicate id")
    assert "written in decomposed Unicode (NFD)" in out


def test_a_date_that_does_not_exist(case: Callable[..., Path]) -> None:
    ties = (BUNDLED / "ties.csv").read_text("utf-8") + "gruenau,lk-sued,exchange,,,,2019-13-45,,\n"
    refused(case(**{"ties.csv": ties}), says="a date that exists")


def test_formulas_without_a_computed_value(case: Callable[..., Path]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "kind", "land", "population"])
    sheet.append(["lk-a", "Landkreis A", "landkreis", "03", "=1+1"])
    folder = case()
    book.save(folder / "units.xlsx")
    yaml = (BUNDLED / "scenario.yaml").read_text("utf-8").replace("units.csv", "units.xlsx")
    (folder / "scenario.yaml").write_text(yaml, "utf-8")
    refused(folder, says="the cell holds a formula but no computed value")


# --- security -----------------------------------------------------------------------------


def test_spreadsheet_formulas_in_names_are_written_as_text(
    case: Callable[..., Path], tmp_path: Path
) -> None:
    evil = '=HYPERLINK("http://evil.example","x")'
    units = units_with(f'neu,"{evil.replace(chr(34), chr(34) * 2)}",kreisfreie_stadt,03,,1,,\n')
    ties = (BUNDLED / "ties.csv").read_text("utf-8") + "neu,lk-nord,exchange,,,,,,\n"
    folder = case(**{"units.csv": units, "ties.csv": ties})
    out = tmp_path / "out"
    assert run("metrics", folder, "--metric", "kreis", "-o", out / "m.xlsx").exit_code == 0
    book = openpyxl.load_workbook(out / "m.xlsx")
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert evil in [c.value for c in cells]
    assert run("metrics", folder, "--metric", "kreis", "-o", out / "csv").exit_code == 0
    written = (out / "csv" / "kreis_ei_units.csv").read_text("utf-8")
    assert '"\'=HYPERLINK(""http://evil.example"",""x"")"' in written
    saved = netkoop.load(folder).save(out / "kopie")
    assert "'=HYPERLINK" in (saved.parent / "units.csv").read_text("utf-8")
    assert evil in netkoop.load(out / "kopie").units["name"].tolist()  # read back as it was


def test_a_table_outside_the_scenario_folder_is_not_read(case: Callable[..., Path]) -> None:
    text = (
        (BUNDLED / "scenario.yaml")
        .read_text("utf-8")
        .replace("file: units.csv", "file: ../geheim.csv")
    )
    folder = case(text, replace=True)
    (folder.parent / "geheim.csv").write_text("passwort:hunter2\n", "utf-8")
    out = refused(folder, says="the table file lies outside the folder of the scenario")
    assert "hunter2" not in out
    (folder / "scenario.yaml").write_text("files_outside: true\n" + text, "utf-8")
    out = refused(folder, says="does not look like a table")
    assert "hunter2" not in out


# --- smaller --------------------------------------------------------------------------------


def test_temporary_files_of_a_dead_process_are_cleared_on_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    left = tmp_path / f".netz.html.{dead.stdout.strip()}-0123456789ab.netkoop-tmp"
    left.write_bytes(b"x" * 1000)
    mine = tmp_path / f".netz.html.{os.getpid()}-0123456789ab.netkoop-tmp"
    mine.write_bytes(b"still being written")
    assert run("render", "beispielregion", "-o", tmp_path / "netz.html").exit_code == 0
    assert not left.exists()
    assert mine.exists()  # a living process's file stays
    assert clear_stale(tmp_path) == []


def test_a_failing_write_names_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bericht.json"

    def full(path: Path, *args: object) -> None:
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device", str(path))  # names the temporary file

    monkeypatch.setattr(files, "_write", full)
    result = run("metrics", "beispielregion", "--metric", "structure", "-o", target)
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot access {target}: No space left on device\n"
    assert list(tmp_path.iterdir()) == []


def test_follow_on_errors_of_an_unreadable_table_are_one_line(case: Callable[..., Path]) -> None:
    out = refused(case(**{"units.csv": b"\xff\xfe\x00"}), says="UTF-16")
    lines = [line for line in out.splitlines() if line.startswith("  error")]
    assert len(lines) == 3, out  # the units, and one line each for ties and flows
