"""``sagelint config``: the configuration in effect, and the JSON Schema of configuration files."""

from __future__ import annotations

import click
from sagelint.cli.checks import configuration


@click.group(short_help="Show the configuration in effect, or its JSON Schema.")
def config() -> None:
    """Show the configuration in effect (`show`), or the JSON Schema of configuration files
    (`schema`)."""


@config.command()
@click.option(
    "--config",
    "path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Show this configuration file instead of the one found from the current folder.",
)
@click.option("--isolated", is_flag=True, help="Show the defaults, ignoring every file.")
def show(path: str | None, isolated: bool) -> None:
    """Print the settings `sagelint lint` would use here, and the file they come from."""
    from sagelint.config import show_settings

    click.echo(show_settings(configuration(path, isolated)[0]))


@config.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the configuration: of `.sagelint.toml`, and of
    the `[tool.sagelint]` table of `pyproject.toml`."""
    import json

    from sagelint.config import config_json_schema

    click.echo(json.dumps(config_json_schema(), indent=2))
