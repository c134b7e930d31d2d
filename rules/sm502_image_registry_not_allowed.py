"""SM502 image-registry-not-allowed: the training image comes from a registry the organisation does
not allow.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Policy, Violation, rule


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
        "999999999999.dkr.ecr.us-east-1.amazonaws.com/someone-else/train@sha256:0f5a1c5d8e8f6b1a"}}
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
