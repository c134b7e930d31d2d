"""Report formats. Each reporter gets the findings as they come, then the summary once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module
from typing import IO, Protocol

from linter.findings import Finding

FORMATS: dict[str, str] = {
    "text": "linter.reports.text:TextReporter",
    "json": "linter.reports.json_report:JsonReporter",
}


@dataclass
class Summary:
    jobs: int = 0
    files: int = 0
    by_rule: Counter[tuple[str, str]] = field(default_factory=Counter)  # (code, severity)
    exit_code: int = 0

    def add(self, finding: Finding) -> None:
        self.by_rule[finding.rule, finding.severity] += 1

    @property
    def by_severity(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (_, severity), count in self.by_rule.items():
            counts[severity] += count
        return counts

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())


class Reporter(Protocol):
    def finding(self, finding: Finding) -> None: ...

    def finish(self, summary: Summary) -> None: ...


class ReporterFactory(Protocol):
    def __call__(self, stream: IO[str], *, color: bool) -> Reporter: ...


def reporter(name: str, stream: IO[str], *, color: bool = False) -> Reporter:
    module, _, attribute = FORMATS[name].partition(":")
    factory: ReporterFactory = getattr(import_module(module), attribute)
    return factory(stream, color=color)
