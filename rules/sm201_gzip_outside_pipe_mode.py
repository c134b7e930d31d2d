"""SM201 gzip-outside-pipe-mode: CompressionType Gzip on a channel that is not in Pipe mode."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import (
    NOT_PIPE,
    channel_name,
    channels,
    effective_input_mode,
    mode_origin,
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
        if mode not in NOT_PIPE:
            continue
        yield Violation(
            pointer("InputDataConfig", index, "CompressionType"),
            f"channel {channel_name(channel, index)} is Gzip-compressed but reads in {mode} mode "
            f"(from {mode_origin(channel)}); CompressionType is used only in Pipe mode",
        )
