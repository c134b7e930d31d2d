"""Hostile input never wins: no hang, no crash, no flood of lines, no secret in a message.

Hostile files are made in tmp_path. What could hang runs the real console script in a subprocess
with a timeout; the rest goes through the library API.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sagelint
from sagelint.engine import Options
from sagelint.findings import Finding
from sagelint.load.loaders import Document, load

from tests.conftest import cli
from tests.jobs import clean_describe, clean_request
from tests.test_inputs import SCRIPT, over_runtime, without_root_file_access

SECRET = "s3cr3tvalue"


def run(*args: str, stdin: bytes = b"", timeout: float = 10) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(SCRIPT), *args],
        input=stdin.decode("utf-8", "surrogateescape"),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def lint(
    *paths: Path | str, max_document_size: int | None = None, ignore: tuple[str, ...] = ()
) -> list[Finding]:
    """``sagelint lint`` as a user runs it (in-process), its JSON report read back."""
    args = ["lint", "--isolated", "--format", "json"]
    if max_document_size is not None:
        args += ["--max-document-size", f"{max_document_size}B"]
    for selector in ignore:
        args += ["--ignore", selector]
    result = cli(*args, *map(str, paths))
    return [
        Finding(
            f["rule"], f["severity"], f["message"], f["path"], f["line"], f["column"],
            f["pointer"], f["job"],
        )
        for f in json.loads(result.stdout)["findings"]
    ]  # fmt: skip


def good_file(folder: Path) -> Path:
    path = folder / "good.json"
    path.write_text(json.dumps(over_runtime(clean_request())))
    return path


def lines_about(output: str, path: Path) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(str(path))]


# --- 1. bounded resources -----------------------------------------------------------------------


def test_fifo_named_on_the_command_line_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "job.json"
    os.mkfifo(fifo)
    good = good_file(tmp_path)
    done = run("lint", str(fifo), str(good))
    assert done.returncode == 2
    assert f"{fifo}:1:1: SM001 [error] not a regular file (a FIFO), not read" in done.stdout
    assert "SM301" in done.stdout


def test_fifo_and_device_in_a_folder_are_one_line_each(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    good_file(tmp_path)
    done = run("lint", str(tmp_path))
    assert done.returncode == 2
    assert lines_about(done.stdout, tmp_path / "fifo.json") == [
        f"{tmp_path / 'fifo.json'}:1:1: SM001 [error] not a regular file (a FIFO), not read"
    ]
    assert lines_about(done.stdout, tmp_path / "zero.jsonl") == [
        f"{tmp_path / 'zero.jsonl'}:1:1: SM001 [error] not a regular file (a character device), "
        "not read"
    ]
    assert "SM301" in done.stdout


def test_named_symlink_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    zero = tmp_path / "jobs.jsonl"
    zero.symlink_to("/dev/zero")
    done = run("lint", str(zero), timeout=5)
    assert f"{zero}:1:1: SM001 [error] not a regular file (a character device)" in done.stdout


def test_sparse_file_of_nul_bytes_is_refused_at_once(tmp_path: Path) -> None:
    sparse = tmp_path / "jobs.jsonl"
    with sparse.open("wb") as stream:
        stream.truncate(2 * 1024**3)  # 2 GB of NUL bytes, no disk used
    started = time.monotonic()
    [finding] = lint(sparse)
    assert time.monotonic() - started < 2
    assert (finding.rule, finding.line) == ("SM001", 1)
    assert finding.message == "binary file (contains NUL bytes), not a job document"


def test_a_line_over_the_limit_is_one_error_and_the_next_lines_are_read(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    good = json.dumps(over_runtime(clean_request()))
    path.write_text(good + "\n" + '{"x": "' + "y" * 300_000 + '"}\n' + good + "\n")
    findings = lint(path, max_document_size=64 * 1024)
    assert [(f.rule, f.line) for f in findings if f.rule in ("SM001", "SM301")] == [
        ("SM301", 1),
        ("SM001", 2),
        ("SM301", 3),
    ]
    [refused] = [f for f in findings if f.rule == "SM001"]
    assert refused.message == "larger than the 64 KiB limit (--max-document-size)"


# --- 2. integers past Python's conversion limit -------------------------------------------------

LONG = "9" * 5000


@pytest.mark.parametrize(
    ("name", "text", "position"),
    [
        ("job.json", '{\n  "a": "1234",\n  "b": ' + LONG + "\n}", (3, 8)),
        ("jobs.jsonl", '{"a": 1}\n{"a": "99", "b": [' + LONG + "]}\n", (2, 19)),
        ("job.yaml", "a: 1\nb:\n  - " + LONG + "\n", (3, 5)),
        ("tagged.yaml", "a: 1\nb: !!int " + LONG + "\n", (2, 4)),
    ],
)
def test_integer_too_long_to_convert_is_one_syntax_error(
    tmp_path: Path, name: str, text: str, position: tuple[int, int]
) -> None:
    path = tmp_path / name
    path.write_text(text)
    good = good_file(tmp_path)
    findings = lint(path, good)
    [error] = [f for f in findings if f.path == str(path) and f.rule == "SM002"]
    assert (error.line, error.column) == position
    assert "an integer with more than 4300 digits" in error.message
    assert [f.rule for f in findings if f.path == str(good)] == ["SM301"]


# --- 3. at most 20 errors a file ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("numbers.json", "[" + ",".join(["1"] * 50_000) + "]"),
        ("documents.yaml", "--- 1\n" * 200),
    ],
)
def test_errors_of_one_file_are_capped(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    findings = lint(path)
    assert len(findings) == 21
    assert all(f.rule == "SM003" for f in findings)
    total = text.count("1")
    assert findings[-1].message == (
        f"and {total - 20} more errors in this file (the first 20 are shown)"
    )
    assert (findings[-1].line, findings[-1].column) != (1, 1)  # where the hidden ones start


def test_jobs_after_many_errors_in_an_array_are_still_checked(tmp_path: Path) -> None:
    path = tmp_path / "jobs.json"
    job = over_runtime(clean_request())
    path.write_text(json.dumps([1] * 30 + [job], indent=1))
    findings = lint(path)
    assert [f.rule for f in findings].count("SM003") == 21
    [late] = [f for f in findings if f.rule == "SM301"]
    assert late.line == path.read_text().count("\n", 0, path.read_text().index('"MaxRuntime')) + 1


# --- 4. YAML values a tag cannot be built from --------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "!!bool maybe" + SECRET,
        "!!timestamp " + SECRET,
        "!!int " + SECRET,
        "!!int 0x" + SECRET,
        "!!float " + SECRET,
        "!" + SECRET,
        "!<tag:" + SECRET + "> x",
        "*" + SECRET,
        "!!binary " + SECRET,
        "!!python/object:" + SECRET + " {}",
        "'" + SECRET,
        '"\\q' + SECRET + '"',
        "\x01" + SECRET,
    ],
)
def test_yaml_syntax_errors_name_the_position_never_the_text(tmp_path: Path, value: str) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(f"TrainingJobName: train\nHyperParameters:\n  lr: {value}\n")
    [finding] = lint(path)
    assert finding.rule == "SM002"
    assert finding.line == (4 if value.startswith("'") else 3)  # (the end of an open quote)
    assert finding.message.startswith("invalid YAML")
    assert SECRET not in finding.message
    assert finding.message.isprintable()


def test_yaml_keys_that_are_not_strings_are_their_text(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text("TrainingJobName: t\n2026-01-01: x\nHyperParameters:\n  1: 2\n")
    findings = lint(path)
    unknown = [(f.rule, f.pointer, f.line) for f in findings if f.rule == "SM011"]
    assert unknown == [("SM011", "/2026-01-01", 2)]
    assert [f.line for f in findings if f.pointer == "/HyperParameters/1"] == [4]
    (tmp_path / "list-key.yaml").write_text("TrainingJobName: t\n? [a]\n: x\n")
    [error] = lint(tmp_path / "list-key.yaml")
    assert (error.rule, error.line, error.message) == (
        "SM002",
        2,
        "invalid YAML: a key that is a list or a mapping",
    )


def test_not_a_job_message_masks_secret_shaped_keys(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps({"password=hunter2": 1, "Name": 2}))
    [finding] = lint(path)
    assert finding.rule == "SM003"
    assert "hunter2" not in finding.message
    assert '(found an object with keys <key 1>, "Name")' in finding.message


def test_json_syntax_errors_never_quote_the_text(tmp_path: Path) -> None:
    for n, text in enumerate(['{"a": "x\x01' + SECRET + '"}', '{"a": \\' + SECRET + "}"]):
        path = tmp_path / f"job{n}.json"
        path.write_text(text)
        [finding] = lint(path)
        assert finding.rule == "SM002" and SECRET not in finding.message


# --- 5. keys shaped like secrets ----------------------------------------------------------------


def test_secret_shaped_keys_are_masked_in_messages_and_pointers(tmp_path: Path) -> None:
    job = clean_request()
    job["Environment"] = {
        "PATH": "/usr/bin",
        "password=hunter2": "x",
        "AKIAIOSFODNN7EXAMPLE": 1,
    }
    job["HyperParameters"] = {"epochs": 10, "k" * 300: "v"}
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job, indent=2))
    text = path.read_text()
    findings = [f for f in lint(path) if f.rule == "SM010"]
    shown = "\n".join(f"{f.pointer} {f.message}" for f in findings)
    for secret in ("hunter2", "AKIAIOSFODNN7EXAMPLE", "kkkk"):
        assert secret not in shown
    by_pointer = {f.pointer: f for f in findings}
    assert set(by_pointer) == {
        "/Environment/<key 2>",
        "/Environment/<key 3>",
        "/HyperParameters/epochs",
        "/HyperParameters/<key 2>",
    }
    assert (
        "HyperParameters.epochs: expected string" in by_pointer["/HyperParameters/epochs"].message
    )
    # a masked key is still located where it is
    assert (
        by_pointer["/Environment/<key 2>"].line == text[: text.index("password=")].count("\n") + 1
    )
    assert by_pointer["/HyperParameters/<key 2>"].line == text[: text.index("kkk")].count("\n") + 1


def test_secret_shaped_keys_are_located_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(
        "TrainingJobName: t\nEnvironment:\n  PATH: /bin\n  token=ghp_16C7e42F292c6912E771: x\n"
    )
    [finding] = [f for f in lint(path) if f.pointer.startswith("/Environment")]
    assert finding.pointer == "/Environment/<key 2>"
    assert (finding.line, finding.column) == (4, 3)
    assert "ghp_" not in finding.message


# --- 6. inputs that are fine ---------------------------------------------------------------------


def test_utf16_json_lines_with_a_byte_order_mark(tmp_path: Path) -> None:
    line = json.dumps(over_runtime(clean_request()))
    path = tmp_path / "jobs.jsonl"
    path.write_bytes(f"{line}\r\n{line}\r\n".encode("utf-16"))
    column = line.index('"MaxRuntimeInSeconds"') + 1
    assert [(f.rule, f.line, f.column) for f in lint(path)] == [
        ("SM301", 1, column),
        ("SM301", 2, column),
    ]


def test_json_lines_on_standard_input_are_limited_per_line() -> None:
    line = json.dumps(over_runtime(clean_request())) + "\n"
    count = 200_000 // len(line) + 1  # over the 64 KiB limit in all, each line far under it
    done = run("lint", "--max-document-size", "64KiB", "-", stdin=line.encode() * count)
    assert done.returncode == 1, done.stdout[-500:]
    assert done.stdout.count(": SM301 [error]") == count


def test_one_document_over_the_limit_on_standard_input_is_still_refused() -> None:
    big = json.dumps({"TrainingJobName": "x" * 5000}, indent=2).encode()
    done = run("lint", "--max-document-size", "1KiB", "-", stdin=big)
    assert done.returncode == 2
    assert ": SM001 [error] larger than the 1 KiB limit" in done.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"TrainingJobName": "abc',
            "invalid JSON: Unterminated string starting at line 1, column 21",
        ),
        ('[{"TrainingJobName": x}]', "invalid JSON: Expecting value"),
    ],
)
def test_json_syntax_error_on_standard_input_is_reported_whole(text: str, message: str) -> None:
    done = run("lint", "-", stdin=text.encode())
    assert done.returncode == 2
    [line] = lines_about(done.stdout, Path("<stdin>"))
    assert line.split(": ", 1)[1] == f"SM002 [error] {message}"


# --- 7. a folder that cannot be read -------------------------------------------------------------


def test_unreadable_sub_folder_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "job.json").write_text(json.dumps(clean_request()))
    good_file(tmp_path)
    locked.chmod(0o000)
    try:
        done = subprocess.run(
            [str(SCRIPT), "lint", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=10,
            # root reads any folder: drop the capabilities that let it (see test_inputs)
            preexec_fn=without_root_file_access if os.geteuid() == 0 else None,
            check=False,
        )
    finally:
        locked.chmod(0o700)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{locked}:1:1: SM001 [error] cannot read this folder: permission denied" in done.stdout
    assert "SM301" in done.stdout


# --- 8. keys given twice -------------------------------------------------------------------------


def documents(path: Path) -> list[Document]:
    loaded = list(load([str(path)]))
    assert all(isinstance(item, Document) for item in loaded), loaded
    return [item for item in loaded if isinstance(item, Document)]


def dup_request_text() -> str:
    text = json.dumps(clean_request(), indent=2)
    spot = '"InstanceType": "ml.m5.xlarge"'
    assert spot in text
    return text.replace(spot, spot + ',\n    "InstanceType": "ml.p4d.24xlarge"')


def test_duplicate_key_in_json_is_a_problem_of_its_document(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    text = dup_request_text()
    path.write_text(text)
    [document] = documents(path)
    first = text[: text.index('"InstanceType"')].count("\n") + 1
    assert [tuple(p) for p in document.problems] == [
        (
            "SM005",
            "/ResourceConfig/InstanceType",
            f'duplicate key "InstanceType" (first at line {first}, column 5): '
            "only the last one counts",
            first + 1,
            5,
        )
    ]
    assert document.job.data["ResourceConfig"]["InstanceType"] == "ml.p4d.24xlarge"


def test_duplicate_keys_in_arrays_lines_and_events(tmp_path: Path) -> None:
    one_line = dup_request_text().replace("\n", " ")
    (tmp_path / "jobs.jsonl").write_text(json.dumps(clean_request()) + "\n" + one_line + "\n")
    clean = json.dumps(clean_request())
    (tmp_path / "array.json").write_text("[\n" + clean + ",\n" + one_line + "\n]")
    event = {
        "version": "0",
        "detail-type": "SageMaker Training Job State Change",
        "source": "aws.sagemaker",
        "detail": clean_describe(),
    }
    text = json.dumps(event, indent=2)
    (tmp_path / "event.json").write_text(
        text.replace('"TrainingJobName"', '"TrainingJobName": "a", "TrainingJobName"', 1)
    )
    problems = {
        name: [(p.pointer, p.line) for d in documents(tmp_path / name) for p in d.problems]
        for name in ("jobs.jsonl", "array.json", "event.json")
    }
    assert problems["jobs.jsonl"] == [("/ResourceConfig/InstanceType", 2)]
    assert problems["array.json"] == [("/ResourceConfig/InstanceType", 3)]
    [(pointer, _)] = problems["event.json"]
    assert pointer == "/TrainingJobName"  # relative to the job, the event's detail


def test_duplicate_keys_in_yaml_but_not_merge_keys(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(
        "base: &base\n  InstanceType: ml.m5.xlarge\n  InstanceCount: 1\n"
        "TrainingJobName: t\n"
        "ResourceConfig:\n  <<: *base\n  InstanceType: ml.p4d.24xlarge\n"  # an override: fine
        "Environment:\n  A: x\n  password=hunter2: y\n  password=hunter2: z\n"
        "TrainingJobName: u\n"
    )
    [document] = documents(path)
    assert [(p.code, p.pointer, p.line, p.column) for p in document.problems] == [
        ("SM005", "/Environment/<key 2>", 11, 3),
        ("SM005", "/TrainingJobName", 12, 1),
    ]
    assert "hunter2" not in document.problems[0].message
    assert "(first at line 10, column 3)" in document.problems[0].message


def test_many_duplicate_keys_are_found_in_linear_time_and_capped(tmp_path: Path) -> None:
    """100,000 keys, all the same: one pass (not one per key), and 21 problems, not 100,000."""
    path = tmp_path / "job.json"
    members = ", ".join(['"a": "b"'] * 100_000)
    path.write_text('{"TrainingJobName": "t", "HyperParameters": {' + members + "}}")
    started = time.monotonic()
    [document] = documents(path)
    assert time.monotonic() - started < 2
    assert len(document.problems) == 21
    assert document.problems[-1].message == "and 99979 more duplicate keys"
    assert (
        document.problems[-1].column
        == len('{"TrainingJobName": "t", "HyperParameters": {') + 21 * len('"a": "b", ') + 1
    )


def test_duplicate_key_is_a_warning_at_the_second_occurrence(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    text = dup_request_text()
    path.write_text(text)
    [finding] = [f for f in lint(path) if f.rule == "SM005"]
    first = text[: text.index('"InstanceType"')].count("\n") + 1
    assert (finding.severity, finding.line, finding.column) == ("warning", first + 1, 5)
    assert finding.pointer == "/ResourceConfig/InstanceType"
    assert lint(path, ignore=("duplicate-key",)) == [f for f in lint(path) if f.rule != "SM005"]


# --- 9. output that a document cannot forge -------------------------------------------------------

# What a job name, a tag, an S3 URI or a file name may hold that a terminal or a CI log acts on:
# a newline that starts a GitHub Actions command, CR, ESC (terminal escape sequences), BEL, DEL,
# a C1 control (CSI), a bidirectional override, a line separator.
FORGERY = "x\n::error file=a.py,line=1::forged\r\x1b[2J\x07\x7f\x9b\u202e\u2028"
RAW = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202e\u2028]")
FORMATS = ("text", "json", "sarif", "junit", "github")


def forged_job() -> dict[str, Any]:
    job: dict[str, Any] = over_runtime(clean_request())
    job["TrainingJobName"] = FORGERY
    job["ResourceConfig"]["InstanceType"] = "ml.m5.xlarge" + FORGERY
    job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = "s3://b/" + FORGERY
    job["Tags"] = [{"Key": "team" + FORGERY, "Value": FORGERY}]
    return job


def one_line_per_record(output: str) -> list[str]:
    """The lines of a report (its own newlines) with nothing raw left in any of them."""
    lines = output.split("\n")
    for line in lines:
        assert not RAW.search(line), repr(line)
    return lines


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_from_a_document_are_escaped_in_every_format(
    tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(forged_job(), indent=2), encoding="utf-8")
    done = cli("lint", "--format", fmt, "--show-source" if fmt == "text" else "-q", str(path))
    assert done.exit_code == 1
    lines = one_line_per_record(done.stdout)
    one_line_per_record(done.stderr)
    assert not [line for line in lines if line.startswith("::error file=a.py")]
    if fmt in ("text", "github"):  # the name is there, spelled out
        assert (
            "x\\n::error file=a.py,line=1::forged\\r\\x1b[2J\\x07\\x7f\\x9b\\u202e\\u2028"
            in done.stdout
        )


def test_a_file_name_with_control_characters_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "job\x1b[31m\n::error::x.json"
    path.write_text(json.dumps(over_runtime(clean_request())), encoding="utf-8")
    for fmt in FORMATS:
        done = cli("lint", "--format", fmt, str(tmp_path))
        assert done.exit_code == 1, fmt
        one_line_per_record(done.stdout)
    text = cli("lint", str(tmp_path)).stdout
    assert "job\\x1b[31m\\n::error::x.json:" in text


def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path) -> None:
    """Its bytes are kept where a URI can carry them (SARIF), spelled out elsewhere."""
    name = os.fsdecode(b"caf\xe9-\xff.json")  # the bytes as surrogates, as os.listdir gives them
    (tmp_path / name).write_text(json.dumps(over_runtime(clean_request())), encoding="utf-8")
    outputs = {}
    for fmt in FORMATS:
        done = run("lint", "--format", fmt, str(tmp_path))
        assert done.returncode == 1, (fmt, done.stderr)
        outputs[fmt] = done.stdout
    sarif = json.loads(outputs["sarif"])
    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
    }
    assert any(uri.endswith("caf%E9-%FF.json") for uri in uris), uris
    assert "caf\\udce9-\\udcff.json:" in outputs["text"]
    baseline = tmp_path / ".baseline.json"  # hidden: not linted itself
    assert run("lint", "--write-baseline", str(baseline), str(tmp_path)).returncode == 0
    assert run("lint", "--baseline", str(baseline), str(tmp_path)).returncode == 0


@pytest.mark.parametrize("layout", ["compact", "pretty", "yaml", "jsonl"])
def test_show_source_never_shows_hyperparameters_or_environment(
    tmp_path: Path, layout: str
) -> None:
    job = over_runtime(clean_request())
    job["HyperParameters"] = {"db_password": SECRET, "epochs": "55555"}
    job["Environment"] = {f"TOKEN={SECRET}": "x", "PLAIN": SECRET + "2"}
    job["EnableNetworkIsolation"] = False
    if layout == "yaml":
        import yaml

        path = tmp_path / "job.yaml"
        path.write_text(yaml.safe_dump(job, sort_keys=False), encoding="utf-8")
    else:
        path = tmp_path / ("job.jsonl" if layout == "jsonl" else "job.json")
        path.write_text(json.dumps(job, indent=2 if layout == "pretty" else None) + "\n")
    done = cli("lint", "--show-source", str(path))
    assert done.exit_code == 1
    assert SECRET not in done.output
    assert "55555" not in done.output
    sources = [line for line in done.stdout.splitlines() if re.match(r"^\d+ \| ", line)]
    assert len(sources) >= 4  # SM106 twice, SM104, SM301 at least
    assert any("MaxRuntimeInSeconds" in line for line in sources)


# --- 10. values built to make a pattern slow ----------------------------------------------------

# 1 MiB values that make a pattern with nested or overlapping quantifiers backtrack: long runs of
# what a scheme, a user name, a token or a template is made of, with and without the character
# that would end a match.
MIB = 1 << 20
ADVERSARIAL = {
    "a word run": "a" * MIB,
    "colons": "a:" * (MIB // 2),
    "a scheme run, then a URL": "a" * MIB + "://b:c@d",
    "a scheme run, then no URL": "a" * MIB + "@://",
    "schemes": "a://" * (MIB // 4),
    "user:password@ runs": "a:a@" * (MIB // 4),
    "a URL without @": "a://b:" + "c" * MIB,
    "URLs and one @": "a://b:" * (MIB // 6) + "@",
    "user info": "s://" + "a" * MIB + ":" + "b" * MIB + "@",
    "templates": "${" * (MIB // 2),
    "moustaches": "{{" * (MIB // 2),
    "angles": "<" * MIB,
    "private key headers": "-----BEGIN " * (MIB // 11),
    "JWT starts": "eyJ" * (MIB // 3) + ".",
    "access key starts": "AKIA" * (MIB // 4),
    "base64": "aB3/" * (MIB // 4),
    "spaces": " " * MIB,
    "JSONPath": "$." * (MIB // 2),
    "pip installs": "pip install " * (MIB // 12),
    "provider key starts": "sk-ant-sk-proj-glpat-AIzaxapp-0-" * (MIB // 32),
    "connection strings": "AccountKey=" * (MIB // 11),
    "long token runs": "a1" * (MIB // 2) + ".",
}
_ADVERSARIAL_RUN = """
import json, sys, time
import sagelint
from sagelint.engine import Options
from sagelint.rule_api import Policy
jobs = json.loads(sys.stdin.read())
policy = Policy(max_runtime_seconds=3600, allowed_instance_types=("ml.m5.*",),
                max_instance_count=2, allowed_image_registries=("*.dkr.ecr.*.amazonaws.com",),
                required_tags=("team",), job_name_pattern="(a|b)-[a-z]+")
for name, job in jobs:
    start = time.perf_counter()
    found = sagelint.lint_job(job, options=Options(policy=policy))
    internal = [f.message for f in found if f.rule == "SM000"]
    print(json.dumps([name, time.perf_counter() - start, internal]), flush=True)
"""


def adversarial_jobs(value: str) -> list[dict[str, Any]]:
    """A request and a response with ``value`` in every string a rule or the schema reads."""
    jobs = []
    for job in (clean_request(), clean_describe()):
        job["TrainingJobName"] = value
        job["HyperParameters"] = {"url": value, "db_password": value, value[:64]: value}
        job["Environment"] = {"TOKEN": value, "X": value}
        algorithm = job["AlgorithmSpecification"]
        algorithm["TrainingImage"] = value
        algorithm["ContainerEntrypoint"] = [value]
        algorithm["ContainerArguments"] = [value, value]
        job["OutputDataConfig"]["S3OutputPath"] = value
        job["OutputDataConfig"]["KmsKeyId"] = value
        job["ResourceConfig"]["InstanceType"] = value
        channel = job["InputDataConfig"][0]
        channel["ChannelName"] = value
        channel["DataSource"]["S3DataSource"]["S3Uri"] = value
        job["Tags"] = [{"Key": value, "Value": value}]
        if "TrainingJobStatus" in job:
            job["FailureReason"] = value
            job["CreationTime"] = value
            job["SecondaryStatusTransitions"] = [{"Status": value, "StartTime": value}]
        jobs.append(job)
    return jobs


def test_every_rule_is_linear_on_megabyte_values() -> None:
    """Every rule and the schema check on 1 MiB adversarial values: each job in well under a
    second here (a pattern that backtracks takes minutes on one of them). In a subprocess with
    a timeout, so that a slow pattern fails the test rather than hang the run."""
    jobs = [(name, job) for name, value in ADVERSARIAL.items() for job in adversarial_jobs(value)]
    done = subprocess.run(
        [sys.executable, "-c", _ADVERSARIAL_RUN],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == len(jobs)
    for name, seconds, internal in results:
        assert not internal, (name, internal)
        assert seconds < 10, (name, seconds)


# --- 11. numbers no API integer can hold, and a check that fails ---------------------------------


@pytest.mark.parametrize("number", ["1e400", "1e300", "-1e300", str(10**400), "3000000.0"])
def test_huge_and_odd_numbers_never_stop_the_checks(tmp_path: Path, number: str) -> None:
    job = clean_request()
    job["EnableNetworkIsolation"] = False
    job["EnableManagedSpotTraining"] = True
    job["CheckpointConfig"] = {"S3Uri": "s3://bucket/checkpoints/"}
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 1, "MaxWaitTimeInSeconds": 2}
    job["ResourceConfig"].update(KeepAlivePeriodInSeconds=3, VolumeSizeInGB=4, InstanceCount=5)
    text = json.dumps(job, indent=2)
    for placeholder in ("1", "2", "3", "4", "5"):
        text = text.replace(f": {placeholder}\n", f": {number}\n").replace(
            f": {placeholder},", f": {number},"
        )
    path = tmp_path / "job.json"
    path.write_text(text, encoding="utf-8")
    found = lint(path)
    assert "SM000" not in {f.rule for f in found}
    assert "SM104" in {f.rule for f in found}  # the other rules ran
    # A number the check cannot read is no reason to say the field is missing.
    assert not [f for f in found if "not set" in f.message and "MaxWaitTime" in f.message]
    if number == "3000000.0":  # an integer, as JSON Schema counts them: read as 3,000,000
        assert "SM301" in {f.rule for f in found}
    if number in ("1e300", str(10**400)):  # beyond the API's integer types
        assert "SM010" in {f.rule for f in found}


def test_a_check_that_fails_is_one_sm000_naming_it_and_the_others_still_run() -> None:
    from sagelint.rule_api import rule
    from sagelint.rules import RULES

    @rule(code="ACME001", name="always-fails", severity="error", summary="fails")
    def always_fails(job: Any) -> Any:
        """A check with a bug."""
        yield from ()
        raise ZeroDivisionError

    job = clean_request()
    job["EnableNetworkIsolation"] = False
    selected = Options(select=("SM", "ACME"))
    found = sagelint.lint_job(job, rules=(*RULES, always_fails), options=selected)
    [internal] = [f for f in found if f.rule == "SM000"]
    assert "ACME001 always-fails" in internal.message
    assert "ZeroDivisionError" in internal.message
    assert "SM104" in {f.rule for f in found}


# --- 12. configuration files and baselines -------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[tool.sagelint]\nselect = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("a = " + "{b = " * 5_000 + "1" + "}" * 5_000 + "\n", "nested too deeply"),
        ("[tool.sagelint\n", "invalid TOML"),
    ],
    ids=["deep arrays", "deep tables", "broken"],
)
def test_a_configuration_that_cannot_be_read_is_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(content, encoding="utf-8")
    done = run("lint", "--config", str(config), str(good_file(tmp_path)))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert str(config) in done.stderr


def test_a_device_as_configuration_is_refused_without_reading_it(tmp_path: Path) -> None:
    done = run("lint", "--config", "/dev/zero", str(good_file(tmp_path)), timeout=10)
    assert done.returncode == 2
    assert done.stderr == "sagelint: error: /dev/zero: cannot read: not a regular file\n"


def test_forty_thousand_exclude_globs_are_compiled_once(tmp_path: Path) -> None:
    folder = tmp_path / "jobs"
    folder.mkdir()
    for n in range(300):
        good_file(folder).rename(folder / f"job-{n}.json")
    globs = json.dumps([f"legacy-{n}/*.json" for n in range(40_000)] + ["jobs/job-1*.json"])
    (tmp_path / ".sagelint.toml").write_text(f"exclude = {globs}\n", encoding="utf-8")
    done = subprocess.run(
        [str(SCRIPT), "lint", "--format", "json", "--jobs", "1", "jobs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,  # compiled per file, the globs took 3.5 s a file: 17 minutes here
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["files"] == 300 - 111  # job-1, job-1x, job-1xx


def test_a_baseline_that_cannot_be_written_is_said_before_the_run(tmp_path: Path) -> None:
    job = good_file(tmp_path)
    for target in (tmp_path / "missing" / "baseline.json", tmp_path):
        done = run("lint", "--write-baseline", str(target), str(job))
        assert done.returncode == 2
        assert done.stdout == ""  # nothing linted, nothing half-done
        assert done.stderr.count("\n") == 1 and str(target) in done.stderr


def test_a_baseline_write_that_fails_at_the_end_keeps_the_report() -> None:
    """/dev/full: every write fails with 'no space left on device', as a full disk would."""
    job = json.dumps(over_runtime(clean_request()))
    done = run("lint", "--write-baseline", "/dev/full", "-", stdin=job.encode())
    assert done.returncode == 2
    assert "SM301 [error]" in done.stdout and "Found 1 finding" in done.stdout
    assert done.stderr.startswith("sagelint: error: /dev/full: cannot write baseline: ")
    assert done.stderr.count("\n") == 1


def test_a_baseline_nested_too_deeply_is_one_line(tmp_path: Path) -> None:
    baseline = tmp_path / ".baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = run("lint", "--baseline", str(baseline), str(good_file(tmp_path)))
    assert done.returncode == 2
    assert (
        done.stderr == f"sagelint: error: {baseline}: not a sagelint baseline: nested too deeply\n"
    )


# --- 13. secrets, in every output ----------------------------------------------------------------

SECRETS = ("hunter2", "AKIAIOSFODNN7EXAMPLE", "Winter2026churn", "sk-abc123def456", "kkkkkkkk")


def secretive_job() -> dict[str, Any]:
    """Secrets as values and as keys of both maps, some of them also breaking the schema."""
    job = over_runtime(clean_request())
    job["EnableNetworkIsolation"] = False
    job["HyperParameters"] = {
        "db_password": "Winter2026churn",
        "epochs": 10,  # not a string: SM010
        "k" * 300: "v",  # too long a key: SM010, masked
        "token": "sk-abc123def456",
    }
    job["Environment"] = {"password=hunter2": "x", "AKIAIOSFODNN7EXAMPLE": 1, "PATH": "/bin"}
    return job


@pytest.mark.parametrize("layout", ["pretty", "compact"])
def test_no_secret_reaches_any_output(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(secretive_job(), indent=2 if layout == "pretty" else None))
    baseline = tmp_path / ".baseline.json"
    runs: list[tuple[str, ...]] = [("--format", fmt) for fmt in FORMATS]
    runs += [("--show-source",), ("--statistics",), ("--write-baseline", str(baseline))]
    for options in runs:
        done = cli("lint", *options, str(path))
        assert done.exit_code in (0, 1), (options, done.output)
        for secret in SECRETS:
            assert secret not in done.output, (options, secret)
    written = baseline.read_text(encoding="utf-8")
    assert "<key" in written  # the masked keys' findings are there, masked
    for secret in SECRETS:
        assert secret not in written
