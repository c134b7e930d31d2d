"""SM208: an EBS-only instance type without VolumeSizeInGB, whatever its channels read."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sagelint.findings import Finding

from tests.conftest import REAL, line_of, only
from tests.jobs import clean_describe, clean_request

Lint = Callable[..., list[Finding]]


def without_volume_size(instance_type: str = "ml.m5.xlarge", mode: str = "File") -> dict[str, Any]:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = mode
    job["ResourceConfig"]["InstanceType"] = instance_type
    del job["ResourceConfig"]["VolumeSizeInGB"]
    if instance_type.startswith(("ml.g5", "ml.p4d")):
        del job["ResourceConfig"]["VolumeKmsKeyId"]  # rejected on local storage (SM107)
    return job


@pytest.mark.parametrize(
    "document", [clean_request(), clean_describe()], ids=["create", "describe"]
)
def test_silent_on_the_clean_documents(lint_doc: Lint, document: dict[str, Any]) -> None:
    assert only(lint_doc(document, select=["SM208"]), "SM208") == []


def test_fires_once_at_resource_config(lint_doc: Lint) -> None:
    [finding] = only(lint_doc(without_volume_size(), select=["SM208"]), "SM208")
    assert finding.pointer == "/ResourceConfig"
    assert finding.line == line_of(finding, '"ResourceConfig":')
    assert finding.severity == "error"
    assert "ml.m5.xlarge" in finding.message
    assert finding.message == (
        "VolumeSizeInGB is not set on EBS-only ml.m5.xlarge: the model docs say such an instance "
        "type must define the size of its EBS volume; File-mode channels 'train', 'validation' "
        "are downloaded onto it"
    )  # both channels, one finding


@pytest.mark.parametrize(
    ("change", "fires"),
    [
        ({}, True),
        ({"VolumeSizeInGB": 0}, True),  # the model allows 0 (for NVMe types): no volume at all
        ({"VolumeSizeInGB": 50}, False),
        ({"VolumeSizeInGB.$": "$.volume"}, False),  # Step Functions fills it in
        ({"VolumeSizeInGB": "50"}, False),  # wrong type: the schema check reports it
    ],
)
def test_volume_size(lint_doc: Lint, change: dict[str, Any], fires: bool) -> None:
    job = without_volume_size()
    job["ResourceConfig"].update(change)
    assert bool(only(lint_doc(job, select=["SM208"]), "SM208")) is fires


@pytest.mark.parametrize(
    ("instance_type", "mode", "fires"),
    [
        ("ml.c5.xlarge", "FastFile", True),
        ("ml.p3.2xlarge", "File", True),
        ("ml.m5.xlarge", "Pipe", True),  # the volume holds the model and scratch space all the same
        ("ml.g5.xlarge", "File", False),  # NVMe instance storage, of a fixed size
        ("ml.p4d.24xlarge", "File", False),
        ("ml.x9.large", "File", False),  # unknown family: no guess
    ],
)
def test_instance_type_and_mode(lint_doc: Lint, instance_type: str, mode: str, fires: bool) -> None:
    job = without_volume_size(instance_type, mode)
    assert bool(only(lint_doc(job, select=["SM208"]), "SM208")) is fires


def test_the_message_names_the_channels_a_file_mode_downloads(lint_doc: Lint) -> None:
    job = without_volume_size(mode="Pipe")
    job["InputDataConfig"][1]["InputMode"] = "File"
    [finding] = only(lint_doc(job, select=["SM208"]), "SM208")
    assert finding.message.endswith("; File-mode channels 'validation' are downloaded onto it")
    job["InputDataConfig"][1]["InputMode"] = "Pipe"
    [finding] = only(lint_doc(job, select=["SM208"]), "SM208")
    assert finding.message.endswith("must define the size of its EBS volume")


def test_a_job_without_channels_needs_a_volume_size_too(lint_doc: Lint) -> None:
    job = without_volume_size()
    del job["InputDataConfig"]
    [finding] = only(lint_doc(job, select=["SM208"]), "SM208")
    assert finding.message.endswith("must define the size of its EBS volume")


@pytest.mark.parametrize(
    ("types", "fires"),
    [(["ml.g5.xlarge", "ml.c5.xlarge"], True), (["ml.g5.xlarge", "ml.p4d.24xlarge"], False)],
)
def test_instance_groups(lint_doc: Lint, types: list[str], fires: bool) -> None:
    job = without_volume_size()
    del job["ResourceConfig"]["InstanceType"], job["ResourceConfig"]["VolumeKmsKeyId"]
    job["ResourceConfig"]["InstanceGroups"] = [
        {"InstanceGroupName": f"g{i}", "InstanceType": kind, "InstanceCount": 1}
        for i, kind in enumerate(types)
    ]
    findings = only(lint_doc(job, select=["SM208"]), "SM208")
    assert bool(findings) is fires
    if fires:
        assert "EBS-only ml.c5.xlarge:" in findings[0].message


def test_silent_on_serverless_jobs_and_existing_jobs(lint_doc: Lint) -> None:
    job = without_volume_size()
    job["ServerlessJobConfig"] = {
        "BaseModelArn": "arn:aws:sagemaker:us-east-1:aws:hub-content/SageMakerPublicHub/Model/x/1",
        "JobType": "FineTuning",
    }
    assert only(lint_doc(job, select=["SM208"]), "SM208") == []
    describe = clean_describe()
    del describe["ResourceConfig"]["VolumeSizeInGB"]
    assert only(lint_doc(describe, select=["SM208"]), "SM208") == []


def test_real_step_functions_request(lint_doc: Lint) -> None:
    # AWS's Step Functions sample: File mode on ml.m4.xlarge (EBS-only) with VolumeSizeInGB 30,
    # so silent; the same request without the size is what the rule is for.
    path = REAL / "sfn-create-training-job-docs-sample-train-model.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert only(lint_doc(document, select=["SM208"]), "SM208") == []
    del document["ResourceConfig"]["VolumeSizeInGB"]
    [finding] = only(lint_doc(document, select=["SM208"]), "SM208")
    assert "ml.m4.xlarge" in finding.message
    assert "File-mode channels 'train' are downloaded onto it" in finding.message
