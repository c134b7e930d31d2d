"""``sagelint policy test``: the CI check of a repository of schema policies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
from sagelint.cli.checks import configuration
from sagelint.printable import printable

if TYPE_CHECKING:
    from sagelint.findings import Finding
    from sagelint.policies import LoadedPolicy
    from sagelint.rule_api import Rule


@click.group(short_help="Test schema policy files.")
def policy() -> None:
    """Work with schema policy files: an organisation's rules written as JSON Schemas."""


@policy.command(
    epilog="""\b
Exit codes:
  0  every schema is valid and every example holds
  1  an example does not hold (each is named)
  2  a policy file that cannot be used (one line naming it)"""
)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False), metavar="[FILE]...")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Test the policies of this configuration file (when no FILE is given).",
)
@click.pass_context
def test(ctx: click.Context, /, files: tuple[str, ...], config: str | None) -> None:
    """Check each policy of FILEs (default: the configuration's policies): its schema is a
    valid JSON Schema, each of its `examples.fire` documents fires it, and no `examples.pass`
    document does."""
    from sagelint.policies import PolicyError, load_policies

    if files:
        try:
            policies: Sequence[LoadedPolicy] = load_policies(files)
        except PolicyError as error:
            raise click.UsageError(str(error)) from None
    else:
        settings, catalogue = configuration(config, False)
        if settings is None or not catalogue.policies:
            raise click.UsageError("no policy file given, and no configuration that names one")
        policies = catalogue.policies
    failures = []
    examples = 0
    for loaded in policies:
        cases = [("fire", n, d, True) for n, d in enumerate(loaded.fire)]
        cases += [("pass", n, d, False) for n, d in enumerate(loaded.passes)]
        for section, index, document, should_fire in cases:
            examples += 1
            found = _fired(loaded.rule, document)
            if bool(found) != should_fire:
                how = "does not fire it" if should_fire else f"fires it: {found[0].message}"
                failures.append(
                    f"{loaded.path}: {loaded.rule.code}: examples.{section}[{index}] {how}"
                )
    for line in failures:
        click.echo(printable(line))
    total = f"{len(policies)} polic{'y' if len(policies) == 1 else 'ies'}, {examples} examples"
    if failures:
        click.echo(f"{len(failures)} of {examples} examples do not hold ({total}).")
        ctx.exit(1)
    click.echo(f"All hold: {total}, every schema valid.")


def _fired(rule: Rule, document: dict[str, Any]) -> list[Finding]:
    """The findings of ``rule`` on an example document (or part of one), read as each kind of
    job the rule applies to."""
    from sagelint.engine import Linter, Options
    from sagelint.job import make_job
    from sagelint.load.loaders import Document
    from sagelint.load.locate import NOWHERE

    linter = Linter(Options(select=(rule.code,)), rules=(rule,))
    found: list[Finding] = []
    for kind in sorted(rule.kinds):
        job = make_job(document, kind=kind)
        if job is not None:
            found += linter.lint_document(Document("example", job, NOWHERE))
    return found
