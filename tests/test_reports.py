"""The CI report formats: SARIF (GitHub code scanning), JUnit XML, GitHub Actions annotations.

Each test runs the real command on real files and parses what it prints. Checks made on job
documents written here select the policy families (SM1-SM5), so that they do not depend on the
schema validator; input errors (SM0xx) are reported whatever is selected.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sagelint.engine import Linter, Options
from sagelint.findings import Finding
from sagelint.load.loaders import Document, load
from sagelint.report import Summary
from sagelint.report.junit import JUnitReporter
from sagelint.rules import RULES, RULES_BY_CODE

from tests.conftest import DATA, REAL, cli
from tests.jobs import clean_request

REPO = Path(__file__).resolve().parents[1]
POLICY = ("--select", "SM1,SM2,SM3,SM4,SM5")
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# RFC 3986: what a URI reference may contain once percent-encoded.
URI_CHARACTERS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def lint(*args: str, input: str | None = None) -> tuple[int, str]:
    result = cli("lint", "--isolated", *args, input=input)
    return result.exit_code, result.stdout


def write(path: Path, document: object, **dumps: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, **dumps), encoding="utf-8")
    return path


def failing_request(name: str = "churn-train") -> dict[str, Any]:
    """A request spec with an error (SM301) and warnings (SM101, SM102, SM103) at nested fields."""
    job = clean_request()
    job["TrainingJobName"] = name
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}
    del job["OutputDataConfig"]["KmsKeyId"]
    del job["ResourceConfig"]["VolumeKmsKeyId"]
    del job["VpcConfig"]
    return job


def git_repository(path: Path) -> Path:
    (path / ".git").mkdir(parents=True)
    return path


def json_findings(*args: str) -> list[Finding]:
    _, out = lint("--format", "json", *args)
    return [Finding(**f) for f in json.loads(out)["findings"]]


def text_lines(*args: str) -> list[str]:
    """The finding lines of the text report."""
    _, out = lint("--format", "text", "--color", "never", *args)
    return [line for line in out.splitlines() if re.match(r"^\S.*:\d+:\d+: SM\d{3} \[", line)]


# --- SARIF -----------------------------------------------------------------------------------


def sarif_validator() -> Any:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)  # the draft that $schema declares
    assert validator is jsonschema.Draft4Validator
    validator.check_schema(schema)
    return validator(schema)


def sarif(*args: str, input: str | None = None) -> tuple[int, dict[str, Any]]:
    code, out = lint("--format", "sarif", *args, input=input)
    log = json.loads(out)
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert len(log["runs"]) == 1
    return code, log


def locations(result: dict[str, Any]) -> dict[str, Any]:
    [location] = result["locations"]
    physical: dict[str, Any] = location["physicalLocation"]
    return physical


def test_sarif_of_the_real_documents_validates_and_matches_the_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    code, log = sarif(str(REAL.relative_to(REPO)))
    findings = json_findings(str(REAL.relative_to(REPO)))
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "sagelint"
    assert driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]  # every rule, findings or not

    results = run["results"]
    assert findings and len(results) == len(findings)
    for result, finding in zip(results, findings, strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == LEVELS[finding.severity]
        assert result["message"]["text"].startswith(finding.message)
        where = locations(result)
        assert where["artifactLocation"] == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        assert where["region"] == {"startLine": finding.line, "startColumn": finding.column}
        fingerprints = result["partialFingerprints"]
        assert fingerprints["sagelintFingerprint/v1"] == finding.fingerprint()
        assert fingerprints["primaryLocationLineHash"].startswith(finding.fingerprint() + ":")

    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is (code != 2)
    assert invocation["exitCode"] == code
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"


def test_sarif_describes_every_rule_for_github() -> None:
    _, log = sarif(str(REAL / "eventbridge-docs-training-state-change.json"))
    for descriptor in log["runs"][0]["tool"]["driver"]["rules"]:
        rule = RULES_BY_CODE[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["defaultConfiguration"]["level"] == LEVELS[rule.severity]
        for text in (descriptor["shortDescription"]["text"], descriptor["fullDescription"]["text"]):
            assert 0 < len(text) <= 1024  # GitHub's limits
        assert descriptor["help"]["text"] == rule.doc
        assert descriptor["help"]["markdown"].startswith(rule.doc)
        properties = descriptor["properties"]
        assert properties["precision"] in {"very-high", "high", "medium", "low"}
        assert properties["problem.severity"] in {"error", "warning", "recommendation"}
        assert len(properties["tags"]) <= 10
        if rule.code.startswith("SM1"):
            assert "security" in properties["tags"]
        if "security" in properties["tags"]:
            assert 0.0 < float(properties["security-severity"]) <= 10.0
        else:
            assert "security-severity" not in properties


def test_sarif_uris_are_relative_to_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repository(tmp_path / "repo")
    write(repo / "specs" / "team a" / "train.json", failing_request("a"), indent=2)
    outside = write(tmp_path / "elsewhere" / "train.json", failing_request("b"), indent=2)
    monkeypatch.chdir(repo / "specs")  # a subfolder: URIs are still relative to the root
    _, log = sarif(
        *POLICY, "team a/train.json", str(outside), "-", input=json.dumps(failing_request("c"))
    )
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    assert (
        run["invocations"][0]["workingDirectory"]["uri"]
        == (repo / "specs").resolve().as_uri() + "/"
    )

    by_job: dict[str, set[tuple[str, ...]]] = {}
    for result in run["results"]:
        artifact = locations(result)["artifactLocation"]
        assert URI_CHARACTERS.match(artifact["uri"]), artifact
        by_job.setdefault(result["properties"]["job"], set()).add(tuple(artifact.values()))
    assert by_job == {
        "a": {("specs/team%20a/train.json", "%SRCROOT%")},
        "b": {(outside.resolve().as_uri(),)},  # outside the repository: absolute, no base
        "c": {("%3Cstdin%3E",)},  # not a file
    }


def test_sarif_uris_outside_a_git_repository_are_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if any((folder / ".git").exists() for folder in tmp_path.resolve().parents):
        pytest.skip("the temporary folder is inside a git repository")
    write(tmp_path / "jobs" / "train.json", failing_request(), indent=2)
    monkeypatch.chdir(tmp_path)
    _, log = sarif(*POLICY, "jobs")
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert {locations(r)["artifactLocation"]["uri"] for r in run["results"]} == {"jobs/train.json"}


def reordered(value: Any) -> Any:
    """The same document with the keys of every object in reverse order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(item) for item in value]
    return value


@pytest.mark.parametrize("named", [True, False], ids=["named job", "unnamed job"])
def test_sarif_fingerprints_survive_reformatting_and_reordering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: bool
) -> None:
    job = failing_request()
    if not named:
        del job["TrainingJobName"]
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "train.json"

    def identities() -> tuple[Counter[tuple[str, str, str]], list[tuple[int, int]]]:
        _, log = sarif(*POLICY, "train.json")
        results = log["runs"][0]["results"]
        keys = Counter(
            (
                r["ruleId"],
                r["partialFingerprints"]["primaryLocationLineHash"],
                r["partialFingerprints"]["sagelintFingerprint/v1"],
            )
            for r in results
        )
        regions = sorted(
            (locations(r)["region"]["startLine"], locations(r)["region"]["startColumn"])
            for r in results
        )
        return keys, regions

    write(path, job, indent=2)
    pretty, pretty_regions = identities()
    write(path, reordered(job), separators=(",", ":"))
    compact, compact_regions = identities()
    assert len(pretty) >= 4 and max(pretty.values()) == 1  # SM101-103, SM301...: distinct
    assert pretty_regions != compact_regions  # the findings moved ...
    assert pretty == compact  # ... and kept their identity


def test_sarif_line_hashes_stay_distinct_for_a_job_listed_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = json.dumps(failing_request())
    (tmp_path / "jobs.jsonl").write_text(f"{line}\n{line}\n", encoding="utf-8")
    _, log = sarif(*POLICY, "jobs.jsonl")
    results = log["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    fingerprints = Counter(r["partialFingerprints"]["sagelintFingerprint/v1"] for r in results)
    assert len(results) >= 8 and set(fingerprints.values()) == {2}  # the same ones, twice
    assert len(set(hashes)) == len(hashes)  # GitHub would merge equal hashes into one alert


def test_sarif_says_the_run_failed_when_an_input_could_not_be_read(tmp_path: Path) -> None:
    write(tmp_path / "good.json", clean_request(), indent=2)
    (tmp_path / "broken.json").write_text('{"TrainingJobName": "x",\n  oops}', encoding="utf-8")
    code, log = sarif(*POLICY, str(tmp_path))
    run = log["runs"][0]
    assert code == 2
    assert run["invocations"][0]["executionSuccessful"] is False
    [result] = run["results"]
    assert result["ruleId"] == "SM002"
    assert locations(result)["region"]["startLine"] == 2


def test_sarif_of_a_clean_run(tmp_path: Path) -> None:
    write(tmp_path / "good.json", clean_request(), indent=2)
    code, log = sarif(*POLICY, str(tmp_path))
    run = log["runs"][0]
    assert code == 0
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)


def test_sarif_keeps_within_githubs_upload_limits(tmp_path: Path) -> None:
    """GitHub rejects more than 25,000 results in a run, or more than 10 MB gzipped."""
    job = failing_request()
    job["StoppingCondition"] = clean_request()["StoppingCondition"]  # warnings only
    per_job = json_findings(*POLICY, str(write(tmp_path / "one.json", job)))
    last = failing_request("last-with-an-error")  # with an error, and it comes last
    last_findings = json_findings(*POLICY, str(write(tmp_path / "last.json", last)))
    assert per_job and {f.severity for f in per_job} == {"warning"}
    errors = [f.rule for f in last_findings if f.severity == "error"]
    assert errors

    lines = []
    for number in range(25_000 // len(per_job) + 50):
        job["TrainingJobName"] = f"job-{number}"
        lines.append(json.dumps(job))
    lines.append(json.dumps(last))
    total = (len(lines) - 1) * len(per_job) + len(last_findings)
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = cli("lint", "--isolated", *POLICY, "--format", "sarif", str(tmp_path / "many.jsonl"))
    assert len(gzip.compress(result.stdout.encode())) < 10 * 1024 * 1024
    run = json.loads(result.stdout)["runs"][0]
    assert len(run["results"]) == 25_000
    assert [r["ruleId"] for r in run["results"] if r["level"] == "error"] == errors
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert f"{total - 25_000:,} of {total:,} results left out" in notification["message"]["text"]


# --- JUnit -----------------------------------------------------------------------------------


def junit(*args: str) -> tuple[int, ET.Element]:
    code, out = lint("--format", "junit", *args)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return code, ET.fromstring(out.encode())


def counts(element: ET.Element) -> tuple[int, int, int]:
    return (
        int(element.get("tests", -1)),
        int(element.get("failures", -1)),
        int(element.get("errors", -1)),
    )


def test_junit_has_a_suite_per_file_and_a_case_per_job(tmp_path: Path) -> None:
    failing = write(tmp_path / "a-failing.json", failing_request("a-train"), indent=2)
    clean = clean_request()
    both = tmp_path / "b-both.jsonl"
    both.write_text(
        json.dumps(failing_request("b-bad"))
        + "\n"
        + json.dumps({**clean, "TrainingJobName": "b-good"})
        + "\n",
        encoding="utf-8",
    )
    clean_file = write(tmp_path / "c-clean.json", clean, indent=2)
    broken = tmp_path / "d-broken.json"
    broken.write_text("{", encoding="utf-8")

    code, root = junit(*POLICY, str(tmp_path))
    assert code == 2
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    told = "sagelint" not in suites  # whether the command called document() for every job
    files = {str(failing), str(both), str(broken)} | ({str(clean_file)} if told else set())
    assert set(suites) - {"sagelint"} == files

    [case] = suites[str(failing)].iter("testcase")
    assert (case.get("name"), case.get("classname")) == ("a-train", str(failing))
    [failure] = case.iter("failure")
    assert failure.get("type") == "error"  # SM301 is the most severe of its findings
    assert f"{len(json_findings(*POLICY, str(failing)))} findings" in (failure.get("message") or "")
    assert (failure.text or "").splitlines() == text_lines(*POLICY, str(failing))

    in_both = {case.get("name"): case for case in suites[str(both)].iter("testcase")}
    assert in_both["b-bad"].find("failure") is not None

    [unreadable] = suites[str(broken)].iter("testcase")
    assert unreadable.get("name") == "d-broken.json"
    assert unreadable.find("failure") is None
    error = unreadable.find("error")
    assert error is not None and "SM002" in (error.get("type") or "")

    passed = {case.get("name") for case in root.iter("testcase") if len(case) == 0}
    if told:
        assert passed == {"b-good", clean["TrainingJobName"]}
    else:  # the jobs that passed are only counted
        assert passed == {"2 jobs without findings"}

    assert counts(suites[str(failing)]) == (1, 1, 0)
    assert counts(suites[str(broken)]) == (1, 0, 1)
    assert counts(root) == tuple(
        sum(column) for column in zip(*(counts(s) for s in suites.values()), strict=True)
    )
    assert counts(root) == (len(list(root.iter("testcase"))), 2, 1)


def test_junit_lists_passing_jobs_once_told_about_every_document(tmp_path: Path) -> None:
    """The hook the command line is to call: ``document(path, job)`` for each job checked."""
    write(tmp_path / "a.json", failing_request("a-train"), indent=2)
    clean = clean_request()
    (tmp_path / "b.jsonl").write_text(
        "\n".join(json.dumps({**clean, "TrainingJobName": f"b-{n}"}) for n in range(3)) + "\n",
        encoding="utf-8",
    )
    stream = io.StringIO()
    report = JUnitReporter(stream, RULES)
    linter = Linter(Options(select=["SM1", "SM2", "SM3", "SM4", "SM5"]), rules=RULES)
    summary = Summary()
    for loaded in load([str(tmp_path)]):
        assert isinstance(loaded, Document)
        report.document(loaded.path, loaded.job.name)
        for finding in linter.lint_document(loaded):
            summary.add(finding)
            report.finding(finding)
    summary.jobs = linter.jobs_checked
    report.finish(summary)

    root = ET.fromstring(stream.getvalue().encode())
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {"a-train", "b-0", "b-1", "b-2"}  # no "jobs without findings"
    assert cases["a-train"].find("failure") is not None
    assert all(list(cases[f"b-{n}"]) == [] for n in range(3))
    assert counts(root) == (4, 1, 0)


def test_junit_stays_well_formed_whatever_the_text(tmp_path: Path) -> None:
    name = "a<b>&c \"quoted\" 'single' \x01\x1b[31m\x7f tab\tline\nbreak é ✓"
    odd = write(tmp_path / 'we&ird <"name">.json', failing_request(name), indent=2)
    _, out = lint("--format", "junit", *POLICY, str(odd))
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", out)
    root = ET.fromstring(out.encode())  # expat: any ill-formed byte would raise
    [case] = root.iter("testcase")
    # Markup characters and other text come back as they were; every control character (tab and
    # newline too: a CI page shows names on one line) comes back spelled out.
    expected = "a<b>&c \"quoted\" 'single' \\x01\\x1b[31m\\x7f tab\\tline\\nbreak é ✓"
    assert case.get("name") == expected
    assert case.get("classname") == str(odd)
    failure = case.find("failure")
    assert failure is not None and expected in (failure.text or "")


# --- GitHub Actions ----------------------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<command>error|warning|notice) (?P<properties>[^:]*)::(?P<data>.*)$")
_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def unescape(text: str) -> str:
    return re.sub("%25|%0D|%0A|%3A|%2C", lambda m: _ESCAPES[m.group()], text)


def workflow_commands(out: str) -> tuple[list[tuple[str, dict[str, str], str]], str]:
    *commands, summary = out.splitlines()
    parsed = []
    for line in commands:
        match = COMMAND.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match["properties"].split(","))
        parsed.append(
            (
                match["command"],
                {key: unescape(value) for key, value in properties.items()},
                unescape(match["data"]),
            )
        )
    return parsed, summary


def test_github_annotates_each_finding_at_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repository(tmp_path)
    job = failing_request()
    job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3DataDistributionType"] = (
        "ShardedByS3Key"
    )
    write(repo / "specs" / "train.json", job, indent=2)
    monkeypatch.chdir(repo / "specs")
    code, out = lint("--format", "github", *POLICY, "train.json")
    found, summary = workflow_commands(out)
    findings = json_findings(*POLICY, "train.json")
    assert code == 1
    assert len(found) == len(findings)
    assert {f.severity for f in findings} == {"error", "warning", "info"}
    for (command, properties, message), finding in zip(found, findings, strict=True):
        assert (
            command == {"error": "error", "warning": "warning", "info": "notice"}[finding.severity]
        )
        assert properties == {
            "file": "specs/train.json",  # from the repository root, where GitHub looks
            "line": str(finding.line),
            "col": str(finding.column),
            "title": f"{finding.rule} {RULES_BY_CODE[finding.rule].name}",
        }
        assert message == f"{finding.message} ({finding.job})"
    assert not summary.startswith("::")
    assert f"{len(findings)} findings" in summary


def test_github_escaping_keeps_one_command_per_finding(tmp_path: Path) -> None:
    name = "evil 50%\r\n::error file=x::injected, really: yes"
    path = write(tmp_path / "odd, name: 100%.json", failing_request(name), indent=2)
    _, out = lint("--format", "github", *POLICY, str(path))
    found, _ = workflow_commands(out)
    assert len(found) == len(json_findings(*POLICY, str(path))) >= 4
    assert not [line for line in out.splitlines() if line.startswith("::error file=x")]
    for _, properties, message in found:
        assert properties["file"] == str(path)
        # CR and LF spelled out (printable), so the annotation is one line on the page too
        assert message.endswith(" (evil 50%\\r\\n::error file=x::injected, really: yes)")


def test_github_annotations_of_standard_input_name_it_in_the_message() -> None:
    _, out = lint("--format", "github", *POLICY, "-", input=json.dumps(failing_request()))
    found, summary = workflow_commands(out)
    assert found
    for _, properties, message in found:
        assert set(properties) == {"title"}
        assert re.match(r"^<stdin>:\d+:\d+: ", message)
    assert "1 job from 1 file" in summary


def test_github_summary_of_a_clean_run(tmp_path: Path) -> None:
    write(tmp_path / "good.json", clean_request(), indent=2)
    code, out = lint("--format", "github", *POLICY, str(tmp_path))
    [summary] = out.splitlines()
    assert code == 0
    assert not summary.startswith("::")
    assert "0 findings in 1 job from 1 file" in summary
