#!/usr/bin/env python3
"""Generate the JSON Schemas in ``schemas/`` from botocore's SageMaker service model.

    python scripts/generate_schema.py          # write the schemas
    python scripts/generate_schema.py --check  # exit 1 if the committed files are out of date

Two self-contained draft 2020-12 schemas are written, each holding only the shapes reachable
from its root, every shape under ``$defs`` and referenced as ``{"$ref": "#/$defs/<Shape>"}``:

- ``describe-training-job.schema.json``: the ``DescribeTrainingJobResponse`` output shape;
- ``create-training-job.schema.json``: the ``CreateTrainingJobRequest`` input shape.

Conventions (``linter/validate.py`` relies on them, ``tests/test_schema.py`` checks them):

- Patterns are Python ``re`` patterns, as the reference ``jsonschema`` library evaluates them
  (``re.search``). botocore's patterns are Java regexes that must match the whole value; each is
  written as ``^(?:<pattern>)$(?!\\n)``. The ``(?!\\n)`` matters: in Python ``$`` also matches
  before a final newline, so ``^(?:abc)$`` would accept ``"abc\\n"``. ``\\Z`` would do the same
  in Python but means a literal ``Z`` to an ECMA-262 engine (editors validating with the schema);
  ``$(?!\\n)`` means "end of the value" to both. Java constructs that Python reads differently
  are translated (``PATTERN_FIXES``) so that no value the Java pattern accepts is rejected.
- Timestamps: every ``timestamp`` shape is a ``$ref`` to one ``Timestamp`` def that accepts what
  AWS and the SDKs really write (ISO-8601 strings, epoch seconds or milliseconds).
- ``description``: the first sentence of the model's documentation, HTML stripped, on every
  def and property that has documentation.
- ``"x-open-enum": true`` next to ``enum`` marks an enumeration that AWS extends often: the
  linter reports an unknown value as a warning (SM012), strict validators still reject it.
- Where real AWS documents deviate from the model, ``DEVIATIONS`` changes the schema, and the
  reason is written into it as a ``$comment``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import botocore
import botocore.loaders

Kind = Literal["describe", "create"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
SCRIPT = "scripts/generate_schema.py"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
TIMESTAMP = "Timestamp"


@dataclass(frozen=True)
class Root:
    kind: Kind
    shape: str
    title: str


ROOTS: dict[str, Root] = {
    "describe-training-job.schema.json": Root(
        "describe", "DescribeTrainingJobResponse", "SageMaker DescribeTrainingJob response"
    ),
    "create-training-job.schema.json": Root(
        "create", "CreateTrainingJobRequest", "SageMaker CreateTrainingJob request"
    ),
}


# Enumerations where an unknown value is a warning (SM012), not an error: AWS extends them more
# often than the pinned service model is updated. shape name -> reason. All other reachable
# enums (input modes, compression, data types, file system types, ...) are closed: they are
# written by the user in a request, where an unknown value is a typo that AWS rejects.
OPEN_ENUMS: dict[str, str] = {
    "TrainingInstanceType": (
        "AWS adds training instance types several times a year, before the pinned model lists them."
    ),
    "ProcessingInstanceType": (
        "the instance types of Debugger/Profiler rule evaluation containers: AWS adds instance "
        "types several times a year."
    ),
    "SecondaryStatus": "the service documentation says its valid values are subject to change.",
    "TrainingJobStatus": (
        "a status set by AWS in responses only; it has grown since launch (Deleting), and a value "
        "newer than the pinned model means the model is behind, not that the document is wrong."
    ),
    "WarmPoolResourceStatus": (
        "a status set by AWS in responses only: a value newer than the pinned model means the "
        "model is behind, not that the document is wrong."
    ),
    "RuleEvaluationStatus": (
        "a status set by AWS in responses only (Debugger/Profiler rule evaluations): a value "
        "newer than the pinned model means the model is behind, not that the document is wrong."
    ),
}


@dataclass(frozen=True)
class Deviation:
    """A place where real AWS documents break the model, and how the schema follows AWS."""

    kind: Kind  # which schema
    shape: str
    members: tuple[str, ...]
    change: Literal["optional"]  # "optional": drop the members from the shape's `required`
    reason: str


# Known deviations of real AWS documents from the service model. Each is written into the
# schema as a `$comment` on the shape's def.
DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        "describe",
        "DescribeTrainingJobResponse",
        ("ModelArtifacts",),
        "optional",
        "real DescribeTrainingJob responses have no ModelArtifacts while the job is InProgress, "
        "or when it Failed or is Stopping before a model was uploaded (see the ACK and "
        "cloud-custodian samples in tests/data/real).",
    ),
    Deviation(
        "describe",
        "VpcConfig",
        ("SecurityGroupIds", "Subnets"),
        "optional",
        'the "SageMaker Training Job State Change" EventBridge event, whose detail is '
        'describe-shaped, writes "VpcConfig": {} for a job without a VPC (AWS\'s documented '
        "sample event). A DescribeTrainingJob response leaves VpcConfig out instead.",
    ),
)


@dataclass(frozen=True)
class PatternFix:
    java: str  # the pattern in the model: a change there must be reviewed
    python: str  # a Python `re` pattern that accepts at least every value `java` accepts
    reason: str


# Java patterns that Python's `re` rejects or reads differently. shape name -> fix.
PATTERN_FIXES: dict[str, PatternFix] = {
    "TagKey": PatternFix(
        r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)",
        r"([\w\s.:/=+\-@]*)",
        r"Python re has no \p{...} classes: \w (Unicode letters, digits and _) covers \p{L} and "
        r"\p{N}, \s (Unicode whitespace) covers \p{Z}; a superset of the Java pattern.",
    ),
    "TagValue": PatternFix(
        r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)",
        r"([\w\s.:/=+\-@]*)",
        r"Python re has no \p{...} classes: \w (Unicode letters, digits and _) covers \p{L} and "
        r"\p{N}, \s (Unicode whitespace) covers \p{Z}; a superset of the Java pattern.",
    ),
    "TrainingRepositoryCredentialsProviderArn": PatternFix(
        r"arn:[\p{Alnum}\-]+:lambda:[\p{Alnum}\-]+:[0-9]{12}:function:.*",
        r"arn:[a-zA-Z0-9\-]+:lambda:[a-zA-Z0-9\-]+:[0-9]{12}:function:.*",
        r"Python re has no \p{Alnum}; in Java (without UNICODE_CHARACTER_CLASS) it is exactly "
        r"[a-zA-Z0-9].",
    ),
    "ModelPackageArn": PatternFix(
        r"arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]{9,16}:[0-9]{12}:model-package/[\S]{1,2048}",
        r"arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]{9,16}:[0-9]{12}:model-package/"
        r"[^ \t\n\x0b\f\r]{1,2048}",
        r"Java's \S excludes only the 6 ASCII whitespace characters; Python's \S also excludes "
        r"Unicode whitespace (U+00A0, U+3000, \x1c-\x1f, ...), which would reject values Java "
        r"accepts.",
    ),
    "ModelPackageGroupArn": PatternFix(
        r"arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]{9,16}:[0-9]{12}:model-package-group/[\S]{1,2048}",
        r"arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]{9,16}:[0-9]{12}:model-package-group/"
        r"[^ \t\n\x0b\f\r]{1,2048}",
        r"Java's \S excludes only the 6 ASCII whitespace characters; Python's \S also excludes "
        r"Unicode whitespace (U+00A0, U+3000, \x1c-\x1f, ...), which would reject values Java "
        r"accepts.",
    ),
}

# Java regex constructs that Python's `re` does not have, or reads differently in a way that
# could reject a value the Java pattern accepts. \w \d \s and `.` are fine: in Python they match
# a superset of what they match in Java. `[\S\s]` (anything) is fine too.
_JAVA_ONLY = re.compile(
    r"""
    \\[pP]\{            # \p{L}, \p{Alnum}: Unicode/POSIX classes
    | \\[QEzZGhHRXvVk]  # quoting, \z \Z \G, \h \R \X \v, named backreferences
    | \\[WDB]           # negated classes: narrower in Python (Unicode)
    | \\b               # word boundary: Unicode-aware in Python
    | \\S(?!\\s)        # \S outside the [\S\s] idiom
    | \(\?<(?![=!])     # Java named group (?<name>...)
    | &&                # character class intersection
    | \[[^\]]*\[        # nested character class (union in Java)
    | [*+?}]\+          # possessive quantifier
    """,
    re.VERBOSE,
)


# Smithy's ranges of the integer types (https://smithy.io/2.0/spec/simple-types.html).
INTEGER_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def anchor(pattern: str) -> str:
    """A Java whole-value pattern as a Python `re.search` pattern (see the module docstring)."""
    return f"^(?:{pattern})$(?!\\n)"


# What AWS and the SDKs really write for a timestamp. ISO-8601: botocore (`isoformat()`:
# `+00:00`, or naive), the AWS CLI, the JS/Go SDKs (`Z`), Python's `str()` (a space for `T`).
_ISO_8601 = (
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]{1,9})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?"
)
TIMESTAMP_DEF: dict[str, Any] = {
    "title": "timestamp",
    "description": (
        "An ISO-8601 date-time string (offset optional), epoch seconds or milliseconds as a "
        "number, or epoch milliseconds as a string of digits."
    ),
    "$comment": (
        "botocore type `timestamp`. The model's wire format is epoch seconds; this accepts "
        "every form that AWS tools write into saved documents."
    ),
    "anyOf": [
        {
            "description": (
                "ISO-8601 date-time: `T` or a space, fraction and offset (`Z`, `+00:00`) "
                "optional, as boto3, the AWS CLI and the SDKs print it."
            ),
            "type": "string",
            "pattern": anchor(_ISO_8601),
        },
        {
            "description": (
                "Epoch milliseconds as a string of digits, as in EventBridge events "
                '("1583831889050").'
            ),
            "type": "string",
            "pattern": anchor("[0-9]{1,16}"),
        },
        {
            "description": "Epoch seconds (the JSON wire format) or epoch milliseconds.",
            "type": "number",
            "minimum": 0,
        },
    ],
}

# Shape and member traits that do not change what a valid document is.
_IGNORED_TRAITS = frozenset(
    {
        "documentation",
        "box",
        "sensitive",
        "deprecated",
        "deprecatedMessage",
        "idempotencyToken",
        "locationName",
        "xmlNamespace",
        "flattened",
        "wrapper",
        "exception",
        "error",
        "fault",
        "synthetic",
        "retryable",
    }
)
_KNOWN_TRAITS: dict[str, frozenset[str]] = {
    "structure": frozenset({"type", "members", "required"}),
    "list": frozenset({"type", "member", "min", "max"}),
    "map": frozenset({"type", "key", "value", "min", "max"}),
    "string": frozenset({"type", "min", "max", "pattern", "enum"}),
    "integer": frozenset({"type", "min", "max"}),
    "long": frozenset({"type", "min", "max"}),
    "float": frozenset({"type", "min", "max"}),
    "double": frozenset({"type", "min", "max"}),
    "boolean": frozenset({"type"}),
    "timestamp": frozenset({"type", "timestampFormat"}),
}
_MEMBER_TRAITS = frozenset({"shape"})


class GenerationError(Exception):
    """The model has something this generator does not know how to map: teach it."""


_TAG = re.compile(r"<(/?)([a-zA-Z0-9]*)[^>]*>")
# Tags inside a sentence: dropped without a space (`<code>true</code>.` -> `true.`).
_INLINE_TAGS = frozenset({"a", "b", "code", "em", "i", "strong", "sub", "sup", "u"})
_SPACE = re.compile(r"\s+")
# The end of a sentence: a period followed by a space, not in "e.g." or "i.e.".
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)\.(?=\s)")


def first_sentence(documentation: str | None) -> str | None:
    """The first sentence of an HTML documentation string, as plain text."""
    if not documentation:
        return None
    text = _TAG.sub(lambda tag: "" if tag[2].lower() in _INLINE_TAGS else " ", documentation)
    text = _SPACE.sub(" ", html.unescape(text)).strip()
    if not text:
        return None
    end = _SENTENCE_END.search(text)
    return text[: end.end()] if end else text


def load_model() -> Mapping[str, Any]:
    model: Mapping[str, Any] = botocore.loaders.create_loader().load_service_model(
        "sagemaker", "service-2"
    )
    return model


def reachable(shapes: Mapping[str, Any], root: str) -> set[str]:
    seen: set[str] = set()
    stack = [root]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in shapes:
            raise GenerationError(f"shape {name!r} is referenced but not in the model")
        seen.add(name)
        shape = shapes[name]
        if shape["type"] == "structure":
            stack.extend(member["shape"] for member in shape["members"].values())
        elif shape["type"] == "list":
            stack.append(shape["member"]["shape"])
        elif shape["type"] == "map":
            stack.extend((shape["key"]["shape"], shape["value"]["shape"]))
    return seen


def _check_traits(name: str, shape: Mapping[str, Any]) -> None:
    known = _KNOWN_TRAITS.get(shape["type"])
    if known is None:
        raise GenerationError(f"shape {name!r} has type {shape['type']!r}, which is not mapped")
    unknown = set(shape) - known - _IGNORED_TRAITS
    if unknown:
        raise GenerationError(f"shape {name!r} has traits {sorted(unknown)} that are not mapped")
    members: list[tuple[str, Mapping[str, Any]]] = []
    if shape["type"] == "structure":
        members = list(shape["members"].items())
    elif shape["type"] == "list":
        members = [("member", shape["member"])]
    elif shape["type"] == "map":
        members = [("key", shape["key"]), ("value", shape["value"])]
    for member_name, member in members:
        unknown = set(member) - _MEMBER_TRAITS - _IGNORED_TRAITS
        if unknown:
            raise GenerationError(
                f"member {name}.{member_name} has traits {sorted(unknown)} that are not mapped"
            )


def python_pattern(name: str, java: str) -> tuple[str, str | None]:
    """The Python pattern for a shape's Java pattern, and a comment when it was translated."""
    fix = PATTERN_FIXES.get(name)
    if fix is not None:
        if fix.java != java:
            raise GenerationError(
                f"the pattern of {name} changed in the model to {java!r}; review PATTERN_FIXES"
            )
        pattern, comment = fix.python, f"Model pattern {fix.java} translated: {fix.reason}"
    else:
        found = _JAVA_ONLY.search(java)
        if found:
            raise GenerationError(
                f"the pattern of {name} ({java!r}) uses {found.group()!r}, which Python's re "
                "does not have or reads differently; add a PATTERN_FIXES entry"
            )
        pattern, comment = java, None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FutureWarning on Java-style nested sets, `--`, `&&`
        try:
            re.compile(anchor(pattern))
        except (re.error, FutureWarning) as error:
            raise GenerationError(
                f"the pattern of {name} ({pattern!r}) is not a valid Python pattern: {error}"
            ) from None
    return anchor(pattern), comment


def _ref(shapes: Mapping[str, Any], name: str) -> dict[str, Any]:
    target = TIMESTAMP if shapes[name]["type"] == "timestamp" else name
    return {"$ref": f"#/$defs/{target}"}


def _member(shapes: Mapping[str, Any], member: Mapping[str, Any]) -> dict[str, Any]:
    schema = _ref(shapes, member["shape"])
    description = first_sentence(member.get("documentation"))
    if description:
        schema["description"] = description
    return schema


def shape_schema(
    shapes: Mapping[str, Any], name: str, kind: Kind, comments: list[str]
) -> dict[str, Any]:
    shape = shapes[name]
    _check_traits(name, shape)
    schema: dict[str, Any] = {}
    description = first_sentence(shape.get("documentation"))
    if description:
        schema["description"] = description
    kind_of = shape["type"]
    if kind_of == "structure":
        required = list(shape.get("required", []))
        for deviation in DEVIATIONS:
            if deviation.kind == kind and deviation.shape == name:
                for member in deviation.members:
                    if member not in required:
                        raise GenerationError(f"stale deviation, {member} is optional: {deviation}")
                    required.remove(member)
                members = " and ".join(deviation.members)
                verb = "is" if len(deviation.members) == 1 else "are"
                comments.append(
                    f"Deviation from the service model: {members} {verb} not required: "
                    f"{deviation.reason}"
                )
        schema["type"] = "object"
        schema["properties"] = {
            member_name: _member(shapes, member) for member_name, member in shape["members"].items()
        }
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
    elif kind_of == "map":
        schema["type"] = "object"
        schema["propertyNames"] = _ref(shapes, shape["key"]["shape"])
        schema["additionalProperties"] = _ref(shapes, shape["value"]["shape"])
        if shape.get("min"):
            schema["minProperties"] = shape["min"]
        if "max" in shape:
            schema["maxProperties"] = shape["max"]
    elif kind_of == "list":
        schema["type"] = "array"
        schema["items"] = _ref(shapes, shape["member"]["shape"])
        if shape.get("min"):
            schema["minItems"] = shape["min"]
        if "max" in shape:
            schema["maxItems"] = shape["max"]
    elif kind_of == "string":
        schema["type"] = "string"
        if shape.get("min"):
            schema["minLength"] = shape["min"]
        if "max" in shape:
            schema["maxLength"] = shape["max"]
        if "enum" in shape:
            schema["enum"] = list(shape["enum"])
            if name in OPEN_ENUMS:
                schema["x-open-enum"] = True
                comments.append(f"Open enum (unknown values are warnings): {OPEN_ENUMS[name]}")
        if "pattern" in shape:
            schema["pattern"], comment = python_pattern(name, shape["pattern"])
            if comment:
                comments.append(comment)
    elif kind_of in ("integer", "long"):
        # The range of the type itself where the model sets no tighter one: Smithy's integer is
        # a 32-bit and its long a 64-bit signed integer
        # (https://smithy.io/2.0/spec/simple-types.html). A value beyond it cannot be sent.
        low, high = INTEGER_RANGES[kind_of]
        schema["type"] = "integer"
        schema["minimum"] = max(shape.get("min", low), low)
        schema["maximum"] = min(shape.get("max", high), high)
    elif kind_of in ("float", "double"):
        schema["type"] = "number"
        if "min" in shape:
            schema["minimum"] = shape["min"]
        if "max" in shape:
            schema["maximum"] = shape["max"]
    elif kind_of == "boolean":
        schema["type"] = "boolean"
    else:  # pragma: no cover - _check_traits refuses other types
        raise GenerationError(f"shape {name!r}: type {kind_of!r} is not mapped")
    return schema


def build_schema(model: Mapping[str, Any], root: Root) -> dict[str, Any]:
    shapes: Mapping[str, Any] = model["shapes"]
    names = reachable(shapes, root.shape)
    for name in OPEN_ENUMS:
        if name in shapes and "enum" not in shapes[name]:
            raise GenerationError(f"OPEN_ENUMS names {name}, which is not an enum")
    defs: dict[str, Any] = {}
    for name in shapes:  # model order
        if name not in names or shapes[name]["type"] == "timestamp":
            continue
        if name == TIMESTAMP:
            raise GenerationError(f"a {shapes[name]['type']} shape is named {TIMESTAMP}")
        comments: list[str] = []
        schema = shape_schema(shapes, name, root.kind, comments)
        if comments:
            schema = {"$comment": " ".join(comments), **schema}
        defs[name] = schema
    if any(shapes[name]["type"] == "timestamp" for name in names):
        defs[TIMESTAMP] = TIMESTAMP_DEF
    metadata = model["metadata"]
    return {
        "$schema": DRAFT,
        "$comment": (
            f"Generated by {SCRIPT} from botocore's service model "
            f"{metadata['serviceId']} {metadata['apiVersion']}; must not be edited by hand: "
            f"change the generator and run `python {SCRIPT}`. Patterns are Python re patterns "
            "anchored as ^(?:...)$(?!\\n), a whole-value match with re.search."
        ),
        "x-botocore-version": botocore.__version__,
        "title": root.title,
        "$ref": f"#/$defs/{root.shape}",
        "$defs": defs,
    }


def _check_deviations(model: Mapping[str, Any]) -> None:
    shapes = model["shapes"]
    for deviation in DEVIATIONS:
        shape = shapes.get(deviation.shape)
        if shape is None or not set(deviation.members) <= set(shape.get("members", {})):
            raise GenerationError(f"stale deviation, no such member: {deviation}")


def generate() -> dict[str, dict[str, Any]]:
    """Every schema file name -> its schema, as generated from the installed botocore."""
    model = load_model()
    _check_deviations(model)
    return {file_name: build_schema(model, root) for file_name, root in ROOTS.items()}


def render(schema: Mapping[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def _recorded_version(path: Path) -> str | None:
    try:
        version = json.loads(path.read_text(encoding="utf-8")).get("x-botocore-version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def stale_files(schemas: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[Path, str]]:
    """(file, why) for each committed schema that differs from what would be generated."""
    for file_name, schema in schemas.items():
        path = SCHEMA_DIR / file_name
        try:
            committed = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            yield path, "missing"
            continue
        if committed != render(schema):
            recorded = _recorded_version(path)
            why = "differs from what the generator produces"
            if recorded and recorded != botocore.__version__:
                why += (
                    f" (it was generated with botocore {recorded}, botocore "
                    f"{botocore.__version__} is installed: install with -c constraints.txt)"
                )
            yield path, why


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a committed schema differs from what would be generated",
    )
    args = parser.parse_args(argv)
    try:
        schemas = generate()
    except GenerationError as error:
        print(f"{SCRIPT}: {error}", file=sys.stderr)
        return 2
    if args.check:
        stale = list(stale_files(schemas))
        for path, why in stale:
            print(f"{_shown(path)} is out of date: {why}; run `python {SCRIPT}`", file=sys.stderr)
        return 1 if stale else 0
    SCHEMA_DIR.mkdir(exist_ok=True)
    for file_name, schema in schemas.items():
        path = SCHEMA_DIR / file_name
        text = render(schema)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {_shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
