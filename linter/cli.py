"""The ``sagelint`` command line."""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from linter import __version__

if TYPE_CHECKING:
    from linter.config import Settings
    from linter.engine import Linter, Options
    from linter.findings import Finding

SEVERITY_CHOICES = ("error", "warning", "info")
FORMAT_CHOICES = ("text", "json", "sarif", "junit", "github")  # = reports.FORMATS, import-free
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


class ConfigProblem(click.ClickException):
    """A configuration or baseline file that cannot be used: exit code 2, like a usage error."""

    exit_code = 2


@dataclass(frozen=True)
class ReportSettings:
    """The options every checking command shares (lint, audit): what to check, how to report."""

    output_format: str
    fail_on: str | None
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    color: str
    config: str | None
    isolated: bool
    statistics: bool
    output: str | None
    baseline: str | None
    write_baseline: str | None


s3_max_objects_option = click.option(
    "--s3-max-objects",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    metavar="N",
    help="With the S3-aware rules: read at most N objects (or manifest entries) per channel; "
    "findings from a listing cut short say so.",
)

_REPORT_OPTIONS = (
    click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMAT_CHOICES),
        default="text",
        show_default=True,
        help="Report format: text lines with a summary table, one JSON document, SARIF 2.1.0 "
        "(GitHub code scanning), JUnit XML (GitLab, Jenkins, Azure DevOps) or GitHub Actions "
        "annotations.",
    ),
    click.option(
        "--fail-on",
        type=click.Choice(SEVERITY_CHOICES),
        default=None,
        help="Exit with 1 when a finding of this severity or above is reported. "
        "[default: error, or fail-on of the configuration]",
    ),
    click.option(
        "--select",
        multiple=True,
        metavar="CODES",
        help="Only these rules: codes or code prefixes, comma-separated or repeated (SM1 = "
        "the SM1xx family). Replaces the configuration's select. Default: all rules.",
    ),
    click.option(
        "--extend-select",
        multiple=True,
        metavar="CODES",
        help="Rules to check in addition to those selected.",
    ),
    click.option(
        "--ignore",
        multiple=True,
        metavar="CODES",
        help="Skip these rules: codes or prefixes, comma-separated or repeated; added to the "
        "configuration's ignore.",
    ),
    click.option(
        "--config",
        metavar="PATH",
        help="Use this configuration file (a pyproject.toml with [tool.sagelint], or a "
        ".sagelint.toml) instead of the one found by walking up from the current folder.",
    ),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
    click.option(
        "--statistics",
        is_flag=True,
        help="Print the number of findings per rule instead of the findings.",
    ),
    click.option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE; a one-line summary still goes to standard output.",
    ),
    click.option(
        "--baseline",
        metavar="FILE",
        help="Report only findings that are not in this baseline (see --write-baseline).",
    ),
    click.option(
        "--write-baseline",
        metavar="FILE",
        help="Record today's findings in FILE, to be used with --baseline; exits with 0 "
        "unless an input could not be read.",
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


def _configuration(settings: ReportSettings) -> Settings | None:
    from linter.config import ConfigError, find_config, load_config

    if settings.isolated:
        return None
    path = Path(settings.config) if settings.config else find_config(Path.cwd())
    if path is None:
        return None
    try:
        return load_config(path)
    except ConfigError as error:
        raise ConfigProblem(str(error)) from None


def build_options(settings: ReportSettings, **options: Any) -> tuple[Options, str]:
    """The engine's options and the fail-on threshold: command line over configuration."""
    from linter.baseline import BaselineError, read_baseline
    from linter.engine import Options

    config = _configuration(settings)
    if config is not None:
        options.setdefault("severity", config.severity or {})
        options.setdefault("exclude", config.exclude)
        options.setdefault("per_file_ignores", config.per_file_ignores or {})
        options.setdefault("root", config.root)
        options.setdefault("policy", config.policy)
    select = _codes(settings.select) or list((config and config.select) or ("SM",))
    select += [*(config.extend_select if config else ()), *_codes(settings.extend_select)]
    ignore = [*(config.ignore if config else ()), *_codes(settings.ignore)]
    if settings.baseline and not settings.write_baseline:
        try:
            options["baseline"] = read_baseline(Path(settings.baseline))
        except BaselineError as error:
            raise ConfigProblem(str(error)) from None
    fail_on = settings.fail_on or (config and config.fail_on) or "error"
    return Options(select=select, ignore=ignore, **options), fail_on


def run_checks(
    settings: ReportSettings,
    findings_of: Callable[[Linter], Iterable[Finding]],
    **options: Any,
) -> NoReturn:
    """Build the linter, stream its findings into the report, and exit with the right code.

    ``findings_of`` gets the linter and yields findings (from files, or from AWS); ``options``
    are further :class:`~linter.engine.Options` fields.
    """
    from linter.engine import INPUT_ERRORS, Linter, SelectorError
    from linter.findings import at_least
    from linter.reports import Summary, reporter

    engine_options, fail_on = build_options(settings, **options)
    try:
        linter = Linter(engine_options)
    except SelectorError as error:
        raise click.UsageError(str(error)) from None
    try:
        stream: IO[str] = (
            Path(settings.output).open("w", encoding="utf-8")  # noqa: SIM115
            if settings.output
            else sys.stdout
        )
    except OSError as error:
        raise ConfigProblem(f"{settings.output}: cannot write: {error.strerror}") from None
    painted = settings.color == "always" or (
        settings.color == "auto" and not settings.output and stream.isatty()
    )
    name = "statistics" if settings.statistics else settings.output_format
    if settings.statistics and settings.output_format == "json":
        name = "statistics-json"
    report = reporter(name, stream, color=painted)
    linter.on_document = getattr(report, "document", None)
    summary = Summary()
    kept: list[Finding] = []
    input_error = False
    try:
        for finding in findings_of(linter):
            summary.add(finding)
            report.finding(finding)
            if settings.write_baseline:
                kept.append(finding)
            if finding.rule in INPUT_ERRORS:
                input_error = True
            elif at_least(finding.severity, fail_on) and not summary.exit_code:
                summary.exit_code = 1
    except KeyboardInterrupt:
        input_error = True
        click.echo("sagelint: interrupted; the report covers what was checked so far", err=True)
    if settings.write_baseline:
        from linter.baseline import write_baseline

        write_baseline(Path(settings.write_baseline), kept)
        click.echo(f"sagelint: wrote {len(kept)} findings to {settings.write_baseline}", err=True)
        summary.exit_code = 0
    if input_error:
        summary.exit_code = 2
    summary.jobs, summary.files = linter.jobs_checked, linter.files_seen
    summary.suppressed.update(linter.suppressed)
    report.finish(summary)
    stream.flush()
    if settings.output:
        stream.close()
        click.echo(f"sagelint: {summary.describe()}; report written to {settings.output}")
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
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
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
    help="List the S3 data of each job's channels (standard AWS credential chain, AWS_PROFILE, "
    "AWS_ENDPOINT_URL) so that the S3-aware rules SM203, SM205 and SM206 run.",
)
@s3_max_objects_option
def lint(
    settings: ReportSettings,
    paths: tuple[str, ...],
    max_document_size: int,
    jobs: int | None,
    stdin_filename: str,
    s3: bool,
    s3_max_objects: int,
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
    findings_of: Callable[[Linter], Iterable[Finding]]
    if s3:
        from linter.audit_cli import s3_lint_findings

        findings_of = s3_lint_findings(paths or (".",), stdin_filename, s3_max_objects)
    else:
        findings_of = lambda linter: linter.lint_paths(  # noqa: E731
            paths or (".",), stdin_name=stdin_filename
        )
    run_checks(settings, findings_of, max_document_size=max_document_size, jobs=jobs)


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


# The audit command registers itself with `main`; it imports the shared options from here.
import linter.audit_cli  # noqa: E402, F401
