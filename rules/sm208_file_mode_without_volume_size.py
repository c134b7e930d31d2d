"""SM208 file-mode-without-volume-size: File or FastFile mode on an EBS-only instance type without
VolumeSizeInGB.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import channels, effective_input_mode
from sagelint.rules._instance_storage import has_local_storage, instance_types


@rule(
    code="SM208",
    name="file-mode-without-volume-size",
    severity="error",
    summary="File or FastFile mode on an EBS-only instance type without VolumeSizeInGB",
    kinds=("create",),
    references=(
        "botocore SageMaker service model: ResourceConfig.VolumeSizeInGB",
        "botocore SageMaker service model: CreateTrainingJobRequest.ResourceConfig",
        "botocore SageMaker service model: Channel.InputMode",
    ),
)
def file_mode_without_volume_size(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks a request whose channels read in File or FastFile mode (the channel's `InputMode`,
    else `AlgorithmSpecification.TrainingInputMode`) on an instance type that has only an EBS
    volume (`ml.m5`, `ml.c5`, `ml.p3`, ...; the table is `rules/_instance_storage.py`): it
    must set `ResourceConfig.VolumeSizeInGB` to more than 0. On a heterogeneous cluster one
    EBS-only instance group is enough. One finding per job, at `ResourceConfig`.

    It says nothing for instance types with local NVMe storage (whose storage is the instance
    store, of a fixed size), for unknown instance types, for jobs whose channels are all in
    Pipe mode, and for serverless jobs (`ServerlessJobConfig`), whose volume SageMaker sizes.
    Request specs only: a job that exists got its volume.

    ## Why is this bad?
    The model docs of `ResourceConfig.VolumeSizeInGB`: "ML storage volumes store model
    artifacts and incremental states. ... If you want to store the training data in the ML
    storage volume, choose `File` as the `TrainingInputMode` in the algorithm specification."
    and "When using an ML instance with the EBS-only storage option and without instance
    storage, you must define the size of EBS volume through `VolumeSizeInGB` in the
    `ResourceConfig` API. For example, ML instance families that use EBS volumes include
    `ml.c5` and `ml.p2`." The shape became optional (minimum 0) for instance types with NVMe
    storage, not for EBS-only ones. In File mode the channels are downloaded onto that volume,
    so the job depends on a volume whose size the request does not give. An error: the
    request lacks what the API documents as required.

    ## Example
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "File"},
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
    if job.has("ServerlessJobConfig") or "ResourceConfig.$" in job.data:
        return
    resources = job.mapping("ResourceConfig")
    if "VolumeSizeInGB.$" in resources:
        return
    size = resources.get("VolumeSizeInGB")
    if size is not None and not (isinstance(size, int) and not isinstance(size, bool)):
        return  # the schema check reports a value of the wrong type
    if size is not None and size > 0:
        return
    ebs = [kind for _, kind in instance_types(job) if has_local_storage(kind) is False]
    if not ebs:
        return
    reading: dict[str, list[str]] = {}
    for index, channel in channels(job):
        mode = effective_input_mode(job, channel)
        if mode in ("File", "FastFile"):
            name = channel.get("ChannelName")
            reading.setdefault(mode, []).append(repr(name if isinstance(name, str) else index))
    if not reading:
        return
    read = "; ".join(f"{mode} mode: {', '.join(names)}" for mode, names in reading.items())
    state = "0" if size == 0 else "not set"
    yield Violation(
        "/ResourceConfig",
        f"VolumeSizeInGB is {state} on EBS-only {', '.join(dict.fromkeys(ebs))} while channels "
        f"read onto the storage volume ({read}); the model docs require a volume size there",
    )
