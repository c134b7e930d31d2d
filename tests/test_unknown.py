"""A value the document does not know is never wrong: no schema error, no rule fires on it.

Template placeholders (``{{mode}}``, ``${Mode}``, ``{% $mode %}``), an :class:`~sagelint.job.Unknown`
(an intrinsic function, a pipeline parameter: what the infrastructure loaders make of them) and a
Step Functions ``"Name.$"`` member: one notion of unknown, shared by the schema check and every
rule. The clean jobs fire nothing; made unknown anywhere, in a leaf or a whole subtree, they still
fire nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import sagelint
from sagelint.job import Unknown

from tests.jobs import clean_describe, clean_request

UNKNOWNS: dict[str, Any] = {
    "jinja": "{{ mode }}",
    "dollar": "${TrainingMode}",
    "jsonata": "{% $states.input.mode %}",
    "intrinsic": Unknown("Ref TrainingMode"),
}


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every member and element below ``value``, subtrees and leaves."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        yield (*prefix, key)
        if isinstance(item, dict | list):
            yield from paths(item, (*prefix, key))


def replaced(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    parent: Any = changed
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return changed


def sfn_dynamic(document: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    """The member at ``path`` given as a Step Functions ``"Name.$"`` path instead."""
    changed = copy.deepcopy(document)
    parent: Any = changed
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    parent[f"{path[-1]}.$"] = "$.input.value"
    return changed


JOBS = {"request": clean_request(), "response": clean_describe()}
CASES = [
    (kind, path, form)
    for kind, job in JOBS.items()
    for path in paths(job)
    # (an array element has no name to give a "Name.$" path)
    for form in (*UNKNOWNS, *(("step functions",) if isinstance(path[-1], str) else ()))
]


def test_the_clean_jobs_fire_nothing() -> None:
    for job in JOBS.values():
        assert sagelint.lint_job(job) == []


@pytest.mark.parametrize(
    ("kind", "path", "form"), CASES, ids=["/".join(map(str, c[1])) + " " + c[2] for c in CASES]
)
def test_an_unknown_value_fires_nothing(kind: str, path: tuple[Any, ...], form: str) -> None:
    job = JOBS[kind]
    if form == "step functions":
        changed = sfn_dynamic(job, path)
    else:
        changed = replaced(job, path, UNKNOWNS[form])
    found = [(f.rule, f.pointer, f.message) for f in sagelint.lint_job(changed)]
    assert found == []
