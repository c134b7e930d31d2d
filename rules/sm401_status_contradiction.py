"""SM401 status-contradiction: TrainingJobStatus and SecondaryStatus contradict each other."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from sagelint.job import Job
from sagelint.rule_api import Violation, rule

if TYPE_CHECKING:
    pass
from sagelint.rules._facts import RETIRED_SECONDARY

IN_PROGRESS_SECONDARY = frozenset(
    {
        "Starting",
        "Pending",
        "Downloading",
        "Training",
        "Interrupted",
        "Uploading",
        "Updating",
        "Restarting",
    }
)


# The documented mapping of TrainingJobStatus to SecondaryStatus (model docs of
# DescribeTrainingJobResponse.SecondaryStatus; Updating and Restarting are in-progress values the
# enumeration added later). One observed deviation: a job being stopped reports Stopping while its
# secondary status still shows the step it was in (recorded by Cloud Custodian's placebo test and
# by the ACK controller's test data: Stopping with Starting), so Stopping allows every in-progress
# value. Deleting is a newer primary status with no documented secondary values: not checked.
SECONDARY_BY_PRIMARY: Mapping[str, frozenset[str]] = {
    "InProgress": IN_PROGRESS_SECONDARY | RETIRED_SECONDARY,
    "Completed": frozenset({"Completed"}),
    "Failed": frozenset({"Failed"}),
    "Stopped": frozenset({"MaxRuntimeExceeded", "MaxWaitTimeExceeded", "Stopped"}),
    "Stopping": IN_PROGRESS_SECONDARY | RETIRED_SECONDARY | {"Stopping"},
}


KNOWN_SECONDARY: frozenset[str] = frozenset().union(*SECONDARY_BY_PRIMARY.values())


@rule(
    code="SM401",
    name="status-contradiction",
    severity="error",
    summary="TrainingJobStatus and SecondaryStatus contradict each other",
    kinds=("describe",),
    references=(
        "botocore SageMaker service model: DescribeTrainingJobResponse.SecondaryStatus",
        "cloud-custodian/cloud-custodian, tests/data/placebo/test_sagemaker_training_job_stop/"
        "api.sagemaker.DescribeTrainingJob_2.json: a recorded response of a job stopped while "
        "starting, Stopping with secondary Starting",
    ),
)
def status_contradiction(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `SecondaryStatus` is one that the documented mapping allows for
    `TrainingJobStatus`:

    - `InProgress`: Starting, Pending, Downloading, Training, Interrupted, Uploading, Updating,
      Restarting;
    - `Completed`: Completed;
    - `Failed`: Failed;
    - `Stopped`: MaxRuntimeExceeded, MaxWaitTimeExceeded, Stopped;
    - `Stopping`: Stopping, or the in-progress step the job was in when the stop was asked for.

    The last row follows what AWS really returns: a job stopped while starting is recorded as
    `Stopping` with secondary `Starting`. Values either side that the mapping does not know
    (such as the newer primary status `Deleting`) are left alone; SM010/SM012 report unknown
    values, SM403 retired ones.

    ## Why is this bad?
    SageMaker never reports such a pair: the document was edited by hand, assembled from two
    different describe calls, or corrupted, and any decision based on it (was the model
    produced?) is unreliable.

    ## Example
    ```json
    {"TrainingJobStatus": "Completed", "SecondaryStatus": "Training"}
    ```

    ## How to fix
    Describe the job again (`aws sagemaker describe-training-job`) and save the whole response.
    """
    primary = job.text("TrainingJobStatus")
    secondary = job.text("SecondaryStatus")
    if primary is None or secondary is None or primary not in SECONDARY_BY_PRIMARY:
        return
    allowed = SECONDARY_BY_PRIMARY[primary]
    if secondary in KNOWN_SECONDARY and secondary not in allowed:
        documented = ", ".join(sorted(allowed - RETIRED_SECONDARY))
        yield Violation(
            "/SecondaryStatus",
            f"SecondaryStatus {secondary!r} contradicts TrainingJobStatus {primary!r} "
            f"(documented: {documented})",
        )
