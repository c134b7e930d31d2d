"""Where a JSON pointer lands in the text it was parsed from: 1-based line and column.

Positions are only needed for findings, so nothing here runs while a document is parsed: the
JSON walker re-scans the text on demand with the C-accelerated scanner of the ``json`` module,
skipping the members it does not descend into. An object member is located at its key, an array
element at its first character; when the pointer goes further than the document does (a missing
field), the nearest enclosing value that exists is located instead.
"""

from __future__ import annotations

import contextlib
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from sagelint.findings import Source

if TYPE_CHECKING:
    from typing import Any

    import yaml

Position = tuple[int, int]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
DECODER = json.JSONDecoder()


def skip_whitespace(text: str, at: int) -> int:
    """The offset of the first character at or after ``at`` that is not JSON whitespace."""
    return _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]


scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]  # C-accelerated
# The C scanner behind raw_decode: (value, offset after it) of the JSON value at an offset.
_scan_value: Any = DECODER.scan_once  # type: ignore[attr-defined]  # set in its __init__
# An object member's key (its text, escapes left as they are: no control characters, which
# JSON does not allow in a string) and the colon after it; then what follows a value: a comma
# (group 1) before the next member or element, or not.
_KEY = re.compile(r'"((?:[^"\\\x00-\x1f]|\\.)*)"[ \t\n\r]*:[ \t\n\r]*', re.DOTALL)
_AFTER_VALUE = re.compile(r"[ \t\n\r]*(,)?[ \t\n\r]*")


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def escape_token(token: str) -> str:
    """A key as an RFC 6901 pointer token."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


# --- keys that may be secrets ------------------------------------------------------------------
# A key of these maps is shown in messages and pointers only when it looks like a name: a key
# written as `password=...`, or holding a token, is replaced by `<key N>`, its place in the map.

SENSITIVE_MAPS = ("/HyperParameters", "/Environment")
_UNUSUAL = re.compile(r"[^A-Za-z0-9_.\-/]")
_LONG_RUN = re.compile(r"[A-Za-z0-9]{16,}")
_MASKED = re.compile(r"<key ([1-9][0-9]*)>")


def in_sensitive_map(parent: str) -> bool:
    """Whether the members of the object at ``parent`` are hyperparameters or environment."""
    return parent.endswith(SENSITIVE_MAPS)


def secret_shaped(key: str) -> bool:
    """A key that is not a plain name: too long, with characters names do not have (``=``,
    spaces, quotes), or with a long run of mixed letters and digits (an access key, a token)."""
    if len(key) > 64 or _UNUSUAL.search(key):
        return True
    return any(not run.isalpha() and not run.isdigit() for run in _LONG_RUN.findall(key))


def masked_key(ordinal: int) -> str:
    """The stand-in for the ``ordinal``-th (1-based) key of a map, in pointers and messages."""
    return f"<key {ordinal}>"


def _nth_key(keys: Iterable[Any], token: str) -> Any:
    """The key a ``<key N>`` token stands for, or None."""
    found = _MASKED.fullmatch(token)
    if found is None:
        return None
    wanted = int(found.group(1))
    for ordinal, key in enumerate(keys, start=1):
        if ordinal == wanted:
            return key
    return None


class LineIndex:
    """Maps character offsets of one text to (line, column), both 1-based.

    A text of up to ``COUNT_UP_TO`` characters counts its newlines for each position (a job
    document has a few findings); a longer one builds an index of its lines on first use.
    """

    COUNT_UP_TO = 1 << 16

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text = text
        self._starts: list[int] | None = None
        self._first_line = first_line

    def position(self, offset: int) -> Position:
        text = self._text
        if len(text) <= self.COUNT_UP_TO:
            line_start = text.rfind("\n", 0, offset) + 1
            return self._first_line + text.count("\n", 0, offset), offset - line_start + 1
        starts = self._line_starts()
        row = bisect_right(starts, offset) - 1
        return self._first_line + row, offset - starts[row] + 1

    def span(self, line: int) -> tuple[int, int]:
        """The offsets of the start and the end of ``line`` (its newline left out)."""
        starts = self._line_starts()
        row = min(max(line - self._first_line, 0), len(starts) - 1)
        end = starts[row + 1] - 1 if row + 1 < len(starts) else len(self._text)
        return starts[row], max(starts[row], end)

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            # The offset after each "\n": the running sum of the lines' lengths, newline included.
            lengths = map((1).__add__, map(len, self._text.split("\n")))
            self._starts = list(accumulate(lengths, initial=0))
        return self._starts

    @property
    def text(self) -> str:
        return self._text


class Scanner:
    """Finds members and elements of the containers of one JSON text.

    Each container is scanned once, the first time a pointer goes through it, and its members'
    offsets are kept: a document's findings mostly share their first steps. The loader parses a
    document's top-level object with :meth:`read_object`, which keeps them from the start.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._objects: dict[int, dict[str, tuple[int, int]]] = {}
        self._arrays: dict[int, list[int]] = {}

    def read_object(
        self, at: int, scan_value: Callable[[str, int], tuple[Any, int]]
    ) -> tuple[dict[str, Any], int, bool]:
        """Parse the object at ``at`` a member at a time, each value with ``scan_value`` (a JSON
        scanner: the value at an offset and the offset after it), keeping the members' offsets.

        The object, the offset after it, and whether a key is repeated (the last value wins, as
        in the json module). Raises ValueError or StopIteration where the text is not a valid
        object: the caller parses it again with the json module, for its error message.
        """
        text = self.text
        value: dict[str, Any] = {}
        offsets: dict[str, tuple[int, int]] = {}
        repeated = False
        i = skip_whitespace(text, at + 1)
        if not text.startswith("}", i):
            while True:
                found = _KEY.match(text, i)
                if found is None:
                    raise ValueError(i)
                key, value_at = found.group(1), found.end()
                if "\\" in key:
                    key = scanstring(text, i + 1, True)[0]
                member, end = scan_value(text, value_at)
                repeated = repeated or key in value
                value[key] = member
                offsets[key] = i, value_at
                after = _AFTER_VALUE.match(text, end)
                assert after is not None  # every part of it is optional
                i = after.end()
                if after.group(1) is None:
                    break
            if not text.startswith("}", i):
                raise ValueError(i)
        self._objects[at] = offsets
        return value, i + 1, repeated

    def members(self, at: int) -> dict[str, tuple[int, int]]:
        """key -> (key offset, value offset) of the object at ``at`` (the last of a duplicate)."""
        found = self._objects.get(at)
        if found is not None:
            return found
        text, found = self.text, {}
        i = skip_whitespace(text, at + 1)
        while (key := _KEY.match(text, i)) is not None:
            name = key.group(1)
            if "\\" in name:
                name = scanstring(text, i + 1)[0]
            found[name] = i, key.end()
            after = _AFTER_VALUE.match(text, _scan_value(text, key.end())[1])
            if after is None or after.group(1) is None:
                break
            i = after.end()
        self._objects[at] = found
        return found

    def elements(self, at: int) -> list[int]:
        """Offsets of the elements of the array at ``at``."""
        found = self._arrays.get(at)
        if found is not None:
            return found
        text, found = self.text, []
        i = skip_whitespace(text, at + 1)
        while not text.startswith("]", i) and i < len(text):
            found.append(i)
            after = _AFTER_VALUE.match(text, _scan_value(text, i)[1])
            if after is None or after.group(1) is None:
                break
            i = after.end()
        self._arrays[at] = found
        return found

    def value_span(self, start: int, tokens: Sequence[str]) -> tuple[int, int] | None:
        """The offsets of the start and the end of the value at ``tokens`` below the JSON value
        at ``start``; None when there is none."""
        text, value_at = self.text, start
        try:
            for token in tokens:
                opener = text[value_at : value_at + 1]
                if opener == "{" and token in (members := self.members(value_at)):
                    value_at = members[token][1]
                elif (
                    opener == "[" and token.isdigit() and int(token) < len(self.elements(value_at))
                ):
                    value_at = self.elements(value_at)[int(token)]
                else:
                    return None
            return value_at, _scan_value(text, value_at)[1]
        except (ValueError, IndexError, RecursionError, StopIteration):
            return None

    def offset(self, start: int, tokens: Sequence[str]) -> int:
        """Offset of the value at ``tokens`` below the JSON value starting at ``start``."""
        text = self.text
        located = value_at = start
        try:
            for token in tokens:
                opener = text[value_at : value_at + 1]
                if opener == "{":
                    members = self.members(value_at)
                    member = members.get(token)
                    if member is None:
                        member = members.get(_nth_key(members, token))
                    if member is None:
                        break
                    located, value_at = member
                elif opener == "[" and token.isdigit():
                    elements = self.elements(value_at)
                    if int(token) >= len(elements):
                        break
                    located = value_at = elements[int(token)]
                else:
                    break
        except (ValueError, IndexError, RecursionError, StopIteration):
            pass
        return located


class Locator:
    """Where a pointer into one document lands in the text it was read from, and the source line
    at a position with the values of the sensitive maps masked. This base knows no text (a
    document held in memory, or read from AWS): everything is at 1:1, with no source line."""

    def __call__(self, pointer: str) -> Position:
        return 1, 1

    def below(self, pointer: str) -> Locator:
        """A locator for the value at ``pointer`` (e.g. the ``detail`` of an event)."""
        return self

    def embedded(self, pointer: str) -> Locator:
        """A locator for a document read from the string at ``pointer`` (a definition embedded
        as JSON text): everything in it is at that string's property, and a source line shows
        none of the string."""
        return EmbeddedLocator(self, pointer)

    def source(self, position: Position, masked: Sequence[str] = SENSITIVE_MAPS) -> Source | None:
        """The line at ``position`` (a window of it around the column when it is long), with
        every character of the values at ``masked`` (the HyperParameters and Environment maps)
        masked; None without text."""
        return None


class EmbeddedLocator(Locator):
    """See :meth:`Locator.embedded`."""

    def __init__(self, outer: Locator, pointer: str) -> None:
        self._outer, self._pointer = outer, pointer

    def __call__(self, pointer: str) -> Position:
        return self._outer(self._pointer)

    def source(self, position: Position, masked: Sequence[str] = SENSITIVE_MAPS) -> Source | None:
        return self._outer.source(position, (self._pointer,))


class RenamedLocator(Locator):
    """Locates the pointers of a document whose file writes its members under other names
    (a Terraform plan): ``rename`` maps a pointer into the document to one into the file."""

    def __init__(self, inner: Locator, rename: Callable[[str], str]) -> None:
        self._inner, self._rename = inner, rename

    def __call__(self, pointer: str) -> Position:
        return self._inner(self._rename(pointer))

    def source(self, position: Position, masked: Sequence[str] = SENSITIVE_MAPS) -> Source | None:
        return self._inner.source(position, [self._rename(name) for name in masked])


NOWHERE = Locator()


class JsonLocator(Locator):
    """Locates pointers inside one JSON value of a text (a whole file, an array element, a line)."""

    def __init__(self, text: str | Scanner, start: int, lines: LineIndex) -> None:
        self._scanner = text if isinstance(text, Scanner) else Scanner(text)
        self._start = start
        self._lines = lines

    def __call__(self, pointer: str) -> Position:
        return self._lines.position(self._scanner.offset(self._start, pointer_tokens(pointer)))

    def at(self, offset: int) -> JsonLocator:
        """A locator for the value at ``offset`` of the same text, sharing what was scanned."""
        return JsonLocator(self._scanner, offset, self._lines)

    def below(self, pointer: str) -> JsonLocator:
        scanner = self._scanner
        start = scanner.offset(self._start, pointer_tokens(pointer))
        if scanner.text.startswith('"', start):  # located at a key: move on to its value
            _, after_key = scanstring(scanner.text, start + 1)
            start = skip_whitespace(scanner.text, skip_whitespace(scanner.text, after_key) + 1)
        return JsonLocator(scanner, start, self._lines)

    def source(self, position: Position, masked: Sequence[str] = SENSITIVE_MAPS) -> Source | None:
        spans = [
            span
            for name in masked
            if (span := self._scanner.value_span(self._start, pointer_tokens(name))) is not None
        ]
        return masked_source(self._lines, position, spans)


class YamlLocator(Locator):
    """Locates pointers in a composed YAML node tree (PyYAML marks are 0-based, in characters)."""

    def __init__(self, node: yaml.Node, lines: LineIndex) -> None:
        self._node = node
        self._lines = lines

    def __call__(self, pointer: str) -> Position:
        mark = self._node.start_mark
        node: Any = self._node
        for token in pointer_tokens(pointer):
            child = _yaml_child(node, token)
            if child is None:
                break
            mark, node = child
        return mark.line + 1, mark.column + 1

    def below(self, pointer: str) -> YamlLocator:
        node: Any = self._node
        for token in pointer_tokens(pointer):
            child = _yaml_child(node, token)
            if child is None:
                break
            node = child[1]
        return YamlLocator(node, self._lines)

    def source(self, position: Position, masked: Sequence[str] = SENSITIVE_MAPS) -> Source | None:
        spans = []
        for name in masked:
            node: Any = self._node
            for token in pointer_tokens(name):
                child = _yaml_child(node, token)
                if child is None:
                    break
                node = child[1]
            else:
                spans.append((node.start_mark.index, node.end_mark.index))
        return masked_source(self._lines, position, spans)


WINDOW = 100  # characters of a long source line shown around the column


def masked_source(lines: LineIndex, position: Position, spans: list[tuple[int, int]]) -> Source:
    """The line of ``lines`` at ``position`` with the characters inside ``spans`` (offsets into
    its text) masked, white space left as it is, cut to a window of ``WINDOW`` characters around
    the column."""
    line, column = position
    start, end = lines.span(line)
    at = min(start + max(column - 1, 0), end)
    low, high = start, end
    if end - start > WINDOW:
        low = max(start, min(at - WINDOW // 2, end - WINDOW))
        high = low + WINDOW
    shown = list(lines.text[low:high])
    for span_start, span_end in spans:
        for offset in range(max(span_start, low), min(span_end, high)):
            if not shown[offset - low].isspace():
                shown[offset - low] = "*"
    text = "".join(shown)
    before = "…" if low > start else ""
    return Source(before + text + ("…" if high < end else ""), at - low + 1 + len(before))


def _yaml_child(node: Any, token: str) -> tuple[Any, Any] | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        found = None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and str(key.value) == token:
                found = key.start_mark, value
        if found is None:
            names = {str(k.value): None for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
            nth = _nth_key(names, token)
            if nth is not None:
                return _yaml_child(node, nth)
        return found
    if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        element = node.value[int(token)]
        return element.start_mark, element
    return None


# --- duplicate keys (looked for only in a document the parser saw one in) ---------------------


class Duplicate(NamedTuple):
    """A key given again in the same object: the last one is used, the first is lost."""

    pointer: str  # of the member (its key masked in a sensitive map)
    key: str | None  # None when masked
    first: Position
    again: Position


def json_duplicates(text: str, start: int, lines: LineIndex) -> list[Duplicate]:
    """The repeated keys of the JSON value at ``start``, in the order of the text."""
    found: list[Duplicate] = []
    with contextlib.suppress(RecursionError, ValueError, IndexError):  # it was parsed, though
        _walk_json(text, start, "", lines, found)
    return found


def _member(pointer: str, key: str, ordinal: int) -> tuple[str, str | None]:
    """The pointer of a member and the key to show (None: masked)."""
    if in_sensitive_map(pointer) and secret_shaped(key):
        return f"{pointer}/{masked_key(ordinal)}", None
    return f"{pointer}/{escape_token(key)}", key


def _walk_json(text: str, at: int, pointer: str, lines: LineIndex, found: list[Duplicate]) -> int:
    """Record the duplicates below the value at ``at``; the offset just after the value."""
    opener = text[at : at + 1]
    if opener == "{":
        seen: dict[str, tuple[int, int]] = {}  # key -> (ordinal, offset of its first occurrence)
        i = skip_whitespace(text, at + 1)
        while text.startswith('"', i):
            key_at = i
            key, i = scanstring(text, i + 1)
            i = skip_whitespace(text, skip_whitespace(text, i) + 1)
            first = seen.get(key)
            if first is None:
                first = seen[key] = (len(seen) + 1, key_at)
            member, shown = _member(pointer, key, first[0])
            if first[1] != key_at:
                found.append(
                    Duplicate(member, shown, lines.position(first[1]), lines.position(key_at))
                )
            i = skip_whitespace(text, _walk_json(text, i, member, lines, found))
            if not text.startswith(",", i):
                break
            i = skip_whitespace(text, i + 1)
        return i + 1
    if opener == "[":
        index = 0
        i = skip_whitespace(text, at + 1)
        while i < len(text) and not text.startswith("]", i):
            i = skip_whitespace(text, _walk_json(text, i, f"{pointer}/{index}", lines, found))
            index += 1
            if not text.startswith(",", i):
                break
            i = skip_whitespace(text, i + 1)
        return i + 1
    end: int = DECODER.raw_decode(text, at)[1]
    return end


_MERGE = "tag:yaml.org,2002:merge"


def yaml_duplicates(root: yaml.Node) -> list[Duplicate]:
    """The repeated keys of a composed YAML document (before construction, which merges
    ``<<`` keys in); each node is visited once, however many aliases point at it."""
    import yaml

    found: list[Duplicate] = []
    visited: set[int] = set()
    pending: list[tuple[Any, str]] = [(root, "")]
    while pending:
        node, pointer = pending.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            pending.extend((item, f"{pointer}/{i}") for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            ordinals: dict[str, int] = {}
            first_at: dict[tuple[str, str], Any] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE:
                    continue
                name = str(key.value)
                ordinal = ordinals.setdefault(name, len(ordinals) + 1)
                member, shown = _member(pointer, name, ordinal)
                first: Any = first_at.setdefault((key.tag, name), key.start_mark)
                if first is not key.start_mark:
                    found.append(
                        Duplicate(
                            member,
                            shown,
                            (first.line + 1, first.column + 1),
                            (key.start_mark.line + 1, key.start_mark.column + 1),
                        )
                    )
                pending.append((value, member))
    found.sort(key=lambda duplicate: duplicate.again)
    return found
