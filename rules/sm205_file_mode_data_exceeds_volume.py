"""SM205 file-mode-data-exceeds-volume: File-mode input larger than the ML storage volume it is
downloaded to.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, channel_name, channels, effective_input_mode
from sagelint.rules._format import size
from sagelint.rules._instance_storage import ebs_only
from sagelint.rules._s3_listings import (
    listable_channels,
    listing_of,
    readers_of,
    s3_source,
    sharded,
)
from sagelint.s3_listing import ListingRequest


def _listings(job: Job) -> Iterator[ListingRequest]:
    """The sizes of each File-mode prefix of a job on EBS-only instances with a volume size."""
    if not job.integer("ResourceConfig", "VolumeSizeInGB") or not ebs_only(job):
        return
    for channel in listable_channels(job):
        if channel.data_type == "S3Prefix" and effective_input_mode(job, channel.channel) == "File":
            yield channel.request(enough=None)


GIB = 1024**3


@rule(
    code="SM205",
    name="file-mode-data-exceeds-volume",
    severity="error",
    summary="File-mode input larger than the ML storage volume it is downloaded to",
    s3_requests=_listings,
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
    if job.s3 is None:  # S3 was not listed: nothing to say
        return
    volume = job.integer("ResourceConfig", "VolumeSizeInGB")
    if not volume or not ebs_only(job):
        return
    per_group: dict[str | None, float] = {}
    parts: list[str] = []
    partial = False
    for index, channel in channels(job):
        s3 = s3_source(channel)
        if s3 is None or effective_input_mode(job, channel) != "File":
            continue
        listing = listing_of(job, s3)
        readers = readers_of(job, s3)
        if listing is None or listing.total_bytes is None or not readers:
            continue
        n = sum(readers.values())
        share = listing.total_bytes / n if sharded(s3) and n > 0 else listing.total_bytes
        for group in readers:
            per_group[group] = per_group.get(group, 0) + share
        partial = partial or listing.partial == "cap"
        how = f"1/{n} of " if sharded(s3) and n > 1 else ""
        parts.append(
            f"{channel_name(channel, index)}: {how}{listing.at_least()}"
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
