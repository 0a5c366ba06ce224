"""Create a starter scenario folder from the commented templates that ship with netkoop."""

from __future__ import annotations

import json
import re
from pathlib import Path

from netkoop.model.folder import SCENARIO_FILE
from netkoop.output.files import write_folder

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "starter"


def new_scenario(folder: str | Path) -> Path:
    """Write a commented starter scenario with CSV templates into a new or empty folder.

    The starter validates as written. It is the user's to edit, so netkoop leaves no marker
    and never writes into the folder again. Returns the path of its scenario file.

    Raises
    ------
    OutputError
        When ``folder`` is a file or holds files (nothing is overwritten).
    """
    target = Path(folder)
    templates = {path.name: path.read_bytes() for path in sorted(TEMPLATE_DIR.iterdir())}
    named = _named(templates[SCENARIO_FILE].decode("utf-8"), target.absolute().name)
    write_folder(target, {**templates, SCENARIO_FILE: named}, kind=None)
    return target / SCENARIO_FILE


def _named(text: str, folder: str) -> str:
    r"""The starter's text with its name and title taken from the folder it is written into.

    >>> print(_named("name: meine-region    # x\ntitle: Meine Region  # y", "Kreis Hildesheim"))
    name: kreis-hildesheim # x
    title: Kreis Hildesheim # y
    """
    slug = _SLUG.sub("-", folder.casefold()).strip("-") or "meine-region"
    title = " ".join(folder.replace("_", " ").replace("-", " ").split()) or "Meine Region"
    if not _PLAIN.fullmatch(title):
        title = json.dumps(title, ensure_ascii=False)  # a YAML double-quoted string
    for key, old, new in (("name", "meine-region", slug), ("title", "Meine Region", title)):
        line = re.compile(rf"^{key}: {re.escape(old)}( *)(#.*)?$", re.MULTILINE)
        width = len(f"{key}: {old}")

        def keep_comment(match: re.Match[str], value: str = f"{key}: {new}", w: int = width) -> str:
            if not match.group(2):
                return value
            return value.ljust(w + len(match.group(1)) - 1) + " " + match.group(2)

        text = line.sub(keep_comment, text, count=1)
    return text


_SLUG = re.compile(r"[^0-9a-zäöüß]+")
_PLAIN = re.compile(r"[A-Za-zÄÖÜäöüß][\w .()-]*")
