"""The live audit: every training job of every account and region asked for, read from AWS,
linted as it arrives, reported in a stable order.

How it runs: a few lister threads take the accounts and regions in order and page through each
region's jobs (below), newest first, with the filters applied by the service; each job goes to
a bounded pool of threads that call DescribeTrainingJob (and ListTags for tags that are needed
and that Search did not give) and list the S3 data of the channels the S3-aware rules look at; the
described jobs come back to the calling thread, which lints them and yields the findings. Each
region has a fixed number of "tickets" that bound its jobs between listing and reporting, so
memory stays flat however many jobs an account holds.

Which jobs a region has, and their tags:

- ListTrainingJobs lists the jobs, a page of 100 at a time, with the filters applied by the
  service: the listing decides which jobs are checked, with or without tags.
- Without a rule that reads tags (:attr:`~sagelint.rule_api.Rule.reads_tags`: SM503 when
  ``required-tags`` is set, a plugin's that says so) and without ``--save``, the only tag that
  matters is ``sagelint:ignore``, which suppresses findings: one Search, filtered by AWS
  (``Tags.sagelint:ignore`` ``Exists``), gives the jobs that have it, with their tags; the other
  jobs' tags are unknown (None), and no call is made per job. One call for up to 100 tagged
  jobs, whatever the number of jobs; with more than :data:`~sagelint.aws.fetch.AHEAD`, or if
  Search refuses the filter (ValidationException), every job's tags are read as below.
- With such a rule, or ``--save``: every job's tags, from Search, 100 jobs a call in place of
  one ListTags call per job (:class:`~sagelint.aws.fetch.SearchedTags`), read a page at a time
  as the listing goes, both sorted by CreationTime, newest first; only the records read ahead
  of the listing are held. A job Search's index does not know yet (created moments ago) is not
  among its records, and its tags are read with ListTags.
- Search is eventually consistent, and the listing, not Search, says which jobs there are: no
  job is missed or checked twice whatever Search's lag (which AWS does not state). What can lag
  is a tag: a tag added (or a job created) seconds ago may not be in the index yet. With every
  job's tags, a new job's are read with ListTags; a new tag on an older job, or (without a rule
  that reads tags) a ``sagelint:ignore`` tag Search does not know yet, is seen at the next audit:
  until then the finding is reported, never the other way round.
- Search denied (AccessDenied): said once per account and region, and ListTags reads each
  job's tags. Search failing otherwise (a timeout, an answer that cannot be read): one SM004 on
  the region, and ListTags reads the tags of the jobs after it: nothing is lost.
- ``--no-tags``: no Search, no ListTags: the calls of the floor. With ``--cache``, an unchanged
  job needs no tags: Search is not called until a job that changed needs them.

The order of the report, whatever order the threads finish in: accounts by id, each account's
regions by name, each region's jobs in the order the region lists them (newest first), each
job's findings by rule and position (pointer); an account or region that fails is reported
where its jobs would be, after the jobs it listed. Accounts and regions are audited in that
order (a few at once) and the jobs of a region are put back in the order of its listing before
they are reported; the buffer that takes is no larger than the region's tickets, and only the
region being reported and the few being listed have one. An unchanged account reports the
same way twice. (Jobs sorted by name would need every job held at once.)

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sagelint.aws.cache import AuditCache, CachedJob, options_key
from sagelint.aws.connect import (
    Account,
    Clients,
    Connection,
    Target,
    base_session,
    enabled_regions,
    home_region,
    organization_roles,
    resolve_accounts,
)
from sagelint.aws.errors import describe_error, error_code, is_aws_error
from sagelint.aws.fetch import (
    AHEAD,
    SearchedTags,
    describe_job,
    job_tags,
    list_jobs,
    search_jobs,
    tagged_jobs,
)
from sagelint.aws.lint_s3 import s3_failure_message
from sagelint.aws.options import AuditError, AuditOptions
from sagelint.aws.progress import Progress
from sagelint.aws.s3 import S3Answers, S3Lister, answer
from sagelint.aws.save import SaveError, Saver
from sagelint.aws.security_hub import SecurityHubExport
from sagelint.document_rules import AWS_ERROR, INTERNAL_ERROR
from sagelint.findings import Finding
from sagelint.job import IGNORE_TAG, JobResource, make_job
from sagelint.load.loaders import Document
from sagelint.load.locate import NOWHERE
from sagelint.printable import printable
from sagelint.s3_listing import s3_aware, s3_requests

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_sagemaker import SageMakerClient
    from sagelint.engine import Linter
    from sagelint.rule_api import Rule

_JOB_GONE = re.compile(r"could not find|not found|does not exist", re.IGNORECASE)
_DENIED = frozenset({"AccessDeniedException", "AccessDenied"})


def aws_error(path: str, message: str, job: str | None = None, pointer: str = "") -> Finding:
    """An SM004 finding: what could not be read from AWS, and why."""
    return Finding(AWS_ERROR.code, "error", message, path, 1, 1, pointer, job)


# --- what flows from the threads to the caller -------------------------------------------------


@dataclass
class _Stream:
    """One account and region on its way to the caller: its jobs back in the order of its
    listing (``arrived`` by their place in it, ``next`` the place to report), its tickets, and
    the end of its listing once it has come."""

    target: Target
    tickets: threading.Semaphore
    arrived: dict[int, _Result] = field(default_factory=dict)
    next: int = 0
    end: _Listed | None = None
    search_error: str | None = None  # why Search failed, when it did (not denied)


@dataclass
class _Described:
    stream: _Stream
    place: int  # in the listing of its region
    summary: dict[str, Any]
    tags: dict[str, str] | None = None  # from Search, or from ListTags
    ask_tags: bool = False  # whether to ask ListTags
    data: dict[str, Any] | None = None
    s3: S3Answers | None = None  # what S3 said for the S3-aware rules
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (code, message, pointer)


@dataclass
class _Cached:
    stream: _Stream
    place: int
    summary: dict[str, Any]
    findings: list[Finding]
    suppressed: Counter[str]


@dataclass
class _Listed:
    """The end of a region's listing: how many jobs it gave, and why it stopped early."""

    stream: _Stream
    count: int
    error: str | None = None
    internal: bool = False


@dataclass
class _Note:
    """A line for standard error: a retry under way, a cache that could not be used."""

    text: str


_Result = _Described | _Cached | _Listed
_Outcome = _Described | _Cached | _Listed | _Note | Finding


# --- the pipeline ------------------------------------------------------------------------------


class _Stop(Exception):
    pass


class _Tags:
    """Where the tags of a region's jobs come from (see the module's documentation), read from
    Search only once a job needs them (an unchanged job of ``--cache`` does not)."""

    def __init__(self, run: _Audit, client: SageMakerClient, stream: _Stream) -> None:
        self.run = run
        self.client = client
        self.stream = stream
        self.every = run.every_tag
        self.searched: SearchedTags | None = None
        self.tagged: dict[str, dict[str, str] | None] | None = None
        self.failed = False

    def of(self, summary: dict[str, Any]) -> tuple[dict[str, str] | None, bool]:
        """The tags of the job of ``summary`` (None: unknown), and whether ListTags is to be
        asked for them."""
        if self.failed:
            return None, True
        try:
            if not self.every:
                if self.tagged is None:
                    try:
                        self.tagged = tagged_jobs(self.client, IGNORE_TAG, AHEAD)
                    except Exception as error:
                        if error_code(error) != "ValidationException":
                            raise
                    # Too many, or a filter Search refuses: every job's tags, as they come.
                    self.every = self.tagged is None
                if self.tagged is not None:
                    arn = summary["TrainingJobArn"]
                    tags = self.tagged.get(arn)
                    return tags, arn in self.tagged and tags is None
            if self.searched is None:
                options = self.run.options
                records = search_jobs(self.client, options.search_filters())
                self.searched = SearchedTags(records)
            tags = self.searched.of(summary)
        except Exception as error:
            if not is_aws_error(error):
                raise
            self.failed = True
            self.run.search_failed(self.stream, error)
            return None, True
        return tags, tags is None


class _Audit:
    def __init__(
        self,
        options: AuditOptions,
        s3_rules: Sequence[Rule],
        session: boto3.Session | None,
        cache: AuditCache | None,
        every_tag: bool = True,
    ) -> None:
        self.options = options
        self.every_tag = every_tag  # every job's tags, not only the sagelint:ignore ones
        self.s3_rules = tuple(s3_rules) if options.s3 else ()
        self.connection = Connection(
            options.profile, options.endpoint_url, options.timeout, max(1, options.concurrency)
        )
        self.session = session
        self.cache = cache
        self.said: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.clients = Clients(self.connection, self.said.put)
        self.s3 = S3Lister(options.s3_max_objects)
        # What to report, in order: each account and region, or why an account is not audited.
        self.sequence: list[_Stream | Finding] = []
        self.targets: list[Target] = []
        self.stop = threading.Event()
        self.tickets = 4 * self.connection.concurrency  # per region
        # (region, place in its listing, job summary, its tags if known, whether to ask ListTags)
        self.work: queue.SimpleQueue[
            tuple[_Stream, int, dict[str, Any], dict[str, str] | None, bool] | None
        ] = queue.SimpleQueue()
        self.results: queue.SimpleQueue[_Result] = queue.SimpleQueue()
        self.pending: queue.SimpleQueue[_Stream] = queue.SimpleQueue()
        self.region_notes: list[str] = []

    # -- setup, in the calling thread

    def prepare(self) -> None:
        """Accounts and regions to audit, in the order of the report; SM004 for an account
        that cannot be used."""
        from botocore.exceptions import ProfileNotFound

        options = self.options
        try:
            base = self.session or base_session(options.profile)
        except ProfileNotFound as error:
            raise AuditError(str(error)) from None
        _check_credentials(base)
        requested = list(dict.fromkeys(options.regions))
        if not requested and not options.all_regions and not base.region_name:
            raise AuditError(
                "no region to audit: pass --region REGION (repeatable) or --all-regions, or set "
                "AWS_REGION or the profile's region"
            )
        if not requested and not options.all_regions:
            requested = [str(base.region_name)]
        home = home_region(base, requested)
        role_arns = list(options.role_arns)
        if options.organization:
            role_arns = self._organization(base, home)
        accounts = resolve_accounts(base, self.clients, home, role_arns, options.external_id)
        if not role_arns and accounts[0].session is None:
            raise AuditError(str(accounts[0].error))  # the only account: nothing to audit
        accounts.sort(key=lambda account: account.id)
        regions: list[tuple[list[str], str]] = [(requested, "")] * len(accounts)
        if options.all_regions:  # each account's, a few accounts at a time

            def enabled(account: Account) -> tuple[list[str], str]:
                if account.session is None:
                    return [], ""
                return enabled_regions(account, self.clients, home)

            with ThreadPoolExecutor(min(len(accounts), self.connection.concurrency)) as pool:
                regions = list(pool.map(enabled, accounts))
        for account, (names, note) in zip(accounts, regions, strict=True):
            if note:
                self.region_notes.append(note)
            if account.error is not None or account.session is None:
                message = f"account {account.id} not audited: {account.error}"
                self.sequence.append(aws_error(account.pseudo_arn(), message))
                continue
            for region in sorted(set(names)):
                stream = _Stream(Target(account, region), threading.Semaphore(self.tickets))
                self.sequence.append(stream)
                self.targets.append(stream.target)
                self.pending.put(stream)

    def _organization(self, base: boto3.Session, home: str) -> list[str]:
        assert self.options.role_name is not None
        try:
            roles = organization_roles(base, self.clients, home, self.options.role_name)
        except Exception as error:
            if not is_aws_error(error):
                raise
            raise AuditError(
                "cannot list the accounts of the organization (organizations:ListAccounts, from "
                f"the management account or a delegated administrator): {describe_error(error)}"
            ) from None
        if not roles:
            raise AuditError("the organization has no active account (organizations:ListAccounts)")
        return roles

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
                stream = self.pending.get_nowait()
            except queue.Empty:
                return
            self.results.put(self._list(stream))

    def _list(self, stream: _Stream) -> _Listed:
        target = stream.target
        assert target.account.session is not None
        target.state = "listing"
        place = 0
        try:
            client = self.clients.sagemaker(target.account.session, target.region)
            options = self.options
            tags_of = _Tags(self, client, stream) if options.tags else None
            for summary in list_jobs(client, options.filters(), options.max_jobs):
                while not stream.tickets.acquire(timeout=0.5):
                    if self.stop.is_set():
                        raise _Stop
                cached = None
                if self.cache is not None:
                    cached = self.cache.lookup(
                        str(summary.get("TrainingJobArn")), _stamp(summary.get("LastModifiedTime"))
                    )
                target.listed += 1
                if cached is not None:
                    self.results.put(_Cached(stream, place, summary, *cached))
                else:
                    tags, ask = tags_of.of(summary) if tags_of else (None, False)
                    self.work.put((stream, place, summary, tags, ask))
                place += 1
        except _Stop:
            return _Listed(stream, place)
        except Exception as error:
            target.state = "failed"
            if is_aws_error(error):
                return _Listed(stream, place, describe_error(error))
            return _Listed(stream, place, f"internal error ({type(error).__name__}): {error}", True)
        target.state = "listed"
        return _Listed(stream, place)

    def search_failed(self, stream: _Stream, error: Exception) -> None:
        """Search failed for ``stream`` (its tags are read with ListTags from here on): said
        once when it is denied, else one SM004 on the region."""
        if error_code(error) not in _DENIED:
            stream.search_error = describe_error(error)
            return
        target = stream.target
        self.said.put(
            f"account {target.account.id}, region {target.region}: Search is denied "
            f"({describe_error(error)}): tags read with ListTags per job"
        )

    # -- describing, in worker threads

    def _describer(self) -> None:
        while True:
            item = self.work.get()
            if item is None or self.stop.is_set():
                return
            stream, place, summary, tags, ask = item
            outcome = _Described(stream, place, summary, tags, ask)
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
        target, summary = outcome.stream.target, outcome.summary
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
        if outcome.ask_tags:
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
        """Every outcome in the order of the report (the accounts and regions in turn, each
        region's jobs in the order of its listing, then the end of its listing), whatever
        order they come in; notes in between, as they come."""
        for entry in self.sequence:
            if isinstance(entry, Finding):
                yield entry
                continue
            stream = entry
            while True:
                outcome = stream.arrived.pop(stream.next, None)
                if outcome is not None:
                    stream.next += 1
                    stream.target.processed += 1
                    stream.tickets.release()
                    yield outcome
                    continue
                if stream.end is not None and stream.next >= stream.end.count:
                    yield stream.end
                    break
                yield from self.notes()
                try:
                    result = self.results.get(timeout=0.2)
                except queue.Empty:
                    continue
                if isinstance(result, _Listed):
                    result.stream.end = result
                    result.stream.target.ended = True
                else:
                    result.stream.arrived[result.place] = result


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
    every_tag: bool = True,
) -> Iterator[Document | Finding | CachedJob]:
    """The jobs of the audit as documents (path: the job's ARN; tags and S3 listings attached),
    SM004 findings for what AWS refused or failed, and with ``cache`` the unchanged jobs' cached
    findings, in the order of the report (see the module's documentation). The S3 listings are
    those the S3-aware ``s3_rules`` need (none without them). ``session`` replaces the one
    built from ``options.profile``. Without ``every_tag``, only the tags of the jobs tagged
    ``sagelint:ignore`` are read (the others' are None), for rules that read no tag."""
    return _documents(_Audit(options, s3_rules, session, cache, every_tag), progress)


def _documents(run: _Audit, progress: Progress | None) -> Iterator[Document | Finding | CachedJob]:
    """:func:`audit_documents` of ``run``."""
    try:
        run.prepare()
        for note in run.region_notes:
            _say(note, progress)
        run.start()
        for outcome in run.outcomes():
            if isinstance(outcome, Finding):
                yield outcome
                continue
            if isinstance(outcome, _Note):
                _say(outcome.text, progress)
                continue
            if progress is not None:
                progress.show(run.targets)
            if isinstance(outcome, _Listed):
                if outcome.error is not None:
                    yield _listing_error(outcome)
                if outcome.stream.search_error is not None:
                    yield _search_error(outcome.stream)
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
    target = outcome.stream.target
    account = target.account
    code = INTERNAL_ERROR.code if outcome.internal else AWS_ERROR.code
    what = (
        f" after {outcome.count:,} jobs: {outcome.error}; the rest of the region was not checked"
        if outcome.count
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


def _search_error(stream: _Stream) -> Finding:
    target = stream.target
    account = target.account
    return aws_error(
        account.pseudo_arn(target.region),
        f"Search failed in account {account.id}, region {target.region}: "
        f"{stream.search_error}; the tags of the jobs after it were read with ListTags",
    )


def audit(
    linter: Linter,
    options: AuditOptions,
    *,
    session: boto3.Session | None = None,
) -> Iterator[Finding]:
    """Audit the accounts and regions of ``options`` with ``linter``: its findings, and SM004
    for every AWS error, as they come, in the order the module's documentation gives. The S3
    data is listed for the S3-aware rules that ``linter`` enables. ``linter.jobs_checked``
    counts the jobs checked."""
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
    # Every job's tags for a rule that reads them, and for --save (a saved job is linted again
    # with any rule); else the sagelint:ignore tags alone, which suppress findings.
    every_tag = saver is not None or any(rule.reads_tags for rule in linter.enabled)
    run = _Audit(options, s3_rules, session, cache, every_tag)
    job = _Job(progress)  # the findings of one job (or region, or account), reported sorted
    try:
        for item in _documents(run, progress):
            if isinstance(item, Finding):
                if hub is not None:
                    hub.reported(item)
                yield from job.add(item.path, [item])
            elif isinstance(item, CachedJob):
                _count_cached(linter, item)
                if hub is not None:
                    hub.checked(JobResource.of_arn(item.arn), item.findings)
                yield from job.add(item.arn, item.findings)
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
                yield from job.add(item.path, found)
        yield from job.flush()
        if hub is not None:
            yield from hub.publish(Clients(run.connection), run.targets)
    except KeyboardInterrupt:  # what was checked is still reported
        yield from job.flush()
        raise
    finally:
        if cache is not None:
            cache.close()
            warning = cache.take_warning()
            if warning is not None:
                _say(warning, progress)


class _Job:
    """The findings of the job (or region, or account) being reported: a job's errors, its
    findings and its --save error come one after the other, and are reported sorted by rule
    and position once the next job comes."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.path: str | None = None
        self.found: list[Finding] = []

    def add(self, path: str, found: list[Finding]) -> Iterator[Finding]:
        if path != self.path:
            yield from self.flush()
            self.path = path
        self.found += found

    def flush(self) -> Iterator[Finding]:
        found, self.found = self.found, []
        if found:
            self.progress.clear()
            yield from sorted(found, key=lambda f: (f.rule, f.line, f.column, f.pointer, f.message))


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
