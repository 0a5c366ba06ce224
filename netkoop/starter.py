"""Create a starter scenario folder from the commented templates that ship with netkoop."""

from __future__ import annotations

import shutil
from pathlib import Path

from netkoop._errors import OutputExistsError
from netkoop.datasets import SCENARIO_FILE

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "starter"


def new_scenario(folder: str | Path) -> Path:
    """Write a commented starter scenario with CSV templates into a new or empty folder.

    The starter validates as written. Returns the path of its scenario file.

    Raises
    ------
    OutputExistsError
        When ``folder`` exists and is not empty (nothing is overwritten).
    """
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputExistsError(f"{target} exists and is not empty; choose a new folder")
    target.mkdir(parents=True, exist_ok=True)
    for template in sorted(TEMPLATE_DIR.iterdir()):
        shutil.copyfile(template, target / template.name)
    return target / SCENARIO_FILE
