"""The live audit: every training job of every account and region asked for, read from AWS,
linted as it arrives.

How it runs: one lister thread per account and region at a time (a few at once) pages through
ListTrainingJobs, newest first, with the filters applied by the service; each job summary goes
to a bounded pool of threads that call DescribeTrainingJob and ListTags (and list the S3 data
of the channels the S3-aware rules look at); the described jobs come back to the calling thread,
which lints them and yields the findings. A fixed number of "tickets" bounds the jobs between
listing and reporting, so memory stays flat however many jobs an account holds.

An AWS error never stops the audit: it becomes one SM004 finding for what it concerns (an
account, a region, a job) and the rest goes on; SM004 makes the exit code 2.

The library API: :func:`audit` (findings), :func:`audit_documents` (the documents and SM004
findings, without linting), :func:`lint_with_s3` (``sagelint lint --s3``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import shutil
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sagelint import __version__
from sagelint.aws import (
    DEFAULT_CONCURRENCY,
    DEFAULT_S3_MAX_OBJECTS,
    DEFAULT_TIMEOUT,
    Account,
    Clients,
    Connection,
    S3Failure,
    S3Lister,
    base_session,
    describe_error,
    describe_job,
    enabled_regions,
    error_code,
    home_region,
    is_aws_error,
    job_tags,
    list_jobs,
    resolve_accounts,
)
from sagelint.engine import Linter
from sagelint.findings import Finding
from sagelint.job import Job
from sagelint.job import EVENT_DETAIL_TYPE
from sagelint.load.loaders import Document
from sagelint.rules.s3_data import S3_CODES, ListingRequest, S3Listing, listing_requests

if TYPE_CHECKING:
    import boto3

_SINCE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_JOB_GONE = re.compile(r"could not find|not found|does not exist", re.IGNORECASE)


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


def _nowhere(pointer: str) -> tuple[int, int]:
    return (1, 1)


def aws_error(path: str, message: str, job: str | None = None, pointer: str = "") -> Finding:
    """An SM004 finding: what could not be read from AWS, and why."""
    return Finding("SM004", "error", message, path, 1, 1, pointer, job)


# --- what flows from the threads to the caller -------------------------------------------------


@dataclass
class _Target:
    account: Account
    region: str
    listed: int = 0  # by the lister thread
    processed: int = 0  # by the calling thread
    ended: bool = False  # the calling thread has seen the end of the listing
    state: str = "waiting"  # listing, listed, failed

    @property
    def label(self) -> str:
        return self.region

    def open(self) -> bool:
        return not self.ended or self.processed < self.listed


@dataclass
class _Described:
    target: _Target
    summary: dict[str, Any]
    data: dict[str, Any] | None = None
    tags: dict[str, str] | None = None
    s3: dict[str, S3Listing] | None = None
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (code, message, pointer)


@dataclass
class _Cached:
    target: _Target
    summary: dict[str, Any]
    findings: list[Finding]
    suppressed: Counter[str]


@dataclass
class _Listed:
    target: _Target
    error: str | None = None
    internal: bool = False


@dataclass
class CachedJob:
    """A job the cache knew unchanged: its findings of the last audit, not described again."""

    arn: str
    name: str
    findings: list[Finding]
    suppressed: Counter[str]


_Outcome = _Described | _Cached | _Listed


# --- the cache ---------------------------------------------------------------------------------


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
    text = repr((__version__, sorted(engine.items()), options.tags, options.s3))
    text += repr(options.s3_max_objects)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- progress ----------------------------------------------------------------------------------


class Progress:
    """One status line on standard error (only when it is a terminal): jobs checked and listed,
    per region. Cleared before findings are printed, redrawn at most every 0.2 s."""

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self._stream = stream
        self.enabled = enabled
        self._shown = False
        self._last = 0.0

    def show(self, targets: list[_Target], force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        checked = sum(t.processed for t in targets)
        listed = sum(t.listed for t in targets)
        several = len({t.account.id for t in targets}) > 1
        parts = [f"sagelint audit: {checked:,}/{listed:,} jobs checked"]
        for target in targets:
            if target.state == "waiting" or not target.open():
                continue
            name = f"{target.account.id}/{target.region}" if several else target.region
            more = "+" if target.state == "listing" else ""
            parts.append(f"{name} {target.processed:,}/{target.listed:,}{more}")
        width = shutil.get_terminal_size((80, 24)).columns - 1
        line = " | ".join(parts)[:width]
        self._stream.write(f"\r{line}\x1b[K")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False


# --- the pipeline ------------------------------------------------------------------------------


class _Stop(Exception):
    pass


class _Audit:
    def __init__(
        self,
        options: AuditOptions,
        s3_codes: frozenset[str],
        session: boto3.Session | None,
        cache: AuditCache | None,
    ) -> None:
        self.options = options
        self.s3_codes = s3_codes if options.s3 else frozenset()
        self.connection = Connection(
            options.profile, options.endpoint_url, options.timeout, max(1, options.concurrency)
        )
        self.session = session
        self.cache = cache
        self.clients = Clients(self.connection)
        self.s3 = S3Lister(options.s3_max_objects)
        self.targets: list[_Target] = []
        self.stop = threading.Event()
        workers = self.connection.concurrency
        self.tickets = threading.Semaphore(4 * workers)
        self.work: queue.SimpleQueue[tuple[_Target, dict[str, Any]] | None] = queue.SimpleQueue()
        self.results: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        self.pending: queue.SimpleQueue[_Target] = queue.SimpleQueue()
        self.notes: list[str] = []

    # -- setup, in the calling thread

    def prepare(self) -> Iterator[Finding]:
        """Accounts and regions to audit; SM004 for an account that cannot be used."""
        from botocore.exceptions import ProfileNotFound

        try:
            base = self.session or base_session(self.options.profile)
        except ProfileNotFound as error:
            raise AuditError(str(error)) from None
        requested = list(dict.fromkeys(self.options.regions))
        if not requested and not self.options.all_regions and not base.region_name:
            raise AuditError(
                "no region to audit: pass --region REGION (repeatable) or --all-regions, or set "
                "AWS_REGION or the profile's region"
            )
        if not requested and not self.options.all_regions:
            requested = [str(base.region_name)]
        home = home_region(base, requested)
        accounts = resolve_accounts(
            base, self.clients, home, list(self.options.role_arns), self.options.external_id
        )
        for account in accounts:
            if account.error is not None or account.session is None:
                yield aws_error(
                    account.pseudo_arn(),
                    f"account {account.id} not audited: {account.error}",
                )
                continue
            regions = requested
            if self.options.all_regions:
                regions, note = enabled_regions(account, self.clients, home)
                if note:
                    self.notes.append(note)
            for region in regions:
                target = _Target(account, region)
                self.targets.append(target)
                self.pending.put(target)

    def start(self) -> None:
        for _ in range(self.connection.concurrency):
            threading.Thread(target=self._describer, daemon=True, name="sagelint-describe").start()
        for _ in range(min(len(self.targets), max(2, self.connection.concurrency // 4))):
            threading.Thread(target=self._lister, daemon=True, name="sagelint-list").start()

    def close(self) -> None:
        self.stop.set()
        for _ in range(self.connection.concurrency):
            self.work.put(None)

    # -- listing, in lister threads

    def _lister(self) -> None:
        while not self.stop.is_set():
            try:
                target = self.pending.get_nowait()
            except queue.Empty:
                return
            self.results.put(self._list(target))

    def _list(self, target: _Target) -> _Listed:
        assert target.account.session is not None
        target.state = "listing"
        try:
            client = self.clients.sagemaker(target.account.session, target.region)
            for summary in list_jobs(client, self.options.filters(), self.options.max_jobs):
                while not self.tickets.acquire(timeout=0.5):
                    if self.stop.is_set():
                        raise _Stop
                cached = None
                if self.cache is not None:
                    cached = self.cache.lookup(
                        str(summary.get("TrainingJobArn")), _stamp(summary.get("LastModifiedTime"))
                    )
                target.listed += 1
                if cached is not None:
                    self.results.put(_Cached(target, summary, *cached))
                else:
                    self.work.put((target, summary))
        except _Stop:
            return _Listed(target)
        except Exception as error:
            target.state = "failed"
            if is_aws_error(error):
                return _Listed(target, describe_error(error))
            return _Listed(target, f"internal error ({type(error).__name__}): {error}", True)
        target.state = "listed"
        return _Listed(target)

    # -- describing, in worker threads

    def _describer(self) -> None:
        while True:
            item = self.work.get()
            if item is None or self.stop.is_set():
                return
            target, summary = item
            outcome = _Described(target, summary)
            try:
                self._describe(outcome)
            except Exception as error:  # a bug of ours: reported on this job, the rest goes on
                outcome.data = None
                outcome.errors.append(
                    (
                        "SM000",
                        f"internal error ({type(error).__name__}) while auditing this job; "
                        "please report it",
                        "",
                    )
                )
            self.results.put(outcome)

    def _describe(self, outcome: _Described) -> None:
        target, summary = outcome.target, outcome.summary
        session = target.account.session
        assert session is not None
        client = self.clients.sagemaker(session, target.region)
        name = str(summary["TrainingJobName"])
        try:
            outcome.data = describe_job(client, name)
        except Exception as error:
            if not is_aws_error(error):
                raise
            if error_code(error) in ("ValidationException", "ResourceNotFound") and (
                _JOB_GONE.search(str(error))
            ):
                return  # deleted between the listing and now: nothing to check
            outcome.errors.append(
                (
                    "SM004",
                    f"DescribeTrainingJob failed: {describe_error(error)}; job not checked",
                    "",
                )
            )
            return
        if self.options.tags:
            try:
                outcome.tags = job_tags(client, str(summary["TrainingJobArn"]))
            except Exception as error:
                if not is_aws_error(error):
                    raise
                outcome.errors.append(
                    (
                        "SM004",
                        f"ListTags failed: {describe_error(error)}; the job was checked without "
                        "its tags (no sagelint:ignore suppression, no tag rules)",
                        "",
                    )
                )
        if self.s3_codes:
            outcome.s3, failures = self._listings(
                Job("describe", outcome.data), session, target.region, target.account.id
            )
            if failures:
                message = s3_failure_message(failures, self.s3_codes)
                outcome.errors.append(("SM004", message, failures[0][0].pointer))

    def _listings(
        self, job: Job, session: boto3.Session, region: str, account: str
    ) -> tuple[dict[str, S3Listing], list[tuple[ListingRequest, str]]]:
        found: dict[str, S3Listing] = {}
        failures: list[tuple[ListingRequest, str]] = []
        requests = listing_requests(job, self.s3_codes)
        if not requests:
            return found, failures
        client = self.clients.s3(session, region)
        for request in requests:
            try:
                listing = self.s3.listing(client, account, request)
            except S3Failure as failure:
                failures.append((request, failure.text))
                continue
            if listing is not None:
                found[request.uri] = listing
        return found, failures

    # -- the calling thread

    def outcomes(self) -> Iterator[_Outcome]:
        """Every outcome, as they come, until every region is listed and every job handled."""
        while any(target.open() for target in self.targets):
            try:
                outcome = self.results.get(timeout=0.2)
            except queue.Empty:
                continue
            if isinstance(outcome, _Listed):
                outcome.target.ended = True
            else:
                outcome.target.processed += 1
                self.tickets.release()
            yield outcome


def s3_failure_message(failures: list[tuple[ListingRequest, str]], codes: Iterable[str]) -> str:
    where = "; ".join(f"channel {r.channel} ({r.uri}): {text}" for r, text in failures)
    skipped = ", ".join(sorted(set(codes) & S3_CODES))
    return f"S3 listing failed for {where}; {skipped} skipped for these channels"


def _stamp(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _enabled_codes(linter: Linter) -> frozenset[str]:
    return frozenset(rule.code for rule in linter.enabled)


def audit_documents(
    options: AuditOptions,
    *,
    session: boto3.Session | None = None,
    s3_codes: Iterable[str] = S3_CODES,
    cache: AuditCache | None = None,
    progress: Progress | None = None,
) -> Iterator[Document | Finding | CachedJob]:
    """The jobs of the audit as documents (path: the job's ARN; tags and S3 listings attached),
    SM004 findings for what AWS refused or failed, and with ``cache`` the unchanged jobs' cached
    findings. ``session`` replaces the one built from ``options.profile``."""
    run = _Audit(options, frozenset(s3_codes), session, cache)
    try:
        yield from run.prepare()
        for note in run.notes:
            print(f"sagelint: {note}", file=sys.stderr)
        run.start()
        for outcome in run.outcomes():
            if progress is not None:
                progress.show(run.targets)
            if isinstance(outcome, _Listed):
                if outcome.error is not None:
                    yield _listing_error(outcome)
                continue
            summary = outcome.summary
            arn, name = str(summary["TrainingJobArn"]), str(summary["TrainingJobName"])
            if isinstance(outcome, _Cached):
                yield CachedJob(arn, name, outcome.findings, outcome.suppressed)
                continue
            for code, message, pointer in outcome.errors:
                yield Finding(code, "error", message, arn, 1, 1, pointer, name)
            if outcome.data is not None:
                job = Job("describe", outcome.data, outcome.tags, outcome.s3)
                yield Document(arn, job, _nowhere)
        if progress is not None:
            progress.show(run.targets, force=True)
    finally:
        run.close()
        if progress is not None:
            progress.clear()


def _listing_error(outcome: _Listed) -> Finding:
    target = outcome.target
    account = target.account
    code = "SM000" if outcome.internal else "SM004"
    what = (
        f"after {target.listed:,} jobs: {outcome.error}; the rest of the region was not checked"
        if target.listed
        else f"{outcome.error}; the jobs of this region were not checked"
    )
    return Finding(
        code,
        "error",
        f"ListTrainingJobs failed in account {account.id}, region {target.region} {what}",
        account.pseudo_arn(target.region),
        1,
        1,
        "",
        None,
    )


def audit(
    linter: Linter, options: AuditOptions, *, session: boto3.Session | None = None
) -> Iterator[Finding]:
    """Audit the accounts and regions of ``options`` with ``linter``: its findings, and SM004
    for every AWS error, as they come. ``linter.jobs_checked`` counts the jobs checked."""
    cache = None
    if options.cache is not None:
        cache = AuditCache(options.cache, options_key(linter, options))
    show = options.progress
    if show is None:
        show = sys.stderr.isatty()
    progress = Progress(sys.stderr, show)
    saver = _Saver(options.save) if options.save is not None else None
    try:
        for item in audit_documents(
            options,
            session=session,
            s3_codes=_enabled_codes(linter) & S3_CODES,
            cache=cache,
            progress=progress,
        ):
            if isinstance(item, Finding):
                found = [item]
            elif isinstance(item, CachedJob):
                _count_cached(linter, item)
                found = item.findings
            else:
                before = Counter(linter.suppressed)
                found = linter.lint_document(item)
                if saver is not None:
                    saver.save(item)
                if cache is not None:
                    summary_stamp = item.job.data.get("LastModifiedTime")
                    cache.store(item.path, str(summary_stamp), found, linter.suppressed - before)
            if found:
                progress.clear()
                yield from found
    finally:
        if cache is not None:
            cache.close()


def _count_cached(linter: Linter, job: CachedJob) -> None:
    """Count a job whose findings come from the cache as :meth:`Linter.lint_document` counts
    a job it checks (its ARN is its "file")."""
    linter.jobs_checked += 1
    linter.files_seen += 1
    linter.suppressed.update(job.suppressed)
    if linter.on_document is not None:
        linter.on_document(job.arn, job.name)


class _Saver:
    """``--save DIR``: each described job as ``DIR/ACCOUNT/REGION/JOB.json``, in the form of a
    "SageMaker Training Job State Change" event whose ``detail`` is the DescribeTrainingJob
    response plus the job's tags: ``sagelint lint DIR`` reads it back, tags included."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: set[Path] = set()

    def save(self, document: Document) -> None:
        job = document.job
        parts = document.path.split(":")
        region, account = (parts[3], parts[4]) if len(parts) > 5 else ("unknown", "unknown")
        folder = self.folder / account / region
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        detail = dict(job.data)
        if job.tags is not None:
            detail["Tags"] = dict(job.tags)
        event = {
            "version": "0",
            "detail-type": EVENT_DETAIL_TYPE,
            "source": "sagelint.audit",
            "account": account,
            "time": job.data.get("LastModifiedTime"),
            "region": region,
            "resources": [document.path],
            "detail": detail,
        }
        path = folder / f"{job.name or 'unnamed'}.json"
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(event, indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)


# --- lint --s3 ---------------------------------------------------------------------------------


class _S3Linter(Linter):
    """A linter that lists the S3 data of each job's channels before checking it.

    It extends :meth:`Linter._check`, the one step every document goes through, whether the
    files are checked here or by the engine's worker processes (which then list S3 in parallel:
    clients are made per process)."""

    def __init__(
        self, linter: Linter, max_objects: int, session: boto3.Session, codes: frozenset[str]
    ) -> None:
        super().__init__(linter.options, rules=linter.rules)
        self.on_document = linter.on_document
        self._max_objects = max_objects
        self._session = session
        self._codes = codes
        self._per_process: tuple[int, S3Lister, Clients] | None = None

    def _tools(self) -> tuple[S3Lister, Clients]:
        if self._per_process is None or self._per_process[0] != os.getpid():
            endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
            clients = Clients(Connection(endpoint_url=endpoint))
            self._per_process = (os.getpid(), S3Lister(self._max_objects), clients)
        return self._per_process[1], self._per_process[2]

    def _check(self, document: Document) -> list[Finding]:
        job = document.job
        requests = listing_requests(job, self._codes)
        if not requests:
            return super()._check(document)
        lister, clients = self._tools()
        region = _region_of(job) or self._session.region_name or "us-east-1"
        found: dict[str, S3Listing] = {}
        failures: list[tuple[ListingRequest, str]] = []
        for request in requests:
            try:
                listing = lister.listing(clients.s3(self._session, region), "lint", request)
            except S3Failure as failure:
                failures.append((request, failure.text))
                continue
            except Exception as error:
                if not is_aws_error(error):
                    raise
                failures.append((request, describe_error(error)))
                continue
            if listing is not None:
                found[request.uri] = listing
        enriched = Document(document.path, job._replace(s3=found), document.locate)
        findings = super()._check(enriched)
        if failures:
            pointer = failures[0][0].pointer
            line, column = document.locate(pointer)
            message = s3_failure_message(failures, self._codes)
            note = Finding(
                "SM004", "error", message, document.path, line, column, pointer, job.name
            )
            findings.insert(0, note)
        return findings


def _region_of(job: Job) -> str | None:
    arn = job.text("TrainingJobArn")
    parts = arn.split(":") if arn else []
    return parts[3] if len(parts) > 5 and parts[3] else None


def lint_with_s3(
    linter: Linter,
    paths: Iterable[str],
    *,
    s3_max_objects: int = DEFAULT_S3_MAX_OBJECTS,
    session: boto3.Session | None = None,
    **load_options: Any,
) -> Iterator[Finding]:
    """``sagelint lint --s3``: :meth:`Linter.lint_paths`, with the S3 data of each job's
    channels listed first (the standard credential chain, or ``session``), so that SM203,
    SM205 and SM206 can run on saved files. An S3 error is an SM004 finding on that job."""
    codes = _enabled_codes(linter) & S3_CODES
    if not codes:
        yield from linter.lint_paths(paths, **load_options)
        return
    s3_linter = _S3Linter(linter, s3_max_objects, session or base_session(), codes)
    try:
        yield from s3_linter.lint_paths(paths, **load_options)
    finally:
        linter.jobs_checked += s3_linter.jobs_checked
        linter.files_seen += s3_linter.files_seen
        linter.suppressed.update(s3_linter.suppressed)
