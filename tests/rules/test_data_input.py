"""SM201, SM202, SM204, SM207, SM209: input data channels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sagelint.findings import Finding

from tests.conftest import REAL, line_of, lint_paths, only, real_documents
from tests.jobs import clean_describe, clean_request

Lint = Callable[..., list[Finding]]
MINE = ["SM201", "SM202", "SM204", "SM207", "SM209"]


def s3(job: dict[str, Any], channel: int = 0) -> dict[str, Any]:
    source: dict[str, Any] = job["InputDataConfig"][channel]["DataSource"]["S3DataSource"]
    return source


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_clean_documents_pass(lint_doc: Lint, make: Callable[[], dict[str, Any]]) -> None:
    assert lint_doc(make(), select=MINE) == []


# --- SM201 gzip-outside-pipe-mode --------------------------------------------------------------


@pytest.mark.parametrize(
    ("job_mode", "channel_mode", "words"),
    [
        ("File", None, "reads in File mode (from AlgorithmSpecification.TrainingInputMode)"),
        ("Pipe", "FastFile", "reads in FastFile mode (from the channel's InputMode)"),
        ("Pipe", "File", "reads in File mode (from the channel's InputMode)"),
    ],
)
def test_sm201_fires_on_gzip_outside_pipe_mode(
    lint_doc: Lint, job_mode: str, channel_mode: str | None, words: str
) -> None:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = job_mode
    job["InputDataConfig"][1]["CompressionType"] = "Gzip"
    if channel_mode:
        job["InputDataConfig"][1]["InputMode"] = channel_mode
    [finding] = lint_doc(job, select=["SM201"])
    assert (finding.rule, finding.severity) == ("SM201", "error")
    assert finding.pointer == "/InputDataConfig/1/CompressionType"
    assert finding.line == line_of(finding, '"CompressionType"')
    assert finding.message == (
        f"channel 'validation' is Gzip-compressed but {words}; "
        "CompressionType is used only in Pipe mode"
    )


def test_sm201_fires_once_per_compressed_channel_of_a_described_job(lint_doc: Lint) -> None:
    job = clean_describe()
    for channel in job["InputDataConfig"]:
        channel["CompressionType"] = "Gzip"
    findings = lint_doc(job, select=["SM201"])
    assert [f.pointer for f in findings] == [
        "/InputDataConfig/0/CompressionType",
        "/InputDataConfig/1/CompressionType",
    ]


@pytest.mark.parametrize(
    ("job_mode", "channel_mode", "compression"),
    [
        ("File", "Pipe", "Gzip"),  # the channel overrides the job's mode: Pipe, fine
        ("Pipe", None, "Gzip"),
        ("File", None, "None"),  # the documented value for File mode
        (None, None, "Gzip"),  # mode unknown: nothing to say
    ],
)
def test_sm201_near_misses(
    lint_doc: Lint, job_mode: str | None, channel_mode: str | None, compression: str
) -> None:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = job_mode
    job["InputDataConfig"][0]["CompressionType"] = compression
    if channel_mode:
        job["InputDataConfig"][0]["InputMode"] = channel_mode
    assert lint_doc(job, select=["SM201"]) == []


def test_sm201_silent_on_real_documents() -> None:
    assert lint_paths(REAL, select=["SM201"]) == []


# --- SM202 recordio-outside-pipe-mode ----------------------------------------------------------


@pytest.mark.parametrize(
    ("job_mode", "channel_mode", "words"),
    [
        ("File", None, "reads in File mode (from AlgorithmSpecification.TrainingInputMode)"),
        ("Pipe", "FastFile", "reads in FastFile mode (from the channel's InputMode)"),
        ("Pipe", "File", "reads in File mode (from the channel's InputMode)"),
    ],
)
def test_sm202_fires_on_recordio_outside_pipe_mode(
    lint_doc: Lint, job_mode: str, channel_mode: str | None, words: str
) -> None:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = job_mode
    job["InputDataConfig"][1]["RecordWrapperType"] = "RecordIO"
    if channel_mode:
        job["InputDataConfig"][1]["InputMode"] = channel_mode
    [finding] = lint_doc(job, select=["SM202"])
    assert (finding.rule, finding.severity) == ("SM202", "error")
    assert finding.pointer == "/InputDataConfig/1/RecordWrapperType"
    assert finding.line == line_of(finding, '"RecordWrapperType"')
    assert finding.message.startswith("channel 'validation' asks for RecordIO wrapping")
    assert words in finding.message


@pytest.mark.parametrize(
    ("job_mode", "channel_mode", "wrapper"),
    [
        ("File", "Pipe", "RecordIO"),  # the channel overrides the job's mode: Pipe, fine
        ("Pipe", None, "RecordIO"),
        ("File", None, "None"),  # the documented value for File mode
        (None, None, "RecordIO"),  # mode unknown: nothing to say
        ("TrainingInputMode", None, "RecordIO"),  # a placeholder mode: SM012's
    ],
)
def test_sm202_near_misses(
    lint_doc: Lint, job_mode: str | None, channel_mode: str | None, wrapper: str
) -> None:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = job_mode
    job["InputDataConfig"][0]["RecordWrapperType"] = wrapper
    if channel_mode:
        job["InputDataConfig"][0]["InputMode"] = channel_mode
    assert lint_doc(job, select=["SM202"]) == []


@pytest.mark.parametrize(
    "name",
    [
        "bioimage-search-describe-spot-fsx-vpc-completed.json",  # RecordWrapperType "None"
        "eventbridge-docs-training-state-change.json",  # placeholders, not RecordIO
    ],
)
def test_sm202_silent_on_real_documents(name: str) -> None:
    assert lint_paths(REAL / name, select=["SM202"]) == []


# --- SM204 sharding-on-one-instance ------------------------------------------------------------


def test_sm204_fires_on_sharding_with_one_instance(lint_doc: Lint) -> None:
    job = clean_request()
    s3(job, 1)["S3DataDistributionType"] = "ShardedByS3Key"
    [finding] = lint_doc(job, select=["SM204"])
    assert (finding.rule, finding.severity) == ("SM204", "info")
    assert finding.pointer == "/InputDataConfig/1/DataSource/S3DataSource/S3DataDistributionType"
    assert finding.line == line_of(finding, '"ShardedByS3Key"')
    assert "channel 'validation' is ShardedByS3Key but is read by a single instance" in (
        finding.message
    )


def heterogeneous(job: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    job["ResourceConfig"] = {
        "InstanceGroups": [
            {"InstanceGroupName": name, "InstanceType": "ml.m5.xlarge", "InstanceCount": count}
            for name, count in counts.items()
        ],
        "VolumeSizeInGB": 50,
    }
    return job


@pytest.mark.parametrize(
    ("counts", "groups", "fires"),
    [
        ({"main": 1}, None, True),  # one group of one instance: one instance in all
        ({"data": 1, "train": 2}, ["data"], True),  # only the data group reads the channel
        ({"data": 1, "train": 2}, None, False),  # all 3 instances read it
        ({"data": 1, "train": 1}, ["data", "train"], False),  # 2 readers
        ({"data": 1, "train": 2}, ["elsewhere"], False),  # unknown group: the job's 3
    ],
)
def test_sm204_counts_the_instances_that_read_the_channel(
    lint_doc: Lint, counts: dict[str, int], groups: list[str] | None, fires: bool
) -> None:
    job = heterogeneous(clean_request(), counts)
    s3(job)["S3DataDistributionType"] = "ShardedByS3Key"
    if groups is not None:
        s3(job)["InstanceGroupNames"] = groups
    findings = lint_doc(job, select=["SM204"])
    assert [f.pointer for f in findings] == (
        ["/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType"] if fires else []
    )


@pytest.mark.parametrize(
    ("count", "distribution"),
    [
        (2, "ShardedByS3Key"),  # what sharding is for
        (None, "ShardedByS3Key"),  # count unknown: silent
        (1, "FullyReplicated"),
        (1, "shardedbys3key"),  # not the enum value: SM012's
    ],
)
def test_sm204_near_misses(lint_doc: Lint, count: int | None, distribution: str) -> None:
    job = clean_request()
    job["ResourceConfig"]["InstanceCount"] = count
    s3(job)["S3DataDistributionType"] = distribution
    assert lint_doc(job, select=["SM204"]) == []


@pytest.mark.parametrize(
    "name",
    [
        "sfn-create-training-job-docs-sample-train-model.json",
        "sfn-create-training-job-docs-sample-preprocess-feature-transform.json",
    ],
)
def test_sm204_fires_on_real_step_functions_samples(name: str) -> None:
    # AWS's Step Functions samples shard the train channel over InstanceCount 1: the setting
    # does nothing there, exactly what the rule (info) says.
    [finding] = lint_paths(REAL / name, select=["SM204"])
    assert finding.pointer == "/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType"
    assert finding.line == line_of(finding, '"S3DataDistributionType"')


def test_sm204_silent_on_real_two_instance_job() -> None:
    # Cloud Custodian's recording shards a manifest over 2 instances: sharding at work.
    path = REAL / "c7n-placebo-test_sagemaker_training_job_remove_tag-describe.json"
    assert lint_paths(path, select=["SM204"]) == []


# --- SM207 augmented-manifest-outside-pipe-mode ------------------------------------------------


@pytest.mark.parametrize(
    ("job_mode", "channel_mode", "mode"),
    [("File", None, "File"), ("Pipe", "FastFile", "FastFile"), ("FastFile", None, "FastFile")],
)
def test_sm207_fires_on_augmented_manifest_outside_pipe_mode(
    lint_doc: Lint, job_mode: str, channel_mode: str | None, mode: str
) -> None:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = job_mode
    s3(job).update(S3DataType="AugmentedManifestFile", AttributeNames=["source-ref", "label"])
    if channel_mode:
        job["InputDataConfig"][0]["InputMode"] = channel_mode
    [finding] = lint_doc(job, select=["SM207"])
    assert (finding.rule, finding.severity) == ("SM207", "error")
    assert finding.pointer == "/InputDataConfig/0/DataSource/S3DataSource/S3DataType"
    assert finding.line == line_of(finding, '"AugmentedManifestFile"')
    assert f"channel 'train' reads an AugmentedManifestFile in {mode} mode" in finding.message


@pytest.mark.parametrize(
    ("job_mode", "channel_mode", "data_type"),
    [
        ("File", "Pipe", "AugmentedManifestFile"),  # the channel overrides: Pipe, fine
        ("Pipe", None, "AugmentedManifestFile"),
        ("File", None, "ManifestFile"),  # a plain manifest is fine in File mode
        (None, None, "AugmentedManifestFile"),
    ],
)
def test_sm207_near_misses(
    lint_doc: Lint, job_mode: str | None, channel_mode: str | None, data_type: str
) -> None:
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = job_mode
    s3(job)["S3DataType"] = data_type
    if channel_mode:
        job["InputDataConfig"][0]["InputMode"] = channel_mode
    assert lint_doc(job, select=["SM207"]) == []


@pytest.mark.parametrize("path", list(real_documents()), ids=lambda p: p.name)
def test_sm207_silent_on_real_documents(path: Path) -> None:
    # None uses an augmented manifest; Custodian's File-mode jobs read a plain ManifestFile.
    assert lint_paths(path, select=["SM207"]) == []


# --- SM209 duplicate-channel-name --------------------------------------------------------------


def test_sm209_fires_on_each_later_duplicate(lint_doc: Lint) -> None:
    job = clean_request()
    third = dict(job["InputDataConfig"][0], ChannelName="validation")
    fourth = dict(job["InputDataConfig"][0])
    job["InputDataConfig"] += [third, fourth]  # train, validation, validation, train
    findings = lint_doc(job, select=["SM209"])
    assert [(f.rule, f.severity, f.pointer) for f in findings] == [
        ("SM209", "error", "/InputDataConfig/2/ChannelName"),
        ("SM209", "error", "/InputDataConfig/3/ChannelName"),
    ]
    assert findings[0].line == line_of(findings[0], '"validation"', nth=1)
    assert findings[1].line == line_of(findings[1], '"train"', nth=1)
    assert "'validation' is already used by channel 1" in findings[0].message
    assert "'train' is already used by channel 0" in findings[1].message


@pytest.mark.parametrize(
    "names",
    [
        ["train", "Train"],  # names are case-sensitive: two channels
        ["train", "train-1"],
        ["train", None],  # a channel without a name: the schema check's
    ],
)
def test_sm209_near_misses(lint_doc: Lint, names: list[str | None]) -> None:
    job = clean_request()
    for channel, name in zip(job["InputDataConfig"], names, strict=True):
        channel["ChannelName"] = name
    assert lint_doc(job, select=["SM209"]) == []


def test_sm209_silent_on_a_real_two_channel_job() -> None:
    # ACK's completed job: channels train and validation.
    path = REAL / "ack-sagemaker-controller-describe-completed.json"
    assert lint_paths(path, select=["SM209"]) == []


@pytest.mark.parametrize(
    ("job_mode", "channel_mode"),
    [
        ("File", "{{mode}}"),
        ("{{ mode }}", None),
        ("${TrainingInputMode}", None),
        ("Pipe", "{% $states.input.mode %}"),
    ],
)
def test_sm201_and_sm202_say_nothing_of_a_mode_that_is_a_placeholder(
    lint_doc: Lint, job_mode: str, channel_mode: str | None
) -> None:
    """A templated mode is unknown to both rules alike: neither fires, neither quotes it."""
    job = clean_request()
    job["AlgorithmSpecification"]["TrainingInputMode"] = job_mode
    channel = job["InputDataConfig"][0]
    channel.update(CompressionType="Gzip", RecordWrapperType="RecordIO")
    if channel_mode is not None:
        channel["InputMode"] = channel_mode
    assert lint_doc(job) == []


# --- SM210 output-inside-input-prefix -----------------------------------------------------------

TRAIN = "s3://ml-data-123456789012/churn/train/"


@pytest.mark.parametrize(
    ("member", "pointer"),
    [
        (
            {"OutputDataConfig": {"S3OutputPath": TRAIN + "models/"}},
            "/OutputDataConfig/S3OutputPath",
        ),
        ({"CheckpointConfig": {"S3Uri": TRAIN + "checkpoints/"}}, "/CheckpointConfig/S3Uri"),
        (
            {"TensorBoardOutputConfig": {"S3OutputPath": TRAIN + "tb"}},
            "/TensorBoardOutputConfig/S3OutputPath",
        ),
        ({"DebugHookConfig": {"S3OutputPath": TRAIN}}, "/DebugHookConfig/S3OutputPath"),
        (
            {
                "DebugRuleConfigurations": [
                    {
                        "RuleConfigurationName": "loss",
                        "RuleEvaluatorImage": "x",
                        "S3OutputPath": TRAIN,
                    }
                ]
            },
            "/DebugRuleConfigurations/0/S3OutputPath",
        ),
    ],
)
def test_sm210_fires_on_an_output_inside_an_input_prefix(
    lint_doc: Lint, member: dict[str, Any], pointer: str
) -> None:
    job = clean_request()
    job.update(member)
    [finding] = only(lint_doc(job, select=["SM210"]), "SM210")
    assert finding.pointer == pointer
    assert f"inside the S3 prefix of channel 'train' ({TRAIN})" in finding.message


def test_sm210_a_prefix_is_a_string_prefix(lint_doc: Lint) -> None:
    job = clean_request()
    job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = TRAIN.rstrip("/")
    job["OutputDataConfig"]["S3OutputPath"] = TRAIN.rstrip("/") + "-models/"
    assert [f.rule for f in lint_doc(job, select=["SM210"])] == ["SM210"]


@pytest.mark.parametrize(
    "output",
    [
        "s3://ml-models-123456789012/churn/",  # another bucket
        "s3://ml-data-123456789012/churn/models/",  # beside the channels, not in one
        "s3://ml-data-123456789012/churn/",  # above the prefix: reads nothing back
    ],
)
def test_sm210_near_misses(lint_doc: Lint, output: str) -> None:
    job = clean_request()
    job["OutputDataConfig"]["S3OutputPath"] = output
    assert only(lint_doc(job, select=["SM210"]), "SM210") == []


def test_sm210_a_manifest_names_its_objects(lint_doc: Lint) -> None:
    job = clean_request()
    source = s3(job)
    source.update(S3DataType="ManifestFile", S3Uri=TRAIN + "train.manifest")
    job["OutputDataConfig"]["S3OutputPath"] = TRAIN + "train.manifest-models/"
    assert only(lint_doc(job, select=["SM210"]), "SM210") == []
