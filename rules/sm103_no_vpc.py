"""SM103 no-vpc: the training job does not run in your VPC."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS


@rule(
    code="SM103",
    name="no-vpc",
    severity="warning",
    summary="the training job does not run in your VPC",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.VpcConfig",
        f"{MODEL_DOCS}: VpcConfig (SecurityGroupIds 1-5, Subnets 1-16)",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html",
    ),
    peers={
        "prowler": "sagemaker_training_jobs_vpc_settings_configured",
        "steampipe": "sagemaker_training_job_in_vpc",
    },
)
def no_vpc(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that the job has a `VpcConfig` with at least one subnet and one security group.
    A job that pulls its image from a private registry through its VPC
    (`TrainingRepositoryAccessMode: Vpc`) and has no `VpcConfig` is SM109's, an error.

    ## Why is this bad?
    The model docs of `VpcConfig`: it "specifies the VPC that you want your training job to
    connect to. Control access to and from your training container by configuring the VPC."
    Without it the containers run in a network that SageMaker manages: their traffic is not
    subject to your security groups, network ACLs, VPC endpoints and endpoint policies, or
    VPC flow logs, and unless `EnableNetworkIsolation` is on (SM104) they can reach the
    internet. A `VpcConfig` without subnets or security groups is rejected (both are required,
    `Subnets` 1-16 and `SecurityGroupIds` 1-5 entries). A warning: hardening.

    ## Example
    ```json
    {"TrainingJobName": "churn", "VpcConfig": null}
    ```

    ## How to fix
    ```json
    {"VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"],
                   "Subnets": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]}}
    ```
    Give the subnets VPC endpoints (or a NAT) for S3, ECR and CloudWatch Logs.
    """
    if job.unknown("VpcConfig"):
        return
    vpc = job.get("VpcConfig")
    access = ("AlgorithmSpecification", "TrainingImageConfig", "TrainingRepositoryAccessMode")
    if vpc is None and job.text(*access) != "Vpc":  # (with Vpc access: SM109)
        yield Violation(
            "",
            "no VpcConfig: the training containers run outside your VPC, beyond your security "
            "groups, VPC endpoints and flow logs",
        )
    if not isinstance(vpc, Mapping):
        return  # the schema check reports the wrong type
    missing = [
        member
        for member in ("Subnets", "SecurityGroupIds")
        if not job.unknown("VpcConfig", member) and vpc.get(member) in (None, [])
    ]
    if not missing:
        return
    only = missing[0] if len(missing) == 1 else None
    where = (
        f"/VpcConfig/{only}"
        if only is not None and isinstance(vpc.get(only), list)
        else "/VpcConfig"
    )
    yield Violation(
        where,
        f"VpcConfig has no {' and no '.join(missing)}: the job does not run in your VPC "
        "(a subnet and a security group are both required)",
    )
