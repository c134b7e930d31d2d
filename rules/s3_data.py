"""SM203, SM205, SM206: a job's input data as it is in S3.

These rules need to know what S3 holds under each channel's ``S3Uri``, and no rule does I/O:
``sagelint audit`` (and ``sagelint lint --s3``) list the data first, bounded by a cap on the
objects read per channel, and attach a summary of each listing to the job
(:attr:`sagelint.job.Job.s3`, keyed by ``S3Uri``). Without it (a plain ``sagelint lint``) the rules
say nothing. :data:`S3_RULES` names these rules for the AWS layer, which never imports the rules:
the command line hands it over, and its :func:`listing_requests` says which listings the enabled
ones need.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING

from sagelint.job import Job, pointer
from sagelint.rule_api import Rule, Violation, rule
from sagelint.rules._facts import channels, effective_input_mode, instance_count
from sagelint.rules._instance_storage import has_local_storage, instance_types
from sagelint.s3_listing import ListingRequest, S3Rules

# Re-exported: tests/test_rule_docs.py imports it from here.
from sagelint.s3_listing import S3Listing as S3Listing  # noqa: PLC0414

if TYPE_CHECKING:
    from typing import Any

MODEL_DOCS = "botocore SageMaker service model"
# S3DataType values whose S3Uri the audit can list: a key prefix, or a manifest to read.
LISTABLE = frozenset({"S3Prefix", "ManifestFile", "AugmentedManifestFile"})
# SM206: the largest object is at least this many times the median...
SKEW_RATIO = 10
GIB = 1024**3


def _s3_source(channel: Mapping[str, Any]) -> Mapping[str, Any] | None:
    source = channel.get("DataSource")
    s3 = source.get("S3DataSource") if isinstance(source, Mapping) else None
    if isinstance(s3, Mapping) and isinstance(s3.get("S3Uri"), str):
        return s3
    return None


def _channel_name(channel: Mapping[str, Any], index: int) -> str:
    name = channel.get("ChannelName")
    return repr(name) if isinstance(name, str) else f"#{index}"


def _groups(job: Job) -> dict[str | None, int] | None:
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


def _readers(job: Job, s3: Mapping[str, Any]) -> dict[str | None, int] | None:
    """The instance groups that read a data source (its ``InstanceGroupNames``, else all)."""
    groups = _groups(job)
    named = s3.get("InstanceGroupNames")
    if groups is None or not (isinstance(named, list) and named):
        return groups
    if not all(isinstance(name, str) and name in groups for name in named):
        return None
    return {name: groups[name] for name in named}


def _sharded(s3: Mapping[str, Any]) -> bool:
    return s3.get("S3DataDistributionType") == "ShardedByS3Key"


def listing_requests(job: Job, enabled: Collection[Rule]) -> list[ListingRequest]:
    """The S3 listings that the ``enabled`` rules need to check ``job``, one per ``S3Uri``.

    SM203 needs only to know whether there are as many objects as instances, so its listing
    stops there; SM205 and SM206 need sizes, as far as the cap allows.
    """
    wanted: dict[str, ListingRequest] = {}
    all_ebs = _ebs_only(job)
    for index, channel in channels(job):
        s3 = _s3_source(channel)
        if s3 is None or s3.get("S3DataType", "S3Prefix") not in LISTABLE:
            continue
        data_type = str(s3.get("S3DataType", "S3Prefix"))
        readers = _readers(job, s3)
        count = sum(readers.values()) if readers else None
        sharded = _sharded(s3) and count is not None and count > 1
        needs_sizes = data_type == "S3Prefix" and (
            (sharded_skewed_object_sizes in enabled and sharded)
            or (
                file_mode_data_exceeds_volume in enabled
                and all_ebs
                and bool(job.integer("ResourceConfig", "VolumeSizeInGB"))
                and effective_input_mode(job, channel) == "File"
            )
        )
        if not needs_sizes and not (sharded_over_too_few_objects in enabled and sharded):
            continue
        need = None if needs_sizes else count
        uri = str(s3["S3Uri"])
        previous = wanted.get(uri)
        if previous is not None:
            need = None if previous.enough is None or need is None else max(previous.enough, need)
        where = pointer("InputDataConfig", index, "DataSource", "S3DataSource", "S3Uri")
        wanted[uri] = ListingRequest(
            uri,
            data_type,
            need,
            previous.channel if previous else _channel_name(channel, index),
            previous.pointer if previous else where,
        )
    return list(wanted.values())


def _listing(job: Job, s3: Mapping[str, Any]) -> S3Listing | None:
    if job.s3 is None:
        return None
    found = job.s3.get(str(s3.get("S3Uri")))
    return found if isinstance(found, S3Listing) else None


def _ebs_only(job: Job) -> bool:
    """Every instance type of the job is known to be EBS-only (``VolumeSizeInGB`` is its disk)."""
    kinds = instance_types(job)
    return bool(kinds) and all(has_local_storage(kind) is False for _, kind in kinds)


def size(count: float) -> str:
    """``1.5 GiB``, ``12 MiB``, ``512 B``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if count < 1024 or unit == "TiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.3g} {unit}"
        count /= 1024
    raise AssertionError  # pragma: no cover


@rule(
    code="SM203",
    name="sharded-over-too-few-objects",
    severity="error",
    summary="ShardedByS3Key with more instances than S3 objects (or manifest entries) to share",
    references=(
        f"{MODEL_DOCS}: S3DataSource.S3DataDistributionType",
        f"{MODEL_DOCS}: S3DataSource.S3Uri (manifest format)",
        f"{MODEL_DOCS}: S3DataSource.InstanceGroupNames",
    ),
)
def sharded_over_too_few_objects(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    For each channel with `S3DataDistributionType: ShardedByS3Key` read by n > 1 instances
    (`ResourceConfig.InstanceCount`, or the instance groups the channel's `InstanceGroupNames`
    name), counts the S3 objects under the `S3Uri` prefix (the entries of a `ManifestFile`,
    the lines of an `AugmentedManifestFile`) and reports fewer than n. The listing stops as
    soon as it has counted n objects.

    Needs S3: it runs in `sagelint audit` and `sagelint lint --s3`, and says nothing on a
    plain `lint`. On an existing job (a DescribeTrainingJob response) an empty prefix is not
    reported: the job could not have started without data, so the data was removed since.

    ## Why is this bad?
    The model docs of `S3DataSource.S3DataDistributionType`: "If there are n ML compute
    instances launched for a training job, each instance gets approximately 1/n of the number
    of S3 objects. [...] Don't choose more ML compute instances for training than available
    S3 objects. If you do, some nodes won't get any data and you will pay for nodes that
    aren't getting any training data. This applies in both File and Pipe modes."

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 4,
                        "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"},
     "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
         "S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/",
         "S3DataDistributionType": "ShardedByS3Key"}}}]}
    ```
    with only two objects under the prefix: two of the four instances get nothing.
    ```console
    $ aws s3 ls --recursive s3://bucket/train/
    2026-11-01 10:00:00   52428800 train/part-0.csv
    2026-11-01 10:00:00   52428800 train/part-1.csv
    ```

    ## How to fix
    Split the data into at least as many objects as instances (better, a multiple of the
    instance count), use fewer instances, or use `FullyReplicated`.
    """
    for index, channel in channels(job):
        s3 = _s3_source(channel)
        if s3 is None or not _sharded(s3):
            continue
        readers = _readers(job, s3)
        count = sum(readers.values()) if readers else None
        listing = _listing(job, s3)
        if count is None or count < 2 or listing is None or listing.objects >= count:
            continue
        if listing.partial == "cap" or (listing.objects == 0 and job.kind == "describe"):
            continue
        what = {
            "ManifestFile": f"{listing.objects:,} entries in the manifest",
            "AugmentedManifestFile": f"{listing.objects:,} lines in the augmented manifest",
        }.get(listing.data_type, f"{listing.objects:,} S3 objects under")
        idle = count - listing.objects
        yield Violation(
            pointer(
                "InputDataConfig", index, "DataSource", "S3DataSource", "S3DataDistributionType"
            ),
            f"channel {_channel_name(channel, index)} is ShardedByS3Key over {what} "
            f"{listing.uri} but {count} instances read it: {idle} of them get no data and are "
            "billed all the same",
        )


@rule(
    code="SM205",
    name="file-mode-data-exceeds-volume",
    severity="error",
    summary="File-mode input larger than the ML storage volume it is downloaded to",
    references=(
        f"{MODEL_DOCS}: ResourceConfig.VolumeSizeInGB",
        f"{MODEL_DOCS}: S3DataSource.S3DataDistributionType",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/model-train-storage.html",
    ),
)
def file_mode_data_exceeds_volume(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Adds up, for each instance, the bytes that File-mode channels download to it: the whole
    prefix for `FullyReplicated`, about 1/n of it for `ShardedByS3Key` over n instances (the
    share of the instance groups a channel names, on heterogeneous clusters). Reports a total
    larger than `ResourceConfig.VolumeSizeInGB`. Only on EBS-only instance types: instances
    with NVMe instance storage get a fixed local disk whose size the job does not state.
    Channels in Pipe or FastFile mode stream their data and do not count, nor do manifests
    (their objects' sizes are not listed).

    Needs S3: it runs in `sagelint audit` and `sagelint lint --s3`, and says nothing on a
    plain `lint`. When the listing stopped at the cap (`--s3-max-objects`), the size is a
    lower bound, and the message says so.

    ## Why is this bad?
    The model docs of `ResourceConfig.VolumeSizeInGB`: "ML storage volumes store model
    artifacts and incremental states. [...] If you want to store the training data in the ML
    storage volume, choose File as the TrainingInputMode". With `ShardedByS3Key` in File mode
    "this copies 1/n of the number of objects" (`S3DataDistributionType`). Data that does not
    fit makes the job fail while downloading, after the instances were started and billed.

    ## Example
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "File"},
     "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "VolumeSizeInGB": 30,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"},
     "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
         "S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/"}}}]}
    ```
    with 120 GiB under `s3://bucket/train/`:
    ```console
    $ aws s3 ls --recursive s3://bucket/train/
    2026-11-01 10:00:00 64424509440 train/part-0.csv
    2026-11-01 10:00:00 64424509440 train/part-1.csv
    ```

    ## How to fix
    Raise `VolumeSizeInGB` above the data plus room for the model and checkpoints, shard the
    data over more instances, or read it in FastFile or Pipe mode.
    """
    volume = job.integer("ResourceConfig", "VolumeSizeInGB")
    if not volume or not _ebs_only(job):
        return
    per_group: dict[str | None, float] = {}
    parts: list[str] = []
    partial = False
    for index, channel in channels(job):
        s3 = _s3_source(channel)
        if s3 is None or effective_input_mode(job, channel) != "File":
            continue
        listing = _listing(job, s3)
        readers = _readers(job, s3)
        if listing is None or listing.total_bytes is None or not readers:
            continue
        n = sum(readers.values())
        share = listing.total_bytes / n if _sharded(s3) and n > 0 else listing.total_bytes
        for group in readers:
            per_group[group] = per_group.get(group, 0) + share
        partial = partial or listing.partial == "cap"
        how = f"1/{n} of " if _sharded(s3) and n > 1 else ""
        parts.append(
            f"{_channel_name(channel, index)}: {how}{listing.at_least()}"
            f"{size(listing.total_bytes)} under {listing.uri}"
        )
    if not per_group:
        return
    group, largest = max(per_group.items(), key=lambda item: item[1])
    if largest <= volume * GIB:
        return
    who = f"each instance of group {group!r}" if group is not None else "each instance"
    note = " (a lower bound: a listing stopped at --s3-max-objects)" if partial else ""
    yield Violation(
        pointer("ResourceConfig", "VolumeSizeInGB"),
        f"File mode downloads {'at least ' if partial else ''}{size(largest)} of input data to "
        f"{who} ({'; '.join(parts)}) but the ML storage volume is {volume} GB{note}: the "
        "download fails once the volume is full",
    )


@rule(
    code="SM206",
    name="sharded-skewed-object-sizes",
    severity="warning",
    summary="ShardedByS3Key over objects of very skewed sizes: one instance gets far more data",
    references=(
        f"{MODEL_DOCS}: S3DataSource.S3DataDistributionType (ShardedByS3Key shares out the "
        "objects, not the bytes)",
    ),
)
def sharded_skewed_object_sizes(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    For each channel with `S3DataDistributionType: ShardedByS3Key` read by n > 1 instances,
    looks at the sizes of the objects under the `S3Uri` prefix and reports a prefix whose
    largest object is at least 10 times the median size and larger on its own than an even
    share of the data (the total divided by n).

    Needs S3: it runs in `sagelint audit` and `sagelint lint --s3`, and says nothing on a
    plain `lint`. When the listing stopped at the cap (`--s3-max-objects`), the figures are
    those of the objects listed, and the message says so.

    ## Why is this bad?
    Sharding splits the objects, not the bytes: the model docs of
    `S3DataDistributionType` say each instance "gets approximately 1/n of the number of S3
    objects". The instance that gets the largest object holds more data than an even share
    from that one object alone: it downloads (File mode) and trains longest, the others wait
    for it at every synchronisation point, and the whole cluster is billed for the wait.

    ## Example
    Four instances over `s3://bucket/train/` holding nine objects of 10 MiB and one of 2 GiB:
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 4,
                        "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"},
     "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
         "S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/",
         "S3DataDistributionType": "ShardedByS3Key"}}}]}
    ```
    ```console
    $ aws s3 ls --recursive s3://bucket/train/
    2026-11-01 10:00:00   10485760 train/part-0.csv
    2026-11-01 10:00:00   10485760 train/part-1.csv
    2026-11-01 10:00:00   10485760 train/part-2.csv
    2026-11-01 10:00:00   10485760 train/part-3.csv
    2026-11-01 10:00:00   10485760 train/part-4.csv
    2026-11-01 10:00:00   10485760 train/part-5.csv
    2026-11-01 10:00:00   10485760 train/part-6.csv
    2026-11-01 10:00:00   10485760 train/part-7.csv
    2026-11-01 10:00:00   10485760 train/part-8.csv
    2026-11-01 10:00:00 2147483648 train/part-9.csv
    ```

    ## How to fix
    Re-split the data into objects of similar sizes (for example with a fixed number of
    records per file), ideally a multiple of the instance count.
    """
    for index, channel in channels(job):
        s3 = _s3_source(channel)
        if s3 is None or not _sharded(s3):
            continue
        readers = _readers(job, s3)
        count = sum(readers.values()) if readers else None
        listing = _listing(job, s3)
        if count is None or count < 2 or listing is None or listing.objects < max(count, 2):
            continue
        largest, median, total = (
            listing.largest_bytes,
            listing.median_bytes,
            listing.total_bytes,
        )
        if largest is None or median is None or total is None:
            continue
        ratio = largest / max(median, 1)
        share = total / count
        if ratio < SKEW_RATIO or largest <= share:
            continue
        yield Violation(
            pointer(
                "InputDataConfig", index, "DataSource", "S3DataSource", "S3DataDistributionType"
            ),
            f"channel {_channel_name(channel, index)} shards {listing.objects:,} objects over "
            f"{count} instances but their sizes are skewed: the largest "
            f"(s3://{_bucket(listing.uri)}/{listing.largest_key}, {size(largest)}) is "
            f"{ratio:,.0f} times the median ({size(median)}) and more than an even share "
            f"({size(share)}) on its own, so the instance that gets it finishes last"
            f"{listing.partial_note()}",
        )


def _bucket(uri: str) -> str:
    return uri.removeprefix("s3://").partition("/")[0]


# What the AWS layer is given to list S3 for these rules.
S3_RULES = S3Rules(
    (sharded_over_too_few_objects, file_mode_data_exceeds_volume, sharded_skewed_object_sizes),
    listing_requests,
)
