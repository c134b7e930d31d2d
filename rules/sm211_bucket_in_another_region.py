"""SM211 bucket-in-another-region: an input or output bucket in another region than the job
(S3-aware).
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import (
    MODEL_DOCS,
    bucket_of,
    channel_name,
    channels,
    directory_bucket,
    output_locations,
)
from sagelint.s3_listing import RegionRequest

INPUT_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-access-training-data.html"


def _locations(job: Job) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(what, bucket, path) of each S3 location of the job in a general purpose bucket: input
    channels, then the outputs. (A directory bucket's name holds its zone, and GetBucketLocation
    does not answer for it.)"""
    found: list[tuple[str, tuple[str | int, ...], str | None]] = []
    for index, channel in channels(job):
        path: tuple[str | int, ...] = (
            "InputDataConfig",
            index,
            "DataSource",
            "S3DataSource",
            "S3Uri",
        )
        found.append((f"channel {channel_name(channel, index)}", path, job.text(*path)))
    for path, output in output_locations(job):
        found.append((".".join(map(str, path)), path, output))
    for what, where, uri in found:
        bucket = bucket_of(uri) if uri and uri.startswith("s3://") else None
        if bucket and not directory_bucket(uri):
            yield what, bucket, where


def _regions_wanted(job: Job) -> Iterator[RegionRequest]:
    if job.region is None:
        return  # nothing to compare with
    for what, bucket, path in _locations(job):
        yield RegionRequest(bucket, what, pointer(*path))


@rule(
    code="SM211",
    name="bucket-in-another-region",
    severity="error",
    summary="an input or output bucket in another region than the job",
    s3_requests=_regions_wanted,
    references=(
        f"{MODEL_DOCS}: S3DataSource",
        f"{MODEL_DOCS}: S3DataSource.S3Uri",
        f"{MODEL_DOCS}: CreateTrainingJobRequest.InputDataConfig",
        INPUT_DOCS,
    ),
)
def bucket_in_another_region(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Compares the region of the bucket of each S3 location of the job (the `S3Uri` of every input
    channel; `OutputDataConfig.S3OutputPath`, `CheckpointConfig.S3Uri`, the TensorBoard,
    debugger and profiler outputs) with the job's region: the region of its `TrainingJobArn`,
    or for a request spec `sagelint lint --region` or the configuration's `region`.

    Needs S3: it runs in `sagelint audit` and `sagelint lint --s3`, which ask S3 for each
    bucket's region (GetBucketLocation, once per bucket and run), and says nothing on a plain
    `lint`, nor when the job's region is not known. Directory buckets are not asked.

    ## Why is this bad?
    The model docs of `S3DataSource`: "Your input bucket must be in the same Amazon Web Services
    region as your training job", of `S3DataSource.S3Uri`: "Your input bucket must be located in
    same Amazon Web Services region as your training job", and the developer guide: "Your
    dataset must reside in the same AWS Region as the training job." The job fails when it
    starts, after the instances were provisioned. For the outputs the docs say nothing; that
    they must be in the job's region too is an inference from the same failure reported when a
    job uploads its model to a bucket of another region ("BucketRegionError: bucket must be in
    the same region as the job").

    ## Example
    ```toml
    [tool.sagelint]
    region = "us-east-1"
    ```
    ```console
    $ aws s3api get-bucket-location --bucket ml-data-123456789012
    eu-west-1
    ```
    ```json
    {"InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
       "S3DataType": "S3Prefix", "S3Uri": "s3://ml-data-123456789012/churn/train/",
       "S3DataDistributionType": "FullyReplicated"}}, "ContentType": "text/csv"}]}
    ```

    ## How to fix
    Copy the data to a bucket of the job's region (or run the job in the bucket's region):
    ```json
    {"InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
       "S3DataType": "S3Prefix", "S3Uri": "s3://ml-data-use1-123456789012/churn/train/",
       "S3DataDistributionType": "FullyReplicated"}}, "ContentType": "text/csv"}]}
    ```
    """
    region, known = job.region, job.bucket_regions
    if region is None or known is None:
        return
    for what, bucket, path in _locations(job):
        where = known.get(bucket)
        if where is not None and where != region:
            yield Violation(
                pointer(*path),
                f"the bucket of {what} ({bucket}) is in {where} but the job runs in {region}: "
                "SageMaker reads and writes the job's data in the job's region",
            )
