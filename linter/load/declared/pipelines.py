"""Training jobs in SageMaker Pipelines definitions (the pipeline definition JSON).

Every step of type ``Training`` is a training job, those in the ``IfSteps`` and ``ElseSteps``
of a ``Condition`` step included; its request is the step's ``Arguments``. A value
``{"Get": "Parameters.X"}`` is the ``DefaultValue`` of parameter X when it has one (a finding
about it says so), else unknown; every other ``Get`` (a step's property, an execution variable)
and every function (``Std:Join``, ``Std:JsonGet``) is unknown. A step has no
``TrainingJobName``: SageMaker names the job.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sagelint.job import Unknown, pointer
from sagelint.load.declared import Declared, Found

NAMED_BY_PIPELINES = Unknown("a name SageMaker Pipelines gives")
_PARAMETER = "Parameters."
_SHOWN = 60  # characters of a parameter's name in a message


def is_pipeline(value: Mapping[str, Any]) -> bool:
    return isinstance(value.get("Steps"), list) and isinstance(value.get("Version"), str)


def pipeline_jobs(definition: Mapping[str, Any], at: str = "") -> Iterator[Found]:
    """The training jobs of the pipeline ``definition``, which is at ``at`` in its file."""
    parameters = {
        parameter["Name"]: parameter
        for parameter in definition.get("Parameters") or ()
        if isinstance(parameter, dict) and isinstance(parameter.get("Name"), str)
    }
    yield from _jobs_of(definition.get("Steps"), at + "/Steps", parameters)


def _jobs_of(steps: Any, at: str, parameters: Mapping[str, Any]) -> Iterator[Declared]:
    if not isinstance(steps, list):
        return
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("Arguments"), dict):
            continue
        here, arguments = f"{at}/{index}", step["Arguments"]
        if step.get("Type") == "Training":
            origins: list[tuple[str, str]] = []
            request = _resolve(arguments, parameters, "", origins)
            if not isinstance(request, dict):
                continue  # all of it unknown: nothing to check
            request.setdefault("TrainingJobName", NAMED_BY_PIPELINES)
            name = step.get("Name")
            label = name if isinstance(name, str) else f"step {index}"
            yield Declared(label, request, here + "/Arguments", origins=tuple(origins))
        elif step.get("Type") == "Condition":
            for branch in ("IfSteps", "ElseSteps"):
                where = here + pointer("Arguments", branch)
                yield from _jobs_of(arguments.get(branch), where, parameters)


def _parameter_name(argument: Any) -> str | None:
    """X of ``{"Get": "Parameters.X"}``."""
    if isinstance(argument, str) and argument.startswith(_PARAMETER):
        return argument[len(_PARAMETER) :]
    return None


def _resolve(
    value: Any, parameters: Mapping[str, Any], at: str, origins: list[tuple[str, str]]
) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            [(key, argument)] = value.items()
            if key == "Get":
                name = _parameter_name(argument)
                parameter = parameters.get(name) if name is not None else None
                if name is not None and isinstance(parameter, dict) and "DefaultValue" in parameter:
                    shown = name if len(name) <= _SHOWN else name[: _SHOWN - 3] + "..."
                    origins.append((at, f"the default of pipeline parameter {shown}"))
                    return parameter["DefaultValue"]
                return Unknown(key)
            if isinstance(key, str) and key.startswith("Std:"):
                return Unknown(key)
        return {
            key: _resolve(member, parameters, at + pointer(key), origins)
            for key, member in value.items()
        }
    if isinstance(value, list):
        return [
            _resolve(item, parameters, f"{at}/{index}", origins) for index, item in enumerate(value)
        ]
    return value
