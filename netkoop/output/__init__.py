"""The one output layer: every file netkoop writes goes through it (see `netkoop.output.files`).

``files`` writes whole files and folders and enforces the output rule, ``formats`` names the
formats of each kind of output (and the CSV dialects) and picks one from ``--format`` or the
file's ending, ``tables`` writes tables as CSV in a dialect and as workbooks ready to read,
``provenance`` says what made an output, ``html`` inlines script, styles and data into one
offline HTML file safely, and ``values`` turns numpy and pandas values into plain Python for
JSON and spreadsheets.
"""

from netkoop.output.files import (
    MARKER,
    STDOUT,
    check_file,
    check_folder,
    is_stdout,
    write_file,
    write_folder,
    write_text,
)
from netkoop.output.formats import GRAPH, PAGE, REPORT, TABLE, TEXT, choose_format

__all__ = [
    "GRAPH",
    "MARKER",
    "PAGE",
    "REPORT",
    "STDOUT",
    "TABLE",
    "TEXT",
    "check_file",
    "check_folder",
    "choose_format",
    "is_stdout",
    "write_file",
    "write_folder",
    "write_text",
]
