"""``sagelint audit --security-hub``: the audit's findings imported into the Security Hub of each
account and region audited, as ASFF (:mod:`sagelint.asff`), and the findings sagelint imported
earlier that this run no longer produces archived.

After the audit, for each account and region where jobs were checked:

1. GetFindings lists the ACTIVE findings of the account's default product whose GeneratorId
   starts with ``sagelint/``, keeping those of the jobs this run checked (Security Hub is asked
   for those jobs' alone when they are 20 or fewer: the Lambda function's one job). A finding
   found again keeps its ``CreatedAt`` and ``FirstObservedAt``.
2. BatchImportFindings imports this run's findings, 100 a call (the API's limit); the findings
   a call answers as failed are sent again (:mod:`sagelint.aws.hub_calls`).
3. A listed finding of a job this run checked, of a rule this run checked, that this run did not
   produce (the job was fixed, the finding suppressed by a tag or the baseline) is imported
   again with ``RecordState: ARCHIVED``. Jobs this run did not check (outside ``--since``,
   ``--max-jobs``, ``--name-contains``, deleted, not described) and rules it did not check (not
   selected; the S3-aware rules with ``--no-s3``) are left as they are; so is every finding of a
   job with an AWS error in this run (its check may be incomplete), and every finding when the
   audit read no tags (``--no-tags``: a rule that reads tags cannot say what it would find).

The findings, not the jobs, are held until the audit is over. What fails is one SM004 on the
account's hub (``arn:aws:securityhub:REGION:ACCOUNT:hub/default``) per account and region and
step, and the exit code 2; the audit's findings are reported all the same. Input errors
(SM000-SM004) are about the run, not the jobs: they are never imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sagelint.asff import FIELD_PREFIX, Occurrences, asff_finding, finding_id, hub_arn, now
from sagelint.asff import product_arn as default_product
from sagelint.aws.errors import describe_error, is_aws_error
from sagelint.aws.hub_calls import (
    FILTER_VALUES,
    import_findings,
    list_findings,
    resource_id,
    rule_code,
)
from sagelint.document_rules import AWS_ERROR, INPUT_ERROR_CODES
from sagelint.findings import Finding

if TYPE_CHECKING:
    from sagelint.aws.connect import Clients, Target
    from sagelint.job import JobResource
    from sagelint.rule_api import Rule

# What an earlier finding is kept of: what importing it again as ARCHIVED needs (the members
# BatchImportFindings requires, and ours), and its first sighting.
_KEPT = (
    "SchemaVersion",
    "Id",
    "ProductArn",
    "GeneratorId",
    "AwsAccountId",
    "CreatedAt",
    "FirstObservedAt",
    "Title",
    "Description",
    "Resources",
)


class _Found(NamedTuple):
    finding: Finding
    resource: JobResource
    occurrence: int


@dataclass
class _Hub:
    """One account and region: this run's findings there (by ASFF Id), and its jobs checked."""

    account: str
    region: str
    findings: dict[str, _Found] = field(default_factory=dict)
    jobs: set[str] = field(default_factory=set)


class SecurityHubExport:
    """Collects the audit's findings per account and region (:meth:`checked`, :meth:`reported`)
    and imports them when the audit is over (:meth:`publish`).

    ``rules`` are the linter's (for titles and remediation); ``archived_rules`` the codes of the
    rules this run checked, whose earlier findings it may archive (None: archive nothing).
    ``read_earlier`` False: no GetFindings, so nothing archived and every finding first seen
    now (the Lambda function on a job's events before it ends: GetFindings allows 3 calls a
    second per account and region)."""

    def __init__(
        self,
        rules: Sequence[Rule],
        archived_rules: Iterable[str] | None,
        read_earlier: bool = True,
    ) -> None:
        self._rules = {rule.code: rule for rule in rules}
        self._archived_rules = None if archived_rules is None else frozenset(archived_rules)
        self._read_earlier = read_earlier
        self._at = now()
        self._hubs: dict[tuple[str, str], _Hub] = {}
        self._incomplete: set[str] = set()  # ARNs of jobs with an AWS error in this run

    def checked(self, resource: JobResource, findings: Iterable[Finding]) -> None:
        """A job was checked, and these are its findings (input errors among them are noted)."""
        arn, account, region = resource.arn, resource.account, resource.region
        if arn is None or account is None or region is None:
            return
        hub = self._hubs.get((account, region))
        if hub is None:
            hub = self._hubs[account, region] = _Hub(account, region)
        hub.jobs.add(arn)
        occurrences = Occurrences()
        for finding in findings:
            if finding.rule in INPUT_ERROR_CODES:
                self.reported(finding)
                continue
            occurrence = occurrences.next(finding)
            key = finding_id(arn, finding.rule, finding.pointer, occurrence)
            hub.findings[key] = _Found(finding, resource, occurrence)

    def reported(self, finding: Finding) -> None:
        """A finding of the audit that is not a job's check: an AWS error on a job leaves that
        job's earlier findings alone."""
        if finding.rule in INPUT_ERROR_CODES and finding.job is not None:
            self._incomplete.add(finding.path)

    def publish(self, clients: Clients, targets: Sequence[Target]) -> Iterator[Finding]:
        """Import into each hub, archive what this run no longer finds: SM004 for what fails."""
        sessions = {(t.account.id, t.region): t.account.session for t in targets}
        for key, hub in self._hubs.items():
            session = sessions.get(key)
            if session is None:  # a job's ARN names an account that was not audited
                message = f"no credentials for account {hub.account}: findings not imported"
                yield _hub_error(hub, message)
                continue
            yield from self._publish(clients.client(session, "securityhub", hub.region), hub)

    def publish_with(self, client: Any) -> Iterator[Finding]:
        """Import with ``client`` into its hub, that of every job checked (the Lambda function
        checks one job, of its own account and region): SM004 for what fails."""
        for hub in self._hubs.values():
            yield from self._publish(client, hub)

    def _publish(self, client: Any, hub: _Hub) -> Iterator[Finding]:
        place = f"account {hub.account}, region {hub.region}"
        earlier: dict[str, dict[str, Any]] | None = None
        try:
            earlier = self._earlier(client, hub) if self._read_earlier else None
        except Exception as error:
            if not is_aws_error(error):
                raise
            yield _hub_error(
                hub,
                f"Security Hub GetFindings failed in {place}: {describe_error(error)}; this "
                "run's findings are imported, none archived",
            )
        found = (
            self._made(key, item, (earlier or {}).get(key)) for key, item in hub.findings.items()
        )
        failure = import_findings(client, found, len(hub.findings))
        if failure is not None:
            yield _hub_error(
                hub, f"Security Hub import failed in {place}: {failure}; none archived"
            )
            return
        stale = [
            _archived(finding, self._at)
            for key, finding in (earlier or {}).items()
            if key not in hub.findings and self._archives(finding)
        ]
        failure = import_findings(client, stale, len(stale))
        if failure is not None:
            yield _hub_error(hub, f"Security Hub archiving failed in {place}: {failure}")

    def _earlier(self, client: Any, hub: _Hub) -> dict[str, dict[str, Any]]:
        """The ACTIVE findings sagelint imported into the hub before, of the jobs this run
        checked, by Id (what of them :data:`_KEPT` names)."""
        product = default_product(hub.account, hub.region)
        asked = hub.jobs if len(hub.jobs) <= FILTER_VALUES else ()  # else every job's, filtered
        return {
            finding["Id"]: {
                key: finding[key] for key in (*_KEPT, "ProductFields") if key in finding
            }
            for finding in list_findings(client, product, asked)
            if resource_id(finding) in hub.jobs
        }

    def _made(self, key: str, item: _Found, earlier: dict[str, Any] | None) -> dict[str, Any]:
        """The ASFF finding to import: first seen now, or when Security Hub first had it."""
        rule = self._rules.get(item.finding.rule)
        made = asff_finding(item.finding, item.resource, rule, self._at, item.occurrence)
        assert made["Id"] == key
        made["FirstObservedAt"] = made["LastObservedAt"] = self._at
        if earlier is not None and isinstance(earlier.get("CreatedAt"), str):
            made["CreatedAt"] = earlier["CreatedAt"]
            first = earlier.get("FirstObservedAt")
            made["FirstObservedAt"] = first if isinstance(first, str) else earlier["CreatedAt"]
        return made

    def _archives(self, finding: dict[str, Any]) -> bool:
        """Whether this run checked what an earlier finding (of a job it checked) is about: its
        rule, on a job checked without an AWS error."""
        if self._archived_rules is None or resource_id(finding) in self._incomplete:
            return False
        return rule_code(finding) in self._archived_rules


def _archived(finding: dict[str, Any], at: str) -> dict[str, Any]:
    """An earlier finding to be imported again as ARCHIVED: our product fields only (Security
    Hub adds its own)."""
    kept = {key: finding[key] for key in _KEPT if key in finding}
    fields = finding.get("ProductFields")
    if isinstance(fields, dict):
        kept["ProductFields"] = {k: v for k, v in fields.items() if k.startswith(FIELD_PREFIX)}
    kept["UpdatedAt"] = at
    kept["RecordState"] = "ARCHIVED"
    return kept


def _hub_error(hub: _Hub, message: str) -> Finding:
    where = hub_arn(hub.account, hub.region)
    return Finding(AWS_ERROR.code, "error", message, where, 1, 1, "", None)
