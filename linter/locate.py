"""Where a JSON pointer lands in the text it was parsed from: 1-based line and column.

Positions are only needed for findings, so nothing here runs while a document is parsed: the
JSON walker re-scans the text on demand with the C-accelerated scanner of the ``json`` module,
skipping the members it does not descend into. An object member is located at its key, an array
element at its first character; when the pointer goes further than the document does (a missing
field), the nearest enclosing value that exists is located instead.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

Position = tuple[int, int]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]  # C-accelerated


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


class LineIndex:
    """Maps character offsets of one text to (line, column), both 1-based."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._first_line = first_line

    def position(self, offset: int) -> Position:
        row = bisect_right(self._starts, offset) - 1
        return self._first_line + row, offset - self._starts[row] + 1


def _skip(text: str, at: int) -> int:
    match = _WHITESPACE.match(text, at)
    return match.end() if match else at


def _member(text: str, at: int, name: str) -> tuple[int, int] | None:
    """(key offset, value offset) of the last member called ``name`` of the object at ``at``."""
    found = None
    i = _skip(text, at + 1)
    if text.startswith("}", i):
        return None
    while text.startswith('"', i):
        key_at = i
        key, i = scanstring(text, i + 1)
        i = _skip(text, _skip(text, i) + 1)
        if key == name:
            found = key_at, i
        _, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if not text.startswith(",", i):
            break
        i = _skip(text, i + 1)
    return found


def _element(text: str, at: int, token: str) -> int | None:
    if not token.isdigit():
        return None
    wanted = int(token)
    i = _skip(text, at + 1)
    for index in range(wanted + 1):
        if text.startswith("]", i):
            return None
        if index == wanted:
            return i
        _, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if not text.startswith(",", i):
            return None
        i = _skip(text, i + 1)
    return None


def json_offset(text: str, start: int, tokens: Sequence[str]) -> int:
    """Offset in ``text`` of the value at ``tokens`` below the JSON value starting at ``start``."""
    located = value_at = start
    try:
        for token in tokens:
            opener = text[value_at : value_at + 1]
            if opener == "{":
                member = _member(text, value_at, token)
                if member is None:
                    break
                located, value_at = member
            elif opener == "[":
                element = _element(text, value_at, token)
                if element is None:
                    break
                located = value_at = element
            else:
                break
    except (ValueError, IndexError, RecursionError):
        pass
    return located


class JsonLocator:
    """Locates pointers inside one JSON value of a text (a whole file, an array element, a line)."""

    def __init__(self, text: str, start: int, lines: LineIndex) -> None:
        self._text = text
        self._start = start
        self._lines = lines

    def __call__(self, pointer: str) -> Position:
        return self._lines.position(json_offset(self._text, self._start, pointer_tokens(pointer)))

    def below(self, pointer: str) -> JsonLocator:
        """A locator for the value at ``pointer`` (e.g. the ``detail`` of an event)."""
        start = json_offset(self._text, self._start, pointer_tokens(pointer))
        if self._text.startswith('"', start):  # located at a key: move on to its value
            _, after_key = scanstring(self._text, start + 1)
            start = _skip(self._text, _skip(self._text, after_key) + 1)
        return JsonLocator(self._text, start, self._lines)


class YamlLocator:
    """Locates pointers in a composed YAML node tree (PyYAML marks are 0-based)."""

    def __init__(self, node: yaml.Node) -> None:
        self._node = node

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
        return YamlLocator(node)


def _yaml_child(node: Any, token: str) -> tuple[Any, Any] | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        found = None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and str(key.value) == token:
                found = key.start_mark, value
        return found
    if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        element = node.value[int(token)]
        return element.start_mark, element
    return None
