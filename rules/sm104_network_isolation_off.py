"""SM104 network-isolation-off: the training container is not network isolated."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._algorithms import marketplace_algorithm
from sagelint.rules._facts import MODEL_DOCS, false_or_unset


@rule(
    code="SM104",
    name="network-isolation-off",
    severity="warning",
    summary="the training container is not network isolated",
    references=(f"{MODEL_DOCS}: CreateTrainingJobRequest.EnableNetworkIsolation",),
    peers={
        "prowler": "sagemaker_training_jobs_network_isolation_enabled",
        "steampipe": "sagemaker_training_job_network_isolation_enabled",
    },
)
def network_isolation_off(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `EnableNetworkIsolation` is `true`; `false` and absent (which means false)
    both fire. A request spec that trains with an AWS Marketplace algorithm is SM111's: there
    the missing isolation is an error, the request is refused.

    ## Why is this bad?
    The model docs of `EnableNetworkIsolation`: "Isolates the training container. No inbound
    or outbound network calls can be made, except for calls between peers within a training
    cluster for distributed training. If you enable network isolation for training jobs that
    are configured to use a VPC, SageMaker downloads and uploads customer data and model
    artifacts through the specified VPC, but the training container does not have network
    access." Without it, code in the training image (or any package it pulls in) can send the
    training data, or the job role's credentials, anywhere the network allows. A warning:
    hardening; some jobs legitimately need the network (pip installs, experiment trackers) and
    should then run in a VPC with egress controls (SM103).

    ## Example
    ```json
    {"TrainingJobName": "churn", "EnableNetworkIsolation": false}
    ```

    ## How to fix
    ```json
    {"TrainingJobName": "churn", "EnableNetworkIsolation": true}
    ```
    Bake dependencies into the image; input channels and the model upload keep working.
    """
    if job.kind == "create" and marketplace_algorithm(job) is not None:
        return  # SM111: an error there
    off = false_or_unset(job, "EnableNetworkIsolation")
    if off is not None:
        where, state = off
        yield Violation(
            where,
            f"EnableNetworkIsolation is {state}: the training container can make outbound "
            "network calls",
        )
