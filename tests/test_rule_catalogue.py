"""Every rule is documented and carries its metadata, like ruff's `ruff rule CODE`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sagelint.rule_api import Rule
from sagelint.rules import RULES, RULES_BY_CODE

from tests.conftest import cli

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## How to fix")


def test_codes_are_unique_and_well_formed() -> None:
    assert len(RULES_BY_CODE) == len(RULES)
    for r in RULES:
        assert re.fullmatch(r"SM\d{3}", r.code), r.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert r.severity in ("error", "warning", "info")
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_documented(rule: Rule) -> None:
    for section in SECTIONS:
        assert section in rule.doc, f"{rule.code} lacks {section!r}"
    assert rule.summary and not rule.summary.endswith(".")
    if rule.check is not None:  # a policy rule cites the AWS fact it relies on
        assert rule.references, rule.code
    shown = cli("explain", rule.code).stdout
    assert rule.doc in shown


def test_docs_rules_md_is_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_rule_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
