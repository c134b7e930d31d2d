"""The Lambda function's settings: its environment variables, validated by a pydantic model.
Imported when the function starts, not when the handler's module is imported."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from sagelint.aws_lambda import FunctionSettings

# TrainingJobStatus in the service model
Status = Literal["InProgress", "Completed", "Failed", "Stopping", "Stopped"]
PREFIX = "SAGELINT_"


def _listed(value: object) -> object:
    """``InProgress, Failed`` -> ["InProgress", "Failed"]; empty -> every status."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _flag(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


class _Environment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    statuses: Annotated[tuple[Status, ...], BeforeValidator(_listed)] = ()
    security_hub: Annotated[bool, BeforeValidator(_flag)] = False
    sns_topic_arn: (
        Annotated[
            str, Field(pattern=r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
        ]
        | None
    ) = None
    config: Annotated[str, Field(min_length=1)] | None = None


def read_settings(environment: Mapping[str, str]) -> FunctionSettings:
    """The settings the ``SAGELINT_*`` variables give (an empty one counts as unset); a
    ValueError naming the variable for a value that cannot be used."""
    given = {
        name[len(PREFIX) :].lower(): value
        for name, value in environment.items()
        if name.startswith(PREFIX) and value.strip()
    }
    try:
        model = _Environment.model_validate(given)
    except ValidationError as error:
        first = error.errors()[0]
        variable = PREFIX + str(first["loc"][0]).upper() if first["loc"] else "a SAGELINT_ variable"
        raise ValueError(f"{variable}: {first['msg']}") from None
    return FunctionSettings(
        frozenset(model.statuses), model.security_hub, model.sns_topic_arn, model.config
    )
