"""The default report: one line per finding, then a table of counts by rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sagelint.findings import Finding
from sagelint.report import Summary

if TYPE_CHECKING:
    from typing import IO

_COLORS = {"error": "31", "warning": "33", "info": "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def format_finding(finding: Finding, *, color: bool = False) -> str:
    """``path:line:col: CODE [severity] message (job)``."""
    where = _paint(f"{finding.path}:{finding.line}:{finding.column}:", "1", color)
    code = _paint(finding.rule, "1;" + _COLORS[finding.severity], color)
    severity = _paint(f"[{finding.severity}]", _COLORS[finding.severity], color)
    job = f" ({finding.job})" if finding.job else ""
    return f"{where} {code} {severity} {finding.message}{job}"


class TextReporter:
    def __init__(self, stream: IO[str], *, color: bool = False) -> None:
        self._stream = stream
        self._color = color

    def finding(self, finding: Finding) -> None:
        self._stream.write(format_finding(finding, color=self._color) + "\n")

    def finish(self, summary: Summary) -> None:
        write = self._stream.write
        if not summary.total:
            checked = summary.describe().replace("0 findings in ", "", 1)
            write(_paint(f"All checks passed: {checked}.", "32", self._color) + "\n")
            return
        from sagelint.report.table import table
        from sagelint.rules import RULES_BY_CODE

        rows = [
            (code, RULES_BY_CODE[code].name, severity, count)
            for (code, severity), count in sorted(summary.by_rule.items())
        ]
        write("\n" + table(rows, ("rule", "name", "severity", "count")) + "\n")
        write(f"\nFound {summary.describe()}.\n")


class StatisticsReporter:
    """``--statistics``: the number of findings per rule, most frequent first (like ruff)."""

    def __init__(self, stream: IO[str], *, color: bool = False) -> None:
        self._stream = stream

    def finding(self, finding: Finding) -> None:
        pass  # counted in the summary

    def finish(self, summary: Summary) -> None:
        from sagelint.report.table import table
        from sagelint.rules import RULES_BY_CODE

        rows = [
            (count, code, RULES_BY_CODE[code].name, RULES_BY_CODE[code].severity)
            for code, count in sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
        ]
        if rows:
            self._stream.write(table(rows) + "\n")
        self._stream.write(f"Found {summary.describe()}.\n")
