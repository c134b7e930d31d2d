"""SM316 long-job-without-retries: a long or large job without a RetryStrategy."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, instance_count
from sagelint.rules._format import DAY, duration

LONG_SECONDS = DAY
LARGE_INSTANCES = 8
DEFAULT_RUNTIME_SECONDS = (
    DAY  # the model docs of MaxRuntimeInSeconds: "The default value is 1 day."
)


@rule(
    code="SM316",
    name="long-job-without-retries",
    severity="info",
    summary="a long (a day or more) or large (8 instances or more) job without a RetryStrategy",
    references=(f"{MODEL_DOCS}: RetryStrategy", f"{MODEL_DOCS}: StoppingCondition"),
)
def long_job_without_retries(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports a job without `RetryStrategy` whose `StoppingCondition.MaxRuntimeInSeconds` is a day
    or more (a request without one gets the 1-day default), or that runs on 8 instances or more
    (summed over its instance groups). The thresholds are sagelint's: AWS gives none.

    ## Why is this bad?
    The model docs of `RetryStrategy`: "The retry strategy to use when a training job fails due
    to an InternalServerError", and of `MaximumRetryAttempts`: "The number of times to retry the
    job. When the job is retried, it's SecondaryStatus is changed to STARTING." Without it, a
    failure of the service's own (a host or network fault) ends the job: a day-long or
    many-instance job is the likeliest to meet one, and the costliest to start again by hand.
    The retries share the limits: "When RetryStrategy is specified in the job request,
    MaxRuntimeInSeconds specifies the maximum time for all of the attempts in total, not each
    individual attempt." Errors of the algorithm or of the request are not retried.

    ## Example
    ```json
    {"StoppingCondition": {"MaxRuntimeInSeconds": 172800}, "RetryStrategy": null}
    ```

    ## How to fix
    ```json
    {"StoppingCondition": {"MaxRuntimeInSeconds": 172800},
     "RetryStrategy": {"MaximumRetryAttempts": 2}}
    ```
    with checkpoints (`CheckpointConfig`), so that a retry resumes rather than starts over.
    """
    if job.has("RetryStrategy") or job.unknown("StoppingCondition", "MaxRuntimeInSeconds"):
        return
    runtime = job.integer("StoppingCondition", "MaxRuntimeInSeconds")
    default = runtime is None and not job.has("StoppingCondition", "MaxRuntimeInSeconds")
    if default:
        runtime = DEFAULT_RUNTIME_SECONDS
    count = instance_count(job)
    long = runtime is not None and runtime >= LONG_SECONDS
    large = count is not None and count >= LARGE_INSTANCES
    if not (long or large):
        return
    what = " and ".join(
        part
        for part, applies in (
            (f"may run {'the default ' if default else ''}{duration(runtime or 0)}", long),
            (f"runs on {count} instances", large),
        )
        if applies
    )
    yield Violation(
        "",
        f"the job {what} without a RetryStrategy: a failure of the service's own "
        "(InternalServerError) ends it, with nothing retried",
    )
