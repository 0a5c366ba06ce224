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
from netkoop.output.html import script_json
from netkoop.render import (
    Page,
    render,
    show,
    show_diff,
    to_html,
)

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


#: The frame fills the output column, its border inside it, and never overflows it.
FRAME_STYLE = (
    "display:block;width:100%;max-width:100%;box-sizing:border-box;height:{}px;"
    "border:1px solid #ddd"
)


def test_notebook_frame_fits_the_column(region: netkoop.Network) -> None:
    assert f'style="{FRAME_STYLE.format(400)}"' in show(region, height=400)._repr_html_()


def test_a_notebook_stores_the_page_once_and_a_one_line_summary(region: netkoop.Network) -> None:
    page = show(region)
    bundle = page._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/plain"] == "<netkoop Seite: beispielregion, 13 Einheiten, 21 Verbindungen>"
    assert repr(page) == bundle["text/plain"]
    # The frame is the escaped page and a few hundred characters of iframe, not the page twice.
    escaped = len(html.escape(page.html, quote=True))
    assert escaped < 1.2 * len(page.html)
    assert escaped < len(bundle["text/html"]) < escaped + 400
    assert sum(map(len, bundle.values())) < 1.3 * len(page.html)


def test_ipython_takes_the_bundle_and_adds_no_copy_of_the_page(region: netkoop.Network) -> None:
    from IPython.core.formatters import DisplayFormatter  # ipykernel's, in the test extra

    data, _ = DisplayFormatter().format(show(region))
    assert set(data) == {"text/html", "text/plain"}
    assert len(data["text/plain"]) < 200


def test_a_saved_notebook_with_two_maps_holds_each_page_once(
    region: netkoop.Network, tmp_path: Path
) -> None:
    import nbformat  # the test extra's, with nbclient and ipykernel
    from nbclient import NotebookClient

    cells = [
        "import netkoop\nfrom netkoop.render import show\nnet = netkoop.load('beispielregion')",
        "show(net)",
        "show(net, lang='en')",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    path = tmp_path / "karten.ipynb"
    nbformat.write(notebook, path)

    outputs = [cell.outputs for cell in notebook.cells]
    assert outputs[0] == []
    shown = [cell_outputs[0]["data"] for cell_outputs in outputs[1:]]
    assert [set(data) for data in shown] == [{"text/html", "text/plain"}] * 2
    assert shown[1]["text/plain"] == "<netkoop page: beispielregion, 13 units, 21 ties>"
    assert shown[0]["text/html"] == show(region)._repr_html_()
    frames = sum(len(json.dumps(data["text/html"])) for data in shown)
    # Two frames and the notebook's JSON around them (lines, indents): about 1.6 MB; with
    # the page a second time as text/plain, as before, 3.1 MB.
    assert frames < path.stat().st_size < 1.05 * frames


def test_the_summary_of_a_comparison_and_of_an_english_page(region: netkoop.Network) -> None:
    more = region.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    assert repr(show_diff(region, more)) == (
        "<netkoop Vergleich: beispielregion → beispielregion, 13 Einheiten, 22 Verbindungen>"
    )
    assert repr(show(region, lang="en")) == "<netkoop page: beispielregion, 13 units, 21 ties>"


def test_the_summary_stays_one_short_line() -> None:
    units = [{"id": "a", "name": "A", "kind": "landkreis", "land": "09"}]
    name = "Region\nmit " + "sehr " * 100 + "langem Namen"
    network = netkoop.Network.from_tables(units, metadata=netkoop.Metadata(name=name))
    summary = repr(show(network))
    assert "\n" not in summary
    assert len(summary) < 200
    assert summary.startswith("<netkoop Seite: Region mit sehr sehr ")
    assert summary.endswith("…, 1 Einheiten, 0 Verbindungen>")
    assert repr(Page("<p>x</p>")) == "<netkoop Seite: 8 Zeichen>"


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
