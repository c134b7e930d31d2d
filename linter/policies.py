"""Schema policies: an organisation's rules written as JSON Schemas (draft 2020-12) that a job
document must satisfy, in YAML or JSON files, checked with the jsonschema library.

A policy file holds ``policies:``, a list of policies; each becomes a :class:`Rule` like the
built-in ones (its code, name, severity, summary and doc; ``applies-to`` its kinds), whose check
validates the job with the policy's schema and reports each validation error at the pointer of
the value it is about (a missing member at the enclosing object). A value the document does not
know (a template placeholder, an intrinsic, a Step Functions path) is never wrong; no message
quotes a value of HyperParameters or Environment, nor a value that holds them.

Everything about a policy file is checked when it is loaded, before any job is: its syntax, its
keys, each schema against the metaschema, codes (new, and not of sagelint's ``SM`` prefix),
``$ref`` (within the schema only: nothing is fetched). Each problem is one
:class:`PolicyError` naming the file and the policy.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sagelint.job import Job, is_unknown, pointer
from sagelint.load.files import read_regular_file
from sagelint.load.locate import in_sensitive_map, masked_key, secret_shaped
from sagelint.rule_api import KINDS, Rule, Violation

if TYPE_CHECKING:
    from jsonschema.protocols import Validator
    from pydantic import BaseModel

MAX_POLICY_FILE_SIZE = 4 << 20  # bytes
MESSAGE_LIMIT = 300  # characters of a jsonschema message shown
CODE = r"^[A-Z]{2,6}[0-9]{3}$"  # an organisation's rule code: 2-6 capital letters, 3 digits
NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"  # kebab-case
RESERVED_PREFIX = "SM"


class PolicyError(ValueError):
    """A policy file that cannot be used: one line naming the file and the policy."""


class LoadedPolicy(NamedTuple):
    """A policy as a rule, and the documents its file gives as examples (which must fire it,
    which must not)."""

    rule: Rule
    fire: tuple[dict[str, Any], ...]
    passes: tuple[dict[str, Any], ...]
    path: str


def load_policies(paths: Sequence[str], taken: Collection[str] = ()) -> list[LoadedPolicy]:
    """The policies of the files ``paths``, in order. ``taken`` are the codes of the rules
    already known (built-in, plugins'): a policy may not take one. Raises :class:`PolicyError`."""
    found: list[LoadedPolicy] = []
    codes = set(taken)
    for path in paths:
        for policy in _policies_of(path):
            if policy.rule.code in codes:
                raise PolicyError(
                    f"{path}: policy {policy.rule.code}: the code is taken by another rule"
                )
            codes.add(policy.rule.code)
            found.append(policy)
    return found


def _policies_of(path: str) -> Iterator[LoadedPolicy]:
    file = _model(path, _parse(path))
    for spec in file.policies:
        _check_schema(path, f"policy {spec.code}", spec.schema_)
        rule = _rule(path, spec, spec.schema_)
        yield LoadedPolicy(rule, spec.examples.fire, spec.examples.pass_, path)


def _parse(path: str) -> Any:
    try:
        text = read_regular_file(path, MAX_POLICY_FILE_SIZE).decode("utf-8")
    except OSError as error:
        raise PolicyError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise PolicyError(f"{path}: not UTF-8 (byte {error.start})") from None
    if path.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise PolicyError(f"{path}: invalid JSON: {error.msg} (line {error.lineno})") from None
        except RecursionError:
            raise PolicyError(f"{path}: invalid JSON: nested too deeply") from None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" (line {mark.line + 1})" if mark else ""
        raise PolicyError(f"{path}: invalid YAML: {error.problem or 'malformed'}{where}") from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        raise PolicyError(f"{path}: invalid YAML") from None


def _model(path: str, document: Any) -> Any:
    from pydantic import ValidationError

    try:
        return _policy_file_model().model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = first["loc"]
        which = ""
        if len(where) >= 2 and where[0] == "policies" and isinstance(where[1], int):
            policies = document.get("policies") if isinstance(document, dict) else None
            spec = policies[where[1]] if isinstance(policies, list) else None
            code = spec.get("code") if isinstance(spec, dict) else None
            which = f"policy {code}: " if isinstance(code, str) else f"policies[{where[1]}]: "
            where = where[2:]
        key = ".".join(str(part) for part in where)
        raise PolicyError(f"{path}: {which}{key + ': ' if key else ''}{first['msg']}") from None


_MODEL: Any = None


def _policy_file_model() -> type[BaseModel]:
    """The pydantic model of a policy file (built on first use: pydantic loads only when a
    policy does)."""
    global _MODEL  # noqa: PLW0603  # the model, built once
    if _MODEL is not None:
        return _MODEL  # type: ignore[no-any-return]
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

    forbid = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

    class Examples(BaseModel):
        model_config = forbid
        fire: tuple[dict[str, Any], ...] = ()
        pass_: tuple[dict[str, Any], ...] = Field((), alias="pass")

    class Spec(BaseModel):
        model_config = forbid
        code: Annotated[str, StringConstraints(pattern=CODE)]
        name: Annotated[str, StringConstraints(pattern=NAME)]
        severity: Literal["error", "warning", "info"]
        summary: text
        applies_to: tuple[Literal["create", "describe"], ...] = Field(
            ("create", "describe"), alias="applies-to", min_length=1
        )
        doc: str = ""
        message: text | None = None
        schema_: dict[str, Any] | bool = Field(alias="schema")
        examples: Examples = Field(default_factory=lambda: Examples.model_validate({}))

        @field_validator("code")
        @classmethod
        def _not_reserved(cls, code: str) -> str:
            if code.startswith(RESERVED_PREFIX):
                raise ValueError(f"the {RESERVED_PREFIX} prefix is sagelint's own")
            return code

    class PolicyFile(BaseModel):
        model_config = forbid
        policies: tuple[Spec, ...] = Field(min_length=1)

    _MODEL = PolicyFile
    return PolicyFile


def _check_schema(path: str, which: str, schema: Any) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    outside = next(_refs_outside(schema), None)
    if outside is not None:
        raise PolicyError(
            f"{path}: {which}: $ref {json.dumps(outside)} is outside the policy's schema "
            "(only #... references resolve: nothing is fetched)"
        )
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        at = "/".join(str(part) for part in error.absolute_path)
        where = f" at /{at}" if at else ""
        raise PolicyError(
            f"{path}: {which}: the schema is not a valid JSON Schema{where}: "
            f"{_short(error.message)}"
        ) from None
    except RecursionError:
        raise PolicyError(f"{path}: {which}: the schema is nested too deeply") from None


def _refs_outside(schema: Any) -> Iterator[str]:
    """Each ``$ref`` (or ``$dynamicRef``) of ``schema`` that does not point into it."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$ref", "$dynamicRef") and not (
                    isinstance(value, str) and value.startswith("#")
                ):
                    yield str(value)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def _rule(path: str, spec: Any, schema: dict[str, Any] | bool) -> Rule:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    check = _checker(validator, spec.message)
    doc = spec.doc.strip() or f"## What it does\n{spec.summary}."
    shown = json.dumps(schema, indent=2)
    return Rule(
        code=spec.code,
        name=spec.name,
        severity=spec.severity,
        summary=spec.summary,
        doc=f"{doc}\n\n## Schema\nThe job must satisfy (JSON Schema, draft 2020-12):\n"
        f"```json\n{shown}\n```",
        check=check,
        kinds=frozenset(spec.applies_to) & KINDS,
        references=(path,),
        origin=f"policy {path}",
    )


def _checker(validator: Validator, message: str | None) -> Any:
    def check(job: Job) -> Iterator[Violation]:
        reported: set[str] = set()
        for error in validator.iter_errors(_without_nulls_of(job)):
            path = tuple(error.absolute_path)
            if _unknown(job, path, error):
                continue
            where = _pointer(job, path)
            if where in reported and message is not None:
                continue  # one line per place when the policy gives its own message
            reported.add(where)
            yield Violation(where, message or _message(job, path, error))

    return check


# The job whose data was last made null-free, and that data: the policies of a run check the
# same job one after another, so it is made once per job. (A reference, not an id: the data
# cannot be freed and its id reused while it is here.)
_LAST: list[Any] = [None, None]


def _without_nulls_of(job: Job) -> Any:
    """The job's data without its members whose value is null: SDK dumps write nulls for unset
    fields, and a null member counts as absent, as it does for the built-in schema and rules
    (``required: [VpcConfig]`` fails on ``"VpcConfig": null``)."""
    if _LAST[0] is not job.data:
        _LAST[:] = [job.data, _without_nulls(job.data)]
    return _LAST[1]


def _without_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _unknown(job: Job, path: tuple[Any, ...], error: Any) -> bool:
    """Whether the error is about a value the document does not know (or a missing member that
    a Step Functions ``"Name.$"`` path gives)."""
    if is_unknown(error.instance) or job.unknown(*path):
        return True
    if error.validator == "required" and isinstance(error.instance, Mapping):
        missing = [name for name in error.validator_value if name not in error.instance]
        return all(f"{name}.$" in error.instance for name in missing)
    return False


def _pointer(job: Job, path: tuple[Any, ...]) -> str:
    """The pointer of ``path``, a secret-shaped key of a sensitive map masked (``<key N>``)."""
    tokens: list[Any] = []
    for depth, token in enumerate(path):
        shown = token
        if isinstance(token, str) and in_sensitive_map(pointer(*tokens)) and secret_shaped(token):
            keys = list(job.mapping(*path[:depth]))
            shown = masked_key(keys.index(token) + 1) if token in keys else masked_key(0)
        tokens.append(shown)
    return pointer(*tokens)


def _label(where: str) -> str:
    """``/VpcConfig/Subnets/0`` as ``VpcConfig.Subnets[0]``."""
    text = ""
    for token in where.split("/")[1:]:
        text += f"[{token}]" if token.isdigit() else f".{token}" if text else token
    return text or "the job"


# jsonschema's messages of these keywords name keys, never a value.
_NAMES_ONLY = frozenset({"required", "additionalProperties", "dependentRequired"})


def _message(job: Job, path: tuple[Any, ...], error: Any) -> str:
    """jsonschema's message, unless it could quote a secret: a value of a sensitive map, or a
    value that holds others (an object, an array). Then the place and the keyword that failed."""
    where = _pointer(job, path)
    sensitive = where.startswith(("/HyperParameters", "/Environment"))
    container = isinstance(error.instance, Mapping | list)
    if not sensitive and (error.validator in _NAMES_ONLY or not container):
        return f"{_label(where)}: {_short(error.message)}"
    return f"{_label(where)} does not satisfy the policy ({error.validator}; value not shown)"
