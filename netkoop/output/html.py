"""Code and data inside one offline HTML file: safe to inline, and allowed by its CSP.

The rendered pages (`netkoop.render.vis`) and the survey forms (`netkoop.survey.form`) are
single files with their script, styles and data inline and a Content-Security-Policy that
allows exactly that script. No value may close the element it sits in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any


def script_json(data: Any) -> str:
    """Serialise ``data`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no value can close the element
    (``</script>``) or open a comment; the JSON means the same.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    written = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        written.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def inline_script(code: str) -> str:
    """Make JavaScript safe to place inside ``<script>``: no closing tag, no comment opener."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def inline_style(css: str) -> str:
    """Make CSS safe to place inside ``<style>``: no closing tag."""
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


def csp_hash(code: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
