"""SM402 failed-without-reason: a Failed job whose document gives no FailureReason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sagelint.job import Job
from sagelint.rule_api import Violation, rule

if TYPE_CHECKING:
    pass


@rule(
    code="SM402",
    name="failed-without-reason",
    severity="warning",
    summary="a Failed job whose document gives no FailureReason",
    kinds=("describe",),
    references=(
        "botocore SageMaker service model: DescribeTrainingJobResponse.FailureReason",
        "botocore SageMaker service model: DescribeTrainingJobResponse.SecondaryStatus",
    ),
)
def failed_without_reason(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a job with `TrainingJobStatus: Failed` has a non-blank `FailureReason`.

    ## Why is this bad?
    The model docs of `SecondaryStatus`: "Failed - The training job has failed. The reason for
    the failure is returned in the FailureReason field of DescribeTrainingJobResponse", and of
    `FailureReason`: "If the training job failed, the reason it failed." A failed job's
    document without it was trimmed on the way (a tool that keeps only some fields, an event
    whose consumer dropped it) or edited: it cannot be triaged (client error in the data or the
    script, capacity, an internal error worth a retry?) without describing the job again.

    Severity: a warning. Nothing is rejected or lost by the document itself; the risk is a
    decision (retry, alert, ignore) taken without the one field that says why the job failed.

    ## Example
    ```json
    {"TrainingJobStatus": "Failed", "SecondaryStatus": "Failed"}
    ```

    ## How to fix
    Describe the job again (`aws sagemaker describe-training-job`) and keep the whole response;
    fix whatever pipeline step drops `FailureReason`.
    """
    if job.text("TrainingJobStatus") != "Failed":
        return
    reason = job.get("FailureReason")
    if isinstance(reason, str) and reason.strip():
        return
    if "FailureReason" in job.data:
        state = "empty" if isinstance(reason, str) else "null" if reason is None else "not text"
        yield Violation(
            "/FailureReason",
            f"the job Failed but its FailureReason is {state}: the cause cannot be told from "
            "this document",
        )
    else:
        yield Violation(
            "/TrainingJobStatus",
            "the job Failed but the document has no FailureReason: the cause cannot be told "
            "from this document",
        )
