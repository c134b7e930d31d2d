"""``sagelint audit --cache FILE``: the SQLite file (stdlib) that remembers each job's findings,
so that a later audit with the same options describes only the jobs that changed since.

A cache is only a cache: a file that cannot be used, at open or at any point of the run, is
said once (:meth:`AuditCache.take_warning`), set aside when it is damaged, and the audit goes on
without it, its findings and exit code unchanged."""

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
from typing import TYPE_CHECKING, Any

from sagelint.aws.connect import sagelint_version
from sagelint.aws.options import AuditOptions
from sagelint.findings import Finding

if TYPE_CHECKING:
    from sagelint.engine import Linter

# SQLite's result codes for a file that is damaged or is no database (rather than locked,
# read-only or out of space): such a file is set aside.
_DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
_TABLE = "jobs_v2"  # each row with a digest of its content (the table "jobs" had none)


@dataclass
class CachedJob:
    """A job the cache knew unchanged: its findings of the last audit, not described again."""

    arn: str
    name: str
    findings: list[Finding]
    suppressed: Counter[str]


class _Damaged(Exception):
    """A row that does not read back as it was written."""


class AuditCache:
    """``--cache FILE``: SQLite (stdlib), a row per job: its ARN, its LastModifiedTime, the
    fingerprint of the options it was checked with, its findings, and a digest of the row. A job
    listed with the same LastModifiedTime and options is not described again. Tags are not part
    of LastModifiedTime: a tag added since is seen only once the job changes (or without the
    cache).

    One connection, used under a lock by the lister threads (:meth:`lookup`) and the calling
    thread (:meth:`store`). Any SQLite error, or a row whose digest does not match, ends the
    cache's use for the run: :meth:`take_warning` gives the one line that says so, and a damaged
    file is renamed to ``FILE.corrupt`` (a later audit starts a new cache)."""

    def __init__(self, path: Path, options_key: str) -> None:
        self.path = path
        self.options_key = options_key
        self.set_aside: Path | None = None
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._warning: str | None = None
        self._failed = False
        self._pending = 0
        self._committed = time.monotonic()
        with self._lock:
            try:
                self._connection = self._open()
            except sqlite3.Error as error:
                self._fail(error)

    @property
    def usable(self) -> bool:
        return self._connection is not None

    def take_warning(self) -> str | None:
        """The line that says the cache could not be used (once), or None."""
        with self._lock:
            warning, self._warning = self._warning, None
        return warning

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_TABLE} (arn TEXT PRIMARY KEY, last_modified TEXT "
                "NOT NULL, options TEXT NOT NULL, findings TEXT NOT NULL, suppressed TEXT NOT "
                "NULL, checked_at TEXT NOT NULL, digest TEXT NOT NULL)"
            )
            connection.execute("DROP TABLE IF EXISTS jobs")
            connection.commit()
        except BaseException:
            connection.close()
            raise
        return connection

    def lookup(self, arn: str, last_modified: str) -> tuple[list[Finding], Counter[str]] | None:
        """The findings of the job when the cache knows it unchanged; None otherwise (and when
        the cache cannot be used)."""
        with self._lock:
            if self._connection is None:
                return None
            try:
                row = self._connection.execute(
                    f"SELECT findings, suppressed, digest FROM {_TABLE} WHERE arn = ? AND "
                    "last_modified = ? AND options = ?",
                    (arn, last_modified, self.options_key),
                ).fetchone()
                if row is None:
                    return None
                return self._read(arn, last_modified, row)
            except (sqlite3.Error, _Damaged) as error:
                self._fail(error)
                return None

    def _read(self, arn: str, last_modified: str, row: Any) -> tuple[list[Finding], Counter[str]]:
        findings_text, suppressed_text, digest = row
        if not isinstance(findings_text, str) or not isinstance(suppressed_text, str):
            raise _Damaged
        if digest != self._digest(arn, last_modified, findings_text, suppressed_text):
            raise _Damaged
        try:
            findings = [Finding(**item) for item in json.loads(findings_text)]
            suppressed = Counter(json.loads(suppressed_text))
        except (ValueError, TypeError) as error:
            raise _Damaged from error
        return findings, suppressed

    def _digest(self, arn: str, last_modified: str, findings: str, suppressed: str) -> str:
        text = json.dumps([arn, last_modified, self.options_key, findings, suppressed])
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def store(
        self, arn: str, last_modified: str, findings: list[Finding], suppressed: Counter[str]
    ) -> None:
        findings_text = json.dumps([f.to_dict() for f in findings])
        suppressed_text = json.dumps(dict(suppressed))
        digest = self._digest(arn, last_modified, findings_text, suppressed_text)
        with self._lock:
            if self._connection is None:
                return
            try:
                self._connection.execute(
                    f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        arn,
                        last_modified,
                        self.options_key,
                        findings_text,
                        suppressed_text,
                        datetime.now(UTC).isoformat(),
                        digest,
                    ),
                )
                self._pending += 1
                if self._pending >= 500 or time.monotonic() - self._committed > 2:
                    self._commit()
            except sqlite3.Error as error:
                self._fail(error)

    def _commit(self) -> None:
        assert self._connection is not None
        self._connection.commit()
        self._pending = 0
        self._committed = time.monotonic()

    def commit(self) -> None:
        with self._lock:
            if self._connection is None:
                return
            try:
                self._commit()
            except sqlite3.Error as error:
                self._fail(error)

    def close(self) -> None:
        self.commit()
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.close()
                self._connection = None

    def _fail(self, error: BaseException) -> None:
        """Stop using the cache (the lock is held): close it, set a damaged file aside, and
        keep the line that says so."""
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None
        if self._failed:
            return
        self._failed = True
        damaged = isinstance(error, _Damaged) or (
            getattr(error, "sqlite_errorname", None) in _DAMAGED
        )
        if isinstance(error, _Damaged):
            why = "a row does not read back as it was written"
        else:
            why = " ".join(str(error).split())[:200] or type(error).__name__
        what = "is damaged" if damaged else "cannot be used"
        then = "the audit goes on without a cache"
        if damaged:
            aside = self._set_aside()
            if aside is not None:
                then = f"set aside as {aside}; {then}"
            else:
                then = f"it could not be set aside; {then}"
        self._warning = f"--cache {self.path} {what} ({why}); {then}"

    def _set_aside(self) -> Path | None:
        """Rename the file (and its write-ahead log, if any) to ``FILE.corrupt``."""
        aside = self.path.with_name(f"{self.path.name}.corrupt")
        try:
            self.path.replace(aside)
        except OSError:
            return None
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").replace(f"{aside}{suffix}")
        self.set_aside = aside
        return aside


def options_key(linter: Linter, options: AuditOptions) -> str:
    """A fingerprint of what decides a job's findings: the version, the engine's options (rules,
    severities, policy, baseline; not the folder it runs in) and whether tags and S3 are read."""
    engine = linter.options._asdict()
    engine.pop("root", None)
    text = repr((sagelint_version(), sorted(engine.items()), options.tags, options.s3))
    text += repr(options.s3_max_objects)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
