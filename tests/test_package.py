"""The installed distribution: one import package, ``sagelint``, that lives beside anything else.

The repository keeps the folders ``linter/``, ``rules/`` and ``schemas/``; installed, they are
``sagelint``, ``sagelint.rules`` and ``sagelint.schemas``. These tests run the interpreter in a
folder of their own (so that the checkout is not on ``sys.path``) with the PyPI package
``rules`` (django-rules, a top-level ``rules``) installed in the same environment by the test
extra.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import sagelint
import sagelint.rules

ROOT = Path(__file__).resolve().parent.parent
JOB = ROOT / "examples" / "request-with-problems.yaml"
# The checkout's folders and the installed package each of them becomes.
FOLDERS = {"linter": "sagelint", "rules": "sagelint.rules", "schemas": "sagelint.schemas"}


def python(
    code: str, cwd: Path, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-c", code], cwd, pythonpath)


def run(
    command: list[str], cwd: Path, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def console_script() -> str:
    script = shutil.which("sagelint", path=str(Path(sys.executable).parent))
    assert script is not None, "the sagelint console script is not installed beside python"
    return script


def lint_json(cwd: Path, job: Path, pythonpath: Path | None = None) -> list[dict[str, object]]:
    result = run([console_script(), "lint", "--format", "json", str(job)], cwd, pythonpath)
    assert result.returncode == 1, result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


def test_sagelint_and_the_pypi_rules_package_import_side_by_side(tmp_path: Path) -> None:
    result = python(
        "import json, rules, sagelint, sagelint.rules\n"
        "print(json.dumps({'rules': rules.__file__, 'ruleset': hasattr(rules, 'RuleSet'),"
        " 'sagelint': sagelint.__file__, 'codes': [r.code for r in sagelint.rules.RULES]}))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    pypi_rules = Path(seen["rules"])
    # The README's venv lives in the checkout (.venv/): PyPI's rules is in its site-packages.
    assert pypi_rules.parent != ROOT / "rules", "imported the checkout's rules/, not PyPI's"
    assert pypi_rules.parent.parent.name == "site-packages"
    assert seen["ruleset"], "the top-level rules package is not django-rules"
    assert "SM106" in seen["codes"]
    installed = Path(seen["sagelint"]).parent
    assert installed.name in {"sagelint", "linter"}  # installed, or an editable install's link


def test_python_m_sagelint_and_the_console_script_run_beside_pypi_rules(tmp_path: Path) -> None:
    version = run([sys.executable, "-m", "sagelint", "--version"], tmp_path)
    assert version.returncode == 0, version.stderr
    assert sagelint.__version__ in version.stdout

    job = tmp_path / JOB.name
    shutil.copy(JOB, job)
    findings = lint_json(tmp_path, job)
    assert {"SM106", "SM501"} <= {finding["rule"] for finding in findings}


def test_a_rules_or_linter_folder_on_pythonpath_changes_nothing(tmp_path: Path) -> None:
    job = tmp_path / JOB.name
    shutil.copy(JOB, job)
    work = tmp_path / "work"
    work.mkdir()
    without = lint_json(work, job)

    shadow = tmp_path / "shadow"
    for name in ("rules", "linter"):
        (shadow / name).mkdir(parents=True)
        (shadow / name / "__init__.py").write_text(
            f"RULES = ()\nraise ImportError('the shadowing {name}/ package was imported')\n"
        )
    # The shadow folder is what an import of `rules` finds first, so it does shadow that name.
    shadowed = python("import rules", work, pythonpath=shadow)
    assert "the shadowing rules/ package was imported" in shadowed.stderr

    assert without, "the job has findings, so that the comparison means something"
    assert lint_json(work, job, pythonpath=shadow) == without
    version = run([sys.executable, "-m", "sagelint", "--version"], work, pythonpath=shadow)
    assert version.returncode == 0, version.stderr


def test_the_catalogue_lists_rule_objects() -> None:
    rules = sagelint.rules.RULES
    codes = [rule.code for rule in rules]
    assert len(set(codes)) == len(codes) > 30
    for rule in rules:
        assert isinstance(rule.code, str) and rule.code.startswith("SM") and len(rule.code) == 5
        # The document rules (SM0xx) are reported by the loader and the validator.
        assert callable(rule.check) or (rule.check is None and rule.code.startswith("SM0"))
    assert sum(callable(rule.check) for rule in rules) > 20


def test_the_installed_package_holds_every_module_and_schema_of_the_checkout() -> None:
    # Under CI's (non-editable) install this catches a subpackage missing from
    # [tool.setuptools] packages; an editable install maps to the checkout itself.
    missing = []
    for folder, package in FOLDERS.items():
        installed = Path(str(importlib.import_module(package).__file__)).parent
        for source in (ROOT / folder).rglob("*"):
            if source.suffix in {".py", ".json", ".typed"} and "__pycache__" not in source.parts:
                relative = source.relative_to(ROOT / folder)
                if not (installed / relative).is_file():
                    missing.append(f"{folder}/{relative}")
    assert not missing, f"not installed (list the package in [tool.setuptools]): {missing}"


def test_the_distribution_installs_only_the_sagelint_package(tmp_path: Path) -> None:
    # In a folder of its own: from the checkout, importlib.metadata would find the
    # sagelint.egg-info that building the wheel leaves there.
    result = python(
        "import json; from importlib import metadata\n"
        "print(json.dumps([str(file) for file in metadata.files('sagelint') or []]))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    recorded = set(json.loads(result.stdout))
    tops = {file.split("/")[0] for file in recorded if not file.startswith("..")}
    if "sagelint" not in tops:  # an editable install records a path hook, not the package
        assert any("__editable__" in file for file in recorded), recorded
        return
    assert {top for top in tops if not top.endswith(".dist-info")} == {"sagelint"}
    assert {
        "sagelint/py.typed",
        "sagelint/rules/py.typed",
        "sagelint/schemas/describe-training-job.schema.json",
        "sagelint/schemas/create-training-job.schema.json",
    } <= recorded
