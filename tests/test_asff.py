"""``--format asff``: the findings as AWS Security Finding Format objects, checked by botocore's
own parameter validation of BatchImportFindings (the Security Hub service model botocore ships),
never by a copy of the shape made here.

Each test runs ``sagelint lint`` in this process and reads what it prints.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sagelint import Job

from tests.conftest import REAL, Result, cli
from tests.jobs import clean_describe, clean_request

ACCOUNT = "123456789012"  # the account of the test jobs' RoleArn
SEVERITY_LABELS = {"error": "HIGH", "warning": "MEDIUM", "info": "INFORMATIONAL"}
# What a DescribeTrainingJob response (or an event of one) says its own ARN in.
DESCRIBED = sorted(path for path in REAL.glob("*.json") if "TrainingJobArn" in path.read_text())


def lint(*args: str) -> Result:
    return cli("lint", "--isolated", *args)


def asff(*args: str) -> list[dict[str, Any]]:
    """The findings ``lint --format asff ARGS`` prints, each validated by botocore."""
    result = lint("--format", "asff", *args)
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    validate(findings)
    return findings


def json_report(*args: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(lint("--format", "json", *args).stdout)["findings"]
    return found


@cache
def batch_import_shape() -> Any:
    """The input shape of BatchImportFindings in botocore's Security Hub model, from a real
    client (no call is made)."""
    import boto3

    client = boto3.client(
        "securityhub",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    return client.meta.service_model.operation_model("BatchImportFindings").input_shape


def validate(findings: list[dict[str, Any]]) -> None:
    """botocore's parameter validation of BatchImportFindings, on each call's worth (100), and
    the lengths the ASFF documentation gives."""
    from botocore.validate import validate_parameters

    for start in range(0, len(findings), 100):
        validate_parameters({"Findings": findings[start : start + 100]}, batch_import_shape())
    for finding in findings:
        assert len(finding["Id"]) <= 512
        assert len(finding["Title"]) <= 256
        assert len(finding["Description"]) <= 1024
        if "Remediation" in finding:
            assert len(finding["Remediation"]["Recommendation"]["Text"]) <= 512


def write(path: Path, document: object, **dumps: Any) -> Path:
    path.write_text(json.dumps(document, **dumps), encoding="utf-8")
    return path


def failing_request(name: str = "churn-train") -> dict[str, Any]:
    """A request spec with an error (SM301) and warnings (SM101, SM103, SM104)."""
    job = clean_request()
    job["TrainingJobName"] = name
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3_000_000}
    del job["OutputDataConfig"]["KmsKeyId"]
    del job["VpcConfig"]
    job["EnableNetworkIsolation"] = False
    return job


def failing_describe(name: str = "churn-train") -> dict[str, Any]:
    job = clean_describe()
    job["TrainingJobName"] = name
    job["TrainingJobArn"] = f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:training-job/{name.lower()}"
    job["EnableNetworkIsolation"] = False
    del job["VpcConfig"]
    return job


def by_rule(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {finding["ProductFields"]["sagelint/Rule"]: finding for finding in findings}


# --- what BatchImportFindings takes -----------------------------------------------------------


def test_the_validation_is_botocores_and_refuses_what_the_model_refuses() -> None:
    from botocore.exceptions import ParamValidationError
    from botocore.validate import validate_parameters

    shape = batch_import_shape()
    assert "Resources" in shape.members["Findings"].member.required_members
    with pytest.raises(ParamValidationError, match="Resources"):
        validate_parameters({"Findings": [{"Id": "x"}]}, shape)
    with pytest.raises(ParamValidationError, match="length"):
        validate_parameters({"Findings": []}, shape)


@pytest.mark.parametrize("path", DESCRIBED, ids=[path.stem for path in DESCRIBED])
def test_every_finding_of_the_real_documents_is_what_batch_import_findings_takes(
    path: Path,
) -> None:
    findings = asff(str(path))
    reported = json_report(str(path))
    assert len(findings) == len(reported)
    found = re.search(r'"TrainingJobArn": "([^"]+)"', path.read_text(encoding="utf-8"))
    assert found is not None
    arn = found.group(1)
    for made, finding in zip(findings, reported, strict=True):
        code = finding["rule"]
        _, partition, _, region, account, _ = arn.split(":", 5)
        assert made["SchemaVersion"] == "2018-10-08"
        assert made["Id"].startswith(f"{arn}/sagelint/{code}/")
        assert made["ProductArn"] == (
            f"arn:{partition}:securityhub:{region}:{account}:product/{account}/default"
        )
        assert made["GeneratorId"] == f"sagelint/{code}"
        assert made["AwsAccountId"] == account
        assert made["Severity"] == {
            "Label": SEVERITY_LABELS[finding["severity"]],
            "Original": finding["severity"],
        }
        assert made["FindingProviderFields"]["Severity"] == made["Severity"]
        assert made["Title"].startswith(f"{code} ")
        assert made["Description"].startswith(finding["message"])
        assert made["Resources"] == [
            {"Type": "Other", "Id": arn, "Partition": partition, "Region": region}
        ]
        assert made["Compliance"] == {"Status": "FAILED"}
        assert made["RecordState"] == "ACTIVE"
        fields = made["ProductFields"]
        assert fields["sagelint/Rule"] == code
        assert fields.get("sagelint/Pointer", "") == finding["pointer"]
        assert fields["sagelint/Path"] == finding["path"]
        assert (fields["sagelint/Line"], fields["sagelint/Column"]) == (
            str(finding["line"]),
            str(finding["column"]),
        )
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", made["CreatedAt"])
        assert made["UpdatedAt"] == made["CreatedAt"]


def test_types_remediation_and_title_come_from_the_rule(tmp_path: Path) -> None:
    from sagelint.rules import RULES_BY_CODE

    job = failing_request()
    job["ResourceConfig"]["InstanceType"] = "ml.m5.xlarge"
    found = by_rule(asff("--region", "us-east-1", str(write(tmp_path / "job.json", job))))
    security, runtime = found["SM104"], found["SM301"]
    assert security["Types"] == ["Software and Configuration Checks/AWS Security Best Practices"]
    assert runtime["Types"] == ["Software and Configuration Checks"]
    assert security["FindingProviderFields"]["Types"] == security["Types"]
    rule = RULES_BY_CODE["SM104"]
    assert security["Title"] == f"SM104 {rule.name}: {rule.summary}"
    text = security["Remediation"]["Recommendation"]["Text"]
    assert "Bake dependencies into the image" in text  # its "How to fix", as plain text
    assert "```" not in text and "\n" not in text
    # A rule whose references include a web page links it.
    assert found["SM103"]["Remediation"]["Recommendation"]["Url"].startswith("https://")
    assert (runtime["Severity"]["Label"], security["Severity"]["Label"]) == ("HIGH", "MEDIUM")


# --- the job: its ARN, account and region --------------------------------------------------------


def test_a_request_spec_needs_its_region_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_request("Churn-Train"), indent=2)
    result = lint("--format", "asff", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"sagelint: error: {path} (job Churn-Train): --format asff needs the job's region, "
        "which a request spec does not say: pass --region REGION\n"
    )
    found = asff("--region", "eu-west-1", str(path))
    arn = f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:training-job/churn-train"  # lower-cased
    assert {f["Resources"][0]["Id"] for f in found} == {arn}
    assert {f["AwsAccountId"] for f in found} == {ACCOUNT}  # the account of its RoleArn
    assert {f["ProductArn"] for f in found} == {
        f"arn:aws:securityhub:eu-west-1:{ACCOUNT}:product/{ACCOUNT}/default"
    }


def test_a_request_spec_without_a_role_needs_its_account(tmp_path: Path) -> None:
    job = failing_request()
    del job["RoleArn"]
    path = write(tmp_path / "job.json", job)
    result = lint("--format", "asff", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.endswith(
        "--format asff needs the job's account and region, which a request spec does not say: "
        "pass --account ACCOUNT and --region REGION\n"
    )
    assert len(result.stderr.splitlines()) == 1
    result = lint("--format", "asff", "--region", "us-east-1", str(path))
    assert result.exit_code == 2 and result.stderr.endswith("pass --account ACCOUNT\n")
    found = asff("--account", "111122223333", "--region", "us-east-1", str(path))
    assert {f["AwsAccountId"] for f in found} == {"111122223333"}
    assert {f["Resources"][0]["Id"] for f in found} == {
        "arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-train"
    }


def test_what_a_document_says_wins_over_account_and_region_given(tmp_path: Path) -> None:
    spec = write(tmp_path / "spec.json", failing_request("spec"))
    described = write(tmp_path / "described.json", failing_describe("described"))
    found = asff("--account", "111122223333", "--region", "us-west-2", str(spec), str(described))
    assert {f["Resources"][0]["Id"] for f in found} == {
        f"arn:aws:sagemaker:us-west-2:{ACCOUNT}:training-job/spec",  # its RoleArn's account
        f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:training-job/described",  # its own ARN
    }
    assert lint("--account", "1234", str(spec)).exit_code == 2  # not an account ID


def test_the_account_given_is_the_jobs_for_the_rules_too(tmp_path: Path) -> None:
    """SM111: an algorithm of another account than the job's is a Marketplace one."""
    job = clean_request()
    del job["RoleArn"]
    job["EnableNetworkIsolation"] = False
    job["AlgorithmSpecification"] = {
        "AlgorithmName": "arn:aws:sagemaker:us-east-1:865070037744:algorithm/xgb-15423055",
        "TrainingInputMode": "File",
    }
    path = str(write(tmp_path / "job.json", job))
    fired = {
        account: "SM111" in {f["rule"] for f in json_report("--account", account, path)}
        for account in ("865070037744", "111122223333")
    }
    assert fired == {"865070037744": False, "111122223333": True}
    assert "SM111" not in {f["rule"] for f in json_report(path)}  # the job's account unknown


def test_the_partition_is_the_regions(tmp_path: Path) -> None:
    """For every region botocore's endpoint data knows, the partition of its ARNs; and the
    findings of a spec in one region of each partition."""
    import boto3

    session = boto3.Session()
    regions = {
        partition: session.get_available_regions("ec2", partition)
        for partition in session.get_available_partitions()
    }
    assert {"aws", "aws-cn", "aws-us-gov"} <= set(regions)
    path = write(tmp_path / "job.json", failing_request())
    for partition, names in regions.items():
        for region in names:
            job = Job("create", {"TrainingJobName": "j", "RoleArn": clean_request()["RoleArn"]})
            arn = job._replace(given_region=region).resource.arn
            assert arn == f"arn:{partition}:sagemaker:{region}:{ACCOUNT}:training-job/j"
        if names:
            (found, *_) = asff("--region", names[0], str(path))
            assert found["Resources"][0]["Partition"] == partition
            assert found["ProductArn"].startswith(f"arn:{partition}:securityhub:{names[0]}:")


@pytest.mark.parametrize("name", [None, "{{ job_name }}"], ids=["none", "placeholder"])
def test_a_job_without_a_known_name_is_no_resource(tmp_path: Path, name: str | None) -> None:
    job = failing_request()
    if name is None:
        del job["TrainingJobName"]
    else:
        job["TrainingJobName"] = name
    path = write(tmp_path / "job.json", job)
    result = lint("--format", "asff", "--region", "us-east-1", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"sagelint: error: {path}")
    assert "--format asff needs the job's TrainingJobName" in line


# --- Ids -----------------------------------------------------------------------------------


def test_the_same_finding_has_the_same_id_however_the_file_is_written(tmp_path: Path) -> None:
    job = failing_describe()
    pretty = write(tmp_path / "pretty.json", job, indent=2)
    reordered = write(tmp_path / "reordered.json", dict(reversed(list(job.items()))))
    first, again, other = asff(str(pretty)), asff(str(pretty)), asff(str(reordered))
    ids = [f["Id"] for f in first]
    assert len(set(ids)) == len(ids) >= 3
    assert [f["Id"] for f in again] == ids
    assert {f["Id"] for f in other} == set(ids)
    assert [f["ProductFields"]["sagelint/Line"] for f in first] != [
        other_finding["ProductFields"]["sagelint/Line"]
        for other_finding in sorted(other, key=lambda f: ids.index(f["Id"]))
    ]  # the lines moved; the Ids did not


def test_the_same_job_checked_twice_in_a_run_is_reported_once(tmp_path: Path) -> None:
    first = write(tmp_path / "a.json", failing_describe())
    second = write(tmp_path / "b.json", failing_describe(), indent=2)
    alone = asff(str(first))
    both = asff(str(first), str(second))
    assert [f["Id"] for f in both] == [f["Id"] for f in alone]
    assert {f["ProductFields"]["sagelint/Path"] for f in both} == {str(second)}  # the last


def test_a_spec_and_the_job_made_from_it_share_ids_and_values_do_not_count(
    tmp_path: Path,
) -> None:
    spec = write(tmp_path / "spec.json", failing_request("Churn-Train"))
    described = failing_describe("Churn-Train")
    described["StoppingCondition"] = {"MaxRuntimeInSeconds": 2_500_000}  # another value
    job = write(tmp_path / "described.json", described)
    from_spec = by_rule(asff("--region", "eu-west-1", str(spec)))
    from_job = by_rule(asff(str(job)))
    for code in ("SM104", "SM301"):
        assert from_spec[code]["Id"] == from_job[code]["Id"], code
    assert from_spec["SM301"]["Description"] != from_job["SM301"]["Description"]
    other = by_rule(asff(str(write(tmp_path / "other.json", failing_describe("other")))))
    assert other["SM104"]["Id"] != from_job["SM104"]["Id"]


# --- what is never written -----------------------------------------------------------------------

SECRETS = ("hunter2", "AKIAIOSFODNN7EXAMPLE", "Winter2026churn", "sk-abc123def456")


def test_no_secret_reaches_the_asff_output(tmp_path: Path) -> None:
    job = failing_request()
    job["HyperParameters"] = {"db_password": "Winter2026churn", "token": "sk-abc123def456"}
    job["Environment"] = {"password=hunter2": "x", "AKIAIOSFODNN7EXAMPLE": "1", "PATH": "/bin"}
    path = write(tmp_path / "job.json", job, indent=2)
    result = lint("--format", "asff", "--region", "us-east-1", str(path))
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)
    validate(findings)
    assert "SM106" in {f["ProductFields"]["sagelint/Rule"] for f in findings}
    assert any("<key" in f["ProductFields"].get("sagelint/Pointer", "") for f in findings)
    for secret in SECRETS:
        assert secret not in result.output, secret


def test_text_from_the_document_is_spelled_out_and_cut_to_the_limits(tmp_path: Path) -> None:
    job = failing_request("x\n::error file=a.py::forged\x1b[2J\u202e" + "n" * 1100)
    path = write(tmp_path / "job.json", job)
    result = lint("--format", "asff", "--region", "us-east-1", str(path))
    findings = json.loads(result.stdout)
    validate(findings)
    for finding in findings:
        for text in (finding["Description"], finding["Resources"][0]["Id"], finding["Id"]):
            assert not re.search("[\x00-\x1f\x7f-\x9f\u202e]", text), text
        assert finding["Description"].endswith("...") and len(finding["Description"]) == 1024
        # the ARN lower-cases the name, as SageMaker does
        assert "x\\n::error file=a.py::forged\\x1b[2j\\u202e" in finding["Resources"][0]["Id"]
        assert finding["Id"].startswith(f"sagelint/{finding['GeneratorId'][9:]}/")  # no room


def test_input_errors_go_to_standard_error_and_the_rest_is_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"TrainingJobName": ', encoding="utf-8")
    write(tmp_path / "job.json", failing_describe())
    result = lint("--format", "asff", str(tmp_path))
    assert result.exit_code == 2
    findings = json.loads(result.stdout)
    validate(findings)
    assert findings and {f["Resources"][0]["Id"] for f in findings} == {
        failing_describe()["TrainingJobArn"]
    }
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{tmp_path / 'broken.json'}:1:") and " SM002 [error] " in line


def test_the_report_can_be_written_to_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "job.json", failing_describe())
    out = tmp_path / "findings.json"
    result = lint("--format", "asff", "-o", str(out), str(path))
    assert result.exit_code == 1
    assert result.stdout.endswith(f"report written to {out}\n")
    validate(json.loads(out.read_text(encoding="utf-8")))
    spec = write(tmp_path / "spec.json", failing_request())
    result = lint("--format", "asff", "-o", str(out), str(spec))
    assert result.exit_code == 2 and "pass --region REGION" in result.stderr


def test_worker_processes_give_the_same_findings(tmp_path: Path) -> None:
    """From 256 files on, worker processes check them: each job's ARN comes back with it."""
    for index in range(256):
        write(tmp_path / f"job-{index:03d}.json", failing_request(f"job-{index:03d}"))

    def without_times(*args: str) -> list[dict[str, Any]]:
        found = asff("--region", "us-east-1", *args, str(tmp_path))
        for finding in found:
            del finding["CreatedAt"], finding["UpdatedAt"]
        return found

    parallel = without_times("--jobs", "2")
    assert len({f["Resources"][0]["Id"] for f in parallel}) == 256
    assert parallel == without_times("--jobs", "1")


def test_help_documents_the_format_and_account() -> None:
    text = cli("lint", "--help").stdout
    assert "asff" in text and "--account" in text and "Security Finding Format" in text
