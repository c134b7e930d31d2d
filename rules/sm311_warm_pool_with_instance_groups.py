"""SM311 warm-pool-with-instance-groups: a warm pool on a heterogeneous cluster (instance
groups).
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS
from sagelint.rules._warm_pools import WARM_POOLS_DOCS, keeps_a_warm_pool


@rule(
    code="SM311",
    name="warm-pool-with-instance-groups",
    severity="error",
    summary="a warm pool (KeepAlivePeriodInSeconds) on a heterogeneous cluster (instance groups)",
    references=(
        WARM_POOLS_DOCS,
        f"{MODEL_DOCS}: ResourceConfig.KeepAlivePeriodInSeconds",
        f"{MODEL_DOCS}: ResourceConfig.InstanceGroups",
    ),
)
def warm_pool_with_instance_groups(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports `ResourceConfig.KeepAlivePeriodInSeconds` above 0 on a job whose
    `ResourceConfig` has `InstanceGroups`: a heterogeneous cluster.

    ## Why is this bad?
    The developer guide's page on managed warm pools, under Considerations: "SageMaker AI
    managed warm pools cannot be used with heterogeneous cluster training." No pool is kept
    for the next job, which starts as slowly as this one; whether CreateTrainingJob refuses the
    combination or ignores the period is not documented.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceGroups": [
       {"InstanceGroupName": "data", "InstanceType": "ml.c5.xlarge", "InstanceCount": 2},
       {"InstanceGroupName": "train", "InstanceType": "ml.m5.xlarge", "InstanceCount": 1}],
      "VolumeSizeInGB": 50, "KeepAlivePeriodInSeconds": 1800,
      "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/ml-training"}}
    ```

    ## How to fix
    ```json
    {"ResourceConfig": {"InstanceGroups": [
       {"InstanceGroupName": "data", "InstanceType": "ml.c5.xlarge", "InstanceCount": 2},
       {"InstanceGroupName": "train", "InstanceType": "ml.m5.xlarge", "InstanceCount": 1}],
      "VolumeSizeInGB": 50,
      "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/ml-training"}}
    ```
    """
    if keeps_a_warm_pool(job) and job.array("ResourceConfig", "InstanceGroups"):
        yield Violation(
            "/ResourceConfig/KeepAlivePeriodInSeconds",
            "a warm pool (KeepAlivePeriodInSeconds) on a heterogeneous cluster (InstanceGroups): "
            "the warm-pool guide says warm pools cannot be used with heterogeneous clusters",
        )
