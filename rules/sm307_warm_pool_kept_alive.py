"""SM307 warm-pool-kept-alive: a warm pool keeps the instances, billed, after the job ends."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, instance_count, spot
from sagelint.rules._format import duration
from sagelint.rules._warm_pools import idle_pool_billed


@rule(
    code="SM307",
    name="warm-pool-kept-alive",
    severity="warning",
    summary="a warm pool keeps the instances, billed, after the job ends",
    references=(
        f"{MODEL_DOCS}: ResourceConfig.KeepAlivePeriodInSeconds",
        f"{MODEL_DOCS}: WarmPoolStatus.ResourceRetainedBillableTimeInSeconds",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/train-warm-pools.html",
    ),
)
def warm_pool_kept_alive(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports a job with `ResourceConfig.KeepAlivePeriodInSeconds` above 0: a SageMaker managed
    warm pool.

    On a DescribeTrainingJob response the message adds the `WarmPoolStatus` (and the billed
    retained time when given). A pool that was `Reused` is not reported: it did what it is for.
    Nor are the cases other rules say more of: a warm pool on a managed Spot job (SM310) or
    with instance groups (SM311), which cannot be used at all, and a pool that ended
    `Terminated` without being reused after billed time (SM312, which says how much).

    ## Why is this bad?
    The model docs of `ResourceConfig.KeepAlivePeriodInSeconds`: "The duration of time in
    seconds to retain configured resources in a warm pool for subsequent training jobs" (up to
    21,600 s), and of `WarmPoolStatus.ResourceRetainedBillableTimeInSeconds`: "The billable
    time in seconds used by the warm pool [...] Multiply ResourceRetainedBillableTimeInSeconds
    by the number of instances (InstanceCount) in your training cluster to get the total
    compute time SageMaker bills you". After the job, its instances stay up, and are billed,
    until a matching job reuses them or the period runs out. A warm pool pays for itself only
    when jobs with the same configuration follow each other closely; set by copy-paste, or
    left on a job that runs once, it bills idle instances for nothing (and warm pool instances
    count against a separate service quota).

    Severity: a warning, a cost risk: the period is deliberate when jobs are chained.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 4,
                        "VolumeSizeInGB": 100, "KeepAlivePeriodInSeconds": 3600}}
    ```

    ## How to fix
    Remove `KeepAlivePeriodInSeconds` (or set it to 0) unless another job with the same
    configuration starts within the period; keep the period as short as the gap between them.
    """
    period = job.integer("ResourceConfig", "KeepAlivePeriodInSeconds")
    if period is None or period <= 0 or spot(job) or job.array("ResourceConfig", "InstanceGroups"):
        return  # (on Spot: SM310; with instance groups: SM311)
    if job.text("WarmPoolStatus", "Status") == "Reused" or idle_pool_billed(job):
        return  # reused as meant; or SM312
    count = instance_count(job)
    kind = job.text("ResourceConfig", "InstanceType")
    plural = count != 1
    if count is not None and kind:
        held = f"{count} {kind} instance{'s' if plural else ''}"
    elif count is not None:
        held = f"{count} instance{'s' if plural else ''}"
    else:
        held = "its instances"
    status = job.text("WarmPoolStatus", "Status")
    billed = job.integer("WarmPoolStatus", "ResourceRetainedBillableTimeInSeconds")
    note = ""
    if status is not None:
        note = f" (warm pool {status}" + (f", {billed:,} s billed" if billed is not None else "")
        note += ")"
    yield Violation(
        "/ResourceConfig/KeepAlivePeriodInSeconds",
        f"KeepAlivePeriodInSeconds is {duration(period)}: after the job, {held} "
        f"{'stay' if plural else 'stays'} in a warm pool, billed while idle, until reused or "
        f"the period ends{note}",
    )
