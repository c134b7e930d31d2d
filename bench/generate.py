"""Realistic training job documents for benchmarks: DescribeTrainingJob responses and
CreateTrainingJob requests of the size and shape AWS returns (5-8 KB, status transitions,
metric definitions, final metrics), some compliant, most with a few findings."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

INSTANCE_TYPES = [
    "ml.m5.xlarge",
    "ml.c5.2xlarge",
    "ml.g5.2xlarge",
    "ml.p3.2xlarge",
    "ml.p4d.24xlarge",
]
IMAGES = [
    "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311",
    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:" + "ab" * 32,
]
STEPS = [
    ("Starting", "Preparing the instances for training"),
    ("Downloading", "Downloading input data"),
    ("Training", "Training image download completed. Training in progress."),
    ("Uploading", "Uploading generated training model"),
    ("Completed", "Training job completed"),
]


def _time(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def job_document(n: int, rng: random.Random) -> dict[str, Any]:
    name = f"bench-job-{n:06d}"
    instance_type = rng.choice(INSTANCE_TYPES)
    count = rng.choice([1, 1, 2, 4])
    mode = rng.choice(["File", "File", "Pipe", "FastFile"])
    job: dict[str, Any] = {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": rng.choice(IMAGES),
            "TrainingInputMode": mode,
            "MetricDefinitions": [
                {
                    "Name": f"{split}:{metric}",
                    "Regex": f".*{split}-{metric}:([-+]?[0-9]*\\.?[0-9]+).*",
                }
                for split in ("train", "validation")
                for metric in ("rmse", "auc", "logloss", "error")
            ],
            "EnableSageMakerMetricsTimeSeries": False,
        },
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole",
        "HyperParameters": {
            "max_depth": str(rng.randint(3, 10)),
            "eta": f"{rng.random():.2f}",
            "num_round": str(rng.randint(10, 500)),
            "objective": "binary:logistic",
            "sagemaker_region": '"us-east-1"',
        },
        "InputDataConfig": [
            {
                "ChannelName": channel,
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": f"s3://ml-data-123456789012/{name}/{channel}/",
                        "S3DataDistributionType": rng.choice(["FullyReplicated", "ShardedByS3Key"]),
                    }
                },
                "ContentType": "text/csv",
                "CompressionType": rng.choice(["None", "None", "Gzip"]),
                "RecordWrapperType": "None",
            }
            for channel in ("train", "validation")
        ],
        "OutputDataConfig": {
            "S3OutputPath": f"s3://ml-models-123456789012/{name}/",
            "KmsKeyId": rng.choice(
                ["", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
            ),
        },
        "ResourceConfig": {
            "InstanceType": instance_type,
            "InstanceCount": count,
            "VolumeSizeInGB": 50,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": rng.choice([3600, 86400, 432000])},
        "EnableNetworkIsolation": rng.random() < 0.5,
        "EnableInterContainerTrafficEncryption": rng.random() < 0.5,
        "EnableManagedSpotTraining": False,
    }
    if n % 4 == 0:  # a request spec
        job["Tags"] = [{"Key": "team", "Value": "ml"}]
        return job
    created = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
    marks = [created + timedelta(minutes=m) for m in (0, 3, 6, 66, 68, 68)]
    job.update(
        {
            "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{name}",
            "ModelArtifacts": {
                "S3ModelArtifacts": f"s3://ml-models-123456789012/{name}/output/model.tar.gz"
            },
            "TrainingJobStatus": "Completed",
            "SecondaryStatus": "Completed",
            "CreationTime": _time(marks[0]),
            "TrainingStartTime": _time(marks[1]),
            "TrainingEndTime": _time(marks[4]),
            "LastModifiedTime": _time(marks[5]),
            "SecondaryStatusTransitions": [
                {
                    "Status": status,
                    "StartTime": _time(marks[i]),
                    "EndTime": _time(marks[i + 1]),
                    "StatusMessage": message,
                }
                for i, (status, message) in enumerate(STEPS)
            ],
            "FinalMetricDataList": [
                {
                    "MetricName": f"validation:{metric}",
                    "Value": rng.random(),
                    "Timestamp": _time(marks[4]),
                }
                for metric in ("rmse", "auc", "logloss", "error")
            ],
            "TrainingTimeInSeconds": 3900,
            "BillableTimeInSeconds": 3900 * count,
            "ProfilingStatus": "Disabled",
        }
    )
    return job


def write_jobs(folder: Path, count: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        path = folder / f"job-{n:06d}.json"
        path.write_text(json.dumps(job_document(n, rng), indent=2))
        paths.append(path)
    return paths


def write_jsonl(path: Path, megabytes: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    written = lines = 0
    with path.open("w") as stream:
        while written < megabytes * 1024 * 1024:
            line = json.dumps(job_document(lines, rng)) + "\n"
            stream.write(line)
            written += len(line)
            lines += 1
    return lines
