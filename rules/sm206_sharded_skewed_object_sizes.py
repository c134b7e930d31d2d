"""SM206 sharded-skewed-object-sizes: ShardedByS3Key over objects of very skewed sizes: one
instance gets far more data.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, channel_name, channels
from sagelint.rules._format import size
from sagelint.rules._s3_listings import (
    listable_channels,
    listing_of,
    readers_of,
    s3_source,
    sharded,
)
from sagelint.s3_listing import ListingRequest


def _listings(job: Job) -> Iterator[ListingRequest]:
    """The sizes of each sharded prefix read by several instances."""
    for channel in listable_channels(job):
        if channel.data_type == "S3Prefix" and channel.sharded_over_several:
            yield channel.request(enough=None)


# SM206: the largest object is at least this many times the median...
SKEW_RATIO = 10


def _bucket(uri: str) -> str:
    return uri.removeprefix("s3://").partition("/")[0]


@rule(
    code="SM206",
    name="sharded-skewed-object-sizes",
    severity="warning",
    summary="ShardedByS3Key over objects of very skewed sizes: one instance gets far more data",
    s3_requests=_listings,
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
    if job.s3 is None:  # S3 was not listed: nothing to say
        return
    for index, channel in channels(job):
        s3 = s3_source(channel)
        if s3 is None or not sharded(s3):
            continue
        readers = readers_of(job, s3)
        count = sum(readers.values()) if readers else None
        listing = listing_of(job, s3)
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
            f"channel {channel_name(channel, index)} shards {listing.objects:,} objects over "
            f"{count} instances but their sizes are skewed: the largest "
            f"(s3://{_bucket(listing.uri)}/{listing.largest_key}, {size(largest)}) is "
            f"{ratio:,.0f} times the median ({size(median)}) and more than an even share "
            f"({size(share)}) on its own, so the instance that gets it finishes last"
            f"{listing.partial_note()}",
        )
