"""SM309 instance-not-allowed: an instance type not allowed, or more instances than allowed, by the
organisation.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Policy, Violation, rule
from sagelint.rules._facts import instance_count
from sagelint.rules._instance_storage import instance_types


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
