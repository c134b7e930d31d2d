"""Training jobs declared in CloudFormation templates (a real CDK-synthesised one included), Step
Functions state machines, SageMaker Pipelines definitions and Terraform plans: recognised by
content, every job linted with every rule, at exact positions in the file the user wrote, with
no finding built from a value the file does not know.

The samples are in tests/data/declared/ (see its PROVENANCE.md). Each expected finding below is
a problem put in a sample on purpose, or one the sample's source really has (named where so).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sagelint.engine import Linter, Options
from sagelint.job import Unknown, is_placeholder
from sagelint.load.declared._terraform_names import REQUEST, STRUCTURES
from sagelint.load.loaders import Document, load_file
from sagelint.rule_api import Policy
from sagelint.rules import RULES

from tests.conftest import DATA, cli, lint_paths, position_of

DECLARED = DATA / "declared"
SAMPLES = (
    "template.yaml",
    "cdk-state-machine.template.json",
    "state-machine.asl.json",
    "state-machine-jsonata.asl.yaml",
    "pipeline.json",
    "plan.json",
)


def text_of(name: str) -> str:
    return (DECLARED / name).read_text(encoding="utf-8")


def after(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Where the value after ``needle`` (a key and its colon) starts."""
    line, column = position_of(text, needle, nth)
    rest = text.splitlines()[line - 1][column - 1 + len(needle) :]
    return line, column + len(needle) + len(rest) - len(rest.lstrip())


def found(name: str, **options: Any) -> list[tuple[str, str, str | None, tuple[int, int]]]:
    return [
        (f.rule, f.pointer, f.job, (f.line, f.column))
        for f in lint_paths(DECLARED / name, **options)
    ]


# --- each format, its jobs, their findings and positions ----------------------------------------


def test_a_cloudformation_template_with_short_form_intrinsics() -> None:
    text = text_of("template.yaml")
    nightly = "/Resources/NightlyRetraining/Properties/Definition/States/Retrain/Parameters"
    weekly = "/Resources/WeeklyRetraining/Properties/DefinitionString/States/Retrain weekly"
    pipeline = "/Resources/FraudPipeline/Properties/PipelineDefinition/PipelineDefinitionBody"
    assert sorted(found("template.yaml")) == sorted(
        [
            # Pipe-mode ShardedByS3Key on one instance (the instance count is a literal 1)
            (
                "SM204",
                "/Resources/FraudModel/Properties/InputDataConfig/0/DataSource/S3DataSource"
                "/S3DataDistributionType",
                "FraudModel",
                position_of(text, "S3DataDistributionType"),
            ),
            # 3 days without a RetryStrategy; no output key; an EBS volume without a key
            ("SM316", nightly, "NightlyRetraining/Retrain", position_of(text, "TrainingJobName.$")),
            (
                "SM101",
                nightly + "/OutputDataConfig",
                "NightlyRetraining/Retrain",
                position_of(text, "OutputDataConfig", 1),
            ),
            (
                "SM102",
                nightly + "/ResourceConfig",
                "NightlyRetraining/Retrain",
                position_of(text, "ResourceConfig", 1),
            ),
            # inside a DefinitionString: at the property, the pointer going on into the text
            (
                "SM102",
                weekly + "/Parameters/ResourceConfig",
                "WeeklyRetraining/Retrain weekly",
                position_of(text, "DefinitionString"),
            ),
            (
                "SM104",
                pipeline + "/Steps/0/Arguments/EnableNetworkIsolation",
                "FraudPipeline/TrainFraud",
                position_of(text, "PipelineDefinitionBody"),
            ),
        ]
    )


def test_the_metadata_of_a_resource_suppresses_rules_for_its_jobs(tmp_path: Path) -> None:
    done = cli("lint", "--isolated", str(DECLARED / "template.yaml"))
    assert "1 suppressed (1 by metadata)" in done.stdout
    unmarked = tmp_path / "template.yaml"
    unmarked.write_text(text_of("template.yaml").replace("ignore: [SM104]", "ignore: []"))
    assert ("SM104", "/Resources/FraudModel/Properties", "FraudModel") in [
        f[:3] for f in found(str(unmarked))
    ]


def test_a_real_cdk_synthesised_template() -> None:
    """CDK writes the definition as an Fn::Join of JSON pieces and intrinsics (the partition,
    the roles' ARNs, the region in the output URL): those are unknown, the rest is read."""
    text = text_of("cdk-state-machine.template.json")
    machine = "/Resources/TrainingStateMachine29B8911D/Properties/DefinitionString/States"
    first = machine + "/TrainInParallel/Branches/0/States/TrainSagemaker/Parameters"
    second = (
        machine + "/TrainInParallel/Branches/1/States/TrainEachItem/ItemProcessor/States"
        "/TrainPerItem/Parameters"
    )
    at = position_of(text, '"DefinitionString"')
    one, two = (
        "TrainingStateMachine29B8911D/TrainSagemaker",
        "TrainingStateMachine29B8911D/TrainPerItem",
    )
    assert sorted(found("cdk-state-machine.template.json")) == sorted(
        [
            # the docs example sets no output key, no VPC, no network isolation; its instance
            # type is a JSONPath (SM102 cannot tell whether the type has an EBS volume)
            ("SM101", first + "/OutputDataConfig", one, at),
            ("SM103", first, one, at),
            ("SM104", first, one, at),
            # the Map's task: 2 x ml.p3.2xlarge (EBS, no key), a tag, isolation on
            ("SM101", second + "/OutputDataConfig", two, at),
            ("SM102", second + "/ResourceConfig", two, at),
            ("SM103", second, two, at),
            ("SM105", second, two, at),
            ("SM501", second + "/AlgorithmSpecification/TrainingImage", two, at),
        ]
    )


def test_a_state_machine_with_nested_states() -> None:
    text = text_of("state-machine.asl.json")
    first = "/States/SageMaker CreateTrainingJob/Parameters"
    eu = "/States/Per region/Branches/0/States/Train EU/Parameters"
    shard = "/States/Per region/Branches/1/States/Per shard/Iterator/States/Train shard/Parameters"
    assert sorted(found("state-machine.asl.json")) == sorted(
        [
            # the developer guide's example: 4 x ml.c4.8xlarge, 100,000 s, no VPC, no keys
            (
                "SM101",
                first + "/OutputDataConfig",
                "search-model",
                position_of(text, '"OutputDataConfig"'),
            ),
            (
                "SM102",
                first + "/ResourceConfig",
                "search-model",
                position_of(text, '"ResourceConfig"'),
            ),
            ("SM103", first, "search-model", after(text, '"Parameters": ')),
            ("SM104", first, "search-model", after(text, '"Parameters": ')),
            ("SM105", first, "search-model", after(text, '"Parameters": ')),
            ("SM316", first, "search-model", after(text, '"Parameters": ')),
            (
                "SM501",
                first + "/AlgorithmSpecification/TrainingImage",
                "search-model",
                position_of(text, '"TrainingImage"'),
            ),
            # a Parallel branch: Gzip in File mode (its SM501 is suppressed by its tag)
            (
                "SM201",
                eu + "/InputDataConfig/0/CompressionType",
                "Train EU",
                position_of(text, '"CompressionType": "Gzip"'),
            ),
            # a Map's Iterator: sharding read by one instance
            (
                "SM204",
                shard + "/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType",
                "Train shard",
                position_of(text, '"S3DataDistributionType": "ShardedByS3Key"'),
            ),
            (
                "SM501",
                shard + "/AlgorithmSpecification/TrainingImage",
                "Train shard",
                position_of(text, '"TrainingImage"', 2),
            ),
        ]
    )
    assert (
        "1 suppressed (1 by tag)"
        in cli("lint", "--isolated", str(DECLARED / "state-machine.asl.json")).stdout
    )


def test_a_jsonata_state_machine_in_yaml() -> None:
    text = text_of("state-machine-jsonata.asl.yaml")
    request = "/States/Train churn model/Arguments"
    # DB_PASSWORD's value is a JSONata expression: unknown, never wrong; API_TOKEN's is a token
    assert found("state-machine-jsonata.asl.yaml") == [
        (
            "SM106",
            request + "/Environment/API_TOKEN",
            "Train churn model",
            position_of(text, "API_TOKEN"),
        ),
    ]


def test_a_pipeline_definition_and_its_parameters_defaults() -> None:
    text = text_of("pipeline.json")
    train, retrain = "/Steps/1/Arguments", "/Steps/2/Arguments/ElseSteps/0/Arguments"
    findings = lint_paths(DECLARED / "pipeline.json")
    assert sorted((f.rule, f.pointer, f.job, (f.line, f.column)) for f in findings) == sorted(
        [
            (
                "SM101",
                train + "/OutputDataConfig",
                "AbaloneTrain",
                position_of(text, '"OutputDataConfig"'),
            ),
            # VolumeSizeInGB 0 (a parameter's default) on ml.p3.16xlarge (another's default)
            (
                "SM208",
                train + "/ResourceConfig/VolumeSizeInGB",
                "AbaloneTrain",
                position_of(text, '"VolumeSizeInGB": {"Get"'),
            ),
            (
                "SM501",
                train + "/AlgorithmSpecification/TrainingImage",
                "AbaloneTrain",
                position_of(text, '"TrainingImage"'),
            ),
            # the Training step in a Condition step's ElseSteps
            (
                "SM501",
                retrain + "/AlgorithmSpecification/TrainingImage",
                "AbaloneRetrain",
                position_of(text, '"TrainingImage"', 1),
            ),
        ]
    )
    [volume] = [f for f in findings if f.rule == "SM208"]
    assert volume.message.endswith(
        "(the value is the default of pipeline parameter TrainingVolumeSize)"
    )
    assert "ml.p3.16xlarge" in volume.message  # the other parameter's default, read too


def test_a_terraform_plan() -> None:
    text = text_of("plan.json")
    job = "/resource_changes/0/change/after"
    machine = "/resource_changes/1/change/after/definition/States/Train/Parameters"
    name, nightly = "llm-finetune-2026-12", "aws_sfn_state_machine.nightly/Train"
    assert sorted(found("plan.json")) == sorted(
        [
            # 2 x ml.p4d.24xlarge without inter-container encryption
            (
                "SM105",
                job + "/enable_inter_container_traffic_encryption",
                name,
                position_of(text, '"enable_inter_container_traffic_encryption"'),
            ),
            (
                "SM106",
                job + "/environment/WANDB_API_KEY",
                name,
                position_of(text, '"WANDB_API_KEY"'),
            ),
            # Gzip in FastFile mode, at the attribute of the nested block
            (
                "SM201",
                job + "/input_data_config/0/compression_type",
                name,
                position_of(text, '"compression_type": "Gzip"'),
            ),
            # the state machine's definition, embedded as JSON text: an ml.g5 with local NVMe
            # storage given a volume key, and network isolation off
            (
                "SM104",
                machine + "/EnableNetworkIsolation",
                nightly,
                position_of(text, '"definition"', 1),
            ),
            (
                "SM107",
                machine + "/ResourceConfig/VolumeKmsKeyId",
                nightly,
                position_of(text, '"definition"', 1),
            ),
        ]
    )
    # the tags map is the request's Tags: its sagelint:ignore tag suppresses SM501
    assert (
        "1 suppressed (1 by tag)" in cli("lint", "--isolated", str(DECLARED / "plan.json")).stdout
    )


@pytest.mark.parametrize(
    "region, given, fires",
    [
        ("eu-west-1", [], False),  # the key's region
        ("us-east-1", [], True),
        ("us-east-1", ["--region", "eu-west-1"], True),  # the resource's region wins
        (None, ["--region", "us-east-1"], True),  # known after apply: --region's
        (None, [], False),
    ],
)
def test_a_terraform_resources_region_is_its_jobs(
    tmp_path: Path, region: str | None, given: list[str], fires: bool
) -> None:
    """SM110 compares the training job's KMS keys (eu-west-1) with its resource's region."""
    plan = json.loads(text_of("plan.json"))
    change = plan["resource_changes"][0]["change"]
    if region is None:
        del change["after"]["region"]
        change["after_unknown"]["region"] = True
    else:
        change["after"]["region"] = region
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    result = cli("lint", "--isolated", "--format", "json", "--select", "SM110", *given, str(path))
    found = [(f["rule"], f["pointer"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    key = "/resource_changes/0/change/after/output_data_config/0/kms_key_id"
    line = position_of(path.read_text(), '"kms_key_id"')[0]
    assert found == ([("SM110", key, line)] if fires else [])


def test_what_the_source_fills_in_is_not_missing() -> None:
    """A pipeline step has no TrainingJobName, CloudFormation may generate one, Terraform's tags
    are a map: no schema error for any sample, and the job is named by the file."""
    for name in SAMPLES:
        for finding in lint_paths(DECLARED / name):
            assert not finding.rule.startswith("SM0"), (name, finding)
            assert finding.job, (name, finding)


def test_the_jobs_of_each_sample() -> None:
    jobs = {
        name: [loaded.name for loaded in load_file(DECLARED / name) if isinstance(loaded, Document)]
        for name in SAMPLES
    }
    assert jobs == {
        "template.yaml": [
            "FraudModel",
            "NightlyRetraining/Retrain",
            "WeeklyRetraining/Retrain weekly",
            "FraudPipeline/TrainFraud",
        ],
        "cdk-state-machine.template.json": [
            "TrainingStateMachine29B8911D/TrainSagemaker",
            "TrainingStateMachine29B8911D/TrainPerItem",
        ],
        "state-machine.asl.json": ["search-model", "Train EU", "Train shard"],
        "state-machine-jsonata.asl.yaml": ["Train churn model"],
        "pipeline.json": ["AbaloneTrain", "AbaloneRetrain"],
        # the destroyed job is not checked
        "plan.json": [
            "llm-finetune-2026-12",
            "aws_sfn_state_machine.nightly/Train",
            "aws_sagemaker_pipeline.abalone/Train",
        ],
    }


# --- unknown is not wrong ---------------------------------------------------------------------


def unknown_pointers(value: Any, pointer: str = "") -> Iterator[str]:
    """The pointers of the values a job does not know: Unknowns, placeholders, "Name.$"."""
    if isinstance(value, Unknown) or (isinstance(value, str) and is_placeholder(value)):
        yield pointer
    elif isinstance(value, dict):
        for key, item in value.items():
            token = str(key).replace("~", "~0").replace("/", "~1")
            if isinstance(key, str) and key.endswith(".$"):
                yield f"{pointer}/{token[:-2]}"
            yield from unknown_pointers(item, f"{pointer}/{token}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unknown_pointers(item, f"{pointer}/{index}")


EVERY_RULE = Options(
    policy=Policy(
        max_runtime_seconds=60,
        allowed_instance_types=("ml.c5.*",),
        max_instance_count=1,
        allowed_image_registries=("999999999999.dkr.ecr.*",),
        required_tags=("cost-center",),
        job_name_pattern="^zz-",
    )
)


@pytest.mark.parametrize("name", SAMPLES)
def test_no_finding_is_built_from_an_unknown_value(name: str) -> None:
    linter = Linter(EVERY_RULE, rules=RULES)
    documents = [d for d in load_file(DECLARED / name) if isinstance(d, Document)]
    assert documents
    unknowns = 0
    for document in documents:
        pointers = [document.file_pointer(p) for p in unknown_pointers(dict(document.job.data))]
        unknowns += len(pointers)
        for finding in linter.lint_document(document):
            for pointer in pointers:
                assert finding.pointer != pointer and not finding.pointer.startswith(
                    pointer + "/"
                ), (finding, pointer)
            assert not re.search(
                r"\$\{|\{\{|\{%|Fn::|\bRef\b|\$\.|known after apply", finding.message
            ), finding
    assert unknowns  # every sample has unknown values


# --- every command and report --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "text"])
def test_every_report_format_places_a_declared_job(fmt: str) -> None:
    path = str(DECLARED / "plan.json")
    done = cli("lint", "--isolated", "--format", fmt, path)
    assert done.exit_code == 1, done.output
    line, column = position_of(text_of("plan.json"), '"compression_type": "Gzip"')
    if fmt == "json":
        [gzip] = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "SM201"]
        assert (gzip["line"], gzip["column"], gzip["job"]) == (line, column, "llm-finetune-2026-12")
        assert (
            gzip["pointer"]
            == "/resource_changes/0/change/after/input_data_config/0/compression_type"
        )
    elif fmt == "sarif":
        results = json.loads(done.stdout)["runs"][0]["results"]
        [gzip] = [r for r in results if r["ruleId"] == "SM201"]
        region = gzip["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (line, column)
    elif fmt == "junit":
        assert 'name="llm-finetune-2026-12"' in done.stdout and "SM201" in done.stdout
    elif fmt == "github":
        assert f"line={line},col={column}" in done.stdout and "SM201" in done.stdout
    else:
        assert f"plan.json:{line}:{column}: SM201 [error]" in done.stdout


def test_show_source_never_shows_an_embedded_definition_or_a_secret() -> None:
    for name in ("cdk-state-machine.template.json", "plan.json", "template.yaml"):
        done = cli("lint", "--isolated", "--show-source", str(DECLARED / name))
        assert "sagemaker:createTrainingJob" not in done.stdout, name
        assert "3f9d2c7b8a1e" not in done.stdout  # plan.json's WANDB_API_KEY
        assert "Retrain weekly" not in done.stdout.replace("(WeeklyRetraining/Retrain weekly)", "")


# --- what is not a job -------------------------------------------------------------------------


def test_a_template_without_training_jobs_is_nothing_to_check(tmp_path: Path) -> None:
    (tmp_path / "bucket.yaml").write_text(
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        "      BucketName: !Sub '${AWS::StackName}-data'\n"
    )
    (tmp_path / "machine.asl.json").write_text(
        json.dumps(
            {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5, "End": True}}}
        )
    )
    (tmp_path / "plan.json").write_text(
        json.dumps({"format_version": "1.2", "terraform_version": "1.14.1", "resource_changes": []})
    )
    done = cli("lint", "--isolated", str(tmp_path))
    assert done.exit_code == 0, done.output
    assert done.stdout == "All checks passed: 0 jobs from 3 files.\n"
    (tmp_path / "workflow.yaml").write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    )
    other = cli("lint", "--isolated", str(tmp_path))
    assert other.exit_code == 2 and "workflow.yaml:1:1: SM003" in other.stdout


def test_an_embedded_definition_that_is_not_json_is_one_error_and_the_rest_is_checked(
    tmp_path: Path,
) -> None:
    template = text_of("template.yaml").replace(
        '"StartAt": "Retrain weekly",', '"StartAt": "Retrain weekly",,'
    )
    path = tmp_path / "template.yaml"
    path.write_text(template)
    done = cli("lint", "--isolated", "--format", "json", str(path))
    assert done.exit_code == 2
    findings = json.loads(done.stdout)["findings"]
    [broken] = [f for f in findings if f["rule"] == "SM002"]
    assert (broken["line"], broken["column"]) == position_of(template, "DefinitionString")
    assert (
        broken["message"]
        == "DefinitionString is not valid JSON: its training jobs cannot be checked"
    )
    assert {f["job"] for f in findings if f["rule"] != "SM002"} >= {
        "FraudModel",
        "NightlyRetraining/Retrain",
    }


def test_intrinsics_of_a_definition_outside_strings_still_parse(tmp_path: Path) -> None:
    """An Fn::Join piece that is a number's place (InstanceCount) becomes an unknown string."""
    definition = {
        "Fn::Join": [
            "",
            [
                '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:',
                {"Ref": "AWS::Partition"},
                ':states:::sagemaker:createTrainingJob.sync","End":true,"Parameters":{'
                '"TrainingJobName":"t","RoleArn":"',
                {"Fn::GetAtt": ["Role", "Arn"]},
                '","AlgorithmSpecification":{"TrainingImage":"img","TrainingInputMode":"File"},'
                '"OutputDataConfig":{"S3OutputPath":"s3://b/o"},"StoppingCondition":'
                '{"MaxRuntimeInSeconds":3600},"ResourceConfig":{"InstanceType":"ml.m5.xlarge",'
                '"VolumeSizeInGB":10,"InstanceCount":',
                {"Ref": "Count"},
                "}}}}}",
            ],
        ]
    }
    template = {
        "Resources": {
            "M": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": definition},
            }
        }
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template))
    [document] = [d for d in load_file(path) if isinstance(d, Document)]
    assert is_placeholder(document.job.get("ResourceConfig", "InstanceCount"))
    assert is_placeholder(document.job.get("RoleArn"))
    assert not [f for f in lint_paths(path) if f.rule.startswith("SM0")]


# --- Terraform's names, generated from botocore ----------------------------------------------


def documented_arguments() -> Iterator[tuple[str, str]]:
    for line in (DECLARED / "terraform-training-job-arguments.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            block, _, names = line.partition(": ")
            for name in names.split():
                yield block, name


def test_every_argument_the_provider_documents_is_a_member_of_the_request() -> None:
    shapes = {"-": REQUEST}
    for block, name in documented_arguments():
        shape = shapes[block]
        assert name in STRUCTURES[shape], f"{block}.{name}"
        _, kind, target = STRUCTURES[shape][name]
        if kind in ("block", "blocks") and name != "tags":
            assert target is not None
            shapes[name if block == "-" else f"{block}.{name}"] = target


# Members of the request the provider does not have (yet).
NOT_IN_THE_PROVIDER = {
    ("input_data_config.data_source", "dataset_source"),
    ("input_data_config.data_source.dataset_source", "dataset_arn"),
}


def test_every_member_of_the_request_has_a_documented_argument() -> None:
    """The other way round: what the generator names each member is what the provider calls
    it."""
    documented = set(documented_arguments())
    blocks, waiting = {}, [("-", REQUEST)]
    while waiting:
        path, shape = waiting.pop()
        blocks[path] = shape
        for name, (member, kind, target) in STRUCTURES[shape].items():
            if kind != "value" and member != "Tags" and target is not None:
                waiting.append((name if path == "-" else f"{path}.{name}", target))
    named = {(path, name) for path, shape in blocks.items() for name in STRUCTURES[shape]}
    assert named - documented == NOT_IN_THE_PROVIDER
    assert documented - named == set()


def test_the_generated_names_are_current() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            str(DATA.parent.parent / "scripts" / "generate_terraform_names.py"),
            "--check",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# --- docs/declared-jobs.md, run as written -------------------------------------------------------

GUIDE = DATA.parent.parent / "docs" / "declared-jobs.md"
EXAMPLE = re.compile(
    r"```(?:yaml|json)\n(?P<body>.*?)```\n\n```console\n\$ sagelint lint -q (?P<name>\S+)\n"
    r"(?P<output>.*?)```",
    re.DOTALL,
)


def guide_examples() -> list[tuple[str, str, str]]:
    return [
        (m.group("name"), m.group("body"), m.group("output"))
        for m in EXAMPLE.finditer(GUIDE.read_text())
    ]


def test_the_guide_has_an_example_of_each_format() -> None:
    assert [name for name, _, _ in guide_examples()] == [
        "stack.yaml",
        "retrain.asl.json",
        "pipeline.json",
        "plan.json",
    ]


@pytest.mark.parametrize(("name", "body", "output"), guide_examples(), ids=lambda v: str(v)[:20])
def test_the_guide_examples_print_what_it_shows(
    name: str, body: str, output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / name).write_text(body)
    monkeypatch.chdir(tmp_path)
    done = cli("lint", "--isolated", "-q", name)
    assert done.stdout == output


# --- malformed declarations ----------------------------------------------------------------------

MALFORMED: list[Any] = [
    {"Resources": {"A": {"Type": "AWS::SageMaker::TrainingJob", "Properties": []}}},
    {"Resources": {"A": {"Type": "AWS::SageMaker::TrainingJob", "Properties": {"Fn::If": 1}}}},
    {
        "Resources": {
            "A": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": {"Fn::Join": ["", 5]}},
            }
        }
    },
    {
        "Resources": {
            "A": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": {"Fn::Sub": [7]}},
            }
        }
    },
    {
        "Resources": {
            "A": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": "[" * 100_000},
            }
        }
    },
    {
        "Resources": {
            "A": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": "[1]"},
            }
        }
    },
    {
        "Resources": {
            "A": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "Definition": {
                        "StartAt": "x",
                        "States": {"x": {"Type": "Parallel", "Branches": [5, {"States": []}]}},
                    }
                },
            }
        }
    },
    {
        "Resources": {
            "A": {
                "Type": "AWS::SageMaker::Pipeline",
                "Properties": {"PipelineDefinition": {"PipelineDefinitionBody": 12}},
            }
        }
    },
    {
        "Resources": {
            "A": {
                "Type": "AWS::SageMaker::TrainingJob",
                "Metadata": {"sagelint": {"ignore": {"a": 1}}},
                "Properties": {"TrainingJobName": {"Ref": "X"}},
            }
        }
    },
    {
        "StartAt": "x",
        "States": {
            "x": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sagemaker:createTrainingJob",
                "Parameters": "{% $x %}",
            }
        },
    },
    {
        "StartAt": "x",
        "States": {
            "x": {
                "Type": "Map",
                "ItemProcessor": {"States": {"y": {"Type": "Task", "Resource": 5}}},
            }
        },
    },
    {
        "Version": "2020-12-01",
        "Steps": [
            {"Type": "Training", "Arguments": {"ResourceConfig": {"InstanceType": {"Get": 5}}}},
            3,
        ],
    },
    {"Version": "2020-12-01", "Steps": [{"Type": "Training", "Arguments": {"Get": "Steps.A"}}]},
    {
        "Version": "2020-12-01",
        "Parameters": [{"Name": "X"}, 5],
        "Steps": [{"Type": "Condition", "Arguments": {"IfSteps": {"a": 1}}}],
    },
    {
        "format_version": "1.2",
        "terraform_version": "1",
        "resource_changes": [
            5,
            {
                "type": "aws_sagemaker_training_job",
                "change": {
                    "after": {
                        "resource_config": [5],
                        "input_data_config": [{"data_source": "x"}],
                        "tags": ["a"],
                    },
                    "after_unknown": [1],
                },
            },
        ],
    },
    {
        "format_version": "1.2",
        "terraform_version": "1",
        "resource_changes": [
            {"type": "aws_sfn_state_machine", "change": {"after": {"definition": "not json"}}}
        ],
    },
]


@pytest.mark.parametrize("document", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_declaration_is_read_without_an_internal_error(
    document: Any, tmp_path: Path
) -> None:
    path = tmp_path / "declared.json"
    path.write_text(json.dumps(document))
    done = cli("lint", "--isolated", "--format", "json", str(path))
    assert done.exit_code in (0, 1, 2), done.output
    findings = json.loads(done.stdout)["findings"]
    assert not [f for f in findings if f["rule"] == "SM000"], findings
    assert "Traceback" not in done.stderr
