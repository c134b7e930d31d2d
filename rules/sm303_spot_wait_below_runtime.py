"""SM303 spot-wait-below-runtime: managed spot training without a MaxWaitTimeInSeconds at least
MaxRuntimeInSeconds.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, SPOT_DOCS, spot
from sagelint.rules._format import duration


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
    if not spot(job) or job.unknown("StoppingCondition", "MaxWaitTimeInSeconds"):
        return
    wait = job.integer("StoppingCondition", "MaxWaitTimeInSeconds")
    runtime = job.integer("StoppingCondition", "MaxRuntimeInSeconds")
    if not job.has("StoppingCondition", "MaxWaitTimeInSeconds"):
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
    elif wait is not None and runtime is not None and wait < runtime:
        yield Violation(
            "/StoppingCondition/MaxWaitTimeInSeconds",
            f"MaxWaitTimeInSeconds {duration(wait)} is below MaxRuntimeInSeconds "
            f"{duration(runtime)}; for managed spot training it must be >= MaxRuntimeInSeconds",
        )
