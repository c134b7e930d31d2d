"""No rule raises, whatever the document: property-based tests through the library API.

A rule that raised would surface as SM000 (internal error) on that document.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sagelint import lint_job

from tests.jobs import clean_describe, clean_request
from tests.test_schema import JSON_VALUES, documents

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def internal_errors(document: Any, kind: Any) -> list[str]:
    return [f.message for f in lint_job(document, kind=kind) if f.rule == "SM000"]


@SETTINGS
@given(documents())
def test_no_rule_raises_on_schema_shaped_documents(case: tuple[str, Any]) -> None:
    kind, document = case
    if isinstance(document, dict):
        assert internal_errors(document, kind) == []


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


@st.composite
def damaged_jobs(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A realistic job with a few values anywhere in it replaced by arbitrary JSON."""
    kind = draw(st.sampled_from(["create", "describe"]))
    job = clean_request() if kind == "create" else clean_describe()
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from([p for p in paths(job) if p]))
        parent: Any = job
        for step in where[:-1]:
            parent = parent[step]
        parent[where[-1]] = draw(JSON_VALUES)
    return kind, copy.deepcopy(job)


@SETTINGS
@given(damaged_jobs())
def test_no_rule_raises_on_damaged_real_shaped_jobs(case: tuple[str, dict[str, Any]]) -> None:
    kind, job = case
    assert internal_errors(job, kind) == []
