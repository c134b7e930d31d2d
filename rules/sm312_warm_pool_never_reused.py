"""SM312 warm-pool-never-reused: a warm pool that ended without a job reusing it, after billed
idle time.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, instance_count
from sagelint.rules._format import duration
from sagelint.rules._warm_pools import WARM_POOLS_DOCS, idle_pool_billed


@rule(
    code="SM312",
    name="warm-pool-never-reused",
    severity="warning",
    summary="a warm pool that ended without a job reusing it, after billed idle time",
    kinds=("describe",),
    references=(
        f"{MODEL_DOCS}: WarmPoolStatus.Status",
        f"{MODEL_DOCS}: WarmPoolStatus.ResourceRetainedBillableTimeInSeconds",
        WARM_POOLS_DOCS,
    ),
)
def warm_pool_never_reused(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    On a DescribeTrainingJob response whose `WarmPoolStatus.Status` is `Terminated`, with no
    `ReusedByJob` and a `ResourceRetainedBillableTimeInSeconds` above 0, reports what the idle
    pool was billed: that time multiplied by the job's instance count.

    ## Why is this bad?
    The model docs of `WarmPoolStatus.Status`: "Terminated: The warm pool is no longer
    available. Warm pools are unavailable if they are terminated by a user, terminated for a
    patch update, or terminated for exceeding the specified KeepAlivePeriodInSeconds", where
    "Reused: The warm pool moved to a matching training job for reuse." And of
    `ResourceRetainedBillableTimeInSeconds`: "The billable time in seconds used by the warm
    pool. [...] Multiply ResourceRetainedBillableTimeInSeconds by the number of instances
    (InstanceCount) in your training cluster to get the total compute time SageMaker bills you
    if you run warm pool training." The developer guide: "SageMaker AI managed warm pools are a
    billable resource." A pool that ends without a reuse was billed for instances no job used.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50,
                        "KeepAlivePeriodInSeconds": 1800,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/ml-training"},
     "WarmPoolStatus": {"Status": "Terminated", "ResourceRetainedBillableTimeInSeconds": 1800}}
    ```

    ## How to fix
    Set `KeepAlivePeriodInSeconds` only when a job of the same configuration follows within the
    period, and keep the period to the gap between them:
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/ml-training"},
     "WarmPoolStatus": null}
    ```
    """
    billed = idle_pool_billed(job)
    if billed is None:
        return
    retained = job.integer("WarmPoolStatus", "ResourceRetainedBillableTimeInSeconds") or 0
    count = instance_count(job) or 0
    yield Violation(
        "/WarmPoolStatus",
        f"the warm pool ended Terminated without a job reusing it, after {duration(retained)} "
        f"retained on {count} instance{'s' if count != 1 else ''}: {duration(billed)} of "
        "instance time billed idle",
    )
