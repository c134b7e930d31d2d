"""SM105 inter-container-traffic-unencrypted: a distributed job does not encrypt traffic between
its instances.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS, false_or_unset, instance_count


@rule(
    code="SM105",
    name="inter-container-traffic-unencrypted",
    severity="warning",
    summary="a distributed job does not encrypt traffic between its instances",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.EnableInterContainerTrafficEncryption",
        f"{MODEL_DOCS}: ResourceConfig.InstanceCount, InstanceGroup.InstanceCount",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html",
    ),
    peers={
        "prowler": "sagemaker_training_jobs_intercontainer_encryption_enabled",
        "steampipe": "sagemaker_training_job_inter_container_traffic_encryption_enabled",
    },
)
def inter_container_traffic_unencrypted(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `EnableInterContainerTrafficEncryption` is `true` on a job that runs on more
    than one instance: `ResourceConfig.InstanceCount`, or the sum of
    `ResourceConfig.InstanceGroups[].InstanceCount` for a heterogeneous cluster. It says
    nothing on a single-instance job, where there is no traffic between instances to encrypt;
    Prowler's `sagemaker_training_jobs_intercontainer_encryption_enabled` and Steampipe's
    control flag those too.

    ## Why is this bad?
    The model docs of `EnableInterContainerTrafficEncryption`: "To encrypt all communications
    between ML compute instances in distributed training, choose `True`. Encryption provides
    greater security for distributed training, but training might take longer." Without it,
    gradients, parameters and data shards travel between the instances in clear. A warning:
    hardening, with a cost in training time.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 4},
     "EnableInterContainerTrafficEncryption": false}
    ```

    ## How to fix
    ```json
    {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 4},
     "EnableInterContainerTrafficEncryption": true}
    ```
    """
    count = instance_count(job)
    if count is None or count <= 1:
        return
    off = false_or_unset(job, "EnableInterContainerTrafficEncryption")
    if off is not None:
        where, state = off
        yield Violation(
            where,
            f"EnableInterContainerTrafficEncryption is {state} on a job with {count} "
            "instances: traffic between them is not encrypted",
        )
