"""SM308 completed-near-time-limit: a completed job used 90% or more of its time limit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, spot
from sagelint.rules._format import duration
from sagelint.rules._timestamps import training_time

NEAR_LIMIT = 0.9  # SM308: share of the limit a completed job may use before it is reported


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
    used = training_time(job)
    if used is None:
        return
    seconds, source = used
    limits: list[str] = []
    if spot(job):
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
        f"the job completed after {duration(seconds)} ({source}), {share:.1%} of its {name} "
        f"of {duration(limit)}; a slightly longer run would be stopped at the limit",
    )
