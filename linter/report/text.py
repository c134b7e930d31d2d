"""The default report: one line per finding, then a table of counts by rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sagelint.findings import Finding, Source
from sagelint.printable import printable
from sagelint.report import Summary, describe

if TYPE_CHECKING:
    from typing import IO

    from sagelint.rule_api import Rule

_COLORS = {"error": "31", "warning": "33", "info": "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def format_finding(finding: Finding, *, color: bool = False) -> str:
    """``path:line:col: CODE [severity] message (job)``."""
    where = _paint(f"{printable(finding.path)}:{finding.line}:{finding.column}:", "1", color)
    code = _paint(finding.rule, "1;" + _COLORS[finding.severity], color)
    severity = _paint(f"[{finding.severity}]", _COLORS[finding.severity], color)
    return f"{where} {code} {severity} {describe(finding)}"


def table(rows: Sequence[Sequence[object]], headers: Sequence[str] = (), *, wrap: int) -> str:
    """``rows`` as a plain table (tabulate's ``simple``, or ``plain`` without headers) that fits
    the terminal: the text of column ``wrap`` is wrapped when the table would be wider."""
    import shutil

    from tabulate import tabulate

    width = shutil.get_terminal_size().columns
    # tabulate makes a column at least 2 wider than its header
    natural = [
        max(len(headers[i]) + 2 if headers else 0, *(len(str(row[i])) for row in rows))
        for i in range(len(rows[0]))
    ]
    others = sum(natural) - natural[wrap] + 2 * (len(natural) - 1)
    limits: list[int | None] = [None] * len(natural)
    if others + natural[wrap] > width:
        limits[wrap] = max(16, width - others)
    text = tabulate(rows, headers, tablefmt="simple" if headers else "plain", maxcolwidths=limits)
    return "\n".join(line.rstrip() for line in text.splitlines())


class TextReporter:
    def __init__(
        self,
        stream: IO[str],
        rules: Sequence[Rule],
        *,
        color: bool = False,
        quiet: bool = False,
        show_source: bool = False,
    ) -> None:
        self._stream = stream
        self._rules = {rule.code: rule for rule in rules}
        self._color = color
        self._quiet = quiet
        self._show_source = show_source

    def finding(self, finding: Finding) -> None:
        self._stream.write(format_finding(finding, color=self._color) + "\n")
        if self._show_source and finding.source is not None:
            self._source(finding, finding.source)

    def _source(self, finding: Finding, source: Source) -> None:
        """The source line (its secrets masked by the loader, printable here) and a caret under
        the column: tabs are kept, so that the caret lines up under them."""
        before = printable(source.text[: source.column - 1], keep_tabs=True)
        shown = before + printable(source.text[source.column - 1 :], keep_tabs=True)
        pad = "".join(char if char == "\t" else " " for char in before)
        gutter = " " * len(str(finding.line))
        caret = _paint(pad + "^", "1;" + _COLORS[finding.severity], self._color)
        self._stream.write(f"{gutter} |\n{finding.line} | {shown}\n{gutter} | {caret}\n\n")

    def finish(self, summary: Summary) -> None:
        if self._quiet:
            return
        write = self._stream.write
        if not summary.total:
            checked = summary.describe().replace("0 findings in ", "", 1)
            write(_paint(f"All checks passed: {checked}.", "32", self._color) + "\n")
            return
        rows = [
            (code, self._rules[code].name, severity, count)
            for (code, severity), count in sorted(summary.by_rule.items())
        ]
        write("\n" + table(rows, ("rule", "name", "severity", "count"), wrap=1) + "\n")
        write(f"\nFound {summary.describe()}.\n")


class StatisticsReporter:
    """``--statistics``: the number of findings per rule, most frequent first (like ruff)."""

    def __init__(self, stream: IO[str], rules: Sequence[Rule]) -> None:
        self._stream = stream
        self._rules = {rule.code: rule for rule in rules}

    def finding(self, finding: Finding) -> None:
        pass  # counted in the summary

    def finish(self, summary: Summary) -> None:
        rows = [
            (count, code, self._rules[code].name, self._rules[code].severity)
            for code, count in sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
        ]
        if rows:
            self._stream.write(table(rows, wrap=2) + "\n")
        self._stream.write(f"Found {summary.describe()}.\n")
