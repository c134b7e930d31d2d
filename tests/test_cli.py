"""The `sagelint` command: options, report formats, exit codes."""

from __future__ import annotations

import ast
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sagelint import __version__
from sagelint.cli import sagelint
from sagelint.rules import RULES

from tests.conftest import Result
from tests.jobs import clean_describe, clean_request

SCRIPT = Path(sys.executable).with_name("sagelint")


def cli(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """``sagelint ARGS`` through click's test runner: exit code, stdout, stderr."""
    result = CliRunner().invoke(sagelint, list(args), input=input, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def failing_request() -> dict[str, object]:
    job = clean_request()
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}  # SM301, an error
    del job["OutputDataConfig"]["KmsKeyId"]  # SM101, a warning
    return job


def test_console_script_and_python_m_run_and_report_the_version() -> None:
    for command in ([SCRIPT], [sys.executable, "-m", "sagelint"]):
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
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
        "--output-format",
        "--output-file",
        "--exit-zero",
        "--quiet",
        "--exclude",
        "--extend-exclude",
        "--show-source",
    ):
        assert option in result.stdout
    assert "Exit codes" in result.stdout


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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lint", "--format", "xml"), "sagelint: error: Invalid value for '--format'"),
        (("lint", "--max-document-size", "lots"), "'lots' is not a size"),
        (("lint", "--jobs", "0"), "Invalid value for '--jobs' / '-j': 0 is not in the range x>=1"),
        (("lint", "--jobs", "x"), "'x' is not a valid integer"),
        (("lint", "--no-such-option"), "sagelint: error: No such option '--no-such-option'"),
        (("lnt",), "sagelint: error: No such command 'lnt'"),
        (("lint", "--form", "json"), "No such option '--form'"),  # no abbreviations
        (("lint", "--statistics", "--format", "sarif"), "--statistics is a table or JSON"),
        (("lint", "--show-source", "--format", "json"), "--show-source goes with the text format"),
        (("lint", "--config", "missing.toml"), "missing.toml: cannot read: no such file"),
        (("audit", "--region", "mars"), "'mars' is not a region name"),
        (("audit", "--concurrency", "500"), "500 is not in the range 1<=x<=128"),
        (("audit", "--status", "Running"), "'Running' is not one of"),
    ],
)
def test_bad_option_values_are_one_line_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*args, str(tmp_path)) if args[0] == "lint" else cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert message in result.stderr


def test_default_path_is_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "job.json", failing_request())
    monkeypatch.chdir(tmp_path)
    result = cli("lint")
    assert result.exit_code == 1
    assert "job.json:" in result.stdout


def test_rules_lists_every_rule_within_80_columns_and_marks_those_off_until_configured() -> None:
    table = cli("rules", env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    for rule in RULES:
        mark = r"\*" if rule.needs else ""
        assert re.search(rf"^{rule.code}{mark}\s+{rule.name}\s+{rule.severity}\s", table, re.M)
    assert (
        {r.code for r in RULES if r.needs} == set(re.findall(r"^(SM\d+)\*", table, re.M)) != set()
    )
    assert "* off until configured" in table
    rows = json.loads(cli("rules", "--output-format", "json").stdout)
    assert [row["code"] for row in rows] == [rule.code for rule in RULES]
    assert {row["code"] for row in rows if row["off_until_configured"]} == {
        r.code for r in RULES if r.needs
    }


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
        ('[tool.sagelint]\nignore = ["SM104"]\n', {"pydantic"}),
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
    assert set(ast.literal_eval(imported)) <= allowed


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


def test_output_format_and_output_file_are_aliases(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    report = tmp_path / "report.json"
    result = cli("lint", "--output-format", "json", "--output-file", str(report), str(path))
    assert result.exit_code == 1
    assert json.loads(report.read_text())["summary"]["findings"] == 2
    assert result.stdout.startswith("sagelint: 2 findings (1 error, 1 warning)")


def test_exit_zero_passes_with_findings_but_not_with_unreadable_inputs(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    result = cli("lint", "--exit-zero", str(path))
    assert result.exit_code == 0
    assert "SM301 [error]" in result.stdout
    (tmp_path / "broken.json").write_text("{")
    assert cli("lint", "--exit-zero", str(tmp_path)).exit_code == 2


def test_quiet_prints_the_findings_and_nothing_else(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    result = cli("lint", "-q", str(path))
    assert result.exit_code == 1
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == [
        "SM101",
        "SM301",
    ]
    baseline = tmp_path / ".baseline.json"
    result = cli(
        "lint",
        "--quiet",
        "-o",
        str(tmp_path / "r.txt"),
        "--write-baseline",
        str(baseline),
        str(path),
    )
    assert (result.stdout, result.stderr) == ("", "")
    assert baseline.exists()


def test_exclude_replaces_the_configurations_and_extend_exclude_adds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("legacy.json", "sandbox.json", "train.json"):
        write(tmp_path / name, failing_request())
    (tmp_path / ".sagelint.toml").write_text('exclude = ["legacy.json"]\n')
    monkeypatch.chdir(tmp_path)

    def linted(*args: str) -> set[str]:
        report = json.loads(cli("lint", "--format", "json", *args, ".").stdout)
        return {Path(f["path"]).name for f in report["findings"]}

    assert linted() == {"sandbox.json", "train.json"}
    assert linted("--exclude", "sandbox.json") == {"legacy.json", "train.json"}
    assert linted("--extend-exclude", "sandbox.*") == {"train.json"}
    assert linted("--exclude", "sandbox.json,train.json") == {"legacy.json"}


def test_select_and_ignore_take_rule_names_as_explain_does(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())

    def rules(*args: str) -> set[str]:
        return {
            f["rule"]
            for f in json.loads(cli("lint", "--format", "json", *args, str(path)).stdout)[
                "findings"
            ]
        }

    assert rules("--select", "runtime-above-service-maximum") == {"SM301"}
    assert rules("--ignore", "output-without-kms-key") == {"SM301"}
    assert rules("--select", "SM1", "--extend-select", "runtime-above-service-maximum") == {
        "SM101",
        "SM301",
    }


def test_show_source_puts_a_caret_under_the_column(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    lines = cli("lint", "--show-source", "--select", "SM301", str(path)).stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if ": SM301 [error]" in line)
    line, column = (int(n) for n in lines[at].split(":")[1:3])
    source = path.read_text().splitlines()[line - 1]
    assert lines[at + 2] == f"{line} | {source}"
    assert lines[at + 3].index("^") - len(f"{line} | ") == column - 1
    assert source[column - 1 :].startswith('"MaxRuntimeInSeconds"')


def test_show_source_of_a_json_lines_record_is_a_window_around_the_column(tmp_path: Path) -> None:
    job = failing_request()
    job["HyperParameters"] = {"padding": "p" * 2000}
    path = tmp_path / "jobs.jsonl"
    path.write_text(json.dumps(job) + "\n")
    lines = cli("lint", "--show-source", "--select", "SM301", str(path)).stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if ": SM301 [error]" in line)
    column = int(lines[at].split(":")[2])
    shown, caret = lines[at + 2], lines[at + 3]
    assert column > 2000 and len(shown) < 120
    assert shown[caret.index("^") :].startswith('"MaxRuntimeInSeconds"')


def test_statistics_as_json(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    rows = json.loads(cli("lint", "--statistics", "--format", "json", str(path)).stdout)
    assert [(row["code"], row["count"]) for row in rows] == [("SM101", 1), ("SM301", 1)]
    text = cli("lint", "--statistics", str(path)).stdout
    assert re.search(r"^\s*1\s+SM301\s+runtime-above-service-maximum\s+error$", text, re.M)
    assert text.splitlines()[-1] == "Found 2 findings (1 error, 1 warning) in 1 job from 1 file."


def test_text_and_github_say_the_same_of_each_finding(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request())
    text = [line for line in cli("lint", str(path)).stdout.splitlines() if ": SM" in line]
    github = [
        line
        for line in cli("lint", "--format", "github", str(path)).stdout.splitlines()
        if line.startswith("::")
    ]
    assert len(text) == len(github) == 2
    for said, annotation in zip(text, github, strict=True):
        where, _, message = said.partition("] ")
        code = where.split()[1]
        assert annotation.endswith(f"::{message}")
        assert f"title={code} " in annotation


def _on_a_terminal(*args: str, **env: str) -> str:
    """What the console script prints with its standard output on a pseudo-terminal."""
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment |= {"TERM": "xterm", **env}
    with subprocess.Popen(
        [SCRIPT, *args], stdout=terminal, stderr=subprocess.DEVNULL, env=environment
    ) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(controller)
    return b"".join(chunks).decode()


def test_colour_honours_the_terminal_no_color_force_color_and_term_dumb(tmp_path: Path) -> None:
    path = str(write(tmp_path / "job.json", failing_request()))
    assert "\x1b[" in _on_a_terminal("lint", path)
    assert "\x1b[" not in _on_a_terminal("lint", path, NO_COLOR="1")
    assert "\x1b[" not in _on_a_terminal("lint", path, TERM="dumb")
    assert "\x1b[" in _on_a_terminal("lint", "--color", "always", path, NO_COLOR="1")
    assert "\x1b[" in cli("lint", path, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[" not in cli("lint", path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_shell_completion_comes_from_click() -> None:
    env = {**os.environ, "_SAGELINT_COMPLETE": "bash_source"}
    script = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, check=True).stdout
    assert "complete -o nosort -F _sagelint_completion sagelint" in script
    env = {
        **os.environ,
        "_SAGELINT_COMPLETE": "bash_complete",
        "COMP_WORDS": "sagelint lint --select SM30",
        "COMP_CWORD": "3",
    }
    done = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, check=True)
    assert {"plain,SM301", "plain,SM302"} <= set(done.stdout.splitlines())
    env |= {"COMP_WORDS": "sagelint lint --out", "COMP_CWORD": "2"}
    done = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, check=True)
    assert set(done.stdout.splitlines()) == {
        "plain,--output",
        "plain,--output-file",
        "plain,--output-format",
    }


def test_config_schema_is_the_json_schema_of_the_configuration() -> None:
    result = cli("config", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"select", "ignore", "fail-on", "exclude"} <= set(
        json.dumps(schema).replace('"', " ").split()
    )


def test_config_show_names_the_file_and_the_settings_in_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".sagelint.toml").write_text('ignore = ["SM104"]\nfail-on = "warning"\n')
    monkeypatch.chdir(tmp_path)
    shown = cli("config", "show")
    assert shown.exit_code == 0
    assert f"{tmp_path.resolve() / '.sagelint.toml'}" in shown.stdout.splitlines()[0]
    assert re.search(r'^ignore = \["SM104"\]', shown.stdout, re.M)
    assert re.search(r'^fail-on = "warning"', shown.stdout, re.M)
    isolated = cli("config", "show", "--isolated")
    assert isolated.exit_code == 0
    assert "SM104" not in isolated.stdout and "No configuration file" in isolated.stdout
