"""Static figures: size, format and content of PNG, SVG and PDF maps, the same bytes each time."""

from __future__ import annotations

import dataclasses
import io
import re
import struct
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PIL import Image

import netkoop
from conftest import OFFICIAL, national_yaml
from netkoop import NetkoopError, NetkoopWarning
from netkoop._errors import OutputError, OutputExistsError
from netkoop.model.metadata import Credit
from netkoop.model.network import Network
from netkoop.model.outlines import outlines_frame
from netkoop.render.classes import MISSING_COLOUR, QUALITATIVE
from netkoop.render.static import render_static, static_figure, static_format

BKG = Credit(
    "BKG VG1000", credit="© GeoBasis-DE / BKG (2023) (Daten verändert)", licence="dl-de/by-2-0"
)
BA = Credit("BA Pendlerstatistik", credit="© Statistik der Bundesagentur für Arbeit")
CM = 72 / 2.54  # points per centimetre


def vg1000_outlines(tolerance_m: float = 1000.0) -> list[dict[str, object]]:
    """The 400 Kreise of BKG's VG1000 and the 16 Länder dissolved from them, as outline rows.

    Simplified together (shapely's coverage simplification keeps shared edges shared), in
    lon/lat degrees: the table `netkoop.Network.outlines` holds.
    """
    kreise = gpd.read_file(f"zip://{OFFICIAL / 'bkg-vg1000-2022' / 'VG1000_KRS.zip'}")
    kreise = kreise[kreise["GF"] == 4]  # land, not water
    kreise = kreise.set_geometry(shapely.coverage_simplify(kreise.geometry.array, tolerance_m))
    lands = kreise.dissolve("SN_L").reset_index().to_crs(4326)
    kreise = kreise.to_crs(4326)
    rows: list[dict[str, object]] = [
        {"id": key, "level": "kreis", "name": name, "geometry": shapely.geometry.mapping(shape)}
        for key, name, shape in zip(kreise["AGS"], kreise["GEN"], kreise.geometry, strict=True)
    ]
    rows += [
        {"id": key, "level": "land", "geometry": shapely.geometry.mapping(shape)}
        for key, shape in zip(lands["SN_L"], lands.geometry, strict=True)
    ]
    return rows


def national_network(folder: Path, *, gemeinden: bool = False) -> Network:
    """The national scenario (Kreise, flows, borders) with VG1000 outlines and their credits."""
    folder.mkdir(parents=True, exist_ok=True)
    text = national_yaml(OFFICIAL / "derived", gemeinden=gemeinden, borders=True)
    (folder / "scenario.yaml").write_text(
        "format_version: 1\n" + textwrap.dedent(text), encoding="utf-8"
    )
    net = netkoop.load(folder / "scenario.yaml")
    outlines, problems = outlines_frame(vg1000_outlines())
    assert problems == []
    return net.with_tables(outlines=outlines).with_metadata(
        title="Deutschland: Kreise", reference_date="2024-06-30", sources=(BKG, BA)
    )


@pytest.fixture(scope="module")
def germany(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return national_network(tmp_path_factory.mktemp("national"))


@pytest.fixture(scope="module")
def figures(germany: Network) -> dict[str, bytes]:
    """The national map coloured by population, in every format, made once for the module."""
    return {fmt: static_figure(germany, fmt, color_by="population") for fmt in ("png", "svg")}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def gids(svg: str, prefix: str) -> list[str]:
    return re.findall(rf'id="{prefix}([^"]+)"', svg)


def test_svg_holds_every_kreis_and_land_and_the_credits(figures: dict[str, bytes]) -> None:
    svg = figures["svg"].decode("utf-8")
    kreise = gids(svg, "outline-kreis-")
    assert len(kreise) == len(set(kreise)) == 400
    assert "03254" in kreise
    assert len(gids(svg, "outline-land-")) == 16
    # Each outline is one path element inside its group.
    assert re.search(r'<g id="outline-kreis-03254">\s*<path ', svg)
    assert "© GeoBasis-DE / BKG (2023) (Daten verändert) (dl-de/by-2-0)" in svg
    assert "© Statistik der Bundesagentur für Arbeit" in svg
    assert 'id="credits"' in svg


def test_svg_is_a4_landscape_with_german_words(figures: dict[str, bytes]) -> None:
    svg = figures["svg"].decode("utf-8")
    width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    height = float(re.search(r'<svg[^>]* height="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    assert width == pytest.approx(29.7 * CM, abs=0.01)
    assert height == pytest.approx(21.0 * CM, abs=0.01)
    for words in ("Deutschland: Kreise", "Stichtag: 30.06.2024", "Einwohner", "Quellen:"):
        assert words in svg
    assert "Quantile, 5 Klassen" in svg
    assert "Landesgrenze" in svg
    # German number formatting in the class labels.
    assert re.search(r"\d{1,3}\.\d{3}–\d{1,3}\.\d{3}", svg)


def test_png_has_the_pixels_of_the_size_at_the_dpi(figures: dict[str, bytes]) -> None:
    width, height = png_size(figures["png"])
    assert width == pytest.approx(29.7 / 2.54 * 200, abs=1)
    assert height == pytest.approx(21.0 / 2.54 * 200, abs=1)
    with Image.open(io.BytesIO(figures["png"])) as image:
        assert image.info["dpi"] == pytest.approx((200, 200), abs=0.1)
        # The map is drawn in colour: a choropleth, not a blank sheet.
        colours = image.convert("RGB").resize((200, 140)).getcolors(200 * 140)
        assert colours is not None
        assert len(colours) > 50


def test_png_at_another_size_and_dpi(germany: Network) -> None:
    data = static_figure(germany, "png", size=(10.0, 8.0), dpi=72)
    width, height = png_size(data)
    assert width == pytest.approx(10 / 2.54 * 72, abs=1)
    assert height == pytest.approx(8 / 2.54 * 72, abs=1)


def test_pdf_is_one_a4_page(germany: Network) -> None:
    pdf = static_figure(germany, "pdf", color_by="coordination_office")
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    assert float(box.group(1)) == pytest.approx(29.7 * CM, abs=0.01)
    assert float(box.group(2)) == pytest.approx(21.0 * CM, abs=0.01)
    assert b"CreationDate" not in pdf


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_same_input_gives_the_same_bytes(fmt: str) -> None:
    net = netkoop.load("beispielregion")
    first = static_figure(net, fmt, dpi=60)
    assert first == static_figure(net, fmt, dpi=60)


def test_the_national_png_is_the_same_twice(germany: Network, figures: dict[str, bytes]) -> None:
    assert static_figure(germany, "png", color_by="population") == figures["png"]


def test_english_words() -> None:
    svg = static_figure(netkoop.load("beispielregion"), "svg", lang="en").decode("utf-8")
    for words in ("As of 2024-06-30", "Kinds of unit", "Kinds of tie", "Sources:", "Made with"):
        assert words in svg
    assert "Stand am" not in svg


def test_a_network_without_outlines_draws_its_ties_and_units() -> None:
    net = netkoop.load("beispielregion")
    svg = static_figure(net, "svg").decode("utf-8")
    assert gids(svg, "outline-") == []
    assert {"ties-exchange", "ties-membership", "units-landkreis", "gaps"} <= set(gids(svg, ""))
    for words in ("Stand am 30.06.2024", "Arten von Einheiten", "Fläche ∝ Einwohner"):
        assert words in svg
    assert "Erfahrungsaustausch" in svg
    assert "Mitgliedschaft (gerichtet)" in svg
    assert "Größte Pendlerpaare ohne Verbindung" in svg


def test_a_choropleth_needs_outlines_as_on_the_page() -> None:
    net = netkoop.load("beispielregion")
    with pytest.warns(NetkoopWarning, match="'population': the network has no outlines"):
        svg = static_figure(net, "svg", color_by="population").decode("utf-8")
    assert svg == static_figure(net, "svg").decode("utf-8")


def two_kreise() -> Network:
    """Two Landkreise side by side with square outlines, one with a coordination office."""

    def square(x: float) -> dict[str, object]:
        ring = [[x, 52.0], [x + 1, 52.0], [x + 1, 53.0], [x, 53.0], [x, 52.0]]
        return {"type": "Polygon", "coordinates": [ring]}

    units = [
        {
            "id": "a",
            "name": "Kreis A",
            "kind": "landkreis",
            "land": "03",
            "lat": 52.5,
            "lon": 9.5,
            "coordination_office": "permanent",
            "population": 100_000,
        },
        {
            "id": "b",
            "name": "Kreis B",
            "kind": "landkreis",
            "land": "03",
            "lat": 52.5,
            "lon": 10.5,
            "population": 250_000,
        },
    ]
    outlines = [
        {"id": k, "level": "kreis", "geometry": square(x)} for k, x in (("a", 9), ("b", 10))
    ]
    return Network.from_tables(
        units, [{"from": "a", "to": "b", "kind": "exchange"}], outlines=outlines
    )


def test_categories_fill_the_outlines_with_their_labels() -> None:
    svg = static_figure(two_kreise(), "svg", color_by="coordination_office").decode("utf-8")
    assert sorted(gids(svg, "outline-kreis-")) == ["a", "b"]
    for words in ("Koordinierungsstelle", "dauerhaft", "keine Angabe", "Kreisgrenze"):
        assert words in svg
    # Kreis A is filled in the first colour of the categories, Kreis B as missing.
    first = re.search(r'<g id="outline-kreis-a">\s*<path [^>]*style="fill: (#[0-9a-f]{6})', svg)
    second = re.search(r'<g id="outline-kreis-b">\s*<path [^>]*style="fill: (#[0-9a-f]{6})', svg)
    assert first is not None
    assert second is not None
    assert first.group(1) == QUALITATIVE[0]
    assert second.group(1) == MISSING_COLOUR


def test_flows_off_draws_no_gaps() -> None:
    svg = static_figure(netkoop.load("beispielregion"), "svg", flows=False).decode("utf-8")
    assert "gaps" not in gids(svg, "")
    assert "Pendlerpaare" not in svg


def test_survey_marks_are_in_the_legend() -> None:
    units = [
        {"id": "a", "name": "Kreis A", "kind": "landkreis", "land": "03", "responded": True},
        {"id": "b", "name": "Kreis B", "kind": "landkreis", "land": "03", "responded": False},
    ]
    ties = [{"from": "a", "to": "b", "kind": "exchange", "confirmed": "unknown"}]
    svg = static_figure(Network.from_tables(units, ties), "svg").decode("utf-8")
    assert "hat nicht geantwortet" in svg
    assert "nur von einer Seite gemeldet" in svg


def test_a_date_is_shown_as_of() -> None:
    svg = static_figure(netkoop.load("beispielregion"), "svg", at="2016").decode("utf-8")
    assert "Stand am 01.01.2016" in svg


def test_render_static_writes_through_the_output_layer(tmp_path: Path) -> None:
    net = netkoop.load("beispielregion")
    out = tmp_path / "karte.svg"
    assert render_static(net, out, dpi=50) == out
    assert out.read_bytes().startswith(b"<?xml")
    with pytest.raises(OutputExistsError, match="exists; pass overwrite=True"):
        render_static(net, out)
    assert render_static(net, out, overwrite=True) == out
    assert [p.name for p in tmp_path.iterdir()] == ["karte.svg"]  # no temporary file left


def test_render_static_never_writes_over_an_input(tmp_path: Path) -> None:
    source = tmp_path / "scenario.png"
    source.write_bytes(b"not a map")
    net = netkoop.load("beispielregion").with_metadata(inputs=(source,))
    with pytest.raises(OutputError, match="is an input of this command"):
        render_static(net, source, overwrite=True)
    assert source.read_bytes() == b"not a map"


@pytest.mark.parametrize("path", ["karte.txt", "karte", "-", "karte.html"])
def test_format_by_the_ending(tmp_path: Path, path: str) -> None:
    assert static_format("karte.PNG") == "png"
    with pytest.raises(OutputError, match=r"a figure is written as \.png, \.svg or \.pdf"):
        render_static(netkoop.load("beispielregion"), path if path == "-" else tmp_path / path)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"size": (1.0, 21.0)}, "size: width and height must be 2 to 200 cm"),
        ({"dpi": 5}, "dpi must be 10 to 1200"),
        ({"color_by": "nope"}, "color_by: 'nope' is no measure"),
        ({"size_by": "nope"}, "size_by 'nope' is not a unit column or measure"),
        ({"classes": "jenks", "color_by": "population"}, "classes: 'jenks' is unknown"),
        ({"k": 12, "color_by": "population"}, "k: the number of classes must be 1 to 9"),
        ({"color_by": "coordination_office", "classes": "quantiles"}, "is no number"),
        ({"lang": "fr"}, "fr"),
    ],
)
def test_errors(settings: dict[str, object], message: str) -> None:
    with pytest.raises(NetkoopError, match=message):
        static_figure(two_kreise(), "png", **settings)  # type: ignore[arg-type]


def test_the_command_writes_a_figure_of_a_region(germany: Network, tmp_path: Path) -> None:
    from conftest import run_cli

    folder = germany.save(tmp_path / "deutschland")
    figure = tmp_path / "hildesheim.svg"
    done = run_cli(
        "render", folder, "--region", "03254", "--color-by", "population", "--size", "20x15",
        "-o", figure,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.stdout == f"Wrote {figure}\n"
    svg = figure.read_text(encoding="utf-8")
    # Landkreis Hildesheim and its eight neighbours (Region Hannover, Peine, Salzgitter,
    # Wolfenbüttel, Goslar, Northeim, Holzminden, Hameln-Pyrmont), each an outline.
    assert sorted(gids(svg, "outline-kreis-")) == sorted(
        ["03254", "03241", "03157", "03102", "03158", "03153", "03155", "03255", "03252"]
    )
    assert re.search(r'width="566\.9\d*pt" height="425\.1\d*pt"', svg)  # 20 x 15 cm
    refused = run_cli("render", folder, "--compare", folder, "-o", tmp_path / "x.png")
    assert refused.exit_code == 2
    assert "--compare draws a page; name an .html file with -o" in refused.output


def test_a_long_title_is_shrunk_to_the_width_of_the_page() -> None:
    net = netkoop.load("beispielregion")
    long = "Deutschland: Gemeinden (Verbindungen und Gemeindeflüsse synthetisch): Befragung Benchmark 2026"
    titled = Network.from_tables(
        net.units,
        net.ties,
        net.flows,
        metadata=dataclasses.replace(net.metadata, title=long.strip()),
    )
    image = Image.open(io.BytesIO(static_figure(titled, "png", dpi=60)))
    width, height = image.size
    band = np.asarray(image.convert("L"))[: int(height * 0.08)]  # the title's rows
    dark = np.flatnonzero((band < 80).any(axis=0))
    margin = width * 1.2 / 29.7  # at least a centimetre and a bit stays free on the right
    assert len(dark), "no title drawn"
    assert dark.max() < width - margin
