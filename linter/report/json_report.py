"""``--format json``: one JSON document with every finding and the summary."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sagelint import __version__
from sagelint.findings import Finding
from sagelint.report import Summary

if TYPE_CHECKING:
    from typing import IO


class JsonReporter:
    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._findings: list[Finding] = []

    def finding(self, finding: Finding) -> None:
        self._findings.append(finding)

    def finish(self, summary: Summary) -> None:
        document = {
            "version": __version__,
            "findings": [f.to_dict() for f in self._findings],
            "summary": {
                "jobs": summary.jobs,
                "files": summary.files,
                "findings": summary.total,
                "by_severity": dict(sorted(summary.by_severity.items())),
                "by_rule": dict(sorted(summary.by_code.items())),
                "suppressed": dict(sorted(summary.suppressed.items())),
                "exit_code": summary.exit_code,
            },
        }
        json.dump(document, self._stream, indent=2)
        self._stream.write("\n")


class StatisticsJsonReporter:
    """``--statistics --format json``: counts per rule as a JSON list."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def finding(self, finding: Finding) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        from sagelint.rules import RULES_BY_CODE

        rows = [
            {"code": code, "name": RULES_BY_CODE[code].name, "count": count}
            for code, count in sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
        ]
        json.dump(rows, self._stream, indent=2)
        self._stream.write("\n")
