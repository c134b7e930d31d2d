"""SM107 volume-key-on-local-storage: VolumeKmsKeyId on an instance type with local NVMe storage,
which AWS rejects.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS
from sagelint.rules._format import listed
from sagelint.rules._instance_storage import storage_split


@rule(
    code="SM107",
    name="volume-key-on-local-storage",
    severity="error",
    summary="VolumeKmsKeyId on an instance type with local NVMe storage, which AWS rejects",
    kinds=("create",),
    references=(
        f"{MODEL_DOCS}: ResourceConfig.VolumeKmsKeyId",
        f"{MODEL_DOCS}: ResourceConfig.VolumeSizeInGB",
        "https://github.com/aws/sagemaker-python-sdk/issues/3677",
    ),
)
def volume_key_on_local_storage(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a request does not set `ResourceConfig.VolumeKmsKeyId` when every instance
    type of the job has local NVMe instance storage (`ml.g5`, `ml.g4dn`, `ml.p4d`, `ml.p5`,
    `ml.trn1`, ...; the table is `rules/_instance_storage.py`). A heterogeneous cluster that
    also has an EBS-backed group is left alone: the key applies to that group's volume (the
    SageMaker Python SDK sends it in that case), and SM102 would ask for it.

    Request specs only. A DescribeTrainingJob response is a job that SageMaker accepted: if it
    shows a volume key on a local-storage type, either the key was accepted and ignored or the
    instance table is wrong about that type; neither is something to fix on a job that already
    exists, so the rule says nothing there.

    ## Why is this bad?
    The model docs of `ResourceConfig.VolumeKmsKeyId`: "Certain Nitro-based instances include
    local storage, dependent on the instance type. Local storage volumes are encrypted using a
    hardware module on the instance. You can't request a `VolumeKmsKeyId` when using an
    instance type with local storage." CreateTrainingJob rejects the request. This happens
    when an organisation-wide default (SageMaker Python SDK configuration, an SCP, a template)
    adds a volume key to every job (sagemaker-python-sdk#3677). An error: AWS rejects it.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```

    ## How to fix
    Drop `VolumeKmsKeyId` (the NVMe storage is encrypted by the instance's hardware), or choose
    an EBS-backed instance type if the policy requires a customer managed key.
    """
    if job.unknown("ResourceConfig", "VolumeKmsKeyId"):
        return
    key = job.text("ResourceConfig", "VolumeKmsKeyId")
    if key is None or not key.strip():
        return
    ebs, local, unknown = storage_split(job)
    if local and not ebs and not unknown:
        yield Violation(
            "/ResourceConfig/VolumeKmsKeyId",
            f"VolumeKmsKeyId is set but {listed(local)} has local NVMe instance storage and no "
            "EBS volume: CreateTrainingJob rejects a volume key on such instance types",
        )
