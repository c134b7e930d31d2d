"""Training jobs in CloudFormation templates (JSON or YAML; AWS CDK output is one).

They live in three places:

- ``AWS::StepFunctions::StateMachine`` (and ``AWS::Serverless::StateMachine``): its
  ``Definition`` object, or its ``DefinitionString``, JSON text (see
  :mod:`sagelint.load.declared.embedded`), read as a state machine;
- ``AWS::SageMaker::Pipeline``: ``PipelineDefinition.PipelineDefinitionBody``, JSON text, read as
  a pipeline definition;
- ``AWS::SageMaker::TrainingJob``: its ``Properties`` are a CreateTrainingJob request. (The
  CloudFormation registry lists this type as non-provisionable: it describes jobs rather than
  creates them, so it is the rarest of the three.)

An intrinsic function's value is unknown (``Ref``, ``Fn::GetAtt``, ``Fn::If``, ...), except
that ``Fn::Sub`` is its text, which is unknown where it holds a ``${...}`` variable, and
``Ref: AWS::NoValue`` leaves the property out, as CloudFormation does. A missing
``TrainingJobName`` is one CloudFormation generates. A resource exempts its jobs from rules with
``Metadata: {sagelint: {ignore: [SM104]}}`` (cfn-lint's convention is ``Metadata: {cfn-lint:
{config: {ignore_checks: [...]}}}``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sagelint.job import Unknown, pointer
from sagelint.load.declared import Declared, Found
from sagelint.load.declared.embedded import embedded_jobs
from sagelint.load.declared.pipelines import pipeline_jobs
from sagelint.load.declared.states import state_machine_jobs

TRAINING_JOB = "AWS::SageMaker::TrainingJob"
PIPELINE = "AWS::SageMaker::Pipeline"
STATE_MACHINES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")
GENERATED_NAME = Unknown("a name CloudFormation generates")
_NO_VALUE = Unknown("AWS::NoValue")  # a property left out


def is_template(value: Mapping[str, Any]) -> bool:
    """A template: ``Resources``, each a mapping with a ``Type``."""
    resources = value.get("Resources")
    if not isinstance(resources, dict):
        return False
    if "AWSTemplateFormatVersion" in value:
        return True
    return bool(resources) and all(
        isinstance(resource, dict) and isinstance(resource.get("Type"), str)
        for resource in resources.values()
    )


def template_jobs(template: Mapping[str, Any]) -> Iterator[Found]:
    resources = template.get("Resources")
    assert isinstance(resources, dict)
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        kind, properties = resource.get("Type"), resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        at = pointer("Resources", logical_id, "Properties")
        ignore = _ignored(resource.get("Metadata"))
        for job in _resource_jobs(kind, properties, at):
            if isinstance(job, Declared):
                label = str(logical_id) if kind == TRAINING_JOB else f"{logical_id}/{job.label}"
                yield job._replace(label=label, ignore=ignore)
            else:
                yield job


def _resource_jobs(kind: Any, properties: Mapping[str, Any], at: str) -> Iterator[Found]:
    """The jobs of one resource's ``properties`` (at ``at``), by its type."""
    if kind == TRAINING_JOB:
        request = resolve(properties)
        if isinstance(request, dict):  # else all of it is unknown: nothing to check
            request.setdefault("TrainingJobName", GENERATED_NAME)
            yield Declared("", request, at)
    elif kind in STATE_MACHINES:
        yield from _state_machine(properties, at)
    elif kind == PIPELINE:
        definition = properties.get("PipelineDefinition")
        if isinstance(definition, dict) and "PipelineDefinitionBody" in definition:
            body = definition["PipelineDefinitionBody"]
            where = at + pointer("PipelineDefinition", "PipelineDefinitionBody")
            yield from embedded_jobs(body, where, "PipelineDefinitionBody", pipeline_jobs)


def _state_machine(properties: Mapping[str, Any], at: str) -> Iterator[Found]:
    definition = properties.get("Definition")
    if isinstance(definition, dict):
        yield from state_machine_jobs(resolve(definition), at + "/Definition")
    elif "DefinitionString" in properties:
        text = properties["DefinitionString"]
        where = at + "/DefinitionString"
        yield from embedded_jobs(text, where, "DefinitionString", state_machine_jobs)


def _ignored(metadata: Any) -> tuple[str, ...]:
    """The rules ``Metadata: {sagelint: {ignore: [...]}}`` names."""
    own = metadata.get("sagelint") if isinstance(metadata, dict) else None
    ignore = own.get("ignore") if isinstance(own, dict) else None
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list):
        return ()
    return tuple(str(code).upper() for code in ignore if isinstance(code, str | int))


def resolve(value: Any) -> Any:
    """``value`` with each intrinsic function an :class:`Unknown` (``Fn::Sub`` its text) and
    every property given as ``Ref: AWS::NoValue`` left out."""
    if isinstance(value, dict):
        if len(value) == 1:
            [(key, argument)] = value.items()
            if key == "Ref":
                return _NO_VALUE if argument == "AWS::NoValue" else Unknown(key)
            if key == "Fn::Sub":
                text = argument[0] if isinstance(argument, list) and argument else argument
                return text if isinstance(text, str) else Unknown(key)
            if key.startswith("Fn::") or key == "Condition":
                return Unknown(key)
        resolved = {key: resolve(member) for key, member in value.items()}
        return {key: member for key, member in resolved.items() if member is not _NO_VALUE}
    if isinstance(value, list):
        return [item for item in map(resolve, value) if item is not _NO_VALUE]
    return value
