"""Findings as AWS Security Finding Format (ASFF) objects, exactly as Security Hub's
BatchImportFindings takes them: what ``--format asff`` prints and ``sagelint audit
--security-hub`` imports.

One ASFF finding per sagelint finding, about the job it was found in (its ARN is the resource):

- ``Id``: ``JOB-ARN/sagelint/CODE/DIGEST``, the digest a SHA-256 of the job's ARN, the rule's
  code and the JSON pointer (and, from the second finding of the same rule at the same pointer
  of a document on, its ordinal): what identifies a finding across runs, so that the same finding
  imported again updates the one Security Hub holds instead of adding another. Lines, columns
  and messages are left out: reformatting a file or a changed value keeps the Id. A request spec
  and the job later made from it have the same ARN (SageMaker lower-cases the name in it), so
  the same Id.
- ``ProductArn``: the account's default product, ``arn:PARTITION:securityhub:REGION:ACCOUNT:
  product/ACCOUNT/default``, in the job's account and region.
- ``GeneratorId``: ``sagelint/CODE``, one per rule; the ``sagelint/`` prefix is how sagelint
  finds its own findings again.
- ``Severity.Label``: error is HIGH, warning MEDIUM, info INFORMATIONAL (``Original`` keeps
  sagelint's word); also in ``FindingProviderFields``, where a finding provider updates it.
- ``Types`` (also in ``FindingProviderFields``), by family: security (SM1xx) and the training
  image (SM5xx) are "Software and Configuration Checks/AWS Security Best Practices"; the input
  itself (SM0xx), data channels (SM2xx), run time and cost (SM3xx), status (SM4xx) and rules of
  other families (plugins, policies) "Software and Configuration Checks", the namespace alone:
  they are about configuration, but no category of the ASFF taxonomy fits them.
- ``Title`` (at most 256 characters) the rule's code, name and summary; ``Description`` (at most
  1024) the finding's message and job, which never quote a value of ``HyperParameters`` or
  ``Environment``; ``Remediation.Recommendation`` the rule's "How to fix" section as plain text
  (at most 512) and its first reference that is a web page.
- ``Resources``: the job, ``Type`` ``Other`` (ASFF has no type for training jobs), its ARN,
  partition and region. ``Compliance.Status`` is ``FAILED``.
- ``ProductFields``: ``sagelint/Rule``, ``sagelint/RuleName``, ``sagelint/Pointer`` (when not
  the whole job) and, for a finding in a file, ``sagelint/Path``, ``sagelint/Line`` and
  ``sagelint/Column``.
- ``CreatedAt`` and ``UpdatedAt``: the run's time (RFC 3339, UTC, milliseconds).

Text that comes from a document or a plugin goes through :func:`sagelint.printable.printable`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sagelint.job import JobResource, partition
from sagelint.printable import printable

if TYPE_CHECKING:
    from sagelint.findings import Finding
    from sagelint.rule_api import Rule

SCHEMA_VERSION = "2018-10-08"
GENERATOR_PREFIX = "sagelint/"
FIELD_PREFIX = "sagelint/"
RULE_FIELD = FIELD_PREFIX + "Rule"
MAX_TITLE = 256
MAX_DESCRIPTION = 1024
MAX_REMEDIATION = 512
MAX_FIELD_VALUE = 2048  # ProductFields: at most 2048 characters a value
MAX_ID = 512
BATCH_SIZE = 100  # BatchImportFindings takes at most 100 findings a call
SEVERITY_LABELS = {"error": "HIGH", "warning": "MEDIUM", "info": "INFORMATIONAL"}
BEST_PRACTICES = "Software and Configuration Checks/AWS Security Best Practices"
CONFIGURATION = "Software and Configuration Checks"
TYPES_BY_FAMILY = {"SM1": BEST_PRACTICES, "SM5": BEST_PRACTICES}
_SECTION = re.compile(r"^## (.+?)\s*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")


def now() -> str:
    """The time, as ASFF timestamps write it: ``2026-12-05T14:22:03.512Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def product_arn(account: str, region: str) -> str:
    """The account's default product in ``region``: what its own findings are imported as."""
    return f"arn:{partition(region)}:securityhub:{region}:{account}:product/{account}/default"


def hub_arn(account: str, region: str) -> str:
    """The account's Security Hub in ``region``."""
    return f"arn:{partition(region)}:securityhub:{region}:{account}:hub/default"


def finding_id(job_arn: str, code: str, pointer: str, occurrence: int = 1) -> str:
    """The ASFF ``Id`` of the ``occurrence``-th finding of rule ``code`` at ``pointer`` of the
    job ``job_arn``: the same in every run that finds it."""
    key = "\x00".join((job_arn, code, pointer))
    if occurrence > 1:
        key += f"\x00{occurrence}"
    # surrogateescape: a pointer of a file name's bytes that are not UTF-8 keeps them
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    made = printable(f"{job_arn}/sagelint/{code}/{digest}")
    return made if len(made) <= MAX_ID else f"sagelint/{code}/{digest}"


def clip(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with ``...`` when longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def sections(doc: str) -> dict[str, str]:
    """A rule doc's ``## Heading`` sections, by heading in lower case."""
    parts = _SECTION.split(doc)
    return {
        title.strip().lower(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def plain_text(markdown: str) -> str:
    """Markdown as one line of plain text: code fences, backticks and emphasis dropped, links
    written as their text, whitespace collapsed."""
    lines = [line for line in markdown.splitlines() if not line.lstrip().startswith("```")]
    text = _LINK.sub(r"\1", " ".join(lines)).replace("`", "").replace("**", "")
    return " ".join(text.split())


def types(rule_code: str) -> list[str]:
    """The ASFF finding types of a rule, by its family."""
    return [TYPES_BY_FAMILY.get(rule_code[:3], CONFIGURATION)]


def title(code: str, rule: Rule | None) -> str:
    text = f"{code} {rule.name}: {rule.summary}" if rule else code
    return clip(printable(text), MAX_TITLE)


def remediation(rule: Rule | None) -> dict[str, Any] | None:
    """``Remediation``: the rule's "How to fix" as plain text, and its first web reference."""
    if rule is None:
        return None
    text = plain_text(sections(rule.doc).get("how to fix", ""))
    if not text:
        return None
    recommendation = {"Text": clip(printable(text), MAX_REMEDIATION)}
    url = next((ref for ref in rule.references if ref.startswith("https://")), None)
    if url is not None and not any(char.isspace() for char in url):
        recommendation["Url"] = url
    return {"Recommendation": recommendation}


def product_fields(finding: Finding, in_file: bool, rule: Rule | None) -> dict[str, str]:
    fields = {RULE_FIELD: finding.rule}
    if rule is not None:
        fields[FIELD_PREFIX + "RuleName"] = printable(rule.name)
    if finding.pointer:
        fields[FIELD_PREFIX + "Pointer"] = printable(finding.pointer)
    if in_file:
        fields[FIELD_PREFIX + "Path"] = printable(finding.path)
        fields[FIELD_PREFIX + "Line"] = str(finding.line)
        fields[FIELD_PREFIX + "Column"] = str(finding.column)
    return {key: clip(value, MAX_FIELD_VALUE) for key, value in fields.items()}


def asff_finding(
    finding: Finding,
    resource: JobResource,
    rule: Rule | None,
    at: str,
    occurrence: int = 1,
) -> dict[str, Any]:
    """The ASFF finding of ``finding``, about the job ``resource`` (whose ARN, account and
    region must be known), made at ``at`` (:func:`now`); ``occurrence`` counts the findings of
    the same rule at the same pointer of the job, from 1."""
    arn, account, region = resource.arn, resource.account, resource.region
    assert arn is not None and account is not None and region is not None
    description = f"{finding.message} ({finding.job})" if finding.job else finding.message
    severity = {"Label": SEVERITY_LABELS[finding.severity], "Original": finding.severity}
    kinds = types(finding.rule)
    made: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id(arn, finding.rule, finding.pointer, occurrence),
        "ProductArn": product_arn(account, region),
        "GeneratorId": GENERATOR_PREFIX + finding.rule,
        "AwsAccountId": account,
        "Types": kinds,
        "CreatedAt": at,
        "UpdatedAt": at,
        "Severity": severity,
        "Title": title(finding.rule, rule),
        "Description": clip(printable(description or finding.rule), MAX_DESCRIPTION),
        "Resources": [
            {
                "Type": "Other",
                "Id": printable(arn),
                "Partition": partition(region),
                "Region": region,
            }
        ],
        "Compliance": {"Status": "FAILED"},
        "ProductFields": product_fields(finding, finding.path != arn, rule),
        "RecordState": "ACTIVE",
        "FindingProviderFields": {"Severity": dict(severity), "Types": list(kinds)},
    }
    fix = remediation(rule)
    if fix is not None:
        made["Remediation"] = fix
    return made


class Occurrences:
    """Counts the findings of each rule at each pointer of one job document, so that two
    findings of one rule at one place get two Ids (the first keeps the plain one). The same job
    checked twice in a run (a spec and its describe response) gives the same Ids twice."""

    def __init__(self) -> None:
        self._seen: Counter[tuple[str, str]] = Counter()

    def next(self, finding: Finding) -> int:
        key = (finding.rule, finding.pointer)
        self._seen[key] += 1
        return self._seen[key]
