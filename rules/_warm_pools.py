"""Warm pools: what the developer guide says of them, and what a job's pool cost."""

from __future__ import annotations

from sagelint.job import Job
from sagelint.rules._facts import instance_count

WARM_POOLS_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/train-warm-pools.html"


def keeps_a_warm_pool(job: Job) -> bool:
    period = job.integer("ResourceConfig", "KeepAlivePeriodInSeconds")
    return period is not None and period > 0


def idle_pool_billed(job: Job) -> int | None:
    """The instance-seconds billed for a warm pool that ended ``Terminated`` without a job
    reusing it: ``ResourceRetainedBillableTimeInSeconds * InstanceCount``, the model's formula;
    None when the pool was reused, is not over, or nothing was billed."""
    if job.text("WarmPoolStatus", "Status") != "Terminated" or job.has(
        "WarmPoolStatus", "ReusedByJob"
    ):
        return None
    retained = job.integer("WarmPoolStatus", "ResourceRetainedBillableTimeInSeconds")
    count = instance_count(job)
    if not retained or retained <= 0 or not count:
        return None
    return retained * count
