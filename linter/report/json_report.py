"""``--format json``: one JSON document with every finding and the summary."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sagelint import __version__
from sagelint.findings import Finding
from sagelint.report import Summary

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO

    from sagelint.rule_api import Rule


class JsonReporter:
    def __init__(self, stream: IO[str], rules: Sequence[Rule]) -> None:
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

    def __init__(self, stream: IO[str], rules: Sequence[Rule]) -> None:
        self._stream = stream
        self._rules = {rule.code: rule for rule in rules}

    def finding(self, finding: Finding) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        rows = [
            {"code": code, "name": self._rules[code].name, "count": count}
            for code, count in sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
        ]
        json.dump(rows, self._stream, indent=2)
        self._stream.write("\n")
