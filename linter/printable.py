"""Text from documents, file names and AWS, made safe to print on a terminal or in a CI log.

A job name, a path, an S3 URI or an AWS error message may hold characters a terminal or a log
reader acts on: a newline that starts a line GitHub Actions reads as a workflow command, an ESC
that starts a terminal escape sequence, a BEL, a bidirectional override that shows text in
another order than it is, a lone surrogate (an undecodable byte of a file name). Every report
and every message passes such text through :func:`printable`, which writes each of them as the
escape Python would (``\\n``, ``\\x1b``, ``\\u202e``, ``\\udcff``).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, bidirectional and zero-width format characters, line and paragraph
# separators, the byte order mark, and surrogates.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_UNSAFE_BUT_TAB = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_UNSAFE_BUT_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def printable(text: str, *, keep_tabs: bool = False, keep_newlines: bool = False) -> str:
    """``text`` with every character a terminal or a log reader could act on escaped; tabs
    (and newlines, and tabs) kept when asked for: a source line, a document of many lines."""
    unsafe = _UNSAFE_BUT_LINES if keep_newlines else _UNSAFE_BUT_TAB if keep_tabs else UNSAFE
    return unsafe.sub(_escape, text) if unsafe.search(text) else text
