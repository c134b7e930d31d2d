"""SM110 kms-key-in-another-region: a KMS key ARN of another region than the job's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, directory_bucket

# The KMS key fields of a training job (walked from CreateTrainingJobRequest in the model: these
# two are all there is).
KEY_FIELDS = (("OutputDataConfig", "KmsKeyId"), ("ResourceConfig", "VolumeKmsKeyId"))
_KMS_ARN = re.compile(r"arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:(?:key|alias)/")


@rule(
    code="SM110",
    name="kms-key-in-another-region",
    severity="error",
    summary="a KMS key ARN of another region than the job's",
    references=(
        f"{MODEL_DOCS}: OutputDataConfig.KmsKeyId",
        f"{MODEL_DOCS}: ResourceConfig.VolumeKmsKeyId",
        f"{MODEL_DOCS}: S3DataSource.S3Uri",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/GettingStartedS3CLI.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html",
    ),
)
def kms_key_in_another_region(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Compares the region of each KMS key ARN of the job (`OutputDataConfig.KmsKeyId`,
    `ResourceConfig.VolumeKmsKeyId`) with the job's region: the region of its
    `TrainingJobArn`, or for a request spec the one given with `sagelint lint --region` or the
    configuration's `region`. Key IDs and aliases name no region and are not checked, nor is a
    job whose region is not known. When the output is in an S3 Express One Zone directory
    bucket (SM101 leaves those alone), the message says that a KMS key is not supported there
    at all.

    ## Why is this bad?
    KMS keys are regional. The S3 user guide: "The AWS KMS key must be in the same AWS Region
    as your Amazon S3 bucket. Cross-region KMS keys aren't supported for Amazon S3 bucket
    encryption." The model docs of `S3DataSource.S3Uri`: "Your input bucket must be located in
    same Amazon Web Services region as your training job", and a job writes its model to a
    bucket of its region too. So a key of another region cannot encrypt the job's output. For
    the storage volume (`VolumeKmsKeyId`, EBS) the same follows from keys being regional (the
    KMS developer guide: a multi-Region key's replicas "in different AWS Regions" are what
    makes one usable elsewhere, each with its own regional ARN); that SageMaker refuses such a
    key is an inference: it is not documented in so many words.

    ## Example
    A request spec created in us-east-1 (a response's region is in its ARN):
    ```toml
    [tool.sagelint]
    region = "us-east-1"
    ```
    ```json
    {"OutputDataConfig": {"S3OutputPath": "s3://ml-models-123456789012/churn/",
       "KmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}
    ```

    ## How to fix
    ```json
    {"OutputDataConfig": {"S3OutputPath": "s3://ml-models-123456789012/churn/",
       "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}
    ```
    (a key of the job's region; for one key in several regions, a multi-Region key's replica
    in each).
    """
    region = job.region
    if region is None:
        return
    for path in KEY_FIELDS:
        key = job.text(*path)
        found = _KMS_ARN.match(key) if key else None
        if found is None or found.group(1) == region:
            continue
        message = (
            f"{'.'.join(path)} is a key of {found.group(1)} but the job runs in {region}: KMS "
            "keys are regional"
        )
        if path[0] == "OutputDataConfig" and directory_bucket(
            job.text("OutputDataConfig", "S3OutputPath")
        ):
            message += (
                "; and the output is in a directory bucket (S3 Express One Zone), where the "
                "model says a KMS key is not supported at all (SSE-S3 only)"
            )
        yield Violation(pointer(*path), message)
