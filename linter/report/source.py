"""``--show-source``: the line a finding points at, with a caret under its column.

Lines are read from the file when a finding needs them: one file is open at a time, and the
offsets of the lines read so far are kept, so a file's findings cost one pass over it however
many there are. A line longer than :data:`WINDOW` (a JSON Lines record) is shown as a window
around the column.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

WINDOW = 100  # characters of a long line shown around the column
_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16: not read back here


class SourceLines:
    def __init__(self) -> None:
        self._path: str | None = None
        self._file: IO[bytes] | None = None
        self._starts: list[int] = [0]  # offset of each line read so far

    def line(self, path: str, number: int) -> str | None:
        """Line ``number`` (1-based) of the file ``path``, None when there is no such line or
        the path names no readable file (standard input, an ARN)."""
        if path != self._path:
            self.close()
            self._path, self._file = path, _open(path)
        stream, starts = self._file, self._starts
        if stream is None or number < 1:
            return None
        stream.seek(starts[min(number, len(starts)) - 1])
        while len(starts) < number:  # on to the line, noting where each line starts
            if not stream.readline():
                return None
            starts.append(stream.tell())
        data = stream.readline()
        if not data:
            return None
        if len(starts) == number:
            starts.append(stream.tell())
        text = data.decode("utf-8", errors="replace").rstrip("\r\n")
        return text.removeprefix("\ufeff") if number == 1 else text

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._path, self._file, self._starts = None, None, [0]


def _open(path: str) -> IO[bytes] | None:
    """The file at ``path`` to read lines from; None for what is no file, or UTF-16."""
    try:
        file = Path(path)
        stream = file.open("rb") if file.is_file() else None
    except OSError:
        return None
    if stream is not None and stream.read(2) in _BOMS:
        stream.close()
        return None
    return stream


def excerpt(text: str, column: int, width: int = WINDOW) -> tuple[str, str]:
    """The source line (a window of it when longer than ``width``) and the caret line under
    ``column`` (1-based), tabs kept so that the caret lines up."""
    at = max(0, min(column - 1, len(text)))
    if len(text) > width:
        start = max(0, min(at - width // 2, len(text) - width))
        end = start + width
        shown = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
        at += (1 if start else 0) - start
        text = shown
    pad = "".join(char if char == "\t" else " " for char in text[:at])
    return text, pad + "^"
