"""``sagelint rules``: the catalogue, as a table or as JSON."""

from __future__ import annotations

import click

POLICY_MARK = "*"


@click.command(short_help="List every rule: code, name, default severity and summary.")
@click.option(
    "--format",
    "--output-format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="A table, or a JSON array with each rule's references, equivalent checks of other "
    "tools and compliance mapping.",
)
def rules(output_format: str) -> None:
    """List every rule: code, name, default severity and summary. Rules marked * are off until
    the configuration sets their policy ([tool.sagelint.rules])."""
    from sagelint.rules import RULES

    if output_format == "json":
        import json

        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "summary": r.summary,
                "applies_to": sorted(r.kinds),
                "off_until_configured": list(r.needs),
                "references": list(r.references),
                "peers": dict(r.peers),
                "compliance": list(r.compliance),
            }
            for r in RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    from sagelint.report.text import table

    lines = [
        (r.code + (POLICY_MARK if r.needs else ""), r.name, r.severity, r.summary) for r in RULES
    ]
    click.echo(table(lines, ("code", "name", "severity", "summary"), wrap=3))
    click.echo(f"\n{POLICY_MARK} off until configured in [tool.sagelint.rules]")
