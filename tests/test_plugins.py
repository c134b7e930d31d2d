"""Python plugin rules: installed plugins found through the ``sagelint.rules`` entry points, and
local ones named in the configuration. The installed plugin is real: a module and the
``.dist-info`` of its distribution in tests/data/plugins/ (see its README), put on PYTHONPATH
of a real ``sagelint`` process, where importlib.metadata finds its entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.jobs import clean_request

PLUGINS = Path(__file__).parent / "data" / "plugins"
SCRIPT = Path(sys.executable).with_name("sagelint")
PATH_VAR, AUTOLOAD_OFF = "PYTHONPATH", "SAGELINT_DISABLE_PLUGIN_AUTOLOAD"


def sagelint(
    *args: str, cwd: Path, site: str | None = "site", autoload: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in (PATH_VAR, AUTOLOAD_OFF)}
    if not autoload:
        env[AUTOLOAD_OFF] = "1"
    if site is not None:
        env["PYTHONPATH"] = str(PLUGINS / site)
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip


def p5_job(name: str = "big-train", team: str = "growth") -> dict[str, Any]:
    job = clean_request()
    job["TrainingJobName"] = name
    job["ResourceConfig"] = {"InstanceType": "ml.p5.48xlarge", "InstanceCount": 1}
    job["Tags"] = [{"Key": "team", "Value": team}]
    return job


def write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_an_installed_plugins_rules_run_like_the_built_in_ones(tmp_path: Path) -> None:
    write(tmp_path, "job.json", p5_job())
    done = sagelint(
        "lint", "--isolated", "--format", "json", "--select", "ACME", "job.json", cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert finding["rule"] == "ACME101"
    assert finding["pointer"] == "/ResourceConfig/InstanceType"
    assert finding["message"] == "ml.p5.48xlarge is for the research team (team tag: growth)"
    text = (tmp_path / "job.json").read_text()
    assert finding["line"] == text[: text.index('"InstanceType"')].count("\n") + 1
    write(tmp_path, "job.json", p5_job(team="research"))
    assert (
        sagelint("lint", "--isolated", "--select", "ACME", "job.json", cwd=tmp_path).returncode == 0
    )


def test_the_plugins_rules_are_listed_explained_and_selected(tmp_path: Path) -> None:
    listed = sagelint("rules", "--isolated", "--format", "json", cwd=tmp_path)
    rules = {r["code"]: r for r in json.loads(listed.stdout)}
    assert rules["ACME101"]["origin"] == "plugin acme-rules 1.2.0"
    assert rules["SM101"]["origin"] == "built-in"
    table = sagelint("rules", "--isolated", cwd=tmp_path).stdout
    assert "ACME101" in table and "[plugin acme-rules 1.2.0]" in table
    explained = sagelint("explain", "--isolated", "p5-outside-research", cwd=tmp_path).stdout
    assert "From plugin acme-rules 1.2.0." in explained
    assert "ml.p5 capacity is reserved" in explained
    write(tmp_path, "job.json", p5_job())
    ignored = sagelint("lint", "--isolated", "--ignore", "ACME101", "job.json", cwd=tmp_path)
    assert "ACME101" not in ignored.stdout
    tagged = p5_job()
    tagged["Tags"].append({"Key": "sagelint:ignore", "Value": "ACME1"})
    write(tmp_path, "job.json", tagged)
    assert "ACME101" not in sagelint("lint", "--isolated", "job.json", cwd=tmp_path).stdout
    sarif = sagelint("lint", "--isolated", "--format", "sarif", "--select", "ACME", cwd=tmp_path)
    driver = json.loads(sarif.stdout)["runs"][0]["tool"]["driver"]
    assert "ACME101" in {rule["id"] for rule in driver["rules"]}


def test_a_plugin_rule_that_raises_costs_only_itself(tmp_path: Path) -> None:
    write(tmp_path, "crash.json", p5_job("crash-me"))
    write(tmp_path, "other.json", p5_job("other"))
    done = sagelint("lint", "--isolated", "--format", "json", ".", cwd=tmp_path)
    assert done.returncode == 2
    findings = json.loads(done.stdout)["findings"]
    crash = [f for f in findings if f["job"] == "crash-me"]
    [internal] = [f for f in crash if f["rule"] == "SM000"]
    assert "in ACME102 always-fails" in internal["message"]
    assert "ACME101" in {f["rule"] for f in crash}  # the job's other rules still ran
    assert "ACME101" in {f["rule"] for f in findings if f["job"] == "other"}


def test_a_plugin_that_cannot_be_imported_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, "job.json", clean_request())
    done = sagelint("lint", "--isolated", "job.json", cwd=tmp_path, site="broken")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "sagelint: error: plugin acme-broken 0.1.0 (entry point broken = acme_broken): cannot be "
        "imported: ModuleNotFoundError: No module named 'a_module_that_does_not_exist'\n"
    )


def test_installed_plugins_are_not_loaded_when_autoload_is_disabled(tmp_path: Path) -> None:
    write(tmp_path, "job.json", p5_job())
    listed = sagelint("rules", "--isolated", "--format", "json", cwd=tmp_path, autoload=False)
    assert "ACME101" not in {rule["code"] for rule in json.loads(listed.stdout)}
    done = sagelint("lint", "--isolated", "job.json", cwd=tmp_path, site="broken", autoload=False)
    assert done.returncode == 0, done.stderr  # the broken plugin is not even imported
    (tmp_path / "pyproject.toml").write_text('[tool.sagelint]\nplugins = ["local_rules"]\n')
    (tmp_path / "local_rules.py").write_text(
        "from sagelint import Violation, pointer, rule\n\n"
        "@rule(code='LOC001', name='always', severity='error', summary='always')\n"
        "def always(job):\n    yield Violation(pointer(), 'always')\n"
    )
    named = sagelint("lint", "job.json", cwd=tmp_path, autoload=False)
    assert "LOC001" in named.stdout  # plugins the configuration names still load
    assert "ACME101" not in named.stdout


def test_a_local_plugin_from_the_configurations_folder(tmp_path: Path) -> None:
    (tmp_path / "local_rules.py").write_text(
        "from sagelint import Violation, rule\n\n\n"
        '@rule(code="LOC001", name="named-job", severity="info", summary="a job needs a name")\n'
        "def named_job(job):\n"
        '    """## What it does\n    Every job has a name."""\n'
        '    if job.name is None:\n        yield Violation("", "the job has no TrainingJobName")\n',
        encoding="utf-8",
    )
    (tmp_path / ".sagelint.toml").write_text(
        'plugins = ["local_rules"]\nselect = ["LOC"]\n', encoding="utf-8"
    )
    (tmp_path / "jobs").mkdir()
    unnamed = clean_request()
    del unnamed["TrainingJobName"]
    write(tmp_path / "jobs", "job.json", unnamed)
    done = sagelint("lint", "jobs", cwd=tmp_path, site=None)
    assert done.returncode == 0  # an info finding
    assert "LOC001 [info] the job has no TrainingJobName" in done.stdout
    listed = sagelint("rules", "--format", "json", cwd=tmp_path, site=None)
    origins = {r["code"]: r["origin"] for r in json.loads(listed.stdout)}
    assert origins["LOC001"] == f"plugin local_rules (from {tmp_path})"


def test_a_local_plugin_may_not_take_a_code_or_sagelints_prefix(tmp_path: Path) -> None:
    (tmp_path / "dupe.py").write_text(
        "from sagelint import rule\n\n\n"
        '@rule(code="SM999", name="mine", severity="info", summary="s")\n'
        "def mine(job):\n    yield from ()\n",
        encoding="utf-8",
    )
    (tmp_path / ".sagelint.toml").write_text('plugins = ["dupe"]\n', encoding="utf-8")
    done = sagelint("lint", ".", cwd=tmp_path, site=None)
    assert done.returncode == 2
    assert (
        done.stderr == "sagelint: error: plugin dupe: rule SM999: the SM prefix is sagelint's own\n"
    )
