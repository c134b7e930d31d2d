"""SM403 retired-secondary-status: a secondary status that SageMaker no longer reports."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule

if TYPE_CHECKING:
    pass
from sagelint.rules._facts import RETIRED_SECONDARY


@rule(
    code="SM403",
    name="retired-secondary-status",
    severity="info",
    summary="a secondary status that SageMaker no longer reports",
    kinds=("describe",),
    references=(
        "botocore SageMaker service model: DescribeTrainingJobResponse.SecondaryStatus",
        "botocore SageMaker service model: SecondaryStatusTransition.Status",
    ),
)
def retired_secondary_status(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports `SecondaryStatus`, and each `SecondaryStatusTransitions[].Status`, whose value is
    one of the secondary statuses that SageMaker no longer supports: `LaunchingMLInstances`,
    `PreparingTrainingStack`, `DownloadingTrainingImage`.

    ## Why is this bad?
    The model docs of `SecondaryStatusTransition.Status`: "We no longer support the following
    secondary statuses: LaunchingMLInstances, PreparingTrainingStack,
    DownloadingTrainingImage" (the values are still in the enumeration, so the schema accepts
    them). A document that has them comes from a job of the early days of SageMaker, or from a
    tool or a test fixture that still makes them up. What such a job went through does not map
    onto today's statuses (`Starting` now covers launching the instances and preparing the
    stack; the image download is reported inside `Training`), and automation written against
    these values waits for statuses that current jobs never report.

    Severity: info, an observation about the document; nothing is wrong with a job that is
    running today.

    ## Example
    ```json
    {"TrainingJobStatus": "InProgress", "SecondaryStatus": "DownloadingTrainingImage"}
    ```

    ## How to fix
    Nothing to fix in the job. Update code that waits for these values to use `Starting` and
    `Training`, and refresh test fixtures from a current DescribeTrainingJob response.
    """
    secondary = job.text("SecondaryStatus")
    if secondary in RETIRED_SECONDARY:
        yield Violation(
            "/SecondaryStatus",
            f"SecondaryStatus {secondary!r} is no longer reported by SageMaker",
        )
    for index, transition in enumerate(job.array("SecondaryStatusTransitions")):
        status = transition.get("Status") if isinstance(transition, Mapping) else None
        if isinstance(status, str) and status in RETIRED_SECONDARY:
            yield Violation(
                pointer("SecondaryStatusTransitions", index, "Status"),
                f"secondary status transition {index} is {status!r}, a status SageMaker no "
                "longer reports",
            )
