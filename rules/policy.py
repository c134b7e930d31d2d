"""Organisation policy rules: each is off until the configuration sets what it checks against
(``[tool.sagelint.rules]`` in pyproject.toml, or ``[rules]`` in .sagelint.toml)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Policy, Violation, rule
from sagelint.rules._facts import instance_count
from sagelint.rules._instance_storage import instance_types

DEFAULT_RUNTIME_SECONDS = 86_400  # model docs of StoppingCondition.MaxRuntimeInSeconds
PATTERN_TIMEOUT_SECONDS = 0.1


@rule(
    code="SM302",
    name="runtime-above-policy",
    severity="error",
    summary="MaxRuntimeInSeconds above the organisation's cap (max-runtime-seconds)",
    needs=("max_runtime_seconds",),
    references=("botocore SageMaker service model: StoppingCondition.MaxRuntimeInSeconds",),
)
def runtime_above_policy(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks `StoppingCondition.MaxRuntimeInSeconds` against the configured
    `max-runtime-seconds`. A request spec without it gets the service default, one day (model
    docs: "The default value is 1 day"), and is checked with that.

    ## Why is this bad?
    The runtime limit is a job's cost ceiling: a runaway job bills every instance until it is
    reached. An organisation that caps it (say, 12 hours) wants every job to carry its cap.

    ## Example
    ```toml
    [tool.sagelint.rules]
    max-runtime-seconds = 43200
    ```
    ```json
    {"StoppingCondition": {"MaxRuntimeInSeconds": 86400}}
    ```

    ## How to fix
    Lower `MaxRuntimeInSeconds` to the cap, or exempt the job with the tag
    `sagelint:ignore` = `SM302` and a reason in another tag.
    """
    cap = policy.max_runtime_seconds
    assert cap is not None
    runtime = job.integer("StoppingCondition", "MaxRuntimeInSeconds")
    if (
        runtime is None
        and job.kind == "create"
        and not job.has("StoppingCondition", "MaxRuntimeInSeconds")
    ):
        if cap < DEFAULT_RUNTIME_SECONDS:
            where = "/StoppingCondition" if job.has("StoppingCondition") else ""
            yield Violation(
                where,
                f"no MaxRuntimeInSeconds: the 1-day default ({DEFAULT_RUNTIME_SECONDS:,} s) is "
                f"above the policy cap of {cap:,} s",
            )
    elif runtime is not None and runtime > cap:
        yield Violation(
            "/StoppingCondition/MaxRuntimeInSeconds",
            f"MaxRuntimeInSeconds is {runtime:,} s, above the policy cap of {cap:,} s",
        )


@rule(
    code="SM309",
    name="instance-not-allowed",
    severity="error",
    summary="an instance type not allowed, or more instances than allowed, by the organisation",
    needs=("allowed_instance_types", "max_instance_count"),
    references=("botocore SageMaker service model: ResourceConfig",),
)
def instance_not_allowed(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks every instance type of the job (`ResourceConfig.InstanceType` and each of
    `ResourceConfig.InstanceGroups[].InstanceType`) against `allowed-instance-types` (globs,
    such as `ml.g5.*`), and the number of instances (`InstanceCount`, or the sum over the
    instance groups) against `max-instance-count`.

    ## Why is this bad?
    Instance types are the largest cost of a training job and are often limited by reserved
    capacity, quotas or approved regions; a job on an unapproved type either fails on a quota
    or spends outside the plan.

    ## Example
    ```toml
    [tool.sagelint.rules]
    allowed-instance-types = ["ml.m5.*", "ml.g5.*"]
    max-instance-count = 4
    ```
    ```json
    {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 8}}
    ```

    ## How to fix
    Use an allowed type and count, or exempt the job with the tag `sagelint:ignore`.
    """
    allowed = policy.allowed_instance_types
    if allowed is not None:
        for where, kind in instance_types(job):
            if not any(fnmatch.fnmatchcase(kind, glob) for glob in allowed):
                yield Violation(
                    where, f"instance type {kind} is not allowed (allowed: {', '.join(allowed)})"
                )
    most = policy.max_instance_count
    count = instance_count(job)
    if most is not None and count is not None and count > most:
        yield Violation("/ResourceConfig", f"{count} instances, more than the allowed {most}")


def _registry(image: str) -> str:
    """The registry host of an image reference, "" for Docker Hub.

    As Docker reads a reference: the part before the first ``/`` is a registry host only when
    it has a ``.`` or a ``:`` or is ``localhost``; otherwise it is a Docker Hub namespace.
    """
    head, slash, _ = image.partition("/")
    if slash and ("." in head or ":" in head or head == "localhost"):
        return head
    return ""


@rule(
    code="SM502",
    name="image-registry-not-allowed",
    severity="error",
    summary="the training image comes from a registry the organisation does not allow",
    needs=("allowed_image_registries",),
    references=("botocore SageMaker service model: AlgorithmSpecification.TrainingImage",),
)
def image_registry_not_allowed(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks the registry of `AlgorithmSpecification.TrainingImage` (the host before the first
    `/`, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com`) against
    `allowed-image-registries` (globs, e.g. `123456789012.dkr.ecr.*.amazonaws.com`).

    ## Why is this bad?
    The training image runs with the job's IAM role and sees its data: an image from an
    unvetted registry is a supply-chain risk. (The model docs of `TrainingImage` describe
    Amazon ECR paths, and private Docker registries reached through the VPC with
    `TrainingImageConfig`.)

    ## Example
    ```toml
    [tool.sagelint.rules]
    allowed-image-registries = ["123456789012.dkr.ecr.*.amazonaws.com"]
    ```
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage":
        "docker.io/someone/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c3b1e0e1e4f9a0b7c6d5e4f3a2b1c0d9e"}}
    ```

    ## How to fix
    Copy the image into an allowed registry (an ECR repository of your account), scan it, and
    reference it there.
    """
    allowed = policy.allowed_image_registries
    assert allowed is not None
    image = job.text("AlgorithmSpecification", "TrainingImage")
    if image is None:
        return
    registry = _registry(image)
    if not any(fnmatch.fnmatchcase(registry, glob) for glob in allowed):
        shown = registry or "no registry (Docker Hub)"
        yield Violation(
            "/AlgorithmSpecification/TrainingImage",
            f"image registry {shown} is not allowed (allowed: {', '.join(allowed)})",
        )


@rule(
    code="SM503",
    name="required-tags-missing",
    severity="error",
    summary="a job lacks tags the organisation requires",
    needs=("required_tags",),
    references=(
        "botocore SageMaker service model: CreateTrainingJobRequest.Tags",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListTags.html",
    ),
)
def required_tags_missing(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks that the job has every tag key in `required-tags`. Tags are known for request specs
    (their `Tags`), EventBridge events, and live audits (read with ListTags, since
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


@rule(
    code="SM504",
    name="job-name-pattern",
    severity="warning",
    summary="TrainingJobName does not follow the organisation's naming pattern",
    needs=("job_name_pattern",),
    references=("botocore SageMaker service model: TrainingJobName",),
)
def job_name_pattern(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `TrainingJobName` matches `job-name-pattern` as a whole (a regular
    expression; the match is given 0.1 s, so a pattern with catastrophic backtracking
    reports itself instead of hanging the run).

    ## Why is this bad?
    Names are how people find jobs in the console, in CloudWatch and in cost reports; a
    naming convention (team prefix, date) makes them searchable. Names cannot be changed
    after the job is created.

    ## Example
    ```toml
    [tool.sagelint.rules]
    job-name-pattern = "(growth|search)-[a-z0-9-]+-\\\\d{8}"
    ```
    ```json
    {"TrainingJobName": "test123"}
    ```

    ## How to fix
    Rename the job in its spec before it is created.
    """
    import regex

    pattern = policy.job_name_pattern
    assert pattern is not None
    name = job.name
    if name is None:
        return
    try:
        matched = regex.fullmatch(pattern, name, timeout=PATTERN_TIMEOUT_SECONDS)
    except TimeoutError:
        yield Violation(
            "/TrainingJobName",
            f"job-name-pattern took longer than {PATTERN_TIMEOUT_SECONDS} s on this name: "
            "simplify the pattern",
        )
        return
    if matched is None:
        yield Violation("/TrainingJobName", f"job name {name!r} does not match {pattern!r}")
