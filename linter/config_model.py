"""The configuration's pydantic model: ``[tool.sagelint]`` in ``pyproject.toml``, or the top
level of ``.sagelint.toml``.

Keys are kebab-case (``extend-select``, ``rules.max-runtime-seconds``): each field's alias is its
name with ``-`` for ``_``, and any other key is refused. Rule selectors are checked against the
rules given as the validation context (``{"rules": RULES}``); without a context only their form
is checked (as for the JSON Schema, which cannot know the rules). Imported only when a
configuration file exists: :mod:`sagelint.config` reads the file, this module validates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationInfo,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema
from sagelint.job import REGION_NAME
from sagelint.rule_api import Rule
from sagelint.selectors import find_rule, matches

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def _rules(info: ValidationInfo) -> Sequence[Rule] | None:
    context: Any = info.context
    return context.get("rules") if isinstance(context, dict) else None


def _names_a_rule(selector: str, info: ValidationInfo) -> str:
    rules = _rules(info)
    if rules is not None and not any(matches(rule, (selector,)) for rule in rules):
        raise PydanticCustomError(
            "unknown_selector",
            "{selector} matches no rule (see `sagelint rules`)",
            {"selector": repr(selector)},
        )
    return selector


def _code_of_a_rule(selector: str, info: ValidationInfo) -> str:
    rules = _rules(info)
    if rules is None:
        return selector.upper()
    found = find_rule(rules, selector)
    if found is None:
        raise PydanticCustomError(
            "unknown_rule",
            "{selector} is not a rule's code or name (see `sagelint rules`)",
            {"selector": repr(selector)},
        )
    return found.code


def _compiles(pattern: str) -> str:
    import regex  # the matcher of SM504

    try:
        regex.compile(pattern)
    except regex.error as error:
        raise PydanticCustomError(
            "invalid_pattern", "not a regular expression: {error}", {"error": str(error)}
        ) from None
    return pattern


_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Selector = Annotated[_Text, AfterValidator(_names_a_rule)]
RuleCode = Annotated[_Text, AfterValidator(_code_of_a_rule)]
Glob = Annotated[str, StringConstraints(min_length=1)]
Level = Literal["error", "warning", "info"]
Count = Annotated[StrictInt, Field(ge=1)]
Pattern = Annotated[str, AfterValidator(_compiles)]
Region = Annotated[str, StringConstraints(pattern=REGION_NAME)]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


_TABLE = ConfigDict(extra="forbid", alias_generator=_kebab, frozen=True)


class RulesTable(BaseModel):
    """The organisation's policy, `[tool.sagelint.rules]`: each policy rule is off until its key
    is set."""

    model_config = ConfigDict(**_TABLE, title="rules")

    max_runtime_seconds: Count | None = Field(
        None,
        description="SM302: the longest StoppingCondition.MaxRuntimeInSeconds a job may ask "
        "for, in seconds (a request without one is checked with the service default, 1 day). "
        "Example: 43200 (12 hours).",
    )
    allowed_instance_types: tuple[Glob, ...] | None = Field(
        None,
        description="SM309: the instance types jobs may use, as globs (`ml.m5.*`); every "
        "instance group is checked.",
    )
    max_instance_count: Count | None = Field(
        None,
        description="SM309: the most instances a job may use, summed over its instance groups.",
    )
    allowed_image_registries: tuple[Glob, ...] | None = Field(
        None,
        description="SM502: the registries a training image may come from, as globs of the "
        "image's registry host (`123456789012.dkr.ecr.*.amazonaws.com`). An image without a "
        "registry (Docker Hub) matches none.",
    )
    required_tags: tuple[_Text, ...] | None = Field(
        None,
        description="SM503: the tag keys every job must carry (in a request spec's Tags, or on "
        "the live job when auditing).",
    )
    job_name_pattern: Pattern | None = Field(
        None,
        description="SM504: a regular expression (Python `regex` syntax) that TrainingJobName "
        "must match as a whole; each match is given 0.1 s.",
    )


class ConfigFile(BaseModel):
    """sagelint's configuration: the `[tool.sagelint]` table of `pyproject.toml`, or the top
    level of `.sagelint.toml`."""

    model_config = ConfigDict(**_TABLE, title="sagelint configuration")

    select: tuple[Selector, ...] | None = Field(
        None,
        description="The rules to run: codes (`SM101`), code prefixes (`SM1` is a family, `SM` "
        "every built-in rule, `ALL` every rule) or rule names. Default: every rule, those of "
        "plugins and policies too. `--select` replaces it.",
    )
    ignore: tuple[Selector, ...] = Field(
        (),
        description="Rules not to run, as codes, prefixes or names; wins over select. "
        "`--ignore` adds to it.",
    )
    extend_select: tuple[Selector, ...] = Field(
        (),
        description="Rules to run besides those of select (codes, prefixes or names). "
        "`--extend-select` adds to it.",
    )
    fail_on: Level | None = Field(
        None,
        description="The lowest severity that makes `sagelint lint` exit with 1. Default: "
        "error. `--fail-on` wins over it.",
    )
    severity: dict[RuleCode, Level] = Field(
        {},
        description="Severity overrides: a rule's code or name, and the severity it reports "
        'with (`SM101 = "error"`).',
    )
    exclude: tuple[Glob, ...] = Field(
        (),
        description="Files not to lint, as globs matched against a file's path relative to "
        "the folder of this configuration file, or against its name; files named on the "
        "command line are excluded too (as pre-commit passes them).",
    )
    per_file_ignores: dict[Glob, tuple[Selector, ...]] = Field(
        {},
        description="Rules to ignore in some files: a glob (as in exclude) and the codes, "
        "prefixes or names it ignores. Suppressed findings are counted in the summary.",
    )
    plugins: tuple[_Text, ...] = Field(
        (),
        description="Python modules of rules (made with `@sagelint.rule`), imported from this "
        "file's folder: an organisation's own rules. Installed plugins (the `sagelint.rules` "
        "entry points) need no key.",
    )
    policies: tuple[Glob, ...] = Field(
        (),
        description="Schema policy files (YAML or JSON), as globs relative to this file's "
        "folder: an organisation's rules written as JSON Schemas. `--policy FILE` adds more.",
    )
    region: Region | None = Field(
        None,
        description="The AWS Region request specs are created in (a DescribeTrainingJob "
        "response says its own, in its ARN): what SM110 compares KMS key ARNs with. "
        "`sagelint lint --region` wins over it.",
    )
    rules: RulesTable = Field(
        default_factory=lambda: RulesTable.model_validate({}),
        description="The organisation's policy: each policy rule (SM302, SM309, SM502, "
        "SM503, SM504) is off until its key is set.",
    )


class _TomlSchema(GenerateJsonSchema):
    """JSON Schema of what a TOML file may hold: TOML has no null, so a key that may be unset
    is just optional; a field's name is not repeated as its title."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        if json_schema.get("default", ...) is None:
            del json_schema["default"]
        return json_schema

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a configuration, for editors."""
    schema = ConfigFile.model_json_schema(by_alias=True, schema_generator=_TomlSchema)
    return {"$schema": DRAFT_2020_12, **schema}
