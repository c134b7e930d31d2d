"""Fast validation of job documents against the JSON Schemas in ``schemas/``.

The schemas are generated from botocore's service model by ``scripts/generate_schema.py``. This
module validates exactly the keywords that generator writes, without ``jsonschema``: on the real
describe documents of ``tests/data/real/`` it takes 44 µs a document where jsonschema's
Draft202012Validator takes 2,764 µs, 62 times as long (``bench/bench_validator.py``, 2 cores,
2026-12-05; earlier runs on busier machines gave 35 to 57 times). jsonschema stays the reference
it is tested
against (``tests/test_schema.py``) and validates the users' own schema policies. A schema
file is read on the first validation of its kind, and each ``$defs`` entry is compiled once into
a closure: no schema dict is looked at while a document is validated.

Semantics, beyond plain JSON Schema draft 2020-12:

- An object member whose value is ``null`` counts as absent (SDK dumps write explicit nulls).
- A member ``"Name.$"`` of a structure that has a property ``Name`` (a Step Functions dynamic
  parameter) counts as ``Name`` being present; its value is not validated.
- A value missing from an enum marked ``"x-open-enum": true`` is SM012 (a warning), an unknown
  member SM011 (a warning), anything else SM010.
- Pointers: an issue is reported at the RFC 6901 pointer of the value it is about; a missing
  required member at the enclosing object, an unknown member (and a bad map key) at that member.
- ``bool`` is not a number; ``1.0`` is an integer (as in JSON Schema); NaN breaks any minimum or
  maximum (jsonschema lets it through; it is not JSON anyway); a ``datetime`` object (a boto3
  response held in memory) is a valid timestamp.
- At most one issue per value (its type, else its enum, length, range or pattern).
- Strings under ``/HyperParameters`` and ``/Environment`` never appear in messages. Elsewhere a
  string value appears only in enum messages, cut to 60 characters. A key of those two maps that
  looks like a secret (``password=...``, a token: see ``sagelint.load.locate.secret_shaped``) is
  ``<key N>`` (its place in the map, 1-based) in messages and pointers; the locator finds it.
- Patterns are applied as jsonschema applies them, with ``re.search``; the generator anchors
  them as ``^(?:...)$(?!\\n)`` (a whole-value match). A pattern Python cannot compile is skipped,
  never raised; the pattern of a string of the wrong length is not tried.
- Validation only descends where the schema does (no shape is recursive), so data nested deeper
  than the schema never costs a recursion.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from sagelint import document_rules, schemas
from sagelint.job import is_placeholder, is_unknown
from sagelint.load.locate import SENSITIVE_MAPS, in_sensitive_map, masked_key, secret_shaped

if TYPE_CHECKING:
    from typing import Any, Literal

    Kind = Literal["describe", "create"]


SCHEMA_FILES: dict[str, str] = {
    "describe": "describe-training-job.schema.json",
    "create": "create-training-job.schema.json",
}
TIMESTAMP_DEF = "Timestamp"
SCHEMA_ERROR = document_rules.SCHEMA_VIOLATION.code
UNKNOWN_FIELD = document_rules.UNKNOWN_FIELD.code
UNKNOWN_ENUM_VALUE = document_rules.UNKNOWN_ENUM_VALUE.code
_MAX_SHOWN = 60
_MAX_SUGGESTIONS = 50  # no "did you mean" once a document has this many issues


class SchemaIssue(NamedTuple):
    pointer: str  # RFC 6901 JSON pointer into the job document ("" = the document itself)
    code: str  # SM010 schema violation | SM011 unknown field | SM012 unknown open-enum value
    message: str


if TYPE_CHECKING:
    Issues = list[SchemaIssue]
    # A compiled schema: check(value, parent, token, issues) validates `value`, whose pointer
    # is `parent + token`, and appends what is wrong to `issues`. The pointer is built only when
    # needed.
    Check = Callable[[Any, str, str, Issues], None]

_CHECKS: dict[str, Check] = {}


def validate_job(data: object, kind: Literal["describe", "create"]) -> list[SchemaIssue]:
    """What breaks the schema of ``kind`` in ``data`` (a parsed JSON/YAML document), in order."""
    check = _CHECKS.get(kind)
    if check is None:
        if kind not in SCHEMA_FILES:
            raise ValueError(f"unknown kind of job document: {kind!r}")
        with open(schema_path(kind), "rb") as stream:
            check = _CHECKS[kind] = compile_schema(json.load(stream))
    issues: Issues = []
    check(data, "", "", issues)
    return issues


def schema_path(kind: str) -> str:
    """The schema file, shipped in the package as ``sagelint/schemas/`` (a folder of the
    installed package: the wheel is not zip-safe)."""
    return os.path.join(os.path.dirname(schemas.__file__), SCHEMA_FILES[kind])


# --- messages (built only when something is wrong) ------------------------------------------


def _escape(token: str) -> str:
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def _token(key: object) -> str:
    return "/" + _escape(key if type(key) is str else str(key))


_INDEX_TOKENS = tuple(f"/{i}" for i in range(256))


def _printable(text: str) -> str:
    """Text from the document, cut to a readable length, on one line and printable."""
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else json.dumps(c)[1:-1] for c in text)


def _quote(text: str) -> str:
    return '"' + _printable(text).replace('"', '\\"') + '"'


def _label(pointer: str) -> str:
    """``/InputDataConfig/0/ChannelName`` -> ``InputDataConfig[0].ChannelName``."""
    if not pointer:
        return "document"
    parts: list[str] = []
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if parts and token.isascii() and token.isdigit():
            parts[-1] += f"[{token}]"
        else:
            parts.append(_printable(token))
    return ".".join(parts)


def _sensitive(pointer: str) -> bool:
    return any(pointer == p or pointer.startswith(p + "/") for p in SENSITIVE_MAPS)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__


def _number(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        return "a number too large to show"
    return text if len(text) <= 30 else text[:27] + "..."


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


class _Subject:
    """How a compiled check names its value in messages: by pointer, or as a key of a map."""

    __slots__ = ("key",)

    def __init__(self, key: bool) -> None:
        self.key = key

    def __call__(self, parent: str, token: str) -> str:
        if self.key:
            key = token[1:].replace("~1", "/").replace("~0", "~")
            if in_sensitive_map(parent) and _MASKED_TOKEN.fullmatch(key):
                return f"{_label(parent)} {key} (not shown: it looks like a secret)"
            return f"{_label(parent)} key {_quote(key)}"
        return _label(parent + token)


_MASKED_TOKEN = re.compile(r"<key [1-9][0-9]*>")


def _issue(out: Issues, parent: str, token: str, code: str, message: str) -> None:
    out.append(SchemaIssue(parent + token, code, message))


# --- compiling ---------------------------------------------------------------------------------

_ANNOTATIONS = frozenset(
    {"$schema", "$comment", "$defs", "title", "description", "x-botocore-version", "x-open-enum"}
)
# The keywords each kind of node may have (besides annotations).
_KEYWORDS: dict[str, frozenset[str]] = {
    "$ref": frozenset({"$ref"}),
    "anyOf": frozenset({"anyOf"}),
    "object": frozenset(
        {
            "type",
            "properties",
            "required",
            "additionalProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
        }
    ),
    "array": frozenset({"type", "items", "minItems", "maxItems"}),
    "string": frozenset({"type", "enum", "minLength", "maxLength", "pattern"}),
    "integer": frozenset({"type", "minimum", "maximum"}),
    "number": frozenset({"type", "minimum", "maximum"}),
    "boolean": frozenset({"type"}),
}


_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean"})


class SchemaNotSupported(ValueError):
    """The schema uses a keyword this validator does not implement."""


def compile_schema(schema: dict[str, Any]) -> Check:
    """Compile a schema written by scripts/generate_schema.py into a check."""
    return _Compiler(schema).compile(schema, False)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = root.get("$defs", {})
        self.done: dict[tuple[str, bool], Check] = {}
        self.busy: set[tuple[str, bool]] = set()

    def compile(self, node: dict[str, Any], key: bool) -> Check:
        if "$ref" in node:
            self._expect(node, "$ref")
            return self.ref(node["$ref"], key)
        if "anyOf" in node:
            self._expect(node, "anyOf")
            return _any_of(
                [self.compile(branch, key) for branch in node["anyOf"]],
                str(node.get("title", "value")),
                _Subject(key),
                _is_datetime if node is self.defs.get(TIMESTAMP_DEF) else None,
            )
        kind = node.get("type")
        if not isinstance(kind, str) or kind not in _TYPES:
            raise SchemaNotSupported(f"unsupported type {kind!r} in {node!r:.200}")
        self._expect(node, kind)
        subject = _Subject(key)
        if kind == "object":
            return self.object(node, subject)
        if kind == "array":
            items = self.compile(node["items"], False) if "items" in node else None
            return _array(items, node.get("minItems", 0), node.get("maxItems"), subject)
        if kind == "string":
            enum = node.get("enum")
            return _string(
                node.get("minLength", 0),
                node.get("maxLength"),
                node.get("pattern"),
                None if enum is None else tuple(enum),
                node.get("x-open-enum") is True,
                subject,
            )
        if kind == "boolean":
            return _boolean(subject)
        return _number_check(kind == "integer", node.get("minimum"), node.get("maximum"), subject)

    def _expect(self, node: dict[str, Any], kind: str) -> None:
        unknown = set(node) - _KEYWORDS[kind] - _ANNOTATIONS
        if unknown:
            raise SchemaNotSupported(f"unsupported keywords {sorted(unknown)} next to {kind}")

    def ref(self, ref: str, key: bool) -> Check:
        prefix = "#/$defs/"
        name = ref[len(prefix) :] if ref.startswith(prefix) else None
        if name is None or name not in self.defs:
            raise SchemaNotSupported(f"unresolvable $ref {ref!r}")
        memo = (name, key)
        done = self.done.get(memo)
        if done is not None:
            return done
        if memo in self.busy:  # a recursive shape: look the check up when it is called

            def late(value: Any, parent: str, token: str, out: Issues) -> None:
                self.done[memo](value, parent, token, out)

            return late
        self.busy.add(memo)
        check = self.compile(self.defs[name], key)
        self.busy.discard(memo)
        self.done[memo] = check
        return check

    def object(self, node: dict[str, Any], subject: _Subject) -> Check:
        additional = node.get("additionalProperties", True)
        if "properties" in node or "required" in node:
            if additional is not False or {"propertyNames", "minProperties", "maxProperties"} & set(
                node
            ):
                raise SchemaNotSupported("properties go with additionalProperties: false only")
            properties = {
                name: (self.compile(schema, False), _token(name))
                for name, schema in node.get("properties", {}).items()
            }
            return _structure(properties, tuple(node.get("required", ())), subject)
        if not isinstance(additional, dict | bool):
            raise SchemaNotSupported(f"additionalProperties {additional!r}")
        return _map(
            self.compile(node["propertyNames"], True) if "propertyNames" in node else None,
            self.compile(additional, False) if isinstance(additional, dict) else None,
            additional is False,
            node.get("minProperties", 0),
            node.get("maxProperties"),
            subject,
        )


def _structure(
    properties: dict[str, tuple[Check, str]], required: tuple[str, ...], subject: _Subject
) -> Check:
    known = sorted(properties)

    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        if not isinstance(value, dict):
            if not is_unknown(value):  # a placeholder, an intrinsic: not wrong
                message = _wrong_type(subject, parent, token, "object", value)
                _issue(out, parent, token, SCHEMA_ERROR, message)
            return
        here = parent + token
        for key, item in value.items():
            if item is None:  # null: absent
                continue
            entry = properties.get(key)
            if entry is not None:
                entry[0](item, here, entry[1], out)
            elif not (type(key) is str and key.endswith(".$") and key[:-2] in properties):
                # (a Step Functions "Name.$" member: a JSONPath, resolved at run time)
                message = _unknown(here, key, known, out)
                _issue(out, here, _token(key), UNKNOWN_FIELD, message)
        for name in required:
            if value.get(name) is None and value.get(name + ".$") is None:
                where = f" in {_label(here)}" if here else ""
                _issue(out, here, "", SCHEMA_ERROR, f'missing required field "{name}"{where}')

    return check


def _map(
    names: Check | None,
    values: Check | None,
    closed: bool,
    low: int,
    high: int | None,
    subject: _Subject,
) -> Check:
    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        if not isinstance(value, dict):
            if not is_unknown(value):  # a placeholder, an intrinsic: not wrong
                message = _wrong_type(subject, parent, token, "object", value)
                _issue(out, parent, token, SCHEMA_ERROR, message)
            return
        here = parent + token
        masking = in_sensitive_map(here)
        count = 0
        for ordinal, (key, item) in enumerate(value.items(), start=1):
            if item is None:  # null: absent
                continue
            count += 1
            if masking and type(key) is str and secret_shaped(key):
                member = "/" + masked_key(ordinal)
            else:
                member = _token(key)
            if names is not None:
                names(key, here, member, out)
            if values is not None:
                values(item, here, member, out)
            elif closed:
                shown = member[1:] if member != _token(key) else key
                _issue(out, here, member, UNKNOWN_FIELD, _unknown(here, shown, [], out))
        if count < low:
            message = f"{subject(parent, token)} must have at least {_plural(low, 'entry')}"
            _issue(out, parent, token, SCHEMA_ERROR, message + f" (got {count})")
        elif high is not None and count > high:
            message = f"{subject(parent, token)} must have at most {_plural(high, 'entry')}"
            _issue(out, parent, token, SCHEMA_ERROR, message + f" (got {count})")

    return check


def _regex(pattern: str) -> Callable[[str], object]:
    """The search function of a pattern, compiled on first use: a document meets a few of the
    schema's patterns, and compiling all of them would be most of a one-file lint's work. A
    pattern Python cannot compile checks nothing."""
    search: Callable[[str], object] | None = None

    def first_search(value: str) -> object:
        nonlocal search
        if search is None:
            search = _compile(pattern)
        return search(value)

    return first_search


def _compile(pattern: str) -> Callable[[str], object]:
    compiled = _REGEXES.get(pattern)
    if compiled is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compiled = _REGEXES[pattern] = re.compile(pattern)
        except (re.error, OverflowError, RecursionError, ValueError):
            return lambda value: True
    return compiled.search


_REGEXES: dict[str, re.Pattern[str]] = {}
_ANCHORED = re.compile(r"\^\(\?:(.*)\)\$\(\?!\\n\)", re.DOTALL)


def _shown_pattern(pattern: str) -> str:
    found = _ANCHORED.fullmatch(pattern)
    text = found.group(1) if found else pattern
    return text if len(text) <= 100 else text[:97] + "..."


def _wrong_type(subject: _Subject, parent: str, token: str, expected: str, value: object) -> str:
    return f"{subject(parent, token)}: expected {expected}, got {_type_name(value)}"


def _unknown(here: str, key: object, known: list[str], out: Issues) -> str:
    name = key if isinstance(key, str) else str(key)
    message = f"unknown field {_quote(name)}"
    if here:
        message += f" in {_label(here)}"
    if len(out) < _MAX_SUGGESTIONS and len(name) <= 100:
        import difflib

        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if close:
            message += f' (did you mean "{close[0]}"?)'
    return message


def _any_of(
    branches: list[Check],
    title: str,
    subject: _Subject,
    accept: Callable[[Any], bool] | None,
) -> Check:
    first, *others = branches

    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        scratch: Issues = []
        first(value, parent, token, scratch)
        if not scratch:
            return
        for branch in others:
            scratch.clear()
            branch(value, parent, token, scratch)
            if not scratch:
                return
        if accept is None or not accept(value):
            message = f"{subject(parent, token)} is not a valid {title}"
            _issue(out, parent, token, SCHEMA_ERROR, message)

    return check


def _is_datetime(value: object) -> bool:
    """A ``datetime`` is a valid timestamp: boto3 responses held in memory have them."""
    from datetime import datetime

    return isinstance(value, datetime)


# Patterns equivalent to a cheaper test: `.` matches anything but a newline.
_ANYTHING = "^(?:[\\S\\s]*)$(?!\\n)"
_ONE_LINE = "^(?:.*)$(?!\\n)"
_ONE_LINE_NOT_EMPTY = "^(?:.+)$(?!\\n)"


def _string(
    low: int,
    high: int | None,
    pattern: str | None,
    enum: tuple[str, ...] | None,
    open_enum: bool,
    subject: _Subject,
) -> Check:
    if enum is not None:
        if low or high is not None or pattern is not None:
            raise SchemaNotSupported("enum goes with no other string keyword")
        if not all(isinstance(value, str) for value in enum):
            raise SchemaNotSupported(f"enum of a string with other values: {enum!r:.200}")
        listed = ", ".join(enum) if len(enum) <= 8 else None
        return _enum(frozenset(enum), listed, open_enum, subject)
    one_line = pattern == _ONE_LINE or (pattern == _ONE_LINE_NOT_EMPTY and low >= 1)
    search = None if one_line or pattern in (None, _ANYTHING) else _regex(pattern)
    shown = _shown_pattern(pattern) if pattern is not None else ""
    if high is None:
        high = -1

    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        if type(value) is not str and not isinstance(value, str):
            if not is_unknown(value):  # a placeholder, an intrinsic: not wrong
                message = _wrong_type(subject, parent, token, "string", value)
                _issue(out, parent, token, SCHEMA_ERROR, message)
            return
        size = len(value)
        if (size < low or size > high >= 0 or search is not None or one_line) and is_placeholder(
            value
        ):
            return  # a template placeholder: its value is not known
        if size < low:
            what = subject(parent, token)
            message = (
                f"{what} must not be empty"
                if low == 1
                else f"{what} must be at least {_plural(low, 'character')} long (got {size})"
            )
            _issue(out, parent, token, SCHEMA_ERROR, message)
        elif size > high >= 0:
            message = (
                f"{subject(parent, token)} must be at most {_plural(high, 'character')} long "
                f"(got {size})"
            )
            _issue(out, parent, token, SCHEMA_ERROR, message)
        elif (one_line and "\n" in value) or (search is not None and search(value) is None):
            message = f"{subject(parent, token)} does not match the pattern {shown}"
            _issue(out, parent, token, SCHEMA_ERROR, message)

    return check


def _enum(allowed: frozenset[str], listed: str | None, open_enum: bool, subject: _Subject) -> Check:
    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        if type(value) is not str and not isinstance(value, str):
            if not is_unknown(value):  # a placeholder, an intrinsic: not wrong
                message = _wrong_type(subject, parent, token, "string", value)
                _issue(out, parent, token, SCHEMA_ERROR, message)
        elif value not in allowed and not is_placeholder(value):
            what = subject(parent, token)
            if not _sensitive(parent + token):
                what += " " + _quote(value)
            if open_enum:
                _issue(out, parent, token, UNKNOWN_ENUM_VALUE, f"{what} is not a known value")
            elif listed is not None:
                _issue(out, parent, token, SCHEMA_ERROR, f"{what} is not one of {listed}")
            else:
                _issue(out, parent, token, SCHEMA_ERROR, f"{what} is not a known value")

    return check


def _number_check(integer: bool, low: float | None, high: float | None, subject: _Subject) -> Check:
    expected = "integer" if integer else "number"

    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        if type(value) is not int and not _is_number(value, integer):
            if not is_unknown(value):  # a placeholder, an intrinsic: not wrong
                message = _wrong_type(subject, parent, token, expected, value)
                _issue(out, parent, token, SCHEMA_ERROR, message)
        elif low is not None and not value >= low:  # (NaN is neither >= nor <= anything)
            message = f"{subject(parent, token)} must be >= {low} (got {_number(value)})"
            _issue(out, parent, token, SCHEMA_ERROR, message)
        elif high is not None and not value <= high:
            message = f"{subject(parent, token)} must be <= {high} (got {_number(value)})"
            _issue(out, parent, token, SCHEMA_ERROR, message)

    return check


def _is_number(value: object, integer: bool) -> bool:
    """JSON Schema's integer/number: not a bool; a float with no fraction is an integer."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and (not integer or value.is_integer())


def _boolean(subject: _Subject) -> Check:
    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        # (a placeholder, an intrinsic: not wrong)
        if value is not True and value is not False and not is_unknown(value):
            message = _wrong_type(subject, parent, token, "boolean", value)
            _issue(out, parent, token, SCHEMA_ERROR, message)

    return check


def _array(items: Check | None, low: int, high: int | None, subject: _Subject) -> Check:
    def check(value: Any, parent: str, token: str, out: Issues) -> None:
        if not isinstance(value, list | tuple):
            if not is_unknown(value):  # a placeholder, an intrinsic: not wrong
                message = _wrong_type(subject, parent, token, "array", value)
                _issue(out, parent, token, SCHEMA_ERROR, message)
            return
        size = len(value)
        if size < low:
            message = f"{subject(parent, token)} must have at least {_plural(low, 'item')}"
            _issue(out, parent, token, SCHEMA_ERROR, message + f" (got {size})")
        elif high is not None and size > high:
            message = f"{subject(parent, token)} must have at most {_plural(high, 'item')}"
            _issue(out, parent, token, SCHEMA_ERROR, message + f" (got {size})")
        if items is not None:
            here = parent + token
            tokens = _INDEX_TOKENS
            for index, item in enumerate(value):
                items(item, here, tokens[index] if index < 256 else f"/{index}", out)

    return check


__all__ = ["SchemaIssue", "validate_job"]
