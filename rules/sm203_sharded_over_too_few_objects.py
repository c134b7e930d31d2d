"""SM203 sharded-over-too-few-objects: ShardedByS3Key with more instances than S3 objects (or
manifest entries) to share.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, channel_name, channels
from sagelint.rules._s3_listings import (
    listable_channels,
    listing_of,
    readers_of,
    s3_source,
    sharded,
)
from sagelint.s3_listing import ListingRequest


def _listings(job: Job) -> Iterator[ListingRequest]:
    """A count of each sharded channel's objects, up to as many as instances read it."""
    for channel in listable_channels(job):
        if channel.sharded_over_several:
            yield channel.request(enough=channel.readers)


@rule(
    code="SM203",
    name="sharded-over-too-few-objects",
    severity="error",
    summary="ShardedByS3Key with more instances than S3 objects (or manifest entries) to share",
    s3_requests=_listings,
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
    if job.s3 is None:  # S3 was not listed: nothing to say
        return
    for index, channel in channels(job):
        s3 = s3_source(channel)
        if s3 is None or not sharded(s3):
            continue
        readers = readers_of(job, s3)
        count = sum(readers.values()) if readers else None
        listing = listing_of(job, s3)
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
            f"channel {channel_name(channel, index)} is ShardedByS3Key over {what} "
            f"{listing.uri} but {count} instances read it: {idle} of them get no data and are "
            "billed all the same",
        )
