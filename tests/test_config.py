"""Configuration files, suppressions, baselines, statistics and --output, through the CLI."""

from __future__ import annotations

import json
from contextlib import chdir
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cli
from tests.jobs import clean_describe, clean_request


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder, so that no configuration above it is found."""
    monkeypatch.chdir(tmp_path)


def write(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def failing(name: str = "churn-xgboost-2026-11-01") -> dict[str, Any]:
    job = clean_request()
    job["TrainingJobName"] = name
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}  # SM301 error
    del job["OutputDataConfig"]["KmsKeyId"]  # SM101 warning
    return job


def rules_reported(*args: str) -> tuple[list[str], int, dict[str, Any]]:
    result = cli("lint", "--format", "json", *args)
    report = json.loads(result.stdout)
    return sorted(f["rule"] for f in report["findings"]), result.exit_code, report["summary"]


# --- configuration files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "table",
    [
        '[tool.sagelint]\nignore = ["SM101"]\nfail-on = "warning"\n',
        '[project]\nname = "sagelint-user"\n[ tool . "sagelint" ]\nignore = ["SM101"]\n'
        'fail-on = "warning"\n',
        'tool.sagelint.ignore = ["SM101"]\ntool.sagelint.fail-on = "warning"\n',
        '[tool]\nsagelint = { ignore = ["SM101"], fail-on = "warning" }\n',
    ],
)
def test_pyproject_table_is_found_walking_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(table)
    write(tmp_path / "jobs" / "deep" / "job.json", failing())
    monkeypatch.chdir(tmp_path / "jobs" / "deep")
    assert rules_reported("job.json")[:2] == (["SM301"], 1)


def test_pyproject_without_table_is_skipped_for_one_higher_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".sagelint.toml").write_text('ignore = ["SM3"]\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text(
        '[project]\nname = "sagelint-rules"\n[tool.ruff]\nline-length = 100\n'
    )
    write(tmp_path / "sub" / "job.json", failing())
    monkeypatch.chdir(tmp_path / "sub")
    assert rules_reported("job.json")[0] == ["SM101"]


def test_dot_sagelint_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.sagelint]\nignore = ["SM1"]\n')
    (tmp_path / ".sagelint.toml").write_text('ignore = ["SM3"]\n')
    write(tmp_path / "job.json", failing())
    assert rules_reported("job.json")[0] == ["SM101"]


def test_command_line_overrides_the_file(tmp_path: Path) -> None:
    (tmp_path / ".sagelint.toml").write_text('select = ["SM1"]\nfail-on = "warning"\n')
    write(tmp_path / "job.json", failing())
    assert rules_reported("job.json")[:2] == (["SM101"], 1)
    assert rules_reported("--select", "SM3", "job.json")[0] == ["SM301"]
    assert rules_reported("--fail-on", "error", "--select", "SM1", "job.json")[1] == 0
    assert rules_reported("--extend-select", "SM3", "job.json")[0] == ["SM101", "SM301"]


def test_config_option_and_isolated(tmp_path: Path) -> None:
    (tmp_path / ".sagelint.toml").write_text('ignore = ["SM3"]\n')
    other = tmp_path / "other.toml"
    other.write_text('ignore = ["SM1"]\n')
    write(tmp_path / "job.json", failing())
    assert rules_reported("job.json")[0] == ["SM101"]
    assert rules_reported("--config", str(other), "job.json")[0] == ["SM301"]
    assert rules_reported("--isolated", "job.json")[0] == ["SM101", "SM301"]


def test_severity_override(tmp_path: Path) -> None:
    (tmp_path / ".sagelint.toml").write_text('[severity]\nSM101 = "error"\nsm301 = "info"\n')
    write(tmp_path / "job.json", failing())
    report = json.loads(cli("lint", "--format", "json", "job.json").stdout)
    assert {f["rule"]: f["severity"] for f in report["findings"]} == {
        "SM101": "error",
        "SM301": "info",
    }


def test_exclude_and_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / ".sagelint.toml").write_text(
        'exclude = ["legacy/*"]\n[per-file-ignores]\n"sandbox/*.json" = ["SM3"]\n'
    )
    write(tmp_path / "legacy" / "old.json", failing("old"))
    write(tmp_path / "sandbox" / "try.json", failing("try"))
    write(tmp_path / "prod" / "job.json", failing("prod"))
    result = cli("lint", "--format", "json", ".")
    report = json.loads(result.stdout)
    found = sorted((f["job"], f["rule"]) for f in report["findings"])
    assert found == [("prod", "SM101"), ("prod", "SM301"), ("try", "SM101")]
    assert report["summary"]["suppressed"] == {"per-file-ignores": 1}
    # exclude applies to files named on the command line too (as pre-commit passes them)
    assert json.loads(cli("lint", "--format", "json", "legacy/old.json").stdout)["findings"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('selct = ["SM1"]\n', "selct: unknown key"),
        ('fail-on = "fatal"\n', "fail-on: Input should be 'error', 'warning' or 'info'"),
        ('select = "SM1"\n', "select: Input should be an array (got a string)"),
        ('select = ["SM9"]\n', "select[0]: 'SM9' matches no rule"),
        (
            '[rules]\nmax-runtime-seconds = "1d"\n',
            "rules.max-runtime-seconds: Input should be a valid integer (got a string)",
        ),
        (
            "[rules]\nmax-runtime-seconds = 0\n",
            "rules.max-runtime-seconds: Input should be greater than or equal to 1",
        ),
        (
            '[rules]\njob-name-pattern = "(unclosed"\n',
            "rules.job-name-pattern: not a regular expression",
        ),
        ("[rules]\nmax_runtime_seconds = 5\n", "rules.max_runtime_seconds: unknown key"),
        (
            "[rules]\nmax-instance-count = true\n",
            "rules.max-instance-count: Input should be a valid integer (got a boolean)",
        ),
        ('ignore = ["SM1", 3]\n', "ignore[1]: Input should be a valid string (got an integer)"),
        ('ignore = [" "]\n', "ignore[0]: String should have at least 1 character"),
        ('severity = { SM101 = "fatal" }\n', "severity.SM101: Input should be 'error', 'warning'"),
        ('severity = { SM9 = "info" }\n', "severity.SM9: 'SM9' is not a rule's code or name"),
        ('severity = "info"\n', "severity: Input should be a table (got a string)"),
        ('[per-file-ignores]\n"a/*" = "SM1"\n', 'per-file-ignores."a/*": Input should be an array'),
        ("rules = 5\n", "rules: Input should be a table (got an integer)"),
        (
            "exclude = [2026-01-01]\n",
            "exclude[0]: Input should be a valid string (got a date or time)",
        ),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_configuration_errors_name_the_file_and_key(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / ".sagelint.toml").write_text(content)
    write(tmp_path / "job.json", failing())
    result = cli("lint", "job.json")
    assert result.exit_code == 2
    assert f"{tmp_path / '.sagelint.toml'}: " in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("name", [".sagelint.toml", "pyproject.toml"])
def test_a_configuration_that_is_not_utf8_is_one_error(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b'[tool.sagelint]\nignore = ["\xff"]\n')
    write(tmp_path / "job.json", failing())
    result = cli("lint", "--config", name, "job.json")
    assert result.exit_code == 2
    assert result.stderr == f"sagelint: error: {name}: invalid TOML: not UTF-8 (byte 27)\n"
    # Found by walking up: still an error
    found = cli("lint", "job.json")
    assert found.exit_code == 2
    assert "not UTF-8" in found.stderr


@pytest.mark.parametrize(
    "content",
    [
        '[project]\nname = "ml-platform"\ndependencies = ["numpy"\n',  # no sagelint word in it
        b'[project]\nname = "\xff"\n',
    ],
)
def test_a_broken_pyproject_toml_is_an_error_whatever_it_holds(
    tmp_path: Path, content: str | bytes
) -> None:
    """It could hide a [tool.sagelint] table: the run must not go on under the parent folder's
    policy (or none) without a word."""
    (tmp_path / ".sagelint.toml").write_text('ignore = ["SM3"]\n')
    project = tmp_path / "project"
    project.mkdir()
    path = project / "pyproject.toml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    write(project / "job.json", failing())
    with chdir(project):
        result = cli("lint", "job.json")
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("sagelint: error: ")
        and "pyproject.toml: invalid TOML" in result.stderr
    )
    assert result.stdout == ""


def test_an_inline_tool_table_is_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = { sagelint = { ignore = ["SM301"] } }\n')
    write(tmp_path / "job.json", failing())
    with chdir(tmp_path):
        assert "SM301" not in cli("lint", "job.json").stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[tool.sagelint]\nignor = []\n", "[tool.sagelint] ignor: unknown key"),
        ("[tool]\nsagelint = 5\n", "[tool.sagelint]: Input should be a table (got an integer)"),
    ],
)
def test_pyproject_errors_name_the_table(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(content)
    write(tmp_path / "job.json", failing())
    result = cli("lint", "job.json")
    assert result.exit_code == 2
    assert f"pyproject.toml: {message}" in result.stderr


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "job.json", failing())
    result = cli("lint", "--config", "nope.toml", "job.json")
    assert result.exit_code == 2
    assert "nope.toml: cannot read: no such file or directory" in result.stderr


# --- organisation policy rules ----------------------------------------------------------------


def policy(tmp_path: Path, rules: str) -> None:
    (tmp_path / ".sagelint.toml").write_text("[rules]\n" + rules)


def test_policy_rules_are_off_until_configured(tmp_path: Path) -> None:
    job = clean_request()
    job["TrainingJobName"] = "Bad_Name"
    job["ResourceConfig"]["InstanceType"] = "ml.p4d.24xlarge"
    job["Tags"] = []
    write(tmp_path / "job.json", job)
    assert not {"SM302", "SM309", "SM502", "SM503", "SM504"} & set(
        rules_reported("--select", "SM", "job.json")[0]
    )


def test_sm302_runtime_cap(tmp_path: Path) -> None:
    policy(tmp_path, "max-runtime-seconds = 43200\n")
    write(tmp_path / "over.json", clean_request())  # 86,400 s
    job = clean_request()
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 43200}
    write(tmp_path / "at-cap.json", job)
    no_limit = clean_request()
    del no_limit["StoppingCondition"]
    write(tmp_path / "default.json", no_limit)
    report = json.loads(cli("lint", "--format", "json", "--select", "SM302", ".").stdout)
    found = {(Path(f["path"]).name, f["pointer"]) for f in report["findings"]}
    assert found == {("over.json", "/StoppingCondition/MaxRuntimeInSeconds"), ("default.json", "")}


def test_sm309_instance_types_and_count(tmp_path: Path) -> None:
    policy(tmp_path, 'allowed-instance-types = ["ml.m5.*", "ml.g5.*"]\nmax-instance-count = 2\n')
    write(tmp_path / "ok.json", clean_request())
    job = clean_request()
    job["ResourceConfig"] = {
        "InstanceGroups": [
            {"InstanceGroupName": "a", "InstanceType": "ml.g5.2xlarge", "InstanceCount": 2},
            {"InstanceGroupName": "b", "InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1},
        ],
        "VolumeSizeInGB": 50,
    }
    write(tmp_path / "groups.json", job)
    report = json.loads(cli("lint", "--format", "json", "--select", "SM309", ".").stdout)
    assert sorted((Path(f["path"]).name, f["pointer"]) for f in report["findings"]) == [
        ("groups.json", "/ResourceConfig"),
        ("groups.json", "/ResourceConfig/InstanceGroups/1/InstanceType"),
    ]


def test_sm502_image_registry(tmp_path: Path) -> None:
    policy(tmp_path, 'allowed-image-registries = ["123456789012.dkr.ecr.*.amazonaws.com"]\n')
    write(tmp_path / "ok.json", clean_request())
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingImage"] = "someone/train:latest"
    write(tmp_path / "hub.json", job)
    report = json.loads(cli("lint", "--format", "json", "--select", "SM502", ".").stdout)
    [finding] = report["findings"]
    assert Path(finding["path"]).name == "hub.json"
    assert "no registry (Docker Hub)" in finding["message"]


def test_sm503_required_tags(tmp_path: Path) -> None:
    policy(tmp_path, 'required-tags = ["team", "cost-center"]\n')
    write(tmp_path / "request.json", clean_request())  # has team only
    write(tmp_path / "describe.json", clean_describe())  # tags unknown: silent
    report = json.loads(cli("lint", "--format", "json", "--select", "SM503", ".").stdout)
    [finding] = report["findings"]
    assert Path(finding["path"]).name == "request.json"
    assert finding["message"] == "missing required tags: cost-center"
    assert finding["pointer"] == "/Tags"


def test_sm504_job_name_pattern_and_a_pattern_that_would_hang(tmp_path: Path) -> None:
    policy(tmp_path, 'job-name-pattern = "churn-[a-z]+-\\\\d{4}-\\\\d{2}-\\\\d{2}"\n')
    write(tmp_path / "ok.json", clean_request())
    bad = clean_request()
    bad["TrainingJobName"] = "test123"
    write(tmp_path / "bad.json", bad)
    report = json.loads(cli("lint", "--format", "json", "--select", "SM504", ".").stdout)
    assert [Path(f["path"]).name for f in report["findings"]] == ["bad.json"]

    policy(tmp_path, 'job-name-pattern = "(a|aa)+$"\n')  # catastrophic backtracking
    slow = clean_request()
    slow["TrainingJobName"] = "a" * 40 + "b"
    write(tmp_path / "slow.json", slow)
    result = cli("lint", "--format", "json", "--select", "SM504", "slow.json")
    [finding] = json.loads(result.stdout)["findings"]
    assert "took longer than 0.1 s" in finding["message"]


# --- suppressions, baselines, statistics, output ------------------------------------------------


def test_job_tag_exempts_it_and_is_counted(tmp_path: Path) -> None:
    job = failing()
    job["Tags"].append({"Key": "sagelint:ignore", "Value": "SM101 sm3"})
    write(tmp_path / "job.json", job)
    rules, code, summary = rules_reported("job.json")
    assert (rules, code) == ([], 0)
    assert summary["suppressed"] == {"tag": 2}
    assert "2 suppressed (2 by tag)" in cli("lint", "job.json").stdout
    # commas separate codes too, but AWS refuses a comma in a tag value: the schema says so
    job["Tags"][-1]["Value"] = "SM101,SM3"
    write(tmp_path / "job.json", job)
    rules, _, summary = rules_reported("job.json")
    assert rules == ["SM010"]
    assert summary["suppressed"] == {"tag": 2}


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    write(tmp_path / "a.json", failing("a"))
    # a hidden file: folders are searched without hidden files, so it is not linted itself
    assert cli("lint", "--write-baseline", ".sagelint-baseline.json", ".").exit_code == 0
    baseline = json.loads((tmp_path / ".sagelint-baseline.json").read_text())
    assert len(baseline["findings"]) == 2
    # reformatting and reordering keys keeps the fingerprints
    job = failing("a")
    (tmp_path / "a.json").write_text(json.dumps(dict(reversed(list(job.items())))))
    write(tmp_path / "b.json", failing("b"))
    rules, code, summary = rules_reported("--baseline", ".sagelint-baseline.json", ".")
    assert (rules, code) == (["SM101", "SM301"], 1)
    assert summary["suppressed"] == {"baseline": 2}


def test_bad_baseline_file(tmp_path: Path) -> None:
    write(tmp_path / "a.json", failing())
    (tmp_path / "baseline.json").write_text('{"findings": []}')
    result = cli("lint", "--baseline", "baseline.json", "a.json")
    assert result.exit_code == 2
    assert "baseline.json: not a sagelint baseline" in result.stderr


def test_statistics(tmp_path: Path) -> None:
    write(tmp_path / "a.json", failing("a"))
    write(tmp_path / "b.json", failing("b"))
    job = clean_request()
    del job["OutputDataConfig"]["KmsKeyId"]
    write(tmp_path / "c.json", job)
    result = cli("lint", "--statistics", ".")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["3", "SM101", "output-without-kms-key", "warning"]
    assert lines[1].split() == ["2", "SM301", "runtime-above-service-maximum", "error"]
    assert lines[2] == "Found 5 findings (2 errors, 3 warnings) in 3 jobs from 3 files."
    as_json = json.loads(cli("lint", "--statistics", "--format", "json", ".").stdout)
    assert as_json == [
        {"code": "SM101", "name": "output-without-kms-key", "count": 3},
        {"code": "SM301", "name": "runtime-above-service-maximum", "count": 2},
    ]


def test_output_file_with_a_summary_on_the_terminal(tmp_path: Path) -> None:
    write(tmp_path / "a.json", failing())
    result = cli("lint", "--format", "json", "--output", "report.json", "a.json")
    assert result.exit_code == 1
    assert result.stdout == (
        "sagelint: 2 findings (1 error, 1 warning) in 1 job from 1 file; report written to report.json\n"
    )
    assert len(json.loads((tmp_path / "report.json").read_text())["findings"]) == 2
    unwritable = cli("lint", "--output", str(tmp_path / "no" / "such" / "dir.json"), "a.json")
    assert unwritable.exit_code == 2
    assert "cannot write" in unwritable.stderr
