"""Configuration: ``[tool.sagelint]`` in ``pyproject.toml``, or ``.sagelint.toml``.

The file is found by walking up from the current folder (in each folder ``.sagelint.toml``
first, then a ``pyproject.toml`` that has a ``[tool.sagelint]`` table). An unknown key or a
wrong value is one :class:`ConfigError` naming the file and the key.

The keys are checked here by hand, not with a pydantic model: importing pydantic took 80 ms,
five times a whole one-file lint, on every run in a configured repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from sagelint.rule_api import Policy

if TYPE_CHECKING:
    from typing import Any

# What a pyproject.toml with a sagelint table holds: [tool.sagelint], [tool.sagelint.rules], a
# dotted key tool.sagelint.select = ..., or a [tool] table with a sagelint key. Files without
# any of these (most of them) are not parsed.
_TOOL_TABLE = re.compile(rb"""tool\s*\.\s*["']?sagelint\b|^\s*\[\s*tool\s*\]""", re.MULTILINE)
SEVERITIES = ("error", "warning", "info")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and key."""


class Settings(NamedTuple):
    """A validated configuration, in the names the engine uses."""

    path: str
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: str | None = None
    severity: Mapping[str, str] | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] | None = None
    policy: Policy = Policy()

    @property
    def root(self) -> str:
        """The folder of the configuration file: exclude and per-file-ignores globs are
        relative to it."""
        return os.path.dirname(os.path.abspath(self.path))


def find_config(start: str) -> Settings | None:
    """The configuration nearest at or above the folder ``start``, or None: in each folder
    ``.sagelint.toml`` first, then a ``pyproject.toml`` that has a sagelint table. Each file is
    read and parsed once."""
    folder = os.path.realpath(start)
    while True:
        dot_file = os.path.join(folder, ".sagelint.toml")
        if os.path.isfile(dot_file):
            return load_config(dot_file)
        pyproject = os.path.join(folder, "pyproject.toml")
        document = _with_tool_table(pyproject) if os.path.isfile(pyproject) else None
        if document is not None:
            return _validated(document, pyproject)
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _with_tool_table(path: str) -> dict[str, Any] | None:
    """A pyproject.toml's document if it has a sagelint table; None if not, or if it cannot be
    read as TOML (it is then not taken for a configuration)."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
        if not _TOOL_TABLE.search(data):  # most pyproject.toml files: no TOML parse
            return None
        document = _parse_toml(data, path)
    except (ConfigError, OSError):
        return None
    return document if "sagelint" in document.get("tool", {}) else None


def _parse_toml(data: bytes, path: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(data.decode())
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (byte {error.start})") from None


def load_config(path: str | os.PathLike[str]) -> Settings:
    """Read and validate one configuration file (``--config PATH`` or the one found)."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read: {(error.strerror or str(error)).lower()}"
        ) from None
    return _validated(_parse_toml(data, path), path)


def _validated(document: dict[str, Any], path: str) -> Settings:
    in_pyproject = os.path.basename(path) == "pyproject.toml"
    table: Any = document.get("tool", {}).get("sagelint", {}) if in_pyproject else document
    prefix = f"{path}: {'[tool.sagelint] ' if in_pyproject else ''}"
    try:
        return _settings(table, path)
    except _Invalid as problem:
        raise ConfigError(prefix + str(problem)) from None


# --- the keys and their values --------------------------------------------------------------


class _Invalid(Exception):
    """One wrong key or value: ``key: what is wrong``."""


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names.update({list: "an array", dict: "a table"})
    return names.get(type(value), "a date or time")


def _table(value: object, key: str, known: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(f"{key + ': ' if key else ''}must be a table (got {_kind(value)})")
    for name in value:
        if known and name not in known:
            raise _Invalid(f"unknown key {f'{key}.{name}' if key else name!r}")
    return value


def _strings(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(f"{key}: must be an array of strings (got {_kind(value)})")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _Invalid(f"{key}[{index}]: must be a string (got {_kind(item)})")
    return tuple(value)


def _codes(value: object, key: str) -> tuple[str, ...]:
    codes = _strings(value, key)
    for index, code in enumerate(codes):
        if not code.strip():
            raise _Invalid(f"{key}[{index}]: must be a rule code or prefix (got '')")
    return tuple(code.strip().upper() for code in codes)


def _severity(value: object, key: str) -> str:
    if value not in SEVERITIES:
        got = repr(value) if isinstance(value, str) else _kind(value)
        raise _Invalid(f"{key}: must be 'error', 'warning' or 'info' (got {got})")
    return str(value)


def _count(value: object, key: str) -> int:
    if type(value) is not int:
        raise _Invalid(f"{key}: must be an integer (got {_kind(value)})")
    if value < 1:
        raise _Invalid(f"{key}: must be at least 1 (got {value})")
    return value


def _pattern(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"{key}: must be a string (got {_kind(value)})")
    import regex  # the matcher of SM504, with its timeout

    try:
        regex.compile(value)
    except regex.error as error:
        raise _Invalid(f"{key}: not a regular expression: {error}") from None
    return value


# [tool.sagelint.rules] key: Policy field, and how its value is checked.
_POLICY: dict[str, tuple[str, Callable[[object, str], Any]]] = {
    "max-runtime-seconds": ("max_runtime_seconds", _count),
    "allowed-instance-types": ("allowed_instance_types", _strings),
    "max-instance-count": ("max_instance_count", _count),
    "allowed-image-registries": ("allowed_image_registries", _strings),
    "required-tags": ("required_tags", _strings),
    "job-name-pattern": ("job_name_pattern", _pattern),
}
_KEYS = (
    "select",
    "ignore",
    "extend-select",
    "fail-on",
    "severity",
    "exclude",
    "per-file-ignores",
    "rules",
)


def _settings(value: object, path: str) -> Settings:
    from sagelint.rules import RULES
    from sagelint.selectors import SelectorError, check_selectors

    table = _table(value, "", _KEYS)
    get = table.get
    select = _codes(get("select"), "select") if "select" in table else None
    severity = {
        code.strip().upper(): _severity(level, f"severity.{code}")
        for code, level in _table(get("severity", {}), "severity").items()
    }
    per_file_ignores = {
        glob: _codes(codes, f"per-file-ignores.{glob}")
        for glob, codes in _table(get("per-file-ignores", {}), "per-file-ignores").items()
    }
    rules = _table(get("rules", {}), "rules", tuple(_POLICY))
    settings = Settings(
        path=path,
        select=select,
        ignore=_codes(get("ignore", []), "ignore"),
        extend_select=_codes(get("extend-select", []), "extend-select"),
        fail_on=_severity(get("fail-on"), "fail-on") if "fail-on" in table else None,
        severity=severity,
        exclude=_strings(get("exclude", []), "exclude"),
        per_file_ignores=per_file_ignores,
        policy=Policy(
            **{
                field: check(rules[key], f"rules.{key}")
                for key, (field, check) in _POLICY.items()
                if key in rules
            }
        ),
    )
    try:
        for key, codes in (
            ("select", select or ()),
            ("ignore", settings.ignore),
            ("extend-select", settings.extend_select),
            ("severity", tuple(severity)),
            *((f"per-file-ignores.{glob}", codes) for glob, codes in per_file_ignores.items()),
        ):
            check_selectors(codes, RULES, f"{key}: ")
    except SelectorError as error:
        raise _Invalid(str(error)) from None
    return settings
