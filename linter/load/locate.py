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
from typing import TYPE_CHECKING

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


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


class LineIndex:
    """Maps character offsets of one text to (line, column), both 1-based; built on first use."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text = text
        self._starts: list[int] | None = None
        self._first_line = first_line

    def position(self, offset: int) -> Position:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self._text))]
        row = bisect_right(self._starts, offset) - 1
        return self._first_line + row, offset - self._starts[row] + 1


class _Scanner:
    """Finds members and elements of the containers of one JSON text.

    Each container is scanned once, the first time a pointer goes through it, and its members'
    offsets are kept: a document's findings mostly share their first steps.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._objects: dict[int, dict[str, tuple[int, int]]] = {}
        self._arrays: dict[int, list[int]] = {}

    def _skip(self, at: int) -> int:
        return skip_whitespace(self.text, at)

    def members(self, at: int) -> dict[str, tuple[int, int]]:
        """key -> (key offset, value offset) of the object at ``at`` (the last of a duplicate)."""
        found = self._objects.get(at)
        if found is not None:
            return found
        text, found = self.text, {}
        i = self._skip(at + 1)
        while text.startswith('"', i):
            key_at = i
            key, i = scanstring(text, i + 1)
            i = self._skip(self._skip(i) + 1)
            found[key] = key_at, i
            _, i = DECODER.raw_decode(text, i)
            i = self._skip(i)
            if not text.startswith(",", i):
                break
            i = self._skip(i + 1)
        self._objects[at] = found
        return found

    def elements(self, at: int) -> list[int]:
        """Offsets of the elements of the array at ``at``."""
        found = self._arrays.get(at)
        if found is not None:
            return found
        text, found = self.text, []
        i = self._skip(at + 1)
        while not text.startswith("]", i) and i < len(text):
            found.append(i)
            _, i = DECODER.raw_decode(text, i)
            i = self._skip(i)
            if not text.startswith(",", i):
                break
            i = self._skip(i + 1)
        self._arrays[at] = found
        return found

    def offset(self, start: int, tokens: Sequence[str]) -> int:
        """Offset of the value at ``tokens`` below the JSON value starting at ``start``."""
        text = self.text
        located = value_at = start
        try:
            for token in tokens:
                opener = text[value_at : value_at + 1]
                if opener == "{":
                    member = self.members(value_at).get(token)
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
        except (ValueError, IndexError, RecursionError):
            pass
        return located


class JsonLocator:
    """Locates pointers inside one JSON value of a text (a whole file, an array element, a line)."""

    def __init__(self, text: str | _Scanner, start: int, lines: LineIndex) -> None:
        self._scanner = text if isinstance(text, _Scanner) else _Scanner(text)
        self._start = start
        self._lines = lines

    def __call__(self, pointer: str) -> Position:
        return self._lines.position(self._scanner.offset(self._start, pointer_tokens(pointer)))

    def at(self, offset: int) -> JsonLocator:
        """A locator for the value at ``offset`` of the same text, sharing what was scanned."""
        return JsonLocator(self._scanner, offset, self._lines)

    def below(self, pointer: str) -> JsonLocator:
        """A locator for the value at ``pointer`` (e.g. the ``detail`` of an event)."""
        scanner = self._scanner
        start = scanner.offset(self._start, pointer_tokens(pointer))
        if scanner.text.startswith('"', start):  # located at a key: move on to its value
            _, after_key = scanstring(scanner.text, start + 1)
            start = scanner._skip(scanner._skip(after_key) + 1)
        return JsonLocator(scanner, start, self._lines)


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
