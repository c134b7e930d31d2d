"""Benchmark `sagelint lint` on a CloudFormation template against cfn-lint on the same file.

    python bench/bench_cloudformation.py [--jobs 500] [--repeat 5]

One YAML template declares --jobs training jobs: Task states calling createTrainingJob.sync,
two in the Definition of each AWS::StepFunctions::StateMachine (a template holds at most 500
resources), with short-form intrinsics (!Ref, !Sub, !GetAtt) as people write them, plus the
bucket, KMS key, IAM roles and parameters they reference; the jobs vary so that sagelint has
findings. (AWS::SageMaker::TrainingJob resources are left out: cfn-lint rejects the type, E3006.)

`sagelint lint --isolated TEMPLATE` and `cfn-lint TEMPLATE` (`pip install .[bench]`, or
`pip install cfn-lint`) run interleaved; the figure is the ratio of their median wall times.
The findings each prints are counted in separate, untimed runs (`--format json`, `-f json`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

PYTHON = sys.executable
SAGELINT = shutil.which("sagelint", path=str(Path(PYTHON).parent)) or "sagelint"
CFN_LINT = shutil.which("cfn-lint", path=str(Path(PYTHON).parent)) or shutil.which("cfn-lint")
SAGELINT_EXITS = {0, 1, 2}
CFN_LINT_EXITS = set(range(0, 16, 2))  # bit flags: 2 errors, 4 warnings, 8 informational
# (instance type, has local NVMe storage: no VolumeKmsKeyId there)
INSTANCE_TYPES = [
    ("ml.m5.xlarge", False),
    ("ml.m5.4xlarge", False),
    ("ml.c5.2xlarge", False),
    ("ml.p3.2xlarge", False),
    ("ml.g5.2xlarge", True),
    ("ml.p4d.24xlarge", True),
]

KEY_ALIAS = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/ml-training"


class Tag:
    """A short-form intrinsic function, written as ``!Ref Name``."""

    def __init__(self, tag: str, value: str) -> None:
        self.tag, self.value = tag, value


def _represent_tag(dumper: yaml.SafeDumper, tag: Tag) -> yaml.Node:
    return dumper.represent_scalar(tag.tag, tag.value)


yaml.SafeDumper.add_representer(Tag, _represent_tag)


def training_task(n: int, rng: random.Random) -> dict[str, Any]:
    """A Task state that runs training job ``n``: every fourth one with all the security
    settings, the others missing a few; some distributed, on spot, with Gzip channels."""
    instance_type, local_storage = rng.choice(INSTANCE_TYPES)
    count = rng.choice([1, 1, 1, 2, 4])
    secure = n % 4 == 0
    spot = n % 5 == 0
    runtime = rng.choice([3600, 14400, 86400, 172800])
    if n % 97 == 0:
        runtime = 3_000_000  # above the 28-day maximum
    channels = ["train", "validation"] if n % 2 else ["train"]
    inputs = [
        {
            "ChannelName": channel,
            "ContentType": "text/csv",
            **({"CompressionType": "Gzip"} if n % 31 == 0 else {}),
            "DataSource": {
                "S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": Tag("!Sub", f"s3://${{Bucket}}/data/{n:04d}/{channel}/"),
                    "S3DataDistributionType": (
                        "ShardedByS3Key" if channel == "train" and count > 1 else "FullyReplicated"
                    ),
                }
            },
        }
        for channel in channels
    ]
    output: dict[str, Any] = {"S3OutputPath": Tag("!Sub", f"s3://${{Bucket}}/out/{n:04d}/")}
    resources: dict[str, Any] = {
        "InstanceType": instance_type,
        "InstanceCount": count,
        "VolumeSizeInGB": rng.choice([30, 50, 100, 500]),
    }
    stopping: dict[str, Any] = {"MaxRuntimeInSeconds": runtime}
    request: dict[str, Any] = {
        "TrainingJobName.$": f"States.Format('model-{n:04d}-{{}}', $$.Execution.Name)",
        "AlgorithmSpecification": {
            "TrainingImage": Tag("!Ref", "XGBoostImage" if n % 3 else "PyTorchImage"),
            "TrainingInputMode": "File",
        },
        "RoleArn": Tag("!GetAtt", "TrainingRole.Arn"),
        "HyperParameters": {"epochs": str(rng.randint(5, 50)), "eta": "0.2"},
        "InputDataConfig": inputs,
        "OutputDataConfig": output,
        "ResourceConfig": resources,
        "StoppingCondition": stopping,
    }
    if n % 113 == 0:
        request["HyperParameters"]["wandb_api_key"] = f"{n:04d}3f9d2c1e8b7a6f5e4d3c2b1a0f9e8d7c6b"
    if secure:
        output["KmsKeyId"] = Tag("!GetAtt", "DataKey.Arn")
        if not local_storage:
            resources["VolumeKmsKeyId"] = Tag("!GetAtt", "DataKey.Arn")
        elif n % 12 == 0:  # CreateTrainingJob rejects it; SM107 skips a ${...} value
            resources["VolumeKmsKeyId"] = Tag("!Sub", KEY_ALIAS)
        request["VpcConfig"] = {
            "SecurityGroupIds": [Tag("!Ref", "SecurityGroupId")],
            "Subnets": Tag("!Ref", "SubnetIds"),
        }
        request["EnableNetworkIsolation"] = True
        request["EnableInterContainerTrafficEncryption"] = True
    if spot:
        request["EnableManagedSpotTraining"] = True
        stopping["MaxWaitTimeInSeconds"] = runtime * 2 if n % 2 else runtime // 2
        if n % 10 == 0:
            request["CheckpointConfig"] = {
                "S3Uri": Tag("!Sub", f"s3://${{Bucket}}/checkpoints/{n:04d}/")
            }
    request["Tags"] = [{"Key": "team", "Value": rng.choice(["growth", "search", "risk"])}]
    return {
        "Type": "Task",
        "Resource": Tag("!Sub", "arn:${AWS::Partition}:states:::sagemaker:createTrainingJob.sync"),
        "Parameters": request,
        "Retry": [
            {
                "ErrorEquals": ["SageMaker.AmazonSageMakerException"],
                "IntervalSeconds": 60,
                "MaxAttempts": 2,
                "BackoffRate": 2,
            }
        ],
    }


def state_machine(k: int, tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """A state machine that trains its models (two, the last one maybe one) one after the
    other, or (every other one) in the branches of a Parallel state."""
    names = [f"Train{index}" for index in range(1, len(tasks) + 1)]
    if k % 2:
        states = {
            name: {**task, "Next": following}
            for name, task, following in zip(names, tasks, names[1:], strict=False)
        }
        states[names[-1]] = {**tasks[-1], "End": True}
        start = names[0]
    else:
        branches = [
            {"StartAt": name, "States": {name: {**task, "End": True}}}
            for name, task in zip(names, tasks, strict=True)
        ]
        states = {"Train": {"Type": "Parallel", "Branches": branches, "End": True}}
        start = "Train"
    return {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {
            "RoleArn": Tag("!GetAtt", "StatesRole.Arn"),
            "Definition": {"Comment": f"Pipeline {k:04d}", "StartAt": start, "States": states},
        },
    }


def template(jobs: int) -> dict[str, Any]:
    def role(service: str, actions: list[str], resource: Any) -> dict[str, Any]:
        return {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": service},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "training",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {"Effect": "Allow", "Action": actions, "Resource": resource}
                            ],
                        },
                    }
                ],
            },
        }

    bucket = [Tag("!GetAtt", "Bucket.Arn"), Tag("!Sub", "${Bucket.Arn}/*")]
    resources: dict[str, Any] = {
        "Bucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {
                            "ServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": Tag("!GetAtt", "DataKey.Arn"),
                            }
                        }
                    ]
                },
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
            },
        },
        "DataKey": {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {
                                "AWS": Tag(
                                    "!Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
                                )
                            },
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                },
            },
        },
        "DataKeyAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": "alias/ml-training", "TargetKeyId": Tag("!Ref", "DataKey")},
        },
        "TrainingRole": role(
            "sagemaker.amazonaws.com", ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], bucket
        ),
        "StatesRole": role(
            "states.amazonaws.com",
            [
                "sagemaker:CreateTrainingJob",
                "sagemaker:DescribeTrainingJob",
                "sagemaker:StopTrainingJob",
                "sagemaker:AddTags",
                "events:PutTargets",
                "events:PutRule",
                "events:DescribeRule",
                "iam:PassRole",
            ],
            "*",
        ),
    }
    rng = random.Random(500)
    tasks = [training_task(n, rng) for n in range(1, jobs + 1)]
    for k in range(1, (jobs + 1) // 2 + 1):
        resources[f"Pipeline{k:04d}"] = state_machine(k, tasks[2 * k - 2 : 2 * k])
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{jobs} training pipelines, one Step Functions state machine each",
        "Parameters": {
            "XGBoostImage": {
                "Type": "String",
                "Default": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            },
            "PyTorchImage": {
                "Type": "String",
                "Default": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311",
            },
            "SecurityGroupId": {"Type": "AWS::EC2::SecurityGroup::Id"},
            "SubnetIds": {"Type": "List<AWS::EC2::Subnet::Id>"},
        },
        "Resources": resources,
    }


def run(command: list[str], accepted: set[int]) -> tuple[float, str]:
    """Wall time in seconds and standard output of one command."""
    start = time.perf_counter()
    process = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if process.returncode not in accepted:
        raise SystemExit(f"{command[:3]} exited with {process.returncode}")
    return elapsed, process.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).parent / "out" / "cloudformation.json"
    )
    args = parser.parse_args()
    if CFN_LINT is None:
        raise SystemExit(
            "cfn-lint is not installed: pip install cfn-lint (or pip install .[bench])"
        )

    # Byte-compile the package as `pip install` does (see bench_lint.py).
    import sagelint
    import sagelint.rules

    for package in (sagelint, sagelint.rules):
        subprocess.run(
            [PYTHON, "-m", "compileall", "-q", str(Path(str(package.__file__)).parent)], check=True
        )

    with tempfile.TemporaryDirectory(prefix="sagelint-bench-") as tmp:
        path = Path(tmp, "training.yaml")
        path.write_text(yaml.safe_dump(template(args.jobs), sort_keys=False, width=100))
        size = path.stat().st_size
        commands = {
            "sagelint": ([SAGELINT, "lint", "--isolated", str(path)], SAGELINT_EXITS),
            "cfn_lint": ([CFN_LINT, str(path)], CFN_LINT_EXITS),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, (command, accepted) in commands.items():
                times[name].append(run(command, accepted)[0])
        medians = {name: statistics.median(values) for name, values in times.items()}

        report = json.loads(run([*commands["sagelint"][0], "--format", "json"], SAGELINT_EXITS)[1])
        cfn_findings = json.loads(run([CFN_LINT, "-f", "json", str(path)], CFN_LINT_EXITS)[1])

    cfn_rules = Counter(str(finding["Rule"]["Id"]) for finding in cfn_findings)
    results = {
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "jobs": args.jobs,
        "template_kib": size / 1024,
        **medians,
        "ratio": medians["cfn_lint"] / medians["sagelint"],
        "sagelint_jobs_checked": report["summary"]["jobs"],
        "sagelint_findings": len(report["findings"]),
        "sagelint_by_rule": report["summary"]["by_rule"],
        "cfn_lint_findings": len(cfn_findings),
        "cfn_lint_by_rule": dict(sorted(cfn_rules.items())),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{args.jobs} training jobs in one CloudFormation template ({size / 1024:.0f} KiB): "
        f"sagelint {medians['sagelint']:.2f} s, cfn-lint {medians['cfn_lint']:.2f} s -> "
        f"sagelint is {results['ratio']:.1f}x faster (target >= 5x)"
    )
    print(
        f"findings: sagelint {results['sagelint_findings']} in {results['sagelint_jobs_checked']} "
        f"jobs {report['summary']['by_rule']}; cfn-lint {len(cfn_findings)} {dict(cfn_rules)}"
    )


if __name__ == "__main__":
    main()
