"""SM3xx: run time and cost."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import instance_count
from sagelint.rules._timestamps import comparable, parse_timestamp

DAY = 86_400
MAX_RUNTIME_SECONDS = 28 * DAY  # 2,419,200 s


def _days(seconds: int) -> str:
    return f"{seconds / DAY:.3g} days"


@rule(
    code="SM301",
    name="runtime-above-service-maximum",
    severity="error",
    summary="MaxRuntimeInSeconds above the 28-day service maximum",
    references=("botocore SageMaker service model: StoppingCondition.MaxRuntimeInSeconds",),
)
def runtime_above_service_maximum(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `StoppingCondition.MaxRuntimeInSeconds` is at most 2,419,200 seconds (28 days).

    ## Why is this bad?
    The model docs of `StoppingCondition.MaxRuntimeInSeconds`: "The default value is 1 day. The
    maximum value is 28 days." CreateTrainingJob rejects a larger value. (Older copies of the
    CLI reference still say 5 days; the service model is current.)

    ## Example
    ```json
    {"StoppingCondition": {"MaxRuntimeInSeconds": 3000000}}
    ```

    ## How to fix
    Lower it to at most 2419200, and checkpoint long trainings so that a follow-up job can
    resume (`CheckpointConfig`).
    """
    runtime = job.integer("StoppingCondition", "MaxRuntimeInSeconds")
    if runtime is not None and runtime > MAX_RUNTIME_SECONDS:
        yield Violation(
            "/StoppingCondition/MaxRuntimeInSeconds",
            f"MaxRuntimeInSeconds is {runtime:,} s ({_days(runtime)}), above the service maximum "
            f"of {MAX_RUNTIME_SECONDS:,} s (28 days)",
        )


# --- shared by the rules below ---------------------------------------------------------------

MODEL_DOCS = "botocore SageMaker service model"
SPOT_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html"
NEAR_LIMIT = 0.9  # SM308: share of the limit a completed job may use before it is reported


def _dynamic(job: Job, *path: str) -> bool:
    """True when a Step Functions task sets the field, or an object holding it, from its input
    (``"Field.$": "$.path"``): the document does not hold the value, so a rule must not read
    its absence as "not set"."""
    return any(f"{name}.$" in job.mapping(*path[:depth]) for depth, name in enumerate(path))


def _spot(job: Job) -> bool:
    return job.flag("EnableManagedSpotTraining") is True


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:,.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds:,.0f} s ({seconds / 60:.3g} min)"
    if seconds < 2 * DAY:
        return f"{seconds:,.0f} s ({seconds / 3600:.3g} h)"
    return f"{seconds:,.0f} s ({_days(round(seconds))})"


@rule(
    code="SM303",
    name="spot-wait-below-runtime",
    severity="error",
    summary="managed spot training without a MaxWaitTimeInSeconds at least MaxRuntimeInSeconds",
    references=(
        f"{MODEL_DOCS}: StoppingCondition.MaxWaitTimeInSeconds",
        SPOT_DOCS,
        "aws-samples/bioimage-search, cli/bioims/test/test-training-configuration.py: a recorded "
        "DescribeTrainingJob response of a spot job whose MaxWaitTimeInSeconds equals "
        "MaxRuntimeInSeconds",
    ),
)
def spot_wait_below_runtime(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a job with `EnableManagedSpotTraining: true` sets
    `StoppingCondition.MaxWaitTimeInSeconds`, and that it is at least
    `StoppingCondition.MaxRuntimeInSeconds`.

    ## Why is this bad?
    The model docs of `StoppingCondition.MaxWaitTimeInSeconds`: "The maximum length of time, in
    seconds, that a managed Spot training job has to complete. It is the amount of time spent
    waiting for Spot capacity plus the amount of time the job can run. It must be equal to or
    greater than MaxRuntimeInSeconds." The managed spot training guide: "Set
    EnableManagedSpotTraining to True and specify the MaxWaitTimeInSeconds." CreateTrainingJob
    rejects the request otherwise; the SageMaker Python SDK does not check it before sending.
    Equal values are accepted (a real completed spot job in our corpus has both at 100,000 s),
    though they leave no time at all to wait for spot capacity.

    When `MaxRuntimeInSeconds` is absent the rule does not compare: whether the service
    compares the wait with the 1-day default is not documented (SM306 reports the missing
    limit).

    Severity: an error, the request is rejected.

    ## Example
    ```json
    {"EnableManagedSpotTraining": true,
     "StoppingCondition": {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 43200},
     "CheckpointConfig": {"S3Uri": "s3://bucket/checkpoints/churn/"}}
    ```

    ## How to fix
    Set `MaxWaitTimeInSeconds` to the run time plus the time you accept to wait for spot
    capacity, for example twice `MaxRuntimeInSeconds`.
    """
    if not _spot(job) or _dynamic(job, "StoppingCondition", "MaxWaitTimeInSeconds"):
        return
    wait = job.integer("StoppingCondition", "MaxWaitTimeInSeconds")
    runtime = job.integer("StoppingCondition", "MaxRuntimeInSeconds")
    if wait is None:
        stopping = job.mapping("StoppingCondition")
        where = (
            "/StoppingCondition/MaxWaitTimeInSeconds"
            if "MaxWaitTimeInSeconds" in stopping
            else "/StoppingCondition"
            if job.has("StoppingCondition")
            else "/EnableManagedSpotTraining"
        )
        yield Violation(
            where,
            "managed spot training is enabled but StoppingCondition.MaxWaitTimeInSeconds is "
            "not set; it is required and must be >= MaxRuntimeInSeconds",
        )
    elif runtime is not None and wait < runtime:
        yield Violation(
            "/StoppingCondition/MaxWaitTimeInSeconds",
            f"MaxWaitTimeInSeconds {_duration(wait)} is below MaxRuntimeInSeconds "
            f"{_duration(runtime)}; for managed spot training it must be >= MaxRuntimeInSeconds",
        )


@rule(
    code="SM304",
    name="spot-without-checkpoints",
    severity="warning",
    summary="managed spot training without CheckpointConfig",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.CheckpointConfig",
        SPOT_DOCS,
        "https://docs.aws.amazon.com/sagemaker/latest/dg/model-checkpoints.html",
    ),
)
def spot_without_checkpoints(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a job with `EnableManagedSpotTraining: true` has a `CheckpointConfig` with an
    `S3Uri`.

    ## Why is this bad?
    Spot instances can be taken back at any time. The managed spot training guide: "You can
    configure your managed spot training job to use checkpoints. SageMaker copies checkpoint
    data from a local path to Amazon S3. When the job is restarted, SageMaker copies the data
    from Amazon S3 back into the local path. The training job can then resume from the last
    checkpoint instead of restarting." and "Unless your training job will complete quickly, we
    recommend you use checkpointing with managed spot training. SageMaker built-in algorithms
    and marketplace algorithms that do not checkpoint are currently limited to a
    MaxWaitTimeInSeconds of 3600 seconds". Without a checkpoint location, each interruption
    throws away the training done so far: the job starts over, pays for the same work again,
    and may run out of `MaxWaitTimeInSeconds` and end as `MaxWaitTimeExceeded` without a model.
    The SageMaker Python SDK does not ask for a checkpoint when spot is enabled.

    Severity: a warning. The work is lost only if an interruption happens; a short job may well
    finish before one does.

    ## Example
    ```json
    {"EnableManagedSpotTraining": true,
     "StoppingCondition": {"MaxRuntimeInSeconds": 36000, "MaxWaitTimeInSeconds": 72000}}
    ```

    ## How to fix
    Add `"CheckpointConfig": {"S3Uri": "s3://bucket/checkpoints/job-name/"}` and have the
    training script save its state to `/opt/ml/checkpoints` (or `LocalPath`) regularly and load
    it when it starts.
    """
    if not _spot(job) or _dynamic(job, "CheckpointConfig", "S3Uri"):
        return
    uri = job.text("CheckpointConfig", "S3Uri")
    if uri is not None and uri.strip():
        return
    state = "has no S3Uri" if job.has("CheckpointConfig") else "is not set"
    where = "/CheckpointConfig" if job.has("CheckpointConfig") else "/EnableManagedSpotTraining"
    yield Violation(
        where,
        f"managed spot training is enabled but CheckpointConfig {state}: an interruption "
        "restarts the training from the beginning",
    )


@rule(
    code="SM305",
    name="stopped-at-time-limit",
    severity="info",
    summary="the job was stopped at its MaxRuntimeInSeconds or MaxWaitTimeInSeconds",
    kinds=("describe",),
    references=(
        f"{MODEL_DOCS}: DescribeTrainingJobResponse.SecondaryStatus",
        f"{MODEL_DOCS}: CreateTrainingJobRequest.StoppingCondition",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training-status.html",
    ),
)
def stopped_at_time_limit(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports a job whose `SecondaryStatus` is `MaxRuntimeExceeded` or `MaxWaitTimeExceeded`
    (with `TrainingJobStatus` `Stopped`, or absent; a contradicting primary status is SM401's).

    ## Why is this bad?
    The model docs of `SecondaryStatus`: "MaxRuntimeExceeded - The job stopped because it
    exceeded the maximum allowed runtime. MaxWaitTimeExceeded - The job stopped because it
    exceeded the maximum allowed wait time." SageMaker ended the job, it did not finish: the
    docs of `StoppingCondition`: "To stop a job, SageMaker sends the algorithm the SIGTERM
    signal, which delays job termination for 120 seconds. Algorithms can use this 120-second
    window to save the model artifacts". Whatever model was saved is a partial one, and the
    compute until the limit was billed. `MaxWaitTimeExceeded` is a managed spot job that did not
    get enough spot capacity in time (the managed spot lifecycle guide lists "Spot instances
    were never launched" among its causes).

    Severity: info. The limit did what it is for (cap the cost); whether the result is usable
    is for its owner to judge.

    ## Example
    ```json
    {"TrainingJobStatus": "Stopped", "SecondaryStatus": "MaxRuntimeExceeded",
     "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
    ```

    ## How to fix
    For the next run: raise `MaxRuntimeInSeconds` (at most 28 days) or make the training
    shorter, checkpoint (`CheckpointConfig`) so that a follow-up job can resume; for
    `MaxWaitTimeExceeded`, raise `MaxWaitTimeInSeconds`, or choose an instance type with more
    spot capacity, or run on demand.
    """
    secondary = job.text("SecondaryStatus")
    if job.text("TrainingJobStatus") not in (None, "Stopped"):
        return
    if secondary == "MaxRuntimeExceeded":
        limit = job.integer("StoppingCondition", "MaxRuntimeInSeconds")
        what = f"its MaxRuntimeInSeconds of {_duration(limit)}" if limit else "its maximum runtime"
    elif secondary == "MaxWaitTimeExceeded":
        limit = job.integer("StoppingCondition", "MaxWaitTimeInSeconds")
        what = (
            f"its MaxWaitTimeInSeconds of {_duration(limit)} (spot wait plus run time)"
            if limit
            else "its maximum wait time"
        )
    else:
        return
    yield Violation(
        "/SecondaryStatus",
        f"SageMaker stopped the job ({secondary}): it did not finish within {what}; any "
        "model it saved is partial",
    )


@rule(
    code="SM306",
    name="runtime-limit-not-set",
    severity="warning",
    summary="a request without StoppingCondition.MaxRuntimeInSeconds: the 1-day default applies",
    kinds=("create",),
    references=(f"{MODEL_DOCS}: StoppingCondition.MaxRuntimeInSeconds",),
)
def runtime_limit_not_set(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a CreateTrainingJob request sets `StoppingCondition.MaxRuntimeInSeconds`.
    A Step Functions task that takes the value from its input
    (`"MaxRuntimeInSeconds.$"` or `"StoppingCondition.$"`) is left alone.

    ## Why is this bad?
    The model docs of `StoppingCondition.MaxRuntimeInSeconds`: "For all other jobs, if the job
    does not complete during this time, SageMaker ends the job. [...] The default value is 1
    day." (`StoppingCondition` is optional in the request.) A spec without it gets a limit its
    readers do not see: a training that needs more than a day is stopped at 24 hours
    (`MaxRuntimeExceeded`) after a day of billed compute, and a job that hangs runs, billed,
    for a whole day before anything stops it.

    Severity: a warning, a risk: many jobs end well within the default.

    ## Example
    ```json
    {"TrainingJobName": "churn", "StoppingCondition": {}}
    ```

    ## How to fix
    Set the limit explicitly, a little above the longest run you expect:
    ```json
    {"StoppingCondition": {"MaxRuntimeInSeconds": 7200}}
    ```
    """
    if _dynamic(job, "StoppingCondition", "MaxRuntimeInSeconds"):
        return
    if job.has("StoppingCondition", "MaxRuntimeInSeconds"):
        return  # a value of the wrong type is the schema check's
    stopping = job.mapping("StoppingCondition")
    where = (
        "/StoppingCondition/MaxRuntimeInSeconds"
        if "MaxRuntimeInSeconds" in stopping
        else "/StoppingCondition"
        if "StoppingCondition" in job.data
        else ""
    )
    yield Violation(
        where,
        "StoppingCondition.MaxRuntimeInSeconds is not set: SageMaker applies its 1-day default "
        "and ends the job after 86,400 s",
    )


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
    retained time when given): the setting is reported whatever the pool became, since the next
    job made from this one's configuration keeps a pool too.

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
    if period is None or period <= 0:
        return
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
        f"KeepAlivePeriodInSeconds is {_duration(period)}: after the job, {held} "
        f"{'stay' if plural else 'stays'} in a warm pool, billed while idle, until reused or "
        f"the period ends{note}",
    )


def _time_used(job: Job) -> tuple[int, str] | None:
    """(seconds, where they come from) of a job's training: ``TrainingTimeInSeconds``, else
    ``TrainingEndTime - TrainingStartTime`` when both can be read and compared."""
    seconds = job.integer("TrainingTimeInSeconds")
    if seconds is not None:
        return seconds, "TrainingTimeInSeconds"
    start = parse_timestamp(job.get("TrainingStartTime"))
    end = parse_timestamp(job.get("TrainingEndTime"))
    if start is None or end is None or not comparable(start, end) or end < start:
        return None  # an end before the start is SM404's
    return round((end - start).total_seconds()), "TrainingEndTime - TrainingStartTime"


@rule(
    code="SM308",
    name="completed-near-time-limit",
    severity="warning",
    summary="a completed job used 90% or more of its time limit",
    kinds=("describe",),
    references=(
        f"{MODEL_DOCS}: StoppingCondition.MaxRuntimeInSeconds",
        f"{MODEL_DOCS}: StoppingCondition.MaxWaitTimeInSeconds",
        f"{MODEL_DOCS}: DescribeTrainingJobResponse.TrainingTimeInSeconds",
        f"{MODEL_DOCS}: DescribeTrainingJobResponse.BillableTimeInSeconds",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training-status.html",
    ),
)
def completed_near_time_limit(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports a `Completed` job whose training took 90% or more of its time limit. The time taken
    is `TrainingTimeInSeconds`, else `TrainingEndTime - TrainingStartTime`. The limit:

    - on demand: `StoppingCondition.MaxRuntimeInSeconds`;
    - managed spot (`EnableManagedSpotTraining: true`): `MaxWaitTimeInSeconds`, and also
      `MaxRuntimeInSeconds` when `SecondaryStatusTransitions` show no `Interrupted` step.

    Spot: after an interruption the job waits for capacity again between its
    `TrainingStartTime` and `TrainingEndTime`, and the document does not say how much of the
    time taken was spent running rather than waiting, so it is compared with the limit on the
    whole (`MaxWaitTimeInSeconds`: "the amount of time spent waiting for Spot capacity plus the
    amount of time the job can run"), which it certainly counts against; with no interruption
    (and transitions present to show it) the time taken is run time and `MaxRuntimeInSeconds`
    is compared too. `BillableTimeInSeconds` is not used: for
    spot it is the discounted time (the docs compute the savings as
    `1 - BillableTimeInSeconds / TrainingTimeInSeconds`), not the time elapsed.

    Retries (`RetryStrategy`): "MaxRuntimeInSeconds specifies the maximum time for all of the
    attempts in total"; the time taken is compared with that total. If the reported training
    time covers only the last attempt, it understates what was used: the rule may then miss a
    job, it does not report one wrongly.

    ## Why is this bad?
    The model docs of `StoppingCondition.MaxRuntimeInSeconds`: "if the job does not complete
    during this time, SageMaker ends the job". This run finished with less than a tenth of its
    limit to spare; the next one, with a little more data, a slower instance, or a few more
    epochs, is stopped at `MaxRuntimeExceeded` (or `MaxWaitTimeExceeded`) after the whole
    limit was billed, with at best a partial model.

    Severity: a warning, a risk for the next run; this one succeeded.

    ## Example
    ```json
    {"TrainingJobStatus": "Completed", "TrainingTimeInSeconds": 3400,
     "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}
    ```

    ## How to fix
    Raise the limit of the next run to leave a margin (`MaxRuntimeInSeconds`, and
    `MaxWaitTimeInSeconds` for spot), and checkpoint (`CheckpointConfig`) so that a job that
    does get stopped can be resumed.
    """
    if job.text("TrainingJobStatus") != "Completed":
        return
    used = _time_used(job)
    if used is None:
        return
    seconds, source = used
    limits: list[str] = []
    if _spot(job):
        limits.append("MaxWaitTimeInSeconds")
        transitions = [t for t in job.array("SecondaryStatusTransitions") if isinstance(t, Mapping)]
        if transitions and not any(t.get("Status") == "Interrupted" for t in transitions):
            limits.append("MaxRuntimeInSeconds")
    else:
        limits.append("MaxRuntimeInSeconds")
    candidates = [
        (seconds / limit, name, limit)
        for name in limits
        if (limit := job.integer("StoppingCondition", name)) is not None and limit > 0
    ]
    if not candidates:
        return
    share, name, limit = max(candidates)
    if share < NEAR_LIMIT:
        return
    yield Violation(
        pointer("StoppingCondition", name),
        f"the job completed after {_duration(seconds)} ({source}), {share:.1%} of its {name} "
        f"of {_duration(limit)}; a slightly longer run would be stopped at the limit",
    )
