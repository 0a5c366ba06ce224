"""Read the outlines file a scenario names (``outlines: {file: outlines.geojson}``): GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from netkoop._errors import Problem, not_a_file
from netkoop.model.outlines import outlines_from_geojson
from netkoop.scenario.sources import PackedFileError, read_data

#: The most an outlines file may hold, in bytes: the national Gemeinden at full detail are a
#: few hundred megabytes; a larger file is no outlines file for a page.
MAX_OUTLINES = 2**30


def read_outlines_file(
    path: Path, label: str, *, referenced_at: str, written: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a GeoJSON FeatureCollection of outlines with the json module.

    Parameters
    ----------
    path
        The file to read (``.geojson`` or ``.json``, also gzip-packed as ``.gz``).
    label
        How messages name the file.
    referenced_at
        Where the scenario names the file, for the message when it is missing.
    written
        The file name as the scenario writes it.

    Returns
    -------
    The outlines (None when the file cannot be read) and the problems met.
    """
    try:
        regular = path.is_file()
    except OSError as exc:
        regular, reason = False, f"cannot be looked up ({exc.strerror})"
    else:
        reason = f"{not_a_file(path)} (looked for {path}); paths are relative to the scenario file"
    if not regular:
        return None, [
            Problem("error", referenced_at, f"the outlines file {reason}", "file", written)
        ]
    try:
        size = path.stat().st_size
        if size > MAX_OUTLINES:
            return None, [_problem(label, f"holds {size / 2**20:,.0f} MB, more than netkoop reads")]
        data = read_data(path)
    except PackedFileError as exc:
        return None, [_problem(label, str(exc))]
    except OSError as exc:
        return None, [_problem(label, f"cannot be read: {exc.strerror}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [_problem(label, f"is not UTF-8 text (byte {exc.start}); GeoJSON is UTF-8")]
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                "error",
                f"{label}, line {exc.lineno}, column {exc.colno}",
                f"not valid JSON ({exc.msg}); outlines are a GeoJSON FeatureCollection",
            )
        ]
    except RecursionError:
        return None, [_problem(label, "nests deeper than any GeoJSON geometry")]
    frame, problems = outlines_from_geojson(parsed, label)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return frame, problems


def _problem(label: str, message: str) -> Problem:
    return Problem("error", label, message)
