"""``sagelint audit --cache FILE``: the SQLite file (stdlib) that remembers each job's findings,
so that a later audit with the same options describes only the jobs that changed since."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sagelint.aws.connect import sagelint_version
from sagelint.aws.options import AuditError, AuditOptions
from sagelint.findings import Finding

if TYPE_CHECKING:
    from sagelint.engine import Linter


@dataclass
class CachedJob:
    """A job the cache knew unchanged: its findings of the last audit, not described again."""

    arn: str
    name: str
    findings: list[Finding]
    suppressed: Counter[str]


class AuditCache:
    """``--cache FILE``: SQLite (stdlib), a row per job: its ARN, its LastModifiedTime, the
    fingerprint of the options it was checked with, and its findings. A job listed with the same
    LastModifiedTime and options is not described again. Tags are not part of LastModifiedTime:
    a tag added since is seen only once the job changes (or without the cache)."""

    def __init__(self, path: Path, options_key: str) -> None:
        self.path = path
        self.options_key = options_key
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pending = 0
        self._committed = time.monotonic()
        try:
            connection = self._connection()
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS jobs (arn TEXT PRIMARY KEY, last_modified TEXT NOT "
                "NULL, options TEXT NOT NULL, findings TEXT NOT NULL, suppressed TEXT NOT NULL, "
                "checked_at TEXT NOT NULL)"
            )
            connection.commit()
        except sqlite3.Error as error:
            raise AuditError(f"--cache {path}: not a usable SQLite file ({error})") from None

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    def lookup(self, arn: str, last_modified: str) -> tuple[list[Finding], Counter[str]] | None:
        row = (
            self._connection()
            .execute(
                "SELECT findings, suppressed FROM jobs WHERE arn = ? AND last_modified = ? "
                "AND options = ?",
                (arn, last_modified, self.options_key),
            )
            .fetchone()
        )
        if row is None:
            return None
        findings = [Finding(**item) for item in json.loads(row[0])]
        return findings, Counter(json.loads(row[1]))

    def store(
        self, arn: str, last_modified: str, findings: list[Finding], suppressed: Counter[str]
    ) -> None:
        connection = self._connection()
        connection.execute(
            "INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?, ?, ?)",
            (
                arn,
                last_modified,
                self.options_key,
                json.dumps([f.to_dict() for f in findings]),
                json.dumps(dict(suppressed)),
                datetime.now(UTC).isoformat(),
            ),
        )
        self._pending += 1
        if self._pending >= 500 or time.monotonic() - self._committed > 2:
            self.commit()

    def commit(self) -> None:
        self._connection().commit()
        self._pending = 0
        self._committed = time.monotonic()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.commit()
        with self._lock:
            for connection in self._all:
                with contextlib.suppress(sqlite3.Error):
                    connection.close()
            self._all.clear()


def options_key(linter: Linter, options: AuditOptions) -> str:
    """A fingerprint of what decides a job's findings: the version, the engine's options (rules,
    severities, policy, baseline; not the folder it runs in) and whether tags and S3 are read."""
    engine = linter.options._asdict()
    engine.pop("root", None)
    text = repr((sagelint_version(), sorted(engine.items()), options.tags, options.s3))
    text += repr(options.s3_max_objects)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
