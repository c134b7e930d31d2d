"""Reading training jobs from SageMaker: ListTrainingJobs a page at a time, DescribeTrainingJob
(as JSON would hold it) and ListTags.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient

LIST_PAGE = 100  # ListTrainingJobs' largest page


def list_jobs(
    client: SageMakerClient, filters: Mapping[str, Any], max_jobs: int | None
) -> Iterator[dict[str, Any]]:
    """Training job summaries, newest first, a page (up to 100) at a time: nothing more than a
    page is held. ``filters`` are ListTrainingJobs parameters (StatusEquals, NameContains,
    LastModifiedTimeAfter...), applied by the service."""
    listed = 0
    token: str | None = None
    while True:
        size = LIST_PAGE if max_jobs is None else min(LIST_PAGE, max_jobs - listed)
        params: dict[str, Any] = {
            **filters,
            "SortBy": "CreationTime",
            "SortOrder": "Descending",
            "MaxResults": size,
        }
        if token:
            params["NextToken"] = token
        page = client.list_training_jobs(**params)
        for summary in page.get("TrainingJobSummaries", []):
            yield dict(summary)
            listed += 1
            if max_jobs is not None and listed >= max_jobs:
                return
        token = page.get("NextToken")
        if not token:
            return


def describe_job(client: SageMakerClient, name: str) -> dict[str, Any]:
    """A DescribeTrainingJob response, without ResponseMetadata, timestamps as ISO-8601."""
    response: dict[str, Any] = dict(client.describe_training_job(TrainingJobName=name))
    response.pop("ResponseMetadata", None)
    data: dict[str, Any] = plain(response)
    return data


def job_tags(client: SageMakerClient, arn: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    token: str | None = None
    while True:
        page = (
            client.list_tags(ResourceArn=arn, NextToken=token)
            if token
            else client.list_tags(ResourceArn=arn)
        )
        tags.update((tag["Key"], tag.get("Value", "")) for tag in page.get("Tags", []))
        token = page.get("NextToken")
        if not token:
            return tags


def plain(value: Any) -> Any:
    """A boto3 response as JSON would hold it: datetimes become ISO-8601 strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
