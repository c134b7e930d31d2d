"""The policy rules, one family per module.

- SM0xx, :mod:`rules.document`: the input itself (reading, parsing, schema);
- SM1xx, :mod:`rules.security`: encryption, network, secrets;
- SM2xx, :mod:`rules.data_input`: input channels;
- SM3xx, :mod:`rules.runtime`: run time and cost;
- SM4xx, :mod:`rules.status`: status and lifecycle of a job that exists;
- SM5xx, :mod:`rules.supply_chain`: the training image;
- :mod:`rules.policy`: the organisation's own policy (SM302, SM309, SM502-SM504), off until
  the configuration sets it.
"""

from __future__ import annotations

from types import ModuleType

from linter.rule import Rule
from rules import (
    data_input,
    data_input_more,
    document,
    policy,
    runtime,
    s3_data,
    security,
    status,
    supply_chain,
)

FAMILIES: tuple[ModuleType, ...] = (
    document,
    security,
    data_input,
    data_input_more,
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
