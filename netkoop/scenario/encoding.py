"""Decode a text file as what its bytes show: UTF-8, UTF-16 with a byte order mark, or cp1252.

German Excel saves CSV files in cp1252, everything else writes UTF-8. The choice is made from
the whole file: a file with no byte outside ASCII-compatible UTF-8 is UTF-8; a file with UTF-8
sequences *and* bytes that are not UTF-8 is damaged (an edit in another program, two files
pasted together) and is refused, naming the first bad byte, rather than read as cp1252 with
every umlaut garbled; only a file without any UTF-8 sequence is read as cp1252.
"""

from __future__ import annotations

import re

# A multi-byte UTF-8 sequence (a character outside ASCII, written the UTF-8 way).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode(data: bytes, encoding: str | None = None) -> tuple[str | None, str]:
    """Return the text and the encoding read, or None and the reason it cannot be read.

    Parameters
    ----------
    data
        The file's bytes.
    encoding
        The encoding to use instead of deciding (``encoding:`` of a table file).

    Examples
    --------
    >>> decode("Süd".encode("cp1252"))
    ('Süd', 'cp1252')
    >>> decode("Süd ".encode() + "Nord Ö".encode("cp1252"))[0] is None
    True
    """
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            return None, f"cannot be read as {encoding}: {exc}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            return None, (
                f"starts with a UTF-16 byte order mark but is no UTF-16 text (byte {exc.start} "
                "of the file); save it again as UTF-8"
            )
    if b"\x00" in data[:8192]:
        return None, "is binary, not a text file"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
    found = _UTF8_SEQUENCE.search(data)
    if found is not None:
        row = data.count(b"\n", 0, bad) + 1
        sample = found.group().decode("utf-8")
        sample_row = data.count(b"\n", 0, found.start()) + 1
        return None, (
            f"is UTF-8 text (such as {sample!r} on row {sample_row}) with bytes that are not "
            f"UTF-8 (the first on row {row}: byte {data[bad]:#04x}); save the file again as "
            "UTF-8 in one program"
        )
    # Excel on German Windows writes cp1252; latin-1 decodes the five bytes cp1252 leaves out.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
