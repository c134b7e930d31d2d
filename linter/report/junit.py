"""``--format junit``: JUnit XML, as GitLab, Jenkins and Azure DevOps display test reports.

A ``<testsuite>`` per file, a ``<testcase>`` per job (named after the job, or the file when the
job has no name; ``classname`` is the file path). A job with findings fails: one ``<failure>``
with a short summary as ``message``, the highest severity as ``type`` and one finding per line
(the text format) as its text. Input errors (a file that cannot be read or parsed, no job in it;
SM000-SM004) make an ``<error>`` instead.

Jobs without findings: findings alone do not tell which jobs passed. The reporter takes a
:meth:`JUnitReporter.document` call for every job checked (``path``, ``job``), before that job's
findings; with it every job gets its testcase. Without it the jobs that passed are counted in
one passing testcase, ``N jobs without findings``, so that a clean run is not an empty report
(which Jenkins fails by default).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import IO, TYPE_CHECKING

from sagelint.document_rules import INPUT_ERROR_CODES as INPUT_ERRORS
from sagelint.findings import SEVERITY_RANK, Finding
from sagelint.printable import printable
from sagelint.report import Summary, plural
from sagelint.report.sarif import is_file_path
from sagelint.report.text import format_finding

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sagelint.job import JobResource
    from sagelint.rule_api import Rule

# Characters XML 1.0 does not allow at all, not even as character references.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot carry written as ``\\xNN`` / ``\\uNNNN``."""
    return _NOT_XML.sub(lambda m: repr(m.group())[1:-1], text)


def xml_name(text: str) -> str:
    """A file or job name as an attribute: printable (it came from a document or a path)."""
    return xml_text(printable(text))


class _Case:
    def __init__(self, name: str) -> None:
        self.name = name
        self.findings: list[Finding] = []


class JUnitReporter:
    def __init__(self, stream: IO[str], rules: Sequence[Rule]) -> None:
        self._stream = stream
        self._rules = {rule.code: rule for rule in rules}
        self._files: dict[str, dict[str | None, _Case]] = {}
        self._documents_told = False

    def document(self, path: str, job: str | None, resource: JobResource | None = None) -> None:
        """A job was checked: it gets a testcase, a passing one unless findings follow."""
        self._documents_told = True
        self._case(path, job)

    def finding(self, finding: Finding) -> None:
        self._case(finding.path, finding.job).findings.append(finding)

    def _case(self, path: str, job: str | None) -> _Case:
        cases = self._files.setdefault(path, {})
        if job not in cases:
            name = job or ((PurePath(path).name or path) if is_file_path(path) else path)
            cases[job] = _Case(name)
        return cases[job]

    def finish(self, summary: Summary) -> None:
        root = ET.Element("testsuites", name="sagelint")
        totals = {"tests": 0, "failures": 0, "errors": 0}
        cases_with_jobs = 0
        for path, cases in self._files.items():
            suite = ET.SubElement(root, "testsuite", name=xml_name(path))
            counts = {"tests": 0, "failures": 0, "errors": 0}
            for job, case in cases.items():
                counts["tests"] += 1
                element = ET.SubElement(
                    suite,
                    "testcase",
                    name=xml_name(case.name),
                    classname=xml_name(path),
                    file=xml_name(path),
                )
                if job is not None or any(f.rule not in INPUT_ERRORS for f in case.findings):
                    cases_with_jobs += 1
                if case.findings:
                    tag, message, kind = self._outcome(case.findings)
                    counts["errors" if tag == "error" else "failures"] += 1
                    problem = ET.SubElement(
                        element, tag, message=xml_text(message), type=xml_text(kind)
                    )
                    problem.text = xml_text("\n".join(format_finding(f) for f in case.findings))
            self._count(suite, counts, totals)
        unseen = summary.jobs - cases_with_jobs
        if not self._documents_told and unseen > 0:
            # Without document() calls the jobs that passed are only known by their number.
            suite = ET.SubElement(root, "testsuite", name="sagelint")
            ET.SubElement(
                suite,
                "testcase",
                name=f"{plural(unseen, 'job')} without findings",
                classname="sagelint",
            )
            self._count(suite, {"tests": 1, "failures": 0, "errors": 0}, totals)
        for key, value in totals.items():
            root.set(key, str(value))
        ET.indent(root)
        # us-ascii: anything else becomes a character reference, whatever the stream's encoding.
        body = ET.tostring(root, encoding="us-ascii").decode("ascii")
        self._stream.write('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n")

    @staticmethod
    def _count(suite: ET.Element, counts: dict[str, int], totals: dict[str, int]) -> None:
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")

    def _outcome(self, findings: list[Finding]) -> tuple[str, str, str]:
        """(element, message, type) for a testcase's findings."""
        errors = [f for f in findings if f.rule in INPUT_ERRORS]
        if errors:
            first = errors[0]
            rule = self._rules.get(first.rule)
            kind = f"{first.rule} {rule.name}" if rule else first.rule
            more = f" (and {plural(len(findings) - 1, 'more finding')})" if findings[1:] else ""
            return "error", f"{first.rule}: {first.message}{more}", kind
        highest = max(findings, key=lambda f: SEVERITY_RANK[f.severity]).severity
        by_severity = [
            plural(count, severity)
            for severity in sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__, reverse=True)
            if (count := sum(f.severity == severity for f in findings))
        ]
        codes = ", ".join(dict.fromkeys(f.rule for f in findings))
        message = f"{plural(len(findings), 'finding')} ({', '.join(by_severity)}): {codes}"
        return "failure", message, highest
