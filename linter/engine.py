"""The engine: load -> validate -> run rules, one document at a time, findings as they come.

:class:`Linter` checks documents with the rules it is given (the built-in catalogue is
``sagelint.rules.RULES``; the engine never imports it). The library API, :func:`sagelint.lint_paths`
and :func:`sagelint.lint_job`, gives it that catalogue.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from sagelint.document_rules import (
    INPUT_ERROR_CODES,
    INTERNAL_ERROR,
    INVALID_SYNTAX,
    SCHEMA_RULES,
)
from sagelint.findings import Finding
from sagelint.globs import compile_globs
from sagelint.job import IGNORE_TAG, Job, JobResource
from sagelint.load.loaders import (
    DEFAULT_MAX_DOCUMENT_SIZE,
    STDIN,
    Document,
    LoadError,
    NothingToCheck,
    clean_path,
    load_source,
    sources,
)
from sagelint.rule_api import Policy, Rule
from sagelint.selectors import ALL, enabled_rules, matches

if TYPE_CHECKING:
    from typing import Any

    from sagelint.findings import Severity


class Options(NamedTuple):
    """What to check and how: the command line and the configuration file end up here.

    ``exclude`` and ``per_file_ignores`` globs match a file's path relative to ``root`` (the
    folder of the configuration file), or its name. ``baseline`` holds the fingerprints of
    findings already known (``--baseline``): those are counted, not reported.
    """

    select: Sequence[str] = (ALL,)
    ignore: Sequence[str] = ()
    severity: Mapping[str, Severity] = MappingProxyType({})
    max_document_size: int = DEFAULT_MAX_DOCUMENT_SIZE
    policy: Policy = Policy()
    exclude: Sequence[str] = ()
    per_file_ignores: Mapping[str, Sequence[str]] = MappingProxyType({})
    root: str | None = None  # None: the current folder when the Linter is built
    baseline: Counter[str] | None = None
    jobs: int | None = None  # worker processes for many files; None: one per CPU
    show_source: bool = False  # each finding with its source line (Finding.source)
    region: str | None = None  # the region of request specs (a response's is in its ARN)
    account: str | None = None  # the account of request specs without a known RoleArn


def _matching_globs(path: str, matcher: Callable[[str], list[str]], root: str) -> list[str]:
    """The globs (compiled into ``matcher``) that match ``path``: its path relative to ``root``
    (as given when it is outside), or its name. The path is resolved once."""
    relative = os.path.relpath(os.path.realpath(path), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        relative = clean_path(path)  # outside the root: as given
    relative = relative.replace(os.sep, "/")
    found = matcher(relative)
    return found + [glob for glob in matcher(os.path.basename(path)) if glob not in found]


def ignored_by_tag(job: Job) -> list[str]:
    """Codes (or prefixes) a job exempts itself from with its ``sagelint:ignore`` tag.

    Codes are separated by spaces, commas, ``/`` or ``+``: SageMaker tag values may not hold
    commas (the model's TagValue pattern allows letters, digits, spaces and ``_.:/=+-@``), so
    a tag on a real job reads ``SM104 SM3``.
    """
    value = (job.tags or {}).get(IGNORE_TAG, "")
    return [code.upper() for code in re.split(r"[\s,/+]+", value) if code]


class Linter:
    """Runs the selected rules over documents; build once, use for any number of documents.

    Counters for the summary: ``jobs_checked``, ``files_seen``, and ``suppressed`` (findings a
    job's tag, a per-file ignore or the baseline kept out of the report, by reason).
    """

    def __init__(self, options: Options | None = None, *, rules: Sequence[Rule]) -> None:
        self.options = options or Options()
        self._root = os.path.realpath(self.options.root or os.getcwd())
        self.rules = tuple(rules)
        enabled = enabled_rules(
            self.rules, self.options.select, self.options.ignore, self.options.policy
        )
        self.enabled = enabled
        self._checks = {
            kind: [r for r in enabled if r.check and kind in r.kinds]
            for kind in ("describe", "create")
        }
        self._schema_codes = {r.code for r in enabled if r in SCHEMA_RULES}
        self._enabled_codes = {r.code for r in enabled}
        self._severity = {
            rule.code: self.options.severity.get(rule.code, rule.severity) for rule in self.rules
        }
        self._by_code = {rule.code: rule for rule in self.rules}
        self._per_file = compile_globs(self.options.per_file_ignores)
        self._baseline = Counter(self.options.baseline) if self.options.baseline else None
        self.jobs_checked = 0
        self.files_seen = 0
        self.suppressed: Counter[str] = Counter()
        self._last_path: str | None = None
        # Told of every job checked, with or without findings, before its findings: its path, its
        # name and where it lives in AWS (the JUnit report lists every job; ASFF needs its ARN).
        self.on_document: Callable[[str, str | None, JobResource], None] | None = None
        # Given each loaded document before it is checked (in the worker processes too): the
        # document to check instead (``sagelint lint --s3`` attaches S3 listings to its job) and
        # findings to report before its own.
        self.prepare: Callable[[Document], tuple[Document, list[Finding]]] | None = None

    def lint_paths(self, paths: Iterable[str], **load_options: Any) -> Iterator[Finding]:
        """Findings for every job in ``paths``, a document at a time, each document's in order.

        From ``PARALLEL_FROM`` files on, the files are checked by a pool of worker processes
        (``Options.jobs``, default one per CPU); the findings come out in the same order.
        """
        options = self.options
        excluded = None
        if options.exclude:
            excluding = compile_globs(options.exclude)
            excluded = lambda path: bool(_matching_globs(path, excluding, self._root))  # noqa: E731
        for path, name, resource, findings in self._check_inputs(
            sources(paths, exclude=excluded), load_options
        ):
            yield from self._report(path, name, resource, findings)

    def lint_document(self, document: Document) -> list[Finding]:
        """The findings of one job document (the library entry point of ``sagelint audit``)."""
        document = self._in_context(document)
        return self._report(
            document.path, document.name, document.job.resource, self._check(document)
        )

    def _in_context(self, document: Document) -> Document:
        """The document with what the run knows of its job and the document does not say: the
        region and account of a request spec (``Options.region``, ``Options.account``)."""
        job = document.job
        region, account = self.options.region, self.options.account
        if region is not None and job.given_region is None:
            job = job._replace(given_region=region)
        if account is not None and job.given_account is None:
            job = job._replace(given_account=account)
        return document if job is document.job else document._replace(job=job)

    def _report(
        self, path: str, name: str | None, resource: JobResource | None, findings: list[Finding]
    ) -> list[Finding]:
        """Count the document (``resource`` None: no document, an input error), tell
        ``on_document``, and leave out what the baseline knows."""
        if path != self._last_path:
            self._last_path = path
            self.files_seen += 1
        if resource is None:
            return findings
        self.jobs_checked += 1
        if self.on_document is not None:
            self.on_document(path, name, resource)
        if self._baseline is None:
            return findings
        kept = []
        for finding in findings:
            fingerprint = finding.fingerprint()
            if finding.rule not in INPUT_ERROR_CODES and self._baseline[fingerprint] > 0:
                self._baseline[fingerprint] -= 1
                self.suppressed["baseline"] += 1
            else:
                kept.append(finding)
        return kept

    def _check_inputs(
        self, inputs: Iterable[str | LoadError], load_options: dict[str, Any]
    ) -> Iterator[Checked]:
        workers = self.options.jobs or os.cpu_count() or 1
        if workers > 1:
            listed = list(inputs)
            if len(listed) >= PARALLEL_FROM and STDIN not in listed:
                yield from self._check_in_parallel(listed, workers, load_options)
                return
            inputs = listed
        for source in inputs:
            yield from self._check_source(source, load_options)

    def _check_in_parallel(
        self, listed: list[str | LoadError], workers: int, load_options: dict[str, Any]
    ) -> Iterator[Checked]:
        import multiprocessing

        chunks = [listed[i : i + CHUNK] for i in range(0, len(listed), CHUNK)]
        # fork: the workers start with everything imported and this linter built, nothing pickled
        context = multiprocessing.get_context("fork")
        with context.Pool(
            min(workers, len(chunks)), initializer=_start_worker, initargs=(self, load_options)
        ) as pool:
            for checked, suppressed in pool.imap(_check_chunk, chunks):
                self.suppressed.update(suppressed)
                yield from checked

    def _check_source(
        self, source: str | LoadError, load_options: dict[str, Any]
    ) -> Iterator[Checked]:
        if isinstance(source, LoadError):
            yield source.path, None, None, [_input_error(source)]
            return
        loaded_items = load_source(
            source, max_document_size=self.options.max_document_size, **load_options
        )
        for loaded in loaded_items:
            if isinstance(loaded, LoadError):
                yield loaded.path, None, None, [_input_error(loaded)]
            elif isinstance(loaded, NothingToCheck):
                yield loaded.path, None, None, []
            else:
                known = self._in_context(loaded)
                document, notes = self.prepare(known) if self.prepare else (known, [])
                findings = notes + self._check(document)
                yield document.path, document.name, document.job.resource, findings

    def _check(self, document: Document) -> list[Finding]:
        """Validate and run the rules on one document: its findings, less suppressed ones.

        A check that fails is one finding on the job naming it (:func:`_failed`) instead of what
        it yielded, and the other checks still run."""
        job = document.job
        found: list[tuple[str, str, str]] = []  # (code, pointer, message)
        if self._schema_codes:
            from sagelint.schema.validate import validate_job

            try:
                found += [
                    (issue.code, issue.pointer, issue.message)
                    for issue in validate_job(job.data, job.kind)
                    if issue.code in self._schema_codes
                ]
            except Exception as error:  # a bug, ours or a plugin's: see _failed
                found.append(_failed("the schema check", error))
        policy = self.options.policy
        for rule in self._checks[job.kind]:
            code, check = rule.code, rule.check
            assert check is not None
            try:
                violations = check(job, policy) if rule.needs else check(job)
                found += [(code, v.pointer, v.message) for v in violations]
            except Exception as error:  # a bug, ours or a plugin's: see _failed
                found.append(_failed(f"{code} {rule.name}", error))
        # What the parsing found (a duplicate key, SM005), at the position it gives.
        problems = [p for p in document.problems if p.code in self._enabled_codes]
        positions = {len(found) + i: (p.line, p.column) for i, p in enumerate(problems)}
        found.extend((p.code, p.pointer, p.message) for p in problems)
        findings = self._keep(document, found, positions)
        findings.sort(key=lambda f: (f.line, f.column, f.rule))
        return findings

    def _keep(
        self,
        document: Document,
        found: list[tuple[str, str, str]],
        positions: Mapping[int, tuple[int, int]],
    ) -> list[Finding]:
        """Findings minus the suppressed ones, which are counted by reason."""
        per_file = self.options.per_file_ignores
        matched = _matching_globs(document.path, self._per_file, self._root) if per_file else []
        suppressing = [
            (reason, selectors)
            for reason, selectors in (
                ("tag", ignored_by_tag(document.job)),
                ("metadata", document.ignore),
                ("per-file-ignores", [code for glob in matched for code in per_file[glob]]),
            )
            if selectors
        ]
        kept = []
        name = document.name
        for index, (code, pointer, message) in enumerate(found):
            if suppressing and code not in INPUT_ERROR_CODES:
                rule = self._by_code[code]
                reason = next((why for why, names in suppressing if matches(rule, names)), None)
                if reason is not None:
                    self.suppressed[reason] += 1
                    continue
            line, column = positions.get(index) or document.locate(pointer)
            source = document.locate.source((line, column)) if self.options.show_source else None
            finding = Finding(
                code,
                self._severity[code],
                message + _origin(document.origins, pointer),
                document.path,
                line,
                column,
                document.file_pointer(pointer),
                name,
                source,
            )
            kept.append(finding)
        return kept


# What checking one input gives, for each document (or input error) in it, in order:
# (path, job name, where the job lives in AWS (None: no document), its findings before the
# baseline).
Checked = tuple[str, str | None, JobResource | None, list[Finding]]
PARALLEL_FROM = 256  # files; fewer are checked faster than a pool of processes starts
CHUNK = 64  # files a worker checks at a time

_WORKER: tuple[Linter, dict[str, Any]] | None = None


def _start_worker(linter: Linter, load_options: dict[str, Any]) -> None:
    global _WORKER  # noqa: PLW0603  # the one linter of a worker process
    _WORKER = linter, load_options


def _check_chunk(chunk: list[str | LoadError]) -> tuple[list[Checked], Counter[str]]:
    assert _WORKER is not None
    linter, load_options = _WORKER
    linter.suppressed = Counter()
    checked = [item for source in chunk for item in linter._check_source(source, load_options)]
    return checked, linter.suppressed


def _origin(origins: Sequence[tuple[str, str]], pointer: str) -> str:
    """Where the value at ``pointer`` came from, when the document gives it indirectly (a
    pipeline parameter's default), to end a message with."""
    for given, origin in origins:
        if pointer == given or pointer.startswith(given + "/"):
            return f" (the value is {origin})"
    return ""


def _failed(what: str, error: Exception) -> tuple[str, str, str]:
    """The finding of a check that raised ``error`` (``what`` names it): SM001 when the job is
    nested too deeply for it, else SM000 (a bug, ours or a plugin's: reported on this job)."""
    if isinstance(error, RecursionError):
        return INVALID_SYNTAX.code, "", f"nested too deeply for {what} to check"
    message = f"internal error ({type(error).__name__}) in {what} on this job; please report it"
    return INTERNAL_ERROR.code, "", message


def _input_error(error: LoadError) -> Finding:
    return Finding(
        error.code, "error", error.message, error.path, error.line, error.column, "", None
    )
