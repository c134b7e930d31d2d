"""What ``lint`` and ``audit`` share: options to engine options, findings to the report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from sagelint.cli.options import ReportSettings
from sagelint.printable import printable

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from sagelint.catalogue import Catalogue
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


def configuration(
    config: str | None, isolated: bool, policy_files: Sequence[str] = ()
) -> tuple[Settings | None, Catalogue]:
    """The configuration file's settings (``--config PATH``, none with ``--isolated``, else
    the nearest at or above the current folder) and the catalogue of the run's rules: built-in,
    plugins', policies' (the configuration's and ``policy_files``, ``--policy``)."""
    from sagelint.catalogue import build_catalogue
    from sagelint.config import ConfigError, find_config, load_config
    from sagelint.plugins import PluginError
    from sagelint.policies import PolicyError

    try:
        settings = None
        if isolated:
            pass
        elif config:
            settings = load_config(config, policy_files)
        else:
            settings = find_config(str(Path.cwd()), policy_files)
        if settings is not None and settings.catalogue is not None:
            return settings, settings.catalogue
        return settings, build_catalogue(policy_files=policy_files)
    except (ConfigError, PluginError, PolicyError) as error:
        raise click.UsageError(str(error)) from None


def catalogue_options(command: F) -> F:
    """``--config``, ``--isolated`` and ``--policy``: for the commands that show rules."""
    for option in reversed(
        (
            click.option(
                "--config",
                type=click.Path(dir_okay=False),
                metavar="PATH",
                help="Use this configuration file (for its plugins and policies) instead of "
                "the one found from the current folder.",
            ),
            click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
            click.option(
                "--policy",
                type=click.Path(dir_okay=False),
                multiple=True,
                metavar="FILE",
                help="A schema policy file whose policies to show too; repeatable.",
            ),
        )
    ):
        command = option(command)
    return command


def build_options(settings: ReportSettings, **options: Any) -> tuple[Options, str, Catalogue]:
    """The engine's options, the fail-on threshold and the catalogue of rules: command line
    over configuration."""
    from sagelint.config import options_from

    config, catalogue = configuration(settings.config, settings.isolated, settings.policy)
    exclude = settings.exclude if settings.exclude is not None else (config and config.exclude)
    exclude = [*(exclude or ()), *settings.extend_exclude]
    if exclude:
        options["exclude"] = exclude
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
    engine_options = options_from(
        config,
        select=settings.select,
        extend_select=settings.extend_select,
        ignore=settings.ignore,
        **options,
    )
    return engine_options, fail_on, catalogue


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
    from sagelint.report import ReportError, Summary, reporter
    from sagelint.selectors import SelectorError

    name = _report_name(settings)
    engine_options, fail_on, catalogue = build_options(settings, **options)
    try:
        linter = Linter(engine_options, rules=catalogue.rules)
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
    except ReportError as error:  # nothing was written: one line, exit code 2
        if settings.output:
            stream.close()
        raise click.UsageError(str(error)) from None
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
