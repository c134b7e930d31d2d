"""The ``sagelint`` command line, built with click: one module per command.

``sagelint`` is the group; :func:`console` is the console script and :func:`main` runs it in
the same process (for tests and programs), both answering with the exit code: 0 nothing at or
above ``--fail-on``, 1 findings, 2 a usage error or an input that could not be checked. Shell
completion is click's: ``_SAGELINT_COMPLETE=bash_source sagelint`` prints the bash script
(``zsh_source``, ``fish_source`` for the others).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click
from sagelint import __version__
from sagelint.cli.audit import audit
from sagelint.cli.config import config
from sagelint.cli.explain import explain, explanation
from sagelint.cli.lint import lint
from sagelint.cli.options import FORMAT_CHOICES
from sagelint.cli.policy import policy
from sagelint.cli.rules import rules
from sagelint.printable import printable

__all__ = ["FORMAT_CHOICES", "console", "explanation", "main", "sagelint"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class SagelintGroup(click.Group):
    """The group's :meth:`main` answers with the exit code, and says a usage error in one line
    (``sagelint: error: ...``, exit code 2) rather than click's usage block."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = "sagelint",
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            click.echo(f"sagelint: error: {printable(error.format_message())}", err=True)
            code = error.exit_code
        except click.Abort:
            click.echo("sagelint: aborted", err=True)
            code = 2
        if standalone_mode:
            sys.exit(code)
        return int(code or 0)


@click.group(cls=SagelintGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="sagelint")
def sagelint() -> None:
    """A policy linter for Amazon SageMaker training jobs.

    Checks DescribeTrainingJob responses and CreateTrainingJob request specs (JSON, JSON Lines
    or YAML) against the documented API shape and a catalogue of security, cost and reliability
    rules. Run `sagelint COMMAND --help` for the options of a command.
    """


for command in (lint, audit, rules, explain, config, policy):
    sagelint.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """``sagelint ARGS`` in this process: the exit code."""
    return sagelint.main(argv, standalone_mode=False)


def console() -> NoReturn:
    """The ``sagelint`` console script. Standard output closed by the reader
    (``sagelint lint | head``) ends the run quietly with 2."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the failed flush of the closed pipe at exit: point stdout at
        # nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 2
    sys.exit(code)
