"""The AWS Lambda function: lint each training job as its state changes.

EventBridge sends the function every "SageMaker Training Job State Change" event (deploy with
``deploy/template.yaml``). The handler lints the event's ``detail``, a DescribeTrainingJob
response with the job's tags, with every rule, and then:

- always writes one JSON line per finding to the function's log (CloudWatch Logs Insights:
  ``filter rule = "SM104" | stats count() by job``);
- with ``SAGELINT_SECURITY_HUB=true``, imports the findings into the job's account and region's
  Security Hub (ids are stable: a redelivered event updates them, never duplicates them); on an
  event of a job that has ended (Completed, Failed, Stopped), also archives the job's earlier
  findings that the event no longer gives (a ``sagelint:ignore`` tag added since, a status
  contradiction of a running job's event that the end resolved) and keeps the first sighting
  Security Hub holds of the others, as ``sagelint audit --security-hub`` does
  (:mod:`sagelint.aws.security_hub`). Not on the events before, whose findings are imported as
  first seen then: GetFindings allows 3 calls a second per account and region, and a job sends
  several events (one per secondary status);
- with ``SAGELINT_SNS_TOPIC_ARN``, publishes a short message, without secrets, to that topic.

``SAGELINT_STATUSES`` (``InProgress,Failed``: comma-separated) limits the statuses acted on; by
default every one. A configuration file and policies can be bundled with the code:
``SAGELINT_CONFIG`` names it (default: ``.sagelint.toml`` beside the code, when there is one).

An event that is not a training job state change is logged and dropped (retrying it would not
help); an AWS error raises, so that Lambda retries the event and its dead-letter queue keeps what
still fails.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sagelint import __version__
from sagelint.job import is_event, make_job
from sagelint.load.loaders import Document
from sagelint.load.locate import NOWHERE
from sagelint.printable import printable

if TYPE_CHECKING:
    from sagelint.engine import Linter
    from sagelint.findings import Finding
    from sagelint.job import Job

SETTINGS = (
    "SAGELINT_STATUSES",
    "SAGELINT_SECURITY_HUB",
    "SAGELINT_SNS_TOPIC_ARN",
    "SAGELINT_CONFIG",
)
CONFIG_FILE = ".sagelint.toml"
MAX_NOTIFIED = 20  # findings listed in an SNS message; the rest are counted
ENDED = frozenset({"Completed", "Failed", "Stopped"})  # TrainingJobStatus of a job that has ended


class FunctionSettings(NamedTuple):
    statuses: frozenset[str]
    security_hub: bool
    sns_topic_arn: str | None
    config: str | None


class _Function(NamedTuple):
    """What a warm function keeps between events: its settings, its linter, its clients."""

    environment: tuple[str | None, ...]
    settings: FunctionSettings
    linter: Linter
    clients: dict[tuple[str, str], Any]


_WARM: _Function | None = None


def handler(event: Any, context: Any = None) -> dict[str, Any]:
    """Lint the training job of one EventBridge state change event."""
    function = _function()
    if not isinstance(event, dict) or not is_event(event) or not _job_arn(event):
        _log({"level": "warning", "message": _NOT_AN_EVENT, "event_id": _event_id(event)})
        return {"dropped": 1}
    detail = event["detail"]
    status = detail.get("TrainingJobStatus")
    if function.settings.statuses and status not in function.settings.statuses:
        return {"skipped": 1, "status": str(status)}
    job = make_job(event)
    assert job is not None  # an event always makes a job
    arn = _job_arn(event)
    findings = function.linter.lint_document(Document(arn, job, NOWHERE))
    for finding in findings:
        _log(_record(finding, event, arn))
    if function.settings.security_hub:
        _import(function, findings, job)
    if findings and function.settings.sns_topic_arn:
        _publish(function, function.settings.sns_topic_arn, findings, event)
    return {"job": job.name, "status": str(status), "findings": len(findings)}


_NOT_AN_EVENT = "not a SageMaker Training Job State Change event with a job ARN: dropped"


def _job_arn(event: Mapping[str, Any]) -> str:
    arn = event["detail"].get("TrainingJobArn")
    return arn if isinstance(arn, str) and arn.startswith("arn:") else ""


def _event_id(event: Any) -> str | None:
    found = event.get("id") if isinstance(event, dict) else None
    return found if isinstance(found, str) else None


def _record(finding: Finding, event: Mapping[str, Any], arn: str) -> dict[str, Any]:
    """One finding as a log line: the finding, the job and the event it came from."""
    return {
        "sagelint": __version__,
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "pointer": finding.pointer,
        "job": finding.job,
        "job_arn": arn,
        "status": event["detail"].get("TrainingJobStatus"),
        "account": event.get("account"),
        "region": event.get("region"),
        "event_id": event.get("id"),
        "fingerprint": finding.fingerprint(),
    }


def _log(record: Mapping[str, Any]) -> None:
    """One JSON line on standard output (CloudWatch Logs); json escapes control characters."""
    sys.stdout.write(json.dumps(record, sort_keys=True, default=str) + "\n")
    sys.stdout.flush()


def _import(function: _Function, findings: list[Finding], job: Job) -> None:
    """The findings into the job's account and region's Security Hub, as ASFF (their ids are
    stable: an event delivered again updates them). Once the job has ended, its earlier findings
    of the rules checked that it no longer has are archived: of every rule the function runs but
    the S3-aware ones (it lists no S3), and of none when the event does not give the job's tags
    (a rule may read them). What Security Hub refuses raises."""
    from sagelint.aws.security_hub import SecurityHubExport
    from sagelint.s3_listing import s3_aware

    linter = function.linter
    ended = job.text("TrainingJobStatus") in ENDED
    asks_s3 = s3_aware(linter.enabled)
    checked = [rule.code for rule in linter.enabled if rule not in asks_s3]
    archived = checked if ended and job.tags is not None else None
    export = SecurityHubExport(linter.rules, archived, read_earlier=ended)
    export.checked(job.resource, findings)
    client = _client(function, "securityhub", str(job.resource.region))
    for failure in export.publish_with(client):
        raise ImportFailed(failure.message)


class ImportFailed(RuntimeError):
    """Security Hub refused findings: the invocation fails, and Lambda retries the event."""


def _publish(
    function: _Function, topic: str, findings: list[Finding], event: Mapping[str, Any]
) -> None:
    """A short message to the SNS topic: the job, its status and its findings' lines (messages
    never quote HyperParameters or Environment values)."""
    detail = event["detail"]
    name = str(detail.get("TrainingJobName") or _job_arn(event))
    lines = [printable(f"{f.rule} [{f.severity}] {f.message}") for f in findings[:MAX_NOTIFIED]]
    if len(findings) > MAX_NOTIFIED:
        lines.append(f"and {len(findings) - MAX_NOTIFIED} more")
    count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    status = detail.get("TrainingJobStatus")
    heading = printable(f"sagelint: {count} on training job {name} ({status})")
    message = heading + "\n\n" + "\n".join(lines)
    region = topic.split(":")[3] if topic.count(":") >= 5 else None
    client = _client(function, "sns", region or str(event.get("region") or ""))
    client.publish(TopicArn=topic, Subject=f"sagelint: {count}"[:100], Message=message)


def _client(function: _Function, service: str, region: str) -> Any:
    key = (service, region)
    if key not in function.clients:
        import boto3
        from sagelint.aws.connect import Connection, client_config

        session = boto3.Session()  # the audit's retries: adaptive, on throttling too
        config = client_config(session, Connection(), service)
        function.clients[key] = session.client(service, region_name=region or None, config=config)  # type: ignore[call-overload]
    return function.clients[key]


# --- the function's settings, read once per warm container --------------------------------------


def _function() -> _Function:
    global _WARM  # noqa: PLW0603  # what a warm Lambda container keeps
    environment = tuple(os.environ.get(name) for name in (*SETTINGS, "LAMBDA_TASK_ROOT"))
    if _WARM is None or _WARM.environment != environment:
        settings = function_settings(os.environ)
        _WARM = _Function(environment, settings, _linter(settings), {})
    return _WARM


def function_settings(environment: Mapping[str, str]) -> FunctionSettings:
    """The function's settings from its environment variables; a ValueError naming the variable
    for a value that cannot be used (the function then fails on every event, loudly)."""
    from sagelint.aws_lambda_settings import read_settings

    return read_settings(environment)


def _linter(settings: FunctionSettings) -> Linter:
    from sagelint.config import load_config, options_from
    from sagelint.engine import Linter
    from sagelint.rules import RULES

    path = settings.config
    if path is None:
        bundled = Path(os.environ.get("LAMBDA_TASK_ROOT") or Path.cwd(), CONFIG_FILE)
        path = str(bundled) if bundled.exists() else None
    config = load_config(path) if path else None
    rules = config.catalogue.rules if config and config.catalogue else RULES
    return Linter(options_from(config), rules=rules)
