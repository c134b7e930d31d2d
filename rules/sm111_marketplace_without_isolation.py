"""SM111 marketplace-without-isolation: an AWS Marketplace algorithm without
EnableNetworkIsolation, which CreateTrainingJob rejects.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job, pointer
from sagelint.rule_api import Violation, rule
from sagelint.rules._algorithms import marketplace_algorithm
from sagelint.rules._facts import MODEL_DOCS

MARKETPLACE_DOCS = (
    "https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html"
)


@rule(
    code="SM111",
    name="marketplace-without-isolation",
    severity="error",
    summary="an AWS Marketplace algorithm without EnableNetworkIsolation, which "
    "CreateTrainingJob rejects",
    kinds=("create",),
    references=(
        MARKETPLACE_DOCS,
        f"{MODEL_DOCS}: AlgorithmSpecification.AlgorithmName",
        f"{MODEL_DOCS}: CreateTrainingJobRequest.EnableNetworkIsolation",
    ),
)
def marketplace_without_isolation(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a request spec that trains with an AWS Marketplace algorithm sets
    `EnableNetworkIsolation: true`. An algorithm is taken for a Marketplace one when
    `AlgorithmSpecification.AlgorithmName` is the ARN of an algorithm in another account than
    the job's (the account of its `RoleArn`), as a subscription is: an inference, from the
    model's "This must be an algorithm resource that you created or subscribe to on Amazon
    Web Services Marketplace". Request specs only: a job that exists was accepted.

    ## Why is this bad?
    The developer guide: "Network isolation is required to run training jobs and models using
    resources from AWS Marketplace." CreateTrainingJob refuses the request ("EnableNetworkIsolation
    must be true for jobs using SageMaker Marketplace algorithms", a ValidationException), so
    the job never starts.

    ## Example
    ```json
    {"AlgorithmSpecification": {
       "AlgorithmName": "arn:aws:sagemaker:us-east-1:865070037744:algorithm/xgb-tabular-15423055",
       "TrainingInputMode": "File"},
     "EnableNetworkIsolation": null}
    ```

    ## How to fix
    ```json
    {"EnableNetworkIsolation": true}
    ```
    """
    account = marketplace_algorithm(job)
    if account is None or job.unknown("EnableNetworkIsolation"):
        return
    if job.flag("EnableNetworkIsolation") is not True:
        where = "EnableNetworkIsolation" if job.has("EnableNetworkIsolation") else None
        yield Violation(
            pointer(where) if where else pointer("AlgorithmSpecification", "AlgorithmName"),
            f"the algorithm is an AWS Marketplace one (account {account}) but "
            "EnableNetworkIsolation is not true: CreateTrainingJob requires it for Marketplace "
            "algorithms",
        )
