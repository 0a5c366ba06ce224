"""Pages as files: one offline, self-contained, escaped HTML page per network, and every bundled scenario drawn."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pytest

import netkoop
from conftest import CLOSER, XSS, page_data, quiet_load, xss_network
from netkoop import NetkoopError
from netkoop.render import (
    Page,
    render,
    show,
    to_html,
)
from netkoop.render.vis.document import script_json

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


def test_render_replaces_an_existing_file_only_when_asked(
    region: netkoop.Network, tmp_path: Path
) -> None:
    out = tmp_path / "netz.html"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(netkoop.OutputExistsError, match=r"netz.html exists; pass overwrite=True"):
        render(region, out)
    assert out.read_text(encoding="utf-8") == "old"
    render(region, out, overwrite=True)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_page_is_only_written_to_an_html_file(region: netkoop.Network, tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("keep me", encoding="utf-8")
    with pytest.raises(NetkoopError, match=r"scenario.yaml: a html file ends with \.html or \.htm"):
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


# --- every bundled scenario -----------------------------------------------------------------


@pytest.mark.parametrize("name", [s.name for s in netkoop.list_scenarios()])
def test_every_bundled_scenario_renders(name: str, tmp_path: Path) -> None:
    net = quiet_load(name)
    out = render(net, tmp_path / f"{name}.html")
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["units"]["id"]) == len(net.units)
    assert len(data["ties"]["from"]) == len(net.ties)
