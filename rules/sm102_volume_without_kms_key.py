"""SM102 volume-without-kms-key: the EBS storage volume is not encrypted with a customer managed
KMS key.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS
from sagelint.rules._format import listed
from sagelint.rules._instance_storage import storage_split


@rule(
    code="SM102",
    name="volume-without-kms-key",
    severity="warning",
    summary="the EBS storage volume is not encrypted with a customer managed KMS key",
    references=(
        f"{MODEL_DOCS}: ResourceConfig.VolumeKmsKeyId",
        f"{MODEL_DOCS}: ResourceConfig.VolumeSizeInGB",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html",
    ),
    peers={
        "prowler": "sagemaker_training_jobs_volume_and_output_encryption_enabled",
        "steampipe": "sagemaker_training_job_volume_and_data_encryption_enabled",
    },
)
def volume_without_kms_key(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `ResourceConfig.VolumeKmsKeyId` names a KMS key when the job runs on an
    instance type that has an EBS storage volume (EBS-only families such as `ml.m5`, `ml.c5`,
    `ml.p3`). On a heterogeneous cluster it fires when at least one instance group has an EBS
    volume (the SageMaker Python SDK applies a volume key in that case too).

    It never fires on instance types with local NVMe instance storage (`ml.g5`, `ml.p4d`,
    `ml.g4dn`, ...), nor on a type the instance table (`rules/_instance_storage.py`) does not
    know. The model docs of `ResourceConfig.VolumeKmsKeyId`: "Local storage volumes are
    encrypted using a hardware module on the instance. You can't request a `VolumeKmsKeyId`
    when using an instance type with local storage." Prowler's
    `sagemaker_training_jobs_volume_and_output_encryption_enabled` has no such exemption, so it
    fails jobs that cannot comply; SM107 reports the opposite mistake.

    ## Why is this bad?
    Without a key, SageMaker "encrypts storage volumes with a transient key and discards it
    immediately after encrypting the storage volume" (SageMaker developer guide, encryption at
    rest). The data is encrypted, but not under a key whose policy you control, whose use is
    logged in CloudTrail, or that you can disable; policies that require customer managed keys
    for data at rest are not met. A warning: hardening, not a defect.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "VolumeSizeInGB": 50}}
    ```

    ## How to fix
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```
    """
    if job.unknown("ResourceConfig", "VolumeKmsKeyId"):
        return
    resources = job.mapping("ResourceConfig")
    key = resources.get("VolumeKmsKeyId")
    if key is not None and not isinstance(key, str):
        return  # the schema check reports a value of the wrong type
    if key is not None and key.strip():
        return
    ebs, _, _ = storage_split(job)
    if not ebs:
        return
    present = key is not None
    where = "/ResourceConfig/VolumeKmsKeyId" if present else "/ResourceConfig"
    state = "empty" if present else "not set"
    yield Violation(
        where,
        f"ResourceConfig.VolumeKmsKeyId is {state}: the EBS storage volume of {listed(ebs)} "
        "is encrypted with a transient key, not a customer managed KMS key",
    )
