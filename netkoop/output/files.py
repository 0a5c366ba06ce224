"""Write files and folders whole or not at all, and never over anything netkoop did not make.

Every file netkoop writes goes through this module. The rule it enforces: an output never
replaces, deletes or writes into anything netkoop did not create.

- A file output goes to a new name, or replaces an existing file when asked to
  (``overwrite=True``, ``--force``). Even then it never replaces an input of the command
  (``protect``), a YAML file (a scenario) or a table that a scenario beside it reads.
- A folder output (a CSV report, a scenario written by `Network.save`) goes to a new or empty
  folder, or to a folder netkoop made earlier for the same kind of output, when asked to. Such
  a folder carries a small marker file (`MARKER`) that lists what netkoop wrote there; only
  those files are ever replaced or removed, every other file stays as it is.
- Everything is written under a temporary name in the target's folder and moved into place,
  so a failure leaves the old state; files get the permissions of any new file (the umask).
- ``-`` (`STDOUT`) writes text to standard output instead of a file.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from netkoop._errors import OutputError, OutputExistsError
from netkoop._version import __version__

#: The name of the marker file in every folder netkoop makes for its output.
MARKER = ".netkoop"

#: The path that means standard output.
STDOUT = "-"

#: What a file holds: text (written as UTF-8), bytes, or a function that writes the file at
#: the path it is given.
Content = str | bytes | Callable[[Path], None]

#: Protected paths: files and folders that an output must never replace.
Paths = Iterable[str | os.PathLike[str]]

_MARKER_HEAD = "# Written by netkoop {version}: a {kind} folder.\n"
_MARKER_TEXT = (
    "# netkoop replaces the files listed below when asked to (--force) and leaves every\n"
    "# other file here alone. Delete this file to keep netkoop from writing here again.\n"
)
_KIND_LINE = re.compile(r"^# Written by netkoop \S+: a (.+) folder\.$")
# Table files and base scenarios that a scenario file names: `file: ties.csv`, `extends: x`.
_NAMED = re.compile(r"""(?:^|[\s{,-])(?:file|extends)\s*:\s*["']?([^"'\s,}#]+)""", re.MULTILINE)
_SCENARIO_SUFFIXES = (".yaml", ".yml")
_LARGEST_SCENARIO = 1_000_000  # bytes; larger YAML files are not read for the names they hold


def is_stdout(path: str | os.PathLike[str]) -> bool:
    """Tell whether ``path`` means standard output (``-``)."""
    return os.fspath(path) == STDOUT


def write_text(
    path: str | os.PathLike[str], text: str, *, overwrite: bool = False, protect: Paths = ()
) -> Path | None:
    """Write ``text`` as UTF-8 to ``path``, or to standard output for ``-``.

    Returns the path written, None for standard output. See `write_file` for the rule.
    """
    if is_stdout(path):
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    return write_file(path, text, overwrite=overwrite, protect=protect)


def write_file(
    path: str | os.PathLike[str],
    content: Content,
    *,
    overwrite: bool = False,
    protect: Paths = (),
) -> Path:
    """Write one file whole, under a temporary name moved into place at the end.

    Parameters
    ----------
    path
        The file to write; missing folders above it are created.
    content
        Text (UTF-8, ``\\n`` line ends), bytes, or a function that writes the file at the
        path it is given (a temporary one).
    overwrite
        Replace an existing file. Inputs (``protect``), YAML files and tables that a
        scenario beside the file reads are never replaced.
    protect
        Files the command reads; an output never replaces one of them.

    Returns
    -------
    The path written.

    Raises
    ------
    OutputExistsError
        When the file exists and ``overwrite`` is False.
    OutputError
        When the path is standard output (``-``), a folder, or a protected file.
    """
    target = Path(path)
    check_file(target, overwrite=overwrite, protect=protect)
    target.parent.mkdir(parents=True, exist_ok=True)
    _put_in_place({target: content})
    return target


def write_folder(
    path: str | os.PathLike[str],
    files: Mapping[str, Content],
    *,
    kind: str | None,
    overwrite: bool = False,
    protect: Paths = (),
) -> Path:
    """Write several files into a folder that netkoop makes or made, whole or not at all.

    Parameters
    ----------
    path
        The folder: a new one, an empty one, or one netkoop made earlier for the same
        ``kind`` (then ``overwrite`` is needed).
    files
        File names, or relative paths such as ``data/units.csv``, and what each holds.
    kind
        What the folder holds, e.g. ``"report"`` or ``"scenario"``: it is written into the
        marker, and only a folder of the same kind is written into again. None writes no
        marker: the folder becomes the user's (a starter scenario to edit by hand).
    overwrite
        Replace the files netkoop wrote into the folder before. Files it did not write are
        never touched; files it wrote before that ``files`` no longer has are removed.
    protect
        Files the command reads; the folder must not hold one of them.

    Returns
    -------
    The folder.

    Raises
    ------
    OutputExistsError
        When netkoop wrote into the folder before and ``overwrite`` is False.
    OutputError
        When the folder holds files netkoop did not write, holds an input, is of another
        kind, or is a file.
    """
    folder = Path(path)
    owned = check_folder(folder, set(files), kind=kind, overwrite=overwrite, protect=protect)
    written: dict[str, Content] = dict(files)
    if kind is not None:
        written[MARKER] = _marker(kind, files)
    if not folder.exists():
        _make_folder(folder, written)
        return folder
    _put_in_place({folder / name: content for name, content in written.items()})
    for name in sorted(owned - set(written)):
        (folder / name).unlink(missing_ok=True)
    return folder


def write_own_file(
    folder: str | os.PathLike[str], name: str, content: Content, *, protect: Paths = ()
) -> bool:
    """Write one file into a folder: as a new file, or over one netkoop wrote there before.

    A folder with a marker (see `write_folder`) lists the files netkoop wrote; only those
    are replaced, and a new file is added to the list. Returns whether a file was replaced.

    Raises
    ------
    OutputExistsError
        When the file exists and the folder's marker does not list it.
    OutputError
        When the file is an input (``protect``).
    """
    target = Path(folder) / name
    made = read_marker(Path(folder))
    own = made is not None and name in made[1]
    replaced = target.exists()
    if replaced and not own:
        raise OutputExistsError(f"{target} exists and netkoop did not write it; it stays as it is")
    _refuse_input(target, protect)
    files: dict[Path, Content] = {target: content}
    if made is not None and not own:
        files[Path(folder) / MARKER] = _marker(made[0], {*made[1] - {MARKER}, name})
    target.parent.mkdir(parents=True, exist_ok=True)
    _put_in_place(files)
    return replaced


def edit_file(path: str | os.PathLike[str], text: str, *, expected: str) -> None:
    """Replace the text of a file the command edits on purpose, keeping its permissions.

    The one exception to the rule: an import adds the reference to its table to a scenario
    file (`netkoop.scenario.edit` changes only those lines). The file must still hold
    ``expected``, the text the edit was made from.

    Raises
    ------
    OutputError
        When the file changed since it was read.
    """
    target = Path(path)
    if target.read_text(encoding="utf-8-sig") != expected:
        raise OutputError(f"{target} changed while netkoop was editing it; run the command again")
    mode = stat.S_IMODE(target.stat().st_mode)
    _put_in_place({target: text}, mode=mode)


def check_file(target: Path, *, overwrite: bool, protect: Paths = ()) -> None:
    """Raise when writing the file ``target`` would break the rule; see `write_file`.

    Commands call it before they compute anything, so that a refusal costs no time.
    """
    if is_stdout(target):
        raise OutputError("this output is not text; name a file instead of '-'")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; name a file to write")
    if not target.exists() and not target.is_symlink():
        return
    _refuse_input(target, protect)
    if target.suffix.lower() in _SCENARIO_SUFFIXES:
        raise OutputError(f"{target} is a YAML file, perhaps a scenario; netkoop leaves it alone")
    reader = _scenario_naming(target)
    if reader is not None:
        raise OutputError(
            f"{target} is a table that the scenario {reader} reads; name another file"
        )
    if not overwrite:
        raise OutputExistsError(f"{target} exists; pass overwrite=True (--force) to replace it")


def check_folder(
    folder: Path,
    names: Iterable[str],
    *,
    kind: str | None,
    overwrite: bool,
    protect: Paths = (),
) -> set[str]:
    """Raise when writing ``names`` into ``folder`` would break the rule; see `write_folder`.

    Returns the names of the files netkoop wrote into the folder before (empty for a new
    or empty folder).
    """
    if is_stdout(folder):
        raise OutputError("this output is a folder of files; name a folder instead of '-'")
    for name in names:
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or {"", ".", ".."} & set(parts) or name == MARKER:
            raise OutputError(f"{name!r} is not a file name netkoop writes into a folder")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; a folder of files goes into a new folder")
    _refuse_input(folder, protect)
    if not folder.exists():
        return set()
    top = {entry.name for entry in folder.iterdir()}
    if not top:
        return set()
    made = read_marker(folder)
    if made is None:
        shown = ", ".join(sorted(top)[:3]) + (", ..." if len(top) > 3 else "")
        raise OutputError(
            f"{folder} holds files netkoop did not write ({shown}); choose a new or empty folder"
        )
    made_kind, owned = made
    if made_kind != kind:
        raise OutputError(
            f"{folder} is a {made_kind} folder that netkoop wrote; a {kind or 'starter'} "
            "goes into a new or empty folder"
        )
    if not overwrite:
        raise OutputExistsError(
            f"{folder} holds a {kind} that netkoop wrote before; pass overwrite=True (--force) "
            "to replace it"
        )
    # Outputs may hold subfolders ("Fragebögen/03254_Hildesheim.xlsx"): compare every file
    # below the folder, so that a user's file in a subfolder is neither replaced nor removed.
    present = _files_below(folder)
    clash = sorted((present & set(names)) - owned)
    if clash:
        raise OutputError(
            f"{folder / clash[0]} was not written by netkoop; move it away or choose a new folder"
        )
    return owned & present


def _files_below(folder: Path) -> set[str]:
    """The files in ``folder`` and its subfolders, as relative POSIX paths."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() or path.is_symlink()
    }


# --- inputs ---------------------------------------------------------------------------------


def _refuse_input(target: Path, protect: Paths) -> None:
    """Refuse a target that is an input, or (for a folder) holds one."""
    here = Path(os.path.realpath(target))
    for given in protect:
        path = Path(os.path.realpath(given))
        if path == here:
            raise OutputError(f"{target} is an input of this command; netkoop never writes over it")
        if here in path.parents:
            raise OutputError(
                f"{target} holds an input of this command ({Path(given).name}); "
                "choose a new or empty folder"
            )


def _scenario_naming(target: Path) -> Path | None:
    """Return a scenario file beside ``target`` that names it as a table, if any."""
    folder = target.parent
    try:
        scenarios = [
            p for p in folder.iterdir() if p.suffix.lower() in _SCENARIO_SUFFIXES and p.is_file()
        ]
    except OSError:
        return None
    here = Path(os.path.realpath(target))
    for scenario in sorted(scenarios):
        try:
            if scenario.stat().st_size > _LARGEST_SCENARIO:
                continue
            text = scenario.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in _NAMED.finditer(text):
            if Path(os.path.realpath(folder / match.group(1))) == here:
                return scenario
    return None


# --- markers --------------------------------------------------------------------------------


def _marker(kind: str, files: Iterable[str]) -> str:
    head = _MARKER_HEAD.format(version=__version__, kind=kind) + _MARKER_TEXT
    return head + "".join(f"{name}\n" for name in sorted(files))


def read_marker(folder: Path) -> tuple[str, set[str]] | None:
    """Return the kind and the files of a folder netkoop made (its marker included), or None."""
    try:
        lines = (folder / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    match = _KIND_LINE.match(lines[0]) if lines else None
    if match is None:
        return None
    names = {line for line in lines[1:] if line and not line.startswith("#")}
    return match.group(1), names | {MARKER}


# --- writing --------------------------------------------------------------------------------


# Temporary names carry the writing process's id, so that the next write into the same folder
# can tell those of a process that died (killed, power cut) from those still being written.
_TEMPORARY = re.compile(r"^\..+\.(\d+)-[0-9a-f]{12}\.netkoop-tmp$")
# Older netkoop versions named their temporary files and folders ".netkoop-..." (mkstemp) and
# ".NAME.HEX.tmp"; without a process id, those older than an hour count as left behind.
_OLD_TEMPORARY = re.compile(r"^(\.netkoop-[a-z0-9_]{8}.*|\..+\.[0-9a-f]{12}\.tmp)$")
_OLD_AGE = 3600.0


def _temporary(target: Path) -> Path:
    # A name of our own rather than mkstemp, whose files only their owner may read.
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.netkoop-tmp")


def clear_stale(folder: Path) -> list[str]:
    """Remove what netkoop processes that died left in ``folder``; return the names removed."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is not None:
            stale = not _alive(int(match.group(1)))
        elif _OLD_TEMPORARY.match(entry.name):
            try:
                stale = now - entry.stat(follow_symlinks=False).st_mtime > _OLD_AGE
            except OSError:
                continue
        else:
            continue
        if stale:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or a number the system cannot check
    return True


def _write(path: Path, content: Content, mode: int | None = None) -> None:
    if callable(content):
        content(path)
        return
    data = content.encode("utf-8") if isinstance(content, str) else content
    with path.open("xb") as out:
        if mode is not None:
            os.chmod(out.fileno(), mode)
        out.write(data)


def _put_in_place(files: Mapping[Path, Content], *, mode: int | None = None) -> None:
    """Write every file under a temporary name, then move them all into place.

    A failure names the file that was to be written, never its temporary name.
    """
    for folder in {target.parent for target in files}:
        folder.mkdir(parents=True, exist_ok=True)
        clear_stale(folder)
    staged: dict[Path, Path] = {}
    try:
        for target, content in files.items():
            staged[target] = _temporary(target)
            try:
                _write(staged[target], content, mode)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(target)) from exc
        for target, temporary in staged.items():
            os.replace(temporary, target)
    except BaseException:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        raise


def _make_folder(folder: Path, files: Mapping[str, Content]) -> None:
    """Build the folder under a temporary name beside it, then move it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(folder.parent)
    staging = _temporary(folder)
    staging.mkdir()  # the mode of a new folder, unlike mkdtemp's 0700
    try:
        for name, content in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)  # "data/units.csv"
            try:
                _write(staging / name, content)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(folder / name)) from exc
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # our own temporary folder
        raise
