"""The engine: load -> validate -> run rules, one document at a time, findings as they come.

This is the library API: :func:`lint_paths` for files and folders, :func:`lint_job` for a job
document already in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from linter.findings import Finding, Severity
from linter.job import Job, Kind
from linter.loaders import DEFAULT_MAX_DOCUMENT_SIZE, Document, LoadError, job_kind, load
from linter.rule import Rule
from rules import RULES, RULES_BY_CODE

# Problems with the input itself: always reported, whatever is selected, and they make the run
# exit with 2 (the input could not be checked), not 1.
INPUT_ERRORS = frozenset({"SM000", "SM001", "SM002", "SM003", "SM004"})
SCHEMA_CODES = frozenset({"SM010", "SM011", "SM012"})


class SelectorError(ValueError):
    """A --select/--ignore entry that names no rule."""


@dataclass(frozen=True)
class Options:
    """What to check and how: the command line and the configuration file end up here."""

    select: Sequence[str] = ("SM",)
    ignore: Sequence[str] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    max_document_size: int = DEFAULT_MAX_DOCUMENT_SIZE

    def rules(self) -> list[Rule]:
        """The rules enabled by select/ignore (a code or a prefix of codes, like ``SM1``)."""
        for selector in (*self.select, *self.ignore):
            if not any(code.startswith(selector.upper()) for code in RULES_BY_CODE):
                raise SelectorError(f"{selector!r} matches no rule (see `sagelint rules`)")
        return [
            rule
            for rule in RULES
            if _matches(rule.code, self.select) and not _matches(rule.code, self.ignore)
        ]


def _matches(code: str, selectors: Sequence[str]) -> bool:
    return any(code.startswith(selector.upper()) for selector in selectors)


class Linter:
    """Runs the selected rules over documents; build once, use for any number of documents."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        enabled = self.options.rules()
        self._checks = {
            kind: [r for r in enabled if r.check and kind in r.kinds]
            for kind in ("describe", "create")
        }
        self._schema_codes = {r.code for r in enabled} & SCHEMA_CODES
        self._severity = {
            rule.code: self.options.severity.get(rule.code, rule.severity) for rule in RULES
        }
        self.jobs_checked = 0
        self.files_seen = 0
        self._last_path: str | None = None

    def lint_paths(self, paths: Iterable[str], **load_options: Any) -> Iterator[Finding]:
        """Findings for every job in ``paths``, a document at a time, each document's in order."""
        for loaded in load(paths, max_document_size=self.options.max_document_size, **load_options):
            if loaded.path != self._last_path:
                self._last_path = loaded.path
                self.files_seen += 1
            if isinstance(loaded, LoadError):
                yield self._load_error(loaded)
            else:
                yield from self.lint_document(loaded)

    def lint_document(self, document: Document) -> list[Finding]:
        job = document.job
        name = job.name
        self.jobs_checked += 1
        found: list[tuple[str, str, str]] = []  # (code, pointer, message)
        try:
            if self._schema_codes:
                from linter.validate import validate_job

                found.extend(
                    (issue.code, issue.pointer, issue.message)
                    for issue in validate_job(job.data, job.kind)
                    if issue.code in self._schema_codes
                )
            for rule in self._checks[job.kind]:
                assert rule.check is not None
                found.extend((rule.code, v.pointer, v.message) for v in rule.check(job))
        except RecursionError:
            found.append(("SM002", "", "nested too deeply to be checked"))
        except Exception as error:  # a bug of ours: report it on this document, go on with the rest
            found.append(
                (
                    "SM000",
                    "",
                    f"internal error ({type(error).__name__}) while checking this job; "
                    "please report it",
                )
            )
        findings = []
        for code, pointer, message in found:
            line, column = document.locate(pointer)
            findings.append(
                Finding(
                    code, self._severity[code], message, document.path, line, column, pointer, name
                )
            )
        findings.sort(key=lambda f: (f.line, f.column, f.rule))
        return findings

    def _load_error(self, error: LoadError) -> Finding:
        return Finding(
            error.code, "error", error.message, error.path, error.line, error.column, "", None
        )


def lint_paths(paths: Iterable[str], options: Options | None = None) -> Iterator[Finding]:
    """Lint files and folders of job documents (see :func:`linter.loaders.load`)."""
    return Linter(options).lint_paths(paths)


def lint_job(
    data: Mapping[str, Any],
    *,
    kind: Kind | None = None,
    options: Options | None = None,
    path: str = "<memory>",
) -> list[Finding]:
    """Lint one job document held in memory (a dict as boto3 returns it, or a request spec).

    Positions are not known for data in memory: every finding is at line 1, column 1, and its
    ``pointer`` says where in the document the problem is.
    """
    kind = kind or job_kind(data) or "create"
    job = Job(kind, {k: v for k, v in data.items() if k != "ResponseMetadata"})
    return Linter(options).lint_document(Document(path, job, lambda pointer: (1, 1)))


def exit_code(findings: Iterable[Finding], fail_on: Severity) -> int:
    """0 clean, 1 a finding at or above ``fail_on``, 2 an input that could not be checked."""
    from linter.findings import at_least

    code = 0
    for finding in findings:
        if finding.rule in INPUT_ERRORS:
            return 2
        if at_least(finding.severity, fail_on):
            code = 1
    return code


__all__ = ["INPUT_ERRORS", "RULES", "Linter", "Options", "exit_code", "lint_job", "lint_paths"]
