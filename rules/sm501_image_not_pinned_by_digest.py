"""SM501 image-not-pinned-by-digest: the training image is referenced by a tag, not pinned by
digest.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._algorithms import image_reference


@rule(
    code="SM501",
    name="image-not-pinned-by-digest",
    severity="warning",
    summary="the training image is referenced by a tag, not pinned by digest",
    references=(
        "botocore SageMaker service model: AlgorithmSpecification.TrainingImage",
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-algo-docker-registry-paths.html",
    ),
)
def image_not_pinned_by_digest(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `AlgorithmSpecification.TrainingImage` names its image by digest
    (`repository@sha256:...`). A tag (`repository:2.1.0`) fires; a missing tag, which means
    `latest`, and an explicit `:latest` fire with a message that says they are worse. Jobs that
    use `AlgorithmName` (an algorithm resource) instead of an image, and values that are not
    image references at all (placeholders), are left alone.

    AWS's own images (built-in algorithms such as
    `382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1`, Deep Learning Containers in
    `763104351884.dkr.ecr...`) are not exempt: their tags are mutable too, and AWS republishes
    images under them (a major-version tag such as `:1` names whatever image AWS last pushed
    for it), so the same spec can train with different code over time. Only AWS can push
    there, so the risk is reproducibility rather than tampering; a team that wants AWS's
    updates as they come can ignore SM501 for those jobs.

    ## Why is this bad?
    The model docs of `TrainingImage`: "SageMaker supports both `registry/repository[:tag]`
    and `registry/repository[@digest]` image path formats." A tag is a movable name: unless
    the ECR repository is set to immutable tags, anyone allowed to push can point it at
    another image, and the next run of this job (or a retry, or a warm-pool reuse) runs that
    image with the job's role and data. A job pinned by digest runs exactly the image that was
    reviewed and scanned, and can be reproduced. `latest` (or no tag) is the worst case: it
    follows every push by design. A warning: hardening; a single default severity, with the
    difference in the message.

    ## Example
    ```json
    {"AlgorithmSpecification": {
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:latest",
        "TrainingInputMode": "File"}}
    ```

    ## How to fix
    Resolve the tag to its digest
    (`aws ecr describe-images --repository-name train --image-ids imageTag=2.1.0`, or
    `docker inspect --format '{{index .RepoDigests 0}}'`) and reference the image by it:
    ```json
    {"AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage":
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c3b1e0e1e4f9a0b7c6d5e4f3a2b1c0d9e"}}
    ```
    """
    if job.has("AlgorithmSpecification", "AlgorithmName"):
        return
    image = job.text("AlgorithmSpecification", "TrainingImage")
    if image is None:
        return
    reference = image_reference(image.strip())
    if reference is None or reference.group("digest") is not None:
        return
    registry, repository = reference.group("registry"), reference.group("repository")
    if not ("." in registry or ":" in registry or registry == "localhost"):
        repository = f"{registry}/{repository}"  # Docker Hub: "team/train" has no registry
    tag = reference.group("tag")
    where = "/AlgorithmSpecification/TrainingImage"
    if tag is None:
        yield Violation(
            where,
            f"training image {repository} has no tag, so it runs :latest, the tag that "
            "follows every push (worse than a version tag); pin it by digest (@sha256:...)",
        )
    elif tag == "latest":
        yield Violation(
            where,
            f"training image {repository}:latest uses the tag that follows every push "
            "(worse than a version tag); pin it by digest (@sha256:...)",
        )
    else:
        yield Violation(
            where,
            f"training image {repository}:{tag} is referenced by a tag, which can be moved to "
            "another image; pin it by digest (@sha256:...)",
        )
