"""Rule selectors: what ``--select``, ``--ignore``, ``--extend-select``, per-file ignores and the
``sagelint:ignore`` tag name.

A selector is a rule's code, a prefix of codes (``SM1`` is the security family, ``SM`` every
built-in rule, ``ACME`` every rule of an organisation's policies or plugins), a rule's name as
``sagelint explain`` accepts it (``gzip-outside-pipe-mode``), or ``ALL``: every rule.
The rules to choose from are always given: the built-in catalogue is ``sagelint.rules.RULES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sagelint.rule_api import Policy, Rule


class SelectorError(ValueError):
    """A rule selector (--select, --ignore, a configuration key) that names no rule."""


ALL = "ALL"


def matches(rule: Rule, selectors: Iterable[str]) -> bool:
    """Whether one of ``selectors`` names ``rule`` (by code, code prefix or name, or ALL)."""
    return any(
        rule.code.startswith(selector.upper()) or selector.lower() == rule.name or selector == ALL
        for selector in selectors
    )


def check_selectors(selectors: Iterable[str], rules: Sequence[Rule], where: str = "") -> None:
    """Raise :class:`SelectorError` for the first selector that names none of ``rules``."""
    for selector in selectors:
        if not any(matches(rule, (selector,)) for rule in rules):
            raise SelectorError(f"{where}{selector!r} matches no rule (see `sagelint rules`)")


def enabled_rules(
    rules: Sequence[Rule], select: Sequence[str], ignore: Sequence[str], policy: Policy
) -> list[Rule]:
    """The rules that ``select`` names and ``ignore`` does not, less those that need an
    organisation policy the configuration does not set."""
    check_selectors((*select, *ignore), rules)
    return [
        rule
        for rule in rules
        if matches(rule, select) and not matches(rule, ignore) and policy.configures(rule)
    ]


def find_rule(rules: Sequence[Rule], name_or_code: str) -> Rule | None:
    """The rule whose code or name is ``name_or_code`` (as ``sagelint explain`` takes it)."""
    wanted = name_or_code.strip()
    for rule in rules:
        if rule.code == wanted.upper() or rule.name == wanted.lower():
            return rule
    return None
