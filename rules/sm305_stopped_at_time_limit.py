"""SM305 stopped-at-time-limit: the job was stopped at its MaxRuntimeInSeconds or
MaxWaitTimeInSeconds.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS
from sagelint.rules._format import duration


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
        what = f"its MaxRuntimeInSeconds of {duration(limit)}" if limit else "its maximum runtime"
    elif secondary == "MaxWaitTimeExceeded":
        limit = job.integer("StoppingCondition", "MaxWaitTimeInSeconds")
        what = (
            f"its MaxWaitTimeInSeconds of {duration(limit)} (spot wait plus run time)"
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
