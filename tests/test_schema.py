"""The generated JSON Schemas, and sagelint.schema.validate checked against jsonschema (the reference).

Pointer convention of sagelint.schema.validate, and how jsonschema's errors are mapped onto it
(:func:`reference_issues`):

- an error about a value: the pointer of the value (jsonschema: ``error.absolute_path``);
- ``required``: the pointer of the enclosing object (jsonschema reports it there too); a name
  whose ``"Name.$"`` member is present is not missing (Step Functions dynamic parameter);
- ``additionalProperties: false``: one issue per unknown member, at the member's pointer
  (jsonschema: one error at the object, ``error.instance`` minus the declared properties, minus
  ``"Name.$"`` members whose ``Name`` is declared);
- ``propertyNames``: at the member whose key is bad (jsonschema: at the object, the key is
  ``error.instance``).

jsonschema is given the document with every object member whose value is null removed, which
is what sagelint.schema.validate does on the fly.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sagelint.job import is_unknown
from sagelint.schema.validate import SchemaIssue, compile_schema, schema_path, validate_job

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
REAL = Path(__file__).resolve().parent / "data" / "real"
FILES = {
    "describe": "describe-training-job.schema.json",
    "create": "create-training-job.schema.json",
}
KINDS = tuple(FILES)
ANCHORED = re.compile(r"\^\(\?:(.*)\)\$\(\?!\\n\)", re.DOTALL)


@cache
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_schema", ROOT / "scripts" / "generate_schema.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@cache
def schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / FILES[kind]).read_text(encoding="utf-8"))
    return loaded


@cache
def reference(kind: str) -> Any:
    return jsonschema.Draft202012Validator(schema(kind))


def defs(kind: str) -> dict[str, Any]:
    found: dict[str, Any] = schema(kind)["$defs"]
    return found


def all_defs() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for kind in KINDS:
        for name, node in defs(kind).items():
            yield kind, name, node


def strings_in(node: Any) -> Iterator[dict[str, Any]]:
    """Every (sub)schema with a pattern."""
    if isinstance(node, dict):
        if "pattern" in node:
            yield node
        for value in node.values():
            yield from strings_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings_in(value)


# --- the reference, mapped onto sagelint.schema.validate's pointer convention ----------------------------


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(path: Any) -> str:
    return "".join("/" + escape(token) for token in path)


def dynamic(key: object, properties: dict[str, Any]) -> bool:
    return isinstance(key, str) and key.endswith(".$") and key[:-2] in properties


def reference_issues(kind: str, document: Any) -> set[tuple[str, str]]:
    """(pointer, code) of every error jsonschema finds, on sagelint.schema.validate's conventions."""
    found: set[tuple[str, str]] = set()
    for error in reference(kind).iter_errors(without_nulls(document)):
        at = pointer(error.absolute_path)
        if "propertyNames" in error.absolute_schema_path:
            found.add((at + "/" + escape(error.instance), "SM010"))
        elif error.validator == "additionalProperties" and error.validator_value is False:
            properties = error.schema.get("properties", {})
            for key in error.instance:
                if key not in properties and not dynamic(key, properties):
                    found.add((at + "/" + escape(key), "SM011"))
        elif error.validator == "required":
            missing = [n for n in error.validator_value if n not in error.instance]
            if any(f"{name}.$" not in error.instance for name in missing):
                found.add((at, "SM010"))
        elif error.validator == "enum" and error.schema.get("x-open-enum") is True:
            found.add((at, "SM012"))
        else:
            found.add((at, "SM010"))
    return found


def unmasked(document: Any, pointer: str) -> str:
    """Our pointer with a masked key of a sensitive map (``<key N>``, a secret-shaped key) as
    the key itself, as the reference names it."""
    found = re.fullmatch(r"/(HyperParameters|Environment)/<key ([0-9]+)>(.*)", pointer)
    if found is None or not isinstance(document.get(found.group(1)), dict):
        return pointer
    key = list(document[found.group(1)])[int(found.group(2)) - 1]
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"/{found.group(1)}/{token}{found.group(3)}"


def value_at(document: Any, pointer: str) -> Any:
    value = document
    for escaped in pointer.split("/")[1:]:
        token = escaped.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value.get(token)
    return value


def assert_same_as_reference(kind: str, document: Any) -> list[SchemaIssue]:
    ours = validate_job(document, kind)  # type: ignore[arg-type]
    # A value the document does not know (a template placeholder) is never wrong for us.
    theirs = {
        (pointer, code)
        for pointer, code in reference_issues(kind, document)
        if not is_unknown(value_at(document, pointer))
    }
    assert {unmasked(document, i.pointer) for i in ours} == {p for p, _ in theirs}, (ours, theirs)
    for issue in ours:  # one issue per value: its code is one that the reference implies
        assert (unmasked(document, issue.pointer), issue.code) in theirs, (issue, theirs)
    return ours


# --- Task 1: the schemas ---------------------------------------------------------------------


def test_committed_schemas_are_what_the_generator_writes() -> None:
    pinned = re.search(r"^botocore==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M)
    assert pinned is not None
    for name in FILES.values():
        recorded = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))["x-botocore-version"]
        assert recorded == pinned.group(1), f"{name} and constraints.txt pin different botocore"
        assert botocore.__version__ == recorded, (
            f"botocore {botocore.__version__} is installed, but schemas/{name} was generated from "
            f"botocore {recorded}: install with `pip install -c constraints.txt -e '.[test]'` "
            "(or regenerate the schemas with `python scripts/generate_schema.py` when upgrading)"
        )
    generated = generator().generate()
    assert sorted(generated) == sorted(FILES.values())
    for name, generated_schema in generated.items():
        committed = (SCHEMAS / name).read_text(encoding="utf-8")
        assert generator().render(generated_schema) == committed, (
            f"schemas/{name} is out of date: run `python scripts/generate_schema.py`"
        )


def test_check_mode_names_the_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gen = generator()
    assert gen.main(["--check"]) == 0
    for name in FILES.values():
        (tmp_path / name).write_text((SCHEMAS / name).read_text(encoding="utf-8"))
    stale = tmp_path / FILES["create"]
    stale.write_text(stale.read_text().replace('"maxLength": 63', '"maxLength": 64'))
    monkeypatch.setattr(gen, "SCHEMA_DIR", tmp_path)
    assert gen.main(["--check"]) == 1
    error = capsys.readouterr().err
    assert str(stale) in error and "out of date" in error
    assert FILES["describe"] not in error


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(kind))
    assert schema(kind)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_records_its_provenance(kind: str) -> None:
    comment = schema(kind)["$comment"]
    assert "scripts/generate_schema.py" in comment and "must not be edited by hand" in comment
    assert schema(kind)["x-botocore-version"] == botocore.__version__


@pytest.mark.parametrize("kind", KINDS)
def test_every_reference_resolves_to_a_def(kind: str) -> None:
    refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema(kind))))
    assert refs <= set(defs(kind))
    assert set(defs(kind)) - refs == set()  # only reachable shapes
    assert "TagKey" in defs("create") and "TagKey" not in defs("describe")


def test_deviations_are_written_into_the_schema() -> None:
    response = defs("describe")["DescribeTrainingJobResponse"]
    assert "ModelArtifacts" not in response["required"]
    assert "ModelArtifacts" in response["$comment"]
    assert "required" not in defs("describe")["VpcConfig"]
    assert defs("create")["VpcConfig"]["required"] == ["SecurityGroupIds", "Subnets"]
    for deviation in generator().DEVIATIONS:
        assert deviation.reason
        comment = defs(deviation.kind)[deviation.shape]["$comment"]
        assert deviation.reason in comment


def test_open_enums() -> None:
    opened = {name for _, name, node in all_defs() if node.get("x-open-enum")}
    assert opened == set(generator().OPEN_ENUMS)
    assert {"TrainingInstanceType", "SecondaryStatus"} <= opened
    for _, name, node in all_defs():
        if node.get("x-open-enum"):
            assert node["enum"] and "Open enum" in node["$comment"], name


def test_timestamp_def_is_shared_by_every_timestamp() -> None:
    for kind in KINDS:
        text = json.dumps(schema(kind))
        assert '"type": "timestamp"' not in text
    assert "Timestamp" in defs("describe")
    described = defs("describe")["DescribeTrainingJobResponse"]["properties"]
    assert described["CreationTime"]["$ref"] == "#/$defs/Timestamp"


# --- patterns --------------------------------------------------------------------------------


def test_every_pattern_is_anchored_and_compiles() -> None:
    patterns = [node["pattern"] for kind in KINDS for node in strings_in(schema(kind))]
    assert len(patterns) > 40
    for pattern in patterns:
        assert ANCHORED.fullmatch(pattern), pattern
        re.compile(pattern)


@pytest.mark.parametrize(
    ("shape", "value"),
    [
        ("TrainingJobName", "my-job"),
        ("ChannelName", "train"),
        ("SecurityGroupId", "sg-0123"),
        ("RoleArn", "arn:aws:iam::123456789012:role/Role"),
        ("TrainingEnvironmentKey", "MY_VAR"),
        ("HyperParameterValue", "0.1"),
    ],
)
def test_a_trailing_newline_does_not_pass_the_anchor(shape: str, value: str) -> None:
    """In Python, `$` also matches before a final newline: the `(?!\\n)` must stop that."""
    pattern = defs("create")[shape]["pattern"]
    assert re.search(pattern, value)
    assert not re.search(pattern, value + "\n")
    assert not re.search(pattern, "\n" + value)


def test_translated_patterns_record_the_model_pattern() -> None:
    fixes = generator().PATTERN_FIXES
    assert {"TagKey", "TagValue", "TrainingRepositoryCredentialsProviderArn"} <= set(fixes)
    for kind, name, node in all_defs():
        if name in fixes:
            assert fixes[name].java in node["$comment"], (kind, name)
            assert node["pattern"] == f"^(?:{fixes[name].python})$(?!\\n)"
    model = generator().load_model()["shapes"]
    for name, fix in fixes.items():
        assert model[name]["pattern"] == fix.java


def test_tag_patterns_accept_every_letter_number_and_separator() -> None:
    """The Java class [\\p{L}\\p{Z}\\p{N}...] must not reject what Java accepts."""
    wanted = "".join(
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c))[0] in "LNZ"
    )
    for shape in ("TagKey", "TagValue"):
        assert re.search(defs("create")[shape]["pattern"], wanted + "_.:/=+-@ ")


def test_alnum_translation_is_ascii_alphanumerics() -> None:
    pattern = defs("create")["TrainingRepositoryCredentialsProviderArn"]["pattern"]
    assert re.search(pattern, "arn:aws-cn:lambda:us-east-1:123456789012:function:f")
    assert not re.search(pattern, "arn:aws_cn:lambda:us-east-1:123456789012:function:f")


def test_s_translation_accepts_unicode_whitespace_as_java_does() -> None:
    pattern = defs("create")["ModelPackageArn"]["pattern"]
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/"
    assert re.search(pattern, arn + "name\u00a0x\u3000")
    assert not re.search(pattern, arn + "a b")


@pytest.mark.parametrize(
    "java",
    [
        r"[\p{L}]*",
        r"[a-z&&[^b]]",
        r"(?<name>a)b",
        r"a++",
        r"\S+",
        r"\W",
        r"\Qa.b\E",
        r"a\z",
        r"[a[b]]",
    ],
)
def test_generator_refuses_java_constructs_python_reads_differently(java: str) -> None:
    with pytest.raises(generator().GenerationError, match="PATTERN_FIXES"):
        generator().python_pattern("Shape", java)


@pytest.mark.parametrize(
    "java", [r"[\S\s]*", r"[a-z](?<!-)", r"\w+(?:-\w+)+", r"[a-zA-Z0-9:/_-]*", r"\d{12}"]
)
def test_generator_keeps_patterns_python_reads_as_java_does(java: str) -> None:
    assert generator().python_pattern("Shape", java) == (f"^(?:{java})$(?!\\n)", None)


def test_generator_refuses_what_it_cannot_map() -> None:
    gen = generator()
    with pytest.raises(gen.GenerationError, match="not mapped"):
        gen.shape_schema({"U": {"type": "union", "members": {}}}, "U", "create", [])
    with pytest.raises(gen.GenerationError, match="not mapped"):
        gen.shape_schema({"S": {"type": "string", "format": "x"}}, "S", "create", [])


def test_first_sentence_of_documentation() -> None:
    first = generator().first_sentence
    assert first("<p>Set to <code>true</code>. More.</p>") == "Set to true."
    assert first("<p>Use e.g. <i>this</i> one. Then</p>") == "Use e.g. this one."
    assert first("<p>A &amp; B</p><p>C.</p>") == "A & B C."
    assert first("") is None


@pytest.mark.parametrize("kind", KINDS)
def test_no_pattern_is_slow_on_hostile_values(kind: str) -> None:
    for node in strings_in(schema(kind)):
        size = node.get("maxLength", 4096)
        hostile = [
            "a" * size,
            "-" * size,
            "a-" * (size // 2) + "-",
            "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + "a-" * size,
            "1" * size + "!",
            "\n" * size,
            "\U0001f600" * size,
        ]
        for value in hostile:
            started = time.perf_counter()
            re.search(node["pattern"], value)
            assert time.perf_counter() - started < 0.05, node["pattern"]


# --- Task 2: the validator against the reference, on the real corpus ----------------------------


def real_documents() -> Iterator[tuple[str, str, Any]]:
    for path in sorted(REAL.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "eventbridge" in path.name:
            # The loader drops the event-only Tags member of detail before validation.
            yield path.name, "describe", {k: v for k, v in data["detail"].items() if k != "Tags"}
        elif "describe" in path.name:
            yield path.name, "describe", data
        elif "create" in path.name:
            yield path.name, "create", data
        else:
            raise AssertionError(f"{path.name}: which kind of document?")


REAL_DOCUMENTS = list(real_documents())

# Checked by hand. The EventBridge sample is AWS's documented event, with placeholder values
# (each string is its own field name); the Step Functions sample has a 10-digit account id in
# its RoleArn, which SageMaker rejects. Every other real document is clean.
REAL_FAILURES: dict[str, list[tuple[str, str]]] = {
    "eventbridge-docs-training-state-change.json": [
        ("/AlgorithmSpecification/TrainingInputMode", "SM010"),
        ("/InputDataConfig/0/DataSource/S3DataSource/S3DataType", "SM010"),
        ("/InputDataConfig/0/DataSource/S3DataSource/S3Uri", "SM010"),
        ("/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType", "SM010"),
        ("/InputDataConfig/0/CompressionType", "SM010"),
        ("/InputDataConfig/0/RecordWrapperType", "SM010"),
        ("/OutputDataConfig/S3OutputPath", "SM010"),
        ("/ResourceConfig/InstanceType", "SM012"),
    ],
    "sfn-create-training-job-docs-sample-preprocess-feature-transform.json": [
        ("/RoleArn", "SM010"),
    ],
}


def test_real_corpus_is_complete() -> None:
    assert len(REAL_DOCUMENTS) == 15
    assert set(REAL_FAILURES) <= {name for name, _, _ in REAL_DOCUMENTS}


@pytest.mark.parametrize(("name", "kind", "document"), REAL_DOCUMENTS, ids=lambda v: str(v)[:60])
def test_real_document_against_the_reference(name: str, kind: str, document: Any) -> None:
    assert_same_as_reference(kind, document)


@pytest.mark.parametrize(("name", "kind", "document"), REAL_DOCUMENTS, ids=lambda v: str(v)[:60])
def test_real_document_results(name: str, kind: str, document: Any) -> None:
    issues = validate_job(document, kind)  # type: ignore[arg-type]
    assert [(i.pointer, i.code) for i in issues] == REAL_FAILURES.get(name, [])


def test_real_document_messages() -> None:
    documents = {name: (kind, doc) for name, kind, doc in REAL_DOCUMENTS}
    _, doc = documents["eventbridge-docs-training-state-change.json"]
    messages = [i.message for i in validate_job(doc, "describe")]
    assert messages[0] == (
        'AlgorithmSpecification.TrainingInputMode "TrainingInputMode" is not one of Pipe, File, '
        "FastFile"
    )
    assert messages[-1] == 'ResourceConfig.InstanceType "InstanceType" is not a known value'
    _, doc = documents["sfn-create-training-job-docs-sample-preprocess-feature-transform.json"]
    (issue,) = validate_job(doc, "create")
    assert issue.message.startswith("RoleArn does not match the pattern arn:aws")


# --- the validator against the reference, on generated documents -------------------------------

JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**13)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@cache
def from_regex(pattern: str) -> st.SearchStrategy[str]:
    found = ANCHORED.fullmatch(pattern)
    assert found is not None
    return st.from_regex(found.group(1), fullmatch=True)


def resolve(kind: str, node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs(kind)[node["$ref"].rsplit("/", 1)[1]]
    return node


def draw_value(draw: st.DrawFn, kind: str, node: dict[str, Any], depth: int) -> Any:
    node = resolve(kind, node)
    if draw(st.integers(0, 99)) < 7:
        return draw_invalid(draw, kind, node, depth)
    return draw_valid(draw, kind, node, depth)


def draw_valid(draw: st.DrawFn, kind: str, node: dict[str, Any], depth: int) -> Any:
    if "anyOf" in node:
        return draw_valid(draw, kind, draw(st.sampled_from(node["anyOf"])), depth)
    if "properties" in node:
        return draw_structure(draw, kind, node, depth)
    kind_of = node["type"]
    if kind_of == "object":
        size = draw(st.integers(0, 2 if depth < 4 else 0))
        result = {}
        for _ in range(size):
            key = draw_valid(draw, kind, resolve(kind, node["propertyNames"]), depth + 1)
            result[key] = draw_value(draw, kind, node["additionalProperties"], depth + 1)
        return result
    if kind_of == "array":
        low = node.get("minItems", 0)
        size = draw(st.integers(low, min(node.get("maxItems", low + 2), low + 2)))
        return [draw_value(draw, kind, node["items"], depth + 1) for _ in range(size)]
    if kind_of == "string":
        if "enum" in node:
            return draw(st.sampled_from(node["enum"]))
        if "pattern" in node:
            return draw(from_regex(node["pattern"]))
        return draw(st.text(min_size=node.get("minLength", 0), max_size=node.get("maxLength", 20)))
    if kind_of == "integer":
        low = node.get("minimum", -(10**6))
        return draw(st.integers(low, node.get("maximum", low + 10**9)))
    if kind_of == "number":
        return draw(st.floats(min_value=node.get("minimum"), allow_nan=False, allow_infinity=False))
    assert kind_of == "boolean"
    return draw(st.booleans())


def draw_structure(draw: st.DrawFn, kind: str, node: dict[str, Any], depth: int) -> Any:
    properties: dict[str, Any] = node["properties"]
    required = node.get("required", [])
    optional = [name for name in properties if name not in required]
    chosen = (
        draw(st.lists(st.sampled_from(optional), unique=True, max_size=3))
        if (optional and depth < 4)
        else []
    )
    result: dict[str, Any] = {}
    for name in [*required, *chosen]:
        if draw(st.integers(0, 99)) < 4:  # a Step Functions dynamic parameter instead
            result[f"{name}.$"] = draw(st.sampled_from(["$$.Execution.Name", "$.x", 5, None]))
        else:
            result[name] = draw_value(draw, kind, properties[name], depth + 1)
    if draw(st.integers(0, 99)) < 5 and properties:  # an explicit null: absent
        result[draw(st.sampled_from(sorted(properties)))] = None
    return result


def draw_invalid(draw: st.DrawFn, kind: str, node: dict[str, Any], depth: int) -> Any:
    if draw(st.booleans()):
        return draw(JSON_VALUES)  # most likely of the wrong type
    valid = draw_valid(draw, kind, node, depth)
    kind_of = node.get("type")
    if "properties" in node:
        mutation = draw(st.sampled_from(["drop", "unknown", "typo", "dynamic-unknown", "slash"]))
        required = node.get("required", [])
        if mutation == "drop" and required:
            valid.pop(draw(st.sampled_from(required)), None)
        elif mutation == "typo":
            valid[draw(st.sampled_from(sorted(node["properties"])))[:-1]] = "x"
        elif mutation == "dynamic-unknown":
            valid["Bogus.$"] = "$.x"
        elif mutation == "slash":
            valid["a/b~c"] = 1
        else:
            valid[draw(st.text(min_size=1, max_size=8))] = draw(JSON_LEAVES)
        return valid
    if kind_of == "object":  # a map
        mutation = draw(st.sampled_from(["too-many", "bad-key"]))
        if mutation == "too-many" and "maxProperties" in node:
            value = draw_valid(draw, kind, resolve(kind, node["additionalProperties"]), depth)
            return {f"k{i}": value for i in range(node["maxProperties"] + 1)}
        return {**valid, draw(st.sampled_from(["1BAD", "", "a\n", "x" * 600])): "v"}
    if kind_of == "array":
        mutation = draw(st.sampled_from(["too-many", "too-few", "null-item"]))
        if mutation == "too-many" and "maxItems" in node and valid:
            return valid * (node["maxItems"] + 1)
        if mutation == "too-few":
            return []
        return [*valid, None]
    if kind_of == "string":
        strings = ["Bogus", valid + "\n", "x" * (node.get("maxLength", 10) + 1), "", valid.upper()]
        return draw(st.sampled_from(strings))
    if kind_of in ("integer", "number"):
        options: list[Any] = [1.5, 2.0, True, "1", -(10**20), 10**20]
        if "minimum" in node:
            options.append(node["minimum"] - 1)
        if "maximum" in node:
            options.append(node["maximum"] + 1)
        return draw(st.sampled_from(options))
    if kind_of == "boolean":
        return draw(st.sampled_from(["true", 1, 0, None]))
    return draw(st.sampled_from(["Bogus", -5, "2026-13-01T00:00:00Z", "1583831889050"]))


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    return kind, draw_value(draw, kind, schema(kind), 0)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents())
def test_generated_documents_against_the_reference(case: tuple[str, Any]) -> None:
    kind, document = case
    assert_same_as_reference(kind, document)


# --- Task 2: specific behaviour ----------------------------------------------------------------


def minimal_request(**changes: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TrainingJobName": "my-job",
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "AlgorithmSpecification": {"TrainingImage": "image:1", "TrainingInputMode": "File"},
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/out"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 50,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "HyperParameters": {"epochs": "10"},
    }
    request.update(changes)
    return request


def issues(document: Any, kind: str = "create") -> list[tuple[str, str, str]]:
    found = validate_job(document, kind)  # type: ignore[arg-type]
    assert_same_as_reference(kind, document)
    return [(i.pointer, i.code, i.message) for i in found]


def test_a_clean_request() -> None:
    assert issues(minimal_request()) == []


def test_null_members_are_absent() -> None:
    request = minimal_request(VpcConfig=None, CheckpointConfig=None, Bogus=None)
    request["ResourceConfig"]["InstanceType"] = None
    assert issues(request) == []
    assert issues(minimal_request(RoleArn=None)) == [
        ("", "SM010", 'missing required field "RoleArn"')
    ]


def test_null_array_items_are_not_absent() -> None:
    request = minimal_request(InputDataConfig=[None])
    assert issues(request) == [
        ("/InputDataConfig/0", "SM010", "InputDataConfig[0]: expected object, got null")
    ]


def test_step_functions_dynamic_members() -> None:
    request = minimal_request()
    del request["TrainingJobName"], request["RoleArn"]
    request["TrainingJobName.$"] = "$$.Execution.Name"
    request["RoleArn.$"] = 42  # not validated: resolved at run time
    request["ResourceConfig"]["InstanceCount.$"] = "$.count"
    assert issues(request) == []
    request["Bogus.$"] = "$.x"
    assert issues(request) == [("/Bogus.$", "SM011", 'unknown field "Bogus.$"')]
    request["TrainingJobName.$"] = None  # null: absent
    assert ("", "SM010", 'missing required field "TrainingJobName"') in issues(request)


def test_unknown_field_is_sm011_at_the_member() -> None:
    request = minimal_request()
    request["ResourceConfig"]["InstanceTyp"] = "ml.m5.xlarge"
    assert issues(request) == [
        (
            "/ResourceConfig/InstanceTyp",
            "SM011",
            'unknown field "InstanceTyp" in ResourceConfig (did you mean "InstanceType"?)',
        )
    ]


def test_missing_required_member_is_reported_at_the_enclosing_object() -> None:
    request = minimal_request(AlgorithmSpecification={"TrainingImage": "image:1"})
    assert issues(request) == [
        (
            "/AlgorithmSpecification",
            "SM010",
            'missing required field "TrainingInputMode" in AlgorithmSpecification',
        )
    ]


def test_unknown_instance_type_is_sm012() -> None:
    request = minimal_request()
    request["ResourceConfig"]["InstanceType"] = "ml.foo"
    assert issues(request) == [
        (
            "/ResourceConfig/InstanceType",
            "SM012",
            'ResourceConfig.InstanceType "ml.foo" is not a known value',
        )
    ]


def test_unknown_secondary_status_is_sm012() -> None:
    documents = {name: doc for name, _, doc in REAL_DOCUMENTS}
    response = dict(documents["ack-sagemaker-controller-describe-completed.json"])
    response["SecondaryStatus"] = "Recycling"
    assert [(i.pointer, i.code) for i in validate_job(response, "describe")] == [
        ("/SecondaryStatus", "SM012")
    ]


def test_bad_closed_enum_is_sm010() -> None:
    request = minimal_request(
        AlgorithmSpecification={"TrainingImage": "image:1", "TrainingInputMode": "Bogus"}
    )
    assert issues(request) == [
        (
            "/AlgorithmSpecification/TrainingInputMode",
            "SM010",
            'AlgorithmSpecification.TrainingInputMode "Bogus" is not one of Pipe, File, FastFile',
        )
    ]


def test_enum_values_in_messages_are_cut_to_60_characters() -> None:
    request = minimal_request()
    request["ResourceConfig"]["InstanceType"] = "ml." + "x" * 100
    (issue,) = validate_job(request, "create")
    assert '"ml.' + "x" * 54 + '..."' in issue.message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"StoppingCondition": {"MaxRuntimeInSeconds": 0}},
            (
                "/StoppingCondition/MaxRuntimeInSeconds",
                "SM010",
                "StoppingCondition.MaxRuntimeInSeconds must be >= 1 (got 0)",
            ),
        ),
        (
            {"StoppingCondition": {"MaxRuntimeInSeconds": "3600"}},
            (
                "/StoppingCondition/MaxRuntimeInSeconds",
                "SM010",
                "StoppingCondition.MaxRuntimeInSeconds: expected integer, got string",
            ),
        ),
        (
            {"StoppingCondition": {"MaxRuntimeInSeconds": True}},
            (
                "/StoppingCondition/MaxRuntimeInSeconds",
                "SM010",
                "StoppingCondition.MaxRuntimeInSeconds: expected integer, got boolean",
            ),
        ),
        (
            {"TrainingJobName": "x" * 64},
            (
                "/TrainingJobName",
                "SM010",
                "TrainingJobName must be at most 63 characters long (got 64)",
            ),
        ),
        (
            {"TrainingJobName": ""},
            ("/TrainingJobName", "SM010", "TrainingJobName must not be empty"),
        ),
        (
            {"TrainingJobName": "my_job"},
            (
                "/TrainingJobName",
                "SM010",
                "TrainingJobName does not match the pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
            ),
        ),
        (
            {"InputDataConfig": []},
            ("/InputDataConfig", "SM010", "InputDataConfig must have at least 1 item (got 0)"),
        ),
        (
            {"VpcConfig": {"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1", "bad subnet"]}},
            (
                "/VpcConfig/Subnets/1",
                "SM010",
                "VpcConfig.Subnets[1] does not match the pattern [-0-9a-zA-Z]+",
            ),
        ),
        (
            {"Environment": {"1BAD": "x"}},
            (
                "/Environment/1BAD",
                "SM010",
                'Environment key "1BAD" does not match the pattern [a-zA-Z_][a-zA-Z0-9_]*',
            ),
        ),
        (
            {"HyperParameters": {f"k{i}": "v" for i in range(101)}},
            (
                "/HyperParameters",
                "SM010",
                "HyperParameters must have at most 100 entries (got 101)",
            ),
        ),
        (
            [],
            ("", "SM010", "document: expected object, got array"),
        ),
    ],
)
def test_messages(change: Any, expected: tuple[str, str, str]) -> None:
    document = minimal_request(**change) if isinstance(change, dict) else change
    assert issues(document) == [expected]


def test_pointers_are_escaped() -> None:
    request = minimal_request(**{"a/b~c": 1})
    assert issues(request) == [("/a~1b~0c", "SM011", 'unknown field "a/b~c"')]
    request = minimal_request(HyperParameters={"a/b": 5})
    assert issues(request)[0][:2] == ("/HyperParameters/a~1b", "SM010")


def test_integral_floats_are_integers_as_in_json_schema() -> None:
    assert issues(minimal_request(StoppingCondition={"MaxRuntimeInSeconds": 3600.0})) == []
    assert issues(minimal_request(StoppingCondition={"MaxRuntimeInSeconds": 1.5}))[0][2] == (
        "StoppingCondition.MaxRuntimeInSeconds: expected integer, got number"
    )


SECRET = "hunter2-S3CR3T"


@pytest.mark.parametrize(
    "values",
    [
        {"p": SECRET + "\n"},  # breaks the pattern
        {"p": SECRET * 200},  # too long
        {SECRET: SECRET * 200},
        {"p": [SECRET]},  # wrong types
        {"p": {SECRET: SECRET}},
    ],
)
def test_hyperparameter_and_environment_values_never_appear_in_messages(values: Any) -> None:
    for member in ("HyperParameters", "Environment"):
        found = validate_job(minimal_request(**{member: values}), "create")
        assert found or member == "Environment"  # an environment value may hold a newline
        for issue in found:
            assert SECRET * 2 not in issue.message
            assert issue.pointer.startswith(f"/{member}/")
            if not issue.pointer.endswith(SECRET):  # the key itself is not a secret
                assert SECRET not in issue.message


@given(st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=4), st.sampled_from(KINDS))
@settings(max_examples=100, deadline=None)
def test_no_string_under_hyperparameters_appears_in_messages(values: Any, kind: str) -> None:
    marked = {
        key: f"<{SECRET}:{value!r}>" if isinstance(value, str) else value
        for key, value in values.items()
    }
    for member in ("HyperParameters", "Environment"):
        for issue in validate_job({member: marked}, kind):  # type: ignore[arg-type]
            assert SECRET not in issue.message


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-01T10:00:00.512000+00:00",
        "2026-11-01T10:00:00Z",
        "2026-11-01T10:00:00.5Z",
        "2026-11-01 10:00:00.512000+00:00",
        "2026-11-01T10:00:00",
        "2026-11-01T10:00:00.123456789-07:00",
        "1583831889050",
        1583831889,
        1583831889.123,
        1583831889050,
        datetime(2026, 11, 1, 10, tzinfo=UTC),
        datetime(2026, 11, 1, 10),
    ],
)
def test_timestamps_accepted(value: Any) -> None:
    assert validate_job({"TrainingJobStatus": "InProgress", "CreationTime": value}, "describe") == [
        SchemaIssue("", "SM010", f'missing required field "{name}"')
        for name in ("TrainingJobName", "TrainingJobArn", "SecondaryStatus", "StoppingCondition")
    ]


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "2026-11-01",
        "2026-11-01T10:00:00Z\n",
        "1583831889050\n",
        "-1",
        -1,
        True,
        [],
    ],
)
def test_timestamps_rejected(value: Any) -> None:
    found = validate_job({"CreationTime": value}, "describe")
    assert ("/CreationTime", "SM010", "CreationTime is not a valid timestamp") in [
        (i.pointer, i.code, i.message) for i in found
    ]


JSON_ANYTHING = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: Python's json reads them
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)
TOP_LEVEL_KEYS = sorted(
    set(defs("describe")["DescribeTrainingJobResponse"]["properties"])
    | set(defs("create")["CreateTrainingJobRequest"]["properties"])
)


@given(
    JSON_ANYTHING
    | st.dictionaries(st.sampled_from(TOP_LEVEL_KEYS), JSON_ANYTHING, max_size=6)
    | documents().map(lambda case: case[1]),
    st.sampled_from(KINDS),
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_never_raises(document: Any, kind: str) -> None:
    for issue in validate_job(document, kind):  # type: ignore[arg-type]
        assert issue.code in ("SM010", "SM011", "SM012")
        assert isinstance(issue.message, str) and "\n" not in issue.message
        assert issue.pointer == "" or issue.pointer.startswith("/")


def test_never_raises_on_odd_python_values() -> None:
    odd: list[Any] = [
        math.nan,
        math.inf,
        -math.inf,
        10**5000,
        (1, 2),
        {1: 2, None: 3, False: "x", 1.5: []},
        b"bytes",
        {"a", "b"},
        object(),
    ]
    for value in odd:
        for kind in KINDS:
            validate_job(value, kind)  # type: ignore[arg-type]
            validate_job({"StoppingCondition": {"MaxRuntimeInSeconds": value}}, kind)  # type: ignore[arg-type]
            validate_job({"HyperParameters": {"k": value}, "Environment": value}, kind)  # type: ignore[arg-type]
            validate_job({"CreationTime": value, "ResourceConfig": value}, kind)  # type: ignore[arg-type]
    found = validate_job({"StoppingCondition": {"MaxRuntimeInSeconds": -(10**5000)}}, "create")
    assert found[0].message == (
        "StoppingCondition.MaxRuntimeInSeconds must be >= 1 (got a number too large to show)"
    )


def test_deep_nesting_is_not_descended() -> None:
    """No shape is recursive: validation stops where the schema does, however deep the data."""
    deep: Any = "leaf"
    for _ in range(100_000):
        deep = {"ResourceConfig": [deep]}
    assert [(i.pointer, i.code) for i in validate_job(deep, "create")] == [
        ("/ResourceConfig", "SM010"),
        ("", "SM010"),
        ("", "SM010"),
        ("", "SM010"),
    ]
    found = validate_job({"HyperParameters": {"k": deep}}, "create")
    assert found[0] == SchemaIssue(
        "/HyperParameters/k", "SM010", "HyperParameters.k: expected string, got object"
    )


# --- packaging and speed ---------------------------------------------------------------------


def test_the_schemas_ship_inside_the_package() -> None:
    import sagelint

    package = Path(sagelint.__file__).parent
    for kind, name in FILES.items():
        found = Path(schema_path(kind))
        assert found.read_bytes() == (SCHEMAS / name).read_bytes()
        # in a wheel: sagelint/schemas/; in an editable install: the checkout's schemas/
        assert found.parent in {package / "schemas", SCHEMAS}


def test_compiled_schema_rejects_unsupported_keywords() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        compile_schema({"type": "string", "format": "date-time"})
    with pytest.raises(ValueError, match="unsupported"):
        compile_schema({"oneOf": [{"type": "string"}]})


def test_validation_is_fast() -> None:
    documents = {name: doc for name, _, doc in REAL_DOCUMENTS}
    document = documents["ack-sagemaker-controller-describe-completed.json"]
    validate_job(document, "describe")
    rounds = 500
    started = time.perf_counter()
    for _ in range(rounds):
        validate_job(document, "describe")
    average = (time.perf_counter() - started) / rounds
    assert average < 0.001  # ~35 microseconds on a laptop; generous for slow CI machines
