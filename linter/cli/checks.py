"""What ``lint`` and ``audit`` share: options to engine options, findings to the report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from sagelint.cli.options import ReportSettings
from sagelint.printable import printable

if TYPE_CHECKING:
    from sagelint.config import Settings
    from sagelint.engine import Linter, Options
    from sagelint.findings import Finding
    from sagelint.report import Reporter, Summary


def use_color(choice: str, stream: IO[str]) -> bool:
    """``--color``: ``auto`` colours a terminal unless NO_COLOR is set or TERM is dumb;
    FORCE_COLOR colours anything (https://no-color.org, https://force-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


def configuration(config: str | None, isolated: bool) -> Settings | None:
    """The configuration file's settings: ``--config PATH``, none with ``--isolated``, else
    the nearest at or above the current folder."""
    from sagelint.config import ConfigError, find_config, load_config

    if isolated:
        return None
    try:
        return load_config(config) if config else find_config(str(Path.cwd()))
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


def build_options(settings: ReportSettings, **options: Any) -> tuple[Options, str]:
    """The engine's options and the fail-on threshold: command line over configuration."""
    from sagelint.engine import Options

    config = configuration(settings.config, settings.isolated)
    if config is not None:
        options.setdefault("region", config.region)
        options.setdefault("severity", config.severity or {})
        options.setdefault("per_file_ignores", config.per_file_ignores or {})
        options.setdefault("root", config.root)
        options.setdefault("policy", config.policy)
    exclude = settings.exclude if settings.exclude is not None else (config and config.exclude)
    exclude = [*(exclude or ()), *settings.extend_exclude]
    if exclude:
        options["exclude"] = exclude
    select = list(settings.select or (config and config.select) or ("SM",))
    select += [*(config.extend_select if config else ()), *settings.extend_select]
    ignore = [*(config.ignore if config else ()), *settings.ignore]
    from sagelint.baseline import BaselineError, check_writable, read_baseline

    try:
        if settings.write_baseline:
            check_writable(settings.write_baseline)
        elif settings.baseline:
            options["baseline"] = read_baseline(settings.baseline)
    except BaselineError as error:
        raise click.UsageError(str(error)) from None
    fail_on = settings.fail_on or (config and config.fail_on) or "error"
    if settings.show_source:
        options["show_source"] = True
    return Options(select=select, ignore=ignore, **options), fail_on


def _report_name(settings: ReportSettings) -> str:
    """The reporter of ``--format`` and ``--statistics``; a usage error for what cannot go
    together."""
    name = settings.output_format
    if settings.statistics:
        if name not in ("text", "json"):
            raise click.UsageError(
                f"--statistics is a table or JSON: it does not go with --format {name}"
            )
        name = "statistics" if name == "text" else "statistics-json"
    if settings.show_source and name != "text":
        with_what = "--statistics" if settings.statistics else f"--format {name}"
        raise click.UsageError(f"--show-source goes with the text format, not with {with_what}")
    return name


def _note(message: str, settings: ReportSettings) -> None:
    if not settings.quiet:
        click.echo(f"sagelint: {printable(message)}", err=True)


def run_checks(
    settings: ReportSettings,
    findings_of: Callable[[Linter], Iterable[Finding]],
    **options: Any,
) -> int:
    """Build the linter, stream its findings into the report; the exit code.

    ``findings_of`` gets the linter and yields findings (from files, or from AWS); ``options``
    are further :class:`~sagelint.engine.Options` fields.
    """
    from sagelint.engine import Linter
    from sagelint.report import Summary, reporter
    from sagelint.rules import RULES
    from sagelint.selectors import SelectorError

    name = _report_name(settings)
    engine_options, fail_on = build_options(settings, **options)
    try:
        linter = Linter(engine_options, rules=RULES)
    except SelectorError as error:
        raise click.UsageError(str(error)) from None
    try:
        stream: IO[str] = (
            Path(settings.output).open("w", encoding="utf-8")  # noqa: SIM115
            if settings.output
            else sys.stdout
        )
    except OSError as error:
        raise click.UsageError(f"{settings.output}: cannot write: {error.strerror}") from None
    style: dict[str, bool] = {}
    if name == "text":
        style["color"] = use_color(settings.color, stream)
        style["show_source"] = settings.show_source
    if name in ("text", "github"):
        style["quiet"] = settings.quiet
    report = reporter(name, stream, linter.rules, **style)
    linter.on_document = getattr(report, "document", None)
    summary = Summary()
    try:
        _report(settings, linter, findings_of(linter), report, summary, fail_on)
        stream.flush()
    except BrokenPipeError:  # `sagelint lint | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    if settings.output:
        stream.close()
        if not settings.quiet:
            written = printable(settings.output)
            click.echo(f"sagelint: {summary.describe()}; report written to {written}")
    return summary.exit_code


def _report(
    settings: ReportSettings,
    linter: Linter,
    findings: Iterable[Finding],
    report: Reporter,
    summary: Summary,
    fail_on: str,
) -> None:
    """Each finding into the report and the summary, then the summary into the report."""
    from sagelint.document_rules import INPUT_ERROR_CODES
    from sagelint.findings import at_least

    kept: list[Finding] = []
    input_error = False
    try:
        for finding in findings:
            summary.add(finding)
            report.finding(finding)
            if settings.write_baseline:
                kept.append(finding)
            if finding.rule in INPUT_ERROR_CODES:
                input_error = True
            elif at_least(finding.severity, fail_on) and not settings.exit_zero:
                summary.exit_code = 1
    except KeyboardInterrupt:
        input_error = True
        click.echo("sagelint: interrupted; the report covers what was checked so far", err=True)
    if settings.write_baseline:
        from sagelint.baseline import BaselineError, write_baseline

        try:
            write_baseline(settings.write_baseline, kept)
        except BaselineError as error:  # the disk filled up, the folder went: the report stays
            click.echo(f"sagelint: error: {printable(str(error))}", err=True)
            input_error = True
        else:
            _note(f"wrote {len(kept)} findings to {settings.write_baseline}", settings)
            summary.exit_code = 0
    if input_error:
        summary.exit_code = 2
    summary.jobs, summary.files = linter.jobs_checked, linter.files_seen
    summary.suppressed.update(linter.suppressed)
    report.finish(summary)
