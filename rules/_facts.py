"""Facts about training jobs that several rules share, each with its source."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from sagelint.job import Job, known, pointer

if TYPE_CHECKING:
    from typing import Any


def channels(job: Job) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(index, channel) of each input channel of ``InputDataConfig``."""
    for index, channel in enumerate(job.array("InputDataConfig")):
        if isinstance(channel, dict):
            yield index, channel


def effective_input_mode(job: Job, channel: Mapping[str, Any]) -> str | None:
    """A channel's input mode: its own ``InputMode``, else the job's ``TrainingInputMode``.

    Source: the model documentation of ``Channel.InputMode``: "Use this parameter to override the
    TrainingInputMode setting in AlgorithmSpecification request when you have a channel that needs
    a different input mode from the training job's general setting."
    A mode the document does not know (a placeholder, a Step Functions path) is None.
    """
    if channel.get("InputMode") is not None or "InputMode.$" in channel:
        mode = known(channel.get("InputMode"))
        return mode if isinstance(mode, str) else None
    return job.text("AlgorithmSpecification", "TrainingInputMode")


def instance_count(job: Job) -> int | None:
    """How many instances the job runs on: ``ResourceConfig.InstanceCount``, or the sum over
    ``ResourceConfig.InstanceGroups`` for a heterogeneous cluster (where ``InstanceCount`` may be
    absent or 0). None when the document does not say."""
    groups = [g for g in job.array("ResourceConfig", "InstanceGroups") if isinstance(g, dict)]
    counts = [g.get("InstanceCount") for g in groups]
    if groups and all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
        return sum(counts)  # type: ignore[arg-type]
    return job.integer("ResourceConfig", "InstanceCount")


MODEL_DOCS = "botocore SageMaker service model"


def false_or_unset(job: Job, member: str) -> tuple[str, str] | None:
    """(pointer, state) of a top-level boolean that is false or absent; None when it is true,
    set from a Step Functions input, or of the wrong type (the schema check reports that)."""
    if job.unknown(member):
        return None
    value = job.get(member)
    if value is None:
        return "", "not set (false by default)"
    if value is False:
        return pointer(member), "false"
    return None


def channel_name(channel: Mapping[str, Any], index: int) -> str:
    """A channel as messages name it: its name quoted, else its place (``#1``)."""
    name = known(channel.get("ChannelName"))
    return repr(name) if isinstance(name, str) else f"#{index}"


# Input modes that are known not to be Pipe. A mode the model does not know (a placeholder, a
# future value) is SM012's to report: these rules say nothing about it.
NOT_PIPE = frozenset({"File", "FastFile"})


def mode_origin(channel: Mapping[str, Any]) -> str:
    """Where a channel's input mode comes from (see :func:`effective_input_mode`)."""
    return (
        "the channel's InputMode"
        if channel.get("InputMode") is not None or "InputMode.$" in channel
        else "AlgorithmSpecification.TrainingInputMode"
    )


def s3_data_source(channel: Mapping[str, Any]) -> Mapping[str, Any]:
    source = channel.get("DataSource")
    s3 = source.get("S3DataSource") if isinstance(source, Mapping) else None
    return s3 if isinstance(s3, Mapping) else {}


SPOT_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html"


def spot(job: Job) -> bool:
    return job.flag("EnableManagedSpotTraining") is True


# Secondary statuses the model still lists but documents as no longer supported.
RETIRED_SECONDARY = frozenset(
    {"LaunchingMLInstances", "PreparingTrainingStack", "DownloadingTrainingImage"}
)


def bucket_of(uri: str | None) -> str | None:
    """The bucket of an ``s3://bucket/key`` URI (or an ``https://`` one of path style)."""
    if uri is None:
        return None
    for scheme in ("s3://", "https://"):
        if uri.startswith(scheme):
            return uri[len(scheme) :].partition("/")[0] or None
    return None


def directory_bucket(uri: str | None) -> bool:
    """Whether an S3 URI is in an S3 Express One Zone directory bucket: its name ends in
    ``--x-s3`` (S3's naming rule for directory buckets: ``bucket-base-name--zone-id--x-s3``)."""
    bucket = bucket_of(uri)
    return bucket is not None and bucket.endswith("--x-s3")


# Where a job writes to S3 (as pointer paths); a debugger rule's output is one per rule.
OUTPUTS = (
    ("OutputDataConfig", "S3OutputPath"),
    ("CheckpointConfig", "S3Uri"),
    ("TensorBoardOutputConfig", "S3OutputPath"),
    ("DebugHookConfig", "S3OutputPath"),
    ("ProfilerConfig", "S3OutputPath"),
)
RULE_OUTPUTS = ("DebugRuleConfigurations", "ProfilerRuleConfigurations")


def output_locations(job: Job) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, S3 URI) of every location the job writes to."""
    for path in OUTPUTS:
        uri = job.text(*path)
        if uri:
            yield path, uri
    for member in RULE_OUTPUTS:
        for index, _ in enumerate(job.array(member)):
            uri = job.text(member, index, "S3OutputPath")
            if uri:
                yield (member, index, "S3OutputPath"), uri
