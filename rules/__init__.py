"""The policy rules, one family per module.

- SM0xx, :mod:`sagelint.document_rules`: the input itself (reading, parsing, schema), defined
  below the loaders and the validator that report them;
- SM1xx, :mod:`sagelint.rules.security`: encryption, network, secrets;
- SM2xx, :mod:`sagelint.rules.data_input`: input channels;
- SM3xx, :mod:`sagelint.rules.runtime`: run time and cost;
- SM4xx, :mod:`sagelint.rules.status`: status and lifecycle of a job that exists;
- SM5xx, :mod:`sagelint.rules.supply_chain`: the training image;
- :mod:`sagelint.rules.policy`: the organisation's own policy (SM302, SM309, SM502-SM504), off until
  the configuration sets it.
"""

from __future__ import annotations

from types import ModuleType

from sagelint import document_rules
from sagelint.rule_api import Rule
from sagelint.rules import (
    data_input,
    policy,
    runtime,
    s3_data,
    security,
    status,
    supply_chain,
)

FAMILIES: tuple[ModuleType, ...] = (
    document_rules,
    security,
    data_input,
    s3_data,
    runtime,
    status,
    supply_chain,
    policy,
)

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            value
            for family in FAMILIES
            for value in vars(family).values()
            if isinstance(value, Rule)
        ),
        key=lambda r: r.code,
    )
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
