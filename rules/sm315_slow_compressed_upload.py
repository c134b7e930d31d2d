"""SM315 slow-compressed-upload: a job that spent 10 minutes or more uploading a compressed
model.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS
from sagelint.rules._format import duration
from sagelint.rules._timestamps import step_times

SLOW_SECONDS = 600
UNCOMPRESSED_DOCS = (
    "https://docs.aws.amazon.com/sagemaker/latest/dg/model-train-storage-uncompressed.html"
)


@rule(
    code="SM315",
    name="slow-compressed-upload",
    severity="warning",
    summary="a job spent 10 minutes or more uploading a compressed model",
    kinds=("describe",),
    references=(
        f"{MODEL_DOCS}: OutputDataConfig.CompressionType",
        f"{MODEL_DOCS}: SecondaryStatusTransition.Status",
        UNCOMPRESSED_DOCS,
    ),
)
def slow_compressed_upload(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    On a DescribeTrainingJob response whose `OutputDataConfig.CompressionType` is `GZIP` or
    not set (GZIP is the default), adds up the `Uploading` steps of
    `SecondaryStatusTransitions` and reports them when they took 10 minutes or more (a
    threshold of sagelint's: AWS gives none).

    ## Why is this bad?
    The model docs of `OutputDataConfig.CompressionType`: "The model output compression type.
    Select None to output an uncompressed model, recommended for large model outputs. Defaults
    to gzip." The developer guide: "You can save time on large data file compression by
    uploading model and data outputs to your S3 bucket as uncompressed files." And of
    `SecondaryStatusTransition.Status`: "Uploading - Training is complete and the model
    artifacts are being uploaded to the S3 location." A long upload of a compressed model is
    time, billed on every instance, spent compressing it.

    ## Example
    ```json
    {"SecondaryStatusTransitions": [
       {"Status":"Training","StartTime":"2026-11-01T10:00:00Z","EndTime":"2026-11-01T10:40:00Z"},
       {"Status":"Uploading","StartTime":"2026-11-01T10:40:00Z","EndTime":"2026-11-01T11:05:00Z"},
       {"Status":"Completed","StartTime":"2026-11-01T11:05:00Z"}]}
    ```

    ## How to fix
    ```json
    {"OutputDataConfig": {"S3OutputPath": "s3://ml-models-123456789012/churn/",
       "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
       "CompressionType": "NONE"}}
    ```
    (`disable_output_compression=True` in the SageMaker Python SDK).
    """
    if job.unknown("OutputDataConfig", "CompressionType"):
        return
    compression = job.text("OutputDataConfig", "CompressionType")
    if compression not in (None, "GZIP") or (
        compression is None and job.has("OutputDataConfig", "CompressionType")
    ):
        return
    steps = step_times(job, "Uploading")
    seconds = sum(taken for _, taken in steps)
    if not steps or seconds < SLOW_SECONDS:
        return
    how = "GZIP" if compression else "not set (GZIP by default)"
    yield Violation(
        pointer("SecondaryStatusTransitions", steps[0][0]),
        f"the job spent {duration(seconds)} uploading its model with CompressionType {how}; "
        "the model docs recommend NONE for large model outputs",
    )
