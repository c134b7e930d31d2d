"""SM1xx: encryption, network and secrets."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping

from sagelint.job import Job, pointer
from sagelint.patterns import Pattern
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import instance_count
from sagelint.rules._instance_storage import has_local_storage, instance_types

MODEL_DOCS = "botocore SageMaker service model"


@rule(
    code="SM101",
    name="output-without-kms-key",
    severity="warning",
    summary="model artifacts are not encrypted with a customer managed KMS key",
    references=(
        f"{MODEL_DOCS}: OutputDataConfig.KmsKeyId",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
    ),
)
def output_without_kms_key(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `OutputDataConfig.KmsKeyId` names a KMS key for the model artifacts.

    ## Why is this bad?
    Without it, SageMaker encrypts the artifacts with the account's default key for Amazon S3
    (the model docs of `OutputDataConfig.KmsKeyId`: "If you don't provide a KMS key ID,
    SageMaker uses the default KMS key for Amazon S3 for your role's account"). Access to
    that key cannot be limited per team or revoked per model, and it cannot be audited apart
    from every other object in the account.

    ## Example
    ```json
    {"OutputDataConfig": {"S3OutputPath": "s3://bucket/models", "KmsKeyId": ""}}
    ```

    ## How to fix
    ```json
    {"OutputDataConfig": {"S3OutputPath": "s3://bucket/models",
                          "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```
    """
    output = job.mapping("OutputDataConfig")
    if not job.has("OutputDataConfig"):
        return
    key = output.get("KmsKeyId")
    if not (isinstance(key, str) and key.strip()):
        where = "/OutputDataConfig/KmsKeyId" if "KmsKeyId" in output else "/OutputDataConfig"
        state = "empty" if "KmsKeyId" in output and key is not None else "not set"
        yield Violation(
            where,
            f"OutputDataConfig.KmsKeyId is {state}: model artifacts use the default S3 key, "
            "not a customer managed KMS key",
        )


# --- shared by the rules below ---------------------------------------------------------------


def _dynamic(job: Job, *path: str) -> bool:
    """True when a Step Functions task sets the field, or an object holding it, from its input
    (``"Field.$": "$.path"``): the document does not hold the value, so a rule must not read
    its absence as "not set"."""
    return any(f"{name}.$" in job.mapping(*path[:depth]) for depth, name in enumerate(path))


def _storage(job: Job) -> tuple[list[str], list[str], list[str]]:
    """The job's instance types split into (EBS-only, local NVMe storage, unknown family)."""
    ebs: list[str] = []
    local: list[str] = []
    unknown: list[str] = []
    for _, kind in instance_types(job):
        has_local = has_local_storage(kind)
        (unknown if has_local is None else local if has_local else ebs).append(kind)
    return ebs, local, unknown


def _names(types: list[str]) -> str:
    return ", ".join(dict.fromkeys(types))


@rule(
    code="SM102",
    name="volume-without-kms-key",
    severity="warning",
    summary="the EBS storage volume is not encrypted with a customer managed KMS key",
    references=(
        f"{MODEL_DOCS}: ResourceConfig.VolumeKmsKeyId",
        f"{MODEL_DOCS}: ResourceConfig.VolumeSizeInGB",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html",
    ),
    peers={
        "prowler": "sagemaker_training_jobs_volume_and_output_encryption_enabled",
        "steampipe": "sagemaker_training_job_volume_and_data_encryption_enabled",
    },
)
def volume_without_kms_key(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `ResourceConfig.VolumeKmsKeyId` names a KMS key when the job runs on an
    instance type that has an EBS storage volume (EBS-only families such as `ml.m5`, `ml.c5`,
    `ml.p3`). On a heterogeneous cluster it fires when at least one instance group has an EBS
    volume (the SageMaker Python SDK applies a volume key in that case too).

    It never fires on instance types with local NVMe instance storage (`ml.g5`, `ml.p4d`,
    `ml.g4dn`, ...), nor on a type the instance table (`rules/_instance_storage.py`) does not
    know. The model docs of `ResourceConfig.VolumeKmsKeyId`: "Local storage volumes are
    encrypted using a hardware module on the instance. You can't request a `VolumeKmsKeyId`
    when using an instance type with local storage." Prowler's
    `sagemaker_training_jobs_volume_and_output_encryption_enabled` has no such exemption, so it
    fails jobs that cannot comply; SM107 reports the opposite mistake.

    ## Why is this bad?
    Without a key, SageMaker "encrypts storage volumes with a transient key and discards it
    immediately after encrypting the storage volume" (SageMaker developer guide, encryption at
    rest). The data is encrypted, but not under a key whose policy you control, whose use is
    logged in CloudTrail, or that you can disable; policies that require customer managed keys
    for data at rest are not met. A warning: hardening, not a defect.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "VolumeSizeInGB": 50}}
    ```

    ## How to fix
    ```json
    {"ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                        "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```
    """
    if _dynamic(job, "ResourceConfig", "VolumeKmsKeyId"):
        return
    resources = job.mapping("ResourceConfig")
    key = resources.get("VolumeKmsKeyId")
    if key is not None and not isinstance(key, str):
        return  # the schema check reports a value of the wrong type
    if key is not None and key.strip():
        return
    ebs, _, _ = _storage(job)
    if not ebs:
        return
    present = key is not None
    where = "/ResourceConfig/VolumeKmsKeyId" if present else "/ResourceConfig"
    state = "empty" if present else "not set"
    yield Violation(
        where,
        f"ResourceConfig.VolumeKmsKeyId is {state}: the EBS storage volume of {_names(ebs)} "
        "is encrypted with a transient key, not a customer managed KMS key",
    )


@rule(
    code="SM103",
    name="no-vpc",
    severity="warning",
    summary="the training job does not run in your VPC",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.VpcConfig",
        f"{MODEL_DOCS}: VpcConfig (SecurityGroupIds 1-5, Subnets 1-16)",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html",
    ),
    peers={
        "prowler": "sagemaker_training_jobs_vpc_settings_configured",
        "steampipe": "sagemaker_training_job_in_vpc",
    },
)
def no_vpc(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that the job has a `VpcConfig` with at least one subnet and one security group.

    ## Why is this bad?
    The model docs of `VpcConfig`: it "specifies the VPC that you want your training job to
    connect to. Control access to and from your training container by configuring the VPC."
    Without it the containers run in a network that SageMaker manages: their traffic is not
    subject to your security groups, network ACLs, VPC endpoints and endpoint policies, or
    VPC flow logs, and unless `EnableNetworkIsolation` is on (SM104) they can reach the
    internet. A `VpcConfig` without subnets or security groups is rejected (both are required,
    `Subnets` 1-16 and `SecurityGroupIds` 1-5 entries). A warning: hardening.

    ## Example
    ```json
    {"TrainingJobName": "churn", "VpcConfig": null}
    ```

    ## How to fix
    ```json
    {"VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"],
                   "Subnets": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]}}
    ```
    Give the subnets VPC endpoints (or a NAT) for S3, ECR and CloudWatch Logs.
    """
    if _dynamic(job, "VpcConfig"):
        return
    vpc = job.get("VpcConfig")
    if vpc is None:
        yield Violation(
            "",
            "no VpcConfig: the training containers run outside your VPC, beyond your security "
            "groups, VPC endpoints and flow logs",
        )
        return
    if not isinstance(vpc, Mapping):
        return  # the schema check reports the wrong type
    missing = [
        member
        for member in ("Subnets", "SecurityGroupIds")
        if not _dynamic(job, "VpcConfig", member) and vpc.get(member) in (None, [])
    ]
    if not missing:
        return
    only = missing[0] if len(missing) == 1 else None
    where = (
        f"/VpcConfig/{only}"
        if only is not None and isinstance(vpc.get(only), list)
        else "/VpcConfig"
    )
    yield Violation(
        where,
        f"VpcConfig has no {' and no '.join(missing)}: the job does not run in your VPC "
        "(a subnet and a security group are both required)",
    )


def _off(job: Job, member: str) -> tuple[str, str] | None:
    """(pointer, state) of a top-level boolean that is false or absent; None when it is true,
    set from a Step Functions input, or of the wrong type (the schema check reports that)."""
    if _dynamic(job, member):
        return None
    value = job.get(member)
    if value is None:
        return "", "not set (false by default)"
    if value is False:
        return pointer(member), "false"
    return None


@rule(
    code="SM104",
    name="network-isolation-off",
    severity="warning",
    summary="the training container is not network isolated",
    references=(f"{MODEL_DOCS}: CreateTrainingJobRequest.EnableNetworkIsolation",),
    peers={
        "prowler": "sagemaker_training_jobs_network_isolation_enabled",
        "steampipe": "sagemaker_training_job_network_isolation_enabled",
    },
)
def network_isolation_off(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `EnableNetworkIsolation` is `true`; `false` and absent (which means false)
    both fire.

    ## Why is this bad?
    The model docs of `EnableNetworkIsolation`: "Isolates the training container. No inbound
    or outbound network calls can be made, except for calls between peers within a training
    cluster for distributed training. If you enable network isolation for training jobs that
    are configured to use a VPC, SageMaker downloads and uploads customer data and model
    artifacts through the specified VPC, but the training container does not have network
    access." Without it, code in the training image (or any package it pulls in) can send the
    training data, or the job role's credentials, anywhere the network allows. A warning:
    hardening; some jobs legitimately need the network (pip installs, experiment trackers) and
    should then run in a VPC with egress controls (SM103).

    ## Example
    ```json
    {"TrainingJobName": "churn", "EnableNetworkIsolation": false}
    ```

    ## How to fix
    ```json
    {"TrainingJobName": "churn", "EnableNetworkIsolation": true}
    ```
    Bake dependencies into the image; input channels and the model upload keep working.
    """
    off = _off(job, "EnableNetworkIsolation")
    if off is not None:
        where, state = off
        yield Violation(
            where,
            f"EnableNetworkIsolation is {state}: the training container can make outbound "
            "network calls",
        )


@rule(
    code="SM105",
    name="inter-container-traffic-unencrypted",
    severity="warning",
    summary="a distributed job does not encrypt traffic between its instances",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.EnableInterContainerTrafficEncryption",
        f"{MODEL_DOCS}: ResourceConfig.InstanceCount, InstanceGroup.InstanceCount",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html",
    ),
    peers={
        "prowler": "sagemaker_training_jobs_intercontainer_encryption_enabled",
        "steampipe": "sagemaker_training_job_inter_container_traffic_encryption_enabled",
    },
)
def inter_container_traffic_unencrypted(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `EnableInterContainerTrafficEncryption` is `true` on a job that runs on more
    than one instance: `ResourceConfig.InstanceCount`, or the sum of
    `ResourceConfig.InstanceGroups[].InstanceCount` for a heterogeneous cluster. It says
    nothing on a single-instance job, where there is no traffic between instances to encrypt;
    Prowler's `sagemaker_training_jobs_intercontainer_encryption_enabled` and Steampipe's
    control flag those too.

    ## Why is this bad?
    The model docs of `EnableInterContainerTrafficEncryption`: "To encrypt all communications
    between ML compute instances in distributed training, choose `True`. Encryption provides
    greater security for distributed training, but training might take longer." Without it,
    gradients, parameters and data shards travel between the instances in clear. A warning:
    hardening, with a cost in training time.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 4},
     "EnableInterContainerTrafficEncryption": false}
    ```

    ## How to fix
    ```json
    {"ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 4},
     "EnableInterContainerTrafficEncryption": true}
    ```
    """
    count = instance_count(job)
    if count is None or count <= 1:
        return
    off = _off(job, "EnableInterContainerTrafficEncryption")
    if off is not None:
        where, state = off
        yield Violation(
            where,
            f"EnableInterContainerTrafficEncryption is {state} on a job with {count} "
            "instances: traffic between them is not encrypted",
        )


# --- SM106: secrets in HyperParameters and Environment --------------------------------------

SECRET_MAPS = ("HyperParameters", "Environment")

# Shapes of credentials, found anywhere in a value whatever its key is called; the first match
# names the kind. (substrings that each such value holds, pattern, kind): the substring test
# comes first, so that a pattern compiles and runs only for values that may match it.
_SHAPES: tuple[tuple[tuple[str, ...], Pattern, str], ...] = (
    (
        ("-----BEGIN ",),
        Pattern(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        "a private key",
    ),
    (
        ("AKIA", "ASIA"),
        Pattern(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
        "an AWS access key ID",
    ),
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        Pattern(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
        "a GitHub token",
    ),
    (("xox",), Pattern(r"(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (
        ("hf_",),
        Pattern(r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])"),
        "a Hugging Face token",
    ),
    (
        ("eyJ",),
        Pattern(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        "a JSON Web Token",
    ),
)
# user:password@ in a URL (database URLs, MLflow/Git remotes); the password must be literal.
_URL_PASSWORD = Pattern(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]+:(?P<password>[^\s/@]+)@")
# The shape of an AWS secret access key: 40 characters of base64 (AWS's documented example is
# wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY). Only trusted under a secret-like key name: a
# 40-character value is often a Git commit or another digest.
_AWS_SECRET_SHAPE = Pattern(r"(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])[A-Za-z0-9/+]{40}")

# Values that stand for a secret kept elsewhere, or for no secret at all.
_REFERENCE = Pattern(
    r"""
    \$\{[^}]*\}                                  # ${VAR}, ${ssm:...}
    | \$[A-Za-z_][A-Za-z0-9_]*                   # $VAR
    | \{\{.*\}\}                                 # {{resolve:secretsmanager:...}}, templates
    | \$\$?\..*                                  # Step Functions JSONPath ($.x, $$.x)
    | arn:aws[a-z-]*:(?:secretsmanager|ssm):.*   # a Secrets Manager secret / SSM parameter
    | <[^<>]*>                                   # <your-password>
    | [*xX#.\u2022-]{3,}                         # ***, xxxx, masked
    | (?:your|insert|enter|replace)[-_ ].*       # YOUR_API_KEY, your-token-here
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NOT_A_SECRET = frozenset(
    {"", "none", "null", "nil", "undefined", "true", "false", "n/a", "na", "tbd", "todo",
     "redacted", "[redacted]", "masked", "hidden", "placeholder"}
)  # fmt: skip
_PATH = Pattern(r"(?:/|\./|\.\./|~/|[A-Za-z][A-Za-z0-9+.-]*://)")
_WORDS = Pattern(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_PASSWORD_WORDS = ("password", "passwd", "passphrase", "pwd")
_KEY_PAIRS = {
    ("api", "key"): "an API key",
    ("private", "key"): "a private key",
    ("secret", "key"): "a secret key",
    ("access", "key"): "an access key",
    ("account", "key"): "an account key",
    ("auth", "key"): "an auth key",
    ("signing", "key"): "a signing key",
    ("master", "key"): "a master key",
}
_KEY_WORDS = {
    "apikey": "an API key",
    "privatekey": "a private key",
    "secretkey": "a secret key",
    "accesskey": "an access key",
}
# Tokenizer settings (pad_token, eos_token, mask_token, ...) are not credentials.
_TOKENIZER_WORDS = frozenset(
    {"pad", "eos", "bos", "unk", "sep", "cls", "mask", "special", "start", "end", "stop",
     "begin", "max", "min", "num", "image", "audio", "video", "decoder", "encoder", "sentinel",
     "separator", "eot", "prompt", "chat", "tool", "additional", "default", "fill", "null"}
)  # fmt: skip


def _words(key: str) -> list[str]:
    """``HF_TOKEN`` -> [hf, token]; ``dbPassword`` -> [db, password]; ``APIKey`` -> [api, key]."""
    return [word.lower() for word in _WORDS.findall(key)]


def _secret_name(key: str) -> tuple[str, bool] | None:
    """(kind, is a password) when a key's name says its value is a credential. The credential
    word must be the last one: ``db_password`` is a password, ``password_file`` a path."""
    words = _words(key)
    if not words or key in ("PWD", "OLDPWD"):  # the shell's working directories
        return None
    last = words[-1]
    if last == "key" and "secret" in words and ("access" in words or "aws" in words):
        return "an AWS secret access key", False
    if last.endswith(_PASSWORD_WORDS):
        return "a password", True
    pair = (words[-2], last) if len(words) > 1 else None
    if pair in _KEY_PAIRS:
        return _KEY_PAIRS[pair], False
    if last in _KEY_WORDS:
        return _KEY_WORDS[last], False
    if last.endswith("secret"):
        return "a secret", False
    if last.endswith("token") and not (len(words) > 1 and words[-2] in _TOKENIZER_WORDS):
        return "a token", False
    if last in ("credential", "credentials", "creds"):
        return "credentials", False
    return None


def _unquoted(value: str) -> str:
    """The SageMaker Python SDK JSON-encodes hyperparameters: ``"\\"s3://...\\""``."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, str):
            return decoded
    return value


def _stands_in(value: str) -> bool:
    """A value that is not itself a secret: empty, a reference, a placeholder, a mask, a path."""
    text = value.strip()
    return (
        text.lower() in _NOT_A_SECRET
        or _REFERENCE.fullmatch(text) is not None
        or _PATH.match(text) is not None
    )


def _credential_shaped(value: str) -> bool:
    """Could this be a token or key: 8+ characters, no spaces or markup, not just a number?"""
    return (
        len(value) >= 8
        and not any(c.isspace() or c in "<>[]{}()|\"'," for c in value)
        and not value.replace(".", "", 1).lstrip("-").isdigit()
    )


def _by_shape(text: str) -> str | None:
    for anchors, pattern, kind in _SHAPES:
        if any(anchor in text for anchor in anchors) and pattern.search(text):
            return kind
    if "://" in text and "@" in text:
        for match in _URL_PASSWORD.finditer(text):
            if not _stands_in(match.group("password")):
                return "a password in a URL"
    return None


def _secret_kind(key: str, value: str) -> str | None:
    """What kind of secret an entry holds, or None. Never returns anything of the value."""
    text = _unquoted(value).strip()
    shaped = _by_shape(text)
    if shaped is not None:
        return shaped
    named = _secret_name(key)
    if named is None or _stands_in(text):
        return None
    kind, password = named
    if password:
        return kind
    if not _credential_shaped(text):
        return None
    if _AWS_SECRET_SHAPE.fullmatch(text) and kind in ("a secret", "a secret key"):
        return "an AWS secret access key"
    return kind


@rule(
    code="SM106",
    name="secret-in-plain-text",
    severity="error",
    summary="a secret in HyperParameters or Environment, readable by anyone who describes the job",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.HyperParameters",
        f"{MODEL_DOCS}: CreateTrainingJobRequest.Environment",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeTrainingJob.html",
    ),
    compliance=("CWE-312: cleartext storage of sensitive information",),
)
def secret_in_plain_text(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Looks at every entry of `HyperParameters` and `Environment` for a credential:

    - by the shape of the value, whatever the key is called: AWS access key IDs
      (`AKIA`/`ASIA` + 16), private keys (`-----BEGIN ... PRIVATE KEY-----`), GitHub tokens
      (`ghp_`, `github_pat_`, ...), Slack tokens (`xoxb-`, ...), Hugging Face tokens (`hf_`),
      JSON Web Tokens, and a password in a URL (`scheme://user:password@host`);
    - by the name of the key, when its last word is a credential word: `password`, `passwd`,
      `pwd`, `passphrase` (any non-empty value), `secret`, `token`, `api_key`/`apikey`,
      `secret_key`, `private_key`, `access_key`, `credentials` (a value of 8 or more
      characters without spaces). `aws_secret_access_key`, or a 40-character base64 value
      under a secret key name, is reported as an AWS secret access key.

    Values that stand for a secret kept elsewhere are left alone: `${VAR}`, `$VAR`,
    `{{resolve:secretsmanager:...}}`, ARNs of Secrets Manager secrets and SSM parameters,
    Step Functions paths, file paths and URLs without a password, placeholders such as
    `***`, `<your-token>` or `YOUR_API_KEY`, and `true`/`false`/`none`. Keys whose last word
    is not a credential word (`password_file`, `secret_arn`, `max_tokens`) and tokenizer
    settings (`pad_token`, `eos_token`) are not credentials. Hyperparameter values that the
    SageMaker Python SDK JSON-encoded (`"\\"...\\""`) are decoded first.

    One finding per entry, at the entry; the message names the map, the key and the kind of
    secret, and never the value.

    ## Why is this bad?
    The model docs of both `HyperParameters` and `Environment`: "Do not include any
    security-sensitive information including account access IDs, secrets, or tokens in any
    hyperparameter fields. As part of the shared responsibility model, you are responsible for
    any potential exposure ...". DescribeTrainingJob returns both maps in clear to anyone
    allowed to describe the job, they are kept with the job after it ends, they appear in the
    console, and they end up in saved job specs like this one. An error: a real leak.

    ## Example
    ```json
    {"Environment": {"HF_TOKEN": "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"},
     "HyperParameters": {"max_depth": "5", "db_password": "Winter2026!churn"}}
    ```

    ## How to fix
    Rotate the credential: it has been exposed. Then store it in AWS Secrets Manager, pass
    only its name or ARN (for example `"HF_TOKEN_SECRET_ARN": "arn:aws:secretsmanager:..."`),
    and read it in the training code with the job's role; or give the role the permissions
    the credential stood for.
    """
    for name in SECRET_MAPS:
        if _dynamic(job, name):
            continue
        for key, value in job.mapping(name).items():
            if not isinstance(key, str) or key.endswith(".$") or not isinstance(value, str):
                continue
            key_kind = _by_shape(key)
            if key_kind is not None:  # a secret pasted as a key: show neither
                yield Violation(
                    pointer(name),
                    f"{name} has a key that looks like {key_kind} (key and value masked); "
                    "DescribeTrainingJob returns it in clear",
                )
                continue
            kind = _secret_kind(key, value)
            if kind is not None:
                yield Violation(
                    pointer(name, key),
                    f"{name}[{key!r}] looks like {kind} (value masked); DescribeTrainingJob "
                    "returns it in clear to anyone allowed to describe the job",
                )


@rule(
    code="SM107",
    name="volume-key-on-local-storage",
    severity="error",
    summary="VolumeKmsKeyId on an instance type with local NVMe storage, which AWS rejects",
    kinds=("create",),
    references=(
        f"{MODEL_DOCS}: ResourceConfig.VolumeKmsKeyId",
        f"{MODEL_DOCS}: ResourceConfig.VolumeSizeInGB",
        "https://github.com/aws/sagemaker-python-sdk/issues/3677",
    ),
)
def volume_key_on_local_storage(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that a request does not set `ResourceConfig.VolumeKmsKeyId` when every instance
    type of the job has local NVMe instance storage (`ml.g5`, `ml.g4dn`, `ml.p4d`, `ml.p5`,
    `ml.trn1`, ...; the table is `rules/_instance_storage.py`). A heterogeneous cluster that
    also has an EBS-backed group is left alone: the key applies to that group's volume (the
    SageMaker Python SDK sends it in that case), and SM102 would ask for it.

    Request specs only. A DescribeTrainingJob response is a job that SageMaker accepted: if it
    shows a volume key on a local-storage type, either the key was accepted and ignored or the
    instance table is wrong about that type; neither is something to fix on a job that already
    exists, so the rule says nothing there.

    ## Why is this bad?
    The model docs of `ResourceConfig.VolumeKmsKeyId`: "Certain Nitro-based instances include
    local storage, dependent on the instance type. Local storage volumes are encrypted using a
    hardware module on the instance. You can't request a `VolumeKmsKeyId` when using an
    instance type with local storage." CreateTrainingJob rejects the request. This happens
    when an organisation-wide default (SageMaker Python SDK configuration, an SCP, a template)
    adds a volume key to every job (sagemaker-python-sdk#3677). An error: AWS rejects it.

    ## Example
    ```json
    {"ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1,
                        "VolumeKmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/ml-training"}}
    ```

    ## How to fix
    Drop `VolumeKmsKeyId` (the NVMe storage is encrypted by the instance's hardware), or choose
    an EBS-backed instance type if the policy requires a customer managed key.
    """
    if _dynamic(job, "ResourceConfig", "VolumeKmsKeyId"):
        return
    key = job.text("ResourceConfig", "VolumeKmsKeyId")
    if key is None or not key.strip():
        return
    ebs, local, unknown = _storage(job)
    if local and not ebs and not unknown:
        yield Violation(
            "/ResourceConfig/VolumeKmsKeyId",
            f"VolumeKmsKeyId is set but {_names(local)} has local NVMe instance storage and no "
            "EBS volume: CreateTrainingJob rejects a volume key on such instance types",
        )


@rule(
    code="SM108",
    name="remote-debug-enabled",
    severity="warning",
    summary="remote debugging gives shell access to the running training container",
    references=(
        f"{MODEL_DOCS}: RemoteDebugConfig.EnableRemoteDebug",
        "https://docs.aws.amazon.com/sagemaker/latest/dg/train-remote-debugging.html",
    ),
)
def remote_debug_enabled(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Checks that `RemoteDebugConfig.EnableRemoteDebug` is not `true`.

    ## Why is this bad?
    The model docs of `RemoteDebugConfig`: remote debugging lets you "Access a training
    container through Amazon Web Services Systems Manager (SSM)". The developer guide: SageMaker
    starts the SSM agent in the container, which gives "shell-level access" to whoever may call
    `ssm:StartSession` on it. That shell runs with the job's IAM role and sees the training
    data, the model and the environment. It is a debugging aid, not something for a
    production job spec; a warning, since it can be intended while investigating a failure.

    ## Example
    ```json
    {"RemoteDebugConfig": {"EnableRemoteDebug": true}}
    ```

    ## How to fix
    Remove `RemoteDebugConfig` (or set `EnableRemoteDebug` to `false`) once debugging is done.
    While it is on, restrict `ssm:StartSession` to the people debugging, with a condition on
    the training job's ARN as the developer guide shows.
    """
    if job.flag("RemoteDebugConfig", "EnableRemoteDebug") is True:
        yield Violation(
            "/RemoteDebugConfig/EnableRemoteDebug",
            "RemoteDebugConfig.EnableRemoteDebug is true: anyone allowed ssm:StartSession on "
            "the job gets a shell in the training container, with the job's role",
        )
