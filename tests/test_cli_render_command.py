"""netkoop render: one offline page per scenario, and a refusal of names that are no page."""

from __future__ import annotations

from pathlib import Path

from conftest import assert_one_error_line
from conftest import run_cli as run


def test_render_writes_one_html_page(tmp_path: Path) -> None:
    target = tmp_path / "netz.html"
    result = run("render", "beispielregion", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote ")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["netz.html"]


def test_render_refuses_a_non_html_name(tmp_path: Path) -> None:
    result = run("render", "beispielregion", "-o", str(tmp_path / "scenario.yaml"))
    assert_one_error_line(result, problems_allowed=False)
    assert "ends with .html or .htm" in result.stderr
    assert not (tmp_path / "scenario.yaml").exists()
