"""SM2xx: input data channels (compression, modes, storage, record wrapping, manifests,
sharding, names). The S3-aware SM2xx rules, which read what S3 holds, are in
:mod:`sagelint.rules.s3_data`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import channels, effective_input_mode, instance_count
from sagelint.rules._instance_storage import has_local_storage, instance_types


def _mode_origin(channel_has_mode: bool) -> str:
    return (
        "the channel's InputMode"
        if channel_has_mode
        else "AlgorithmSpecification.TrainingInputMode"
    )


@rule(
    code="SM201",
    name="gzip-outside-pipe-mode",
    severity="error",
    summary="CompressionType Gzip on a channel that is not in Pipe mode",
    references=("botocore SageMaker service model: Channel.CompressionType",),
)
def gzip_outside_pipe_mode(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a channel with `CompressionType: Gzip` reads its data in Pipe mode. The
    effective mode is the channel's own `InputMode` when set, else
    `AlgorithmSpecification.TrainingInputMode`.

    ## Why is this bad?
    The model docs of `Channel.CompressionType`: "If training data is compressed, the
    compression type. The default value is None. CompressionType is used only in Pipe input
    mode. In File mode, leave this field unset or set it to None." In File or FastFile mode the
    algorithm gets the compressed bytes as they are in S3.

    ## Example
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "File"},
     "InputDataConfig": [{"ChannelName": "train", "CompressionType": "Gzip",
                          "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                                          "S3Uri": "s3://bucket/train/"}}}]}
    ```

    ## How to fix
    Read that channel in Pipe mode (`"InputMode": "Pipe"` on the channel), or store the data
    uncompressed and drop `CompressionType`.
    """
    for index, channel in channels(job):
        if channel.get("CompressionType") != "Gzip":
            continue
        mode = effective_input_mode(job, channel)
        if mode is None or mode == "Pipe":
            continue
        origin = _mode_origin(channel.get("InputMode") is not None)
        yield Violation(
            pointer("InputDataConfig", index, "CompressionType"),
            f"channel {channel.get('ChannelName', index)!r} is Gzip-compressed but reads in {mode} "
            f"mode (from {origin}); CompressionType is used only in Pipe mode",
        )


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


MODEL_DOCS = "botocore SageMaker service model"
# Input modes that are known not to be Pipe. A mode the model does not know (a placeholder, a
# future value) is SM012's to report: these rules say nothing about it.
NOT_PIPE = frozenset({"File", "FastFile"})


def _name(channel: Mapping[str, Any], index: int) -> str:
    name = channel.get("ChannelName")
    return repr(name) if isinstance(name, str) else f"#{index}"


def _origin(channel: Mapping[str, Any]) -> str:
    return (
        "the channel's InputMode"
        if isinstance(channel.get("InputMode"), str)
        else "AlgorithmSpecification.TrainingInputMode"
    )


def _s3(channel: Mapping[str, Any]) -> Mapping[str, Any]:
    source = channel.get("DataSource")
    s3 = source.get("S3DataSource") if isinstance(source, Mapping) else None
    return s3 if isinstance(s3, Mapping) else {}


@rule(
    code="SM202",
    name="recordio-outside-pipe-mode",
    severity="error",
    summary="RecordWrapperType RecordIO on a channel that is not in Pipe mode",
    references=(f"{MODEL_DOCS}: Channel.RecordWrapperType", f"{MODEL_DOCS}: Channel.InputMode"),
)
def recordio_outside_pipe_mode(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a channel with `RecordWrapperType: RecordIO` reads its data in Pipe mode. The
    effective mode is the channel's own `InputMode` when set, else
    `AlgorithmSpecification.TrainingInputMode`; the rule fires when that mode is `File` or
    `FastFile`.

    ## Why is this bad?
    The model docs of `Channel.RecordWrapperType`: "Specify RecordIO as the value when input
    data is in raw format but the training algorithm requires the RecordIO format. In this
    case, SageMaker wraps each individual S3 object in a RecordIO record. [...] In File mode,
    leave this field unset or set it to None." The wrapping is done on the stream: in File and
    FastFile mode the algorithm gets the objects as they are in S3, and an algorithm that
    needs RecordIO records fails on them (built-in algorithms stop with "Unable to parse
    record") after the instances were started and billed.

    Severity: an error, like SM201 (`CompressionType: Gzip` outside Pipe mode): the channel
    does not deliver the data the way the job says it does.

    ## Example
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "File"},
     "InputDataConfig": [{"ChannelName": "train", "RecordWrapperType": "RecordIO",
                          "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                                          "S3Uri": "s3://bucket/train/"}}}]}
    ```

    ## How to fix
    Read that channel in Pipe mode (`"InputMode": "Pipe"` on the channel), or store the data
    in RecordIO format already and drop `RecordWrapperType`.
    """
    for index, channel in channels(job):
        if channel.get("RecordWrapperType") != "RecordIO":
            continue
        mode = effective_input_mode(job, channel)
        if mode not in NOT_PIPE:
            continue
        yield Violation(
            pointer("InputDataConfig", index, "RecordWrapperType"),
            f"channel {_name(channel, index)} asks for RecordIO wrapping but reads in {mode} "
            f"mode (from {_origin(channel)}); SageMaker wraps records only in Pipe mode",
        )


def _reader_count(job: Job, s3: Mapping[str, Any]) -> int | None:
    """How many instances read an S3 data source: those of the instance groups it names
    (``S3DataSource.InstanceGroupNames``, heterogeneous clusters), else all of the job's."""
    named = s3.get("InstanceGroupNames")
    if isinstance(named, list) and named:
        groups = {
            g.get("InstanceGroupName"): g.get("InstanceCount")
            for g in job.array("ResourceConfig", "InstanceGroups")
            if isinstance(g, Mapping)
        }
        counts = [groups.get(name) for name in named if isinstance(name, str)]
        if len(counts) == len(named) and all(
            isinstance(c, int) and not isinstance(c, bool) for c in counts
        ):
            return sum(counts)  # type: ignore[arg-type]
    return instance_count(job)


@rule(
    code="SM204",
    name="sharding-on-one-instance",
    severity="info",
    summary="S3DataDistributionType ShardedByS3Key on a channel read by a single instance",
    references=(
        f"{MODEL_DOCS}: S3DataSource.S3DataDistributionType",
        f"{MODEL_DOCS}: S3DataSource.InstanceGroupNames",
        f"{MODEL_DOCS}: ResourceConfig.InstanceCount",
    ),
)
def sharding_on_one_instance(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports a channel with `S3DataDistributionType: ShardedByS3Key` that only one instance
    reads: `ResourceConfig.InstanceCount` is 1 (or the instance groups of a heterogeneous
    cluster add up to 1, or the channel's `InstanceGroupNames` name groups of 1 instance in
    total). Silent when the instance count is unknown.

    ## Why is this bad?
    The model docs of `S3DataSource.S3DataDistributionType`: "If there are n ML compute
    instances launched for a training job, each instance gets approximately 1/n of the number
    of S3 objects." With n = 1 the one instance gets all of them: the setting has no effect,
    and says something the job does not do. It matters when the job is scaled out later:
    every instance then trains on a shard only, which is right for data-parallel training
    but wrong for a channel every instance needs whole (validation data, a vocabulary, a
    pretrained model).

    Severity: info, an observation: the job runs exactly as with `FullyReplicated`.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1},
     "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
         "S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/",
         "S3DataDistributionType": "ShardedByS3Key"}}}]}
    ```

    ## How to fix
    Use `FullyReplicated` (the default), or keep `ShardedByS3Key` deliberately for a job you
    will scale out, with data split into at least as many objects as instances.
    """
    for index, channel in channels(job):
        s3 = _s3(channel)
        if s3.get("S3DataDistributionType") != "ShardedByS3Key":
            continue
        readers = _reader_count(job, s3)
        if readers != 1:
            continue
        yield Violation(
            pointer(
                "InputDataConfig", index, "DataSource", "S3DataSource", "S3DataDistributionType"
            ),
            f"channel {_name(channel, index)} is ShardedByS3Key but is read by a single instance: "
            "sharding has no effect",
        )


@rule(
    code="SM207",
    name="augmented-manifest-outside-pipe-mode",
    severity="error",
    summary="S3DataType AugmentedManifestFile on a channel that is not in Pipe mode",
    references=(
        f"{MODEL_DOCS}: S3DataSource.S3DataType",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/augmented-manifest.html",
    ),
)
def augmented_manifest_outside_pipe_mode(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a channel with `S3DataType: AugmentedManifestFile` reads its data in Pipe mode
    (the channel's `InputMode`, else `AlgorithmSpecification.TrainingInputMode`); the rule
    fires when that mode is `File` or `FastFile`.

    ## Why is this bad?
    The model docs of `S3DataSource.S3DataType`: "AugmentedManifestFile can only be used if
    the Channel's input mode is Pipe." The developer guide (Augmented Manifest Files for
    Training Jobs): "Augmented manifests can only support Pipe input mode." FastFile mode
    streams S3 objects as files and does not read augmented manifests either. SageMaker turns
    each JSON line of the manifest into records of the attributes named in `AttributeNames`
    on the pipe; there is no File-mode equivalent.

    Severity: an error: the job cannot read that channel as specified.

    ## Example
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "File"},
     "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
         "S3DataType": "AugmentedManifestFile", "S3Uri": "s3://bucket/train.manifest",
         "AttributeNames": ["source-ref", "label"]}}}]}
    ```

    ## How to fix
    Read that channel in Pipe mode (`"InputMode": "Pipe"` on the channel, usually with
    `"RecordWrapperType": "RecordIO"` for built-in algorithms), or convert the manifest to
    plain files and use `S3Prefix` or `ManifestFile`.
    """
    for index, channel in channels(job):
        if _s3(channel).get("S3DataType") != "AugmentedManifestFile":
            continue
        mode = effective_input_mode(job, channel)
        if mode not in NOT_PIPE:
            continue
        yield Violation(
            pointer("InputDataConfig", index, "DataSource", "S3DataSource", "S3DataType"),
            f"channel {_name(channel, index)} reads an AugmentedManifestFile in {mode} mode "
            f"(from {_origin(channel)}); augmented manifests can only be read in Pipe mode",
        )


@rule(
    code="SM209",
    name="duplicate-channel-name",
    severity="error",
    summary="two input channels with the same ChannelName",
    references=(
        f"{MODEL_DOCS}: Channel.ChannelName",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-training-algo-running-container.html",
    ),
)
def duplicate_channel_name(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that no two channels of `InputDataConfig` have the same `ChannelName`, and reports
    each later one. Names are compared exactly, as SageMaker uses them (`train` and `Train` are
    two channels).

    ## Why is this bad?
    A channel is "a named input source that training algorithms can consume" (model docs of
    `Channel`), and the container finds its channels by name: how SageMaker provides training
    information, "SageMaker makes this information available in the
    /opt/ml/input/config/inputdataconfig.json file", a JSON object keyed by channel name, and
    File-mode data lands in `/opt/ml/input/data/<channel_name>`. Two channels of one name
    cannot both reach the algorithm: the request is rejected, or one channel's data hides or
    mixes with the other's and the model is trained on something else than the spec says.
    The model has no uniqueness constraint to validate against, so the schema check cannot
    catch it.

    Severity: an error: whichever happens, the job does not run as specified.

    ## Example
    ```json
    {"InputDataConfig": [
      {"ChannelName": "train", "DataSource": {"S3DataSource": {
          "S3DataType": "S3Prefix", "S3Uri": "s3://bucket/a/"}}},
      {"ChannelName": "train", "DataSource": {"S3DataSource": {
          "S3DataType": "S3Prefix", "S3Uri": "s3://bucket/b/"}}}]}
    ```

    ## How to fix
    Give each channel its own name (`train`, `validation`, `test`, ...), or merge the two data
    sources under one prefix or one manifest.
    """
    first: dict[str, int] = {}
    for index, channel in channels(job):
        name = channel.get("ChannelName")
        if not isinstance(name, str):
            continue
        if name in first:
            yield Violation(
                pointer("InputDataConfig", index, "ChannelName"),
                f"channel name {name!r} is already used by channel {first[name]} of "
                "InputDataConfig; each channel needs its own name",
            )
        else:
            first[name] = index
