"""The ``sagelint`` command line.

Built on :mod:`argparse`, not click: a one-file lint (what pre-commit runs on every commit) has
to start in about twice the time of a bare interpreter, and importing click alone takes longer
than that on the machines we measure on (see ``bench/bench_lint.py`` and the README). Each
command's options are declared once here (the audit's in :mod:`sagelint.audit_cli`), and each
command module is imported only when that command runs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from sagelint import __version__
from sagelint.patterns import Pattern

if TYPE_CHECKING:
    from typing import IO, Any, NoReturn

    from sagelint.config import Settings
    from sagelint.engine import Linter, Options
    from sagelint.findings import Finding

SEVERITY_CHOICES = ("error", "warning", "info")
FORMAT_CHOICES = ("text", "json", "sarif", "junit", "github")  # = reports.FORMATS, import-free
_SIZE = Pattern(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)

EXIT_CODES = """\
exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  a usage error, or {what}
     (everything else is still checked and reported)"""


class UsageError(Exception):
    """A command line, configuration or baseline that cannot be used: one line, exit code 2."""


def parse_size(text: str) -> int:
    """``10MB``, ``512KiB``, ``1g`` or a plain number of bytes (units are powers of 1024)."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a size (e.g. 10MB, 512KiB, 1048576)")
    number, unit = int(match.group(1)), (match.group(2) or "b")[0].lower()
    return number * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def argument_type(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse ``type`` whose ValueError message is shown as it is (argparse would replace
    it with "invalid <function name> value")."""

    def checked(text: str) -> Any:
        try:
            return convert(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    checked.__name__ = convert.__name__
    return checked


def number(
    convert: Callable[[str], float], low: float, high: float | None = None
) -> Callable[[str], Any]:
    """An argparse ``type``: ``convert`` (int or float) of the text, from ``low`` to ``high``."""

    def in_range(text: str) -> float:
        kind = "a whole number" if convert is int else "a number"
        try:
            value = convert(text)
        except ValueError:
            raise ValueError(f"must be {kind} (got {text!r})") from None
        if not low <= value <= (value if high is None else high):
            bounds = f"at least {low}" if high is None else f"from {low} to {high}"
            raise ValueError(f"must be {bounds} (got {text})")
        return value

    in_range.__name__ = convert.__name__
    return argument_type(in_range)


def _codes(values: Iterable[str]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written; option help wrapped to the terminal (at most 100
    columns). argparse builds one for every option it adds: finding the width here rather than
    with :func:`shutil.get_terminal_size` keeps ``shutil`` (and the compression modules it
    imports) out of every run."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=min(_terminal_width(), 100) - 2)


def _terminal_width() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


# --- options shared by every checking command (lint, audit) ---------------------------------


class ReportSettings(NamedTuple):
    """The options every checking command shares (lint, audit): what to check, how to report."""

    output_format: str
    fail_on: str | None
    select: Sequence[str]
    extend_select: Sequence[str]
    ignore: Sequence[str]
    color: str
    config: str | None
    isolated: bool
    statistics: bool
    output: str | None
    baseline: str | None
    write_baseline: str | None

    @classmethod
    def of(cls, args: argparse.Namespace) -> ReportSettings:
        return cls(*(getattr(args, name) for name in cls._fields))


def add_report_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("what to check and how to report")
    add = group.add_argument
    add(
        "--format",
        dest="output_format",
        choices=FORMAT_CHOICES,
        default="text",
        help="Report format: text lines with a summary table, one JSON document, SARIF 2.1.0 "
        "(GitHub code scanning), JUnit XML (GitLab, Jenkins, Azure DevOps) or GitHub Actions "
        "annotations. [default: text]",
    )
    add(
        "--fail-on",
        choices=SEVERITY_CHOICES,
        help="Exit with 1 when a finding of this severity or above is reported. "
        "[default: error, or fail-on of the configuration]",
    )
    add(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="Only these rules: codes or code prefixes, comma-separated or repeated (SM1 = "
        "the SM1xx family). Replaces the configuration's select. Default: all rules.",
    )
    add(
        "--extend-select",
        action="append",
        default=[],
        metavar="CODES",
        help="Rules to check in addition to those selected.",
    )
    add(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="Skip these rules: codes or prefixes, comma-separated or repeated; added to the "
        "configuration's ignore.",
    )
    add(
        "--config",
        metavar="PATH",
        help="Use this configuration file (a pyproject.toml with [tool.sagelint], or a "
        ".sagelint.toml) instead of the one found by walking up from the current folder.",
    )
    add("--isolated", action="store_true", help="Ignore every configuration file.")
    add(
        "--statistics",
        action="store_true",
        help="Print the number of findings per rule instead of the findings.",
    )
    add(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE; a one-line summary still goes to standard output.",
    )
    add(
        "--baseline",
        metavar="FILE",
        help="Report only findings that are not in this baseline (see --write-baseline).",
    )
    add(
        "--write-baseline",
        metavar="FILE",
        help="Record today's findings in FILE, to be used with --baseline; exits with 0 "
        "unless an input could not be read.",
    )
    add(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="Colour the text report: auto colours only on a terminal. [default: auto]",
    )


def add_s3_max_objects_option(parser: argparse._ActionsContainer) -> None:
    parser.add_argument(
        "--s3-max-objects",
        type=number(int, 1),
        default=10_000,
        metavar="N",
        help="With the S3-aware rules: read at most N objects (or manifest entries) per "
        "channel; findings from a listing cut short say so. [default: 10000]",
    )


def _configuration(settings: ReportSettings) -> Settings | None:
    from sagelint.config import ConfigError, find_config, load_config

    if settings.isolated:
        return None
    try:
        return load_config(settings.config) if settings.config else find_config(os.getcwd())
    except ConfigError as error:
        raise UsageError(str(error)) from None


def build_options(settings: ReportSettings, **options: Any) -> tuple[Options, str]:
    """The engine's options and the fail-on threshold: command line over configuration."""
    from sagelint.engine import Options

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
        from sagelint.baseline import BaselineError, read_baseline

        try:
            options["baseline"] = read_baseline(settings.baseline)
        except BaselineError as error:
            raise UsageError(str(error)) from None
    fail_on = settings.fail_on or (config and config.fail_on) or "error"
    return Options(select=select, ignore=ignore, **options), fail_on


def run_checks(
    settings: ReportSettings,
    findings_of: Callable[[Linter], Iterable[Finding]],
    **options: Any,
) -> int:
    """Build the linter, stream its findings into the report; the exit code.

    ``findings_of`` gets the linter and yields findings (from files, or from AWS); ``options``
    are further :class:`~sagelint.engine.Options` fields.
    """
    from sagelint.document_rules import INPUT_ERROR_CODES as INPUT_ERRORS
    from sagelint.engine import Linter
    from sagelint.rules import RULES
    from sagelint.selectors import SelectorError
    from sagelint.findings import at_least as severity_at_least
    from sagelint.report import Summary, reporter

    engine_options, fail_on = build_options(settings, **options)
    try:
        linter = Linter(engine_options, rules=RULES)
    except SelectorError as error:
        raise UsageError(str(error)) from None
    try:
        stream: IO[str] = (
            open(settings.output, "w", encoding="utf-8")  # noqa: SIM115
            if settings.output
            else sys.stdout
        )
    except OSError as error:
        raise UsageError(f"{settings.output}: cannot write: {error.strerror}") from None
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
            elif severity_at_least(finding.severity, fail_on) and not summary.exit_code:
                summary.exit_code = 1
    except KeyboardInterrupt:
        input_error = True
        print("sagelint: interrupted; the report covers what was checked so far", file=sys.stderr)
    if settings.write_baseline:
        from sagelint.baseline import write_baseline

        write_baseline(settings.write_baseline, kept)
        print(f"sagelint: wrote {len(kept)} findings to {settings.write_baseline}", file=sys.stderr)
        summary.exit_code = 0
    if input_error:
        summary.exit_code = 2
    summary.jobs, summary.files = linter.jobs_checked, linter.files_seen
    summary.suppressed.update(linter.suppressed)
    report.finish(summary)
    stream.flush()
    if settings.output:
        stream.close()
        print(f"sagelint: {summary.describe()}; report written to {settings.output}")
    return summary.exit_code


# --- the commands ---------------------------------------------------------------------------


def add_lint_options(parser: argparse.ArgumentParser) -> None:
    parser.usage = "%(prog)s [OPTIONS] [PATH ...]"
    parser.description = (
        "Lint training job documents in PATHs: files, folders (searched for *.json, *.jsonl,\n"
        "*.yaml, *.yml) or - for standard input. Default: the current folder."
    )
    parser.epilog = EXIT_CODES.format(what="an input that could not be read or parsed")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="What to lint.")
    add_report_options(parser)
    group = parser.add_argument_group("input")
    group.add_argument(
        "--max-document-size",
        type=argument_type(parse_size),
        metavar="SIZE",
        help="Refuse a file (or a JSON Lines line) larger than this, e.g. 512KiB, 50MB. "
        "[default: 10MiB]",
    )
    group.add_argument(
        "--jobs",
        "-j",
        type=number(int, 1),
        metavar="N",
        help="Worker processes for runs of many files (256 or more). [default: one per CPU]",
    )
    group.add_argument(
        "--stdin-filename",
        default="<stdin>",
        metavar="NAME",
        help="The name to report for standard input (PATH '-'); its suffix picks the format.",
    )
    group.add_argument(
        "--s3",
        action="store_true",
        help="List the S3 data of each job's channels (standard AWS credential chain, "
        "AWS_PROFILE, AWS_ENDPOINT_URL) so that the S3-aware rules SM203, SM205 and SM206 run.",
    )
    add_s3_max_objects_option(group)


def lint(args: argparse.Namespace) -> int:
    paths: Sequence[str] = args.paths or (".",)
    findings_of: Callable[[Linter], Iterable[Finding]]
    if args.s3:
        from sagelint.audit_cli import s3_lint_findings

        findings_of = s3_lint_findings(paths, args.stdin_filename, args.s3_max_objects)
    else:
        findings_of = lambda linter: linter.lint_paths(  # noqa: E731
            paths, stdin_name=args.stdin_filename
        )
    options: dict[str, Any] = {"jobs": args.jobs}
    if args.max_document_size is not None:
        options["max_document_size"] = args.max_document_size
    return run_checks(ReportSettings.of(args), findings_of, **options)


def add_rules_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json"),
        default="text",
        help="A table, or a JSON array with each rule's references, equivalent checks of "
        "other tools and compliance mapping. [default: text]",
    )


def list_rules(args: argparse.Namespace) -> int:
    from sagelint.rules import RULES

    if args.output_format == "json":
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
        print(json.dumps(rows, indent=2))
        return 0
    from sagelint.report.table import table

    lines = [(r.code, r.name, r.severity, r.summary) for r in RULES]
    print(table(lines, ("code", "name", "severity", "summary")))
    return 0


def add_explain_options(parser: argparse.ArgumentParser) -> None:
    parser.description = "Print the documentation of rule CODE (e.g. SM101, or its name)."
    parser.add_argument("code", metavar="CODE", help="A rule's code or name.")


def explain(args: argparse.Namespace) -> int:
    from sagelint.rules import RULES

    wanted = args.code.strip()
    found = next((r for r in RULES if wanted.upper() == r.code or wanted == r.name), None)
    if found is None:
        raise UsageError(f"no rule {args.code!r} (see `sagelint rules`)")
    print(explanation(found.code))
    return 0


def explanation(code: str) -> str:
    from sagelint.rules import RULES_BY_CODE

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


# name: (summary, "module:function" that adds its options and the function that runs it).
# Only the options of the command being run are declared: its module alone is imported.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "lint": (
        "Lint training job documents in files, folders or standard input.",
        "sagelint.cli:add_lint_options",
        "sagelint.cli:lint",
    ),
    "audit": (
        "Audit the training jobs of live AWS accounts.",
        "sagelint.audit_cli:add_audit_options",
        "sagelint.audit_cli:audit",
    ),
    "rules": (
        "List every rule: code, name, default severity and summary.",
        "sagelint.cli:add_rules_options",
        "sagelint.cli:list_rules",
    ),
    "explain": (
        "Print the documentation of a rule.",
        "sagelint.cli:add_explain_options",
        "sagelint.cli:explain",
    ),
}


def _function(where: str) -> Callable[..., Any]:
    from importlib import import_module

    module, _, name = where.partition(":")
    function: Callable[..., Any] = getattr(import_module(module), name)
    return function


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser of ``argv``: every command listed, the options of the one named declared."""
    parser = argparse.ArgumentParser(
        prog="sagelint",
        description="A policy linter for Amazon SageMaker training jobs.\n\n"
        "Checks DescribeTrainingJob responses and CreateTrainingJob request specs (JSON, JSON\n"
        "Lines or YAML) against the documented API shape and a catalogue of security, cost and\n"
        "reliability rules.",
        epilog="Run `sagelint COMMAND --help` for the options of a command.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"sagelint, version {__version__}"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, (summary, add_options, run) in COMMANDS.items():
        if named in COMMANDS and name != named:
            continue  # help and "invalid choice" messages list every command; a run needs one
        command = commands.add_parser(
            name, help=summary, description=summary, formatter_class=HelpFormatter
        )
        if name == named:
            _function(add_options)(command)
            command.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``sagelint ARGS``: the exit code (argparse exits with 2 itself on a usage error)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        code: int = _function(args.run)(args)
    except UsageError as error:
        print(f"sagelint: error: {error}", file=sys.stderr)
        return 2
    return code


def console() -> NoReturn:
    """The ``sagelint`` console script: :func:`main`, then a fast exit.

    Like mypy's fast exit, it skips the interpreter's teardown (freeing every module and
    object one by one), a tenth of a one-file lint, once the output is flushed. Standard
    output closed by the reader (``sagelint lint | head``) ends the run quietly with 2.
    """
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        code = 2
    try:  # noqa: SIM105 (contextlib.suppress would be the one import of contextlib)
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


if __name__ == "__main__":
    console()
