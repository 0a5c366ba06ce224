"""Choropleth classes: breaks against mapclassify itself, labels, colours, values to colour by."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pandas as pd
import pytest

import netkoop
from netkoop import NetkoopError
from netkoop.model.network import Network
from netkoop.render.classes import (
    COLOR_BY,
    JENKS_LIMIT,
    MISSING_COLOUR,
    QUALITATIVE,
    SEQUENTIAL,
    choropleth,
    choropleth_units,
    classify,
    color_values,
    default_scheme,
    number_text,
    percent_text,
)


def _mapclassify(kind: type, values: np.ndarray, k: int) -> object:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Numba not installed", UserWarning)
        return kind(values, k=k)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [3, 5, 7])
def test_quantiles_are_those_of_mapclassify(seed: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(10, 1.2, 400).round()
    index = pd.Index([f"u{i}" for i in range(400)])
    found = classify(pd.Series(values, index=index), "quantiles", k)
    expected = _mapclassify(mapclassify.Quantiles, values, k)
    assert found.breaks == pytest.approx(tuple(expected.bins))  # type: ignore[attr-defined]
    assert found.codes.tolist() == expected.yb.tolist()  # type: ignore[attr-defined]
    assert found.codes.index.equals(index)
    assert found.colours == SEQUENTIAL[k]
    assert found.missing is None


@pytest.mark.parametrize("seed", range(3))
def test_natural_breaks_are_fisher_jenks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.normal(10, 1, 60), rng.normal(50, 3, 60), rng.normal(90, 2, 30)])
    found = classify(pd.Series(values), "natural_breaks", 3)
    expected = _mapclassify(mapclassify.FisherJenks, values, 3)
    assert found.breaks == pytest.approx(tuple(expected.bins))  # type: ignore[attr-defined]
    assert found.codes.tolist() == expected.yb.tolist()  # type: ignore[attr-defined]
    # Three clusters far apart: the breaks fall between them.
    assert found.codes.tolist() == [0] * 60 + [1] * 60 + [2] * 30


def test_natural_breaks_of_many_values_are_deterministic_and_consistent() -> None:
    values = pd.Series(np.random.default_rng(4).lognormal(8, 1, 4 * JENKS_LIMIT))
    first = classify(values, "natural_breaks", 5)
    again = classify(values, "natural_breaks", 5)
    assert first.breaks == again.breaks
    assert first.codes.equals(again.codes)
    assert first.breaks[-1] == values.max()
    # Each value is in the first class whose upper bound is at least the value.
    assert first.codes.tolist() == np.searchsorted(first.breaks, values).tolist()


def test_missing_values_get_their_own_last_class() -> None:
    found = classify(pd.Series([5.0, None, 1.0, 3.0, None], index=list("abcde")), k=3)
    assert found.codes.to_dict() == {"a": 2, "b": 3, "c": 0, "d": 1, "e": 3}
    assert found.missing == 3
    assert found.colours[-1] == MISSING_COLOUR
    assert found.labels[-1] == "keine Angabe"
    assert classify(pd.Series([1.0, None]), lang="en").labels[-1] == "no data"
    assert found.colour_of().to_dict()["b"] == MISSING_COLOUR


def test_only_missing_values_make_one_class() -> None:
    found = classify(pd.Series([None, None], dtype="float64"))
    assert found.breaks == ()
    assert found.codes.tolist() == [0, 0]
    assert found.labels == ("keine Angabe",)


def test_repeated_values_make_fewer_classes_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = classify(pd.Series([0, 0, 0, 0, 0, 0, 1, 2, 3]), k=5)
    assert len(found.breaks) < 5
    assert len(found.colours) == len(found.breaks)
    assert found.labels[0] == "0"


def test_labels_of_whole_numbers_in_german_and_english() -> None:
    values = pd.Series([1234, 2000, 4000, 5678, 9000, 12345])
    german = classify(values, "quantiles", 2)
    assert german.breaks == (4839.0, 12345.0)
    # Each class from its lowest to its highest value.
    assert german.labels == ("1.234–4.000", "5.678–12.345")
    assert classify(values, "quantiles", 2, "en").labels == ("1,234–4,000", "5,678–12,345")


def test_labels_of_shares_are_percentages() -> None:
    values = pd.Series([0.1, 0.14, 0.3, 0.5], name="coverage")
    found = classify(values, "quantiles", 2)
    assert found.breaks == pytest.approx((0.22, 0.5))
    assert found.labels == ("10,0–14,0 %", "30,0–50,0 %")
    assert classify(values, "quantiles", 2, "en").labels == ("10.0–14.0%", "30.0–50.0%")


def test_labels_of_negative_values_use_a_minus_sign() -> None:
    found = classify(pd.Series(np.linspace(-1, 1, 5), name="ei"), "quantiles", 2)
    assert found.labels == ("−1,00 – 0,00", "0,50–1,00")


def test_numbers_and_percentages_in_german() -> None:
    assert number_text(1234567.891, 2) == "1.234.567,89"
    assert number_text(-0.001, 2) == "0,00"
    assert percent_text(0.14, 1) == "14,0 %"
    assert percent_text(0.14, 1, "en") == "14.0%"


def test_categories_get_german_value_labels_in_the_vocabulary_order() -> None:
    values = pd.Series(
        ["permanent", "none", None, "project", "permanent"], name="coordination_office"
    )
    found = classify(values, "categories")
    assert found.categories == ("none", "project", "permanent")
    assert found.labels == ("keine", "projektfinanziert", "dauerhaft", "keine Angabe")
    assert found.codes.tolist() == [2, 0, 3, 1, 2]
    assert found.colours == (*QUALITATIVE[:3], MISSING_COLOUR)
    assert found.breaks == ()
    assert classify(values, "categories", lang="en").labels[:2] == ("none", "project")


def test_yes_no_categories() -> None:
    found = classify(pd.Series([True, False, None], name="responded"), "categories")
    assert found.labels == ("hat nicht geantwortet", "hat geantwortet", "keine Angabe")
    assert classify(pd.Series([True, False], name="x"), "categories").labels == ("nein", "ja")


def test_too_many_categories_keep_the_most_frequent() -> None:
    words = [f"w{i:02d}" for i in range(12)] + ["w05"] * 3
    found = classify(pd.Series(words), "categories")
    assert len(found.labels) == len(QUALITATIVE)
    assert found.labels[-1] == "sonstige"
    assert "w05" in found.categories
    assert found.codes.iloc[-1] == found.categories.index("w05")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: classify(pd.Series([1]), "jenks"), "scheme: 'jenks' is unknown"),
        (lambda: classify(pd.Series([1]), k=0), "k: the number of classes must be 1 to 9"),
        (lambda: classify(pd.Series(["a"], name="x")), "x: 'a' is no number"),
        (lambda: classify(pd.Series([True], name="x")), "x: yes/no values have no breaks"),
    ],
)
def test_errors(call: object, message: str) -> None:
    with pytest.raises(NetkoopError, match=message):
        call()  # type: ignore[operator]


def test_default_scheme() -> None:
    assert default_scheme(pd.Series([1.5, None])) == "quantiles"
    assert default_scheme(pd.Series(["none", None])) == "categories"
    assert default_scheme(pd.Series([True, False])) == "categories"


def test_color_values_of_measures_and_columns(hand_made: Network) -> None:
    degree = color_values(hand_made, "degree")
    assert degree.to_dict() == {
        "ka": 4, "kb": 0, "st": 2, "a1": 2, "a2": 2, "a3": 1, "b1": 0, "f": 1
    }  # fmt: skip
    office = color_values(hand_made, "coordination_office")
    assert office["kb"] == "mandatory"
    assert pd.isna(office["f"])
    coverage = color_values(hand_made, "coverage")
    # st: 600 commuters with a1 (no tie) and 300 with ka (tied).
    assert coverage["st"] == pytest.approx(300 / 900)
    assert pd.isna(coverage["f"])
    assert set(COLOR_BY) >= {"degree", "ei", "uncovered_commuters", "population"}


def test_color_values_of_survey_response() -> None:
    net = Network.from_tables(
        [
            {"id": "a", "name": "A", "kind": "landkreis", "land": "03", "responded": True},
            {"id": "b", "name": "B", "kind": "landkreis", "land": "03", "responded": False},
            {"id": "c", "name": "C", "kind": "landkreis", "land": "03"},
        ]
    )
    values = color_values(net, "responded")
    assert values.iloc[:2].tolist() == ["yes", "no"]
    assert pd.isna(values["c"])
    assert choropleth(net, "responded").labels == (
        "hat nicht geantwortet",
        "hat geantwortet",
        "keine Angabe",
    )


def test_unknown_name_lists_what_is_allowed(hand_made: Network) -> None:
    with pytest.raises(NetkoopError, match=r"color_by: 'nope' is no measure .*degree.*population"):
        color_values(hand_made, "nope")


def test_choropleth_colours_the_kreise(hand_made: Network) -> None:
    assert list(choropleth_units(hand_made)) == ["ka", "kb", "st"]
    found = choropleth(hand_made, "coordination_office")
    assert found.codes.to_dict() == {"ka": 0, "kb": 2, "st": 1}
    assert found.labels == ("projektfinanziert", "dauerhaft", "gesetzlich vorgeschrieben")


def test_choropleth_colours_the_units_with_outlines() -> None:
    square = {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 52]]]}
    net = Network.from_tables(
        [
            {"id": "k", "name": "K", "kind": "landkreis", "land": "03"},
            {"id": "g", "name": "G", "kind": "gemeinde", "land": "03", "parent": "k"},
        ],
        outlines=[{"id": "g", "level": "gemeinde", "geometry": square}],
    )
    assert list(choropleth_units(net)) == ["g"]


def test_to_dict_is_plain() -> None:
    data = classify(pd.Series([1, 2, 3]), k=3).to_dict()
    assert data["codes"] == [0, 1, 2]
    assert all(type(b) is float for b in data["breaks"])
    assert data["missing"] is None


def test_beispielregion_choropleth() -> None:
    net = netkoop.load("beispielregion")
    assert choropleth(net, "population", k=3).labels[0].count(".") >= 1
