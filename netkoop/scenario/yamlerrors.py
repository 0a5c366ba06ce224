"""Messages for YAML that cannot be read: line, column, the line as written, the likely cause.

The parser says what it found where it gave up ("mapping values are not allowed here"),
which is often a line after the mistake and never why. Each diagnosis here looks for the
evidence of one common mistake around the parser's marks (indentation, a tab, a missing space
after a colon, a value that would need quotes, an unclosed quote or bracket) and, when it is
there, names the mistake and the place to fix it; when none fits, the message keeps the
parser's words with line, column and the line as written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml
from yaml.constructor import ConstructorError
from yaml.reader import ReaderError
from yaml.tokens import FlowMappingEndToken, FlowSequenceEndToken, ScalarToken, Token


class YamlError(Exception):
    """The text is not a scenario-safe YAML document; ``line`` and ``column`` are 1-based or None.

    The message names the column and quotes the line itself, so that it reads on its own after
    the file and line (``scenario.yaml, line 7: ...``).
    """

    def __init__(self, message: str, line: int | None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


#: A shown line longer than this is cut to a window around the column.
SHOWN_WIDTH = 80

#: Line breaks as PyYAML counts them, so that its marks index these lines.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

#: The start of a line before its content: indentation and the dashes of list items.
_LEAD = re.compile(r"[ \t]*(?:-(?:[ \t]+|$))*")

#: A block key: plain text up to the first ': ' (or a ':' that ends the line).
_KEY = re.compile(r"([^\s#'\"\[\]{},&*!|>%@`][^:]*?):(?:[ \t]+|$)")

#: ``key:value`` written without the space after the colon (``//`` would be a web address).
_NO_SPACE = re.compile(r"([A-Za-z_][\w.-]*):(?!//)(\S.*)")

#: The parser's words for a line that does not fit the indentation of the block it is in.
_BLOCK_END = re.compile(
    r"expected <block end>, but found '(<block mapping start>|\?|<block sequence start>|-)'"
)


@dataclass(frozen=True)
class _Failure:
    """What the parser reported (marks 0-based), with the text's lines to look at."""

    problem: str
    context: str
    line: int
    column: int
    index: int
    context_line: int | None
    context_column: int | None
    lines: list[str]
    text: str

    def source(self, line: int | None) -> str:
        """Return line ``line`` as written, or "" beyond the text."""
        return self.lines[line] if line is not None and 0 <= line < len(self.lines) else ""


@dataclass(frozen=True)
class _Cause:
    """The likely mistake: where to fix it (0-based) and what to do."""

    line: int
    column: int
    hint: str


def _lines(text: str) -> list[str]:
    """Split ``text`` at the line breaks PyYAML counts, so that a mark's line indexes the list."""
    return _BREAK.split(text)


def _reads(lines: list[str], line: int, column: int) -> str:
    """Return the ending that quotes the offending line, cut to a window around ``column``.

    Characters that show as blank space or not at all (a tab, a no-break space) are written as
    escapes such as ``\\t``; a backslash stays as written, as in a Windows path.
    """
    source = lines[line] if 0 <= line < len(lines) else ""
    if not source.strip():
        return ""
    if len(source) > SHOWN_WIDTH:
        start = max(0, min(column - SHOWN_WIDTH // 2, len(source) - SHOWN_WIDTH))
        end = start + SHOWN_WIDTH
        source = f"{'...' if start else ''}{source[start:end]}{'...' if end < len(source) else ''}"
    shown = "".join(c if c == " " or c.isprintable() else repr(c)[1:-1] for c in source)
    quote = '"' if "'" in shown and '"' not in shown else "'"
    return f" — the line reads: {quote}{shown}{quote}"


def malformed(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    """Name the parser's finding with its column and, where the text shows it, the likely cause.

    The error is placed at the cause (an unclosed quote is fixed where it opens, not at the
    end of the file where the parser noticed); the parser's own place stays in the message.
    """
    problem = exc.problem or exc.context or "cannot be read"
    if exc.context and problem.startswith("but "):  # "expected a single document ..., but"
        problem = f"{exc.context}, {problem}"
    if len(problem) > 120:  # it may quote an alias or a tag as long as the file
        problem = problem[:117] + "..."
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return YamlError(f"malformed YAML: {problem}", None)
    context = exc.context_mark
    failure = _Failure(
        problem=problem,
        context=exc.context or "",
        line=mark.line,
        column=mark.column,
        index=mark.index,
        context_line=context.line if context else None,
        context_column=context.column if context else None,
        lines=_lines(text),
        text=text,
    )
    cause = next((c for c in (find(failure) for find in _DIAGNOSES) if c), None)
    position = f"column {failure.column + 1}"
    if cause is None:
        cause = _Cause(failure.line, failure.column, "")
    elif cause.line != failure.line:
        position = f"line {failure.line + 1}, {position}"
    hint = f"; {cause.hint}" if cause.hint else ""
    return YamlError(
        f"malformed YAML: {problem} ({position}){hint}"
        + _reads(failure.lines, cause.line, cause.column),
        cause.line + 1,
        cause.column + 1,
    )


def unbuildable(exc: ConstructorError, text: str) -> YamlError:
    """Report a value that cannot be built (a tag, a duplicate key, a number) with its line."""
    problem = exc.problem or "cannot be read"
    mark = exc.problem_mark
    lines = _lines(text)
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '").replace("tag:yaml.org,2002:", "!!")
        problem = (
            f"the YAML tag {tag!r} is not allowed: scenario files hold plain data "
            "(mappings, lists, text, numbers, true/false, dates)"
        )
        if mark is not None and not tag.startswith("!!"):
            value = _value_at(lines[mark.line] if mark.line < len(lines) else "", mark.column)
            problem += (
                f"; a value that starts with '!' is a tag, so for text, {_quote_advice(value)}"
            )
    if mark is None:
        return YamlError(problem, None)
    return YamlError(
        problem + _reads(lines, mark.line, mark.column), mark.line + 1, mark.column + 1
    )


def unreadable(exc: ReaderError, text: str) -> YamlError:
    """Locate a character that YAML does not allow (a control character) by line and column."""
    before = _lines(text[: exc.position])
    line, column = len(before) - 1, len(before[-1])
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return YamlError(
        f"malformed YAML: the control character U+{code:04X} is not allowed in a YAML file "
        f"(column {column + 1}); remove it" + _reads(_lines(text), line, column),
        line + 1,
        column + 1,
    )


# --- reading a line roughly as YAML does ----------------------------------------------------


def _walk(line: str) -> tuple[list[int], int | None]:
    """Return the columns of the brackets open where ``line`` ends, and where a comment starts.

    Quoted text is skipped. A quote or '#' counts only where a token may start, so that
    ``Stadt's`` and ``Nord#1`` stay plain text, and a bracket only there or inside brackets.
    """
    stack: list[int] = []
    quote = ""
    between = True  # where a new token may start
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if (quote == '"' and ch == "\\") or (ch == quote == "'" and line[i + 1 : i + 2] == "'"):
                i += 1
            elif ch == quote:
                quote = ""
            i += 1
            continue
        if ch == "#" and between:
            return stack, i
        if ch in "\"'" and between:
            quote = ch  # after the closing quote a new token may start, as here
        elif ch in "[{" and (between or stack):
            stack.append(i)
            between = True
        elif ch in "]}" and stack:
            stack.pop()
            between = True
        else:
            between = ch in " \t" or (ch == "," and bool(stack))
        i += 1
    return stack, None


def _value_at(line: str, column: int) -> str:
    """Return the value written from ``column``: to the end, or inside brackets to ',' or end."""
    value = line[column:]
    if _walk(line[:column])[0]:
        value = re.split(r"[,\]}]", value, maxsplit=1)[0]
    return value.split(" #", 1)[0].strip()


def _quoted(value: str) -> str:
    """Return ``value`` quoted as YAML reads it back, or "" when too long for a message."""
    if not value or len(value) > 60:
        return ""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


def _quote_advice(value: str) -> str:
    """Advise quoting, with the quoted value when it is short enough to read in a message."""
    quoted = _quoted(value)
    return f"put the value in quotes: {quoted}" if quoted else "put the value in quotes"


def _content_column(line: str) -> int:
    """Return where a line's content starts, after its indentation and any list dashes."""
    match = _LEAD.match(line)
    return match.end() if match else 0


def _key_match(line: str) -> re.Match[str] | None:
    """Match the block key a line starts with (after its dashes)."""
    return _KEY.match(line, _content_column(line))


def _previous_content(lines: list[str], line: int) -> int | None:
    """Return the nearest line above ``line`` that holds more than blanks and a comment."""
    for above in range(min(line, len(lines)) - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#"):
            return above
    return None


def _token_before(text: str, index: int) -> Token | None:
    """Return the last token that starts before ``index``, scanning the text once more."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):  # tokens need no resolvers
            if token.start_mark.index >= index:
                break
            last = token
    except yaml.YAMLError:
        pass
    return last


# --- the diagnoses, in the order they are tried ---------------------------------------------


def _tab(f: _Failure) -> _Cause | None:
    """A tab where YAML wants a space: in the indentation, between parts, or in plain text."""
    if not f.problem.startswith("found character '\\t'"):
        return None
    line = f.source(f.line)
    before, after = line[: f.column], line[f.column + 1 :]
    if not before.strip():
        hint = "the line is indented with a tab; YAML indents with spaces only"
    elif not after.strip():
        hint = "a tab ends the line; remove it (YAML allows tabs only inside quotes)"
    elif before.rstrip(" \t").endswith((":", "-", ",")):
        hint = "a tab separates the parts of the line; YAML separates them with spaces only"
    else:
        hint = (
            "a tab inside unquoted text; replace it with a space, or put the value in quotes "
            "to keep the tab"
        )
    return _Cause(f.line, f.column, hint)


def _reserved_start(f: _Failure) -> _Cause | None:
    """'@', '`' and '%' cannot start an unquoted value: YAML reserves them."""
    match = re.fullmatch(r"found character '(.)' that cannot start any token", f.problem)
    if not match or match.group(1) not in "@`%":
        return None
    value = _value_at(f.source(f.line), f.column)
    return _Cause(
        f.line,
        f.column,
        f"an unquoted value cannot start with '{match.group(1)}': {_quote_advice(value)}",
    )


def _alias_or_anchor(f: _Failure) -> _Cause | None:
    """'*' and '&' at the start of a value refer to or name an anchor; they are not text."""
    undefined = re.fullmatch(r"found undefined alias '(.{1,40})'", f.problem)
    if undefined:
        value = _value_at(f.source(f.line), f.column)
        return _Cause(
            f.line,
            f.column,
            f"a value that starts with '*' refers to an anchor '&{undefined.group(1)}' above, "
            f"and there is none; for text, {_quote_advice(value)}",
        )
    if f.context not in {"while scanning an alias", "while scanning an anchor"}:
        return None
    if f.context_line is None or f.context_column is None:
        return None
    char, what = ("*", "refers to") if "alias" in f.context else ("&", "names")
    value = _value_at(f.source(f.context_line), f.context_column)
    return _Cause(
        f.context_line,
        f.context_column,
        f"a value that starts with '{char}' {what} an anchor; for text, {_quote_advice(value)}",
    )


def _block_indicator(f: _Failure) -> _Cause | None:
    """'|' and '>' start a block of text on the lines below, not text on their own line."""
    if f.context != "while scanning a block scalar" or f.context_column is None:
        return None
    line = f.source(f.context_line)
    char = line[f.context_column : f.context_column + 1]
    return _Cause(
        f.context_line or 0,
        f.context_column,
        f"a value that starts with '{char}' is a block of text on the indented lines below "
        f"it; for text on this line, {_quote_advice(_value_at(line, f.context_column))}",
    )


def _unclosed_quote(f: _Failure) -> _Cause | None:
    """A quote the file never closes: the place to fix is where it opens."""
    if f.context != "while scanning a quoted scalar" or f.context_column is None:
        return None
    if not f.problem.startswith("found unexpected end of"):
        return None
    quote = f.source(f.context_line)[f.context_column : f.context_column + 1]
    return _Cause(
        f.context_line or 0,
        f.context_column,
        f"the {quote} in column {f.context_column + 1} opens a quoted text that is never "
        f"closed; add the closing {quote}",
    )


def _bad_escape(f: _Failure) -> _Cause | None:
    """A backslash inside double quotes, as in a Windows path, starts an escape sequence."""
    if f.context != "while scanning a double-quoted scalar" or "escape" not in f.problem:
        return None
    line = f.source(f.context_line)
    start = (f.context_column or 0) + 1
    end = line.find('"', start)
    inner = line[start:end].replace("'", "''") if end > start else ""
    example = f": '{inner}'" if inner and len(inner) <= 60 else ""
    return _Cause(
        f.line,
        f.column,
        "inside double quotes a backslash starts an escape such as \\n; for backslashes as "
        f"written (a Windows path), put the value in single quotes{example}",
    )


def _flow_colon(f: _Failure) -> _Cause | None:
    """``{name: Stadt: Nord}``: a ': ' inside a value in brackets starts another key."""
    if not f.problem.endswith("but got ':'") or "flow" not in f.context:
        return None
    line = f.source(f.line)
    if not _walk(line[: f.column])[0]:
        return None
    item = re.split(r"[,\[{]", line[: f.column])[-1]
    if ": " not in item:
        return None
    value = _value_at(line, f.column - len(item) + item.index(": ") + 2)
    return _Cause(
        f.line,
        f.column,
        f"a ': ' inside an unquoted value starts another key, so {_quote_advice(value)}; "
        "or a ',' is missing between two entries",
    )


def _flow_unclosed(f: _Failure) -> _Cause | None:
    """A '[' or '{' not closed on its line, often because a '#' comment hides its end."""
    if "flow" not in f.context:
        return None
    if f.context_line is not None and "flow node" not in f.context:
        candidates: range | list[int] = [f.context_line]  # the context mark is the opener
    else:
        candidates = range(f.line, max(-1, f.line - 200), -1)
    for at in candidates:
        line = f.source(at)
        stack, comment = _walk(line)
        if stack and comment is not None:
            closer = "]" if line[stack[-1]] == "[" else "}"
            return _Cause(
                at,
                comment,
                f"the '#' in column {comment + 1} starts a comment (as '#' does after a space), "
                f"which hides the rest of the line with the closing '{closer}'; for a value "
                f"with '#', {_quote_advice(_value_at(line, comment))}",
            )
        if stack:
            opener = line[stack[-1]]
            return _Cause(
                at,
                stack[-1],
                f"the '{opener}' in column {stack[-1] + 1} is not closed on this line; add the "
                f"'{']' if opener == '[' else '}'}', or put a value that starts with "
                f"'{opener}' in quotes",
            )
    return None


def _after_closing(f: _Failure) -> _Cause | None:
    """Text after a closing bracket or quote: the value ended before its writer meant it to."""
    if f.problem != "expected <block end>, but found '<scalar>'":
        return None
    token = _token_before(f.text, f.index)
    if isinstance(token, FlowSequenceEndToken | FlowMappingEndToken):
        return _after_bracket(f, token)
    if isinstance(token, ScalarToken) and token.style in {'"', "'"}:
        return _after_quote(f, token)
    return None


def _after_bracket(f: _Failure, token: Token) -> _Cause:
    """``[Entwurf] Nord``: a value that starts with '[' is a list, which ends at its ']'."""
    line = f.source(f.line)
    closer = "]" if isinstance(token, FlowSequenceEndToken) else "}"
    key = _key_match(line)
    value = _value_at(line, key.end() if key else _content_column(line))
    return _Cause(
        f.line,
        f.column,
        f"a value that starts with '{'[' if closer == ']' else '{'}' ends at its '{closer}' in "
        f"column {token.start_mark.column + 1}, and text follows; {_quote_advice(value)}",
    )


def _after_quote(f: _Failure, token: ScalarToken) -> _Cause:
    """Text after a closing quote: a quote closed lines later, an apostrophe, or more words."""
    start, end, quote = token.start_mark, token.end_mark, token.style
    if start.line < end.line:
        return _Cause(
            start.line,
            start.column,
            f"the {quote} in column {start.column + 1} opens a quoted text that closes only on "
            f"line {end.line + 1}; add the closing {quote} on this line",
        )
    written = _value_at(f.source(start.line), start.column)
    if f.text[end.index : end.index + 1] not in {" ", "\t"}:
        # The closing quote stands inside a word: an apostrophe, or a quotation mark.
        inner = written[1:-1] if len(written) > 1 and written.endswith(quote) else written[1:]
        doubled = "''" if quote == "'" else '\\"'
        return _Cause(
            start.line,
            end.column - 1,
            f"the {quote} in column {end.column} ends the quoted text; inside {quote}...{quote} "
            f"it is written {doubled}, or {_quote_advice(inner)}",
        )
    quoted = _quoted(written)
    return _Cause(
        f.line,
        f.column,
        f"the quoted text ends in column {end.column} and more text follows; quote the whole "
        f"value{': ' + quoted if quoted else ''}",
    )


def _colon_in_value(f: _Failure) -> _Cause | None:
    """``title: Stadt: Nord``: a ': ' inside an unquoted value would start a second key."""
    if f.problem != "mapping values are not allowed here":
        return None
    line = f.source(f.line)
    key = _key_match(line)
    if key is None or key.end() > f.column:
        return None
    value = line[key.end() :].split(" #", 1)[0].strip()
    return _Cause(
        f.line,
        f.column,
        f"a ': ' inside an unquoted value starts another key, so {_quote_advice(value)}",
    )


def _no_space_after_colon(f: _Failure) -> _Cause | None:
    """``kind:exchange`` is one text to YAML, not a key and its value."""
    if f.context == "while scanning a simple key" and f.problem == "could not find expected ':'":
        at = f.context_line
    elif f.problem == "mapping values are not allowed here":
        at = _previous_content(f.lines, f.line)  # the text went on to this line
    else:
        return None
    line = f.source(at).split(" #", 1)[0].rstrip()
    start = _content_column(line)
    match = _NO_SPACE.fullmatch(line, start)
    if at is None or match is None or ": " in match.group(2):
        return None
    key, value = match.groups()
    fixed = f"{key}: {value}"
    example = f": write {fixed!r}" if len(fixed) <= 60 else ""
    return _Cause(
        at,
        start + len(key),
        f"a ':' needs a space after it to separate key and value{example}",
    )


def _key_without_colon(f: _Failure) -> _Cause | None:
    """Text alone where a key belongs: a ':' left out, or a continuation indented too little."""
    if f.context != "while scanning a simple key" or f.context_column is None:
        return None
    if _key_match(f.source(f.context_line)):
        return None
    return _Cause(
        f.context_line or 0,
        f.context_column,
        f"the text in column {f.context_column + 1} stands where a key belongs, but no ': ' "
        "follows it; write 'key: value', or indent the text further if it continues the value "
        "above",
    )


def _indentation(f: _Failure) -> _Cause | None:
    """A key or list item indented deeper or shallower than the lines it belongs with."""
    above = _previous_content(f.lines, f.line)
    if above is None:
        return None
    line, previous = f.source(f.line), f.source(above)
    if f.problem == "mapping values are not allowed here":
        return _deeper(f, above)
    found = _BLOCK_END.fullmatch(f.problem)
    if found is None:
        return None
    if found.group(1) in {"-", "<block sequence start>"}:
        return _misaligned_item(f, above)
    column, previous_column = f.column, _content_column(previous)
    written = _KEY.match(line, column)
    key = written.group(1).strip() if written else line[column:].split(":", 1)[0].strip()
    previous_key = _key_match(previous)
    if column == previous_column or not key or len(key) > 40:
        return None
    beside_item = _indent(previous) == column and previous.lstrip().startswith("-")
    if beside_item and previous_key:
        hint = (
            f"the key '{key}' starts in column {column + 1}, under the '-' of line {above + 1}; "
            f"a key of that list item starts in column {previous_column + 1}, under "
            f"'{previous_key.group(1).strip()}'"
        )
    elif beside_item:
        hint = (
            f"the key '{key}' stands in the column of the list item on line {above + 1}; one "
            "block holds either keys or list items"
        )
    else:
        what = f"'{previous_key.group(1).strip()}'" if previous_key else "the text"
        hint = (
            f"the key '{key}' starts in column {column + 1}, but {what} on line {above + 1} "
            f"starts in column {previous_column + 1}; the keys of one mapping start in the "
            "same column"
        )
    return _Cause(f.line, column, hint)


def _indent(line: str) -> int:
    """Return how many spaces a line is indented by."""
    return len(line) - len(line.lstrip(" "))


def _deeper(f: _Failure, above: int) -> _Cause | None:
    """A line indented deeper than a ``key: value`` above it continues that value."""
    line, previous = f.source(f.line), f.source(above)
    column, previous_column = _indent(line), _content_column(previous)
    previous_key = _key_match(previous)
    if column <= previous_column:
        return None
    if previous_key and not previous[previous_key.end() :].split(" #", 1)[0].strip():
        return None  # a key with nothing after it opens a block: deeper lines belong in it
    what = f"'{previous_key.group(1).strip()}'" if previous_key else "the text"
    return _Cause(
        f.line,
        column,
        f"the line starts in column {column + 1}, deeper than {what} on line {above + 1} "
        f"(column {previous_column + 1}), so it continues that value, where ': ' is not "
        "allowed; line a key up with the keys above it, or quote a value holding ': '",
    )


def _misaligned_item(f: _Failure, above: int) -> _Cause | None:
    """A list item whose '-' is not in the column of the items above it."""
    column = f.column
    for at in range(above, -1, -1):
        line = f.source(at)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if _indent(line) < column and not line.lstrip().startswith("-"):
            break
        if line.lstrip().startswith("-") and _indent(line) != column:
            return _Cause(
                f.line,
                column,
                f"the '-' of this list item is in column {column + 1}, but the '-' on line "
                f"{at + 1} is in column {_indent(line) + 1}; the items of one list start in the "
                "same column",
            )
    key = _key_match(f.source(above))
    if key is None or _content_column(f.source(above)) != column:
        return None
    return _Cause(
        f.line,
        column,
        f"a list item in the column of the key '{key.group(1).strip()}' on line {above + 1}; "
        "one block holds either keys or list items, so indent the list under a key that ends "
        "with ':'",
    )


def _second_document(f: _Failure) -> _Cause | None:
    """A '---' line inside the file starts a second YAML document, which a scenario is not."""
    if not f.problem.endswith("but found another document"):
        return None
    return _Cause(
        f.line,
        f.column,
        "a scenario file is one YAML document, and this '---' starts another; remove the line",
    )


_DIAGNOSES = (
    _tab,
    _reserved_start,
    _alias_or_anchor,
    _block_indicator,
    _unclosed_quote,
    _bad_escape,
    _flow_colon,
    _flow_unclosed,
    _after_closing,
    _colon_in_value,
    _no_space_after_colon,
    _key_without_colon,
    _indentation,
    _second_document,
)
