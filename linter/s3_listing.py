"""What S3 holds under a channel's ``S3Uri``, for the rules that look at a job's data in S3.

:class:`S3Listing` is what :attr:`sagelint.job.Job.s3` maps each ``S3Uri`` to; a
:class:`ListingRequest` is a listing a rule needs: an S3-aware rule says which for a job with its
:attr:`~sagelint.rule_api.Rule.listings`, and :func:`listing_requests` gathers those of the
enabled rules. The S3-aware rules and the AWS layer that lists S3 for them (``sagelint.aws``)
both import this module; it imports neither, and the AWS layer never imports the rules.
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


def s3_aware(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Those of ``rules`` that read S3 listings (their :attr:`~sagelint.rule_api.Rule.listings`)."""
    return tuple(rule for rule in rules if rule.listings is not None)


def listing_requests(job: Job, rules: Iterable[Rule]) -> list[ListingRequest]:
    """The S3 listings ``rules`` need to check ``job``, one per ``S3Uri``: a listing that one rule
    needs whole and another only in part is made whole; the first rule to ask names the channel."""
    wanted: dict[str, ListingRequest] = {}
    for rule in rules:
        for request in rule.listings(job) if rule.listings is not None else ():
            previous = wanted.get(request.uri)
            if previous is None:
                wanted[request.uri] = request
            elif previous.enough is not None:
                enough = None if request.enough is None else max(previous.enough, request.enough)
                wanted[request.uri] = previous._replace(enough=enough)
    return list(wanted.values())
