"""Training jobs in Step Functions state machines (Amazon States Language, JSON or YAML).

Every ``Task`` state whose ``Resource`` is ``arn:aws:states:::sagemaker:createTrainingJob``
(with or without ``.sync`` or ``.waitForTaskToken``, in any partition) is a training job,
nested ones included: the branches of a ``Parallel`` state, the ``ItemProcessor`` (or the older
``Iterator``) of a ``Map`` state. Its request is the state's ``Parameters`` (JSONPath, where a
member ``"Name.$"`` holds a path: the value of ``Name`` is unknown) or ``Arguments`` (JSONata,
where a ``{% ... %}`` string is unknown).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from sagelint.job import pointer
from sagelint.load.declared import Declared, Found

_TRAINS = re.compile(r":states:::sagemaker:createTrainingJob(?:\.sync|\.waitForTaskToken)?\Z")
REQUEST_FIELDS = ("Arguments", "Parameters")  # JSONata, JSONPath


def is_state_machine(value: Mapping[str, Any]) -> bool:
    return isinstance(value.get("States"), dict) and isinstance(value.get("StartAt"), str)


def state_machine_jobs(definition: Mapping[str, Any], at: str = "") -> Iterator[Found]:
    """The training jobs of the state machine ``definition``, which is at ``at`` in its file."""
    yield from _jobs_of(definition.get("States"), at + "/States")


def _jobs_of(states: Any, at: str) -> Iterator[Declared]:
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        here = at + pointer(name)
        kind = state.get("Type")
        if kind == "Task" and _trains(state.get("Resource")):
            for field in REQUEST_FIELDS:
                request = state.get(field)
                if isinstance(request, dict):
                    yield Declared(str(name), request, f"{here}/{field}")
                    break
        elif kind == "Parallel" and isinstance(state.get("Branches"), list):
            for index, branch in enumerate(state["Branches"]):
                if isinstance(branch, dict):
                    where = here + pointer("Branches", index, "States")
                    yield from _jobs_of(branch.get("States"), where)
        elif kind == "Map":
            for field in ("ItemProcessor", "Iterator"):
                inner = state.get(field)
                if isinstance(inner, dict):
                    yield from _jobs_of(inner.get("States"), here + pointer(field, "States"))


def _trains(resource: Any) -> bool:
    return isinstance(resource, str) and _TRAINS.search(resource) is not None
