"""SM112 private-registry-without-vpc-access: a training image outside Amazon ECR without
TrainingRepositoryAccessMode Vpc, which CreateTrainingJob rejects.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._algorithms import ecr_image, image_reference
from sagelint.rules._facts import MODEL_DOCS
from sagelint.rules.sm109_private_registry_without_vpc import PRIVATE_REGISTRY_DOCS


@rule(
    code="SM112",
    name="private-registry-without-vpc-access",
    severity="error",
    summary="a training image outside Amazon ECR without TrainingRepositoryAccessMode Vpc, "
    "which CreateTrainingJob rejects",
    kinds=("create",),
    references=(
        f"{MODEL_DOCS}: AlgorithmSpecification.TrainingImage",
        f"{MODEL_DOCS}: TrainingImageConfig.TrainingRepositoryAccessMode",
        PRIVATE_REGISTRY_DOCS,
    ),
)
def private_registry_without_vpc_access(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a request spec whose `AlgorithmSpecification.TrainingImage` is not in Amazon
    ECR (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/...`), but in a private Docker registry or on a
    public one such as Docker Hub, sets `TrainingImageConfig.TrainingRepositoryAccessMode` to
    `Vpc`. Request specs only: a job that exists was accepted.

    ## Why is this bad?
    The developer guide: "You can use a private Docker registry instead of an Amazon Elastic
    Container Registry (Amazon ECR) to host your images for SageMaker AI Training", by creating
    "a training image configuration object and input `Vpc` the `TrainingRepositoryAccessMode`
    field". The model of `TrainingRepositoryAccessMode`: "For access to an image in a private
    Docker registry, set to Vpc." CreateTrainingJob refuses an image from elsewhere without it:
    "TrainingImageConfig with TrainingRepositoryAccessMode set to VPC must be provided when
    using a training image from a private Docker registry" (a ValidationException).

    ## Example
    ```json
    {"AlgorithmSpecification": {
       "TrainingImage":"registry.internal.example.com/ml/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c",
       "TrainingInputMode": "File"}}
    ```

    ## How to fix
    ```json
    {"AlgorithmSpecification": {
       "TrainingImage":"registry.internal.example.com/ml/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c",
       "TrainingInputMode": "File",
       "TrainingImageConfig": {"TrainingRepositoryAccessMode": "Vpc"}}}
    ```
    with a `VpcConfig` whose subnets reach the registry (SM109); or push the image to Amazon
    ECR.
    """
    image = job.text("AlgorithmSpecification", "TrainingImage")
    if image is None or ecr_image(image) is not None or image_reference(image) is None:
        return
    path = ("AlgorithmSpecification", "TrainingImageConfig", "TrainingRepositoryAccessMode")
    if job.unknown(*path) or job.text(*path) == "Vpc":
        return
    yield Violation(
        "/AlgorithmSpecification/TrainingImage",
        f"training image {image} is not in Amazon ECR, and TrainingRepositoryAccessMode is "
        "not Vpc: CreateTrainingJob requires Vpc access for an image from another registry",
    )
