"""Plain-text tables: the summary of the text report, ``--statistics`` and ``sagelint rules``.

Written here rather than with tabulate, whose import (it pulls in ``dataclasses`` and so
``inspect``) took longer than a whole one-file lint: columns two spaces apart, numbers right-
aligned, text left-aligned, and a dashed line under the headers when there are headers.
"""

from __future__ import annotations

from collections.abc import Sequence


def table(rows: Sequence[Sequence[object]], headers: Sequence[str] = ()) -> str:
    width = len(headers) or max((len(row) for row in rows), default=0)
    cells = [[str(value) for value in row] for row in rows]
    numeric = [bool(rows) and all(isinstance(row[i], int) for row in rows) for i in range(width)]
    widths = [
        max((len(text) for text in (*headers[i : i + 1], *(row[i] for row in cells))), default=0)
        for i in range(width)
    ]

    def line(texts: Sequence[str]) -> str:
        return "  ".join(
            text.rjust(size) if right else text.ljust(size)
            for text, size, right in zip(texts, widths, numeric, strict=True)
        ).rstrip()

    lines = [line(headers), line(["-" * size for size in widths])] if headers else []
    lines += [line(row) for row in cells]
    return "\n".join(lines)
