"""SM302, SM309, SM502, SM503, SM504: the organisation's own policy, off until it is configured."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sagelint import lint_job
from sagelint.engine import Options
from sagelint.findings import Finding
from sagelint.rule_api import Policy

from tests.conftest import cli, line_of
from tests.jobs import clean_describe, clean_request

Lint = Callable[..., list[Finding]]
POLICY_RULES = ["SM302", "SM309", "SM502", "SM503", "SM504"]
STRICT = Policy(
    max_runtime_seconds=86_400,
    allowed_instance_types=("ml.m5.*",),
    max_instance_count=1,
    allowed_image_registries=("123456789012.dkr.ecr.*.amazonaws.com",),
    required_tags=("team",),
    job_name_pattern="churn-[a-z0-9-]+",
)


def codes(job: dict[str, Any], policy: Policy, kind: Any = None) -> list[str]:
    options = Options(select=POLICY_RULES, policy=policy)
    return [f.rule for f in lint_job(job, kind=kind, options=options)]


@pytest.mark.parametrize(
    ("make", "kind"), [(clean_request, "create"), (clean_describe, "describe")]
)
def test_the_clean_jobs_meet_a_strict_policy(make: Callable[[], dict[str, Any]], kind: str) -> None:
    assert codes(make(), STRICT, kind) == []


def test_every_policy_rule_is_off_until_configured() -> None:
    job = clean_request()
    job["StoppingCondition"]["MaxRuntimeInSeconds"] = 2_000_000
    job["ResourceConfig"].update(InstanceType="ml.p4d.24xlarge", InstanceCount=64)
    job["AlgorithmSpecification"]["TrainingImage"] = "docker.io/someone/train:latest"
    job["Tags"] = []
    job["TrainingJobName"] = "x"
    assert codes(job, Policy()) == []
    assert sorted(set(codes(job, STRICT))) == POLICY_RULES


# --- SM302 runtime-above-policy ----------------------------------------------------------------


def test_sm302_fires_above_the_cap(lint_doc: Lint) -> None:
    job = clean_request()
    job["StoppingCondition"]["MaxRuntimeInSeconds"] = 86_401
    [finding] = lint_doc(job, select=["SM302"], policy=Policy(max_runtime_seconds=86_400))
    assert (finding.rule, finding.severity) == ("SM302", "error")
    assert finding.pointer == "/StoppingCondition/MaxRuntimeInSeconds"
    assert finding.line == line_of(finding, '"MaxRuntimeInSeconds"')
    assert finding.message == "MaxRuntimeInSeconds is 86,401 s, above the policy cap of 86,400 s"


@pytest.mark.parametrize(
    ("stopping", "where"),
    [({}, "/StoppingCondition"), (None, "")],
    ids=["empty-StoppingCondition", "no-StoppingCondition"],
)
def test_sm302_counts_the_one_day_default_of_a_request(
    stopping: dict[str, Any] | None, where: str
) -> None:
    job = clean_request()
    if stopping is None:
        del job["StoppingCondition"]
    else:
        job["StoppingCondition"] = stopping
    options = Options(select=["SM302"], policy=Policy(max_runtime_seconds=43_200))
    [finding] = lint_job(job, options=options)
    assert finding.pointer == where
    assert finding.message == (
        "no MaxRuntimeInSeconds: the 1-day default (86,400 s) is above the policy cap of 43,200 s"
    )
    relaxed = Options(select=["SM302"], policy=Policy(max_runtime_seconds=86_400))
    assert lint_job(job, options=relaxed) == []


def test_sm302_near_misses() -> None:
    capped = Policy(max_runtime_seconds=86_400)
    at_cap = clean_request()  # 86,400 s
    assert codes(at_cap, capped) == []
    described = clean_describe()
    del described["StoppingCondition"]  # a response without it says nothing of the request
    assert codes(described, capped, "describe") == []


# --- SM309 instance-not-allowed ----------------------------------------------------------------


def test_sm309_fires_on_a_type_not_allowed_and_on_too_many_instances() -> None:
    job = clean_request()
    job["ResourceConfig"].update(InstanceType="ml.p4d.24xlarge", InstanceCount=8)
    policy = Policy(allowed_instance_types=("ml.m5.*", "ml.g5.*"), max_instance_count=4)
    findings = lint_job(job, options=Options(select=["SM309"], policy=policy))
    assert [(f.pointer, f.message) for f in findings] == [
        (
            "/ResourceConfig/InstanceType",
            "instance type ml.p4d.24xlarge is not allowed (allowed: ml.m5.*, ml.g5.*)",
        ),
        ("/ResourceConfig", "8 instances, more than the allowed 4"),
    ]


def test_sm309_checks_each_instance_group_and_their_sum() -> None:
    job = clean_request()
    job["ResourceConfig"] = {
        "InstanceGroups": [
            {"InstanceGroupName": "cpu", "InstanceType": "ml.m5.xlarge", "InstanceCount": 2},
            {"InstanceGroupName": "gpu", "InstanceType": "ml.p4d.24xlarge", "InstanceCount": 2},
        ],
        "VolumeSizeInGB": 50,
    }
    policy = Policy(allowed_instance_types=("ml.m5.*",), max_instance_count=3)
    findings = lint_job(job, options=Options(select=["SM309"], policy=policy))
    assert [f.pointer for f in findings] == [
        "/ResourceConfig/InstanceGroups/1/InstanceType",
        "/ResourceConfig",
    ]
    assert findings[1].message == "4 instances, more than the allowed 3"


def test_sm309_near_misses() -> None:
    job = clean_request()  # one ml.m5.xlarge
    assert codes(job, Policy(allowed_instance_types=("ml.m5.*",))) == []
    assert codes(job, Policy(max_instance_count=1)) == []
    assert codes(job, Policy(allowed_instance_types=("ml.m5.xlarge",), max_instance_count=1)) == []


# --- SM502 image-registry-not-allowed ----------------------------------------------------------

ECR = Policy(allowed_image_registries=("123456789012.dkr.ecr.*.amazonaws.com",))


@pytest.mark.parametrize(
    ("image", "shown"),
    [
        ("docker.io/someone/train:latest", "docker.io"),
        ("someone/train:latest", "no registry (Docker Hub)"),
        ("train", "no registry (Docker Hub)"),
        ("localhost:5000/train:1", "localhost:5000"),
        (
            "999999999999.dkr.ecr.us-east-1.amazonaws.com/train:1",
            "999999999999.dkr.ecr.us-east-1.amazonaws.com",
        ),
    ],
)
def test_sm502_fires_on_an_image_from_another_registry(image: str, shown: str) -> None:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingImage"] = image
    [finding] = lint_job(job, options=Options(select=["SM502"], policy=ECR))
    assert (finding.rule, finding.pointer) == ("SM502", "/AlgorithmSpecification/TrainingImage")
    assert finding.message == (
        f"image registry {shown} is not allowed (allowed: 123456789012.dkr.ecr.*.amazonaws.com)"
    )


def test_sm502_near_misses() -> None:
    assert codes(clean_request(), ECR) == []
    assert codes(clean_describe(), ECR, "describe") == []
    by_algorithm = clean_request()
    by_algorithm["AlgorithmSpecification"] = {
        "AlgorithmName": "arn:aws:sagemaker:us-east-1:123456789012:algorithm/churn",
        "TrainingInputMode": "File",
    }
    assert codes(by_algorithm, ECR) == []
    hub = clean_request()
    hub["AlgorithmSpecification"]["TrainingImage"] = "someone/train:latest"
    assert codes(hub, Policy(allowed_image_registries=("",))) == []  # "" allows Docker Hub


# --- SM503 required-tags-missing ---------------------------------------------------------------


def test_sm503_fires_on_missing_tags_of_a_request(lint_doc: Lint) -> None:
    job = clean_request()  # tagged team only
    policy = Policy(required_tags=("team", "cost-center", "owner"))
    [finding] = lint_doc(job, select=["SM503"], policy=policy)
    assert (finding.rule, finding.pointer) == ("SM503", "/Tags")
    assert finding.line == line_of(finding, '"Tags"')
    assert finding.message == "missing required tags: cost-center, owner"


def test_sm503_on_a_described_job_reads_the_tags_given() -> None:
    policy = Options(select=["SM503"], policy=Policy(required_tags=("team",)))
    described = clean_describe()
    assert lint_job(described, options=policy) == []  # tags unknown: nothing to say
    [finding] = lint_job(described, tags={"owner": "ana"}, options=policy)
    assert (finding.pointer, finding.message) == ("", "missing required tags: team")
    assert lint_job(described, tags={"team": "growth"}, options=policy) == []


# --- SM504 job-name-pattern --------------------------------------------------------------------


def test_sm504_fires_on_a_name_not_matching_as_a_whole(lint_doc: Lint) -> None:
    job = clean_request()
    job["TrainingJobName"] = "test-churn-xgboost"  # matches, but not from its start
    [finding] = lint_doc(job, select=["SM504"], policy=Policy(job_name_pattern="churn-[a-z-]+"))
    assert (finding.rule, finding.severity) == ("SM504", "warning")
    assert finding.pointer == "/TrainingJobName"
    assert finding.line == line_of(finding, '"TrainingJobName"')
    assert finding.message == "job name 'test-churn-xgboost' does not match 'churn-[a-z-]+'"


def test_sm504_near_misses() -> None:
    matching = Policy(job_name_pattern=r"churn-[a-z]+-\d{4}-\d\d-\d\d")
    assert codes(clean_request(), matching) == []
    assert codes(clean_describe(), matching, "describe") == []


# --- through a configuration file --------------------------------------------------------------


def test_the_policy_of_a_pyproject_toml_turns_the_rules_on(tmp_path: Path) -> None:
    job = tmp_path / "job.json"
    job.write_text('{"TrainingJobName": "x", "RoleArn": "arn:aws:iam::123456789012:role/R",'
                   ' "AlgorithmSpecification": {"TrainingInputMode": "File"},'
                   ' "OutputDataConfig": {"S3OutputPath": "s3://b/o/"},'
                   ' "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,'
                   ' "VolumeSizeInGB": 50}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}',
                   encoding="utf-8")  # fmt: skip
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.sagelint]\nselect = ["SM5"]\n\n[tool.sagelint.rules]\njob-name-pattern = "churn-.+"\n',
        encoding="utf-8",
    )
    result = cli("lint", "--config", str(config), "--format", "json", str(job))
    assert "SM504" in result.stdout
    config.write_text('[tool.sagelint]\nselect = ["SM5"]\n', encoding="utf-8")
    assert "SM504" not in cli("lint", "--config", str(config), "--format", "json", str(job)).stdout
