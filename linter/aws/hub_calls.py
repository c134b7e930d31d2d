"""Security Hub's calls, as ``sagelint audit --security-hub`` makes them: GetFindings of the
findings sagelint imported before (:func:`list_findings`), and BatchImportFindings, 100 findings a
call, what it answers as failed sent again (:func:`import_findings`).

Answers are read through :func:`~sagelint.aws.fetch.call` (an answer that is not the shape of
the operation's is a :class:`~sagelint.aws.errors.BadResponse`); throttling is botocore's to
retry. The client is typed ``Any``: boto3's Security Hub stubs are not a dependency.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from sagelint.asff import BATCH_SIZE, GENERATOR_PREFIX, RULE_FIELD
from sagelint.aws.errors import describe_error, is_aws_error
from sagelint.aws.fetch import call

IMPORT_ATTEMPTS = 3  # a finding Security Hub answers as failed is sent at most this often
RETRY_PAUSE = 0.2  # seconds before the second attempt; doubled before each next one
# GetFindings: "For each attribute, you can provide up to 20 filter values" (API reference)
FILTER_VALUES = 20


def list_findings(
    client: Any, product: str, resources: Collection[str] = ()
) -> Iterator[dict[str, Any]]:
    """The ACTIVE findings of ``product`` whose GeneratorId starts with ``sagelint/`` and that
    name a rule in their ProductFields: Security Hub is asked to filter so, and the answer is
    filtered again (moto ignores the filters). With ``resources`` (job ARNs, at most
    :data:`FILTER_VALUES`), Security Hub is asked for those jobs' findings alone: the caller,
    which keeps the findings of its jobs whatever it asked, filters on them."""
    filters = {
        "ProductArn": [{"Value": product, "Comparison": "EQUALS"}],
        "GeneratorId": [{"Value": GENERATOR_PREFIX, "Comparison": "PREFIX"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
    }
    if resources:
        assert len(resources) <= FILTER_VALUES
        filters["ResourceId"] = [{"Value": arn, "Comparison": "EQUALS"} for arn in resources]
    token: str | None = None
    while True:
        params: dict[str, Any] = {"Filters": filters, "MaxResults": BATCH_SIZE}
        if token:
            params["NextToken"] = token
        page = call("GetFindings", client.get_findings, **params)
        for finding in page["Findings"]:
            if _ours(finding, product):
                yield finding
        token = page.get("NextToken")
        if not token:
            return


def _ours(finding: Any, product: str) -> bool:
    if not isinstance(finding, dict) or not isinstance(finding.get("Id"), str):
        return False
    generator = finding.get("GeneratorId")
    return (
        finding.get("ProductArn") == product
        and isinstance(generator, str)
        and generator.startswith(GENERATOR_PREFIX)
        and finding.get("RecordState") == "ACTIVE"
        and rule_code(finding) is not None
    )


def rule_code(finding: dict[str, Any]) -> str | None:
    """The code of the rule an imported finding is of (its ``sagelint/Rule`` product field)."""
    fields = finding.get("ProductFields")
    code = fields.get(RULE_FIELD) if isinstance(fields, dict) else None
    return code if isinstance(code, str) else None


def resource_id(finding: dict[str, Any]) -> str | None:
    """The Id of an imported finding's resource: its job's ARN."""
    resources = finding.get("Resources")
    first = resources[0] if isinstance(resources, list) and resources else None
    found = first.get("Id") if isinstance(first, dict) else None
    return found if isinstance(found, str) else None


def import_findings(client: Any, findings: Iterable[dict[str, Any]], total: int) -> str | None:
    """Import ``findings`` (``total`` of them), 100 a call, each failed finding sent again up to
    :data:`IMPORT_ATTEMPTS` times in all: None, or what failed in the end, in one line. A call
    that fails (after botocore's retries) ends the import."""
    refused: list[dict[str, Any]] = []
    imported = 0
    batches = iter(findings)
    while batch := list(itertools.islice(batches, BATCH_SIZE)):
        try:
            still = _import_batch(client, batch)
        except Exception as error:
            if not is_aws_error(error):
                raise
            return (
                f"BatchImportFindings: {describe_error(error)}; {total - imported:,} of "
                f"{total:,} findings not imported"
            )
        imported += len(batch) - len(still)
        refused += still
    if not refused:
        return None
    first = refused[0]
    why = ": ".join(str(first[key]) for key in ("ErrorCode", "ErrorMessage") if first.get(key))
    return (
        f"BatchImportFindings refused {len(refused):,} of {total:,} findings after "
        f"{IMPORT_ATTEMPTS} attempts (the first: {' '.join(why.split())[:200] or 'no reason'})"
    )


def _import_batch(client: Any, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One batch: the FailedFindings entries still failing after the attempts (a stand-in
    entry for each failure the answer counts but does not name)."""
    pending = batch
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        answer = call("BatchImportFindings", client.batch_import_findings, Findings=pending)
        failed = [f for f in answer.get("FailedFindings") or () if isinstance(f, dict)]
        count = answer.get("FailedCount")
        unnamed = max(0, count - len(failed)) if isinstance(count, int) else 0
        if not failed and not unnamed:
            return []
        ids = {f.get("Id") for f in failed}
        retried = [finding for finding in pending if finding["Id"] in ids]
        if unnamed or attempt == IMPORT_ATTEMPTS or not retried:
            return failed + [{"ErrorCode": "FailedCount"}] * unnamed
        time.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
        pending = retried
    raise AssertionError  # pragma: no cover
