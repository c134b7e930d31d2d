"""What sagelint reads: document kinds, containers, positions, and bad input of every sort."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sagelint.findings import Finding

from tests.conftest import REAL, cli, codes, lint_paths, only, position_of
from tests.jobs import clean_describe, clean_request

SCRIPT = Path(sys.executable).with_name("sagelint")
RUNTIME = "/StoppingCondition/MaxRuntimeInSeconds"


def over_runtime(job: dict[str, object], seconds: int = 3_000_000) -> dict[str, object]:
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": seconds}
    return job


def sm301(findings: list[Finding]) -> list[tuple[int, int, str | None]]:
    return [(f.line, f.column, f.job) for f in only(findings, "SM301")]


# --- document kinds and containers -------------------------------------------------------------


def test_describe_response_with_and_without_response_metadata(tmp_path: Path) -> None:
    job = over_runtime(clean_describe())
    (tmp_path / "plain.json").write_text(json.dumps(job, indent=2))
    job["ResponseMetadata"] = {"RequestId": "abc", "HTTPStatusCode": 200}
    (tmp_path / "boto3.json").write_text(json.dumps(job, indent=2))
    findings = lint_paths(tmp_path)
    assert codes(findings) == ["SM301", "SM301"]  # ResponseMetadata is not an unknown field


@pytest.mark.parametrize("indent", [2, None])
def test_positions_in_pretty_and_single_line_json(tmp_path: Path, indent: int | None) -> None:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(over_runtime(clean_request()), indent=indent))
    expected = position_of(path.read_text(), '"MaxRuntimeInSeconds"')
    [finding] = only(lint_paths(path), "SM301")
    assert (finding.line, finding.column) == expected
    assert finding.pointer == RUNTIME


def test_missing_field_is_located_at_the_enclosing_object(tmp_path: Path) -> None:
    job = clean_request()
    del job["OutputDataConfig"]["KmsKeyId"]
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job, indent=2))
    [finding] = only(lint_paths(path), "SM101")
    assert finding.pointer == "/OutputDataConfig"
    assert (finding.line, finding.column) == position_of(path.read_text(), '"OutputDataConfig"')


@pytest.mark.parametrize("count", [3, 60], ids=["short", "longer than 64 KiB"])
def test_each_job_of_a_json_array_is_located_in_its_own_element(tmp_path: Path, count: int) -> None:
    jobs = []
    for n in range(count):
        job = over_runtime(clean_request())
        job["TrainingJobName"] = f"job-{n}"
        jobs.append(job)
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps(jobs, indent=2))
    text = path.read_text()
    assert (len(text) > 1 << 16) == (count > 3)
    assert sm301(lint_paths(path)) == [
        (*position_of(text, '"MaxRuntimeInSeconds"', n), f"job-{n}") for n in range(count)
    ]


def test_json_lines_one_job_per_line(tmp_path: Path) -> None:
    lines = []
    for n in range(3):
        job = over_runtime(clean_request()) if n != 1 else clean_request()
        job["TrainingJobName"] = f"job-{n}"
        lines.append(json.dumps(job))
    path = tmp_path / "jobs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    column = lines[0].index('"MaxRuntimeInSeconds"') + 1
    assert sm301(lint_paths(path)) == [(1, column, "job-0"), (3, column, "job-2")]


def test_json_lines_under_a_json_name_are_read_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps(over_runtime(clean_request())) + "\n" + json.dumps(clean_request()))
    assert [(line, job) for line, _, job in sm301(lint_paths(path))] == [
        (1, "churn-xgboost-2026-11-01")
    ]


YAML_JOB = """\
# a saved job spec
TrainingJobName: yaml-job
RoleArn: arn:aws:iam::123456789012:role/SageMakerTraining
AlgorithmSpecification:
  TrainingImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1
  TrainingInputMode: File
OutputDataConfig:
  S3OutputPath: s3://bucket/out
ResourceConfig:
  InstanceType: ml.m5.xlarge
  InstanceCount: 1
  VolumeSizeInGB: 50
StoppingCondition:
  MaxRuntimeInSeconds: 3000000
"""


def test_yaml_request_spec_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(YAML_JOB)
    findings = lint_paths(path, select=["SM1", "SM3"])
    assert sm301(findings) == [(14, 3, "yaml-job")]
    [kms] = only(findings, "SM101")
    assert (kms.line, kms.column) == (7, 1)


def test_yaml_with_several_documents(tmp_path: Path) -> None:
    path = tmp_path / "jobs.yml"
    path.write_text(YAML_JOB + "---\n" + YAML_JOB.replace("yaml-job", "second"))
    assert sm301(lint_paths(path, select=["SM3"])) == [(14, 3, "yaml-job"), (29, 3, "second")]


def test_yaml_timestamps_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    describe = clean_describe()
    text = json.dumps(describe, indent=2)  # JSON is YAML; unquote one timestamp
    text = text.replace(
        '"2026-11-01T10:00:00.512000+00:00",', "2026-11-01T10:00:00.512000+00:00,", 1
    )
    path.write_text(text)
    assert lint_paths(path) == []


def test_eventbridge_event_is_linted_as_its_detail(tmp_path: Path) -> None:
    event = json.loads((REAL / "eventbridge-docs-training-state-change.json").read_text())
    event["detail"]["StoppingCondition"]["MaxRuntimeInSeconds"] = 3_000_000
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event, indent=2))
    [finding] = only(lint_paths(path), "SM301")
    assert finding.job == "89c96cc8-dded-4739-afcc-6f1dc936701d"
    assert finding.pointer == RUNTIME  # a pointer into the job, not into the event
    assert (finding.line, finding.column) == position_of(path.read_text(), '"MaxRuntimeInSeconds"')


def test_standard_input(tmp_path: Path) -> None:
    document = json.dumps(over_runtime(clean_request()))
    result = cli("lint", "-", input=document)
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:1:")
    named = cli("lint", "--stdin-filename", "specs/job.yaml", "-", input=YAML_JOB)
    assert "specs/job.yaml:14:3: SM301" in named.stdout


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ('{"Name": "x"}', 'found an object with keys "Name"'),
        ("{}", "found an empty object"),
        ('"text"', "found a string"),
        ("42", "found a number"),
        ("[]", "an empty array"),
        ("[[1]]", "found an array nested in an array"),
        ("- just\n- a list\n", "found a string"),
    ],
)
def test_not_a_training_job(tmp_path: Path, content: str, found: str) -> None:
    path = tmp_path / ("doc.yaml" if content.startswith("-") else "doc.json")
    path.write_text(content)
    result = cli("lint", str(path))
    assert result.exit_code == 2
    assert f"{path}:1:" in result.stdout
    assert "SM003 [error]" in result.stdout
    assert found in result.stdout


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code", "message", "position"),
    [
        (
            "malformed.json",
            b'{\n  "TrainingJobName": "x",\n}',
            "SM002",
            "invalid JSON: Expecting property name",
            "3:1",
        ),
        ("empty.json", b"", "SM002", "empty file", "1:1"),
        ("blank.yaml", b"  \n\n", "SM002", "empty file", "1:1"),
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "SM001", "binary file", "1:1"),
        (
            "latin1.json",
            b'{"TrainingJobName": "caf\xe9"}',
            "SM001",
            "not UTF-8 text (invalid byte 0xe9 at offset 24)",
            "1:1",
        ),
        ("bad.yaml", b"a: [1, 2\nb: c\n", "SM002", "invalid YAML", "2:2"),
        ("tabs.yaml", b"a:\n\t- b\n", "SM002", "invalid YAML", "2:1"),
    ],
)
def test_bad_files_get_one_clear_line(
    tmp_path: Path, name: str, content: bytes, code: str, message: str, position: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("lint", str(path))
    assert result.exit_code == 2
    [line] = [line for line in result.stdout.splitlines() if line.startswith(str(path))]
    assert line.startswith(f"{path}:{position}: {code} [error] ")
    assert message in line
    assert "Traceback" not in result.stdout + result.stderr


def test_byte_order_marks_are_accepted(tmp_path: Path) -> None:
    text = json.dumps(over_runtime(clean_request()), indent=2)
    (tmp_path / "utf8-bom.json").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "powershell.json").write_bytes(text.encode("utf-16"))  # what PowerShell 5 writes
    findings = lint_paths(tmp_path)
    assert [f.rule for f in only(findings, "SM301")] == ["SM301", "SM301"]
    assert not [f for f in findings if f.rule.startswith("SM00")]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a job")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(over_runtime(clean_request())))
    result = cli("lint", str(tmp_path / "nope.json"), str(tmp_path / "empty"), str(good))
    assert result.exit_code == 2
    out = result.stdout
    assert (
        f"{tmp_path / 'nope.json'}:1:1: SM001 [error] cannot read: no such file or directory" in out
    )
    assert (
        f"{tmp_path / 'empty'}:1:1: SM001 [error] no job files (*.json, *.jsonl, *.yaml, *.yml)"
        in out
    )
    assert f"{good}:1:" in out and "SM301" in out  # the good file is still linted


def without_root_file_access() -> None:
    """Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: root then obeys file modes like a user."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def test_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.json"
    locked.write_text(json.dumps(clean_request()))
    locked.chmod(0o000)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(over_runtime(clean_request())))
    try:
        done = subprocess.run(
            [SCRIPT, "lint", str(locked), str(good)],
            capture_output=True,
            text=True,
            preexec_fn=without_root_file_access if os.geteuid() == 0 else None,
            check=False,
        )
    finally:
        locked.chmod(0o600)
    assert done.returncode == 2, done.stderr
    assert f"{locked}:1:1: SM001 [error] cannot read: permission denied" in done.stdout
    assert f"{good}:" in done.stdout and "SM301" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml", "deep.jsonl"])
def test_document_nested_100000_levels(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("[" * 100_000 + "]" * 100_000)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(over_runtime(clean_request())))
    result = cli("lint", str(path), str(good))
    assert result.exit_code == 2
    assert f"{path}:1:1: SM002 [error]" in result.stdout
    assert "nested too deeply" in result.stdout
    assert "SM301" in result.stdout


def test_deep_but_parseable_document_does_not_crash_the_checks(tmp_path: Path) -> None:
    job = clean_request()
    deep: object = "leaf"
    for _ in range(900):
        deep = {"x": deep}
    job["HyperParameters"] = {"nested": deep}
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    result = cli("lint", str(path))
    assert "Traceback" not in result.stdout + result.stderr
    assert "SM010" in result.stdout  # a hyperparameter must be a string


def test_document_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = clean_request()
    big["HyperParameters"] = {f"param_{n}": "x" * 80 for n in range(60)}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    result = cli("lint", "--max-document-size", "2KiB", str(path))
    assert result.exit_code == 2
    assert (
        f"{path}:1:1: SM001 [error] larger than the 2 KiB limit (--max-document-size)"
        in result.stdout
    )
    assert cli("lint", "--max-document-size", "1MB", str(path)).exit_code == 0


def test_bad_lines_of_a_json_lines_file_do_not_stop_the_rest(tmp_path: Path) -> None:
    good = json.dumps(over_runtime(clean_request()))
    path = tmp_path / "jobs.jsonl"
    path.write_bytes(
        "\n".join([good, '{"TrainingJobName": ', "", good, "[" * 5000 + "]" * 5000, good]).encode()
        + b"\n\xff\xfe\n"
    )
    result = cli("lint", str(path))
    assert result.exit_code == 2
    out = result.stdout
    assert f"{path}:2:" in out and "SM002 [error] invalid JSON" in out
    assert f"{path}:5:1: SM002 [error] nested too deeply" in out
    assert f"{path}:7:1: SM001 [error] not UTF-8 text" in out
    assert f"{path}:2:21: SM002 [error] invalid JSON: Expecting value" in out
    hits = [line for line in out.splitlines() if line.startswith(str(path)) and ": SM301 " in line]
    assert [line.split(":")[1] for line in hits] == ["1", "4", "6"]


def test_json_lines_show_at_most_20_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "garbage.jsonl"
    path.write_text("not json\n" * 1000 + json.dumps(over_runtime(clean_request())) + "\n")
    lines = [
        line for line in cli("lint", str(path)).stdout.splitlines() if line.startswith(str(path))
    ]
    assert len(lines) == 22
    assert lines[-1] == (
        f"{path}:21:1: SM002 [error] and 980 more errors in this file (the first 20 are shown)"
    )
    assert lines[20].startswith(f"{path}:1001:")  # a good line after them is still checked
    assert ": SM301 " in lines[20]


def test_large_json_lines_file_is_linted_in_bounded_memory(tmp_path: Path) -> None:
    """Peak memory grows with the longest line, not with the file: 40 MB of jobs vs 0.4 MB."""
    job = over_runtime(clean_request())
    job["HyperParameters"] = {"padding": "p" * 3500}
    line = json.dumps(job) + "\n"

    def peak_rss_kib(lines: int) -> int:
        path = tmp_path / f"jobs-{lines}.jsonl"
        path.write_text(line * lines)
        probe = (
            "import re, sys\n"
            "from sagelint.cli import main\n"
            "try:\n    main(['lint', '--select', 'SM3', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            # VmHWM, not ru_maxrss: ru_maxrss survives exec and so counts the forking parent
            "status = open('/proc/self/status').read()\n"
            "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
        )
        assert done.stdout.count(": SM301 [error]") == lines
        return int(done.stderr.strip().splitlines()[-1])

    small, large = peak_rss_kib(100), peak_rss_kib(10_000)
    assert large - small < 8 * 1024, (small, large)  # the 40 MB file adds well under 8 MiB


def test_standard_input_over_the_size_limit_is_refused() -> None:
    big = json.dumps({"TrainingJobName": "x" * 5000})
    result = cli("lint", "--max-document-size", "1KiB", "-", input=big)
    assert result.exit_code == 2
    assert "<stdin>:1:1: SM001 [error] larger than the 1 KiB limit" in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        '{"TrainingJobName": "x",}',
        '{"TrainingJobName" "x"}',
        '{"TrainingJobName": "x" "RoleArn": "y"}',
        '{"TrainingJob\x01Name": "x"}',
        '{"TrainingJobName": "x"',
        '{"TrainingJobName": "x"}}',
        '{TrainingJobName: "x"}',
        '{"TrainingJobName": {"a": [1, 2,]}}',
        '{"TrainingJobName": "\\q"}',
        '{"TrainingJobName": 01}',
        "{",
    ],
)
def test_json_errors_are_the_json_modules_where_it_says(tmp_path: Path, text: str) -> None:
    """The loader parses a job object a member at a time (to know where each member is); what
    it refuses, and where, is what the json module refuses."""
    path = tmp_path / "job.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as refused:
        json.loads(text)
    error = refused.value
    (finding,) = lint_paths(path)
    assert (finding.rule, finding.line, finding.column) == ("SM002", error.lineno, error.colno)
    assert finding.message.startswith(f"invalid JSON: {error.msg}")


def test_a_job_object_parses_as_the_json_module_parses_it(tmp_path: Path) -> None:
    """Duplicate keys, escapes in keys, nested objects, NaN: the same value as json.loads."""
    text = (
        '{"TrainingJobName": "a", "Tr\\u0061iningJobName": "b", "HyperParameters": '
        '{"k": "1", "k": "2"}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}, '
        '"RoleArn": "arn:aws:iam::123456789012:role/r", "x": NaN}'
    )
    path = tmp_path / "job.json"
    path.write_text(text, encoding="utf-8")
    findings = lint_paths(path, select=["SM005"])
    assert json.loads(text)["TrainingJobName"] == "b"
    assert {f.job for f in findings} == {"b"}
    duplicates = [(f.pointer, f.line, f.column) for f in only(findings, "SM005")]
    assert duplicates == [
        ("/TrainingJobName", *position_of(text, '"Tr\\u0061')),
        ("/HyperParameters/k", *position_of(text, '"k"', 1)),
    ]
