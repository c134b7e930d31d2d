"""The configuration's JSON Schema (for editors) is the model's, current, and valid draft 2020-12;
a configuration that cannot be parsed stops the run (exit 2) naming the file and line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sagelint.config import config_json_schema, load_config, show_settings

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schemas" / "sagelint-config.schema.json"
SCRIPT = shutil.which("sagelint", path=str(Path(sys.executable).parent)) or "sagelint"
JOB = ROOT / "examples" / "clean-request.json"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_committed_schema_is_the_models_and_the_commands(tmp_path: Path) -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == config_json_schema()
    printed = run("config", "schema", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == committed
    assert committed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(committed)


@pytest.mark.parametrize(
    ("table", "valid"),
    [
        ({"select": ["SM1"], "ignore": ["SM104"], "fail-on": "warning"}, True),
        ({"rules": {"max-runtime-seconds": 3600, "required-tags": ["owner"]}}, True),
        ({"per-file-ignores": {"legacy/*.json": ["SM3"]}, "severity": {"SM301": "info"}}, True),
        ({"selct": ["SM1"]}, False),  # an unknown key
        ({"rules": {"max-runtime-seconds": "1d"}}, False),
        ({"fail-on": "fatal"}, False),
    ],
)
def test_the_schema_and_the_model_agree(
    tmp_path: Path, table: dict[str, object], valid: bool
) -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert Draft202012Validator(schema).is_valid(table) is valid
    path = tmp_path / ".sagelint.toml"
    path.write_text(_toml(table), encoding="utf-8")
    result = run("lint", str(JOB), cwd=tmp_path)
    assert (result.returncode != 2) is valid, result.stderr
    if not valid:
        assert str(path) in result.stderr or ".sagelint.toml" in result.stderr


def _toml(table: dict[str, object]) -> str:
    lines, tables = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            tables.append(
                f"[{key}]\n"
                + "".join(f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in value.items())
            )
        else:
            lines.append(f"{key} = {json.dumps(value)}\n")
    text = "".join(lines) + "".join(tables)
    tomllib.loads(text)  # the test's own TOML is valid
    return text


def test_show_settings_prints_toml_that_loads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / ".sagelint.toml"
    path.write_text('ignore = ["SM104"]\n[rules]\nmax-runtime-seconds = 3600\n', encoding="utf-8")
    settings = load_config(path)
    shown = tmp_path / "shown" / ".sagelint.toml"
    shown.parent.mkdir()
    shown.write_text(show_settings(settings), encoding="utf-8")
    again = load_config(shown)
    assert (again.ignore, again.policy) == (settings.ignore, settings.policy)
    printed = run("config", "show", cwd=tmp_path)
    assert printed.returncode == 0 and str(path) in printed.stdout


@pytest.mark.parametrize(
    "content, where",
    [
        (b"[tool.sagelint\n", "(at line 1, column 15)"),
        (b'[tool.sagelint]\nignore = ["SM1\xff"]\n', "not UTF-8 (byte 30)"),
    ],
    ids=["toml", "utf8"],
)
def test_a_broken_pyproject_stops_the_run_naming_it(
    tmp_path: Path, content: bytes, where: str
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    result = run("lint", str(JOB), cwd=tmp_path)
    assert result.returncode == 2
    assert str(tmp_path / "pyproject.toml") in result.stderr
    assert where in result.stderr  # the place in the file
    assert len(result.stderr.strip().splitlines()) == 1
