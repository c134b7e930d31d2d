"""Training jobs in Terraform plans (``terraform show -json plan.out``, the input checkov and
conftest read).

Every ``resource_changes`` entry of type ``aws_sagemaker_training_job`` is a training job, read
from ``change.after``: its attributes and nested blocks become the request's members through
the names generated from botocore (``_terraform_names``), a nested block (a list of one block
in the plan) a structure, the ``tags`` map the request's ``Tags`` list. A value that
``change.after_unknown`` marks is known only after apply: unknown. Terraform's own attributes
(``id``, ``arn``, ``region``, ``tags_all``, ``timeouts``, ...) are left out. The definitions
embedded as JSON text are read too: ``aws_sfn_state_machine.definition`` as a state machine,
``aws_sagemaker_pipeline.pipeline_definition`` as a pipeline definition.

A resource's ``region`` (AWS provider 6: "Region where this resource will be managed. Defaults to
the Region set in the provider configuration") is the region of its jobs, what SM110 compares
KMS keys with; it wins over ``--region``. (That the jobs a state machine or a pipeline starts run
in its region is an inference: both call SageMaker in their own region unless told otherwise.)

A finding's pointer and position are those of the attribute in the plan
(``/resource_changes/0/change/after/resource_config/0/instance_type``), its message speaks of
the request's members (``ResourceConfig.InstanceType``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sagelint.job import REGION_NAME, Unknown, pointer
from sagelint.load.declared import Declared, Found
from sagelint.load.declared._terraform_names import REQUEST, STRUCTURES
from sagelint.load.declared.embedded import embedded_jobs
from sagelint.load.declared.pipelines import pipeline_jobs
from sagelint.load.declared.states import state_machine_jobs

TRAINING_JOB = "aws_sagemaker_training_job"
EMBEDDED: Mapping[str, tuple[str, Callable[..., Iterator[Found]]]] = {
    "aws_sfn_state_machine": ("definition", state_machine_jobs),
    "aws_sagemaker_pipeline": ("pipeline_definition", pipeline_jobs),
}
AFTER_APPLY = Unknown("known after apply")
_REGION = re.compile(REGION_NAME)


def is_plan(value: Mapping[str, Any]) -> bool:
    return isinstance(value.get("resource_changes"), list) or (
        "format_version" in value and "terraform_version" in value
    )


def plan_jobs(plan: Mapping[str, Any]) -> Iterator[Found]:
    changes = plan.get("resource_changes")
    if not isinstance(changes, list):
        return
    for index, change in enumerate(changes):
        if not isinstance(change, dict) or not isinstance(change.get("change"), dict):
            continue
        after, unknown = change["change"].get("after"), change["change"].get("after_unknown")
        if not isinstance(after, dict):
            continue  # destroyed
        unknown = unknown if isinstance(unknown, dict) else {}
        address = change.get("address")
        label = address if isinstance(address, str) else f"resource change {index}"
        at = pointer("resource_changes", index, "change", "after")
        region = after.get("region")
        region = region if isinstance(region, str) and _REGION.fullmatch(region) else None
        kind = change.get("type")
        if kind == TRAINING_JOB:
            renamed: dict[str, str] = {}
            request = _request(after, unknown, REQUEST, "", "", renamed)
            yield Declared(label, request, at, rename=_renamer(renamed), region=region)
        elif isinstance(kind, str) and kind in EMBEDDED:
            attribute, read = EMBEDDED[kind]
            if attribute in after and unknown.get(attribute) is not True:
                where = at + pointer(attribute)
                for found in embedded_jobs(after[attribute], where, attribute, read):
                    if isinstance(found, Declared):
                        yield found._replace(label=f"{label}/{found.label}", region=region)
                    else:
                        yield found


def _request(
    block: Mapping[str, Any],
    unknown: Any,
    shape: str,
    api_at: str,
    plan_at: str,
    renamed: dict[str, str],
) -> dict[str, Any]:
    """The structure ``shape`` that a block of the plan (at ``plan_at``) holds."""
    members = STRUCTURES[shape]
    unknown = unknown if isinstance(unknown, dict) else {}
    request: dict[str, Any] = {}
    for attribute in {**block, **unknown}:
        entry = members.get(attribute)
        if entry is None:
            continue  # Terraform's own
        member, kind, target = entry
        value, after_apply = block.get(attribute), unknown.get(attribute)
        here_api, here_plan = api_at + pointer(member), plan_at + pointer(attribute)
        if after_apply is True:
            request[member] = AFTER_APPLY
        elif value is None or value == []:
            continue  # unset
        elif kind == "block":
            inner, inner_unknown, inner_at = value, after_apply, here_plan
            if isinstance(value, list):
                inner, inner_at = value[0], here_plan + "/0"
                inner_unknown = after_apply[0] if isinstance(after_apply, list) else None
            request[member] = (
                _request(inner, inner_unknown, target, here_api, inner_at, renamed)
                if isinstance(inner, dict) and target
                else inner
            )
        elif kind == "blocks" and isinstance(value, list):
            items = []
            for i, item in enumerate(value):
                where = f"{here_api}/{i}", f"{here_plan}/{i}"
                items.append(
                    _request(item, _nth(after_apply, i), target, *where, renamed)
                    if isinstance(item, dict) and target
                    else item
                )
            request[member] = items
        elif member == "Tags" and isinstance(value, dict):
            request[member] = [{"Key": key, "Value": tag} for key, tag in value.items()]
            for i, key in enumerate(value):
                renamed[f"{here_api}/{i}"] = here_plan + pointer(key)
        else:
            request[member] = _with_unknowns(value, after_apply)
        renamed[here_api] = here_plan
    return request


def _nth(unknown: Any, index: int) -> Any:
    return unknown[index] if isinstance(unknown, list) and index < len(unknown) else None


def _with_unknowns(value: Any, unknown: Any) -> Any:
    """A plain attribute's value (a map, a list) with what ``after_unknown`` marks unknown."""
    if unknown is True:
        return AFTER_APPLY
    if isinstance(value, dict) and isinstance(unknown, dict):
        return {key: _with_unknowns(item, unknown.get(key)) for key, item in value.items()}
    if isinstance(value, list) and isinstance(unknown, list):
        return [_with_unknowns(item, _nth(unknown, i)) for i, item in enumerate(value)]
    return value


def _renamer(renamed: Mapping[str, str]) -> Callable[[str], str]:
    """request pointer -> plan pointer: the longest renamed start of it, the rest as it is."""

    def rename(request_pointer: str) -> str:
        head, rest = request_pointer, ""
        while head:
            if head in renamed:
                return renamed[head] + rest
            head, _, token = head.rpartition("/")
            rest = f"/{token}{rest}"
        return request_pointer

    return rename
