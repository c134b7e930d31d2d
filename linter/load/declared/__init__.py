"""Training jobs declared where teams keep them: CloudFormation templates (AWS CDK output
included), Step Functions state machines, SageMaker Pipelines definitions and Terraform plans.

Each kind is recognised by its content. What a declaration holds is turned into the
CreateTrainingJob request it stands for, with every value the file does not know (an intrinsic
function, a JSONPath, a JSONata expression, a pipeline parameter without a default, a value
Terraform knows only after apply) an :class:`~sagelint.job.Unknown`: never wrong, never quoted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple


class Declared(NamedTuple):
    """One training job a declaration holds."""

    label: str  # what names it in the file: logical ID, state name, step name, resource address
    request: dict[str, Any]  # the CreateTrainingJob request it stands for
    at: str  # the JSON pointer of the request in the file (through an embedded definition)
    # The pointer of the string property the request was read from, when its definition is
    # embedded as JSON text: every position inside it is that property's.
    embedded: str | None = None
    # A request pointer -> the pointer below ``at`` that the file writes it at (Terraform's
    # attribute names); None when they are the same.
    rename: Callable[[str], str] | None = None
    ignore: tuple[str, ...] = ()  # rules the declaration exempts it from (CloudFormation Metadata)
    # (request pointer, where its value came from) for values the file gives only indirectly.
    origins: tuple[tuple[str, str], ...] = ()
    # The region the file says the job is created in (a Terraform resource's ``region``).
    region: str | None = None


class Broken(NamedTuple):
    """A definition that cannot be read (an embedded definition that is not JSON)."""

    at: str
    message: str


Found = Declared | Broken


def declared_jobs(value: Mapping[str, Any]) -> list[Found] | None:
    """The training jobs of a template, state machine, pipeline definition or Terraform plan
    (an empty list when it declares none); None when ``value`` is none of these."""
    from sagelint.load.declared import cloudformation, pipelines, states, terraform

    finders: tuple[
        tuple[Callable[[Mapping[str, Any]], bool], Callable[[Mapping[str, Any]], Iterator[Found]]],
        ...,
    ] = (
        (cloudformation.is_template, cloudformation.template_jobs),
        (states.is_state_machine, states.state_machine_jobs),
        (pipelines.is_pipeline, pipelines.pipeline_jobs),
        (terraform.is_plan, terraform.plan_jobs),
    )
    for recognised, jobs in finders:
        if recognised(value):
            return list(jobs(value))
    return None
