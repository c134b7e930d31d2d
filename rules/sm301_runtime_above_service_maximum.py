"""SM301 runtime-above-service-maximum: MaxRuntimeInSeconds above the 28-day service maximum."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._format import DAY, days

MAX_RUNTIME_SECONDS = 28 * DAY  # 2,419,200 s


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
            f"MaxRuntimeInSeconds is {runtime:,} s ({days(runtime)}), above the service maximum "
            f"of {MAX_RUNTIME_SECONDS:,} s (28 days)",
        )
