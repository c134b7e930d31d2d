"""SM208 ebs-volume-size-not-set: an EBS-only instance type without VolumeSizeInGB."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import channel_name, channels, effective_input_mode
from sagelint.rules._instance_storage import has_local_storage, instance_types


@rule(
    code="SM208",
    name="ebs-volume-size-not-set",
    severity="error",
    summary="an EBS-only instance type without VolumeSizeInGB",
    kinds=("create",),
    references=(
        "botocore SageMaker service model: ResourceConfig.VolumeSizeInGB",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/model-train-storage-tips-considerations.html",
    ),
)
def ebs_volume_size_not_set(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks a request whose instance type has only an EBS volume (`ml.m5`, `ml.c5`, `ml.p3`,
    ...; the table is `rules/_instance_storage.py`): it must set
    `ResourceConfig.VolumeSizeInGB` to more than 0, whatever its channels' input modes, and
    when it has no channels at all. On a heterogeneous cluster one EBS-only instance group is
    enough. One finding per job, at `ResourceConfig` (or its `VolumeSizeInGB` of 0). The
    message names the File-mode channels, whose data is downloaded onto that volume.

    It says nothing for instance types with local NVMe storage (whose storage is the instance
    store, of a fixed size), for unknown instance types and for serverless jobs
    (`ServerlessJobConfig`), whose volume SageMaker sizes. Request specs only: a job that
    exists got its volume.

    ## Why is this bad?
    The model docs of `ResourceConfig.VolumeSizeInGB`: "When using an ML instance with the
    EBS-only storage option and without instance storage, you must define the size of EBS
    volume through VolumeSizeInGB in the ResourceConfig API. For example, ML instance
    families that use EBS volumes include ml.c5 and ml.p2." The developer guide's storage page
    says the same. The volume also holds what every job writes whatever its input mode: "ML
    storage volumes store model artifacts and incremental states. Training algorithms might
    also use the ML storage volume for scratch space", so Pipe mode and a job without channels
    need it too ("Pipe mode needs only enough disk space to store the final model artifacts").
    Since botocore 1.41 the shape is optional (minimum 0, for serverless jobs: "SageMaker
    automatically selects the volume size for serverless training jobs"); what the service
    does with an EBS-only instance type and no size is not documented. An error: the request
    lacks what the API documents it must define.

    ## Example
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "Pipe"},
     "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```

    ## How to fix
    Set `VolumeSizeInGB` large enough for the data of the File-mode channels plus the model
    and checkpoints (with `ShardedByS3Key`, about 1/n of the data per instance):
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "VolumeSizeInGB": 100,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```
    """
    size_at = ("ResourceConfig", "VolumeSizeInGB")
    if job.has("ServerlessJobConfig") or not job.has("ResourceConfig") or job.unknown(*size_at):
        return
    size = job.integer(*size_at)
    if job.has(*size_at) and (size is None or size > 0):
        return  # a size, or a value of the wrong type (the schema check reports it)
    ebs = [kind for _, kind in instance_types(job) if has_local_storage(kind) is False]
    if not ebs:
        return
    reading = [
        channel_name(channel, index)
        for index, channel in channels(job)
        if effective_input_mode(job, channel) == "File"
    ]
    onto = f"; File-mode channels {', '.join(reading)} are downloaded onto it" if reading else ""
    yield Violation(
        "/ResourceConfig/VolumeSizeInGB" if size == 0 else "/ResourceConfig",
        f"VolumeSizeInGB is {'0' if size == 0 else 'not set'} on EBS-only "
        f"{', '.join(dict.fromkeys(ebs))}: the model docs say such an instance type must "
        f"define the size of its EBS volume{onto}",
    )
