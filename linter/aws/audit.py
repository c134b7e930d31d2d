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

:func:`audit` gives the findings; :func:`audit_documents` the documents and SM004 findings,
without linting.
"""

from __future__ import annotations

import queue
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sagelint.aws.cache import AuditCache, CachedJob, options_key
from sagelint.aws.connect import (
    Clients,
    Connection,
    Target,
    base_session,
    enabled_regions,
    home_region,
    resolve_accounts,
)
from sagelint.aws.errors import describe_error, error_code, is_aws_error
from sagelint.aws.fetch import describe_job, job_tags, list_jobs
from sagelint.aws.lint_s3 import s3_failure_message
from sagelint.aws.options import AuditError, AuditOptions
from sagelint.aws.progress import Progress
from sagelint.aws.s3 import S3Answers, S3Lister, answer
from sagelint.aws.save import SaveError, Saver
from sagelint.aws.security_hub import SecurityHubExport
from sagelint.document_rules import AWS_ERROR, INTERNAL_ERROR
from sagelint.findings import Finding
from sagelint.job import JobResource, make_job
from sagelint.load.loaders import Document
from sagelint.load.locate import NOWHERE
from sagelint.printable import printable
from sagelint.s3_listing import s3_aware, s3_requests

if TYPE_CHECKING:
    import boto3
    from sagelint.engine import Linter
    from sagelint.rule_api import Rule

_JOB_GONE = re.compile(r"could not find|not found|does not exist", re.IGNORECASE)


def aws_error(path: str, message: str, job: str | None = None, pointer: str = "") -> Finding:
    """An SM004 finding: what could not be read from AWS, and why."""
    return Finding(AWS_ERROR.code, "error", message, path, 1, 1, pointer, job)


# --- what flows from the threads to the caller -------------------------------------------------


@dataclass
class _Described:
    target: Target
    summary: dict[str, Any]
    data: dict[str, Any] | None = None
    tags: dict[str, str] | None = None
    s3: S3Answers | None = None  # what S3 said for the S3-aware rules
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (code, message, pointer)


@dataclass
class _Cached:
    target: Target
    summary: dict[str, Any]
    findings: list[Finding]
    suppressed: Counter[str]


@dataclass
class _Listed:
    target: Target
    error: str | None = None
    internal: bool = False


@dataclass
class _Note:
    """A line for standard error: a retry under way, a cache that could not be used."""

    text: str


_Result = _Described | _Cached | _Listed
_Outcome = _Result | _Note


# --- the pipeline ------------------------------------------------------------------------------


class _Stop(Exception):
    pass


class _Audit:
    def __init__(
        self,
        options: AuditOptions,
        s3_rules: Sequence[Rule],
        session: boto3.Session | None,
        cache: AuditCache | None,
    ) -> None:
        self.options = options
        self.s3_rules = tuple(s3_rules) if options.s3 else ()
        self.connection = Connection(
            options.profile, options.endpoint_url, options.timeout, max(1, options.concurrency)
        )
        self.session = session
        self.cache = cache
        self.said: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.clients = Clients(self.connection, self.said.put)
        self.s3 = S3Lister(options.s3_max_objects)
        self.targets: list[Target] = []
        self.stop = threading.Event()
        workers = self.connection.concurrency
        self.tickets = threading.Semaphore(4 * workers)
        self.work: queue.SimpleQueue[tuple[Target, dict[str, Any]] | None] = queue.SimpleQueue()
        self.results: queue.SimpleQueue[_Result] = queue.SimpleQueue()
        self.pending: queue.SimpleQueue[Target] = queue.SimpleQueue()
        self.region_notes: list[str] = []

    # -- setup, in the calling thread

    def prepare(self) -> Iterator[Finding]:
        """Accounts and regions to audit; SM004 for an account that cannot be used."""
        from botocore.exceptions import ProfileNotFound

        try:
            base = self.session or base_session(self.options.profile)
        except ProfileNotFound as error:
            raise AuditError(str(error)) from None
        _check_credentials(base)
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
        if not self.options.role_arns and accounts[0].session is None:
            raise AuditError(str(accounts[0].error))  # the only account: nothing to audit
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
                    self.region_notes.append(note)
            for region in regions:
                target = Target(account, region)
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

    def _list(self, target: Target) -> _Listed:
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
                        INTERNAL_ERROR.code,
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
                    AWS_ERROR.code,
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
                        AWS_ERROR.code,
                        f"ListTags failed: {describe_error(error)}; the job was checked without "
                        "its tags (no sagelint:ignore suppression, no tag rules)",
                        "",
                    )
                )
        if self.s3_rules:
            job = make_job(outcome.data, kind="describe")
            assert job is not None  # a kind is given
            requests = s3_requests(job, self.s3_rules)
            if requests:
                s3_client = self.clients.s3(session, target.region)
                outcome.s3 = answer(self.s3, s3_client, target.account.id, requests)
                if outcome.s3.failures:
                    message = s3_failure_message(outcome.s3.failures)
                    pointer = outcome.s3.failures[0][0].pointer
                    outcome.errors.append((AWS_ERROR.code, message, pointer))

    # -- the calling thread

    def notes(self) -> Iterator[_Note]:
        """What the threads have to say (retries under way, a cache given up), once each."""
        while True:
            try:
                yield _Note(self.said.get_nowait())
            except queue.Empty:
                break
        warning = self.cache.take_warning() if self.cache is not None else None
        if warning is not None:
            yield _Note(warning)

    def outcomes(self) -> Iterator[_Outcome]:
        """Every outcome, as they come, until every region is listed and every job handled;
        notes in between."""
        while any(target.open() for target in self.targets):
            yield from self.notes()
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


def _stamp(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _check_credentials(session: boto3.Session) -> None:
    """An :class:`AuditError` when the session has no credentials, or they cannot be loaded
    (an expired SSO token, a failing credential_process): nothing could be audited."""
    try:
        credentials = session.get_credentials()
    except Exception as error:
        if not is_aws_error(error):
            raise
        raise AuditError(f"cannot load the AWS credentials: {describe_error(error)}") from None
    if credentials is None:
        raise AuditError(
            "no AWS credentials found (environment, --profile, shared files, SSO or instance role)"
        )


def _say(text: str, progress: Progress | None) -> None:
    if progress is not None:
        progress.clear()
    print(f"sagelint: {printable(text)}", file=sys.stderr, flush=True)


def audit_documents(
    options: AuditOptions,
    s3_rules: Sequence[Rule] = (),
    *,
    session: boto3.Session | None = None,
    cache: AuditCache | None = None,
    progress: Progress | None = None,
) -> Iterator[Document | Finding | CachedJob]:
    """The jobs of the audit as documents (path: the job's ARN; tags and S3 listings attached),
    SM004 findings for what AWS refused or failed, and with ``cache`` the unchanged jobs' cached
    findings. The S3 listings are those the S3-aware ``s3_rules`` need (none without them).
    ``session`` replaces the one built from ``options.profile``."""
    return _documents(_Audit(options, s3_rules, session, cache), progress)


def _documents(run: _Audit, progress: Progress | None) -> Iterator[Document | Finding | CachedJob]:
    """:func:`audit_documents` of ``run``."""
    try:
        yield from run.prepare()
        for note in run.region_notes:
            _say(note, progress)
        run.start()
        for outcome in run.outcomes():
            if isinstance(outcome, _Note):
                _say(outcome.text, progress)
                continue
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
                s3 = outcome.s3
                job = make_job(
                    outcome.data,
                    kind="describe",
                    tags=outcome.tags,
                    s3=s3.listings if s3 else None,
                    bucket_regions=s3.regions if s3 else None,
                )
                assert job is not None  # a kind is given
                yield Document(arn, job, NOWHERE)
        if progress is not None:
            progress.show(run.targets, force=True)
    finally:
        run.close()
        if progress is not None:
            progress.clear()
        for last in run.notes():  # what was said last, or while preparing
            _say(last.text, progress)


def _listing_error(outcome: _Listed) -> Finding:
    target = outcome.target
    account = target.account
    code = INTERNAL_ERROR.code if outcome.internal else AWS_ERROR.code
    what = (
        f" after {target.listed:,} jobs: {outcome.error}; the rest of the region was not checked"
        if target.listed
        else f": {outcome.error}; the jobs of this region were not checked"
    )
    return Finding(
        code,
        "error",
        f"ListTrainingJobs failed in account {account.id}, region {target.region}{what}",
        account.pseudo_arn(target.region),
        1,
        1,
        "",
        None,
    )


def audit(
    linter: Linter,
    options: AuditOptions,
    *,
    session: boto3.Session | None = None,
) -> Iterator[Finding]:
    """Audit the accounts and regions of ``options`` with ``linter``: its findings, and SM004
    for every AWS error, as they come. The S3 data is listed for the S3-aware rules that
    ``linter`` enables. ``linter.jobs_checked`` counts the jobs checked."""
    saver = None
    if options.save is not None:
        saver = Saver(options.save)
        try:
            saver.check()
        except SaveError as error:
            raise AuditError(f"--save {options.save}: {error}") from None
    cache = None
    if options.cache is not None:
        cache = AuditCache(options.cache, options_key(linter, options))
    show = options.progress
    if show is None:
        show = sys.stderr.isatty()
    progress = Progress(sys.stderr, show)
    s3_rules = s3_aware(linter.enabled)
    hub = _security_hub(linter, options, s3_rules)
    run = _Audit(options, s3_rules, session, cache)
    try:
        for item in _documents(run, progress):
            if isinstance(item, Finding):
                found = [item]
                if hub is not None:
                    hub.reported(item)
            elif isinstance(item, CachedJob):
                _count_cached(linter, item)
                found = item.findings
                if hub is not None:
                    hub.checked(JobResource.of_arn(item.arn), found)
            else:
                before = Counter(linter.suppressed)
                found = linter.lint_document(item)
                if cache is not None:
                    summary_stamp = item.job.data.get("LastModifiedTime")
                    cache.store(item.path, str(summary_stamp), found, linter.suppressed - before)
                if saver is not None:
                    found = [*found, *_save(saver, item)]
                if hub is not None:
                    hub.checked(item.job.resource, found)
            if found:
                progress.clear()
                yield from found
        if hub is not None:
            yield from hub.publish(Clients(run.connection), run.targets)
    finally:
        if cache is not None:
            cache.close()
            warning = cache.take_warning()
            if warning is not None:
                _say(warning, progress)


def _security_hub(
    linter: Linter, options: AuditOptions, s3_rules: Sequence[Rule]
) -> SecurityHubExport | None:
    """``--security-hub``: what collects the findings to import, with the rules whose earlier
    findings this run may archive: those it checked (the S3-aware ones only when S3 is asked;
    none without tags, which a rule may read)."""
    if not options.security_hub:
        return None
    checked = [rule.code for rule in linter.enabled if options.s3 or rule not in s3_rules]
    return SecurityHubExport(linter.rules, checked if options.tags else None)


def _save(saver: Saver, document: Document) -> list[Finding]:
    """Save the job: nothing, or the SM004 finding that says it could not be."""
    try:
        saver.save(document)
    except SaveError as error:
        message = f"--save failed: {error}; the job was checked, not saved"
        return [aws_error(document.path, message, document.job.name)]
    return []


def _count_cached(linter: Linter, job: CachedJob) -> None:
    """Count a job whose findings come from the cache as :meth:`Linter.lint_document` counts
    a job it checks (its ARN is its "file")."""
    linter.jobs_checked += 1
    linter.files_seen += 1
    linter.suppressed.update(job.suppressed)
    if linter.on_document is not None:
        linter.on_document(job.arn, job.name, JobResource.of_arn(job.arn))
