"""SM207 augmented-manifest-outside-pipe-mode: S3DataType AugmentedManifestFile on a channel that
is not in Pipe mode.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import (
    MODEL_DOCS,
    NOT_PIPE,
    channel_name,
    channels,
    effective_input_mode,
    mode_origin,
    s3_data_source,
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
        if s3_data_source(channel).get("S3DataType") != "AugmentedManifestFile":
            continue
        mode = effective_input_mode(job, channel)
        if mode not in NOT_PIPE:
            continue
        yield Violation(
            pointer("InputDataConfig", index, "DataSource", "S3DataSource", "S3DataType"),
            f"channel {channel_name(channel, index)} reads an AugmentedManifestFile in {mode} mode "
            f"(from {mode_origin(channel)}); augmented manifests can only be read in Pipe mode",
        )
