"""Every rule is documented and carries its metadata, like ruff's `ruff rule CODE`."""

from __future__ import annotations

import importlib.resources
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from sagelint.rule_api import Rule
from sagelint.rules import RULES, RULES_BY_CODE

from tests.conftest import cli

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## How to fix")
# A path on some machine: the build machine's, a user's, a sibling checkout's.
LOCAL_PATH = re.compile(
    r"(?<![\w.-])(/work/|/home/|/root/|/tmp/|/Users/|/var/folders/|\.\./shared)"
)


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


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_no_rule_names_a_local_path(rule: Rule) -> None:
    shown = [rule.summary, rule.doc, *rule.references, *rule.peers.values(), *rule.compliance]
    shown.append(cli("explain", rule.code).stdout)
    assert [LOCAL_PATH.findall(text) for text in shown if LOCAL_PATH.search(text)] == []


def test_no_file_of_the_package_names_a_local_path() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    packages: list[str] = setuptools["setuptools"]["packages"]
    files = {
        f"{package}/{item.name}": item
        for package in packages
        for item in importlib.resources.files(package).iterdir()
        if item.is_file() and not item.name.endswith(".pyc")
    }
    assert len(files) > len(packages)
    found = {
        name: LOCAL_PATH.findall(item.read_text(encoding="utf-8")) for name, item in files.items()
    }
    assert {name: paths for name, paths in found.items() if paths} == {}
