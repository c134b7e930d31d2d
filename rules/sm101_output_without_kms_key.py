"""SM101 output-without-kms-key: model artifacts are not encrypted with a customer managed KMS
key.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, directory_bucket


@rule(
    code="SM101",
    name="output-without-kms-key",
    severity="warning",
    summary="model artifacts are not encrypted with a customer managed KMS key",
    references=(
        f"{MODEL_DOCS}: OutputDataConfig.KmsKeyId",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
    ),
)
def output_without_kms_key(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `OutputDataConfig.KmsKeyId` names a KMS key for the model artifacts. An output
    path in an S3 Express One Zone directory bucket (a bucket name ending in `--x-s3`) is left
    alone: the model says a KMS key is not supported there.

    ## Why is this bad?
    Without it, SageMaker encrypts the artifacts with the account's default key for Amazon S3
    (the model docs of `OutputDataConfig.KmsKeyId`: "If you don't provide a KMS key ID,
    SageMaker uses the default KMS key for Amazon S3 for your role's account"). Access to
    that key cannot be limited per team or revoked per model, and it cannot be audited apart
    from every other object in the account.

    Directory buckets are the exception. The same model docs: "If the output data is stored in
    Amazon S3 Express One Zone, it is encrypted with server-side encryption with Amazon S3
    managed keys (SSE-S3). KMS key is not supported for Amazon S3 Express One Zone"; the
    developer guide: "Server-side encryption with AWS KMS keys (SSE-KMS) is not currently
    supported for storing SageMaker AI output data in directory buckets." (That such a bucket's
    name ends in `--x-s3` is S3's naming rule for directory buckets:
    `bucket-base-name--zone-id--x-s3`.)

    ## Example
    ```json
    {"OutputDataConfig": {"S3OutputPath": "s3://bucket/models", "KmsKeyId": ""}}
    ```

    ## How to fix
    ```json
    {"OutputDataConfig": {"S3OutputPath": "s3://bucket/models",
                          "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```
    """
    if not job.has("OutputDataConfig") or job.unknown("OutputDataConfig", "KmsKeyId"):
        return
    if directory_bucket(job.text("OutputDataConfig", "S3OutputPath")):
        return  # no KMS key there: SSE-S3 only
    key = job.get("OutputDataConfig", "KmsKeyId")
    if key is None:
        where, state = "/OutputDataConfig", "not set"
    elif isinstance(key, str) and not key.strip():
        where, state = "/OutputDataConfig/KmsKeyId", "empty"
    else:  # a key, or a value of the wrong type (the schema check reports that)
        return
    yield Violation(
        where,
        f"OutputDataConfig.KmsKeyId is {state}: model artifacts use the default S3 key, "
        "not a customer managed KMS key",
    )
