"""Report formats. Each reporter gets the findings as they come, then the summary once."""

from __future__ import annotations

from collections import Counter
from importlib import import_module
from typing import TYPE_CHECKING

from sagelint.findings import SEVERITIES, Finding
from sagelint.printable import printable

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import IO, Protocol

    from sagelint.rule_api import Rule

FORMATS: dict[str, str] = {
    "text": "sagelint.report.text:TextReporter",
    "json": "sagelint.report.json_report:JsonReporter",
    "statistics": "sagelint.report.text:StatisticsReporter",
    "statistics-json": "sagelint.report.json_report:StatisticsJsonReporter",
    "sarif": "sagelint.report.sarif:SarifReporter",
    "junit": "sagelint.report.junit:JUnitReporter",
    "github": "sagelint.report.github:GithubReporter",
    "asff": "sagelint.report.asff:AsffReporter",
}


class ReportError(Exception):
    """A report that cannot be made of what was checked (``--format asff`` of a job whose ARN
    is not known): one line, exit code 2."""


class Summary:
    """What a run found and checked: counts, filled in as the findings come."""

    def __init__(self) -> None:
        self.jobs = 0
        self.files = 0
        self.by_rule: Counter[tuple[str, str]] = Counter()  # (code, severity)
        self.suppressed: Counter[str] = Counter()  # by reason: tag, baseline, ...
        self.exit_code = 0

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

    @property
    def by_code(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (code, _), count in self.by_rule.items():
            counts[code] += count
        return counts

    def describe(self) -> str:
        """``3 findings (1 error, 2 warnings) in 2 jobs from 2 files, 1 suppressed``."""
        checked = f"{plural(self.jobs, 'job')} from {plural(self.files, 'file')}"
        counts = self.by_severity
        parts = ", ".join(plural(counts[s], s) for s in reversed(SEVERITIES) if counts[s])
        text = f"{plural(self.total, 'finding')}{f' ({parts})' if parts else ''} in {checked}"
        if self.suppressed:
            reasons = ", ".join(f"{n} by {why}" for why, n in sorted(self.suppressed.items()))
            text += f"; {sum(self.suppressed.values())} suppressed ({reasons})"
        return text


def describe(finding: Finding) -> str:
    """A finding's message with its job, as every report says it: ``message (job)``, printable
    (:func:`sagelint.printable.printable`: the job's name and the message may come from the
    document or from AWS)."""
    text = f"{finding.message} ({finding.job})" if finding.job else finding.message
    return printable(text)


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 or noun == 'info' else 's'}"


if TYPE_CHECKING:  # what every reporter has; typing is not imported at run time

    class Reporter(Protocol):
        """Reporters may also take ``document(path, job, resource)``: the engine tells them of
        every job it checks, before its findings (JUnit lists the jobs without findings, ASFF
        needs each job's ARN). A reporter raises :class:`ReportError` when it cannot report."""

        def finding(self, finding: Finding) -> None: ...

        def finish(self, summary: Summary) -> None: ...

    class ReporterFactory(Protocol):
        def __call__(self, stream: IO[str], rules: Sequence[Rule], **style: bool) -> Reporter: ...


def reporter(name: str, stream: IO[str], rules: Sequence[Rule], **style: bool) -> Reporter:
    """The reporter of format ``name``, writing to ``stream``; ``rules`` are those the findings
    come from (the linter's: built-in, plugin and policy rules). ``style`` holds the keywords
    that format takes: ``color`` (text, statistics), ``quiet`` (text, github: no summary) and
    ``show_source`` (text)."""
    module, _, attribute = FORMATS[name].partition(":")
    factory: ReporterFactory = getattr(import_module(module), attribute)
    return factory(stream, rules, **style)
