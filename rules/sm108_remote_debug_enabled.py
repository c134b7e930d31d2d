"""SM108 remote-debug-enabled: remote debugging gives shell access to the running training
container.
"""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS


@rule(
    code="SM108",
    name="remote-debug-enabled",
    severity="warning",
    summary="remote debugging gives shell access to the running training container",
    references=(
        f"{MODEL_DOCS}: RemoteDebugConfig.EnableRemoteDebug",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/train-remote-debugging.html",
    ),
)
def remote_debug_enabled(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `RemoteDebugConfig.EnableRemoteDebug` is not `true`.

    ## Why is this bad?
    The model docs of `RemoteDebugConfig`: remote debugging lets you "Access a training
    container through Amazon Web Services Systems Manager (SSM)". The developer guide: SageMaker
    starts the SSM agent in the container, which gives "shell-level access" to whoever may call
    `ssm:StartSession` on it. That shell runs with the job's IAM role and sees the training
    data, the model and the environment. It is a debugging aid, not something for a
    production job spec; a warning, since it can be intended while investigating a failure.

    ## Example
    ```json
    {"RemoteDebugConfig": {"EnableRemoteDebug": true}}
    ```

    ## How to fix
    Remove `RemoteDebugConfig` (or set `EnableRemoteDebug` to `false`) once debugging is done.
    While it is on, restrict `ssm:StartSession` to the people debugging, with a condition on
    the training job's ARN as the developer guide shows.
    """
    if job.flag("RemoteDebugConfig", "EnableRemoteDebug") is True:
        yield Violation(
            "/RemoteDebugConfig/EnableRemoteDebug",
            "RemoteDebugConfig.EnableRemoteDebug is true: anyone allowed ssm:StartSession on "
            "the job gets a shell in the training container, with the job's role",
        )
