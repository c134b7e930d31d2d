"""SM503 required-tags-missing: a job lacks tags the organisation requires."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Policy, Violation, rule


@rule(
    code="SM503",
    name="required-tags-missing",
    severity="error",
    summary="a job lacks tags the organisation requires",
    needs=("required_tags",),
    reads_tags=True,
    references=(
        "botocore SageMaker service model: CreateTrainingJobRequest.Tags",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListTags.html",
    ),
)
def required_tags_missing(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks that the job has every tag key in `required-tags`. Tags are known for request specs
    (their `Tags`), EventBridge events, and live audits (read with Search, or ListTags, since
    DescribeTrainingJob does not return tags); on a saved DescribeTrainingJob response the
    rule says nothing.

    ## Why is this bad?
    Cost allocation, ownership and incident response rely on tags such as `team` or
    `cost-center`; an untagged job's spend and owner are unknown.

    ## Example
    ```toml
    [tool.sagelint.rules]
    required-tags = ["team", "cost-center"]
    ```
    ```json
    {"Tags": [{"Key": "team", "Value": "growth"}]}
    ```

    ## How to fix
    Add the missing tags to the request's `Tags`.
    """
    required = policy.required_tags
    assert required is not None
    if job.tags is None:
        return
    missing = [key for key in required if key not in job.tags]
    if missing:
        where = "/Tags" if job.has("Tags") else ""
        yield Violation(where, f"missing required tags: {', '.join(missing)}")
