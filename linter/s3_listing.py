"""What S3 says of a job's data, for the rules that look at it: listings and bucket regions.

:class:`S3Listing` is what :attr:`sagelint.job.Job.s3` maps each ``S3Uri`` to, and
:attr:`~sagelint.job.Job.bucket_regions` maps each bucket to its region. A :class:`ListingRequest`
is a listing a rule needs, a :class:`RegionRequest` a bucket whose region it needs: an S3-aware
rule says which for a job with its :attr:`~sagelint.rule_api.Rule.s3_requests`, and
:func:`s3_requests` gathers those of the enabled rules. The S3-aware rules and the AWS layer
that asks S3 for them (``sagelint.aws``) both import this module; it imports neither, and the AWS
layer never imports the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from sagelint.job import Job
    from sagelint.rule_api import Rule


class S3Listing(NamedTuple):
    """What S3 holds under one ``S3Uri``, as far as it was read.

    For ``S3Prefix`` the objects under the prefix (ListObjectsV2; zero-byte "folder" keys ending
    in ``/`` are not counted); for ``ManifestFile`` the entries of the manifest and for
    ``AugmentedManifestFile`` its lines (sizes unknown: ``total_bytes`` and the others are None).
    ``partial`` says why the listing stopped before the end: ``"cap"`` (the cap of objects read
    per channel, ``cap``) or ``"enough"`` (the count reached what the rules needed).
    """

    uri: str
    data_type: str
    objects: int
    total_bytes: int | None = None
    largest_bytes: int | None = None
    largest_key: str | None = None
    median_bytes: int | None = None
    partial: Literal["cap", "enough"] | None = None
    cap: int | None = None

    @property
    def complete(self) -> bool:
        return self.partial is None

    def at_least(self) -> str:
        """``"at least "`` when the listing stopped early, else ``""``."""
        return "" if self.complete else "at least "

    def partial_note(self) -> str:
        if self.partial != "cap":
            return ""
        return (
            f" (from the first {self.cap or self.objects:,} objects listed: the listing stops "
            "at --s3-max-objects)"
        )


class ListingRequest(NamedTuple):
    """A listing the enabled rules need: ``enough`` objects (None: as many as the cap allows),
    for the channel named ``channel`` whose ``S3Uri`` is at ``pointer``."""

    uri: str
    data_type: str
    enough: int | None
    channel: str
    pointer: str
    asked_by: tuple[str, ...] = ()  # the codes of the rules that need it

    @property
    def what(self) -> str:
        """What the request is for, as a message says it."""
        return f"channel {self.channel} ({self.uri})"


class RegionRequest(NamedTuple):
    """The region of ``bucket``, of the S3 location (``field``, at ``pointer``) a rule checks."""

    bucket: str
    field: str
    pointer: str
    asked_by: tuple[str, ...] = ()

    @property
    def what(self) -> str:
        return f"the bucket of {self.field} ({self.bucket})"


S3Request = ListingRequest | RegionRequest


def s3_aware(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Those of ``rules`` that ask S3 (their :attr:`~sagelint.rule_api.Rule.s3_requests`)."""
    return tuple(rule for rule in rules if rule.s3_requests is not None)


def s3_requests(job: Job, rules: Iterable[Rule]) -> list[S3Request]:
    """What ``rules`` need S3 to say to check ``job``: a listing per ``S3Uri`` (one that one rule
    needs whole and another only in part is made whole; the first rule to ask names the
    channel), a region per bucket."""
    wanted: dict[tuple[str, str], S3Request] = {}
    for rule in rules:
        for request in rule.s3_requests(job) if rule.s3_requests is not None else ():
            key = (
                ("region", request.bucket)
                if isinstance(request, RegionRequest)
                else (
                    "listing",
                    request.uri,
                )
            )
            previous = wanted.get(key)
            if previous is None:
                wanted[key] = request._replace(asked_by=(rule.code,))
                continue
            asked_by = tuple(dict.fromkeys((*previous.asked_by, rule.code)))
            if isinstance(previous, ListingRequest) and isinstance(request, ListingRequest):
                enough = (
                    None
                    if previous.enough is None or request.enough is None
                    else max(previous.enough, request.enough)
                )
                wanted[key] = previous._replace(enough=enough, asked_by=asked_by)
            else:
                wanted[key] = previous._replace(asked_by=asked_by)
    return list(wanted.values())
