"""``sagelint explain``: a rule's documentation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem
from sagelint.cli.checks import catalogue_options, configuration
from sagelint.printable import printable

if TYPE_CHECKING:
    from sagelint.rule_api import Rule

KINDS = {"describe": "DescribeTrainingJob responses", "create": "CreateTrainingJob requests"}


def _complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from sagelint.rules import RULES

    return [
        CompletionItem(word, help=rule.summary)
        for rule in RULES
        for word in (rule.code, rule.name)
        if word.lower().startswith(incomplete.lower())
    ]


@click.command(short_help="Print the documentation of a rule.")
@click.argument("code", shell_complete=_complete)
@catalogue_options
def explain(code: str, config: str | None, isolated: bool, policy: tuple[str, ...]) -> None:
    """Print the documentation of rule CODE: its code (SM201) or its name
    (gzip-outside-pipe-mode), a plugin's or a schema policy's too."""
    from sagelint.selectors import find_rule

    found = find_rule(configuration(config, isolated, policy)[1].rules, code)
    if found is None:
        raise click.UsageError(f"no rule {code!r} (see `sagelint rules`)")
    click.echo(printable(explanation(found), keep_newlines=True))


def explanation(rule: Rule | str) -> str:
    """The Markdown documentation of a rule (or of the rule with that code)."""
    if isinstance(rule, str):
        from sagelint.rules import RULES_BY_CODE

        rule = RULES_BY_CODE[rule]
    applies_to = ", ".join(KINDS[kind] for kind in sorted(rule.kinds))
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"{rule.summary[0].upper()}{rule.summary[1:]}.",
        "",
        f"Default severity: {rule.severity}. Applies to: {applies_to}.",
    ]
    if rule.origin != "built-in":
        lines += ["", f"From {rule.origin}."]
    lines += ["", rule.doc]
    if rule.references:
        lines += ["", "## References", *(f"- {ref}" for ref in rule.references)]
    if rule.peers:
        lines += [
            "",
            "## Equivalent checks",
            *(f"- {tool}: {check}" for tool, check in rule.peers.items()),
        ]
    if rule.compliance:
        lines += ["", "## Compliance", *(f"- {item}" for item in rule.compliance)]
    return "\n".join(lines)
