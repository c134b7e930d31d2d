"""SM101 output-without-kms-key: model artifacts are not encrypted with a customer managed KMS
key.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS


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
    Checks that `OutputDataConfig.KmsKeyId` names a KMS key for the model artifacts.

    ## Why is this bad?
    Without it, SageMaker encrypts the artifacts with the account's default key for Amazon S3
    (the model docs of `OutputDataConfig.KmsKeyId`: "If you don't provide a KMS key ID,
    SageMaker uses the default KMS key for Amazon S3 for your role's account"). Access to
    that key cannot be limited per team or revoked per model, and it cannot be audited apart
    from every other object in the account.

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
