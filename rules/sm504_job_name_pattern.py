"""SM504 job-name-pattern: TrainingJobName does not follow the organisation's naming pattern."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint.job import Job
from sagelint.rule_api import Policy, Violation, rule

PATTERN_TIMEOUT_SECONDS = 0.1


@rule(
    code="SM504",
    name="job-name-pattern",
    severity="warning",
    summary="TrainingJobName does not follow the organisation's naming pattern",
    needs=("job_name_pattern",),
    references=("botocore SageMaker service model: TrainingJobName",),
)
def job_name_pattern(job: Job, policy: Policy) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `TrainingJobName` matches `job-name-pattern` as a whole (a regular
    expression; the match is given 0.1 s, so a pattern with catastrophic backtracking
    reports itself instead of hanging the run).

    ## Why is this bad?
    Names are how people find jobs in the console, in CloudWatch and in cost reports; a
    naming convention (team prefix, date) makes them searchable. Names cannot be changed
    after the job is created.

    ## Example
    ```toml
    [tool.sagelint.rules]
    job-name-pattern = "(growth|search)-[a-z0-9-]+-\\\\d{8}"
    ```
    ```json
    {"TrainingJobName": "test123"}
    ```

    ## How to fix
    Rename the job in its spec before it is created.
    """
    import regex

    pattern = policy.job_name_pattern
    assert pattern is not None
    name = job.name
    if name is None:
        return
    try:
        matched = regex.fullmatch(pattern, name, timeout=PATTERN_TIMEOUT_SECONDS)
    except TimeoutError:
        yield Violation(
            "/TrainingJobName",
            f"job-name-pattern took longer than {PATTERN_TIMEOUT_SECONDS} s on this name: "
            "simplify the pattern",
        )
        return
    if matched is None:
        yield Violation("/TrainingJobName", f"job name {name!r} does not match {pattern!r}")
