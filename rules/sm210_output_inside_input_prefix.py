"""SM210 output-inside-input-prefix: an output, checkpoint, TensorBoard or debugger S3 URI
inside an input channel's S3 prefix.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, channel_name, channels, output_locations


@rule(
    code="SM210",
    name="output-inside-input-prefix",
    severity="warning",
    summary="an output, checkpoint, TensorBoard or debugger S3 URI inside an input channel's "
    "S3 prefix",
    references=(
        f"{MODEL_DOCS}: S3DataSource.S3Uri",
        f"{MODEL_DOCS}: OutputDataConfig.S3OutputPath",
        f"{MODEL_DOCS}: CheckpointConfig.S3Uri",
    ),
)
def output_inside_input_prefix(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Compares every S3 location the job writes to (`OutputDataConfig.S3OutputPath`,
    `CheckpointConfig.S3Uri`, `TensorBoardOutputConfig.S3OutputPath`,
    `DebugHookConfig.S3OutputPath`, `ProfilerConfig.S3OutputPath`, and each debugger or
    profiler rule's `S3OutputPath`) with the `S3Uri` of every input channel of `S3DataType`
    `S3Prefix`: one that starts with a channel's prefix fires. (A `ManifestFile` channel names
    its objects one by one, and is not compared.)

    ## Why is this bad?
    The model docs of `S3DataSource.S3Uri`: "If you choose S3Prefix, S3Uri identifies a key name
    prefix. SageMaker uses all objects that match the specified key name prefix for model
    training." A prefix is a string prefix, not a folder: `s3://bucket/data` matches
    `s3://bucket/data-v2/...` too. SageMaker writes the model, checkpoints and debugger output
    under these locations, so the next run of the same spec reads them back as training data:
    the model trains on model files and checkpoints, the data grows with every run, and a
    sharded channel shares out objects that are not data. An inference from the documented
    prefix matching; SageMaker does not refuse such a job.

    ## Example
    ```json
    {"CheckpointConfig": {"S3Uri": "s3://ml-data-123456789012/churn/train/checkpoints/"}}
    ```

    ## How to fix
    ```json
    {"CheckpointConfig": {"S3Uri": "s3://ml-models-123456789012/checkpoints/churn/"}}
    ```
    """
    prefixes = []
    for index, channel in channels(job):
        source = ("InputDataConfig", index, "DataSource", "S3DataSource")
        uri = job.text(*source, "S3Uri")
        if uri and job.text(*source, "S3DataType") == "S3Prefix":
            prefixes.append((channel_name(channel, index), uri))
    for path, output in output_locations(job):
        for name, prefix in prefixes:
            if output.startswith(prefix):
                yield Violation(
                    pointer(*path),
                    f"{'.'.join(map(str, path))} {output} is inside the S3 prefix of channel "
                    f"{name} ({prefix}): the next run of this job trains on what this one "
                    "writes there",
                )
                break
