"""``sagelint audit``: the training jobs of live AWS accounts (:mod:`sagelint.aws`).

Declaring the command needs only click: boto3 loads when the audit runs, never for ``--help``
nor for any other command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click
from sagelint.cli.checks import run_checks
from sagelint.cli.options import (
    EXIT_CODES,
    ListOf,
    ReportSettings,
    Seconds,
    flat,
    report_options,
    s3_max_objects_option,
)
from sagelint.job import REGION_NAME

if TYPE_CHECKING:
    from datetime import datetime

    from click import Context, Parameter
    from sagelint.aws import AuditOptions
    from sagelint.engine import Linter
    from sagelint.findings import Finding

# Kept here so that --help needs no import of the AWS layer.
STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting")
ROLE_ARN = r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$"
ROLE_NAME = re.compile(r"[\w+=,.@-]+(/[\w+=,.@-]+)*")  # a role's name, after its path if any

DESCRIPTION = """\
Audit the training jobs of live AWS accounts with the same rules and reports as lint.

Lists every training job of each region (ListTrainingJobs, newest first, with the filters
applied by the service), reads the sagelint:ignore tags with one Search (every job's tags, 100
jobs a call, when a rule reads tags or with --save), describes each job (DescribeTrainingJob),
lists the S3 data the S3-aware rules need, and reports the findings as they come, by account,
region and job (newest first).
Each finding names the job's ARN (account, region, job) and its name.

\b
Examples:
  sagelint audit --region eu-west-1
  sagelint audit --all-regions --since 7d --format sarif -o audit.sarif
  sagelint audit --role-arn arn:aws:iam::111122223333:role/SagelintAudit \\
      --role-arn arn:aws:iam::444455556666:role/SagelintAudit --external-id ID
  sagelint audit --organization --role-name SagelintAudit --all-regions
  sagelint audit --region us-east-1 --cache ~/.sagelint-audit.db --save jobs/
  sagelint audit --all-regions --security-hub

Permissions (read-only): sagemaker:Search, sagemaker:ListTrainingJobs,
sagemaker:DescribeTrainingJob, sagemaker:ListTags (where Search is denied, and for the
newest jobs), s3:ListBucket and s3:GetObject on the training data (--no-s3 needs neither),
ec2:DescribeRegions for --all-regions, sts:AssumeRole for --role-arn and --organization,
organizations:ListAccounts for --organization; and, to write, securityhub:BatchImportFindings
and securityhub:GetFindings for --security-hub.

An AWS error (AccessDenied, a region not enabled, a timeout, throttling beyond the retries) is
reported once for what it concerns, as SM004 on the account, region or job, and the audit goes
on with the rest. Ctrl-C stops and reports what was found. A progress line goes to standard
error when it is a terminal."""


def _role_name(value: str | None) -> str | None:
    if value is not None and not ROLE_NAME.fullmatch(value):
        raise click.BadParameter(
            f"{value!r} is not an IAM role name (SagelintAudit, or a path and a name: "
            "audit/SagelintAudit)"
        )
    return value


class Since(click.ParamType["datetime"]):
    """``--since``: a duration ago (7d, 12h) or a date or time."""

    name = "when"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> datetime:
        from datetime import datetime

        if isinstance(value, datetime):
            return value
        from sagelint.aws import parse_since

        try:
            return parse_since(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


@click.command(
    help=DESCRIPTION,
    short_help="Audit the training jobs of live AWS accounts.",
    epilog=EXIT_CODES.format(what="an AWS error kept jobs from being checked (SM004)"),
)
@report_options
@click.option(
    "--profile",
    metavar="NAME",
    help="AWS profile of the shared config/credentials files (default: the standard "
    "credential chain: environment, AWS_PROFILE, SSO, instance or task role).",
)
@click.option(
    "--region",
    "regions",
    type=ListOf(REGION_NAME, "a region name (e.g. eu-west-1)"),
    multiple=True,
    metavar="REGION",
    help="Audit this region; repeat it or separate with commas for several. Default: the "
    "profile's or AWS_REGION's region.",
)
@click.option(
    "--all-regions",
    is_flag=True,
    help="Audit every region where SageMaker is offered and the account has enabled "
    "(needs ec2:DescribeRegions; without it, every region where SageMaker is offered).",
)
@click.option(
    "--role-arn",
    "role_arns",
    type=ListOf(ROLE_ARN, "an IAM role ARN (arn:aws:iam::111122223333:role/NAME)"),
    multiple=True,
    metavar="ARN",
    help="Audit the account of this IAM role, assumed with AssumeRole (repeat it, or "
    "separate with commas, for several accounts). Without it: the credentials' own account.",
)
@click.option(
    "--organization",
    is_flag=True,
    help="Audit every active account of the AWS Organization (ListAccounts, from the "
    "management account or a delegated administrator), the management account included, "
    "each through the role of --role-name. Excludes --role-arn.",
)
@click.option(
    "--role-name",
    callback=lambda ctx, param, value: _role_name(value),
    metavar="NAME",
    help="With --organization: the role to assume in each account "
    "(arn:aws:iam::ACCOUNT:role/NAME).",
)
@click.option(
    "--external-id",
    metavar="ID",
    help="The external ID the roles of --role-arn or --role-name require (sts:ExternalId).",
)
@click.option(
    "--endpoint-url",
    envvar="AWS_ENDPOINT_URL",
    show_envvar=True,
    metavar="URL",
    help="Send every AWS call (SageMaker, STS, S3, EC2) to this URL instead of AWS, e.g. a "
    "moto server.",
)
@click.option(
    "--since",
    type=Since(),
    metavar="WHEN",
    help="Only jobs modified since then: a duration ago (7d, 12h, 30m, 2w) or a date or "
    "time (2026-01-31, 2026-01-31T12:00:00Z). Passed to ListTrainingJobs "
    "(LastModifiedTimeAfter).",
)
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    help="Only jobs with this status (ListTrainingJobs StatusEquals).",
)
@click.option(
    "--name-contains",
    metavar="TEXT",
    help="Only jobs whose name contains TEXT (ListTrainingJobs NameContains).",
)
@click.option(
    "--max-jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="At most N jobs per account and region, the newest first.",
)
@click.option(
    "--save",
    type=click.Path(file_okay=False, path_type=str),
    metavar="DIR",
    help="Write each described job to DIR/ACCOUNT/REGION/JOB.json, so that `sagelint lint "
    "DIR` reproduces the findings offline (tags included; the S3-aware rules need `lint "
    "--s3`). Jobs that --cache knows unchanged are not described, so not written.",
)
@click.option(
    "--cache",
    type=click.Path(dir_okay=False, path_type=str),
    metavar="FILE",
    help="Remember each job's LastModifiedTime and findings in this SQLite file; a later "
    "audit with the same options describes only the jobs that changed since (tags changed "
    "alone are not noticed: delete FILE to start afresh).",
)
@click.option(
    "--tags/--no-tags",
    default=True,
    show_default=True,
    help="Read the tags that matter (with Search; ListTags per job where Search is denied): "
    "`sagelint:ignore` suppressions, and every job's tags for a rule that reads them "
    "(required-tags).",
)
@click.option(
    "--s3/--no-s3",
    default=True,
    show_default=True,
    help="List the S3 data of the channels that SM203, SM205 and SM206 look at (needs "
    "s3:ListBucket, and s3:GetObject for manifests).",
)
@s3_max_objects_option
@click.option(
    "--security-hub",
    is_flag=True,
    help="Import the findings into the Security Hub of each account and region audited (as "
    "ASFF, 100 a call, failures retried) and archive the findings sagelint imported before that "
    "this run no longer produces, for the jobs and rules it checked (needs "
    "securityhub:BatchImportFindings and securityhub:GetFindings).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 128),
    default=16,
    show_default=True,
    metavar="N",
    help="Jobs described at once (threads). Throttling is retried in botocore's adaptive "
    "retry mode (AWS_RETRY_MODE to choose another), up to 8 attempts (AWS_MAX_ATTEMPTS).",
)
@click.option(
    "--timeout",
    type=Seconds(min=0.1, max=3600),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Connect and read timeout of each AWS call.",
)
@click.pass_context
def audit(ctx: click.Context, /, **values: Any) -> None:
    settings = ReportSettings.pop(values)
    regions, role_arns = flat(values.pop("regions")), flat(values.pop("role_arns"))
    if values["all_regions"] and regions:
        raise click.UsageError("--region and --all-regions exclude each other")
    if values["organization"] and role_arns:
        raise click.UsageError("--organization and --role-arn exclude each other")
    if values["organization"] != bool(values["role_name"]):
        raise click.UsageError("--organization and --role-name go together")
    if values["external_id"] and not (role_arns or values["organization"]):
        raise click.UsageError("--external-id goes with --role-arn or --organization")
    from pathlib import Path

    from sagelint.aws import AuditOptions

    save, cache = values["save"], values["cache"]
    options = AuditOptions(
        regions=tuple(dict.fromkeys(regions)),
        all_regions=values["all_regions"],
        role_arns=tuple(dict.fromkeys(role_arns)),
        organization=values["organization"],
        role_name=values["role_name"],
        external_id=values["external_id"],
        profile=values["profile"],
        endpoint_url=values["endpoint_url"] or None,
        since=values["since"],
        status=values["status"],
        name_contains=values["name_contains"],
        max_jobs=values["max_jobs"],
        save=Path(save) if save else None,
        cache=Path(cache) if cache else None,
        tags=values["tags"],
        s3=values["s3"],
        s3_max_objects=values["s3_max_objects"],
        concurrency=values["concurrency"],
        timeout=values["timeout"],
        progress=False if settings.quiet else None,
        security_hub=values["security_hub"],
    )
    ctx.exit(run_checks(settings, lambda linter: _audit_findings(linter, options)))


def _audit_findings(linter: Linter, options: AuditOptions) -> Iterator[Finding]:
    from sagelint.aws import AuditError, audit

    try:
        yield from audit(linter, options)
    except AuditError as error:
        raise click.UsageError(str(error)) from None
