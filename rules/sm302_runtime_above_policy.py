"""SM302 runtime-above-policy: MaxRuntimeInSeconds above the organisation's cap
(max-runtime-seconds).
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Policy, Violation, rule

DEFAULT_RUNTIME_SECONDS = 86_400  # model docs of StoppingCondition.MaxRuntimeInSeconds


@rule(
    code="SM302",
    name="runtime-above-policy",
    severity="error",
    summary="MaxRuntimeInSeconds above the organisation's cap (max-runtime-seconds)",
    needs=("max_runtime_seconds",),
    references=("botocore SageMaker service model: StoppingCondition.MaxRuntimeInSeconds",),
)
def runtime_above_policy(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks `StoppingCondition.MaxRuntimeInSeconds` against the configured
    `max-runtime-seconds`. A request spec without it gets the service default, one day (model
    docs: "The default value is 1 day"), and is checked with that.

    ## Why is this bad?
    The runtime limit is a job's cost ceiling: a runaway job bills every instance until it is
    reached. An organisation that caps it (say, 12 hours) wants every job to carry its cap.

    ## Example
    ```toml
    [tool.sagelint.rules]
    max-runtime-seconds = 43200
    ```
    ```json
    {"StoppingCondition": {"MaxRuntimeInSeconds": 86400}}
    ```

    ## How to fix
    Lower `MaxRuntimeInSeconds` to the cap, or exempt the job with the tag
    `sagelint:ignore` = `SM302` and a reason in another tag.
    """
    cap = policy.max_runtime_seconds
    assert cap is not None
    runtime = job.integer("StoppingCondition", "MaxRuntimeInSeconds")
    if (
        runtime is None
        and job.kind == "create"
        and not job.has("StoppingCondition", "MaxRuntimeInSeconds")
    ):
        if cap < DEFAULT_RUNTIME_SECONDS:
            where = "/StoppingCondition" if job.has("StoppingCondition") else ""
            yield Violation(
                where,
                f"no MaxRuntimeInSeconds: the 1-day default ({DEFAULT_RUNTIME_SECONDS:,} s) is "
                f"above the policy cap of {cap:,} s",
            )
    elif runtime is not None and runtime > cap:
        yield Violation(
            "/StoppingCondition/MaxRuntimeInSeconds",
            f"MaxRuntimeInSeconds is {runtime:,} s, above the policy cap of {cap:,} s",
        )
