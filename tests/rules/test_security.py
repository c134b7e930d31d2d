"""SM102-SM108: encryption, network and secrets (and the instance storage table they share)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import chdir
from pathlib import Path
from typing import Any

import botocore.loaders
import pytest
from sagelint.cli import FORMAT_CHOICES
from sagelint.findings import Finding
from sagelint.rules._instance_storage import LOCAL_STORAGE, family, has_local_storage

from tests.conftest import REAL, cli, line_of, only
from tests.jobs import clean_describe, clean_request

Lint = Callable[..., list[Finding]]
MY_RULES = ("SM102", "SM103", "SM104", "SM105", "SM106", "SM107", "SM108")


def real(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((REAL / name).read_text(encoding="utf-8"))
    return loaded


def training_instance_types() -> list[str]:
    model = botocore.loaders.create_loader().load_service_model("sagemaker", "service-2")
    enum: list[str] = model["shapes"]["TrainingInstanceType"]["enum"]
    return enum


# --- the instance storage table ------------------------------------------------------------------


def test_every_training_instance_family_of_the_model_is_classified() -> None:
    # A family that a newer botocore adds to TrainingInstanceType fails here until someone
    # looks up whether it has NVMe instance storage and adds it to the table.
    families = {family(kind) for kind in training_instance_types()}
    assert None not in families
    unclassified = sorted(f for f in families if f is not None and f not in LOCAL_STORAGE)
    assert unclassified == []


@pytest.mark.parametrize(
    ("instance_type", "expected"),
    [
        ("ml.p4d.24xlarge", True),  # named by the model docs of VolumeSizeInGB
        ("ml.g4dn.xlarge", True),
        ("ml.g5.2xlarge", True),
        ("ml.c5.xlarge", False),  # named EBS-only by the same docs
        ("ml.p2.xlarge", False),
        ("ml.p5en.48xlarge", True),  # no "d" in the name: the SDK's heuristic would miss it
        ("ml.p6-b200.48xlarge", True),
        ("ml.c5n.xlarge", False),  # "n", not "d"
        ("ml.x9.large", None),  # unknown family
        ("m5.xlarge", None),  # not an ml. instance type
        ("", None),
    ],
)
def test_has_local_storage(instance_type: str, expected: bool | None) -> None:
    assert has_local_storage(instance_type) is expected


# --- clean documents, real documents --------------------------------------------------------------


@pytest.mark.parametrize(
    "document", [clean_request(), clean_describe()], ids=["create", "describe"]
)
def test_no_rule_fires_on_the_clean_documents(lint_doc: Lint, document: dict[str, Any]) -> None:
    assert lint_doc(document, select=list(MY_RULES)) == []


def test_sm106_is_silent_on_every_real_document() -> None:
    # None of them holds a credential. They do hold what a careless check trips on: XGBoost and
    # k-means hyperparameters, JSON-quoted SDK hyperparameters (sagemaker_submit_directory,
    # sagemaker_job_name), regexes in MetricDefinitions, debugger rule parameters.
    result = cli("lint", "--select", "SM106", "--format", "json", str(REAL))
    assert json.loads(result.stdout)["findings"] == []


# --- SM102 volume-without-kms-key ----------------------------------------------------------------


def without_volume_key(instance_type: str) -> dict[str, Any]:
    job = clean_request()
    job["ResourceConfig"]["InstanceType"] = instance_type
    del job["ResourceConfig"]["VolumeKmsKeyId"]
    return job


def test_sm102_fires_at_resource_config_when_the_key_is_absent(lint_doc: Lint) -> None:
    [finding] = only(lint_doc(without_volume_key("ml.m5.xlarge"), select=["SM102"]), "SM102")
    assert finding.pointer == "/ResourceConfig"
    assert finding.line == line_of(finding, '"ResourceConfig":')
    assert finding.severity == "warning"
    assert "ml.m5.xlarge" in finding.message
    assert "not set" in finding.message


def test_sm102_fires_at_an_empty_key(lint_doc: Lint) -> None:
    job = clean_request()
    job["ResourceConfig"]["VolumeKmsKeyId"] = ""
    [finding] = only(lint_doc(job, select=["SM102"]), "SM102")
    assert finding.pointer == "/ResourceConfig/VolumeKmsKeyId"
    assert finding.line == line_of(finding, '"VolumeKmsKeyId":')
    assert "empty" in finding.message


@pytest.mark.parametrize(
    ("instance_type", "fires"),
    [
        ("ml.m5.xlarge", True),
        ("ml.p3.2xlarge", True),
        # Local NVMe storage: AWS rejects a volume key there (Prowler would still fail these).
        ("ml.g5.xlarge", False),
        ("ml.p4d.24xlarge", False),
        ("ml.g4dn.xlarge", False),
        ("ml.trn1.32xlarge", False),
        ("ml.x9.large", False),  # unknown family: no guess
    ],
)
def test_sm102_never_asks_for_a_key_on_local_storage(
    lint_doc: Lint, instance_type: str, fires: bool
) -> None:
    findings = only(lint_doc(without_volume_key(instance_type), select=["SM102"]), "SM102")
    assert bool(findings) is fires


@pytest.mark.parametrize(
    ("types", "fires"),
    [(["ml.g5.xlarge", "ml.m5.xlarge"], True), (["ml.g5.xlarge", "ml.p4d.24xlarge"], False)],
)
def test_sm102_on_instance_groups_needs_one_ebs_group(
    lint_doc: Lint, types: list[str], fires: bool
) -> None:
    job = clean_request()
    del job["ResourceConfig"]["VolumeKmsKeyId"]
    del job["ResourceConfig"]["InstanceType"]
    job["ResourceConfig"]["InstanceGroups"] = [
        {"InstanceGroupName": f"g{i}", "InstanceType": kind, "InstanceCount": 1}
        for i, kind in enumerate(types)
    ]
    findings = only(lint_doc(job, select=["SM102"]), "SM102")
    assert bool(findings) is fires
    if fires:
        assert "ml.m5.xlarge" in findings[0].message
        assert "ml.g5.xlarge" not in findings[0].message


@pytest.mark.parametrize(
    "change",
    [
        {"VolumeKmsKeyId.$": "$.volumeKey"},  # Step Functions fills it in at run time
        {"VolumeKmsKeyId": 42},  # wrong type: the schema check reports it
    ],
)
def test_sm102_near_misses(lint_doc: Lint, change: dict[str, Any]) -> None:
    job = without_volume_key("ml.m5.xlarge")
    job["ResourceConfig"].update(change)
    assert only(lint_doc(job, select=["SM102"]), "SM102") == []


def test_sm102_on_a_real_heterogeneous_cluster(lint_doc: Lint) -> None:
    # The ACK controller's Go dump: InstanceType null, two EBS-only groups (ml.c5.xlarge,
    # ml.m4.xlarge), VolumeKmsKeyId null. Both groups have a volume and no key: a fair finding.
    document = real("ack-sagemaker-controller-describe-inprogress-instance-groups.json")
    [finding] = only(lint_doc(document, select=["SM102"]), "SM102")
    assert finding.pointer == "/ResourceConfig"
    assert "ml.c5.xlarge, ml.m4.xlarge" in finding.message


# --- SM103 no-vpc --------------------------------------------------------------------------------


def test_sm103_fires_at_the_document_without_vpc_config(lint_doc: Lint) -> None:
    job = clean_request()
    del job["VpcConfig"]
    [finding] = only(lint_doc(job, select=["SM103"]), "SM103")
    assert (finding.pointer, finding.line, finding.severity) == ("", 1, "warning")
    assert "no VpcConfig" in finding.message


@pytest.mark.parametrize(
    ("vpc", "pointer", "needle", "missing"),
    [
        ({}, "/VpcConfig", '"VpcConfig":', "no Subnets and no SecurityGroupIds"),
        (
            {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": []},
            "/VpcConfig/Subnets",
            '"Subnets":',
            "no Subnets",
        ),
        ({"Subnets": ["subnet-0123456789abcdef0"]}, "/VpcConfig", '"VpcConfig":', "no Security"),
    ],
)
def test_sm103_fires_on_an_incomplete_vpc_config(
    lint_doc: Lint, vpc: dict[str, Any], pointer: str, needle: str, missing: str
) -> None:
    job = clean_request()
    job["VpcConfig"] = vpc
    [finding] = only(lint_doc(job, select=["SM103"]), "SM103")
    assert finding.pointer == pointer
    assert finding.line == line_of(finding, needle)
    assert missing in finding.message


@pytest.mark.parametrize(
    "change",
    [
        {"VpcConfig.$": "$.vpc"},  # Step Functions fills it in at run time
        {"VpcConfig": {"SecurityGroupIds.$": "$.sg", "Subnets": ["subnet-0123456789abcdef0"]}},
        # A string instead of a list: the schema check reports the type, not SM103.
        {"VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": "subnet-1"}},
    ],
)
def test_sm103_near_misses(lint_doc: Lint, change: dict[str, Any]) -> None:
    job = clean_request()
    del job["VpcConfig"]
    job.update(change)
    assert only(lint_doc(job, select=["SM103"]), "SM103") == []


@pytest.mark.parametrize(
    ("name", "fires"),
    [
        # Ran in a VPC (one subnet, one security group): silent.
        ("bioimage-search-describe-spot-fsx-vpc-completed.json", False),
        # The Go SDK dump writes "VpcConfig": null: the job ran outside any VPC.
        ("ack-sagemaker-controller-describe-completed.json", True),
    ],
)
def test_sm103_on_real_documents(lint_doc: Lint, name: str, fires: bool) -> None:
    assert bool(only(lint_doc(real(name), select=["SM103"]), "SM103")) is fires


# --- SM104 network-isolation-off -----------------------------------------------------------------


def test_sm104_fires_at_a_false_flag(lint_doc: Lint) -> None:
    job = clean_request()
    job["EnableNetworkIsolation"] = False
    [finding] = only(lint_doc(job, select=["SM104"]), "SM104")
    assert finding.pointer == "/EnableNetworkIsolation"
    assert finding.line == line_of(finding, '"EnableNetworkIsolation":')
    assert "is false" in finding.message


def test_sm104_fires_at_the_document_when_the_flag_is_absent(lint_doc: Lint) -> None:
    job = clean_request()
    del job["EnableNetworkIsolation"]
    [finding] = only(lint_doc(job, select=["SM104"]), "SM104")
    assert (finding.pointer, finding.line) == ("", 1)
    assert "not set" in finding.message


@pytest.mark.parametrize(
    "change",
    [
        {"EnableNetworkIsolation": True},
        {"EnableNetworkIsolation.$": "$.isolate"},  # Step Functions
        {"EnableNetworkIsolation": "false"},  # wrong type: the schema check's business
    ],
)
def test_sm104_near_misses(lint_doc: Lint, change: dict[str, Any]) -> None:
    job = clean_request()
    del job["EnableNetworkIsolation"]
    job.update(change)
    assert only(lint_doc(job, select=["SM104"]), "SM104") == []


def test_sm104_on_a_real_document_from_before_the_field_existed(lint_doc: Lint) -> None:
    # Cloud Custodian's 2018 recording has no EnableNetworkIsolation: the job ran without it.
    document = real("c7n-placebo-test_sagemaker_training_job_query-describe.json")
    [finding] = only(lint_doc(document, select=["SM104"]), "SM104")
    assert finding.pointer == ""


# --- SM105 inter-container-traffic-unencrypted ---------------------------------------------------


def distributed(count: int, encrypt: bool | None) -> dict[str, Any]:
    job = clean_request()
    job["ResourceConfig"]["InstanceCount"] = count
    if encrypt is None:
        del job["EnableInterContainerTrafficEncryption"]
    else:
        job["EnableInterContainerTrafficEncryption"] = encrypt
    return job


def test_sm105_fires_on_a_distributed_job(lint_doc: Lint) -> None:
    [finding] = only(lint_doc(distributed(2, False), select=["SM105"]), "SM105")
    assert finding.pointer == "/EnableInterContainerTrafficEncryption"
    assert finding.line == line_of(finding, '"EnableInterContainerTrafficEncryption":')
    assert "2 instances" in finding.message


@pytest.mark.parametrize(
    ("count", "encrypt", "fires"),
    [
        (4, None, True),  # absent means false
        (1, False, False),  # single instance: no traffic between instances (Prowler flags it)
        (1, None, False),
        (2, True, False),
    ],
)
def test_sm105_only_on_more_than_one_instance(
    lint_doc: Lint, count: int, encrypt: bool | None, fires: bool
) -> None:
    assert bool(only(lint_doc(distributed(count, encrypt), select=["SM105"]), "SM105")) is fires


@pytest.mark.parametrize(
    ("name", "fires"),
    [
        # InstanceCount 0 at the top, two groups of one instance each: 2 instances, flag false.
        ("ack-sagemaker-controller-describe-inprogress-instance-groups.json", True),
        # Same flag false, but one instance: nothing to encrypt.
        ("ack-sagemaker-controller-describe-completed.json", False),
    ],
)
def test_sm105_on_real_documents(lint_doc: Lint, name: str, fires: bool) -> None:
    findings = only(lint_doc(real(name), select=["SM105"]), "SM105")
    assert bool(findings) is fires


# --- SM106 secret-in-plain-text ------------------------------------------------------------------

# Fake credentials, assembled at run time so that secret scanners do not flag this file.
AWS_KEY_ID = "AKIA" + "Z7QWERTYUIOP1234"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"  # AWS's documented example
JWT = ".".join(("eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiIxMjM0NTY3ODkwIn0", "c2lnbmF0dXJlLWZha2U"))
PRIVATE_KEY = "\n".join(
    ("-----BEGIN " + "OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
     "-----END " + "OPENSSH PRIVATE KEY-----", "")
)  # fmt: skip
SECRETS = [
    ("Environment", "AWS_ACCESS_KEY_ID", AWS_KEY_ID, "an AWS access key ID"),
    ("Environment", "AWS_SESSION", "ASIA" + AWS_KEY_ID[4:], "an AWS access key ID"),
    ("Environment", "AWS_SECRET_ACCESS_KEY", AWS_SECRET, "an AWS secret access key"),
    ("HyperParameters", "aws_secret_access_key", "s0me-Secret-Value", "an AWS secret access key"),
    ("HyperParameters", "client_secret", AWS_SECRET, "an AWS secret access key"),
    ("Environment", "SSH_KEY", PRIVATE_KEY, "a private key"),
    ("Environment", "GITHUB_TOKEN", "ghp_" + "a1B2c3D4e5" * 3 + "f6G7h8", "a GitHub token"),
    ("HyperParameters", "repo", "https://github.com/org/x?t=github_" + "pat_11ABCDEFG0abcdefghijklmn",
     "a GitHub token"),
    ("Environment", "NOTIFY", "xoxb-" + "123456789012-abcdefghijkl", "a Slack token"),
    ("Environment", "HF_TOKEN", "hf_" + "aBcDeFgHiJ" * 3 + "kLmNo", "a Hugging Face token"),
    ("HyperParameters", "auth_header", "Bearer " + JWT, "a JSON Web Token"),
    ("Environment", "DATABASE_URL", "postgresql://app:" + "S3cretPass@db.internal:5432/app",
     "a password in a URL"),
    ("HyperParameters", "db_password", "hunter2", "a password"),
    ("HyperParameters", "dbPassword", '"hunter2"', "a password"),  # the SDK's JSON quoting
    ("Environment", "PGPASSWD", "12345", "a password"),
    ("Environment", "WANDB_API_KEY", "0123456789abcdef0123456789abcdef01234567", "an API key"),
    ("HyperParameters", "apiKey", "k3y-0123456789", "an API key"),
    ("Environment", "MLFLOW_TRACKING_TOKEN", "abcd1234efgh5678", "a token"),
    ("Environment", "COMET_CREDENTIALS", "user1:pa55w0rd", "credentials"),
    # The providers most used with training jobs, by the shape of their keys
    ("Environment", "OPENAI_KEY", "sk-" + "proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z" * 2,
     "an OpenAI API key"),
    ("Environment", "LLM", "sk-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9kLm2n",
     "an OpenAI API key"),
    ("Environment", "CLAUDE", "sk-" + "ant-api03-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z-_" * 3,
     "an Anthropic API key"),
    ("HyperParameters", "hub", "hf_" + "QmVzTnXrLpKwHsYdGcBjFaEuNiOtRqWxZv", "a Hugging Face token"),
    ("Environment", "GITLAB_PAT", "glpat-" + "x7Yb2Kq9Lm4Np6Rs8Tv1", "a GitLab token"),
    ("Environment", "GOOGLE_API", "AIza" + "SyB3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z0A", "a Google API key"),
    ("Environment", "ALERTS", "https://hooks.slack.com/" + "services/T0000ABCD/B0000EFGH/" + "x" * 24,
     "a Slack webhook URL"),
    ("Environment", "PAYMENTS", "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc", "a Stripe API key"),
    ("Environment", "AZURE_STORAGE", "DefaultEndpointsProtocol=https;AccountName=ml;AccountKey="
     + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z" * 2 + "Ab3dEf6hIj9kLm2nOp5qRs==;EndpointSuffix=core.windows.net",
     "an Azure storage account key"),
    # ... and by their names: a service's KEY, PASS, PAT
    ("Environment", "WANDB_KEY", "0123456789abcdef0123456789abcdef01234567", "an API key"),
    ("Environment", "DB_PASS", "hunter22", "a password"),
    ("Environment", "DB_PWD", "hunter22", "a password"),
    ("Environment", "SMTP_PASS", "s3cr3t", "a password"),
    ("Environment", "GITHUB_PAT", "x7Yb2Kq9Lm4Np6Rs8Tv1", "a personal access token"),
    ("Environment", "LICENSE_KEY", "A1B2C3D4E5F6G7H8I9J0K1L2", "a key"),
]  # fmt: skip


def with_entry(kind: str, key: str, value: Any) -> dict[str, Any]:
    job = clean_request()
    job.setdefault(kind, {})[key] = value
    return job


@pytest.mark.parametrize(("kind", "key", "value", "what"), SECRETS, ids=[s[1] for s in SECRETS])
def test_sm106_fires_at_the_entry_and_masks_the_value(
    lint_doc: Lint, kind: str, key: str, value: str, what: str
) -> None:
    [finding] = only(lint_doc(with_entry(kind, key, value), select=["SM106"]), "SM106")
    assert finding.pointer == f"/{kind}/{key}"
    assert finding.line == line_of(finding, f'"{key}":')
    assert finding.severity == "error"
    assert f"{kind}[{key!r}] looks like {what} (value masked)" in finding.message
    assert value not in finding.message
    assert value.strip('"') not in finding.message


NOT_SECRETS = [
    ("HyperParameters", "sagemaker_submit_directory", '"s3://bucket/job/source/sourcedir.tar.gz"'),
    ("HyperParameters", "sagemaker_job_name", '"bioims-vT44kUtLi7jnSGC7VXG7iT-j2xvJ5W8TbmNx"'),
    ("HyperParameters", "objective", "reg:logistic"),
    ("HyperParameters", "eval_metric", "rmse"),
    ("HyperParameters", "max_tokens", "512"),
    ("HyperParameters", "max_new_tokens", "2048"),
    ("HyperParameters", "pad_token", "<pad>"),
    ("HyperParameters", "eos_token", "</s>"),
    ("HyperParameters", "pad_token_name", "eos_token_value"),
    ("HyperParameters", "bos_token", "<|begin_of_text|>"),
    ("HyperParameters", "use_auth_token", "true"),
    ("HyperParameters", "tokenizer_name", "bert-base-uncased"),
    ("HyperParameters", "git_commit", "0123456789abcdef0123456789abcdef01234567"),
    ("HyperParameters", "password_file", "/run/secrets/db"),
    ("HyperParameters", "min_password_length", "12"),
    ("Environment", "DB_SECRET_ARN",
     "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
    ("Environment", "DB_PASSWORD",
     "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
    ("Environment", "API_KEY", "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key"),
    ("Environment", "DB_PASSWORD", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
    ("Environment", "DB_PASSWORD", "${DB_PASSWORD}"),
    ("Environment", "DB_PASSWORD", "$DB_PASSWORD"),
    ("Environment", "DB_PASSWORD", ""),
    ("Environment", "API_KEY", "********"),
    ("Environment", "API_KEY", "<your-api-key>"),
    ("Environment", "API_KEY", "YOUR_API_KEY"),
    ("Environment", "HF_TOKEN", "none"),
    ("Environment", "SECRET_NAME", "prod/db/password"),
    ("Environment", "TOKEN_PATH", "/opt/ml/input/token"),
    ("Environment", "MLFLOW_TRACKING_URI", "https://mlflow.internal:5000/"),
    ("Environment", "DATABASE_URL", "postgresql://app:${DB_PASSWORD}@db.internal:5432/app"),
    ("Environment", "GOOGLE_APPLICATION_CREDENTIALS", "/opt/ml/input/config/gcp.json"),
    ("Environment", "PWD", "code"),  # the shell's working directory, not a password
    # a name that ends in key or pass and holds no credential
    ("HyperParameters", "sort_key", "timestamp"),
    ("HyperParameters", "s3_key", "data/train/part-0001.csv"),
    ("HyperParameters", "model_key", "xgboost_model_v2_2026_11"),
    ("HyperParameters", "feature_key", "customer_id_hash_v2_2026"),
    ("HyperParameters", "kms_key", "arn:aws:kms:us-east-1:123456789012:key/1234abcd"),
    ("HyperParameters", "key", "value"),
    ("HyperParameters", "label_key", "churned"),
    ("HyperParameters", "num_pass", "3"),
    ("HyperParameters", "second_pass", "true"),
    ("HyperParameters", "bypass", "abcdefghijkl"),
    ("Environment", "DB_PASS", "${DB_PASS}"),
    ("Environment", "OPENAI_KEY", "sk-..."),
    ("HyperParameters", "task", "ask-me-anything"),  # sk- inside a word
    ("Environment", "WANDB_KEY", "none"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "key", "value"), NOT_SECRETS, ids=[f"{k}={v[:20]}" for _, k, v in NOT_SECRETS]
)
def test_sm106_near_misses(lint_doc: Lint, kind: str, key: str, value: str) -> None:
    assert only(lint_doc(with_entry(kind, key, value), select=["SM106"]), "SM106") == []


@pytest.mark.parametrize(
    "change",
    [
        {"HyperParameters.$": "$.hyperparameters"},  # Step Functions: the map comes at run time
        {"Environment": {"DB_PASSWORD.$": "$.password"}},  # ... or one entry does
        {"Environment": {"DB_PASSWORD": {"Get": "Parameters.Password"}}},  # a Pipelines variable
    ],
)
def test_sm106_ignores_values_filled_in_later(lint_doc: Lint, change: dict[str, Any]) -> None:
    job = clean_request()
    job.update(change)
    assert only(lint_doc(job, select=["SM106"]), "SM106") == []


def test_sm106_one_finding_per_entry(lint_doc: Lint) -> None:
    # A secret name and two secret shapes in one value: one finding, the most specific kind.
    value = AWS_KEY_ID + " " + PRIVATE_KEY
    findings = only(lint_doc(with_entry("Environment", "SECRET", value), select=["SM106"]), "SM106")
    assert [f.message.split(" looks like ")[1].split(" (")[0] for f in findings] == [
        "a private key"
    ]


def test_sm106_masks_a_secret_pasted_as_a_key(lint_doc: Lint) -> None:
    token = "ghp_" + "Z9y8X7w6V5" * 3 + "u4T3s2"
    [finding] = only(lint_doc(with_entry("Environment", token, "x"), select=["SM106"]), "SM106")
    assert finding.pointer == "/Environment"
    assert token not in finding.message
    assert "a GitHub token" in finding.message


def leaky_document() -> dict[str, Any]:
    job = clean_request()
    job["HyperParameters"]["db_password"] = "Pa55w0rd-never-shown"
    job["Environment"] = {"SSH_KEY": PRIVATE_KEY * 5, "GH": "ghp_" + "Q1w2E3r4T5" * 3 + "y6U7i8"}
    return job


def schema_broken(job: dict[str, Any]) -> dict[str, Any]:
    """The same secrets, plus schema errors that touch them: a value over the 512-character
    limit of Environment values, a key outside Environment's key pattern, a secret as the value
    of an unknown field next to them, a wrong type."""
    job = json.loads(json.dumps(job))
    job["Environment"]["bad-key"] = "ghp_" + "Q1w2E3r4T5" * 3 + "y6U7i8"
    job["HyperParameters"]["db_password"] = ["Pa55w0rd-never-shown"]  # not a string
    job["HyperParameters"]["api_key"] = "Pa55w0rd-never-shown"
    job["EnableNetworkIsolation"] = "yes"
    return job


SHOWN = ("Pa55w0rd-never-shown", "Q1w2E3r4T5", "b3BlbnNzaC1rZXktdjEA")
# text and json at least; every other report format the CLI offers too.
FORMATS = dict.fromkeys(("text", "json", *FORMAT_CHOICES))


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("broken", [False, True], ids=["valid", "schema-errors"])
@pytest.mark.parametrize("select", [(), ("--select", "SM106")], ids=["all-rules", "SM106"])
def test_sm106_secret_values_never_reach_any_output(
    tmp_path: Path, output_format: str, broken: bool, select: tuple[str, ...]
) -> None:
    job = schema_broken(leaky_document()) if broken else leaky_document()
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job, indent=2), encoding="utf-8")
    # ASFF names each finding's job by its ARN: a request spec's region must be given.
    region = ("--region", "us-east-1") if output_format == "asff" else ()
    result = cli("lint", "--format", output_format, *region, *select, str(path))
    output = result.stdout + result.stderr
    assert "SM106" in output  # the secrets were found ...
    for fragment in SHOWN:  # ... and none of them is shown
        assert fragment not in output
    if broken and not select:
        assert "SM01" in output  # the schema errors were reported too


# --- SM107 volume-key-on-local-storage -----------------------------------------------------------


def with_volume_key(*types: str) -> dict[str, Any]:
    job = clean_request()
    if len(types) == 1:
        job["ResourceConfig"]["InstanceType"] = types[0]
    else:
        del job["ResourceConfig"]["InstanceType"]
        job["ResourceConfig"]["InstanceGroups"] = [
            {"InstanceGroupName": f"g{i}", "InstanceType": kind, "InstanceCount": 1}
            for i, kind in enumerate(types)
        ]
    return job


def test_sm107_fires_on_a_local_storage_request(lint_doc: Lint) -> None:
    [finding] = only(lint_doc(with_volume_key("ml.g5.2xlarge"), select=["SM107"]), "SM107")
    assert finding.pointer == "/ResourceConfig/VolumeKmsKeyId"
    assert finding.line == line_of(finding, '"VolumeKmsKeyId":')
    assert finding.severity == "error"
    assert "ml.g5.2xlarge" in finding.message


@pytest.mark.parametrize(
    ("types", "fires"),
    [
        (("ml.p4d.24xlarge",), True),
        (("ml.g5.xlarge", "ml.g4dn.xlarge"), True),
        (("ml.m5.xlarge",), False),  # EBS: the key is what SM102 asks for
        (("ml.g5.xlarge", "ml.m5.xlarge"), False),  # mixed cluster: the key serves the EBS group
        (("ml.g5.xlarge", "ml.x9.large"), False),  # unknown family: no guess
    ],
)
def test_sm107_only_when_every_type_has_local_storage(
    lint_doc: Lint, types: tuple[str, ...], fires: bool
) -> None:
    assert bool(only(lint_doc(with_volume_key(*types), select=["SM107"]), "SM107")) is fires


def test_sm107_and_sm102_never_contradict_each_other(lint_doc: Lint) -> None:
    for types in (("ml.g5.xlarge",), ("ml.m5.xlarge",), ("ml.g5.xlarge", "ml.m5.xlarge")):
        with_key = with_volume_key(*types)
        without_key = with_volume_key(*types)
        del without_key["ResourceConfig"]["VolumeKmsKeyId"]
        fired = {
            "SM107": bool(lint_doc(with_key, select=["SM107"])),
            "SM102": bool(lint_doc(without_key, select=["SM102"])),
        }
        assert not all(fired.values()), types


def test_sm107_is_silent_on_a_job_that_exists(lint_doc: Lint) -> None:
    # A describe response is a job SageMaker accepted: no "AWS rejects this" on it.
    job = clean_describe()
    job["ResourceConfig"]["InstanceType"] = "ml.g5.2xlarge"
    assert only(lint_doc(job, select=["SM107"]), "SM107") == []


def test_sm107_on_real_documents(lint_doc: Lint) -> None:
    # The Step Functions sample trains on ml.m4.xlarge (EBS) without a key: silent; with a key
    # added it would still be silent, since the type has an EBS volume.
    document = real("sfn-create-training-job-docs-sample-train-model.json")
    assert only(lint_doc(document, select=["SM107"]), "SM107") == []
    document["ResourceConfig"]["VolumeKmsKeyId"] = "alias/training"
    assert only(lint_doc(document, select=["SM107"]), "SM107") == []
    document["ResourceConfig"]["InstanceType"] = "ml.g5.xlarge"
    assert len(only(lint_doc(document, select=["SM107"]), "SM107")) == 1


# --- SM108 remote-debug-enabled ------------------------------------------------------------------


def test_sm108_fires_when_remote_debugging_is_on(lint_doc: Lint) -> None:
    job = clean_request()
    job["RemoteDebugConfig"] = {"EnableRemoteDebug": True}
    [finding] = only(lint_doc(job, select=["SM108"]), "SM108")
    assert finding.pointer == "/RemoteDebugConfig/EnableRemoteDebug"
    assert finding.line == line_of(finding, '"EnableRemoteDebug":')
    assert finding.severity == "warning"


@pytest.mark.parametrize(
    "config", [{"EnableRemoteDebug": False}, {}, None, {"EnableRemoteDebug": "true"}]
)
def test_sm108_near_misses(lint_doc: Lint, config: dict[str, Any] | None) -> None:
    job = clean_request()
    job["RemoteDebugConfig"] = config
    assert only(lint_doc(job, select=["SM108"]), "SM108") == []


def test_sm108_on_a_real_document(lint_doc: Lint) -> None:
    # The ACK debugger job uses SageMaker Debugger (DebugHookConfig), not remote debugging.
    document = real("ack-sagemaker-controller-describe-inprogress-debugger.json")
    assert only(lint_doc(document, select=["SM108"]), "SM108") == []


# --- SM109 private-registry-without-vpc, SM112 private-registry-without-vpc-access -------------

REGISTRY_IMAGE = "registry.internal.example.com/ml/train@sha256:" + "0f5a1c5d" * 4
ACCESS_VPC = {"TrainingRepositoryAccessMode": "Vpc"}


def with_image(make: Any, image: str, **config: Any) -> dict[str, Any]:
    job: dict[str, Any] = make()
    job["AlgorithmSpecification"]["TrainingImage"] = image
    if config:
        job["AlgorithmSpecification"]["TrainingImageConfig"] = config
    return job


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_sm109_fires_on_vpc_access_without_a_vpc(lint_doc: Lint, make: Any) -> None:
    job = with_image(make, REGISTRY_IMAGE, **ACCESS_VPC)
    del job["VpcConfig"]
    found = lint_doc(job, select=["SM1"])
    assert [f.rule for f in found] == ["SM109"]  # not also SM103: one finding for one problem
    assert found[0].pointer == (
        "/AlgorithmSpecification/TrainingImageConfig/TrainingRepositoryAccessMode"
    )
    assert found[0].line == line_of(found[0], '"TrainingRepositoryAccessMode"')


def test_sm109_near_misses(lint_doc: Lint) -> None:
    assert only(lint_doc(with_image(clean_request, REGISTRY_IMAGE, **ACCESS_VPC)), "SM109") == []
    job = with_image(clean_request, REGISTRY_IMAGE, TrainingRepositoryAccessMode="Platform")
    del job["VpcConfig"]
    assert only(lint_doc(job), "SM109") == []


@pytest.mark.parametrize(
    "image",
    [REGISTRY_IMAGE, "docker.io/library/python@sha256:" + "ab12" * 8, "localhost:5000/train:1"],
)
def test_sm112_fires_on_an_image_outside_ecr_without_vpc_access(lint_doc: Lint, image: str) -> None:
    [finding] = only(lint_doc(with_image(clean_request, image), select=["SM112"]), "SM112")
    assert finding.pointer == "/AlgorithmSpecification/TrainingImage"
    assert f"training image {image} is not in Amazon ECR" in finding.message


@pytest.mark.parametrize(
    ("make", "image", "config"),
    [
        (clean_request, REGISTRY_IMAGE, ACCESS_VPC),
        (clean_request, "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/train:1", {}),
        (clean_request, "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/train:1", {}),
        (clean_request, "{{ training_image }}", {}),
        (clean_describe, REGISTRY_IMAGE, {}),  # a job that exists was accepted
    ],
)
def test_sm112_near_misses(lint_doc: Lint, make: Any, image: str, config: dict[str, str]) -> None:
    assert only(lint_doc(with_image(make, image, **config)), "SM112") == []


# --- SM111 marketplace-without-isolation ------------------------------------

MARKETPLACE = "arn:aws:sagemaker:us-east-1:865070037744:algorithm/xgb-tabular-15423055"


def marketplace(isolation: Any = None, name: str = MARKETPLACE) -> dict[str, Any]:
    job = clean_request()
    job["AlgorithmSpecification"] = {"AlgorithmName": name, "TrainingInputMode": "File"}
    job["EnableNetworkIsolation"] = isolation  # None: absent
    return job


@pytest.mark.parametrize("isolation", [None, False])
def test_sm111_fires_on_a_marketplace_algorithm_without_isolation(
    lint_doc: Lint, isolation: Any
) -> None:
    found = lint_doc(marketplace(isolation), select=["SM1"])
    assert [f.rule for f in found] == ["SM111"]  # SM104's warning would say less
    assert "AWS Marketplace one (account 865070037744)" in found[0].message
    assert found[0].severity == "error"


@pytest.mark.parametrize(
    "job",
    [
        marketplace(True),
        marketplace(None, MARKETPLACE.replace("865070037744", "123456789012")),  # own account
        marketplace(None, "my-algorithm"),  # a name: an algorithm of the job's account
    ],
    ids=["isolated", "own account", "by name"],
)
def test_sm111_near_misses(lint_doc: Lint, job: dict[str, Any]) -> None:
    assert only(lint_doc(job), "SM111") == []


def test_sm111_is_for_requests_and_sm104_still_speaks_of_a_job_that_exists(lint_doc: Lint) -> None:
    job = clean_describe()
    job["AlgorithmSpecification"] = {"AlgorithmName": MARKETPLACE, "TrainingInputMode": "File"}
    job["EnableNetworkIsolation"] = False
    assert [f.rule for f in lint_doc(job, select=["SM104", "SM111"])] == ["SM104"]


# --- SM101 and directory buckets, SM110 kms-key-in-another-region --------------------------------

DIRECTORY_BUCKET = "s3://ml-models--use1-az4--x-s3/churn/"
KEY = "arn:aws:kms:{}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("make", [clean_request, clean_describe])
def test_sm101_is_silent_on_a_directory_bucket(lint_doc: Lint, make: Any) -> None:
    job = make()
    job["OutputDataConfig"] = {"S3OutputPath": DIRECTORY_BUCKET}
    assert only(lint_doc(job, select=["SM101"]), "SM101") == []
    job["OutputDataConfig"]["S3OutputPath"] = "s3://ml-models-x-s3/churn/"  # not --x-s3
    assert [f.rule for f in lint_doc(job, select=["SM101"])] == ["SM101"]


@pytest.mark.parametrize(
    ("member", "pointer"),
    [
        ("OutputDataConfig", "/OutputDataConfig/KmsKeyId"),
        ("ResourceConfig", "/ResourceConfig/VolumeKmsKeyId"),
    ],
)
def test_sm110_fires_on_a_key_of_another_region(lint_doc: Lint, member: str, pointer: str) -> None:
    job = clean_describe()  # arn:aws:sagemaker:us-east-1:...
    field = pointer.rsplit("/", 1)[1]
    job[member][field] = KEY.format("eu-west-1")
    [finding] = only(lint_doc(job, select=["SM110"]), "SM110")
    assert finding.pointer == pointer
    assert finding.message == (
        f"{member}.{field} is a key of eu-west-1 but the job runs in us-east-1: KMS keys are "
        "regional"
    )


def test_sm110_takes_a_request_specs_region_from_the_command_line_or_configuration(
    tmp_path: Path,
) -> None:
    job = clean_request()
    job["OutputDataConfig"]["KmsKeyId"] = KEY.format("eu-west-1")
    job["ResourceConfig"]["VolumeKmsKeyId"] = KEY.format("eu-west-1")
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    assert "SM110" not in cli("lint", "--isolated", str(path)).stdout  # no region: no guess
    assert "SM110" in cli("lint", "--isolated", "--region", "us-east-1", str(path)).stdout
    assert "SM110" not in cli("lint", "--isolated", "--region", "eu-west-1", str(path)).stdout
    (tmp_path / ".sagelint.toml").write_text('region = "us-west-2"\n', encoding="utf-8")
    with chdir(tmp_path):
        assert "a key of eu-west-1 but the job runs in us-west-2" in cli("lint", "job.json").stdout


@pytest.mark.parametrize(
    "key",
    [
        KEY.format("us-east-1"),
        "1234abcd-12ab-34cd-56ef-1234567890ab",  # a key ID: no region
        "alias/ml-training",
        "arn:aws:kms:eu-west-1:123456789012:alias/ml-training".replace("eu-west-1", "us-east-1"),
        "{{ kms_key }}",
    ],
)
def test_sm110_near_misses(lint_doc: Lint, key: str) -> None:
    job = clean_describe()
    job["OutputDataConfig"]["KmsKeyId"] = key
    assert only(lint_doc(job, select=["SM110"]), "SM110") == []


def test_sm110_says_a_directory_bucket_takes_no_key(lint_doc: Lint) -> None:
    """SM101 leaves a directory bucket's output alone; SM110's message says why its key is wrong
    twice over."""
    job = clean_describe()
    job["OutputDataConfig"] = {
        "S3OutputPath": DIRECTORY_BUCKET,
        "KmsKeyId": KEY.format("eu-west-1"),
    }
    [finding] = only(lint_doc(job, select=["SM101", "SM110"]), "SM110")
    assert finding.message.endswith(
        "KMS keys are regional; and the output is in a directory bucket (S3 Express One Zone), "
        "where the model says a KMS key is not supported at all (SSE-S3 only)"
    )
    assert only(lint_doc(job, select=["SM101", "SM110"]), "SM101") == []
