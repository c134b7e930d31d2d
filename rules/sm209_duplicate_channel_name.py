"""SM209 duplicate-channel-name: two input channels with the same ChannelName."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, channels


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
