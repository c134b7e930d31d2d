"""What a lint run produces: findings, and their severities."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Literal

    Severity = Literal["info", "warning", "error"]

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}


class Source(NamedTuple):
    """The source line of a finding (a window of it when long), values of HyperParameters and
    Environment masked, and the 1-based column of the finding in that text."""

    text: str
    column: int


class Finding(NamedTuple):
    """One problem found in one job document.

    ``line`` and ``column`` are 1-based and point at the offending value in ``path`` (at the
    member's key for an object member, at the nearest enclosing object when a field is missing).
    ``pointer`` is an RFC 6901 JSON pointer into the job document itself (whether it was saved
    alone, in an array or as an event, or read from AWS), or, for a job declared in a template,
    a state machine, a pipeline or a plan, into that file.
    """

    rule: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    pointer: str
    job: str | None
    # The source line, when asked for (``--show-source``): not part of the finding's data.
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        found = self._asdict()
        del found["source"]
        return found

    def fingerprint(self) -> str:
        """A stable identity: rule, job (the file when the job has no name) and pointer.

        Line numbers are left out, so reformatting a file or reordering its keys keeps it.
        """
        import hashlib

        key = "\x00".join((self.rule, self.job or self.path, self.pointer))
        # surrogateescape: a file name that is not UTF-8 keeps its bytes
        return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def at_least(severity: str, threshold: str) -> bool:
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]
