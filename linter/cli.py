"""The ``sagelint`` command line."""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import click

from linter import __version__

if TYPE_CHECKING:
    from linter.engine import Linter
    from linter.findings import Finding

SEVERITY_CHOICES = ("error", "warning", "info")
FORMAT_CHOICES = ("text", "json")  # linter.reports.FORMATS, kept here so --help stays import-free
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``10MB``, ``512KiB``, ``1g`` or a plain number of bytes (units are powers of 1024)."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a size (e.g. 10MB, 512KiB, 1048576)")
    number, unit = int(match.group(1)), (match.group(2) or "b")[0].lower()
    return number * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def _size_option(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        return parse_size(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _codes(values: Sequence[str]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="sagelint")
def main() -> None:
    """A policy linter for Amazon SageMaker training jobs.

    Checks DescribeTrainingJob responses and CreateTrainingJob request specs (JSON, JSON Lines
    or YAML) against the documented API shape and a catalogue of security, cost and
    reliability rules.
    """


@dataclass(frozen=True)
class ReportSettings:
    """The options every checking command shares (lint, audit): what to check, how to report."""

    output_format: str
    fail_on: str
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    color: str


_REPORT_OPTIONS = (
    click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMAT_CHOICES),
        default="text",
        show_default=True,
        help="Report format: text lines with a summary table, or one JSON document.",
    ),
    click.option(
        "--fail-on",
        type=click.Choice(SEVERITY_CHOICES),
        default="error",
        show_default=True,
        help="Exit with 1 when a finding of this severity or above is reported.",
    ),
    click.option(
        "--select",
        multiple=True,
        metavar="CODES",
        help="Only these rules: codes or code prefixes, comma-separated or repeated (SM1 = "
        "the SM1xx family). Default: all rules.",
    ),
    click.option(
        "--ignore",
        multiple=True,
        metavar="CODES",
        help="Skip these rules: codes or prefixes, comma-separated or repeated.",
    ),
    click.option(
        "--color",
        type=click.Choice(("auto", "always", "never")),
        default="auto",
        show_default=True,
        help="Colour the text report: auto colours only on a terminal.",
    ),
)


def report_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the shared options to a command, which receives them as ``settings``."""

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        names = [field.name for field in dataclasses.fields(ReportSettings)]
        settings = ReportSettings(**{name: kwargs.pop(name) for name in names})
        command(settings=settings, **kwargs)

    for option in reversed(_REPORT_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def run_checks(
    settings: ReportSettings,
    findings_of: Callable[[Linter], Iterable[Finding]],
    **options: Any,
) -> NoReturn:
    """Build the linter, stream its findings into the report, and exit with the right code.

    ``findings_of`` gets the linter and yields findings (from files, or from AWS); ``options``
    are further :class:`~linter.engine.Options` fields.
    """
    from linter.engine import INPUT_ERRORS, Linter, Options, SelectorError
    from linter.findings import at_least
    from linter.reports import Summary, reporter

    try:
        linter = Linter(
            Options(
                select=_codes(settings.select) or ("SM",), ignore=_codes(settings.ignore), **options
            )
        )
    except SelectorError as error:
        raise click.UsageError(str(error)) from None
    stream = sys.stdout
    painted = settings.color == "always" or (settings.color == "auto" and stream.isatty())
    report = reporter(settings.output_format, stream, color=painted)
    summary = Summary()
    input_error = False
    try:
        for finding in findings_of(linter):
            summary.add(finding)
            report.finding(finding)
            if finding.rule in INPUT_ERRORS:
                input_error = True
            elif at_least(finding.severity, settings.fail_on) and not summary.exit_code:
                summary.exit_code = 1
    except KeyboardInterrupt:
        input_error = True
        click.echo("sagelint: interrupted; the report covers what was checked so far", err=True)
    if input_error:
        summary.exit_code = 2
    summary.jobs, summary.files = linter.jobs_checked, linter.files_seen
    report.finish(summary)
    stream.flush()
    sys.exit(summary.exit_code)


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@report_options
@click.option(
    "--max-document-size",
    default="10MiB",
    show_default=True,
    callback=_size_option,
    metavar="SIZE",
    help="Refuse a file (or a JSON Lines line) larger than this, e.g. 512KiB, 50MB.",
)
@click.option(
    "--stdin-filename",
    default="<stdin>",
    metavar="NAME",
    help="The name to report for standard input (PATH '-'); its suffix picks the format.",
)
def lint(
    settings: ReportSettings,
    paths: tuple[str, ...],
    max_document_size: int,
    stdin_filename: str,
) -> None:
    """Lint training job documents in PATHs: files, folders (searched for *.json, *.jsonl,
    *.yaml, *.yml) or - for standard input. Default: the current folder.

    \b
    Exit codes:
      0  no finding at or above --fail-on
      1  findings at or above --fail-on
      2  a usage error, or an input that could not be read or parsed
         (everything else is still checked and reported)
    """
    run_checks(
        settings,
        lambda linter: linter.lint_paths(paths or (".",), stdin_name=stdin_filename),
        max_document_size=max_document_size,
    )


@main.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
def list_rules(output_format: str) -> None:
    """List every rule: code, name, default severity and summary."""
    from rules import RULES

    if output_format == "json":
        import json

        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "summary": r.summary,
                "applies_to": sorted(r.kinds),
                "references": list(r.references),
                "peers": dict(r.peers),
                "compliance": list(r.compliance),
            }
            for r in RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    from tabulate import tabulate

    table = [(r.code, r.name, r.severity, r.summary) for r in RULES]
    click.echo(tabulate(table, headers=("code", "name", "severity", "summary")))


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print the documentation of rule CODE (e.g. SM101, or its name)."""
    from rules import RULES

    wanted = code.strip()
    found = next((r for r in RULES if wanted.upper() == r.code or wanted == r.name), None)
    if found is None:
        raise click.UsageError(f"no rule {code!r} (see `sagelint rules`)")
    click.echo(explanation(found.code))


def explanation(code: str) -> str:
    from rules import RULES_BY_CODE

    r = RULES_BY_CODE[code]
    lines = [
        f"# {r.code} {r.name}",
        "",
        f"{r.summary[0].upper()}{r.summary[1:]}.",
        "",
        f"Default severity: {r.severity}. Applies to: "
        + ", ".join(
            {"describe": "DescribeTrainingJob responses", "create": "CreateTrainingJob requests"}[k]
            for k in sorted(r.kinds)
        )
        + ".",
        "",
        r.doc,
    ]
    if r.references:
        lines += ["", "## References", *(f"- {ref}" for ref in r.references)]
    if r.peers:
        lines += [
            "",
            "## Equivalent checks",
            *(f"- {tool}: {check}" for tool, check in r.peers.items()),
        ]
    if r.compliance:
        lines += ["", "## Compliance", *(f"- {item}" for item in r.compliance)]
    return "\n".join(lines)
