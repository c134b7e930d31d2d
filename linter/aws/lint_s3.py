"""``sagelint lint --s3``: files linted with the S3 data of each job's channels listed first.

The engine is not changed for it: :class:`ListingsForDocuments` is the engine's
:attr:`~sagelint.engine.Linter.prepare` step, which gives each loaded document's job the listings
the enabled S3-aware rules need, as the audit does for a live job.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sagelint.aws.connect import Clients, Connection, base_session
from sagelint.aws.s3 import DEFAULT_S3_MAX_OBJECTS, S3Lister, answer
from sagelint.document_rules import AWS_ERROR
from sagelint.findings import Finding
from sagelint.load.loaders import Document
from sagelint.rule_api import Rule
from sagelint.s3_listing import ListingRequest, S3Request, s3_aware, s3_requests

if TYPE_CHECKING:
    import boto3
    from sagelint.engine import Linter


def s3_failure_message(failures: list[tuple[S3Request, str]]) -> str:
    """The SM004 message of S3 requests that failed: for what, why, which rules skipped."""
    listings = [f"{r.what}: {text}" for r, text in failures if isinstance(r, ListingRequest)]
    regions = [f"{r.what}: {text}" for r, text in failures if not isinstance(r, ListingRequest)]
    parts = [f"S3 listing failed for {'; '.join(listings)}"] if listings else []
    parts += [f"GetBucketLocation failed for {'; '.join(regions)}"] if regions else []
    skipped = ", ".join(sorted({code for request, _ in failures for code in request.asked_by}))
    return f"{'; '.join(parts)}; {skipped} skipped for these {'buckets' if regions else 'channels'}"


class ListingsForDocuments:
    """Lists the S3 data that ``rules`` need for each document's job (clients are made per
    process: the engine's worker processes list S3 in parallel) and attaches it to the job."""

    def __init__(self, rules: tuple[Rule, ...], max_objects: int, session: boto3.Session) -> None:
        self._rules = rules
        self._max_objects = max_objects
        self._session = session
        self._per_process: tuple[int, S3Lister, Clients] | None = None

    def _tools(self) -> tuple[S3Lister, Clients]:
        if self._per_process is None or self._per_process[0] != os.getpid():
            endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
            clients = Clients(Connection(endpoint_url=endpoint))
            self._per_process = (os.getpid(), S3Lister(self._max_objects), clients)
        return self._per_process[1], self._per_process[2]

    def __call__(self, document: Document) -> tuple[Document, list[Finding]]:
        job = document.job
        requests = s3_requests(job, self._rules)
        if not requests:
            return document, []
        lister, clients = self._tools()
        region = job.region or self._session.region_name or "us-east-1"
        found = answer(lister, clients.s3(self._session, region), "lint", requests)
        asked = job._replace(s3=found.listings, bucket_regions=found.regions)
        listed = document._replace(job=asked)
        if not found.failures:
            return listed, []
        pointer = found.failures[0][0].pointer
        line, column = document.locate(pointer)
        message = s3_failure_message(found.failures)
        note = Finding(
            AWS_ERROR.code,
            "error",
            message,
            document.path,
            line,
            column,
            document.file_pointer(pointer),
            document.name,
        )
        return listed, [note]


def lint_with_s3(
    linter: Linter,
    paths: Iterable[str],
    *,
    s3_max_objects: int = DEFAULT_S3_MAX_OBJECTS,
    session: boto3.Session | None = None,
    **load_options: Any,
) -> Iterator[Finding]:
    """``sagelint lint --s3``: :meth:`Linter.lint_paths`, with the S3 data of each job's
    channels listed first (the standard credential chain, or ``session``) for the S3-aware
    rules that ``linter`` enables, so that they can run on saved files. An S3 error is an
    SM004 finding on that job."""
    rules = s3_aware(linter.enabled)
    if not rules:
        yield from linter.lint_paths(paths, **load_options)
        return
    linter.prepare = ListingsForDocuments(rules, s3_max_objects, session or base_session())
    try:
        yield from linter.lint_paths(paths, **load_options)
    finally:
        linter.prepare = None
