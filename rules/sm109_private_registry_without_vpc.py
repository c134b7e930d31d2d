"""SM109 private-registry-without-vpc: TrainingRepositoryAccessMode Vpc on a job without a
VpcConfig.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS

PRIVATE_REGISTRY_DOCS = (
    "https://docs.aws.amazon.com/sagemaker/latest/dg/docker-containers-adapt-your-own-private-"
    "registry.html"
)


@rule(
    code="SM109",
    name="private-registry-without-vpc",
    severity="error",
    summary="TrainingRepositoryAccessMode Vpc on a job without a VpcConfig",
    references=(
        f"{MODEL_DOCS}: TrainingImageConfig.TrainingRepositoryAccessMode",
        PRIVATE_REGISTRY_DOCS,
    ),
)
def private_registry_without_vpc(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a job whose `TrainingRepositoryAccessMode` (in
    `AlgorithmSpecification.TrainingImageConfig`) is `Vpc`, its image pulled from a private
    Docker registry through the job's VPC, has a `VpcConfig`.

    ## Why is this bad?
    The model: "The method that your training job will use to gain access to the images in your
    private Docker registry. For access to an image in a private Docker registry, set to Vpc."
    The developer guide on private registries: "Your registry must: [...] be accessible from
    the same VPC specified in the VpcConfig parameter in the CreateTrainingJob API. Input
    VpcConfig when you create your training job", and "You must also configure your training
    job to connect to the same VPC to which your Docker registry has access." Without a
    `VpcConfig` there is no VPC to reach the registry through, so the image cannot be pulled.
    (That the request is refused, rather than failing when it pulls, is not documented.)

    ## Example
    ```json
    {"AlgorithmSpecification": {
       "TrainingImage":"registry.internal.example.com/ml/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c",
       "TrainingInputMode": "File",
       "TrainingImageConfig": {"TrainingRepositoryAccessMode": "Vpc"}},
     "VpcConfig": null}
    ```

    ## How to fix
    ```json
    {"VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"],
                   "Subnets": ["subnet-0123456789abcdef0"]}}
    ```
    with a subnet that can reach the registry.
    """
    mode = job.text("AlgorithmSpecification", "TrainingImageConfig", "TrainingRepositoryAccessMode")
    if mode == "Vpc" and not job.has("VpcConfig"):
        yield Violation(
            "/AlgorithmSpecification/TrainingImageConfig/TrainingRepositoryAccessMode",
            "TrainingRepositoryAccessMode is Vpc but the job has no VpcConfig: the private "
            "registry is reached through the job's VPC, and there is none",
        )
