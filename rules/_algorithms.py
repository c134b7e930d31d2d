"""What runs a job: its training image (an Amazon ECR image? a built-in algorithm's?) or an
algorithm resource (one of the job's own account, or an AWS Marketplace subscription)."""

from __future__ import annotations

import re
from typing import NamedTuple

from sagelint.job import Job
from sagelint.patterns import Pattern
from sagelint.rules._algorithm_images import REGISTRIES

# ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/REPOSITORY[:TAG][@DIGEST]
_ECR = re.compile(
    r"([0-9]{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([a-z0-9._/-]+)"
)
_ALGORITHM_ARN = re.compile(r"arn:aws[a-z-]*:sagemaker:([a-z0-9-]*):([0-9]{12}):algorithm/")

# The built-in algorithms that checkpoint. The developer guide's checkpoints page: "Built-in
# algorithms: Image Classification, Object Detection, Semantic Segmentation, and XGBoost (0.90-1
# or later)" (the sagemaker-xgboost repository holds 0.90-1 and later; the xgboost repository
# the legacy 1); and Linear Learner's page: "If you're using Managed Spot Training, the linear
# learner algorithm supports using checkpoints to take a snapshot of the state of the model."
CHECKPOINTING = frozenset(
    {"image-classification", "object-detection", "semantic-segmentation", "sagemaker-xgboost",
     "linear-learner"}
)  # fmt: skip
CHECKPOINTS_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-checkpoints.html"


# An image reference as SageMaker takes it: "registry/repository[:tag]" or
# "registry/repository[@digest]" (model docs of AlgorithmSpecification.TrainingImage), with the
# grammar of the OCI distribution reference (lower-case path components, tags of up to 128
# characters). Anything else (a placeholder such as "..." or "TrainingImage") is not looked at.
_REFERENCE = Pattern(
    r"""
    (?P<registry>[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*(?::[0-9]+)?)
    /(?P<repository>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)
    (?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?
    (?:@(?P<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}))?
    """,
    re.VERBOSE,
)


def image_reference(image: str) -> re.Match[str] | None:
    """The parts of an image reference (``registry``, ``repository``, ``tag``, ``digest``), or
    None for what is not one (a placeholder, a name without a registry part)."""
    return _REFERENCE.fullmatch(image)


class EcrImage(NamedTuple):
    account: str
    region: str
    repository: str


def ecr_image(image: str) -> EcrImage | None:
    """The registry account, region and repository of an Amazon ECR image URI; None for
    another registry's image."""
    found = _ECR.match(image)
    return EcrImage(*found.groups()) if found else None


def builtin_algorithm(job: Job) -> str | None:
    """The repository of the built-in algorithm whose image the job trains with (``kmeans``,
    ``sagemaker-xgboost``), from the registries the SageMaker Python SDK lists; None for any
    other image, or none."""
    image = job.text("AlgorithmSpecification", "TrainingImage")
    found = ecr_image(image) if image else None
    if found is None or REGISTRIES.get(found.repository, {}).get(found.region) != found.account:
        return None
    return found.repository


def marketplace_algorithm(job: Job) -> str | None:
    """The account of the algorithm resource the job uses, when it is another account's (as an
    AWS Marketplace subscription is): an ``AlgorithmName`` ARN in an account other than the
    job's. None when the job's account or the algorithm's is not known, or they are the same.
    (An inference: the model documents AlgorithmName as "an algorithm resource that you created
    or subscribe to on Amazon Web Services Marketplace", and a resource you created is in your
    own account.)"""
    name = job.text("AlgorithmSpecification", "AlgorithmName")
    found = _ALGORITHM_ARN.match(name) if name else None
    account = job.account
    if found is None or account is None or found.group(2) == account:
        return None
    return found.group(2)
