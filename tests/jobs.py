"""Clean job documents that no rule fires on: tests change one thing and see one rule fire."""

from __future__ import annotations

import copy
from typing import Any

IMAGE = (
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:"
    "0f5a1c5d8e8f6b1ad3a0a4e3c0bd5d6c3b1e0e1e4f9a0b7c6d5e4f3a2b1c0d9e"
)
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_REQUEST: dict[str, Any] = {
    "TrainingJobName": "churn-xgboost-2026-11-01",
    "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerTraining",
    "HyperParameters": {"max_depth": "5", "eta": "0.2", "num_round": "100"},
    "InputDataConfig": [
        {
            "ChannelName": "train",
            "DataSource": {
                "S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": "s3://ml-data-123456789012/churn/train/",
                    "S3DataDistributionType": "FullyReplicated",
                }
            },
            "ContentType": "text/csv",
        },
        {
            "ChannelName": "validation",
            "DataSource": {
                "S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": "s3://ml-data-123456789012/churn/validation/",
                    "S3DataDistributionType": "FullyReplicated",
                }
            },
            "ContentType": "text/csv",
        },
    ],
    "OutputDataConfig": {"S3OutputPath": "s3://ml-models-123456789012/churn/", "KmsKeyId": KEY},
    "ResourceConfig": {
        "InstanceType": "ml.m5.xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 50,
        "VolumeKmsKeyId": KEY,
    },
    "VpcConfig": {
        "SecurityGroupIds": ["sg-0123456789abcdef0"],
        "Subnets": ["subnet-0123456789abcdef0"],
    },
    "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
    "RetryStrategy": {"MaximumRetryAttempts": 2},
    "EnableNetworkIsolation": True,
    "EnableInterContainerTrafficEncryption": True,
    "Tags": [{"Key": "team", "Value": "growth"}],
}

_DESCRIBE_EXTRA: dict[str, Any] = {
    "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgboost-2026-11-01",
    "ModelArtifacts": {
        "S3ModelArtifacts": "s3://ml-models-123456789012/churn/churn-xgboost-2026-11-01/output/model.tar.gz"
    },
    "TrainingJobStatus": "Completed",
    "SecondaryStatus": "Completed",
    "CreationTime": "2026-11-01T10:00:00.512000+00:00",
    "TrainingStartTime": "2026-11-01T10:02:10.101000+00:00",
    "TrainingEndTime": "2026-11-01T11:02:10.101000+00:00",
    "LastModifiedTime": "2026-11-01T11:03:00.000000+00:00",
    "SecondaryStatusTransitions": [
        {
            "Status": "Starting",
            "StartTime": "2026-11-01T10:00:00.512000+00:00",
            "EndTime": "2026-11-01T10:02:10.101000+00:00",
            "StatusMessage": "Preparing the instances for training",
        },
        {
            "Status": "Downloading",
            "StartTime": "2026-11-01T10:02:10.101000+00:00",
            "EndTime": "2026-11-01T10:04:00.000000+00:00",
            "StatusMessage": "Downloading input data",
        },
        {
            "Status": "Training",
            "StartTime": "2026-11-01T10:04:00.000000+00:00",
            "EndTime": "2026-11-01T11:00:00.000000+00:00",
            "StatusMessage": "Training image download completed. Training in progress.",
        },
        {
            "Status": "Uploading",
            "StartTime": "2026-11-01T11:00:00.000000+00:00",
            "EndTime": "2026-11-01T11:02:10.101000+00:00",
            "StatusMessage": "Uploading generated training model",
        },
        {
            "Status": "Completed",
            "StartTime": "2026-11-01T11:02:10.101000+00:00",
            "EndTime": "2026-11-01T11:02:10.101000+00:00",
            "StatusMessage": "Training job completed",
        },
    ],
    "TrainingTimeInSeconds": 3600,
    "BillableTimeInSeconds": 3600,
}


def clean_request() -> dict[str, Any]:
    """A CreateTrainingJob request (a saved job spec) that passes every rule."""
    return copy.deepcopy(_REQUEST)


def clean_describe() -> dict[str, Any]:
    """A DescribeTrainingJob response of a completed job that passes every rule."""
    job = {k: v for k, v in copy.deepcopy(_REQUEST).items() if k != "Tags"}
    job.update(copy.deepcopy(_DESCRIBE_EXTRA))
    return job
