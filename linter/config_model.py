"""The pydantic model of the configuration (imported only when there is a configuration)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from linter.config import ConfigError, Settings
from linter.engine import SelectorError, check_selectors
from linter.rule import Policy

Severity = Literal["error", "warning", "info"]
Codes = list[Annotated[str, Field(min_length=1)]]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, frozen=True, strict=True)


class RuleOptions(_Model):
    """``[tool.sagelint.rules]``: organisation policy; each turns on the rules that need it."""

    max_runtime_seconds: Annotated[int, Field(ge=1)] | None = None
    allowed_instance_types: list[str] | None = None
    max_instance_count: Annotated[int, Field(ge=1)] | None = None
    allowed_image_registries: list[str] | None = None
    required_tags: list[str] | None = None
    job_name_pattern: str | None = None

    @field_validator("job_name_pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            import regex

            try:
                regex.compile(pattern)
            except regex.error as error:
                raise ValueError(f"not a regular expression: {error}") from None
        return pattern


class ConfigModel(_Model):
    select: Codes | None = None
    ignore: Codes = []
    extend_select: Codes = []
    fail_on: Severity | None = None
    severity: dict[str, Severity] = {}
    exclude: list[str] = []
    per_file_ignores: dict[str, Codes] = {}
    rules: RuleOptions = RuleOptions()


def _location(error: Any) -> str:
    return ".".join(str(part) for part in error["loc"])


def validate(table: Any, path: Path, where: str) -> Settings:
    prefix = f"{path}: {where + ' ' if where else ''}"
    try:
        model = ConfigModel.model_validate(table)
    except ValidationError as error:
        first = error.errors()[0]
        key = _location(first)
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"{prefix}unknown key {key!r}") from None
        raise ConfigError(f"{prefix}{key}: {first['msg']}") from None
    try:
        for key, codes in (
            ("select", model.select or []),
            ("ignore", model.ignore),
            ("extend-select", model.extend_select),
            ("severity", list(model.severity)),
            *(
                (f"per-file-ignores.{glob}", codes)
                for glob, codes in model.per_file_ignores.items()
            ),
        ):
            check_selectors(codes, f"{prefix}{key}: ")
    except SelectorError as error:
        raise ConfigError(str(error)) from None
    rules = model.rules

    def listed(values: list[str] | None) -> tuple[str, ...] | None:
        return tuple(values) if values is not None else None

    return Settings(
        path=path,
        select=tuple(c.upper() for c in model.select) if model.select is not None else None,
        ignore=tuple(c.upper() for c in model.ignore),
        extend_select=tuple(c.upper() for c in model.extend_select),
        fail_on=model.fail_on,
        severity={code.upper(): severity for code, severity in model.severity.items()},
        exclude=tuple(model.exclude),
        per_file_ignores={
            glob: tuple(c.upper() for c in codes) for glob, codes in model.per_file_ignores.items()
        },
        policy=Policy(
            max_runtime_seconds=rules.max_runtime_seconds,
            allowed_instance_types=listed(rules.allowed_instance_types),
            max_instance_count=rules.max_instance_count,
            allowed_image_registries=listed(rules.allowed_image_registries),
            required_tags=listed(rules.required_tags),
            job_name_pattern=rules.job_name_pattern,
        ),
    )
