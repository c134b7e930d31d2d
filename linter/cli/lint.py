"""``sagelint lint``: job documents in files, folders or standard input."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click
from sagelint.cli.checks import run_checks
from sagelint.cli.options import (
    EXIT_CODES,
    Matching,
    ReportSettings,
    Size,
    report_options,
    s3_max_objects_option,
)
from sagelint.job import ACCOUNT_ID, REGION_NAME

if TYPE_CHECKING:
    from sagelint.engine import Linter
    from sagelint.findings import Finding


@click.command(
    short_help="Lint training job documents in files, folders or standard input.",
    epilog=EXIT_CODES.format(what="an input that could not be read or parsed (SM000-SM003)"),
)
@click.argument(
    "paths", nargs=-1, type=click.Path(allow_dash=True, readable=False), metavar="[PATH]..."
)
@report_options
@click.option(
    "--max-document-size",
    type=Size(),
    metavar="SIZE",
    help="Refuse a file (or a JSON Lines line) larger than this, e.g. 512KiB, 50MB. "
    "[default: 10MiB]",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes for runs of many files (256 or more). [default: one per CPU]",
)
@click.option(
    "--stdin-filename",
    default="<stdin>",
    metavar="NAME",
    help="The name to report for standard input (PATH '-'); its suffix picks the format.",
)
@click.option(
    "--s3",
    is_flag=True,
    help="List the S3 data of each job's channels (standard AWS credential chain, "
    "AWS_PROFILE, AWS_ENDPOINT_URL) so that the S3-aware rules SM203, SM205 and SM206 run.",
)
@click.option(
    "--region",
    type=Matching(REGION_NAME, "a region name (e.g. eu-west-1)"),
    metavar="REGION",
    help="The AWS Region request specs are created in (a DescribeTrainingJob response says its "
    "own, and a Terraform resource its region): what SM110 and SM211 compare regions with, and "
    "the region of each job's ARN in --format asff. [default: region of the configuration]",
)
@click.option(
    "--account",
    type=Matching(ACCOUNT_ID, "an AWS account ID (12 digits)"),
    metavar="ACCOUNT",
    help="The AWS account of request specs whose RoleArn does not say it (a template's "
    "intrinsic function, none): the account of each job's ARN in --format asff, and what SM111 "
    "compares algorithm ARNs with. The ARNs of a document win.",
)
@s3_max_objects_option
@click.pass_context
def lint(ctx: click.Context, /, paths: tuple[str, ...], **values: Any) -> None:
    """Lint training job documents in PATHs: files, folders (searched for *.json, *.jsonl,
    *.yaml, *.yml) or - for standard input. Default: the current folder."""
    settings = ReportSettings.pop(values)
    checked: Sequence[str] = paths or (".",)
    stdin_name: str = values["stdin_filename"]
    findings_of: Callable[[Linter], Iterable[Finding]]
    if values["s3"]:
        findings_of = s3_lint_findings(checked, stdin_name, values["s3_max_objects"])
    else:
        findings_of = path_findings(checked, stdin_name)
    options: dict[str, Any] = {"jobs": values["jobs"]}
    if values["region"] is not None:
        options["region"] = values["region"]
    if values["account"] is not None:
        options["account"] = values["account"]
    if values["max_document_size"] is not None:
        options["max_document_size"] = values["max_document_size"]
    ctx.exit(run_checks(settings, findings_of, **options))


def path_findings(paths: Sequence[str], stdin_name: str) -> Callable[[Linter], Iterator[Finding]]:
    def findings_of(linter: Linter) -> Iterator[Finding]:
        return linter.lint_paths(paths, stdin_name=stdin_name)

    return findings_of


def s3_lint_findings(
    paths: Sequence[str], stdin_name: str, s3_max_objects: int
) -> Callable[[Linter], Iterator[Finding]]:
    """``lint --s3``: the findings of ``paths`` with the S3 data of each job's channels listed
    first (standard credential chain, AWS_PROFILE, AWS_ENDPOINT_URL)."""

    def findings_of(linter: Linter) -> Iterator[Finding]:
        from botocore.exceptions import ProfileNotFound
        from sagelint.aws import lint_with_s3

        try:
            yield from lint_with_s3(
                linter, paths, s3_max_objects=s3_max_objects, stdin_name=stdin_name
            )
        except ProfileNotFound as error:
            raise click.UsageError(str(error)) from None

    return findings_of
