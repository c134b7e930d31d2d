"""SM401-SM404 (status and lifecycle of a job that exists), and the timestamp reader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sagelint import lint_job
from sagelint.findings import Finding
from sagelint.rules._timestamps import parse_timestamp

from tests.conftest import REAL, line_of, lint_paths, real_documents
from tests.jobs import clean_describe, clean_request

Lint = Callable[..., list[Finding]]
MINE = ["SM401", "SM402", "SM403", "SM404"]


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_clean_documents_pass(lint_doc: Lint, make: Callable[[], dict[str, Any]]) -> None:
    assert lint_doc(make(), select=MINE) == []


# --- SM401 status-contradiction ----------------------------------------------------------------


def statuses(primary: str, secondary: str) -> dict[str, Any]:
    job = clean_describe()
    job.update(TrainingJobStatus=primary, SecondaryStatus=secondary)
    return job


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [
        ("Completed", "Training"),
        ("Failed", "Completed"),
        ("Stopped", "Uploading"),
        ("InProgress", "Completed"),
        ("Stopping", "MaxRuntimeExceeded"),
    ],
)
def test_sm401_fires_on_a_pair_sagemaker_never_reports(
    lint_doc: Lint, primary: str, secondary: str
) -> None:
    [finding] = lint_doc(statuses(primary, secondary), select=["SM401"])
    assert (finding.rule, finding.severity, finding.pointer) == (
        "SM401",
        "error",
        "/SecondaryStatus",
    )
    assert finding.line == line_of(finding, '"SecondaryStatus"')
    assert finding.message.startswith(
        f"SecondaryStatus {secondary!r} contradicts TrainingJobStatus {primary!r} (documented: "
    )


def test_sm401_names_the_documented_values() -> None:
    [finding] = [f for f in lint_job(statuses("Stopped", "Training")) if f.rule == "SM401"]
    assert finding.message == (
        "SecondaryStatus 'Training' contradicts TrainingJobStatus 'Stopped' "
        "(documented: MaxRuntimeExceeded, MaxWaitTimeExceeded, Stopped)"
    )


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [
        ("Completed", "Completed"),
        ("Failed", "Failed"),
        ("Stopped", "MaxWaitTimeExceeded"),
        ("InProgress", "Downloading"),
        ("Stopping", "Stopping"),
        ("Stopping", "Starting"),  # what AWS returns for a job stopped while starting
        ("InProgress", "DownloadingTrainingImage"),  # retired: SM403's
        ("Deleting", "Training"),  # a primary status the mapping does not know
        ("Completed", "Hibernating"),  # a secondary status nobody knows: SM012's
    ],
)
def test_sm401_near_misses(lint_doc: Lint, primary: str, secondary: str) -> None:
    assert lint_doc(statuses(primary, secondary), select=["SM401"]) == []


def test_sm401_silent_on_real_documents() -> None:
    assert lint_paths(REAL, select=["SM401"]) == []


# --- SM402 failed-without-reason ---------------------------------------------------------------


def failed() -> dict[str, Any]:
    job = clean_describe()
    job.update(TrainingJobStatus="Failed", SecondaryStatus="Failed")
    del job["ModelArtifacts"]
    return job


def test_sm402_fires_on_failed_without_failure_reason(lint_doc: Lint) -> None:
    [finding] = lint_doc(failed(), select=["SM402"])
    assert (finding.rule, finding.severity) == ("SM402", "warning")
    assert finding.pointer == "/TrainingJobStatus"
    assert finding.line == line_of(finding, '"TrainingJobStatus"')
    assert "no FailureReason" in finding.message


@pytest.mark.parametrize(("reason", "state"), [("", "empty"), ("   ", "empty"), (None, "null")])
def test_sm402_points_at_a_blank_failure_reason(lint_doc: Lint, reason: Any, state: str) -> None:
    job = failed()
    job["FailureReason"] = reason  # an SDK dump writes null for unset fields
    [finding] = lint_doc(job, select=["SM402"])
    assert finding.pointer == "/FailureReason"
    assert finding.line == line_of(finding, '"FailureReason"')
    assert f"FailureReason is {state}" in finding.message


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("Failed", "AlgorithmError: out of memory"),  # a reason: fine
        ("Stopped", None),  # only Failed promises a reason
        ("Completed", None),
        ("InProgress", None),
    ],
)
def test_sm402_near_misses(lint_doc: Lint, status: str, reason: str | None) -> None:
    job = clean_describe()
    job.update(TrainingJobStatus=status, SecondaryStatus=status)
    if reason is not None:
        job["FailureReason"] = reason
    assert lint_doc(job, select=["SM402"]) == []


def test_sm402_silent_on_the_real_failed_job() -> None:
    # Cloud Custodian's recording of a real Failed job carries its (long) FailureReason.
    path = REAL / "c7n-placebo-test_sagemaker_training_job_query-describe.json"
    assert lint_paths(path, select=["SM402"]) == []


# --- SM403 retired-secondary-status ------------------------------------------------------------


def test_sm403_fires_on_secondary_status_and_on_each_transition(lint_doc: Lint) -> None:
    job = clean_describe()
    job.update(TrainingJobStatus="InProgress", SecondaryStatus="DownloadingTrainingImage")
    job["SecondaryStatusTransitions"] = [
        {"Status": "Starting", "StartTime": 1_500_000_000, "EndTime": 1_500_000_060},
        {"Status": "LaunchingMLInstances", "StartTime": 1_500_000_060, "EndTime": 1_500_000_120},
        {"Status": "PreparingTrainingStack", "StartTime": 1_500_000_120, "EndTime": 1_500_000_180},
        {"Status": "DownloadingTrainingImage", "StartTime": 1_500_000_180},
    ]
    findings = lint_doc(job, select=["SM403"])
    assert [(f.rule, f.severity, f.pointer) for f in findings] == [
        ("SM403", "info", "/SecondaryStatus"),
        ("SM403", "info", "/SecondaryStatusTransitions/1/Status"),
        ("SM403", "info", "/SecondaryStatusTransitions/2/Status"),
        ("SM403", "info", "/SecondaryStatusTransitions/3/Status"),
    ]
    assert findings[0].line == line_of(findings[0], '"SecondaryStatus"')
    assert findings[1].line == line_of(findings[1], '"LaunchingMLInstances"')
    assert findings[3].line == line_of(findings[3], '"DownloadingTrainingImage"', nth=1)
    assert "'DownloadingTrainingImage' is no longer reported" in findings[0].message


@pytest.mark.parametrize(
    "status",
    [
        "Downloading",  # the current status whose name the retired one starts with
        "Starting",
        "PreparingTraining",  # how the docs spell it, not an enum value: SM012's, not ours
        "downloadingtrainingimage",  # not the enum value (case): SM012's
    ],
)
def test_sm403_near_misses(lint_doc: Lint, status: str) -> None:
    job = clean_describe()
    job.update(TrainingJobStatus="InProgress", SecondaryStatus=status)
    job["SecondaryStatusTransitions"] = [{"Status": status, "StartTime": 1_500_000_000}]
    assert lint_doc(job, select=["SM403"]) == []


@pytest.mark.parametrize("path", list(real_documents()), ids=lambda p: p.name)
def test_sm403_silent_on_real_documents(path: Path) -> None:
    # Even the 2018 recordings (Cloud Custodian) report current statuses only.
    assert lint_paths(path, select=["SM403"]) == []


# --- SM404 timestamps-out-of-order -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "pointer", "words"),
    [
        (
            {"TrainingStartTime": "2026-11-01T09:59:00Z"},
            "/TrainingStartTime",
            'TrainingStartTime "2026-11-01T09:59:00Z" is 60.5 s before CreationTime',
        ),
        (
            {"TrainingEndTime": "2026-11-01 10:01:00+00:00"},  # a space instead of the T
            "/TrainingEndTime",
            "is 70.1 s before TrainingStartTime",
        ),
        (
            {"LastModifiedTime": 1793520000},  # epoch seconds: 2026-11-01T08:00:00Z
            "/LastModifiedTime",
            "LastModifiedTime 1793520000 is 3.04 h before TrainingEndTime",
        ),
        (
            {"TrainingStartTime": "1793520000000"},  # EventBridge: ms as digits, 08:00:00Z
            "/TrainingStartTime",
            "is 2 h before CreationTime",
        ),
    ],
)
def test_sm404_fires_on_job_times_out_of_order(
    lint_doc: Lint, changes: dict[str, Any], pointer: str, words: str
) -> None:
    job = clean_describe()
    job.update(changes)
    [finding] = lint_doc(job, select=["SM404"])
    assert (finding.rule, finding.severity, finding.pointer) == ("SM404", "warning", pointer)
    assert finding.line == line_of(finding, f'"{pointer[1:]}"')
    assert words in finding.message


def test_sm404_fires_on_a_transition_ending_before_it_starts(lint_doc: Lint) -> None:
    job = clean_describe()
    job["SecondaryStatusTransitions"][1]["EndTime"] = "2026-11-01T10:02:00.000000+00:00"
    [finding] = lint_doc(job, select=["SM404"])
    assert finding.pointer == "/SecondaryStatusTransitions/1/EndTime"
    assert finding.line == line_of(finding, '"2026-11-01T10:02:00.000000+00:00"')
    assert "the EndTime of transition 1 (Downloading)" in finding.message
    assert "before the StartTime of transition 1 (Downloading)" in finding.message


def test_sm404_fires_on_transitions_going_back_in_time(lint_doc: Lint) -> None:
    job = clean_describe()
    transitions = job["SecondaryStatusTransitions"]
    transitions[1], transitions[2] = transitions[2], transitions[1]  # Training before Downloading
    [finding] = lint_doc(job, select=["SM404"])
    assert finding.pointer == "/SecondaryStatusTransitions/2/StartTime"
    assert "the StartTime of transition 2 (Downloading)" in finding.message


def test_sm404_one_wrong_time_is_one_finding(lint_doc: Lint) -> None:
    job = clean_describe()
    job["CreationTime"] = "2026-11-02T00:00:00Z"  # after every other time of the job
    findings = lint_doc(job, select=["SM404"])
    assert [f.pointer for f in findings] == ["/TrainingStartTime"]


@pytest.mark.parametrize(
    "changes",
    [
        # equal times are in order (real: LastModifiedTime == TrainingEndTime)
        {"LastModifiedTime": "2026-11-01T11:02:10.101000+00:00"},
        # in order in absolute time, though the text sorts the other way: offsets count
        {"CreationTime": "2026-11-01T11:00:00+02:00"},  # 09:00Z
        # naive and aware are never compared: 12:00 in an unknown zone may be before 10:02Z
        {"CreationTime": "2026-11-01T12:00:00"},
        # epoch seconds and epoch milliseconds side by side, in order
        {"CreationTime": 1793527200, "TrainingStartTime": "1793527200050"},
        # a time that cannot be read is skipped, not guessed
        {"TrainingStartTime": "yesterday", "CreationTime": "2026-11-01"},
        # a job still starting: no TrainingStartTime / TrainingEndTime
        {"TrainingStartTime": None, "TrainingEndTime": None},
    ],
)
def test_sm404_near_misses(lint_doc: Lint, changes: dict[str, Any]) -> None:
    job = clean_describe()
    job.update(changes)
    assert lint_doc(job, select=["SM404"]) == []


def test_sm404_compares_naive_times_with_each_other(lint_doc: Lint) -> None:
    # all naive: one unknown zone, so they are compared (and this pair is out of order)
    job = clean_describe()
    names = ("CreationTime", "TrainingStartTime", "TrainingEndTime", "LastModifiedTime")
    for name, value in zip(names, ("10:00", "10:02", "09:00", "11:03"), strict=True):
        job[name] = f"2018-01-12T{value}:00.406000"
    job["SecondaryStatusTransitions"] = []
    [finding] = lint_doc(job, select=["SM404"])
    assert finding.pointer == "/TrainingEndTime"


def test_sm404_current_step_without_end_time(lint_doc: Lint) -> None:
    job = clean_describe()
    job.update(TrainingJobStatus="InProgress", SecondaryStatus="Training")
    job["SecondaryStatusTransitions"][2]["EndTime"] = None
    del job["SecondaryStatusTransitions"][3:]
    assert lint_doc(job, select=["SM404"]) == []


@pytest.mark.parametrize("path", list(real_documents()), ids=lambda p: p.name)
def test_sm404_silent_on_real_documents(path: Path) -> None:
    # The real documents hold every pattern the rule must accept: ACK's LastModifiedTime equal
    # to TrainingEndTime (and, warm pool, to TrainingStartTime with no TrainingEndTime), open
    # transitions (EndTime null), Custodian's naive times, the bioimage `Z` times, and the
    # EventBridge sample whose four times are one epoch-milliseconds string.
    assert lint_paths(path, select=["SM404"]) == []


# --- parse_timestamp ---------------------------------------------------------------------------

UTC_10 = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
EVENT = datetime(2020, 3, 10, 9, 18, 9, 50_000, tzinfo=UTC)  # 1583831889050 ms


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO-8601, as the CLI, boto3 isoformat(), JavaScript and Go write it
        ("2026-11-01T10:00:00.512000+00:00", UTC_10 + timedelta(microseconds=512_000)),
        ("2021-10-12T05:49:40.493Z", datetime(2021, 10, 12, 5, 49, 40, 493_000, tzinfo=UTC)),
        ("2026-11-01T10:00:00z", UTC_10),
        ("2026-11-01 10:00:00+00:00", UTC_10),
        ("2026-11-01T12:00:00+02:00", UTC_10),
        ("2026-11-01T03:00:00-0700", UTC_10),
        ("2026-11-01T10:00Z", UTC_10),
        ("  2026-11-01T10:00:00Z\n", UTC_10),
        ("2026-11-01T10:00:00.1234567Z", UTC_10 + timedelta(microseconds=123_456)),  # .NET
        ("2026-11-01T10:00:00.123456789Z", UTC_10 + timedelta(microseconds=123_456)),  # ns
        ("2026-11-01 10:00:00.000 +0000 UTC", UTC_10),  # Go's time.Time.String()
        ("2026-11-01 10:00:00 UTC", UTC_10),
        ("Sun, 01 Nov 2026 10:00:00 GMT", UTC_10),  # HTTP date
        # naive: the zone is unknown, kept naive
        ("2018-01-12T13:23:33.406000", datetime(2018, 1, 12, 13, 23, 33, 406_000)),
        ("2018-01-12 13:23:33", datetime(2018, 1, 12, 13, 23, 33)),
        # epoch seconds (wire format) and milliseconds (EventBridge, Java), by magnitude
        (1583831889, datetime(2020, 3, 10, 9, 18, 9, tzinfo=UTC)),
        (1583831889.05, EVENT),
        (1583831889050, EVENT),
        ("1583831889050", EVENT),
        ("1583831889", datetime(2020, 3, 10, 9, 18, 9, tzinfo=UTC)),
        (0, datetime(1970, 1, 1, tzinfo=UTC)),
        (99_999_999_999, datetime(5138, 11, 16, 9, 46, 39, tzinfo=UTC)),  # last seconds value
        (100_000_000_000, datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)),  # first ms value
        # datetime objects, as boto3 returns them in memory
        (UTC_10, UTC_10),
        (datetime(2018, 1, 12, 13, 23), datetime(2018, 1, 12, 13, 23)),
        # not a time of a training job: None, never an exception
        ("2026-11-01", None),  # a date has no time
        (datetime(2026, 11, 1).date(), None),
        ("2026-13-01T00:00:00Z", None),
        ("2026-02-30T00:00:00Z", None),
        ("2026-11-01T24:00:00Z", None),
        ("2026-11-01T10:00:00+24:00", None),
        ("2026-11-01x10:00:00", None),  # fromisoformat takes any separator; we do not
        ("2026-W44-1T10:00:00", None),
        ("20261101T100000Z", None),
        ("Timestamp", None),  # the EventBridge sample's placeholders look like this
        ("", None),
        ("-1583831889", None),
        (-1, None),
        (float("nan"), None),
        (float("inf"), None),
        (10**30, None),  # beyond the year 9999
        ("9" * 20, None),
        (True, None),
        (None, None),
        ([2026, 11, 1], None),
        ({"__class__": "datetime", "year": 2018}, None),
    ],
)
def test_parse_timestamp(value: object, expected: datetime | None) -> None:
    assert parse_timestamp(value) == expected
    parsed = parse_timestamp(value)
    if expected is not None and parsed is not None:
        assert (parsed.utcoffset() is None) == (expected.utcoffset() is None)


def test_parse_timestamp_keeps_the_offset() -> None:
    parsed = parse_timestamp("2025-06-03T14:05:09.120000-07:00")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=-7)
    assert parsed.tzinfo == timezone(timedelta(hours=-7))
