"""SM404 timestamps-out-of-order: the job's times are out of order."""

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


# A time to compare: where it is in the job (pointer tokens), the value as written, and the time
# it stands for (None: unreadable).
Stamp = tuple[tuple[str | int, ...], "Any", "datetime | None"]


def _label(job: Job, path: tuple[str | int, ...]) -> str:
    """What a message calls the time at ``path``: its member, or which of a transition's."""
    if len(path) == 1:
        return str(path[0])
    _, index, member = path
    status = job.get("SecondaryStatusTransitions", index, "Status")
    which = f"transition {index} ({status})" if isinstance(status, str) else f"transition {index}"
    return f"the {member} of {which}"


def _out_of_order(job: Job, times: Sequence[Stamp]) -> Iterator[Violation]:
    """Violations for a sequence of times that should not decrease: each parsed time is
    compared with the next one it can be compared with (an unparseable time is skipped; a naive
    time is never compared with an aware one), so one time that is off gives one finding, not
    one per time after it."""
    for position, (path, raw, when) in enumerate(times):
        if when is None:
            continue
        for later_path, later_raw, later_when in times[position + 1 :]:
            if later_when is None or not comparable(when, later_when):
                continue
            if later_when < when:
                yield Violation(
                    pointer(*later_path),
                    f"{_label(job, later_path)} {_shown(later_raw)} is "
                    f"{_gap(later_when, when)} before {_label(job, path)} {_shown(raw)}",
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
        ((name,), value, parse_timestamp(value))
        for name in JOB_TIMES
        if (value := job.get(name)) is not None
    ]
    yield from _out_of_order(job, times)
    starts: list[Stamp] = []
    for index, transition in enumerate(job.array("SecondaryStatusTransitions")):
        if not isinstance(transition, Mapping):
            continue
        start, end = transition.get("StartTime"), transition.get("EndTime")
        started = (
            ("SecondaryStatusTransitions", index, "StartTime"),
            start,
            parse_timestamp(start),
        )
        if end is not None:
            ended = (("SecondaryStatusTransitions", index, "EndTime"), end, parse_timestamp(end))
            yield from _out_of_order(job, (started, ended))
        starts.append(started)
    yield from _out_of_order(job, starts)
