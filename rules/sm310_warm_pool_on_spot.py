"""SM310 warm-pool-on-spot: a warm pool on a managed Spot training job."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, SPOT_DOCS, spot
from sagelint.rules._warm_pools import WARM_POOLS_DOCS, keeps_a_warm_pool


@rule(
    code="SM310",
    name="warm-pool-on-spot",
    severity="error",
    summary="a warm pool (KeepAlivePeriodInSeconds) on a managed Spot training job",
    references=(
        WARM_POOLS_DOCS,
        f"{MODEL_DOCS}: ResourceConfig.KeepAlivePeriodInSeconds",
        SPOT_DOCS,
    ),
)
def warm_pool_on_spot(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports `ResourceConfig.KeepAlivePeriodInSeconds` above 0 on a job with
    `EnableManagedSpotTraining: true`.

    ## Why is this bad?
    The developer guide's page on managed warm pools, under Considerations: "SageMaker AI
    managed warm pools cannot be used with spot instances." The setting asks for what the
    service does not do: no warm pool is kept for the next job, whose start-up is as slow as
    before, and a pipeline built on reusing the pool gains nothing. Whether CreateTrainingJob
    refuses the combination or ignores the keep-alive period is not documented.

    ## Example
    ```json
    {"EnableManagedSpotTraining": true,
     "StoppingCondition": {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 172800},
     "CheckpointConfig": {"S3Uri": "s3://ml-models-123456789012/checkpoints/churn/"},
     "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50,
                        "KeepAlivePeriodInSeconds": 1800,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/ml-training"}}
    ```

    ## How to fix
    Keep the instances (on demand) or the Spot savings, not both:
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/ml-training"}}
    ```
    """
    if spot(job) and keeps_a_warm_pool(job):
        yield Violation(
            "/ResourceConfig/KeepAlivePeriodInSeconds",
            "a warm pool (KeepAlivePeriodInSeconds) on a managed Spot training job: the "
            "warm-pool guide says warm pools cannot be used with spot instances",
        )
