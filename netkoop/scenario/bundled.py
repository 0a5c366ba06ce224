"""The bundled scenarios: list them and find one by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netkoop._errors import UnknownScenarioError, not_a_file
from netkoop.model.folder import SCENARIO_FILE
from netkoop.scenario import yamlsafe


@dataclass(frozen=True)
class BundledScenario:
    """A scenario that ships with netkoop."""

    name: str
    title: str
    description: str
    path: Path


def bundled_dir() -> Path:
    """Return the folder of bundled scenarios (installed package data, or the checkout's)."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_scenarios"
    return installed if installed.is_dir() else package.parent / "scenarios"


def bundled_name(path: Path) -> str | None:
    """The name of the bundled scenario whose file ``path`` is, or None for any other file.

    Messages name a bundled scenario by its name, not by a path deep in site-packages.
    """
    try:
        inside = path.resolve().parent.parent == bundled_dir().resolve()
    except OSError:
        return None
    return path.parent.name if inside and path.name == SCENARIO_FILE else None


def list_scenarios() -> list[BundledScenario]:
    """List the bundled scenarios, sorted by name.

    Examples
    --------
    >>> "beispielregion" in [s.name for s in list_scenarios()]
    True
    """
    found = []
    root = bundled_dir()
    for path in sorted(root.glob(f"*/{SCENARIO_FILE}")) if root.is_dir() else []:
        try:
            doc = yamlsafe.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yamlsafe.YamlError):
            doc = {}
        doc = doc if isinstance(doc, dict) else {}
        found.append(
            BundledScenario(
                name=path.parent.name,
                title=str(doc.get("title") or path.parent.name),
                description=" ".join(str(doc.get("description") or "").split()),
                path=path,
            )
        )
    return found


def scenario_path(spec: str | Path) -> Path:
    """Return the scenario file that ``spec`` names: a YAML file, a folder or a bundled name.

    Raises
    ------
    UnknownScenarioError
        When ``spec`` is neither an existing file or folder nor a bundled scenario; the
        message lists the bundled names.
    """
    path = Path(spec)
    try:
        if path.is_file():
            return path
        if path.is_dir():
            inside = path / SCENARIO_FILE
            if inside.is_file():
                return inside
            raise UnknownScenarioError(f"{spec}: the folder has no {SCENARIO_FILE}")
        if path.exists() or path.is_symlink():
            raise UnknownScenarioError(f"{spec}: {not_a_file(path)}")
    except OSError as exc:  # a name too long for the file system, say
        raise UnknownScenarioError(f"{spec}: cannot be looked up ({exc.strerror})") from None
    bundled = {s.name: s.path for s in list_scenarios()}
    if str(spec) in bundled:
        return bundled[str(spec)]
    names = ", ".join(sorted(bundled)) or "none"
    raise UnknownScenarioError(
        f"{spec}: no such file or folder, and no bundled scenario of that name (bundled: {names})"
    )
