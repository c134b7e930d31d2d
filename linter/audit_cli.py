"""``sagelint audit``: the command line of the live audit (:mod:`sagelint.audit`).

Only argparse is needed to declare the command: boto3 loads when it runs, never for ``--help``
nor for any other command. :func:`sagelint.cli.build_parser` adds it with
:func:`add_audit_command`.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sagelint.cli import (
    EXIT_CODES,
    ReportSettings,
    UsageError,
    add_report_options,
    add_s3_max_objects_option,
    argument_type,
    number,
    run_checks,
)

if TYPE_CHECKING:
    from datetime import datetime

    from sagelint.audit import AuditOptions
    from sagelint.engine import Linter
    from sagelint.findings import Finding

# Kept here so that --help needs no import of sagelint.audit (= sagelint.aws: constants only).
STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting")
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d+$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")

DESCRIPTION = """\
Audit the training jobs of live AWS accounts with the same rules and reports as lint.

Lists every training job of each region (ListTrainingJobs, newest first, with the filters
applied by the service), describes each (DescribeTrainingJob, ListTags), lists the S3 data the
S3-aware rules need, and reports the findings as they come. Each finding names the job's ARN
(account, region, job) and its name.

examples:
  sagelint audit --region eu-west-1
  sagelint audit --all-regions --since 7d --format sarif -o audit.sarif
  sagelint audit --role-arn arn:aws:iam::111122223333:role/SagelintAudit \\
      --role-arn arn:aws:iam::444455556666:role/SagelintAudit --external-id ID
  sagelint audit --region us-east-1 --cache ~/.sagelint-audit.db --save jobs/

Permissions (read-only): sagemaker:ListTrainingJobs, sagemaker:DescribeTrainingJob,
sagemaker:ListTags, s3:ListBucket and s3:GetObject on the training data (--no-s3 needs
neither), ec2:DescribeRegions for --all-regions, sts:AssumeRole for --role-arn.

An AWS error (AccessDenied, a region not enabled, a timeout, throttling beyond the retries) is
reported once for what it concerns, as SM004 on the account, region or job, and the audit goes
on with the rest. Ctrl-C stops and reports what was found. A progress line goes to standard
error when it is a terminal."""


def _listed(pattern: re.Pattern[str], what: str) -> Callable[[str], list[str]]:
    """An argparse ``type`` for an option given once or more, each a comma-separated list."""

    def values(text: str) -> list[str]:
        items = [part.strip() for part in text.split(",") if part.strip()]
        for item in items:
            if not pattern.match(item):
                raise ValueError(f"{item!r} is not {what}")
        return items

    return argument_type(values)


def _since(text: str) -> datetime:
    from sagelint.audit import parse_since

    return parse_since(text)


def _folder(text: str) -> Path:
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{text!r} is not a folder")
    return path


def _file(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        raise ValueError(f"{text!r} is a folder")
    return path


def add_audit_options(parser: argparse.ArgumentParser) -> None:
    parser.usage = "%(prog)s [OPTIONS]"
    parser.description = DESCRIPTION
    parser.epilog = EXIT_CODES.format(what="an AWS error kept jobs from being checked (SM004)")
    add_report_options(parser)
    group = parser.add_argument_group("what to audit")
    add = group.add_argument
    add(
        "--profile",
        metavar="NAME",
        help="AWS profile of the shared config/credentials files (default: the standard "
        "credential chain: environment, AWS_PROFILE, SSO, instance or task role).",
    )
    add(
        "--region",
        dest="regions",
        action="extend",
        type=_listed(_REGION, "a region name (e.g. eu-west-1)"),
        default=[],
        metavar="REGION",
        help="Audit this region; repeat it or separate with commas for several. Default: the "
        "profile's or AWS_REGION's region.",
    )
    add(
        "--all-regions",
        action="store_true",
        help="Audit every region where SageMaker is offered and the account has enabled "
        "(needs ec2:DescribeRegions; without it, every region where SageMaker is offered).",
    )
    add(
        "--role-arn",
        dest="role_arns",
        action="extend",
        type=_listed(_ROLE_ARN, "an IAM role ARN (arn:aws:iam::111122223333:role/NAME)"),
        default=[],
        metavar="ARN",
        help="Audit the account of this IAM role, assumed with AssumeRole (repeat it, or "
        "separate with commas, for several accounts). Without it: the credentials' own account.",
    )
    add(
        "--external-id",
        metavar="ID",
        help="The external ID the roles of --role-arn require (sts:ExternalId).",
    )
    add(
        "--endpoint-url",
        default=os.environ.get("AWS_ENDPOINT_URL") or None,
        metavar="URL",
        help="Send every AWS call (SageMaker, STS, S3, EC2) to this URL instead of AWS, e.g. a "
        "moto server. [env var: AWS_ENDPOINT_URL]",
    )
    add(
        "--since",
        type=argument_type(_since),
        metavar="WHEN",
        help="Only jobs modified since then: a duration ago (7d, 12h, 30m, 2w) or a date or "
        "time (2026-01-31, 2026-01-31T12:00:00Z). Passed to ListTrainingJobs "
        "(LastModifiedTimeAfter).",
    )
    add(
        "--status",
        choices=STATUSES,
        help="Only jobs with this status (ListTrainingJobs StatusEquals).",
    )
    add(
        "--name-contains",
        metavar="TEXT",
        help="Only jobs whose name contains TEXT (ListTrainingJobs NameContains).",
    )
    add(
        "--max-jobs",
        type=number(int, 1),
        metavar="N",
        help="At most N jobs per account and region, the newest first.",
    )
    add(
        "--save",
        type=argument_type(_folder),
        metavar="DIR",
        help="Write each described job to DIR/ACCOUNT/REGION/JOB.json, so that `sagelint lint "
        "DIR` reproduces the findings offline (tags included; the S3-aware rules need `lint "
        "--s3`). Jobs that --cache knows unchanged are not described, so not written.",
    )
    add(
        "--cache",
        type=argument_type(_file),
        metavar="FILE",
        help="Remember each job's LastModifiedTime and findings in this SQLite file; a later "
        "audit with the same options describes only the jobs that changed since (tags changed "
        "alone are not noticed: delete FILE to start afresh).",
    )
    add(
        "--tags",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Read each job's tags (ListTags: one more call per job), for `sagelint:ignore` "
        "suppressions and the required-tags rule. [default: --tags]",
    )
    add(
        "--s3",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="List the S3 data of the channels that SM203, SM205 and SM206 look at (needs "
        "s3:ListBucket, and s3:GetObject for manifests). [default: --s3]",
    )
    add_s3_max_objects_option(group)
    add(
        "--concurrency",
        type=number(int, 1, 128),
        default=16,
        metavar="N",
        help="Jobs described at once (threads). Throttling is retried in botocore's adaptive "
        "retry mode (AWS_RETRY_MODE to choose another), up to 8 attempts (AWS_MAX_ATTEMPTS). "
        "[default: 16]",
    )
    add(
        "--timeout",
        type=number(float, 0.1),
        default=30.0,
        metavar="SECONDS",
        help="Connect and read timeout of each AWS call. [default: 30.0]",
    )


def audit(args: argparse.Namespace) -> int:
    """Run ``sagelint audit``; the exit code."""
    if args.all_regions and args.regions:
        raise UsageError("--region and --all-regions exclude each other")
    if args.external_id and not args.role_arns:
        raise UsageError("--external-id goes with --role-arn")
    from sagelint.audit import AuditOptions

    options = AuditOptions(
        regions=tuple(dict.fromkeys(args.regions)),
        all_regions=args.all_regions,
        role_arns=tuple(dict.fromkeys(args.role_arns)),
        external_id=args.external_id,
        profile=args.profile,
        endpoint_url=args.endpoint_url or None,
        since=args.since,
        status=args.status,
        name_contains=args.name_contains,
        max_jobs=args.max_jobs,
        save=args.save,
        cache=args.cache,
        tags=args.tags,
        s3=args.s3,
        s3_max_objects=args.s3_max_objects,
        concurrency=args.concurrency,
        timeout=args.timeout,
    )
    return run_checks(ReportSettings.of(args), lambda linter: _audit_findings(linter, options))


def _audit_findings(linter: Linter, options: AuditOptions) -> Iterator[Finding]:
    from sagelint.audit import AuditError, audit

    try:
        yield from audit(linter, options)
    except AuditError as error:
        raise UsageError(str(error)) from None


def s3_lint_findings(
    paths: Sequence[str], stdin_name: str, s3_max_objects: int
) -> Callable[[Linter], Iterator[Finding]]:
    """What ``sagelint lint --s3`` gives :func:`sagelint.cli.run_checks`: the findings of
    ``paths`` with the S3 data of each job's channels listed first (standard credential chain,
    AWS_PROFILE, AWS_ENDPOINT_URL)."""

    def findings_of(linter: Linter) -> Iterator[Finding]:
        from botocore.exceptions import ProfileNotFound
        from sagelint.audit import lint_with_s3

        try:
            yield from lint_with_s3(
                linter, paths, s3_max_objects=s3_max_objects, stdin_name=stdin_name
            )
        except ProfileNotFound as error:
            raise UsageError(str(error)) from None

    return findings_of
