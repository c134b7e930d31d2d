"""Configuration: ``[tool.sagelint]`` in ``pyproject.toml``, or ``.sagelint.toml``.

The file is found by walking up from the current folder (in each folder ``.sagelint.toml``
first, then a ``pyproject.toml`` that has a ``[tool.sagelint]`` table). It is validated with
pydantic, imported only when a configuration exists: an unknown key or a wrong type is one
:class:`ConfigError` naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.rule import Policy

CONFIG_NAMES = (".sagelint.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class Settings:
    """A validated configuration, in the names the engine uses."""

    path: Path
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: str | None = None
    severity: Mapping[str, str] | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] | None = None
    policy: Policy = field(default_factory=Policy)

    @property
    def root(self) -> Path:
        return self.path.parent


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        if b"sagelint" not in path.read_bytes():  # most pyproject.toml files: no TOML parse
            return False
        return "sagelint" in _read_toml(path).get("tool", {})
    except (ConfigError, OSError):
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read: {(error.strerror or str(error)).lower()}"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def load_config(path: Path) -> Settings:
    """Read and validate one configuration file (``--config PATH`` or the one found)."""
    document = _read_toml(path)
    table: Any = (
        document.get("tool", {}).get("sagelint") if path.name == "pyproject.toml" else document
    )
    where = "[tool.sagelint]" if path.name == "pyproject.toml" else ""
    if table is None:
        table = {}
    from linter.config_model import validate

    return validate(table, path, where)
