"""The library API: lint files, folders or a document in memory with the built-in rules.

The top of the house: it gives the engine the catalogue of :mod:`sagelint.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sagelint.engine import Linter, Options
from sagelint.findings import Finding
from sagelint.job import Kind, job_kind, make_job
from sagelint.load.loaders import Document
from sagelint.load.locate import NOWHERE
from sagelint.rule_api import Rule
from sagelint.rules import RULES


def lint_paths(
    paths: Iterable[str], options: Options | None = None, *, rules: Sequence[Rule] = RULES
) -> Iterator[Finding]:
    """Lint files and folders of job documents (see :func:`sagelint.load.loaders.sources`)."""
    return Linter(options, rules=rules).lint_paths(paths)


def lint_job(
    data: Mapping[str, Any],
    *,
    kind: Kind | None = None,
    tags: Mapping[str, str] | None = None,
    options: Options | None = None,
    path: str = "<memory>",
    rules: Sequence[Rule] = RULES,
) -> list[Finding]:
    """Lint one job document held in memory: a dict as boto3 returns it, a request spec, or an
    EventBridge state change event. A request's own ``Tags`` count (``sagelint:ignore``, SM503)
    as they do in a file; ``tags`` (from ListTags) win over them.

    Positions are not known for data in memory: every finding is at line 1, column 1, and its
    ``pointer`` says where in the document the problem is.
    """
    job = make_job(data, kind=kind or job_kind(data) or "create", tags=tags)
    assert job is not None  # a kind is given
    document = Document(path, job, NOWHERE)
    return Linter(options, rules=rules).lint_document(document)
