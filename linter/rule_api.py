"""How a rule is declared: its code, metadata and check function.

Rules live in the ``rules`` package, one family per module; each is a plain function that takes a
:class:`~sagelint.job.Job` and yields :class:`Violation` s, decorated with :func:`rule`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sagelint.findings import Severity
    from sagelint.job import Kind

KINDS: frozenset[Kind] = frozenset({"describe", "create"})


class Violation(NamedTuple):
    """What a check yields: where in the job document (JSON pointer), and what is wrong."""

    pointer: str
    message: str


Check = Callable[..., Iterable[Violation]]


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


class Rule:
    """A rule's metadata, next to the code that checks it.

    ``check`` is None for the document rules (SM0xx) that the loader and the schema validator
    report themselves. ``kinds`` says which documents the rule means something for: ``describe``
    (a DescribeTrainingJob response, i.e. a job that exists) and ``create`` (a CreateTrainingJob
    request, i.e. a saved job spec). ``needs`` names :class:`Policy` fields: the rule is off
    until one is set.

    A plain class, not a dataclass: ``dataclasses`` imports ``inspect``, which alone costs a
    third of a one-file lint's start-up.
    """

    __slots__ = (
        "_doc",
        "check",
        "code",
        "compliance",
        "kinds",
        "name",
        "needs",
        "peers",
        "references",
        "severity",
        "summary",
    )

    def __init__(
        self,
        *,
        code: str,
        name: str,
        severity: Severity,
        summary: str,
        doc: str,
        check: Check | None = None,
        kinds: Iterable[Kind] = KINDS,
        references: Iterable[str] = (),
        peers: Mapping[str, str] | None = None,
        compliance: Iterable[str] = (),
        needs: Iterable[str] = (),
    ) -> None:
        self.code = code
        self.name = name
        self.severity: Severity = severity
        self.summary = summary
        self._doc = doc
        self.check = check
        self.kinds = frozenset(kinds)
        self.references = tuple(references)
        self.peers: Mapping[str, str] = dict(peers or {})
        self.compliance = tuple(compliance)
        self.needs = tuple(needs)

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"

    @property
    def doc(self) -> str:
        """The documentation (What it does / Why is this bad? / Example / How to fix), cleaned
        of its indentation when asked for: only explain, rules docs and SARIF need it."""
        return cleandoc(self._doc)

    @property
    def family(self) -> str:
        return self.code[:3]


def cleandoc(text: str) -> str:
    """A docstring without its common indentation and surrounding blank lines (as
    :func:`inspect.cleandoc`, without importing :mod:`inspect`)."""
    lines = text.expandtabs().split("\n")
    margin = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
    cleaned = [lines[0].strip(), *(line[margin:].rstrip() for line in lines[1:])]
    return "\n".join(cleaned).strip("\n")


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
            kinds=kinds,
            references=references,
            peers=peers,
            compliance=compliance,
            needs=needs,
        )

    return wrap
