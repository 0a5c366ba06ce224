"""Write the bundled scenario zwei-welten-2020: the study sample rebuilt from published figures.

"Zwei Welten? Integrationspolitik in Stadt und Land" (Schammann, Bendel, Müller, Ziegler,
Wittchen; Robert Bosch Stiftung 2020) publishes aggregates only. This script builds an
anonymised network whose ties reproduce every published count (see ../shared/domain.md); the
commuter flows between each Landkreis and its adjacent kreisfreie Stadt are illustrative,
spread over the 2023 distribution of such pairs in the BA Pendlerstatistik.

Run: python tools/zwei_welten.py [SHARED_DATA]   (writes scenarios/zwei-welten-2020/)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "scenarios" / "zwei-welten-2020"

# (Land key, abbreviation, name, kreisfreie Städte, Landkreise) of the 12 Länder in the sample
# (no city states, no Saarland): 23 kreisfreie Städte and 24 Landkreise in all.
LAENDER = [
    ("05", "NW", "Nordrhein-Westfalen", 4, 4),
    ("09", "BY", "Bayern", 3, 3),
    ("03", "NI", "Niedersachsen", 2, 3),
    ("08", "BW", "Baden-Württemberg", 2, 2),
    ("06", "HE", "Hessen", 2, 2),
    ("07", "RP", "Rheinland-Pfalz", 2, 2),
    ("14", "SN", "Sachsen", 2, 2),
    ("16", "TH", "Thüringen", 2, 2),
    ("01", "SH", "Schleswig-Holstein", 1, 1),
    ("12", "BB", "Brandenburg", 1, 1),
    ("13", "MV", "Mecklenburg-Vorpommern", 1, 1),
    ("15", "ST", "Sachsen-Anhalt", 1, 1),
]


def tie(
    a: str, b: str, kind: str, intensity: str, reported_by: str, **extra: str
) -> dict[str, str]:
    return {
        "from": a,
        "to": b,
        "kind": kind,
        "intensity": intensity,
        "source": "interview",
        "reported_by": reported_by,
        **extra,
    }


def build(shared: Path) -> None:
    units: list[dict[str, object]] = []
    # kfs-i lies beside lk-i (i = 1..23); lk-24, Niedersachsen's third, has no city beside it.
    kfs: list[tuple[str, str]] = []  # (id, land)
    lks: list[tuple[str, str]] = []
    alone: list[str] = []
    for code, _, _, n_kfs, n_lk in LAENDER:
        for _ in range(n_kfs):
            kfs.append((f"kfs-{len(kfs) + 1:02d}", code))
            lks.append((f"lk-{len(lks) + 1:02d}", code))
        alone += [code] * (n_lk - n_kfs)
    lks += [(f"lk-{len(lks) + 1 + i:02d}", code) for i, code in enumerate(alone)]
    land_of_lk = dict(lks)

    # 45 kreisangehörige Kommunen: two in each of lk-01..lk-21, one in lk-22..lk-24.
    # g-27/g-29 share lk-14 and g-28/g-30 share lk-15 (a neighbour reports their exchange).
    homes = {}
    for i in range(1, 27):
        homes[f"g-{i:02d}"] = f"lk-{(i + 1) // 2:02d}"
    homes |= {"g-27": "lk-14", "g-29": "lk-14", "g-28": "lk-15", "g-30": "lk-15"}
    homes |= {"g-31": "lk-16", "g-32": "lk-16"}
    for i in range(33, 43):
        homes[f"g-{i:02d}"] = f"lk-{17 + (i - 33) // 2:02d}"
    homes |= {"g-43": "lk-22", "g-44": "lk-23", "g-45": "lk-24"}

    concept = {f"kfs-{i:02d}" for i in range(1, 13)} | {f"lk-{i:02d}" for i in range(1, 10)}
    concept |= {f"g-{i:02d}" for i in range(1, 11)}
    for uid, land in kfs:
        units.append(
            {
                "id": uid,
                "name": f"Kreisfreie Stadt {uid[-2:]}",
                "kind": "kreisfreie_stadt",
                "land": land,
            }
        )
    for uid, land in lks:
        units.append(
            {"id": uid, "name": f"Landkreis {uid[-2:]}", "kind": "landkreis", "land": land}
        )
    for uid, home in sorted(homes.items()):
        units.append(
            {
                "id": uid,
                "name": f"Kommune {uid[-2:]}",
                "kind": "gemeinde",
                "land": land_of_lk[home],
                "parent": home,
                # Answered on exchange inside their Landkreis: 32 of the 45 spoke about it.
                "responded": str(int(uid[-2:]) <= 32).lower(),
            }
        )
    # 182 interviews in the 92 Kommunen: two in each (leadership and operational level), one
    # in g-44 and g-45.
    for unit in units:
        unit["interviews"] = "1" if unit["id"] in ("g-44", "g-45") else "2"
        unit["integration_concept"] = str(unit["id"] in concept).lower()
        unit["region"] = f"r{str(unit.get('parent') or unit['id'])[-2:]}"
    for code, abbr, name, *_ in LAENDER:
        units.append(
            {
                "id": f"forum-{abbr.lower()}",
                "name": f"Netzwerk der Integrationsbeauftragten {name}",
                "kind": "forum",
                "land": code,
            }
        )
    units.append(
        {
            "id": "forum-bund",
            "name": "Bundeskonferenz der Integrationsbeauftragten",
            "kind": "forum",
        }
    )

    ties = []
    # Exchange among the Gemeinden of one Landkreis: g-01..g-26 report it in pairs, g-27 and g-28
    # report it with g-29 and g-30, who themselves reported none; g-31 and g-32 have none.
    for i in range(1, 27, 2):
        a, b = f"g-{i:02d}", f"g-{i + 1:02d}"
        ties.append(
            tie(a, b, "exchange", "regular", f"{a};{b}", level="operational", funding="voluntary")
        )
    ties.append(
        tie(
            "g-27",
            "g-29",
            "exchange",
            "occasional",
            "g-27",
            level="leadership",
            funding="voluntary",
        )
    )
    ties.append(
        tie(
            "g-28",
            "g-30",
            "exchange",
            "occasional",
            "g-28",
            level="leadership",
            funding="voluntary",
        )
    )
    # The one Kommune that reported exchange beyond its Landkreis.
    ties.append(
        tie(
            "g-01",
            "kfs-01",
            "exchange",
            "regular",
            "g-01",
            level="operational",
            funding="voluntary",
        )
    )
    # Landkreis and adjacent kreisfreie Stadt: rare.
    for i in (2, 5, 9):
        a, b = f"lk-{i:02d}", f"kfs-{i:02d}"
        ties.append(
            tie(a, b, "exchange", "occasional", f"{a};{b}", level="leadership", funding="voluntary")
        )
    # Intensive cross-Kreis cooperation: 12 kreisfreie Städte (six city pairs) and one Landkreis.
    by_land: dict[str, list[str]] = {}
    for uid, land in kfs:
        by_land.setdefault(land, []).append(uid)
    pairs = [(c[0], c[1]) for c in by_land.values() if len(c) >= 2][:5]
    pairs.append((by_land["05"][2], by_land["05"][3]))
    for a, b in pairs:
        ties.append(
            tie(
                a,
                b,
                "joint_project",
                "intensive",
                f"{a};{b}",
                level="operational",
                funding="project",
            )
        )
    ties.append(
        tie(
            "lk-03",
            "lk-04",
            "joint_project",
            "intensive",
            "lk-03",
            level="operational",
            funding="project",
        )
    )
    # Contact with Land-level exchange formats: 18 Landkreise, 20 kreisfreie Städte, 10 Kommunen.
    forum_of = {code: f"forum-{abbr.lower()}" for code, abbr, *_ in LAENDER}
    land_of = {u["id"]: u.get("land") for u in units}
    members = (
        [u for u, _ in lks[:18]] + [u for u, _ in kfs[:20]] + [f"g-{i:02d}" for i in range(1, 11)]
    )
    for uid in members:
        ties.append(
            tie(
                uid,
                forum_of[land_of[uid]],
                "membership",
                "regular",
                uid,
                level="leadership",
                funding="voluntary",
            )
        )
    for uid, _ in kfs[:8]:
        ties.append(
            tie(
                uid,
                "forum-bund",
                "membership",
                "occasional",
                uid,
                level="leadership",
                funding="voluntary",
            )
        )

    flows, borders = _flows_and_borders(
        shared, [(f"lk-{i:02d}", f"kfs-{i:02d}") for i in range(1, 24)]
    )

    OUT.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(units).to_csv(OUT / "units.csv", index=False, lineterminator="\n")
    pd.DataFrame(ties).to_csv(OUT / "ties.csv", index=False, lineterminator="\n")
    flows.to_csv(OUT / "flows.csv", index=False, lineterminator="\n")
    borders.to_csv(OUT / "borders.csv", index=False, lineterminator="\n")


def _flows_and_borders(
    shared: Path, pairs: list[tuple[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Illustrative flows: the 23 pairs get evenly spaced quantiles of real LK<->kfs flows."""
    derived = shared / "derived"
    kreise = pd.read_csv(derived / "kreise.csv", dtype=str).set_index("kreis_ags")["kind"]
    adjacency = pd.read_csv(derived / "kreis_adjacency.csv", dtype=str)
    od = pd.read_csv(
        derived / "pendler_kreise_od.csv", dtype={"wohnort_kreis": str, "arbeitsort_kreis": str}
    )
    counts = od.set_index(["wohnort_kreis", "arbeitsort_kreis"])["insgesamt"]
    a_kind, b_kind = adjacency["kreis_a"].map(kreise), adjacency["kreis_b"].map(kreise)
    mixed = adjacency[a_kind != b_kind]
    lk = mixed["kreis_a"].where(a_kind[mixed.index] == "Landkreis", mixed["kreis_b"])
    city = mixed["kreis_a"].where(a_kind[mixed.index] != "Landkreis", mixed["kreis_b"])
    into = np.array([counts.get((x, y), 0) for x, y in zip(lk, city, strict=True)])
    out = np.array([counts.get((y, x), 0) for x, y in zip(lk, city, strict=True)])
    levels = np.linspace(0.1, 0.9, len(pairs))
    rng = np.random.default_rng(2020)
    order_in, order_out = rng.permutation(len(pairs)), rng.permutation(len(pairs))
    rows = []
    for i, (landkreis, stadt) in enumerate(pairs):
        rows.append(
            {
                "from": landkreis,
                "to": stadt,
                "commuters": int(round(np.quantile(into, levels[order_in[i]]), -1)),
            }
        )
        rows.append(
            {
                "from": stadt,
                "to": landkreis,
                "commuters": int(round(np.quantile(out, levels[order_out[i]]), -1)),
            }
        )
    borders = pd.DataFrame([{"from": a, "to": b} for a, b in pairs])
    return pd.DataFrame(rows), borders


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
