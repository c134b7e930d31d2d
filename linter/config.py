"""Configuration: ``[tool.sagelint]`` in ``pyproject.toml``, or ``.sagelint.toml``.

The file is found by walking up from the current folder (in each folder ``.sagelint.toml``
first, then a ``pyproject.toml`` that has a ``[tool.sagelint]`` table). Its keys are validated
by the pydantic model of :mod:`sagelint.config_model`, imported only when there is a file to
validate. Whatever is wrong with a configuration file (it cannot be read, is not TOML, has an
unknown key or a wrong value) is one :class:`ConfigError` naming the file and the key.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from sagelint.load.files import read_regular_file
from sagelint.printable import UNSAFE, printable
from sagelint.rule_api import Policy

if TYPE_CHECKING:
    from typing import Any

    from pydantic import ValidationError
    from pydantic_core import ErrorDetails
    from sagelint.catalogue import Catalogue
    from sagelint.engine import Options
    from sagelint.findings import Severity

MAX_CONFIG_SIZE = 1 << 20  # bytes; a configuration is a few hundred
DEFAULT_SELECT = ("ALL",)  # every rule: built-in, plugins', policies'

DEFAULT_FAIL_ON = "error"


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and key."""


class Settings(NamedTuple):
    """A validated configuration, in the names the engine uses."""

    path: str
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: Severity | None = None
    severity: Mapping[str, Severity] | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] | None = None
    region: str | None = None
    plugins: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()  # globs, relative to the file's folder
    policy: Policy = Policy()
    # Every rule of a run with this configuration: built-in, plugins', policies'.
    catalogue: Catalogue | None = None

    @property
    def root(self) -> str:
        """The folder of the configuration file: exclude and per-file-ignores globs are
        relative to it."""
        return os.path.dirname(os.path.abspath(self.path))


def options_from(
    config: Settings | None,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    **options: Any,
) -> Options:
    """The engine's options of a configuration (None: no configuration file), what is given
    (the command line's) over it: ``select`` replaces the configuration's, ``extend_select``
    and ``ignore`` add to it, ``options`` win over its region, severities, per-file ignores,
    root and policy."""
    from sagelint.engine import Options

    if config is not None:
        options.setdefault("region", config.region)
        options.setdefault("severity", config.severity or {})
        options.setdefault("per_file_ignores", config.per_file_ignores or {})
        options.setdefault("root", config.root)
        options.setdefault("policy", config.policy)
    selected = [*(select or (config and config.select) or DEFAULT_SELECT)]
    selected += [*(config.extend_select if config else ()), *extend_select]
    ignored = [*(config.ignore if config else ()), *ignore]
    return Options(select=selected, ignore=ignored, **options)


def find_config(start: str, policy_files: Sequence[str] = ()) -> Settings | None:
    """The configuration nearest at or above the folder ``start``, or None: in each folder
    ``.sagelint.toml`` first, then a ``pyproject.toml`` that has a sagelint table. A file
    found that cannot be read or parsed is a :class:`ConfigError`, never skipped: a
    ``pyproject.toml`` without a sagelint table is parsed too, since a broken one could hide
    one (a run must never go on quietly under another folder's policy, or none).
    ``policy_files`` (``--policy``) are policies besides the configuration's."""
    folder = os.path.realpath(start)
    while True:
        dot_file = os.path.join(folder, ".sagelint.toml")
        if os.path.exists(dot_file):
            return load_config(dot_file, policy_files)
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.exists(pyproject):
            document = _parse_toml(_read(pyproject), pyproject)
            tool = document.get("tool")
            if isinstance(tool, dict) and "sagelint" in tool:
                return _validated(document, pyproject, policy_files)
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config(path: str | os.PathLike[str], policy_files: Sequence[str] = ()) -> Settings:
    """Read and validate one configuration file (``--config PATH`` or the one found), and build
    the catalogue of its rules (its plugins' and policies', and those of ``policy_files``)."""
    path = os.fspath(path)
    return _validated(_parse_toml(_read(path), path), path, policy_files)


def _read(path: str) -> bytes:
    try:
        return read_regular_file(path, MAX_CONFIG_SIZE)
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read: {(error.strerror or str(error)).lower()}"
        ) from None


def _parse_toml(data: bytes, path: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(data.decode())
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (byte {error.start})") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _validated(document: dict[str, Any], path: str, policy_files: Sequence[str]) -> Settings:
    """The settings of a file's table, in two passes: the keys first, then (with the catalogue
    its plugins and policies make) the rules its selectors name."""
    from pydantic import ValidationError
    from sagelint.catalogue import build_catalogue
    from sagelint.config_model import ConfigFile

    in_pyproject = os.path.basename(path) == "pyproject.toml"
    table = document.get("tool", {}).get("sagelint", {}) if in_pyproject else document
    try:
        config = ConfigFile.model_validate(table, context={"rules": None})
        fields = dict(config)
        root = os.path.dirname(os.path.abspath(path))
        files = [*_policy_files(fields["policies"], root, path), *policy_files]
        catalogue = build_catalogue(fields["plugins"], root, files)
        config = ConfigFile.model_validate(table, context={"rules": catalogue.rules})
    except ValidationError as error:
        raise ConfigError(_message(error, path, in_pyproject)) from None
    fields = dict(config)
    policy = Policy(**dict(fields.pop("rules")))
    return Settings(path=path, policy=policy, catalogue=catalogue, **fields)


def _policy_files(globs: Sequence[str], root: str, path: str) -> list[str]:
    """The files the configuration's ``policies`` globs name (relative to its folder), each
    glob in sorted order; a glob that names no file is an error: a policy would be lost."""
    import glob

    found: list[str] = []
    for pattern in globs:
        matched = sorted(glob.glob(os.path.join(root, pattern)))
        if not matched:
            raise ConfigError(f"{path}: policies: {json.dumps(pattern)} matches no file")
        found += [name for name in matched if name not in found]
    return found


# --- errors -----------------------------------------------------------------------------------

# pydantic's messages, in TOML's words where they differ.
_TOML_WORDS = {
    "tuple_type": "Input should be an array",
    "list_type": "Input should be an array",
    "dict_type": "Input should be a table",
    "model_type": "Input should be a table",
    "extra_forbidden": "unknown key",
}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _message(error: ValidationError, path: str, in_pyproject: bool) -> str:
    """One line per problem: ``file: [tool.sagelint] key.path: what is wrong``."""
    table = "[tool.sagelint]" if in_pyproject else ""
    lines = []
    for problem in error.errors(include_url=False):
        key = _key_path(problem["loc"])
        where = f"{table} {key}" if table and key else table or key
        lines.append(f"{path}: {where}: {_what(problem)}")
    return "\n".join(lines)


def _key_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location (with the file's own key names) as a TOML key path:
    ``per-file-ignores."sandbox/*.json"[0]``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":  # the error is about a table's key, which is already named
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            text += f".{name}" if text else name
    return text


def _what(problem: ErrorDetails) -> str:
    kind = problem["type"]
    message = _TOML_WORDS.get(kind, problem["msg"])
    if kind.endswith("_type"):
        message += f" (got {_toml_kind(problem['input'])})"
    return message


def _toml_kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names.update({list: "an array", dict: "a table"})
    return names.get(type(value), "a date or time")


# --- the schema and the effective settings ------------------------------------------------------


def config_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a configuration file, from the model: what
    ``schemas/sagelint-config.schema.json`` holds and ``sagelint config schema`` prints."""
    from sagelint.config_model import json_schema

    return json_schema()


def show_settings(settings: Settings | None) -> str:
    """The effective settings as TOML (a valid ``.sagelint.toml``), and the file they come
    from: what ``sagelint config show`` prints. Defaults and unset policy keys are comments."""
    from sagelint.rules import RULES

    if settings is None:
        lines = ["# No configuration file: the defaults."]
        settings = Settings(path="")
    else:
        table = " [tool.sagelint]" if os.path.basename(settings.path) == "pyproject.toml" else ""
        lines = [
            f"# Settings from {printable(os.path.abspath(settings.path))}{table}",
            f"# (exclude and per-file-ignores globs are relative to {printable(settings.root)})",
        ]
    default = "  # the default"
    lines += [
        _entry("select", settings.select or DEFAULT_SELECT, settings.select is None, default),
        _entry("ignore", settings.ignore),
        _entry("extend-select", settings.extend_select),
        _entry("fail-on", settings.fail_on or DEFAULT_FAIL_ON, settings.fail_on is None, default),
        _entry("severity", dict(settings.severity or {})),
        _entry("exclude", settings.exclude),
        _entry("per-file-ignores", dict(settings.per_file_ignores or {})),
        _entry("region", settings.region) if settings.region else "# region: not set",
        _entry("plugins", settings.plugins),
        _entry("policies", settings.policies),
        "",
        "[rules]",
    ]
    for field, value in settings.policy._asdict().items():
        key = field.replace("_", "-")
        if value is None:
            off = [r.code for r in RULES if field in r.needs and not settings.policy.configures(r)]
            lines.append(f"# {key}: not set" + (f" ({', '.join(off)} off)" if off else ""))
        else:
            lines.append(_entry(key, value))
    return "\n".join(lines) + "\n"


def _entry(key: str, value: object, commented: bool = False, note: str = "") -> str:
    line = f"{_toml_key(key)} = {_toml_value(value)}"
    return f"# {line}{note}" if commented else line


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    """A TOML basic string, printable: JSON's escapes, and ``\\uXXXX`` for the characters
    :func:`~sagelint.printable.printable` escapes (TOML has no ``\\x`` escape)."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _toml_value(value: object) -> str:
    if isinstance(value, Mapping):
        items = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return _toml_string(value)
    return str(value)
