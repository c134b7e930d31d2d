"""SM202 recordio-outside-pipe-mode: RecordWrapperType RecordIO on a channel that is not in Pipe
mode.
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
)


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
            f"channel {channel_name(channel, index)} asks for RecordIO wrapping but reads in "
            f"{mode} mode (from {mode_origin(channel)}); SageMaker wraps records only in Pipe mode",
        )
