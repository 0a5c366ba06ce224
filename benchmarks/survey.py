"""How long `netkoop survey collect` takes: many filled workbooks, or one long CSV export.

Builds a synthetic national scenario (294 Landkreise, 106 kreisfreie Städte, 10,600 Gemeinden
with 8-digit keys below their Landkreis, 16 Land forums), asks ``--respondents`` Gemeinden
(default 10,000), each with a roster of the other Gemeinden of its Landkreis, the Landkreis
and its Land forum, and fills ``--answers`` answers per respondent (default 20: exchange,
shared staff and joint projects with Gemeinden, a joint project with the Landkreis,
membership in the forum; intensity, level and start year drawn with ``--seed``).

Two inputs hold the same answers:

- (a) one workbook per respondent, as ``netkoop survey create`` writes it: one questionnaire
  is made by `netkoop.survey.questionnaires.create` and serves as the template: every workbook
  carries its members as they are (the sheet "Alle Einheiten" with all 11,016 units, 3 MB of
  XML, is what makes a real questionnaire large), and the sheets "Partner", "Eigene Angaben"
  and the hidden "netkoop" are written per respondent from the template's hidden layout,
  the answers in German;
- (b) a long CSV export in German Excel's dialect (cp1252, ``;``): one row per answer.

Then times `netkoop.survey.collection.collect` on each and `Collected.save`, split into:
``setup`` (the survey file and the base scenario), ``read`` (the answer files alone, through
the readers), ``rules`` (ties from the reports), ``rest`` (the rest of collect: keeping the
latest answers, checking the ties against the units, the response report) and ``write``.

    python benchmarks/survey.py                        # 10,000 workbooks and 200,000 rows
    python benchmarks/survey.py --respondents 500      # a quick look
    python benchmarks/survey.py --keep DIR             # keep the generated files in DIR
"""

from __future__ import annotations

import argparse
import re
import shutil
import struct
import sys
import tempfile
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import common
import numpy as np
import pandas as pd
import yaml
from python_calamine import CalamineWorkbook

import netkoop
from netkoop.scenario.load import load
from netkoop.survey.answers import Context
from netkoop.survey.collection import collect
from netkoop.survey.questionnaires import create
from netkoop.survey.readers import read_answers
from netkoop.survey.readers.definition import read_survey, scenario_of
from netkoop.survey.readers.mapping import read_mapping
from netkoop.survey.readers.workbook import column_index, column_letter
from netkoop.survey.rules import build_ties

#: The issue's target: collecting either input within this many seconds on 2 cores.
TARGET_SECONDS = 120.0

N_LK, N_KFS, N_GEMEINDEN = 294, 106, 10_600

INTENSITY_DE = ("gelegentlich", "regelmäßig", "intensiv")
LEVEL_DE = ("Leitungsebene", "Arbeitsebene")
KIND_DE = {
    "exchange": "Erfahrungsaustausch",
    "shared_staff": "geteilte Stelle",
    "joint_project": "gemeinsames Projekt",
    "membership": "Mitgliedschaft",
}
SURVEY_ID = "be7c4ba5e000"


# --- the scenario and the answers ------------------------------------------------------------


def build_units(rng: np.random.Generator) -> pd.DataFrame:
    """The synthetic national units: Kreise, Gemeinden below their Landkreis, Land forums."""
    lands = np.arange(1, 17)
    lk_land = np.sort(np.resize(lands, N_LK))
    kfs_land = np.sort(np.resize(lands, N_KFS))
    kfs = [f"{la:02d}0{k:02d}" for la, k in zip(kfs_land, common.ordinal(kfs_land), strict=True)]
    lk = [f"{la:02d}0{50 + k:02d}" for la, k in zip(lk_land, common.ordinal(lk_land), strict=True)]
    per_lk = rng.multinomial(N_GEMEINDEN, np.full(N_LK, 1 / N_LK))
    parents = np.repeat(np.arange(N_LK), per_lk)
    numbers = np.concatenate([np.arange(1, c + 1) for c in per_lk])
    gemeinden = [f"{lk[p]}{m:03d}" for p, m in zip(parents, numbers, strict=True)]
    forums = [f"lag-{la:02d}" for la in lands]
    return pd.DataFrame(
        {
            "id": kfs + lk + gemeinden + forums,
            "name": [f"Stadt {k}" for k in kfs]
            + [f"Landkreis {k}" for k in lk]
            + [f"Gemeinde {g}" for g in gemeinden]
            + [f"AG Integration {la:02d}" for la in lands],
            "kind": ["kreisfreie_stadt"] * N_KFS
            + ["landkreis"] * N_LK
            + ["gemeinde"] * N_GEMEINDEN
            + ["forum"] * 16,
            "land": [k[:2] for k in kfs + lk + gemeinden] + [f"{la:02d}" for la in lands],
            "parent": [None] * (N_KFS + N_LK) + [lk[p] for p in parents] + [None] * 16,
        }
    )


def build_answers(
    units: pd.DataFrame, respondents: int, answers: int, rng: np.random.Generator
) -> tuple[list[str], dict[str, list[str]], dict[str, list[tuple[str, str, int, int, int]]]]:
    """The respondents, their rosters and answers: (partner, kind, intensity, level, since)."""
    gemeinden = units[units["kind"] == "gemeinde"]
    chosen = np.sort(
        rng.choice(len(gemeinden), size=min(respondents, len(gemeinden)), replace=False)
    )
    asked = gemeinden["id"].to_numpy()[chosen].tolist()
    by_kreis: dict[str, list[str]] = {}
    for key, parent in zip(gemeinden["id"], gemeinden["parent"], strict=True):
        by_kreis.setdefault(parent, []).append(key)
    rosters: dict[str, list[str]] = {}
    filled: dict[str, list[tuple[str, str, int, int, int]]] = {}
    for key in asked:
        kreis = key[:5]
        roster = [g for g in by_kreis[kreis] if g != key] + [kreis, f"lag-{key[:2]}"]
        rosters[key] = roster
        picks = rng.permutation(len(roster))[:answers]
        rows = []
        for i in sorted(picks):
            partner = roster[i]
            if partner.startswith("lag-"):
                kind = "membership"
            elif partner == kreis:
                kind = "joint_project"
            else:
                kind = ("exchange", "exchange", "shared_staff", "joint_project")[
                    int(rng.integers(4))
                ]
            rows.append(
                (
                    partner,
                    kind,
                    int(rng.integers(3)),
                    int(rng.integers(2)),
                    int(rng.integers(2000, 2025)),
                )
            )
        filled[key] = rows
    return asked, rosters, filled


def write_survey(
    folder: Path, scenario: Path, asked: list[str], rosters: Mapping[str, list[str]]
) -> Path:
    doc = {
        "format_version": 1,
        "survey": {
            "id": SURVEY_ID,
            "name": "Befragung Benchmark",
            "created": "2024-06-30",
            "scenario": str(scenario),
        },
        "respondents": asked,
        "partners": {r: rosters[r] for r in asked},
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "survey.yaml"
    path.write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return path


# --- workbooks from one template -------------------------------------------------------------


class Template:
    """A questionnaire that `survey create` wrote: its zip members as stored (compressed), the
    member of each sheet, and the layout of its hidden sheet."""

    def __init__(self, path: Path) -> None:
        self.members: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
        with path.open("rb") as raw, zipfile.ZipFile(path) as book:
            for info in book.infolist():
                raw.seek(info.header_offset)
                header = raw.read(30)
                name_length, extra_length = struct.unpack("<HH", header[26:30])
                raw.seek(info.header_offset + 30 + name_length + extra_length)
                self.members[info.filename] = (info, raw.read(info.compress_size))
            sheets = _sheet_members(book)
        self.sheets = sheets
        workbook = CalamineWorkbook.from_path(str(path))
        self.layout = [
            (str(row[0]), str(row[1]))
            for row in workbook.get_sheet_by_name("netkoop").to_python()
            if row and row[0]
        ]
        self.header = [str(v) for v in workbook.get_sheet_by_name("Partner").to_python()[0]]
        workbook.close()

    def write(self, path: Path, replaced: Mapping[str, bytes]) -> None:
        """Write a workbook: the template's members, the sheets in ``replaced`` new."""
        with path.open("wb") as out:
            central = []
            for name, (info, stored) in self.members.items():
                data = stored
                if name in replaced:
                    content = replaced[name]
                    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                    data = packer.compress(content) + packer.flush()
                    crc, size = zlib.crc32(content), len(content)
                else:
                    crc, size = info.CRC, info.file_size
                offset = out.tell()
                encoded = name.encode("utf-8")
                out.write(
                    struct.pack(
                        "<IHHHHHIIIHH",
                        0x04034B50,
                        20,
                        0x800,
                        8,
                        0,
                        0x21,
                        crc,
                        len(data),
                        size,
                        len(encoded),
                        0,
                    )
                )
                out.write(encoded)
                out.write(data)
                central.append((encoded, crc, len(data), size, offset))
            start = out.tell()
            for encoded, crc, packed, size, offset in central:
                out.write(
                    struct.pack(
                        "<IHHHHHHIIIHHHHHII",
                        0x02014B50,
                        20,
                        20,
                        0x800,
                        8,
                        0,
                        0x21,
                        crc,
                        packed,
                        size,
                        len(encoded),
                        0,
                        0,
                        0,
                        0,
                        0,
                        offset,
                    )
                )
                out.write(encoded)
            end = out.tell()
            out.write(
                struct.pack(
                    "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0
                )
            )


def _sheet_members(book: zipfile.ZipFile) -> dict[str, str]:
    """The zip member of each sheet, by sheet name."""
    workbook = book.read("xl/workbook.xml").decode("utf-8")
    rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets |= {
        k: v for v, k in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)
    }
    found = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
        target = targets[rid].lstrip("/")
        found[name] = target if target.startswith("xl/") else f"xl/{target}"
    return found


def _sheet(rows: Sequence[Sequence[object]], column: Callable[[int], str]) -> bytes:
    """A worksheet's XML; text as inline strings, numbers as numbers."""
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            ref = f"{column(c)}{r}"
            if isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


def write_workbooks(
    folder: Path,
    template: Template,
    units: pd.DataFrame,
    rosters: Mapping[str, list[str]],
    answers: Mapping[str, list[tuple[str, str, int, int, int]]],
) -> list[Path]:
    names = dict(zip(units["id"], units["name"], strict=True))
    kinds = dict(zip(units["id"], units["kind"], strict=True))
    column = {
        meaning: column_index(key.split(":")[1])
        for key, meaning in template.layout
        if key.startswith("column:")
    }
    about = {
        meaning: key.split(":")[1] for key, meaning in template.layout if key.startswith("about:")
    }
    width = len(template.header)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for respondent, roster in rosters.items():
        rows: list[list[object]] = [list(template.header)]
        position = {}
        for partner in roster:
            row: list[object] = [None] * width
            row[:4] = [partner, names[partner], kinds[partner], names.get(partner[:5], "")]
            position[partner] = len(rows)
            rows.append(row)
        rows += [[None] * width for _ in range(15)]
        for partner, kind, intensity, level, since in answers[respondent]:
            row = rows[position[partner]]
            row[column[f"{kind}.presence"]] = "ja"
            row[column[f"{kind}.intensity"]] = INTENSITY_DE[intensity]
            row[column[f"{kind}.level"]] = LEVEL_DE[level]
            row[column[f"{kind}.since"]] = since
        hidden = [
            [
                key,
                {
                    "survey": SURVEY_ID,
                    "respondent": respondent,
                    "respondent_name": names[respondent],
                    "rows:roster": f"2-{len(roster) + 1}",
                    "rows:free": f"{len(roster) + 2}-{len(roster) + 16}",
                }.get(key, value),
            ]
            for key, value in template.layout
        ]
        own = [["Frage", "Antwort"], ["Kommune", f"{names[respondent]} ({respondent})"]]
        cells = {about["coordination_office"]: "dauerhaft", about["integration_concept"]: "ja"}
        for cell, value in cells.items():
            r, c = int(cell[1:]), column_index(cell[0])
            while len(own) < r:
                own.append([None, None])
            own[r - 1][c] = value
        path = folder / f"{respondent}_{names[respondent].replace(' ', '_')}.xlsx"
        template.write(
            path,
            {
                template.sheets["Partner"]: _sheet(rows, column_letter),
                template.sheets["Eigene Angaben"]: _sheet(own, column_letter),
                template.sheets["netkoop"]: _sheet(hidden, column_letter),
            },
        )
        paths.append(path)
    return paths


def write_long_csv(path: Path, answers: Mapping[str, list[tuple[str, str, int, int, int]]]) -> int:
    lines = ["Befragte;Partner;Art;Intensität;Ebene;seit"]
    for respondent, rows in answers.items():
        for partner, kind, intensity, level, since in rows:
            lines.append(
                f"{respondent};{partner};{KIND_DE[kind]};{INTENSITY_DE[intensity]};{LEVEL_DE[level]};{since}"
            )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return len(lines) - 1


LONG_MAPPING = """\
respondent: Befragte
partner: Partner
kind: Art
columns: {intensity: Intensität, level: Ebene, since: seit}
"""


# --- timing ----------------------------------------------------------------------------------


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = call()
    return value, time.perf_counter() - start


def measure(
    label: str, files: Sequence[Path], survey: Path, out: Path, mapping: Path | None
) -> dict[str, float]:
    """Time collect on ``files`` and its parts."""

    def survey_and_scenario() -> tuple[Any, netkoop.Network]:
        definition = read_survey(survey)
        return definition, load(scenario_of(definition))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (definition, base), setup = timed(survey_and_scenario)
        table_mapping = read_mapping(mapping) if mapping else None
        context = Context(definition, base.units)
        _, read = timed(lambda: [a for f in files for a in read_answers(f, context, table_mapping)])
        collected, total = timed(lambda: collect(files, survey, mapping=mapping))
        answered = set(
            collected.response.respondents.loc[collected.response.respondents["responded"], "id"]
        )
        _, rules = timed(lambda: build_ties(collected.reports, answered, source="x"))
        _, write = timed(lambda: collected.save(out))
    figures = {
        "setup": setup,
        "read": read,
        "rules": rules,
        "rest": max(total - setup - read - rules, 0.0),
        "collect": total,
        "write": write,
        "total": total + write,
    }
    response = collected.response
    confirmed = (collected.ties["confirmed"] == "yes").sum()
    print(
        f"{label}: {len(files):,} file(s), {len(collected.reports):,} reports, "
        f"{len(collected.ties):,} ties ({confirmed:,} confirmed), "
        f"{response.answered:,}/{response.asked:,} answered"
    )
    print("  " + "  ".join(f"{k} {v:6.2f} s" for k, v in figures.items()))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", type=Path, help="write the inputs and outputs here and keep them")
    parser.add_argument("--only", choices=("workbooks", "csv"), help="measure one input only")
    args = parser.parse_args(argv)

    print(common.machine("pandas", "python-calamine", "openpyxl"))
    root = args.keep or Path(tempfile.mkdtemp(prefix="netkoop-survey-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        rng = np.random.default_rng(args.seed)
        units = build_units(rng)
        scenario = root / "szenario"
        network = netkoop.Network.from_tables(
            units, metadata=netkoop.Metadata(name="bench-national")
        )
        network.save(scenario)
        (asked, rosters, answers), _ = timed(
            lambda: build_answers(units, args.respondents, args.answers, rng)
        )
        survey = write_survey(root / "befragung", scenario / "scenario.yaml", asked, rosters)
        print(
            f"scenario: {len(units):,} units; survey: {len(asked):,} respondents, "
            f"{sum(len(a) for a in answers.values()):,} answers"
        )
        figures = {}
        if args.only != "csv":
            made, seconds = timed(
                lambda: create(
                    scenario / "scenario.yaml",
                    root / "vorlage",
                    respondents=[asked[0]],
                    date="2024-06-30",
                )
            )
            template_path = next(iter(made.workbooks.values()))
            template = Template(template_path)
            kilobytes = template_path.stat().st_size / 1e3
            print(f"template by survey create: {kilobytes:,.0f} kB in {seconds:.1f} s")
            paths, seconds = timed(
                lambda: write_workbooks(
                    root / "antworten", template, units, {r: rosters[r] for r in asked}, answers
                )
            )
            size = sum(p.stat().st_size for p in paths)
            print(f"wrote {len(paths):,} workbooks ({size / 1e6:,.0f} MB) in {seconds:.1f} s")
            figures["workbooks"] = measure("workbooks", paths, survey, root / "ergebnis-xlsx", None)
        if args.only != "workbooks":
            export = root / "lang.csv"
            rows = write_long_csv(export, answers)
            mapping = root / "lang.yaml"
            mapping.write_text(LONG_MAPPING, encoding="utf-8")
            print(f"wrote a long CSV of {rows:,} rows ({export.stat().st_size / 1e6:,.1f} MB)")
            figures["csv"] = measure("long CSV", [export], survey, root / "ergebnis-csv", mapping)
        print(f"peak RSS {common.peak_rss_mb():,.0f} MB")
        for name, found in figures.items():
            verdict = "met" if found["total"] <= TARGET_SECONDS else "MISSED"
            print(f"target {name}: {found['total']:.1f} s <= {TARGET_SECONDS:.0f} s: {verdict}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
