"""What ``sagelint audit`` is asked to do: :class:`AuditOptions`, ``--since`` parsed by
:func:`parse_since`, and :class:`AuditError` when the audit cannot start."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sagelint.aws.connect import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT
from sagelint.aws.s3 import DEFAULT_S3_MAX_OBJECTS

_SINCE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class AuditError(Exception):
    """The audit cannot start (no region, an unknown profile, an unusable cache file)."""


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``7d``, ``12h``, ``30m``, ``2w``, ``90s`` ago, or a date or time (ISO-8601; UTC when no
    offset is given)."""
    now = now or datetime.now(UTC)
    match = _SINCE.match(text)
    if match:
        return now - timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a duration (7d, 12h, 30m, 2w) nor a date (2026-01-31, "
            "2026-01-31T12:00:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class AuditOptions:
    """What to audit and how (the ``sagelint audit`` options)."""

    regions: tuple[str, ...] = ()
    all_regions: bool = False
    role_arns: tuple[str, ...] = ()
    organization: bool = False  # every active account of the organization, through role_name
    role_name: str | None = None
    external_id: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    since: datetime | None = None
    status: str | None = None
    name_contains: str | None = None
    max_jobs: int | None = None
    save: Path | None = None
    cache: Path | None = None
    tags: bool = True
    s3: bool = True
    s3_max_objects: int = DEFAULT_S3_MAX_OBJECTS
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = DEFAULT_TIMEOUT
    progress: bool | None = None  # None: when standard error is a terminal
    security_hub: bool = False  # import the findings into Security Hub, archive the stale ones

    def filters(self) -> dict[str, Any]:
        """The ListTrainingJobs parameters these options stand for."""
        found: dict[str, Any] = {}
        if self.since is not None:
            found["LastModifiedTimeAfter"] = self.since
        if self.status:
            found["StatusEquals"] = self.status
        if self.name_contains:
            found["NameContains"] = self.name_contains
        return found

    def search_filters(self) -> list[dict[str, str]]:
        """The same, as Search filters. Search compares timestamps to the second: ``since``
        is given rounded down (a record Search gives beyond the listing is never asked for)."""
        found: list[dict[str, str]] = []
        if self.since is not None:
            second = self.since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
            found.append(
                {"Name": "LastModifiedTime", "Operator": "GreaterThanOrEqualTo", "Value": second}
            )
        if self.status:
            found.append({"Name": "TrainingJobStatus", "Operator": "Equals", "Value": self.status})
        if self.name_contains:
            found.append(
                {"Name": "TrainingJobName", "Operator": "Contains", "Value": self.name_contains}
            )
        return found
