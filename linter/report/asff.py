"""``--format asff``: the findings as a JSON array of AWS Security Finding Format objects, the
``Findings`` that Security Hub's BatchImportFindings takes (``aws securityhub
batch-import-findings --findings file://findings.json``, at most 100 a call). How each finding
is made is :mod:`sagelint.asff`'s.

Each finding needs its job's ARN, account and region: the engine tells the reporter of each job
it checks (:meth:`AsffReporter.document`, with the job's :class:`~sagelint.job.JobResource`)
before its findings. A DescribeTrainingJob response says all three; a request spec knows its
account from its ``RoleArn`` (else ``--account``), its region only from ``--region`` (or the
configuration's ``region``). A job whose ARN cannot be made is a :class:`ReportError`: one line,
exit 2, nothing written.

Input errors (SM000-SM004: a file that cannot be read, an AWS error) are about the run, not about
a job's configuration: they are not findings to import, so they go to standard error as the
text format writes them (and make the exit code 2, as in every format).
"""

from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Any

from sagelint.asff import Occurrences, asff_finding, now
from sagelint.document_rules import INPUT_ERROR_CODES
from sagelint.job import JobResource
from sagelint.printable import printable
from sagelint.report import ReportError, Summary
from sagelint.report.text import format_finding

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sagelint.findings import Finding
    from sagelint.rule_api import Rule

_OPTIONS = {"account": "--account ACCOUNT", "region": "--region REGION"}


def unnamed_job(path: str, name: str | None, resource: JobResource) -> str:
    """Why ``--format asff`` cannot name the job's resource, in one line, with what to pass."""
    where = f"{path} (job {name})" if name else path
    missing = resource.missing()
    if "name" in missing:
        return (
            f"{where}: --format asff needs the job's TrainingJobName, which this document does "
            "not give (the job's ARN, made of it, is each finding's resource)"
        )
    options = " and ".join(_OPTIONS[what] for what in missing)
    return (
        f"{where}: --format asff needs the job's {' and '.join(missing)}, which a request spec "
        f"does not say: pass {options}"
    )


class AsffReporter:
    def __init__(self, stream: IO[str], rules: Sequence[Rule]) -> None:
        self._stream = stream
        self._rules = {rule.code: rule for rule in rules}
        self._time = now()
        self._occurrences = Occurrences()
        self._findings: dict[str, dict[str, Any]] = {}  # by Id: a job checked twice, once
        self._job: tuple[str, str | None, JobResource] | None = None

    def document(self, path: str, job: str | None, resource: JobResource | None = None) -> None:
        """A job was checked (its findings follow): ``resource`` says where it lives in AWS."""
        resource = resource or JobResource.of_arn(path)
        if resource.arn is None:
            raise ReportError(printable(unnamed_job(path, job, resource)))
        self._job = (path, job, resource)
        self._occurrences = Occurrences()

    def finding(self, finding: Finding) -> None:
        if finding.rule in INPUT_ERROR_CODES:
            sys.stderr.write(format_finding(finding) + "\n")
            return
        resource = self._resource(finding)
        occurrence = self._occurrences.next(finding)
        rule = self._rules.get(finding.rule)
        made = asff_finding(finding, resource, rule, self._time, occurrence)
        self._findings[made["Id"]] = made

    def _resource(self, finding: Finding) -> JobResource:
        """The resource of the job ``finding`` is about: the job told last, or the job its path
        names (an audit's ARN) when the reporter was not told."""
        if self._job is not None and self._job[:2] == (finding.path, finding.job):
            return self._job[2]
        resource = JobResource.of_arn(finding.path)
        if resource.arn is None:
            raise ReportError(printable(unnamed_job(finding.path, finding.job, resource)))
        return resource

    def finish(self, summary: Summary) -> None:
        json.dump(list(self._findings.values()), self._stream, indent=2)
        self._stream.write("\n")
