"""SM306 runtime-limit-not-set: a request without StoppingCondition.MaxRuntimeInSeconds: the 1-day
default applies.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS


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
    if job.unknown("StoppingCondition", "MaxRuntimeInSeconds"):
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
