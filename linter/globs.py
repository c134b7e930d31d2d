"""Globs compiled once: ``exclude`` and ``per-file-ignores`` may hold tens of thousands.

Globs are grouped by their literal prefix (the text before the first ``*``, ``?`` or ``[``; a
glob without wildcards is all prefix): a text can only match the globs whose prefix it starts
with, found by one dict lookup per prefix length. A group is tried as one regular expression
(the alternation of its globs as :func:`fnmatch.fnmatchcase` reads them), compiled the first
time a text reaches it; only a text that matches it is tried against each of the group's globs.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable

_WILDCARD = re.compile(r"[*?\[]")


class _Group:
    """The globs that share one literal prefix, by their index in the order given."""

    def __init__(self) -> None:
        self.indexes: list[int] = []
        self.globs: list[str] = []
        self._any: re.Pattern[str] | None = None
        self._each: list[re.Pattern[str]] = []

    def matching(self, text: str) -> list[int]:
        if self._any is None:
            self._any = re.compile("|".join(map(fnmatch.translate, self.globs)))
        if not self._any.match(text):
            return []
        if len(self.indexes) == 1:
            return self.indexes
        if not self._each:
            self._each = [re.compile(fnmatch.translate(glob)) for glob in self.globs]
        return [i for i, each in zip(self.indexes, self._each, strict=True) if each.match(text)]


def compile_globs(globs: Iterable[str]) -> Callable[[str], list[str]]:
    """A function of a text (a path with ``/``, or a name): the globs that match it, in the
    order given, each once. Matching is :func:`fnmatch.fnmatchcase`'s (``*`` matches ``/``)."""
    ordered = list(dict.fromkeys(globs))
    groups: dict[str, _Group] = {}
    for index, glob in enumerate(ordered):
        wildcard = _WILDCARD.search(glob)
        group = groups.setdefault(glob[: wildcard.start()] if wildcard else glob, _Group())
        group.indexes.append(index)
        group.globs.append(glob)
    lengths = sorted({len(prefix) for prefix in groups})

    def matching(text: str) -> list[str]:
        found: list[int] = []
        for length in lengths:
            if length > len(text):
                break
            group = groups.get(text[:length])
            if group is not None:
                found += group.matching(text)
        return [ordered[index] for index in sorted(found)]

    return matching
