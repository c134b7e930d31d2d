"""The rules a run has: the built-in ones, the installed plugins', the configuration's plugins'
and the schema policies', each code once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sagelint.policies import LoadedPolicy, load_policies
from sagelint.rule_api import Rule


class Catalogue(NamedTuple):
    rules: tuple[Rule, ...]
    policies: tuple[LoadedPolicy, ...] = ()


def build_catalogue(
    plugins: Sequence[str] = (), folder: str | None = None, policy_files: Sequence[str] = ()
) -> Catalogue:
    """Every rule of a run. Raises :class:`~sagelint.plugins.PluginError` or
    :class:`~sagelint.policies.PolicyError` for a plugin or a policy file that cannot be used."""
    from sagelint.plugins import PluginError, installed_plugin_rules, local_plugin_rules
    from sagelint.rules import RULES

    rules = list(RULES)
    found = installed_plugin_rules()
    if plugins and folder is not None:
        found += local_plugin_rules(plugins, folder)
    codes = {rule.code for rule in rules}
    for rule in found:
        if rule.code in codes:
            raise PluginError(f"{rule.origin}: rule {rule.code}: the code is taken by another rule")
        codes.add(rule.code)
        rules.append(rule)
    policies = load_policies(policy_files, taken=codes)
    return Catalogue(tuple(rules) + tuple(p.rule for p in policies), tuple(policies))
