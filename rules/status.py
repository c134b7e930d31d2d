"""SM4xx: status and lifecycle of a job that exists (DescribeTrainingJob responses only)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._timestamps import comparable, parse_timestamp

if TYPE_CHECKING:
    from typing import Any

# Secondary statuses the model still lists but documents as no longer supported.
RETIRED_SECONDARY = frozenset(
    {"LaunchingMLInstances", "PreparingTrainingStack", "DownloadingTrainingImage"}
)
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


# The order SageMaker writes a job's times in: each at or after the one before it.
JOB_TIMES = ("CreationTime", "TrainingStartTime", "TrainingEndTime", "LastModifiedTime")


def _shown(value: Any) -> str:
    """A time as the document wrote it (a datetime object, as boto3 gives it, in ISO-8601)."""
    if isinstance(value, datetime):
        return value.isoformat()
    return json.dumps(value)


def _gap(later: datetime, earlier: datetime) -> str:
    seconds = (earlier - later).total_seconds()
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.3g} min"
    if seconds < 2 * 86_400:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / 86_400:.3g} days"


def _out_of_order(
    times: Sequence[tuple[str, str, Any, datetime | None]],
) -> Iterator[Violation]:
    """Violations for a sequence of (pointer, label, raw value, parsed time) that should not
    decrease: each parsed time is compared with the next one it can be compared with (an
    unparseable time is skipped; a naive time is never compared with an aware one), so one time
    that is off gives one finding, not one per time after it."""
    for position, (_, label, raw, when) in enumerate(times):
        if when is None:
            continue
        for later_pointer, later_label, later_raw, later_when in times[position + 1 :]:
            if later_when is None or not comparable(when, later_when):
                continue
            if later_when < when:
                yield Violation(
                    later_pointer,
                    f"{later_label} {_shown(later_raw)} is {_gap(later_when, when)} before "
                    f"{label} {_shown(raw)}",
                )
            break


@rule(
    code="SM404",
    name="timestamps-out-of-order",
    severity="warning",
    summary="the job's times are out of order",
    kinds=("describe",),
    references=(
        "botocore SageMaker service model: DescribeTrainingJobResponse.TrainingStartTime",
        "botocore SageMaker service model: DescribeTrainingJobResponse.TrainingEndTime",
        "botocore SageMaker service model: DescribeTrainingJobResponse.LastModifiedTime",
        "botocore SageMaker service model: SecondaryStatusTransition.StartTime",
        "botocore SageMaker service model: SecondaryStatusTransition.EndTime",
    ),
)
def timestamps_out_of_order(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that the job's times are in the order SageMaker writes them:

    - `CreationTime` <= `TrainingStartTime` <= `TrainingEndTime` <= `LastModifiedTime`, those
      present (a job still starting has no `TrainingStartTime`, a running one no
      `TrainingEndTime`);
    - in each entry of `SecondaryStatusTransitions`, `StartTime` <= `EndTime` (the current step
      has no `EndTime` yet: nothing to compare);
    - the transitions' `StartTime`s do not go back in time from one entry to the next.

    Equal times are in order: real responses have a `LastModifiedTime` equal to the
    `TrainingEndTime`, and a final `Completed` transition that starts and ends at the same
    instant. Times are read in every form AWS tools write them (ISO-8601 with an offset, with
    `Z`, or without a zone; epoch seconds; epoch milliseconds as a number or as a string of
    digits, as EventBridge events have them). A time without a zone is compared only with other
    times without a zone (they are taken to be in the same zone), never with one that has a
    zone; a time that cannot be read is skipped.

    ## Why is this bad?
    The model docs define the order: `CreationTime` is when "the training job was created",
    `TrainingStartTime` "when the training job starts on training instances",
    `TrainingEndTime` "when the training job ends on training instances",
    `LastModifiedTime` "when the status of the training job was last modified" (the end of
    training is such a change); a transition's `StartTime` is when the job "transitioned to the
    current secondary status state" and its `EndTime` when it "transitioned out of this
    secondary status state into another", the list being "a history of all of the secondary
    statuses that the training job has transitioned through". SageMaker does not write times
    out of this order: such a document was edited, assembled from several sources, or had its
    times converted with the wrong zone, and what is computed from it (the billed interval
    `TrainingEndTime - TrainingStartTime`, how long each step took) is wrong.

    Severity: a warning. Nothing is rejected or lost by the document itself; the risk is in the
    conclusions drawn from it.

    ## Example
    ```json
    {"CreationTime": "2026-11-01T10:00:00Z",
     "TrainingStartTime": "2026-11-01T10:02:10Z",
     "TrainingEndTime": "2026-11-01T09:02:10Z"}
    ```

    ## How to fix
    Describe the job again and keep the response as it is; when converting times, keep their
    offset (`datetime.isoformat()` of an aware datetime) or convert all of them to UTC.
    """
    times = [
        (pointer(name), name, job.get(name), parse_timestamp(job.get(name))) for name in JOB_TIMES
    ]
    yield from _out_of_order(times)
    starts: list[tuple[str, str, Any, datetime | None]] = []
    for index, transition in enumerate(job.array("SecondaryStatusTransitions")):
        if not isinstance(transition, Mapping):
            continue
        status = transition.get("Status")
        label = (
            f"transition {index} ({status})" if isinstance(status, str) else f"transition {index}"
        )
        start, end = transition.get("StartTime"), transition.get("EndTime")
        start_pointer = pointer("SecondaryStatusTransitions", index, "StartTime")
        end_pointer = pointer("SecondaryStatusTransitions", index, "EndTime")
        yield from _out_of_order(
            [
                (start_pointer, f"the StartTime of {label}", start, parse_timestamp(start)),
                (end_pointer, f"the EndTime of {label}", end, parse_timestamp(end)),
            ]
        )
        starts.append((start_pointer, f"the StartTime of {label}", start, parse_timestamp(start)))
    yield from _out_of_order(starts)
