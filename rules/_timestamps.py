"""Timestamps as job documents write them, read into :class:`datetime` for comparisons.

The service model types every time of a training job as ``timestamp``; what a document holds
depends on who wrote it:

- ISO-8601 with an offset (``2026-11-01T10:00:00.512000+00:00``: boto3 dumped with ``isoformat``,
  AWS CLI v2), with ``Z`` (``2021-10-12T05:49:40.493Z``: JavaScript, Go SDK JSON), with a space
  instead of the ``T`` (``str(datetime)``), with 7 to 9 fraction digits (.NET, Java ``Instant``);
- ISO-8601 without an offset (a boto3 ``repr`` or a placebo recording converted to text: the
  zone is lost). These are returned *naive*;
- Go's ``time.Time.String()`` (``2021-10-12 05:49:40.493 +0000 UTC``);
- an HTTP date (``Wed, 24 Feb 2021 21:58:53 GMT``: the ``rfc822`` timestamp format of botocore);
- epoch seconds as a JSON number, possibly with a fraction (the SageMaker wire format, what the
  CLI prints with ``cli_timestamp_format = wire``), and epoch *milliseconds* as a number or a
  string of digits (Java SDK v1 JSON, and the EventBridge "SageMaker Training Job State Change"
  event: ``"CreationTime": "1583831889050"``);
- a :class:`datetime` object, when a boto3 response is linted in memory.

Seconds or milliseconds is decided by magnitude: an epoch value of 10**11 or more is
milliseconds. 10**11 seconds is the year 5138, and 10**11 milliseconds is March 1973, years
before SageMaker existed (2017), so no real training-job time is ambiguous. Negative epoch
values (before 1970) and values beyond the year 9999 are not times of a training job: None.

Comparing times: a naive value has an unknown zone. All naive values of one document are taken
to be in the same zone (one tool wrote them all), so they compare with each other; a naive value
never compares with an aware one (see :func:`comparable`).
"""

from __future__ import annotations

import functools
import math
import re
from datetime import UTC, date, datetime, timedelta, timezone

from sagelint.job import Job
from sagelint.patterns import Pattern

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECONDS_FROM = 10**11
"""Epoch values at or above this are milliseconds, below it seconds (see the module docs)."""

_ISO = Pattern(
    r"""
    (?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})
    [Tt\x20]
    (?P<hour>\d{2}):(?P<minute>\d{2})
    (?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?
    (?:
        \x20?(?P<zulu>[Zz])
      | \x20?(?P<sign>[+-])(?P<off_h>\d{2})(?::?(?P<off_m>\d{2}))?(?:\x20[A-Za-z]{2,5})?
      | \x20(?P<name>UTC|GMT)
    )?
    """,
    re.VERBOSE | re.ASCII,
)
_HTTP_DATE = Pattern(
    r"[A-Z][a-z]{2},\x20\d{1,2}\x20[A-Z][a-z]{2}\x20\d{4}\x20\d{2}:\d{2}:\d{2}\x20(?:GMT|UTC|[+-]\d{4})",
    re.ASCII,
)
_EPOCH_TEXT = Pattern(r"\d{1,20}(?:\.\d{1,9})?", re.ASCII)


def parse_timestamp(value: object) -> datetime | None:
    """The time ``value`` stands for, aware when the value says its zone, naive when it does not;
    None for anything else (a date without a time, a boolean, garbage). Never raises."""
    try:
        if isinstance(value, str):  # the usual case first
            return _from_text(value.strip())
        if isinstance(value, datetime):
            return value
        if isinstance(value, date | bool):
            return None
        if isinstance(value, int | float):
            return _from_epoch(value)
    except (ValueError, OverflowError, TypeError, IndexError):
        pass
    return None


def comparable(a: datetime, b: datetime) -> bool:
    """Whether ``a`` and ``b`` can be ordered: both aware, or both naive (same unknown zone)."""
    return (a.utcoffset() is None) == (b.utcoffset() is None)


def _from_epoch(value: float) -> datetime | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value < 0:
        return None
    if value >= MILLISECONDS_FROM:
        return EPOCH + timedelta(milliseconds=value)
    return EPOCH + timedelta(seconds=value)


@functools.lru_cache(maxsize=4096)
def _from_text(text: str) -> datetime | None:
    """(Cached: a document repeats its times, in its transitions and its own fields.)"""
    match = _ISO.fullmatch(text)  # the three shapes exclude each other; ISO is the usual one
    if match is None:
        if _EPOCH_TEXT.fullmatch(text):
            return _from_epoch(float(text) if "." in text else int(text))
        if _HTTP_DATE.fullmatch(text):
            from email.utils import parsedate_to_datetime

            return parsedate_to_datetime(text)
        return None
    parts = match.groupdict()
    fraction = (parts["fraction"] or "").ljust(6, "0")[:6]  # nanoseconds: truncated to micro
    zone: timezone | None = None
    if parts["zulu"] or parts["name"]:
        zone = UTC
    elif parts["sign"]:
        offset = timedelta(hours=int(parts["off_h"]), minutes=int(parts["off_m"] or 0))
        zone = timezone(-offset if parts["sign"] == "-" else offset)
    return datetime(
        int(parts["year"]),
        int(parts["month"]),
        int(parts["day"]),
        int(parts["hour"]),
        int(parts["minute"]),
        int(parts["second"] or 0),
        int(fraction),
        tzinfo=zone,
    )


def training_time(job: Job) -> tuple[int, str] | None:
    """(seconds, where they come from) of a job's training: ``TrainingTimeInSeconds``, else
    ``TrainingEndTime - TrainingStartTime`` when both can be read and compared."""
    seconds = job.integer("TrainingTimeInSeconds")
    if seconds is not None:
        return seconds, "TrainingTimeInSeconds"
    start = parse_timestamp(job.get("TrainingStartTime"))
    end = parse_timestamp(job.get("TrainingEndTime"))
    if start is None or end is None or not comparable(start, end) or end < start:
        return None  # an end before the start is SM404's
    return round((end - start).total_seconds()), "TrainingEndTime - TrainingStartTime"


def step_times(job: Job, status: str) -> list[tuple[int, float]]:
    """(index, seconds) of each ``SecondaryStatusTransitions`` entry of ``status`` that has a
    StartTime and an EndTime that can be read and compared (the current step has no EndTime)."""
    found = []
    for index, _ in enumerate(job.array("SecondaryStatusTransitions")):
        if job.text("SecondaryStatusTransitions", index, "Status") != status:
            continue
        start = parse_timestamp(job.get("SecondaryStatusTransitions", index, "StartTime"))
        end = parse_timestamp(job.get("SecondaryStatusTransitions", index, "EndTime"))
        if start is not None and end is not None and comparable(start, end) and end >= start:
            found.append((index, (end - start).total_seconds()))
    return found
