"""The official files in tests/data/official: complete, unchanged, credited, and all the suite needs."""

from __future__ import annotations

import gzip
import hashlib
import zipfile
from pathlib import Path

from conftest import OFFICIAL, REPO

#: What the repository may carry of official data (the issue's budget).
MAX_BYTES = 20 * 2**20


def unpacked(path: Path) -> dict[str, bytes]:
    """The files a packed file holds, by their path below OFFICIAL as listed in SHA256SUMS."""
    name = path.relative_to(OFFICIAL)
    if path.suffix == ".gz":
        return {str(name)[: -len(".gz")]: gzip.decompress(path.read_bytes())}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as packed:
            return {str(name.parent / n): packed.read(n) for n in packed.namelist()}
    return {str(name): path.read_bytes()}


def test_every_file_unpacks_to_the_bytes_its_checksum_lists() -> None:
    listed = {}
    for line in (OFFICIAL / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    found = {}
    for path in sorted(OFFICIAL.rglob("*")):
        if path.is_file() and path.name not in {
            "README.md",
            "SHA256SUMS",
            "SOURCE.txt",
            "MANIFEST.txt",
        }:
            found.update({n: hashlib.sha256(b).hexdigest() for n, b in unpacked(path).items()})
    assert found == listed
    # The sha256 that the GERDA SOURCE.txt gives for the 2023 register, taken at the source.
    assert listed["destatis-gvisys/31122023_Auszug_GV.xlsx"] == (
        "0ced8a6431307efa64c1576a072781dee24382acfc5abf26f16dbabbe90f2be8"
    )


def test_every_folder_says_where_its_files_come_from_and_the_budget_holds() -> None:
    folders = [p for p in OFFICIAL.iterdir() if p.is_dir()]
    assert {p.name for p in folders} == {
        "destatis-gvisys", "bkg-vg1000-2022", "ba-pendler-2023", "derived",
    }  # fmt: skip
    for folder in folders:
        assert "Licence" in (folder / "SOURCE.txt").read_text("utf-8"), folder
    size = sum(p.stat().st_size for p in OFFICIAL.rglob("*") if p.is_file())
    assert size <= MAX_BYTES


def test_the_suite_never_reads_official_data_from_beside_the_repository() -> None:
    beside = ("NETKOOP_SHARED" + "_DATA", "../" + "shared", '"shared" ' + '/ "data"')
    for path in [*(REPO / "tests").glob("*.py"), REPO / "conftest.py"]:
        text = path.read_text("utf-8")
        for name in beside:
            assert name not in text, (path, name)
