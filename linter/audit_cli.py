"""``sagelint audit``: the command line of the live audit (:mod:`linter.audit`).

Only click is imported here: boto3 loads when the command runs, never for ``--help`` nor for
any other command. ``linter.cli`` registers the command with ``main.add_command(audit)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from linter.cli import ReportSettings, main, report_options, run_checks, s3_max_objects_option

if TYPE_CHECKING:
    from datetime import datetime

    from linter.engine import Linter
    from linter.findings import Finding

# Kept here so that --help needs no import of linter.audit (= linter.aws: constants only).
STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting")
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d+$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _regions(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> tuple[str, ...]:
    regions = _split(values)
    for region in regions:
        if not _REGION.match(region):
            raise click.BadParameter(f"{region!r} is not a region name (e.g. eu-west-1)")
    return tuple(dict.fromkeys(regions))


def _role_arns(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    arns = _split(values)
    for arn in arns:
        if not _ROLE_ARN.match(arn):
            raise click.BadParameter(
                f"{arn!r} is not an IAM role ARN (arn:aws:iam::111122223333:role/NAME)"
            )
    return tuple(dict.fromkeys(arns))


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    from linter.audit import parse_since

    try:
        return parse_since(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@click.command("audit")
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
    multiple=True,
    metavar="REGION",
    callback=_regions,
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
    multiple=True,
    metavar="ARN",
    callback=_role_arns,
    help="Audit the account of this IAM role, assumed with AssumeRole (repeat it, or separate "
    "with commas, for several accounts). Without it: the credentials' own account.",
)
@click.option(
    "--external-id",
    metavar="ID",
    help="The external ID the roles of --role-arn require (sts:ExternalId).",
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
    metavar="WHEN",
    callback=_since,
    help="Only jobs modified since then: a duration ago (7d, 12h, 30m, 2w) or a date or time "
    "(2026-01-31, 2026-01-31T12:00:00Z). Passed to ListTrainingJobs (LastModifiedTimeAfter).",
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
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write each described job to DIR/ACCOUNT/REGION/JOB.json, so that `sagelint lint "
    "DIR` reproduces the findings offline (tags included; the S3-aware rules need `lint "
    "--s3`). Jobs that --cache knows unchanged are not described, so not written.",
)
@click.option(
    "--cache",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Remember each job's LastModifiedTime and findings in this SQLite file; a later "
    "audit with the same options describes only the jobs that changed since (tags changed "
    "alone are not noticed: delete FILE to start afresh).",
)
@click.option(
    "--tags/--no-tags",
    default=True,
    show_default=True,
    help="Read each job's tags (ListTags: one more call per job), for `sagelint:ignore` "
    "suppressions and the required-tags rule.",
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
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Connect and read timeout of each AWS call.",
)
def audit(
    settings: ReportSettings,
    profile: str | None,
    regions: tuple[str, ...],
    all_regions: bool,
    role_arns: tuple[str, ...],
    external_id: str | None,
    endpoint_url: str | None,
    since: datetime | None,
    status: str | None,
    name_contains: str | None,
    max_jobs: int | None,
    save: Path | None,
    cache: Path | None,
    tags: bool,
    s3: bool,
    s3_max_objects: int,
    concurrency: int,
    timeout: float,
) -> None:
    """Audit the training jobs of live AWS accounts with the same rules and reports as lint.

    Lists every training job of each region (ListTrainingJobs, newest first, with the
    filters applied by the service), describes each (DescribeTrainingJob, ListTags), lists
    the S3 data the S3-aware rules need, and reports the findings as they come. Each finding
    names the job's ARN (account, region, job) and its name.

    \b
    Examples:
      sagelint audit --region eu-west-1
      sagelint audit --all-regions --since 7d --format sarif -o audit.sarif
      sagelint audit --role-arn arn:aws:iam::111122223333:role/SagelintAudit \\
          --role-arn arn:aws:iam::444455556666:role/SagelintAudit --external-id ID
      sagelint audit --region us-east-1 --cache ~/.sagelint-audit.db --save jobs/

    Permissions (read-only): sagemaker:ListTrainingJobs, sagemaker:DescribeTrainingJob,
    sagemaker:ListTags, s3:ListBucket and s3:GetObject on the training data (--no-s3
    needs neither), ec2:DescribeRegions for --all-regions, sts:AssumeRole for --role-arn.

    An AWS error (AccessDenied, a region not enabled, a timeout, throttling beyond the
    retries) is reported once for what it concerns, as SM004 on the account, region or
    job, and the audit goes on with the rest. Ctrl-C stops and reports what was found.
    A progress line goes to standard error when it is a terminal.

    \b
    Exit codes:
      0  no finding at or above --fail-on
      1  findings at or above --fail-on
      2  a usage error, or an AWS error kept jobs from being checked (SM004)
         (everything else is still checked and reported)
    """
    if all_regions and regions:
        raise click.UsageError("--region and --all-regions exclude each other")
    if external_id and not role_arns:
        raise click.UsageError("--external-id goes with --role-arn")
    from linter.audit import AuditOptions

    options = AuditOptions(
        regions=regions,
        all_regions=all_regions,
        role_arns=role_arns,
        external_id=external_id,
        profile=profile,
        endpoint_url=endpoint_url or None,
        since=since,
        status=status,
        name_contains=name_contains,
        max_jobs=max_jobs,
        save=save,
        cache=cache,
        tags=tags,
        s3=s3,
        s3_max_objects=s3_max_objects,
        concurrency=concurrency,
        timeout=timeout,
    )
    run_checks(settings, lambda linter: _audit_findings(linter, options))


def _audit_findings(linter: Linter, options: Any) -> Iterator[Finding]:
    from linter.audit import AuditError, audit

    try:
        yield from audit(linter, options)
    except AuditError as error:
        raise click.UsageError(str(error)) from None


def s3_lint_findings(
    paths: Sequence[str], stdin_name: str, s3_max_objects: int
) -> Callable[[Linter], Iterator[Finding]]:
    """What ``sagelint lint --s3`` gives :func:`linter.cli.run_checks`: the findings of
    ``paths`` with the S3 data of each job's channels listed first (standard credential chain,
    AWS_PROFILE, AWS_ENDPOINT_URL)."""

    def findings_of(linter: Linter) -> Iterator[Finding]:
        from botocore.exceptions import ProfileNotFound

        from linter.audit import lint_with_s3

        try:
            yield from lint_with_s3(
                linter, paths, s3_max_objects=s3_max_objects, stdin_name=stdin_name
            )
        except ProfileNotFound as error:
            raise click.UsageError(str(error)) from None

    return findings_of


S3_LINT_HELP = (
    "List the S3 data of each job's channels (standard AWS credential chain, AWS_PROFILE, "
    "AWS_ENDPOINT_URL) so that the S3-aware rules SM203, SM205 and SM206 run."
)


main.add_command(audit)
