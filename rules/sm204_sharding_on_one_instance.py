"""SM204 sharding-on-one-instance: S3DataDistributionType ShardedByS3Key on a channel read by a
single instance.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import (
    MODEL_DOCS,
    channel_name,
    channels,
    instance_count,
    s3_data_source,
)


def _reader_count(job: Job, s3: Mapping[str, Any]) -> int | None:
    """How many instances read an S3 data source: those of the instance groups it names
    (``S3DataSource.InstanceGroupNames``, heterogeneous clusters), else all of the job's."""
    named = s3.get("InstanceGroupNames")
    if isinstance(named, list) and named:
        groups = {
            g.get("InstanceGroupName"): g.get("InstanceCount")
            for g in job.array("ResourceConfig", "InstanceGroups")
            if isinstance(g, Mapping)
        }
        counts = [groups.get(name) for name in named if isinstance(name, str)]
        if len(counts) == len(named) and all(
            isinstance(c, int) and not isinstance(c, bool) for c in counts
        ):
            return sum(counts)  # type: ignore[arg-type]
    return instance_count(job)


@rule(
    code="SM204",
    name="sharding-on-one-instance",
    severity="info",
    summary="S3DataDistributionType ShardedByS3Key on a channel read by a single instance",
    references=(
        f"{MODEL_DOCS}: S3DataSource.S3DataDistributionType",
        f"{MODEL_DOCS}: S3DataSource.InstanceGroupNames",
        f"{MODEL_DOCS}: ResourceConfig.InstanceCount",
    ),
)
def sharding_on_one_instance(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports a channel with `S3DataDistributionType: ShardedByS3Key` that only one instance
    reads: `ResourceConfig.InstanceCount` is 1 (or the instance groups of a heterogeneous
    cluster add up to 1, or the channel's `InstanceGroupNames` name groups of 1 instance in
    total). Silent when the instance count is unknown.

    ## Why is this bad?
    The model docs of `S3DataSource.S3DataDistributionType`: "If there are n ML compute
    instances launched for a training job, each instance gets approximately 1/n of the number
    of S3 objects." With n = 1 the one instance gets all of them: the setting has no effect,
    and says something the job does not do. It matters when the job is scaled out later:
    every instance then trains on a shard only, which is right for data-parallel training
    but wrong for a channel every instance needs whole (validation data, a vocabulary, a
    pretrained model).

    Severity: info, an observation: the job runs exactly as with `FullyReplicated`.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1},
     "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
         "S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/",
         "S3DataDistributionType": "ShardedByS3Key"}}}]}
    ```

    ## How to fix
    Use `FullyReplicated` (the default), or keep `ShardedByS3Key` deliberately for a job you
    will scale out, with data split into at least as many objects as instances.
    """
    for index, channel in channels(job):
        s3 = s3_data_source(channel)
        if s3.get("S3DataDistributionType") != "ShardedByS3Key":
            continue
        readers = _reader_count(job, s3)
        if readers != 1:
            continue
        yield Violation(
            pointer(
                "InputDataConfig", index, "DataSource", "S3DataSource", "S3DataDistributionType"
            ),
            f"channel {channel_name(channel, index)} is ShardedByS3Key but is read by a single "
            "instance: sharding has no effect",
        )
