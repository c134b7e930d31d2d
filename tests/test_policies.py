"""Schema policies: an organisation's rules as JSON Schemas in YAML or JSON files, through the
command line (real files in tmp_path; jsonschema validates them)."""

from __future__ import annotations

import json
import textwrap
from contextlib import chdir
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cli
from tests.jobs import clean_describe, clean_request

POLICIES = """\
policies:
  - code: ACME001
    name: job-in-our-vpc
    severity: error
    summary: Training jobs run in the shared ML VPC
    doc: |
      ## Why is this bad?
      A job outside the shared VPC bypasses the egress proxy.
    schema:
      required: [VpcConfig]
      properties:
        VpcConfig:
          properties:
            Subnets:
              items: {enum: [subnet-0a1b2c3d, subnet-4e5f6a7b]}
    examples:
      fire:
        - {VpcConfig: {Subnets: [subnet-99999999], SecurityGroupIds: [sg-1]}}
        - {TrainingJobName: no-vpc}
      pass:
        - {VpcConfig: {Subnets: [subnet-0a1b2c3d], SecurityGroupIds: [sg-1]}}
  - code: ACME002
    name: cost-center-tag
    severity: warning
    summary: every job carries a cost-center tag
    applies-to: [create]
    message: the job has no cost-center tag
    schema:
      required: [Tags]
      properties:
        Tags: {contains: {properties: {Key: {const: cost-center}}, required: [Key]}}
"""
ACME_SUBNET = "subnet-0a1b2c3d"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def job_file(folder: Path, document: dict[str, Any], name: str = "job.json") -> Path:
    return write(folder, name, json.dumps(document, indent=2))


def report(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = cli("lint", "--isolated", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)["findings"] if result.stdout else []


def in_our_vpc(document: dict[str, Any]) -> dict[str, Any]:
    document["VpcConfig"]["Subnets"] = [ACME_SUBNET]
    document["Tags"] = [{"Key": "cost-center", "Value": "ml-42"}]
    return document


def test_a_policy_fires_at_the_value_it_is_about(tmp_path: Path) -> None:
    policies = write(tmp_path, "acme.yaml", POLICIES)
    job = job_file(tmp_path, clean_request())
    code, findings = report("--policy", str(policies), str(job))
    assert code == 1
    by_rule = {f["rule"]: f for f in findings}
    assert set(by_rule) == {"ACME001", "ACME002"}
    vpc = by_rule["ACME001"]
    assert vpc["pointer"] == "/VpcConfig/Subnets/0"
    assert vpc["severity"] == "error"
    assert vpc["message"] == (
        "VpcConfig.Subnets[0]: 'subnet-0123456789abcdef0' is not one of "
        "['subnet-0a1b2c3d', 'subnet-4e5f6a7b']"
    )
    text = job.read_text()
    assert vpc["line"] == text[: text.index('"subnet-0123')].count("\n") + 1
    tag = by_rule["ACME002"]
    assert (tag["pointer"], tag["message"]) == ("/Tags", "the job has no cost-center tag")
    assert (
        code == 1
        and report("--policy", str(policies), str(job_file(tmp_path, in_our_vpc(clean_request()))))[
            1
        ]
        == []
    )


def test_a_missing_member_is_reported_at_the_enclosing_object(tmp_path: Path) -> None:
    policies = write(tmp_path, "acme.yaml", POLICIES)
    document = in_our_vpc(clean_request())
    del document["VpcConfig"]
    _, findings = report(
        "--select", "ACME", "--policy", str(policies), str(job_file(tmp_path, document))
    )
    [finding] = findings
    assert (finding["rule"], finding["pointer"], finding["line"]) == ("ACME001", "", 1)
    assert finding["message"] == "the job: 'VpcConfig' is a required property"


def test_a_null_member_is_a_missing_member(tmp_path: Path) -> None:
    """SDK dumps write nulls for unset fields: ``"VpcConfig": null`` is no VPC, as it is for the
    built-in rules (SM103)."""
    policies = write(tmp_path, "acme.yaml", POLICIES)
    for nulls in (1, 2):  # the same job twice: a new document's nulls are looked at anew
        document = in_our_vpc(clean_request())
        document["VpcConfig"] = None
        document["TrainingJobName"] = f"null-vpc-{nulls}"
        path = job_file(tmp_path, document, f"job-{nulls}.json")
        _, findings = report("--select", "ACME,SM103", "--policy", str(policies), str(path))
        assert sorted((f["rule"], f["pointer"]) for f in findings) == [
            ("ACME001", ""),
            ("SM103", ""),
        ]
    document = in_our_vpc(clean_request())
    document["VpcConfig"]["SecurityGroupIds"] = None  # not the policy's concern: no finding
    _, findings = report(
        "--select", "ACME", "--policy", str(policies), str(job_file(tmp_path, document))
    )
    assert findings == []


def test_applies_to_and_unknown_values(tmp_path: Path) -> None:
    policies = write(tmp_path, "acme.yaml", POLICIES)
    describe = clean_describe()  # ACME002 is for requests only
    describe["VpcConfig"]["Subnets"] = ["{{ subnet }}"]  # a placeholder is never wrong
    _, findings = report("--policy", str(policies), str(job_file(tmp_path, describe)))
    assert findings == []
    request = in_our_vpc(clean_request())
    del request["VpcConfig"]
    request["VpcConfig.$"] = "$.vpc"  # Step Functions fills it in
    _, findings = report("--policy", str(policies), str(job_file(tmp_path, request)))
    assert findings == []


def test_a_policy_never_quotes_a_secret(tmp_path: Path) -> None:
    policies = write(
        tmp_path,
        "secrets.yaml",
        """\
policies:
  - code: SEC001
    name: no-inline-credentials
    severity: error
    summary: no credentials in the environment
    schema:
      properties:
        Environment:
          propertyNames: {pattern: "^[A-Z_]+$"}
          additionalProperties: {maxLength: 4}
        HyperParameters: {maxProperties: 1}
      not: {required: [EnableManagedSpotTraining]}
""",
    )
    document = clean_request()
    document["EnableManagedSpotTraining"] = True
    document["CheckpointConfig"] = {"S3Uri": "s3://bucket/checkpoints/"}
    document["StoppingCondition"]["MaxWaitTimeInSeconds"] = 172_800
    document["Environment"] = {"DB_PASSWORD": "hunter2hunter2", "token=s3cr3t": "x"}
    path = job_file(tmp_path, document)
    for fmt in ("text", "json", "sarif", "github", "junit"):
        result = cli("lint", "--isolated", "--format", fmt, "--policy", str(policies), str(path))
        assert result.exit_code == 1
        assert "SEC001" in result.stdout
        for secret in ("hunter2", "s3cr3t"):
            assert secret not in result.output, (fmt, secret)


def test_policies_from_the_configuration_and_every_place_a_rule_goes(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    write(tmp_path / "policies", "acme.yaml", POLICIES)
    write(
        tmp_path,
        ".sagelint.toml",
        'policies = ["policies/*.yaml"]\nignore = ["cost-center-tag"]\n'
        'severity = { ACME001 = "warning" }\n'
        '[per-file-ignores]\n"jobs/legacy/*" = ["ACME"]\n',
    )
    (tmp_path / "jobs" / "legacy").mkdir(parents=True)
    job_file(tmp_path / "jobs" / "legacy", clean_request())
    tagged = clean_request()
    tagged["TrainingJobName"] = "tagged"
    tagged["Tags"] = [{"Key": "sagelint:ignore", "Value": "ACME001"}]
    job_file(tmp_path / "jobs", tagged, "tagged.json")
    job_file(tmp_path / "jobs", clean_request(), "job.json")
    with chdir(tmp_path):
        result = cli("lint", "--format", "json", "jobs")
        findings = json.loads(result.stdout)["findings"]
        assert [(f["rule"], f["severity"], f["path"]) for f in findings] == [
            (
                "ACME001",
                "warning",
                "jobs/job.json",
            )  # not in legacy/, not the tagged job, no ACME002
        ]
        summary = json.loads(result.stdout)["summary"]
        assert summary["suppressed"] == {"per-file-ignores": 1, "tag": 1}
        assert cli("lint", "--select", "SM", "jobs").stdout.count("ACME") == 0
        assert "ACME001" in cli("lint", "--select", "ACME", "--format", "github", "jobs").stdout
        sarif = json.loads(cli("lint", "--format", "sarif", "jobs").stdout)
        rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
        assert rules["ACME001"]["name"] == "job-in-our-vpc"
        junit = cli("lint", "--format", "junit", "jobs").stdout
        assert "ACME001" in junit
        baseline = tmp_path / ".baseline.json"
        assert cli("lint", "--write-baseline", str(baseline), "jobs").exit_code == 0
        assert cli("lint", "--baseline", str(baseline), "jobs").exit_code == 0
        listed = cli("rules").stdout
        assert "ACME001" in listed and "[policy" in listed
        assert "A job outside the shared VPC bypasses" in cli("explain", "job-in-our-vpc").stdout


def test_policy_test_checks_every_example(tmp_path: Path) -> None:
    policies = write(tmp_path, "acme.yaml", POLICIES)
    result = cli("policy", "test", str(policies))
    assert result.exit_code == 0, result.output
    assert result.stdout == "All hold: 2 policies, 3 examples, every schema valid.\n"
    wrong = POLICIES.replace(
        "- {TrainingJobName: no-vpc}", f"- {{VpcConfig: {{Subnets: [{ACME_SUBNET}]}}}}"
    )
    result = cli("policy", "test", str(write(tmp_path, "wrong.yaml", wrong)))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'wrong.yaml'}: ACME001: examples.fire[1] does not fire it",
        "1 of 3 examples do not hold (2 policies, 3 examples).",
    ]


def test_policy_test_takes_the_configurations_policies(tmp_path: Path) -> None:
    write(tmp_path, "acme.yaml", POLICIES)
    write(tmp_path, ".sagelint.toml", 'policies = ["acme.yaml"]\n')
    with chdir(tmp_path):
        assert cli("policy", "test").exit_code == 0


BAD_POLICIES = {
    "invalid YAML": ("policies: [\n", "invalid YAML"),
    "not a schema": (
        "policies:\n  - {code: ACME001, name: x, severity: error, summary: s, "
        "schema: {type: 12}}\n",
        "policy ACME001: the schema is not a valid JSON Schema at /type:",
    ),
    "reserved code": (
        "policies:\n  - {code: SM999, name: x, severity: error, summary: s, schema: {}}\n",
        "policy SM999: code: Value error, the SM prefix is sagelint's own",
    ),
    "bad code": (
        "policies:\n  - {code: acme1, name: x, severity: error, summary: s, schema: {}}\n",
        "policy acme1: code: String should match pattern",
    ),
    "unknown key": (
        "policies:\n  - {code: ACME001, name: x, severity: error, summary: s, schema: {}, "
        "sevrity: x}\n",
        "policy ACME001: sevrity: Extra inputs are not permitted",
    ),
    "remote ref": (
        "policies:\n  - {code: ACME001, name: x, severity: error, summary: s, "
        'schema: {$ref: "https://example.com/s.json"}}\n',
        'policy ACME001: $ref "https://example.com/s.json" is outside the policy\'s schema',
    ),
    "duplicate code": (
        "policies:\n  - {code: ACME001, name: x, severity: error, summary: s, schema: {}}\n"
        "  - {code: ACME001, name: y, severity: error, summary: s, schema: {}}\n",
        "policy ACME001: the code is taken by another rule",
    ),
    "no policies": ("policies: []\n", "policies: Tuple should have at least 1 item"),
}


@pytest.mark.parametrize("case", BAD_POLICIES, ids=list(BAD_POLICIES))
def test_a_bad_policy_file_is_one_line_before_any_job(tmp_path: Path, case: str) -> None:
    text, words = BAD_POLICIES[case]
    policies = write(tmp_path, "bad.yaml", text)
    job = job_file(tmp_path, clean_request())
    for command in (
        ("lint", "--isolated", "--policy", str(policies), str(job)),
        ("policy", "test", str(policies)),
    ):
        result = cli(*command)
        assert result.exit_code == 2
        assert result.stdout == ""  # nothing linted
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"sagelint: error: {policies}: ")
        assert words in result.stderr


def test_a_local_ref_resolves_within_the_schema(tmp_path: Path) -> None:
    policies = write(
        tmp_path,
        "refs.json",
        json.dumps(
            {
                "policies": [
                    {
                        "code": "ACME010",
                        "name": "small-instances",
                        "severity": "info",
                        "summary": "small instances only",
                        "schema": {
                            "$defs": {"small": {"enum": ["ml.m5.large", "ml.m5.xlarge"]}},
                            "properties": {
                                "ResourceConfig": {
                                    "properties": {"InstanceType": {"$ref": "#/$defs/small"}}
                                }
                            },
                        },
                    }
                ]
            }
        ),
    )
    document = clean_request()
    assert report("--policy", str(policies), str(job_file(tmp_path, document)))[1] == []
    document["ResourceConfig"]["InstanceType"] = "ml.p4d.24xlarge"
    document["ResourceConfig"].pop("VolumeKmsKeyId")
    _, findings = report(
        "--select", "ACME", "--policy", str(policies), str(job_file(tmp_path, document))
    )
    assert [(f["rule"], f["pointer"]) for f in findings] == [
        ("ACME010", "/ResourceConfig/InstanceType")
    ]


def test_a_policy_may_not_take_a_built_in_code_or_a_plugins(tmp_path: Path) -> None:
    first = write(tmp_path, "one.yaml", POLICIES)
    second = write(tmp_path, "two.yaml", textwrap.dedent(POLICIES))
    result = cli("lint", "--isolated", "--policy", str(first), "--policy", str(second), ".")
    assert result.exit_code == 2
    assert "policy ACME001: the code is taken by another rule" in result.stderr
