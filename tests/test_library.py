"""The library API (``sagelint.lint_job``, ``sagelint.lint_paths``) and the house's layering."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import sagelint
from sagelint.engine import Options
from sagelint.rule_api import Policy

from tests.jobs import clean_request as request

PACKAGE = Path(sagelint.__file__).parent


def _codes(findings: list[sagelint.Finding]) -> list[tuple[str, str]]:
    return sorted((f.rule, f.pointer) for f in findings)


@pytest.mark.parametrize(
    ("tags", "options"),
    [
        ([{"Key": "sagelint:ignore", "Value": "SM301 SM1"}], Options()),
        ([{"Key": "team", "Value": "growth"}], Options(policy=Policy(required_tags=("owner",)))),
    ],
    ids=["ignore-tag", "SM503-required-tags"],
)
def test_a_document_in_memory_answers_as_the_same_file_does(
    tmp_path: Path, tags: list[dict[str, str]], options: Options
) -> None:
    job: dict[str, Any] = request()
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}  # SM301
    del job["OutputDataConfig"]["KmsKeyId"]  # SM101
    job["Tags"] = tags
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    from_file = _codes(list(sagelint.lint_paths([str(path)], options)))
    in_memory = _codes(sagelint.lint_job(job, options=options))
    assert in_memory == from_file
    ignored = "sagelint:ignore" in json.dumps(tags)
    assert ("SM301" in dict(in_memory)) is not ignored
    assert ("SM503" in dict(in_memory)) is (options.policy.required_tags is not None)


def test_tags_given_to_lint_job_win_over_the_documents() -> None:
    job = request()
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}
    assert "SM301" in dict(_codes(sagelint.lint_job(job)))
    ignoring = sagelint.lint_job(job, tags={"sagelint:ignore": "SM301"})
    assert "SM301" not in dict(_codes(ignoring))


def test_rules_are_selected_by_name_as_by_code() -> None:
    job = request()
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}
    by_code = sagelint.lint_job(job, options=Options(select=("SM301",)))
    rule = next(r for r in sagelint.rules.RULES if r.code == "SM301")
    by_name = sagelint.lint_job(job, options=Options(select=(rule.name,)))
    assert _codes(by_name) == _codes(by_code) != []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module != "sagelint":  # from sagelint import <submodule>: counted below
                found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


# The house's lower floors: what they may never import (data flows load -> validate -> rules ->
# report; the AWS fetch sits beside the loaders; the engine is given its rules).
LOWER = ["engine.py", "job.py", "findings.py", "rule_api.py", "selectors.py", "document_rules.py"]
LOWER_PACKAGES = ["load", "schema", "aws"]


def test_no_lower_module_imports_the_rules_or_the_cli() -> None:
    modules = [PACKAGE / name for name in LOWER]
    modules += [p for sub in LOWER_PACKAGES for p in sorted((PACKAGE / sub).glob("*.py"))]
    assert len(modules) > len(LOWER)
    for module in modules:
        upward = {
            name
            for name in _imports(module)
            if name.startswith(("sagelint.rules", "sagelint.cli", "sagelint.api"))
            or name in {"sagelint", *(f"sagelint.{n}" for n in sagelint.__all__)}
        }
        assert upward == set(), f"{module.relative_to(PACKAGE)} imports {sorted(upward)}"
