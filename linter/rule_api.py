"""How a rule is declared: its code, metadata and check function.

Rules live in the ``rules`` package, one family per module; each is a plain function that takes a
:class:`~sagelint.job.Job` and yields :class:`Violation` s, decorated with :func:`rule`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sagelint.findings import Severity
    from sagelint.job import Job, Kind
    from sagelint.s3_listing import S3Request

KINDS: frozenset[Kind] = frozenset({"describe", "create"})


class Violation(NamedTuple):
    """What a check yields: where in the job document (JSON pointer), and what is wrong."""

    pointer: str
    message: str


Check = Callable[..., Iterable[Violation]]
# What an S3-aware rule needs S3 to say to check a job: listings, bucket regions.
S3Requests = Callable[["Job"], Iterable["S3Request"]]


class Policy(NamedTuple):
    """An organisation's own policy: the ``[tool.sagelint.rules]`` table of the configuration.

    A rule that ``needs`` one of these fields is off until it is set, and its check is called
    as ``check(job, policy)``; every other check is called as ``check(job)``.
    """

    max_runtime_seconds: int | None = None
    allowed_instance_types: tuple[str, ...] | None = None
    max_instance_count: int | None = None
    allowed_image_registries: tuple[str, ...] | None = None
    required_tags: tuple[str, ...] | None = None
    job_name_pattern: str | None = None

    def configures(self, rule: Rule) -> bool:
        return not rule.needs or any(getattr(self, name) is not None for name in rule.needs)


@dataclass(eq=False)
class Rule:
    """A rule's metadata, next to the code that checks it.

    ``check`` is None for the document rules (SM0xx) that the loader and the schema validator
    report themselves. ``kinds`` says which documents the rule means something for: ``describe``
    (a DescribeTrainingJob response, i.e. a job that exists) and ``create`` (a CreateTrainingJob
    request, i.e. a saved job spec). ``needs`` names :class:`Policy` fields: the rule is off
    until one is set. ``s3_requests`` (S3-aware rules) says what the rule needs S3 to say to check a
    job (listings, bucket regions): ``sagelint audit`` and ``sagelint lint --s3`` ask and attach
    the answers to the job (:attr:`sagelint.job.Job.s3`, :attr:`~sagelint.job.Job.bucket_regions`);
    without them the rule finds nothing. ``reads_tags``: the rule reads the job's tags
    (:attr:`sagelint.job.Job.tags`) beyond the ``sagelint:ignore`` tag that suppresses findings:
    ``sagelint audit`` then reads every job's tags, where it otherwise reads only the
    ``sagelint:ignore`` tags (the tags of the other jobs are then None: unknown). Rules compare
    by identity: two rules are never the same rule.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Check | None = None
    kinds: frozenset[Kind] = KINDS
    references: tuple[str, ...] = ()
    peers: Mapping[str, str] = field(default_factory=dict)
    compliance: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    s3_requests: S3Requests | None = None
    reads_tags: bool = False
    # Where the rule comes from, as `sagelint rules` shows it: "built-in", "plugin NAME VERSION"
    # or "policy PATH".
    origin: str = "built-in"

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"

    def __post_init__(self) -> None:
        # The documentation (What it does / Why is this bad? / Example / How to fix), as Markdown
        # without the docstring's indentation.
        self.doc = inspect.cleandoc(self.doc)

    @property
    def family(self) -> str:
        return self.code[:3]


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    kinds: Iterable[Kind] = KINDS,
    references: Iterable[str] = (),
    peers: Mapping[str, str] | None = None,
    compliance: Iterable[str] = (),
    needs: Iterable[str] = (),
    s3_requests: S3Requests | None = None,
    reads_tags: bool = False,
) -> Callable[[Check], Rule]:
    """Turn a check function into a :class:`Rule`; its docstring is the rule's documentation."""

    def wrap(check: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            summary=summary,
            doc=check.__doc__ or "",
            check=check,
            kinds=frozenset(kinds),
            references=tuple(references),
            peers=dict(peers or {}),
            compliance=tuple(compliance),
            needs=tuple(needs),
            s3_requests=s3_requests,
            reads_tags=reads_tags,
        )

    return wrap
