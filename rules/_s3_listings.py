"""What the S3-aware rules (SM203, SM205, SM206) share: the channels whose data can be listed,
the instances that read each, and the listing a channel got.

No rule does I/O: ``sagelint audit`` and ``sagelint lint --s3`` ask each enabled rule which
listings it needs (:attr:`sagelint.rule_api.Rule.s3_requests`), list them, and attach what they
found to the job (:attr:`sagelint.job.Job.s3`, keyed by ``S3Uri``). Without it (a plain
``sagelint lint``) these rules say nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

from sagelint.job import Job, pointer
from sagelint.rules._facts import channel_name, channels, instance_count
from sagelint.s3_listing import ListingRequest, S3Listing

if TYPE_CHECKING:
    from typing import Any

# S3DataType values whose S3Uri can be listed: a key prefix, or a manifest to read.
LISTABLE = frozenset({"S3Prefix", "ManifestFile", "AugmentedManifestFile"})


def s3_source(channel: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A channel's ``S3DataSource`` when it has an ``S3Uri``."""
    source = channel.get("DataSource")
    s3 = source.get("S3DataSource") if isinstance(source, Mapping) else None
    if isinstance(s3, Mapping) and isinstance(s3.get("S3Uri"), str):
        return s3
    return None


def sharded(s3: Mapping[str, Any]) -> bool:
    return s3.get("S3DataDistributionType") == "ShardedByS3Key"


def instance_groups(job: Job) -> dict[str | None, int] | None:
    """Instances by group: ``{name: count}`` for a heterogeneous cluster, else ``{None: n}``."""
    groups = job.array("ResourceConfig", "InstanceGroups")
    if groups:
        found: dict[str | None, int] = {}
        for group in groups:
            if not isinstance(group, Mapping):
                return None
            name, count = group.get("InstanceGroupName"), group.get("InstanceCount")
            if not isinstance(name, str) or not isinstance(count, int) or isinstance(count, bool):
                return None
            found[name] = found.get(name, 0) + count
        return found
    count = instance_count(job)
    return {None: count} if count is not None else None


def readers_of(job: Job, s3: Mapping[str, Any]) -> dict[str | None, int] | None:
    """The instance groups that read a data source (its ``InstanceGroupNames``, else all)."""
    groups = instance_groups(job)
    named = s3.get("InstanceGroupNames")
    if groups is None or not (isinstance(named, list) and named):
        return groups
    if not all(isinstance(name, str) and name in groups for name in named):
        return None
    return {name: groups[name] for name in named}


def listing_of(job: Job, s3: Mapping[str, Any]) -> S3Listing | None:
    """What the audit or ``lint --s3`` found under the data source's ``S3Uri``, if it looked."""
    if job.s3 is None:
        return None
    found = job.s3.get(str(s3.get("S3Uri")))
    return found if isinstance(found, S3Listing) else None


class ListableChannel(NamedTuple):
    """A channel whose ``S3Uri`` can be listed, and how many instances read it (None: unknown)."""

    channel_index: int
    channel: Mapping[str, Any]
    s3: Mapping[str, Any]
    data_type: str
    readers: int | None

    @property
    def sharded_over_several(self) -> bool:
        return sharded(self.s3) and self.readers is not None and self.readers > 1

    def request(self, enough: int | None) -> ListingRequest:
        """A listing of this channel's ``S3Uri`` that may stop after ``enough`` objects (None:
        as many as the cap allows)."""
        return ListingRequest(
            str(self.s3["S3Uri"]),
            self.data_type,
            enough,
            channel_name(self.channel, self.channel_index),
            pointer("InputDataConfig", self.channel_index, "DataSource", "S3DataSource", "S3Uri"),
        )


def listable_channels(job: Job) -> Iterator[ListableChannel]:
    for index, channel in channels(job):
        s3 = s3_source(channel)
        data_type = s3.get("S3DataType", "S3Prefix") if s3 is not None else None
        if s3 is None or data_type not in LISTABLE:
            continue
        readers = readers_of(job, s3)
        count = sum(readers.values()) if readers else None
        yield ListableChannel(index, channel, s3, str(data_type), count)
