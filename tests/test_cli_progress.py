"""Progress bars: drawn on standard error at a terminal only, never with -q, never on stdout."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import OFFICIAL, run_cli
from netkoop.cli import progress as progress_module
from netkoop.cli.progress import progress

PENDLER = OFFICIAL / "ba-pendler-2023"
GVISYS = OFFICIAL / "destatis-gvisys" / "31122023_Auszug_GV.xlsx"
VG1000 = OFFICIAL / "bkg-vg1000-2022" / "VG1000_KRS.zip"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard error counts as a terminal, as when a person runs netkoop."""
    monkeypatch.setattr(progress_module, "_is_terminal", lambda stream: True)


@pytest.fixture(scope="module")
def kreise(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scenario folder with the Länder and Kreise, which flows and borders need first."""
    folder = tmp_path_factory.mktemp("progress") / "kreise"
    result = run_cli("import", "gv-isys", GVISYS, "--level", "kreis", "-o", folder, "-q")
    assert result.exit_code == 0, result.output
    return folder


def last_bar(stderr: str, label: str) -> str:
    """The last state of the bar that ``label`` names, as the terminal shows it at the end."""
    states = [part for part in re.split(r"[\r\n]", stderr) if label in part]
    assert states, stderr
    return re.sub(r"\x1b\[\?25[lh]", "", states[-1]).strip()


# --- the helper ---------------------------------------------------------------------------


def test_nothing_is_written_when_stderr_is_no_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("Kennzahlen", total=3) as advance:
        advance()
        advance(2, total=3)
    assert capsys.readouterr() == ("", "")


@pytest.mark.usefixtures("terminal")
def test_nothing_is_written_when_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("Kennzahlen", total=3, quiet=True) as advance:
        advance(3)
    assert capsys.readouterr() == ("", "")


@pytest.mark.usefixtures("terminal")
def test_at_a_terminal_the_bar_is_drawn_on_stderr_up_to_its_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with progress("Kennzahlen", total=4) as advance:
        for _ in range(4):
            advance()
    out, err = capsys.readouterr()
    assert out == ""
    assert last_bar(err, "Kennzahlen") == "Kennzahlen  [" + "#" * 36 + "]  4/4"
    assert "0/4" in err


@pytest.mark.usefixtures("terminal")
def test_a_total_told_by_the_library_sets_the_length(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("Pendlerdaten lesen") as advance:
        advance(0, total=2)
        advance(1, total=2)
        advance(1, total=2)
    err = capsys.readouterr().err
    assert "0/2" in err
    assert "1/2" in err
    assert last_bar(err, "Pendlerdaten lesen").endswith("]  2/2")


@pytest.mark.usefixtures("terminal")
def test_thousands_of_quick_steps_draw_the_bar_a_few_times(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with progress("Neue Beziehungen wählen") as advance:
        advance(0, total=10_000)
        for _ in range(10_000):
            advance(1, total=10_000)
    err = capsys.readouterr().err
    assert err.count("Neue Beziehungen wählen") < 100
    assert last_bar(err, "Neue Beziehungen wählen").endswith("]  10000/10000")


@pytest.mark.usefixtures("terminal")
def test_steps_held_back_are_drawn_when_the_work_ends(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_module, "REDRAW_EVERY", 3600.0)
    with progress("Kennzahlen", total=10) as advance:
        advance(1)  # drawn: the first step
        advance(3)  # held back
    assert last_bar(capsys.readouterr().err, "Kennzahlen").endswith("]  4/10")


@pytest.mark.usefixtures("terminal")
def test_the_bar_fits_the_library_callbacks_of_one_and_two_arguments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import netkoop
    from netkoop.metrics import metrics_report

    with progress("Kennzahlen") as advance:
        metrics_report(netkoop.load("beispielregion"), metrics=["mixing"], progress=advance)
    assert last_bar(capsys.readouterr().err, "Kennzahlen").endswith("]  1/1")


# --- every command that shows progress ------------------------------------------------------


def _commands(tmp: Path, kreise: Path | None = None) -> dict[str, tuple[str, list[str]]]:
    """Each command with progress: its label and a small run of it (imports into ``tmp``)."""
    if kreise is not None:
        for name in ("pendler", "adjacency"):
            shutil.copytree(kreise, tmp / name)
    return {
        "metrics": ("Kennzahlen", ["metrics", "beispielregion", "--format", "json", "-o", "-"]),
        "compare": (
            "Kennzahlen beider Szenarien",
            ["compare", "zwei-welten-2020", "pflichtaufgabe", "--metric", "structure,mixing"],
        ),
        "recommend": ("Neue Beziehungen wählen", ["recommend", "beispielregion", "-k", "2"]),
        "simulate": ("Simulationsläufe", ["simulate", "haushaltskrise", "--runs", "3"]),
        "import pendler": (
            "Pendlerdaten lesen",
            [
                "import",
                "pendler",
                str(PENDLER / "Auspendler" / "auspendler_kreise_Bremen.csv.gz"),
                str(PENDLER / "Einpendler" / "einpendler_kreise_Bremen.csv.gz"),
                "-o",
                str(tmp / "pendler"),
            ],
        ),
        "import gv-isys": (
            "Gemeindeverzeichnis lesen",
            ["import", "gv-isys", str(GVISYS), "--level", "kreis", "-o", str(tmp / "gv")],
        ),
        "import adjacency": (
            "Grenzen messen",
            ["import", "adjacency", str(VG1000), "-o", str(tmp / "adjacency")],
        ),
    }


COMMANDS = tuple(_commands(Path()))


@pytest.mark.usefixtures("terminal")
@pytest.mark.parametrize("command", COMMANDS)
def test_quiet_draws_no_bar_and_stdout_is_the_same(
    command: str, tmp_path: Path, kreise: Path
) -> None:
    label, args = _commands(tmp_path / "drawn", kreise)[command]
    drawn = run_cli(*args)
    assert drawn.exit_code == 0, drawn.output
    bar = last_bar(drawn.stderr, label)
    done = re.search(r"\]\s+(\d+)/(\d+)", bar)
    assert done is not None, bar
    assert done.group(1) == done.group(2) != "0", bar

    quiet_label, quiet_args = _commands(tmp_path / "quiet", kreise)[command]
    quiet = run_cli(*quiet_args, "-q")
    assert quiet.exit_code == 0, quiet.output
    assert quiet_label not in quiet.stderr
    assert "\r" not in quiet.stderr
    assert "\x1b[" not in quiet.stderr
    for result in (drawn, quiet):
        assert label not in result.stdout
        assert "\r" not in result.stdout
    assert quiet.stdout.replace(str(tmp_path / "quiet"), str(tmp_path / "drawn")) == drawn.stdout
    if command == "metrics":
        assert json.loads(drawn.stdout)["name"] == "beispielregion"


@pytest.mark.parametrize("command", COMMANDS)
def test_without_a_terminal_nothing_but_the_output_is_written(
    command: str, tmp_path: Path, kreise: Path
) -> None:
    label, args = _commands(tmp_path, kreise)[command]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert label not in result.output
    assert "\r" not in result.output
    assert "\x1b[" not in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_quiet(command: str) -> None:
    result = run_cli(*command.split(), "--help")
    assert re.search(r"-q, --quiet\s+No progress bar\.", result.stdout), result.stdout
