"""SM313 spot-wait-beyond-algorithm-limit: managed Spot with a built-in or Marketplace
algorithm that does not checkpoint, and a MaxWaitTimeInSeconds over one hour.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._algorithms import (
    CHECKPOINTING,
    CHECKPOINTS_DOCS,
    builtin_algorithm,
    marketplace_algorithm,
)
from sagelint.rules._facts import MODEL_DOCS, SPOT_DOCS, spot
from sagelint.rules._format import duration

LIMIT_SECONDS = 3600


@rule(
    code="SM313",
    name="spot-wait-beyond-algorithm-limit",
    severity="error",
    summary="managed Spot with a built-in or Marketplace algorithm that does not checkpoint, "
    "and a MaxWaitTimeInSeconds over one hour",
    references=(SPOT_DOCS, CHECKPOINTS_DOCS, f"{MODEL_DOCS}: StoppingCondition"),
)
def spot_wait_beyond_algorithm_limit(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    On a job with `EnableManagedSpotTraining: true` and a `MaxWaitTimeInSeconds` above 3,600,
    reports:

    - a built-in algorithm that does not checkpoint: its training image is one of the
      registries and repositories the SageMaker Python SDK lists for the built-in algorithms
      (`kmeans`, `pca`, `blazingtext`, ...), other than the four that do;
    - a built-in algorithm that checkpoints (Image Classification, Object Detection, Semantic
      Segmentation, XGBoost 0.90-1 or later, Linear Learner) without a `CheckpointConfig`;
    - an AWS Marketplace algorithm without a `CheckpointConfig`: an `AlgorithmName` ARN of an
      account other than the job's (the account of `TrainingJobArn`, or of `RoleArn` in a
      request spec), as a Marketplace subscription is. That an algorithm of another account
      is a Marketplace one is an inference: the model says AlgorithmName is "an algorithm
      resource that you created or subscribe to on Amazon Web Services Marketplace".

    ## Why is this bad?
    The managed spot training guide: "SageMaker AI built-in algorithms and marketplace
    algorithms that do not checkpoint are currently limited to a `MaxWaitTimeInSeconds` of 3600
    seconds (60 minutes)." The checkpoints guide: "If a pre-built algorithm that does not
    support checkpointing is used in a managed spot training job, SageMaker AI does not allow a
    maximum wait time greater than an hour for the job in order to limit wasted training time
    from interrupts." Which built-in algorithms checkpoint: "Built-in algorithms: Image
    Classification, Object Detection, Semantic Segmentation, and XGBoost (0.90-1 or later)", and
    the Linear Learner page: "If you're using Managed Spot Training, the linear learner
    algorithm supports using checkpoints". The Seq2Seq page: its checkpointing "is not
    compatible with SageMaker AI checkpointing", and the model of `StoppingCondition`: "The
    Neural Topic Model (NTM) currently does not support saving intermediate model artifacts."

    So the request asks for a wait SageMaker does not allow for these algorithms; adding
    checkpoints (SM304's advice) does not help an algorithm that cannot use them.

    ## Example
    ```json
    {"AlgorithmSpecification": {
       "TrainingImage":"382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans@sha256:8b3f2c1d0e9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c",
       "TrainingInputMode": "File"},
     "EnableManagedSpotTraining": true,
     "StoppingCondition": {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 172800}}
    ```

    ## How to fix
    Train on demand:
    ```json
    {"EnableManagedSpotTraining": false}
    ```
    or keep `MaxWaitTimeInSeconds` (and so `MaxRuntimeInSeconds`) within 3,600 s, or train with
    an algorithm that checkpoints, and a `CheckpointConfig`.
    """
    if not spot(job) or job.unknown("StoppingCondition", "MaxWaitTimeInSeconds"):
        return
    wait = job.integer("StoppingCondition", "MaxWaitTimeInSeconds")
    if wait is None or wait <= LIMIT_SECONDS:
        return
    checkpoints = job.has("CheckpointConfig")
    builtin, market = builtin_algorithm(job), marketplace_algorithm(job)
    if builtin is not None and builtin not in CHECKPOINTING:
        what = f"the built-in algorithm {builtin}, which does not checkpoint,"
    elif builtin is not None and not checkpoints:
        what = f"the built-in algorithm {builtin} without CheckpointConfig"
    elif market is not None and not checkpoints:
        what = f"an AWS Marketplace algorithm (account {market}) without CheckpointConfig"
    else:
        return
    yield Violation(
        "/StoppingCondition/MaxWaitTimeInSeconds",
        f"managed Spot training with {what} is limited to a MaxWaitTimeInSeconds of "
        f"{duration(LIMIT_SECONDS)}, not {duration(wait)}",
    )
