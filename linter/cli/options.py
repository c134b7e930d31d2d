"""Options and parameter types shared by the commands that check jobs (``lint``, ``audit``)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click
from click.shell_completion import CompletionItem

if TYPE_CHECKING:
    from click import Context, Parameter

F = TypeVar("F", bound=Callable[..., Any])

SEVERITY_CHOICES = ("error", "warning", "info")
FORMAT_CHOICES = ("text", "json", "sarif", "junit", "github", "asff")
COLOR_CHOICES = ("auto", "always", "never")

EXIT_CODES = """\b
Exit codes:
  0  no finding at or above --fail-on (or --exit-zero)
  1  findings at or above --fail-on
  2  a usage error, or {what}
     (everything else is still checked and reported)"""


class CommaSeparated(click.ParamType[tuple[str, ...]]):
    """Values separated by commas (``legacy/*,sandbox/*``); with ``multiple=True`` the option may
    also be repeated (see :func:`flat`)."""

    name = "list"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


class Selectors(CommaSeparated):
    """Rule selectors: codes, code prefixes or rule names, comma-separated (``SM1,SM301``);
    the shell completes rule codes and names."""

    name = "codes"

    def shell_complete(
        self, ctx: Context, param: Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from sagelint.rules import RULES

        done, _, last = incomplete.rpartition(",")
        done = f"{done}," if done else ""
        return [
            CompletionItem(done + word, help=rule.summary)
            for rule in RULES
            for word in (rule.code, rule.name)
            if word.lower().startswith(last.lower())
        ]


class Matching(click.ParamType[str]):
    """One value that matches a pattern."""

    def __init__(self, pattern: str, what: str) -> None:
        self.name = what
        self._pattern = re.compile(pattern)

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> str:
        if not self._pattern.match(str(value)):
            self.fail(f"{value!r} is not {self.name}", param, ctx)
        return str(value)


class ListOf(click.ParamType[tuple[str, ...]]):
    """An option given once or more, each a comma-separated list of values that match a pattern."""

    def __init__(self, pattern: str, what: str) -> None:
        self.name = what
        self._pattern = re.compile(pattern)
        self._what = what

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        items = tuple(part.strip() for part in str(value).split(",") if part.strip())
        for item in items:
            if not self._pattern.match(item):
                self.fail(f"{item!r} is not {self._what}", param, ctx)
        return items


_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``10MB``, ``512KiB``, ``1g`` or a plain number of bytes (units are powers of 1024)."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a size (e.g. 10MB, 512KiB, 1048576)")
    number, unit = int(match.group(1)), (match.group(2) or "b")[0].lower()
    return number * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


class Size(click.ParamType[int]):
    name = "size"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class Seconds(click.FloatRange):
    """A duration in seconds within a range; NaN and infinity are refused (click's FloatRange
    lets NaN through: it compares false with either bound)."""

    name = "seconds"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return number


def flat(groups: Sequence[Sequence[str]]) -> list[str]:
    """The selectors of an option given several times, each a comma-separated list."""
    return [item for group in groups for item in group]


class ReportSettings(NamedTuple):
    """The options every checking command shares (lint, audit): what to check, how to report."""

    output_format: str
    fail_on: str | None
    select: Sequence[str]
    extend_select: Sequence[str]
    ignore: Sequence[str]
    exclude: Sequence[str] | None
    extend_exclude: Sequence[str]
    color: str
    config: str | None
    isolated: bool
    statistics: bool
    output: str | None
    baseline: str | None
    write_baseline: str | None
    exit_zero: bool
    quiet: bool
    show_source: bool
    policy: Sequence[str]

    @classmethod
    def pop(cls, values: dict[str, Any]) -> ReportSettings:
        """The report settings among a command's parameters; the others are left in ``values``."""
        settings = {name: values.pop(name) for name in cls._fields}
        for name in ("select", "extend_select", "ignore", "extend_exclude"):
            settings[name] = flat(settings[name])
        settings["exclude"] = flat(settings["exclude"]) if settings["exclude"] else None
        return cls(**settings)


_REPORT_OPTIONS = (
    click.option(
        "--format",
        "--output-format",
        "output_format",
        type=click.Choice(FORMAT_CHOICES),
        default="text",
        show_default=True,
        help="Report format: text lines with a summary table, one JSON document, SARIF 2.1.0 "
        "(GitHub code scanning), JUnit XML (GitLab, Jenkins, Azure DevOps), GitHub Actions "
        "annotations, or AWS Security Finding Format (the JSON array Security Hub's "
        "BatchImportFindings takes).",
    ),
    click.option(
        "--output",
        "--output-file",
        "-o",
        "output",
        type=click.Path(dir_okay=False, writable=True, allow_dash=False),
        metavar="FILE",
        help="Write the report to FILE; a one-line summary still goes to standard output.",
    ),
    click.option(
        "--fail-on",
        type=click.Choice(SEVERITY_CHOICES),
        help="Exit with 1 when a finding of this severity or above is reported. "
        "[default: error, or fail-on of the configuration]",
    ),
    click.option(
        "--exit-zero",
        is_flag=True,
        help="Exit with 0 even when findings are reported (2 still says an input could not "
        "be checked).",
    ),
    click.option(
        "--select",
        type=Selectors(),
        multiple=True,
        metavar="CODES",
        help="Only these rules: codes, code prefixes (SM1 = the SM1xx family) or rule names, "
        "comma-separated or repeated. Replaces the configuration's select. Default: all rules.",
    ),
    click.option(
        "--extend-select",
        type=Selectors(),
        multiple=True,
        metavar="CODES",
        help="Rules to check in addition to those selected.",
    ),
    click.option(
        "--ignore",
        type=Selectors(),
        multiple=True,
        metavar="CODES",
        help="Skip these rules (codes, prefixes or names); added to the configuration's ignore.",
    ),
    click.option(
        "--exclude",
        type=CommaSeparated(),
        multiple=True,
        metavar="GLOBS",
        help="Skip files matching these globs (relative to the configuration's folder, or a "
        "file name), comma-separated or repeated. Replaces the configuration's exclude.",
    ),
    click.option(
        "--extend-exclude",
        type=CommaSeparated(),
        multiple=True,
        metavar="GLOBS",
        help="Globs of files to skip, in addition to the configuration's exclude.",
    ),
    click.option(
        "--config",
        type=click.Path(dir_okay=False),
        metavar="PATH",
        help="Use this configuration file (a pyproject.toml with [tool.sagelint], or a "
        ".sagelint.toml) instead of the one found by walking up from the current folder.",
    ),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
    click.option(
        "--policy",
        type=click.Path(dir_okay=False),
        multiple=True,
        metavar="FILE",
        help="A schema policy file (YAML or JSON) whose policies run as rules, besides the "
        "configuration's; repeatable.",
    ),
    click.option(
        "--statistics",
        is_flag=True,
        help="Print the number of findings per rule instead of the findings (a table, or "
        "JSON with --format json).",
    ),
    click.option(
        "--show-source",
        is_flag=True,
        help="Show the offending source line under each finding, with a caret at the column "
        "(text format).",
    ),
    click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="Print the findings and nothing else: no summary, no notes on standard error.",
    ),
    click.option(
        "--baseline",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Report only findings that are not in this baseline (see --write-baseline).",
    ),
    click.option(
        "--write-baseline",
        type=click.Path(dir_okay=False, writable=True),
        metavar="FILE",
        help="Record today's findings in FILE, to be used with --baseline; exits with 0 "
        "unless an input could not be read.",
    ),
    click.option(
        "--color",
        type=click.Choice(COLOR_CHOICES),
        default="auto",
        show_default=True,
        help="Colour the text report: auto colours on a terminal, unless NO_COLOR is set or "
        "TERM is dumb (FORCE_COLOR colours anyway).",
    ),
)


def report_options(command: F) -> F:
    """Add the options of :class:`ReportSettings` to a command."""
    for option in reversed(_REPORT_OPTIONS):
        command = option(command)
    return command


def s3_max_objects_option(command: F) -> F:
    return click.option(
        "--s3-max-objects",
        type=click.IntRange(min=1),
        default=10_000,
        show_default=True,
        metavar="N",
        help="With the S3-aware rules: read at most N objects (or manifest entries) per "
        "channel; findings from a listing cut short say so.",
    )(command)
