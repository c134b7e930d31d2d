"""``sagelint rules``: the catalogue, as a table or as JSON."""

from __future__ import annotations

import click
from sagelint.cli.checks import catalogue_options, configuration
from sagelint.printable import printable

POLICY_MARK = "*"


@click.command(short_help="List every rule: code, name, default severity and summary.")
@click.option(
    "--format",
    "--output-format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="A table, or a JSON array with each rule's origin, references, equivalent checks of "
    "other tools and compliance mapping.",
)
@catalogue_options
def rules(output_format: str, config: str | None, isolated: bool, policy: tuple[str, ...]) -> None:
    """List every rule: code, name, default severity and summary; those of plugins and schema
    policies (the configuration's, and --policy) with their origin. Rules marked * are off
    until the configuration sets their policy ([tool.sagelint.rules])."""
    catalogue = configuration(config, isolated, policy)[1].rules
    if output_format == "json":
        import json

        described = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "summary": r.summary,
                "origin": r.origin,
                "applies_to": sorted(r.kinds),
                "off_until_configured": list(r.needs),
                "references": list(r.references),
                "peers": dict(r.peers),
                "compliance": list(r.compliance),
            }
            for r in catalogue
        ]
        click.echo(json.dumps(described, indent=2))
        return
    from sagelint.report.text import table

    lines = [
        (r.code + (POLICY_MARK if r.needs else ""), r.name, r.severity, r.summary)
        for r in catalogue
        if r.origin == "built-in"
    ]
    click.echo(table(lines, ("code", "name", "severity", "summary"), wrap=3))
    click.echo(f"\n{POLICY_MARK} off until configured in [tool.sagelint.rules]")
    others = [r for r in catalogue if r.origin != "built-in"]
    if others:
        click.echo("\nPlugins and schema policies:\n")
        rows = [
            (r.code, r.name, r.severity, f"{r.summary} [{printable(r.origin)}]") for r in others
        ]
        click.echo(table(rows, ("code", "name", "severity", "summary [origin]"), wrap=3))
