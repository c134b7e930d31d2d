"""The `sagelint` command: options, report formats, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sagelint import __version__

from tests.conftest import cli
from tests.jobs import clean_describe, clean_request

SCRIPT = Path(sys.executable).with_name("sagelint")


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def failing_request() -> dict[str, object]:
    job = clean_request()
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}  # SM301, an error
    del job["OutputDataConfig"]["KmsKeyId"]  # SM101, a warning
    return job


def test_console_script_runs_and_reports_its_version() -> None:
    done = subprocess.run([SCRIPT, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"sagelint, version {__version__}"


def test_lint_help_explains_every_option() -> None:
    result = cli("lint", "--help")
    assert result.exit_code == 0
    for option in (
        "--format",
        "--fail-on",
        "--select",
        "--ignore",
        "--max-document-size",
        "--stdin-filename",
        "--color",
    ):
        assert option in result.stdout
    assert "exit codes" in result.stdout


def test_clean_documents_pass_with_exit_code_0(tmp_path: Path) -> None:
    write(tmp_path / "request.json", clean_request())
    write(tmp_path / "describe.json", clean_describe())
    result = cli("lint", str(tmp_path))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == "All checks passed: 2 jobs from 2 files."


def test_text_report_line_format_and_summary(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    result = cli("lint", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    text = path.read_text()
    runtime_line = next(
        n for n, line in enumerate(text.splitlines(), 1) if "MaxRuntimeInSeconds" in line
    )
    expected = (
        f"{path}:{runtime_line}:5: SM301 [error] MaxRuntimeInSeconds is 3,000,000 s (34.7 days), "
        "above the service maximum of 2,419,200 s (28 days) (churn-xgboost-2026-11-01)"
    )
    assert expected in lines
    assert re.search(r"^SM101\s+output-without-kms-key\s+warning\s+1$", result.stdout, re.M)
    assert re.search(r"^SM301\s+runtime-above-service-maximum\s+error\s+1$", result.stdout, re.M)
    assert lines[-1] == "Found 2 findings (1 error, 1 warning) in 1 job from 1 file."
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_colour_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    assert "\x1b[" in cli("lint", "--color", "always", str(path)).stdout
    assert "\x1b[" not in cli("lint", "--color", "never", str(path)).stdout


def test_json_report(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    result = cli("lint", "--format", "json", str(path))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["version"] == __version__
    assert {f["rule"] for f in report["findings"]} == {"SM101", "SM301"}
    finding = next(f for f in report["findings"] if f["rule"] == "SM301")
    assert set(finding) == {
        "rule",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "pointer",
        "job",
    }
    assert finding["pointer"] == "/StoppingCondition/MaxRuntimeInSeconds"
    assert finding["job"] == "churn-xgboost-2026-11-01"
    assert finding["path"] == str(path)
    assert report["summary"] == {
        "jobs": 1,
        "files": 1,
        "findings": 2,
        "by_severity": {"error": 1, "warning": 1},
        "by_rule": {"SM101": 1, "SM301": 1},
        "suppressed": {},
        "exit_code": 1,
    }


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on_sets_the_threshold(tmp_path: Path, fail_on: str, expected: int) -> None:
    job = clean_request()
    del job["OutputDataConfig"]["KmsKeyId"]  # SM101 only: a warning
    path = write(tmp_path / "job.json", job)
    assert cli("lint", "--fail-on", fail_on, str(path)).exit_code == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), {"SM101", "SM301"}),
        (("--select", "SM3"), {"SM301"}),
        (("--select", "sm101,SM301"), {"SM101", "SM301"}),
        (("--select", "SM1", "--select", "SM3"), {"SM101", "SM301"}),
        (("--ignore", "SM1"), {"SM301"}),
        (("--select", "SM", "--ignore", "SM301"), {"SM101"}),
    ],
)
def test_select_and_ignore_by_code_or_prefix(
    tmp_path: Path, args: tuple[str, ...], expected: set[str]
) -> None:
    path = write(tmp_path / "job.json", failing_request())
    report = json.loads(cli("lint", "--format", "json", *args, str(path)).stdout)
    assert {f["rule"] for f in report["findings"]} == expected


def test_unknown_selector_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", clean_request())
    result = cli("lint", "--select", "SM9", str(path))
    assert result.exit_code == 2
    assert "'SM9' matches no rule" in result.stderr


def test_input_errors_are_reported_whatever_is_selected(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{")
    result = cli("lint", "--select", "SM3", str(tmp_path / "broken.json"))
    assert result.exit_code == 2
    assert "SM002 [error] invalid JSON" in result.stdout


def test_input_error_exit_code_wins_but_everything_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.json", failing_request())
    (tmp_path / "b.json").write_text("not json at all {")
    write(tmp_path / "c.json", failing_request())
    result = cli("lint", "--format", "json", str(tmp_path))
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    by_path = {(Path(f["path"]).name, f["rule"]) for f in report["findings"]}
    assert {("a.json", "SM301"), ("b.json", "SM002"), ("c.json", "SM301")} <= by_path


def test_bad_option_values_are_usage_errors(tmp_path: Path) -> None:
    assert cli("lint", "--format", "xml", str(tmp_path)).exit_code == 2
    result = cli("lint", "--max-document-size", "lots", str(tmp_path))
    assert result.exit_code == 2
    assert "is not a size" in result.stderr
    for value, message in (("0", "must be at least 1 (got 0)"), ("x", "must be a whole number")):
        result = cli("lint", "--jobs", value, str(tmp_path))
        assert result.exit_code == 2
        assert f"argument --jobs/-j: {message}" in result.stderr
    result = cli("lint", "--no-such-option", str(tmp_path))
    assert result.exit_code == 2
    assert "unrecognized arguments: --no-such-option" in result.stderr
    result = cli("lnt", str(tmp_path))
    assert result.exit_code == 2
    assert "invalid choice: 'lnt'" in result.stderr


def test_default_path_is_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "job.json", failing_request())
    monkeypatch.chdir(tmp_path)
    result = cli("lint")
    assert result.exit_code == 1
    assert "job.json:" in result.stdout


def test_rules_lists_every_rule() -> None:
    from sagelint.rules import RULES

    table = cli("rules").stdout
    for rule in RULES:
        assert re.search(rf"^{rule.code}\s+{rule.name}\s+{rule.severity}\s", table, re.M)
    rows = json.loads(cli("rules", "--format", "json").stdout)
    assert [row["code"] for row in rows] == [rule.code for rule in RULES]


def test_explain_prints_the_rule_documentation() -> None:
    result = cli("explain", "SM201")
    assert result.exit_code == 0
    assert result.stdout.startswith("# SM201 gzip-outside-pipe-mode\n")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## How to fix"):
        assert section in result.stdout
    assert cli("explain", "gzip-outside-pipe-mode").stdout == result.stdout
    assert cli("explain", "sm201").stdout == result.stdout
    missing = cli("explain", "SM999")
    assert missing.exit_code == 2
    assert "no rule 'SM999'" in missing.stderr


def test_many_files_are_checked_in_parallel_with_the_same_report(tmp_path: Path) -> None:
    """From 256 files on a pool of processes checks them: same findings, order and counts."""
    for n in range(300):
        job = clean_request()
        job["TrainingJobName"] = f"job-{n:03d}"
        if n % 3 == 0:
            job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}
        if n % 5 == 0:
            job["Tags"].append({"Key": "sagelint:ignore", "Value": "SM301"})
        if n % 7 == 0:
            (tmp_path / f"job-{n:03d}.json").write_text("{broken")
            continue
        write(tmp_path / f"job-{n:03d}.json", job)
    write(tmp_path / "baseline-source.json", failing_request())
    serial = cli("lint", "--jobs", "1", "--format", "json", str(tmp_path))
    parallel = cli("lint", "--jobs", "2", "--format", "json", str(tmp_path))
    assert serial.exit_code == parallel.exit_code == 2
    assert parallel.stdout == serial.stdout
    summary = json.loads(parallel.stdout)["summary"]
    assert summary["files"] == 301
    assert summary["suppressed"] == {"tag": 17}  # SM301 on multiples of 15, not of 7, < 300
    junit_serial = cli("lint", "--jobs", "1", "--format", "junit", str(tmp_path)).stdout
    assert cli("lint", "--jobs", "2", "--format", "junit", str(tmp_path)).stdout == junit_serial


# What a one-file lint may not import: boto3 only for AWS work, jsonschema only for schema
# policies, pydantic only when there is a configuration file, PyYAML only for YAML files.
HEAVY = ("boto3", "botocore", "jsonschema", "pydantic", "yaml")


@pytest.mark.parametrize(
    ("config", "allowed"),
    [
        (None, set()),
        ('[tool.sagelint]\nignore = ["SM104"]\n', set()),
    ],
)
@pytest.mark.parametrize("output_format", ["--format=text", "--format=json"])
def test_a_one_file_lint_imports_nothing_heavy(
    tmp_path: Path, config: str | None, allowed: set[str], output_format: str
) -> None:
    write(tmp_path / "job.json", failing_request())
    if config:
        (tmp_path / "pyproject.toml").write_text(config)
    program = (
        "import sys\nfrom sagelint.cli import main\n"
        "code = main(['lint', *sys.argv[1:2], 'job.json'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[2:])), code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, output_format, *HEAVY],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    imported, code = done.stdout.strip().splitlines()[-1].rsplit(" ", 1)
    assert code == "1"  # the lint ran and found what failing_request() holds
    assert imported == str(sorted(allowed))


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    for index in range(300):  # enough output to fill the pipe after the reader has gone
        write(tmp_path / f"job-{index:03}.json", failing_request())
    process = subprocess.Popen(
        [SCRIPT, "lint", "--jobs", "1", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert b": SM" in process.stdout.readline()  # `sagelint lint | head -1`
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait() == 2
    assert error == b""  # no traceback, no "Exception ignored" at exit
