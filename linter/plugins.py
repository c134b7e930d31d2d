"""Plugin rules: Python modules whose rules are made with sagelint's public decorator
(``from sagelint import rule, Violation, pointer``), as the built-in rules are.

Installed plugins are found through the entry-point group ``sagelint.rules`` (an entry point
names a module; every rule in it is loaded), as flake8 finds its plugins, unless the
environment variable ``SAGELINT_DISABLE_PLUGIN_AUTOLOAD`` is set (as pytest's
``PYTEST_DISABLE_PLUGIN_AUTOLOAD``: for a run that must not depend on what else is installed);
local ones are named in the configuration (``plugins = ["acme_rules"]``) and imported from
the configuration file's folder. A plugin that cannot be imported, or whose rules break the
rules of codes, is one :class:`PluginError` naming it.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from sagelint.rule_api import Rule

ENTRY_POINTS = "sagelint.rules"
AUTOLOAD_OFF = "SAGELINT_DISABLE_PLUGIN_AUTOLOAD"
_CODE = re.compile(r"[A-Z]{2,6}[0-9]{3}")  # as policies' codes: SM is sagelint's own


class PluginError(ValueError):
    """A plugin that cannot be used: one line naming it."""


def installed_plugin_rules() -> list[Rule]:
    """The rules of the installed plugins: the modules the ``sagelint.rules`` entry points of
    the installed distributions name; none when ``SAGELINT_DISABLE_PLUGIN_AUTOLOAD`` is set."""
    if os.environ.get(AUTOLOAD_OFF):
        return []
    from importlib.metadata import entry_points

    rules: list[Rule] = []
    for entry in entry_points(group=ENTRY_POINTS):
        dist = entry.dist
        origin = f"plugin {dist.name} {dist.version}" if dist is not None else "plugin"
        what = f"{origin} (entry point {entry.name} = {entry.value})"
        try:
            loaded = entry.load()
        except Exception as error:
            raise PluginError(f"{what}: cannot be imported: {_reason(error)}") from None
        rules += _rules_of(loaded, what, origin)
    return rules


def local_plugin_rules(modules: Sequence[str], folder: str) -> list[Rule]:
    """The rules of the modules named in a configuration, imported from its ``folder``."""
    rules: list[Rule] = []
    sys.path.insert(0, folder)
    try:
        for name in modules:
            what = f"plugin {name}"
            try:
                module = importlib.import_module(name)
            except Exception as error:
                raise PluginError(f"{what}: cannot be imported: {_reason(error)}") from None
            rules += _rules_of(module, what, f"plugin {name} (from {folder})")
    finally:
        sys.path.remove(folder)
    return rules


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _rules_of(loaded: Any, what: str, origin: str) -> list[Rule]:
    if isinstance(loaded, Rule):
        found = [loaded]
    elif isinstance(loaded, ModuleType):
        found = [value for value in vars(loaded).values() if isinstance(value, Rule)]
    else:
        raise PluginError(f"{what}: names neither a module nor a rule")
    if not found:
        raise PluginError(f"{what}: defines no rule (made with @sagelint.rule)")
    for rule in found:
        if not _CODE.fullmatch(rule.code):
            raise PluginError(
                f"{what}: rule code {rule.code!r} is not 2-6 capital letters and 3 digits"
            )
        if rule.code.startswith("SM"):
            raise PluginError(f"{what}: rule {rule.code}: the SM prefix is sagelint's own")
    return [dataclasses.replace(rule, origin=origin) for rule in found]
