"""SM304 spot-without-checkpoints: managed spot training without CheckpointConfig."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._algorithms import CHECKPOINTING, builtin_algorithm, marketplace_algorithm
from sagelint.rules._facts import MODEL_DOCS, SPOT_DOCS, spot


@rule(
    code="SM304",
    name="spot-without-checkpoints",
    severity="warning",
    summary="managed spot training without CheckpointConfig",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.CheckpointConfig",
        SPOT_DOCS,
        "https://docs.aws.amazon.com/sagemaker/latest/dg/model-checkpoints.html",
    ),
)
def spot_without_checkpoints(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a job with `EnableManagedSpotTraining: true` has a `CheckpointConfig` with an
    `S3Uri`. Jobs that train with a built-in algorithm that does not checkpoint, or with an
    AWS Marketplace algorithm, are SM313's: for them the guide's advice is a limit on
    `MaxWaitTimeInSeconds`, not a checkpoint location the algorithm would not use.

    ## Why is this bad?
    Spot instances can be taken back at any time. The managed spot training guide: "You can
    configure your managed spot training job to use checkpoints. SageMaker copies checkpoint
    data from a local path to Amazon S3. When the job is restarted, SageMaker copies the data
    from Amazon S3 back into the local path. The training job can then resume from the last
    checkpoint instead of restarting." and "Unless your training job will complete quickly, we
    recommend you use checkpointing with managed spot training. SageMaker built-in algorithms
    and marketplace algorithms that do not checkpoint are currently limited to a
    MaxWaitTimeInSeconds of 3600 seconds". Without a checkpoint location, each interruption
    throws away the training done so far: the job starts over, pays for the same work again,
    and may run out of `MaxWaitTimeInSeconds` and end as `MaxWaitTimeExceeded` without a model.
    The SageMaker Python SDK does not ask for a checkpoint when spot is enabled.

    Severity: a warning. The work is lost only if an interruption happens; a short job may well
    finish before one does.

    ## Example
    ```json
    {"EnableManagedSpotTraining": true,
     "StoppingCondition": {"MaxRuntimeInSeconds": 36000, "MaxWaitTimeInSeconds": 72000}}
    ```

    ## How to fix
    Add `"CheckpointConfig": {"S3Uri": "s3://bucket/checkpoints/job-name/"}` and have the
    training script save its state to `/opt/ml/checkpoints` (or `LocalPath`) regularly and load
    it when it starts.
    """
    if not spot(job) or job.unknown("CheckpointConfig", "S3Uri"):
        return
    builtin = builtin_algorithm(job)
    if (builtin is not None and builtin not in CHECKPOINTING) or marketplace_algorithm(job):
        return  # SM313
    uri = job.text("CheckpointConfig", "S3Uri")
    if uri is not None and uri.strip():
        return
    state = "has no S3Uri" if job.has("CheckpointConfig") else "is not set"
    where = "/CheckpointConfig" if job.has("CheckpointConfig") else "/EnableManagedSpotTraining"
    yield Violation(
        where,
        f"managed spot training is enabled but CheckpointConfig {state}: an interruption "
        "restarts the training from the beginning",
    )
