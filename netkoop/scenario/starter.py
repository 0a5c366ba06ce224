"""Create a starter scenario folder from the commented templates that ship with netkoop."""

from __future__ import annotations

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
    write_folder(target, templates, kind=None)
    return target / SCENARIO_FILE
