"""An organisation's plugin rules, as a plugin author writes them (the tests' plugin)."""

from __future__ import annotations

from collections.abc import Iterator

from sagelint import Job, Violation, pointer, rule


@rule(
    code="ACME101",
    name="p5-outside-research",
    severity="error",
    summary="an ml.p5 instance outside the research team",
)
def p5_outside_research(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Reports an `ml.p5` instance type on a job whose `team` tag is not `research`.

    ## Why is this bad?
    ml.p5 capacity is reserved for the research team's reservation.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.p5.48xlarge", "InstanceCount": 1}}
    ```
    """
    kind = job.text("ResourceConfig", "InstanceType")
    if kind and kind.startswith("ml.p5.") and (job.tags or {}).get("team") != "research":
        yield Violation(
            pointer("ResourceConfig", "InstanceType"),
            f"{kind} is for the research team (team tag: {(job.tags or {}).get('team')})",
        )


@rule(code="ACME102", name="always-fails", severity="warning", summary="a rule with a bug")
def always_fails(job: Job) -> Iterator[Violation]:
    """A rule that raises on jobs named `crash-me`: a plugin's bug costs only itself."""
    if job.name == "crash-me":
        raise KeyError("bug")
    yield from ()
